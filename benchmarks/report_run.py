"""Report-run benchmark (``make bench``; not part of ``make test``). Everything is measured
in the same run, on copies of ``notebooks/`` in a temporary folder, so ``reports/`` is never
touched:

- **full**: ``python -m analysis report --force`` (papermill + nbconvert exporters in one
  process, the runner's default workers: one per core, at most one per run);
- **full, cold kernels**: the same with ``VWNW_COLD_KERNELS=1`` (each kernel a new Python
  that imports everything, as before :mod:`analysis.pipeline.warm_kernels`), in the same
  benchmark run: what the warm kernels buy;
- **floor**: for every notebook run, a kernel that only starts and runs the notebook's
  ``imports`` cell (the cell tagged ``imports``: every import the notebook needs), with
  the same number of workers (no data, no work, no HTML), kernels started cold; beside it
  the same with warm kernels (forked from the pre-imported zygote);
- **naive**: per run, the ``papermill`` CLI, then the ``jupyter nbconvert --to html`` CLI,
  one after the other;
- **no-op**: the report again with nothing changed;
- **one changed**: the report after one notebook gained a markdown cell;
- **CPU**: the CPU time of floor and full (this process and its children, kernels
  included). Their difference is the work beyond the floor (cells after the imports, HTML,
  the runner itself); floor + work / cores is the least time that work can take on this
  machine, and full is also given against it;
- **where the time goes**: one more full run, instrumented (:mod:`instrumented`: the
  report's own functions timed in the runner and in every kernel), broken down per run into
  kernel start (with the project's imports, which the instrumentation makes at kernel
  start), the stages of its cells (validate, prepare, release/gate and its integer
  programmes, tables, figures, models) and the HTML pages the runner renders.

Floor, full and no-op are the median of ``--repeat`` runs (default 3).

    python benchmarks/report_run.py [--repeat 3] [--no-naive] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import nbformat
import papermill

from analysis import paths
from analysis.pipeline import execute, runner, runs as run_config

TARGETS = {"full / floor": ("<=", 2.0), "naive / full": (">=", 2.0), "no-op (s)": ("<", 1.0)}


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def report_args(notebooks: Path, reports: Path, jobs: int, *extra: str) -> list[str]:
    return ["--notebooks", str(notebooks), "--config", str(notebooks / "report.yml"), "--reports", str(reports),
            "-j", str(jobs), *extra]


def report(notebooks: Path, reports: Path, jobs: int, *extra: str, cold: bool = False) -> None:
    """The report command; ``cold``: its kernels start cold (``VWNW_COLD_KERNELS``), as
    before the warm kernels of :mod:`analysis.pipeline.warm_kernels`."""
    cmd = [sys.executable, "-m", "analysis", "report", *report_args(notebooks, reports, jobs, *extra)]
    env = dict(os.environ, VWNW_COLD_KERNELS="1") if cold else {k: v for k, v in os.environ.items()
                                                                 if k != "VWNW_COLD_KERNELS"}
    subprocess.run(cmd, check=True, capture_output=True, env=env)


def breakdown(notebooks: Path, reports: Path, jobs: int) -> dict:
    """One instrumented full run (``benchmarks/instrumented.py``, in its own process)."""
    cmd = [sys.executable, str(Path(__file__).with_name("instrumented.py")), "--",
           *report_args(notebooks, reports, jobs, "--force")]
    proc = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


BREAKDOWN = ("validate", "prepare", "release/gate", "gate: integer programmes", "tables", "figures", "models")


def print_breakdown(b: dict) -> None:
    """Per run: wall time, kernel start, its cells' stages, the rest of its cells, its pages."""
    head = "".join(f" {s.replace('gate: integer programmes', 'IPs'):>12}" for s in BREAKDOWN)
    print(f"\nwhere the time goes (instrumented full run, {b['wall']:.1f} s wall; seconds per run)")
    print(f"{'run':<34} {'total':>6} {'kernel':>7}{head} {'rest':>6} {'pages':>6}")
    for name, run in b["runs"].items():
        st = run["stages"]
        timed_cells = sum(st.get(s, 0.0) for s in BREAKDOWN)
        rest = run["other_cells"] + run["imports_cell"] - timed_cells
        print(f"{name:<34} {run['duration'] or 0:6.1f} {run['kernel_start']:7.1f}"
              + "".join(f" {st.get(s, 0.0):12.2f}" for s in BREAKDOWN)
              + f" {rest:6.2f} {st.get('pages', 0.0):6.2f}")
    ip = b["integer_programmes"]
    print(f"integer programmes: {ip['count']} solved, {ip['wall']:.1f} s; runner: hashing inputs "
          f"{b['stages'].get('hash inputs', {}).get('wall', 0):.1f} s, publishing "
          f"{b['stages'].get('publish', {}).get('wall', 0):.1f} s")


def imports_only(notebook: Path, target: Path) -> Path:
    """A copy of ``notebook`` holding only its cells tagged ``imports``."""
    nb = nbformat.read(notebook, as_version=4)
    cells = [c for c in nb.cells if "imports" in c.metadata.get("tags", [])]
    if not cells:
        raise SystemExit(f"{notebook.name}: no cell tagged 'imports'; the floor needs one")
    nb.cells = cells
    nbformat.write(nb, target)
    return target


def floor(runs: list[run_config.NotebookRun], tmp: Path, jobs: int, warm: bool = False) -> None:
    """Bare kernel start plus the notebook's imports cell, once per notebook run, on ``jobs``
    workers; kernels start cold (a new Python each, as the floor has always been measured),
    or with ``warm`` forked from the runner's pre-imported zygote."""
    from analysis.pipeline.warm_kernels import WarmKernelManager

    bare = {nb: imports_only(nb, tmp / f"imports-{nb.name}") for nb in {r.notebook for r in runs}}
    manager = {"kernel_manager_class": WarmKernelManager} if warm else {}

    def one(i: int) -> None:
        papermill.execute_notebook(str(bare[runs[i].notebook]), str(tmp / f"bare-{i}.ipynb"),
                                   kernel_name=execute.KERNEL_NAME, progress_bar=False, log_output=False, **manager)

    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(one, range(len(runs))))


def naive(runs: list[run_config.NotebookRun], tmp: Path) -> None:
    """papermill CLI then jupyter nbconvert CLI, per run, sequentially."""
    bindir = Path(sys.executable).parent
    for run in runs:
        out = tmp / f"{run.name}.ipynb"
        params = [a for k, v in dict(run.parameters, output_dir=str(tmp / run.name)).items()
                  for a in ("-p", k, str(v))]
        subprocess.run([str(bindir / "papermill"), str(run.notebook), str(out), "--cwd", str(paths.PROJECT_ROOT),
                        "--no-progress-bar", *params], check=True, capture_output=True)
        subprocess.run([str(bindir / "jupyter"), "nbconvert", "--to", "html", str(out)], check=True,
                       capture_output=True)


def cpu_seconds() -> float:
    """CPU used so far by this process and its waited-for children (kernels included)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def measure(fn, repeat: int) -> tuple[float, float]:
    """Median wall time and median CPU time of ``repeat`` calls."""
    walls, cpus = [], []
    for _ in range(repeat):
        cpu0, t0 = cpu_seconds(), time.perf_counter()
        fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(cpu_seconds() - cpu0)
    return statistics.median(walls), statistics.median(cpus)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="runs of floor, full and no-op (median)")
    ap.add_argument("--no-naive", action="store_true", help="skip the naive papermill + nbconvert loop")
    ap.add_argument("--no-cold", action="store_true", help="skip the full run with cold kernels")
    ap.add_argument("--no-breakdown", action="store_true", help="skip the instrumented run")
    ap.add_argument("--json", type=Path, help="also write the results (and the breakdown) to this file")
    args = ap.parse_args()
    detail = None
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp_:
        tmp = Path(tmp_)
        notebooks = tmp / "notebooks"
        shutil.copytree(paths.NOTEBOOKS, notebooks, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        runs = run_config.discover_runs(notebooks, notebooks / "report.yml")
        jobs = runner.resolve_workers("auto", len(runs))
        cores = os.cpu_count() or 1
        print(f"{len(runs)} notebook runs from {len(list(notebooks.glob('*.ipynb')))} notebooks, "
              f"{jobs} workers on {cores} cores, median of {args.repeat}")
        (tmp / "floor").mkdir()
        (tmp / "naive").mkdir()
        results["floor (s)"], floor_cpu = measure(lambda: floor(runs, tmp / "floor", jobs), args.repeat)
        results["full (s)"], full_cpu = measure(lambda: report(notebooks, tmp / "reports", jobs, "--force"),
                                                args.repeat)
        if not args.no_cold:  # before the warm kernels, in the same conditions
            results["full, cold kernels (s)"], cold_cpu = measure(
                lambda: report(notebooks, tmp / "reports-cold", jobs, "--force", cold=True), args.repeat)
            results["full, cold kernels CPU (s)"] = cold_cpu
            (tmp / "floor-warm").mkdir()
            results["floor, warm kernels (s)"], _ = measure(lambda: floor(runs, tmp / "floor-warm", jobs, True),
                                                            args.repeat)
        if not args.no_naive:
            results["naive (s)"], _ = measure(lambda: naive(runs, tmp / "naive"), 1)
        results["no-op (s)"], _ = measure(lambda: report(notebooks, tmp / "reports", jobs), args.repeat)
        first = sorted(notebooks.glob("*.ipynb"))[0]
        nb = nbformat.read(first, as_version=4)
        cell = nbformat.v4.new_markdown_cell("Benchmark edit.")
        cell["id"] = "bench-edit"
        nb.cells.append(cell)
        nbformat.write(nb, first)
        results["one changed (s)"], _ = measure(lambda: report(notebooks, tmp / "reports", jobs), 1)
        if not args.no_breakdown:
            detail = breakdown(notebooks, tmp / "reports-instrumented", jobs)
    results["floor CPU (s)"] = floor_cpu
    results["full CPU (s)"] = full_cpu
    # Work beyond the floor (cells after the imports, HTML, the runner itself) is CPU the
    # floor does not spend; on ``cores`` cores nothing finishes before floor + work / cores.
    results["work CPU (s)"] = full_cpu - floor_cpu
    results["CPU-bound limit (s)"] = results["floor (s)"] + results["work CPU (s)"] / cores
    results["full / floor"] = results["full (s)"] / results["floor (s)"]
    if "full, cold kernels (s)" in results:
        results["full, cold kernels / floor"] = results["full, cold kernels (s)"] / results["floor (s)"]
    results["full / limit"] = results["full (s)"] / results["CPU-bound limit (s)"]
    if "naive (s)" in results:
        results["naive / full"] = results["naive (s)"] / results["full (s)"]
    print(f"{'measure':<20} {'value':>8}  target")
    for name, value in results.items():
        target = TARGETS.get(name)
        note = ""
        if target:
            op, limit = target
            met = {"<=": value <= limit, ">=": value >= limit, "<": value < limit}[op]
            note = f"{op} {limit}: " + ("met" if met else f"MISSED by {abs(value - limit):.2f}")
        print(f"{name:<20} {value:8.2f}  {note}")
    if detail:
        print_breakdown(detail)
    summary = {k: round(v, 3) for k, v in results.items()}
    print(json.dumps(summary))
    if args.json:
        args.json.write_text(json.dumps({"results": summary, "breakdown": detail}, indent=1) + "\n",
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
