"""Scale benchmark (``make bench``; not part of ``make test``, a smoke run at N = 30 and 300
is): the report's own path on a population of N participants with its own status history.

    python benchmarks/run.py --n 30 10000 1000000 2000000 [--repeat 1] [--json out.json]
                             [--notebooks 02_pilot_participants 03_outcome_models 04_time_to_work]

For each N, in a fresh process:

- **generate**: N participants and their consistent status history, written as the two raw
  CSV files the report reads (:mod:`population`, in a process of its own; not part of the
  pipeline's time);
- **pipeline**: ``python -m analysis report`` (the runner, in this process) runs notebooks 02
  and 03 on those files, the route a real file takes (the study's own run configuration; a
  private file publishes notebook 03 or 04, not both); ``--notebooks`` runs another subset,
  e.g. all three, the route of a generated file, which may publish 04 beside 03. The notebooks
  are copied into a folder of their own; ``--only`` the first (which brings the others along:
  their disclosure control is joint), one run each with the notebooks' defaults (threshold 10,
  cut-off 1 April for 02, 16 April for 03 and 04) and the population's two files (named in the
  runs), a ``processed_dir`` in the temporary folder (``-p``), the runner's default workers.
  The generator's files are the project's own (sealed), so the runs are not private: their
  pages show every exhibit, as a run on the shipped file does. The kernels validate the files,
  prepare the frames, make the joint release with its integer programmes, write tables and
  figures, fit the models (and the survival curves), and the runner renders and publishes the
  HTML pages, exactly as in ``make report``.

The pipeline's stages are timed inside the runner and the kernels (:mod:`stage_timing`;
exclusive times, summed over the two kernels, which run in parallel); ``pipeline`` is the
wall time of the whole report run and its peak the highest resident memory of the runner
plus its kernels (sampled every 5 ms). With ``--repeat`` > 1 the median run (by pipeline
time) is shown.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import instrumented  # noqa: E402
import population  # noqa: E402
import stage_timing  # noqa: E402

TARGET_SECONDS, TARGET_N_SECONDS = 30, 1_000_000  # full pipeline at 1M under 30 s
TARGET_GIB, TARGET_N_GIB = 4.0, 2_000_000  # peak memory at 2M under 4 GiB
# the population's files are named in each notebook's run, not with -p (which every run receives,
# notebook 01's DWSRA run too). By default the notebooks a real file goes through (the study's own run
# configuration: 02 and 03; a private file publishes 03 or 04, not both); --notebooks adds 04, which a
# synthetic file of the generator's (sealed, so not private) may publish beside 03
PILOT_NOTEBOOKS = ("02_pilot_participants", "03_outcome_models", "04_time_to_work")
REAL_FILE_ROUTE = PILOT_NOTEBOOKS[:2]
RUN = """  {notebook}:
    - parameters: {{participants_path: "{participants}", status_history_path: "{history}"}}
"""


def report_argv(participants: Path, history: Path, tmp: Path, workers: str = "auto",
                notebooks: tuple[str, ...] = REAL_FILE_ROUTE) -> list[str]:
    """The arguments of ``python -m analysis report`` for the benchmark's runs: one run of each
    of ``notebooks`` on the population, from a folder holding those notebooks only (a notebook
    of the folder without a run in the configuration would run with its defaults)."""
    from analysis import paths

    folder = tmp / "notebooks"
    folder.mkdir(exist_ok=True)
    for name in notebooks:
        shutil.copyfile(paths.NOTEBOOKS / f"{name}.ipynb", folder / f"{name}.ipynb")
    config = "runs:\n" + "".join(RUN.format(notebook=name, participants=participants, history=history)
                                  for name in notebooks)
    (tmp / "bench.yml").write_text(config, encoding="utf-8")
    return ["--notebooks", str(folder), "--config", str(tmp / "bench.yml"), "--reports",
            str(tmp / "reports"), "--only", notebooks[0], "-j", workers, "--force", "--no-wait",
            "-p", f"processed_dir={tmp / 'processed'}"]


def run_one(n: int, workers: str = "auto", notebooks: tuple[str, ...] = REAL_FILE_ROUTE) -> dict:
    """Generate the population of ``n`` and run the report on it, in this process."""
    with tempfile.TemporaryDirectory(prefix=f"vwnw-bench-{n}-") as tmp_:
        tmp = Path(tmp_)
        with instrumented.PeakRSS() as mem:  # in a process of its own: the runner starts clean
            start = time.perf_counter()
            subprocess.run([sys.executable, population.__file__, "--n", str(n), "--out", str(tmp / "data")],
                           check=True, capture_output=True)
            participants = tmp / "data" / population.participants_name(n)
            history = tmp / "data" / population.history_name(n)
            generate = {"seconds": time.perf_counter() - start, "peak_mib": mem.peak / 2**20,
                        "csv_mib": (participants.stat().st_size + history.stat().st_size) / 2**20}
        result = instrumented.run(report_argv(participants, history, tmp, workers, notebooks), tmp / "work")
    return {"n": n, "generate": generate, **result}


class BenchmarkFailed(RuntimeError):
    """The report run (or the generation) failed at one N; the message says where."""


def run_in_fresh_process(n: int, workers: str, notebooks: tuple[str, ...] = REAL_FILE_ROUTE) -> dict:
    """One N in a process of its own. The population is not a shipped file, so the report
    treats it as private: its validated copies and the checker's material go to the private
    folder, here a temporary one (``VWNW_PRIVATE_DIR``), not the project's ``data/raw/private``
    (where a million-row benchmark left hundreds of MiB of Parquet)."""
    with tempfile.TemporaryDirectory(prefix="bench-private-") as private:
        env = dict(os.environ, VWNW_PRIVATE_DIR=os.environ.get("VWNW_PRIVATE_DIR") or private)
        proc = subprocess.run([sys.executable, __file__, "--one", str(n), "--workers", workers,
                               "--notebooks", *notebooks],
                              capture_output=True, text=True, env=env)
    lines = proc.stdout.strip().splitlines()
    if proc.returncode or not lines:
        errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
        raise BenchmarkFailed(f"benchmark at N = {n:,} failed (exit {proc.returncode}): "
                              + ("\n".join(errors) if errors else proc.stderr[-4000:]))
    return json.loads(lines[-1])


def targets_note(r: dict) -> str:
    notes = []
    if r["n"] >= TARGET_N_SECONDS:
        over = r["wall"] - TARGET_SECONDS
        notes.append(f"< {TARGET_SECONDS} s: " + ("met" if over < 0 else f"MISSED by {over:.1f} s"))
    if r["n"] >= TARGET_N_GIB:
        over = r["peak_mib"] / 1024 - TARGET_GIB
        notes.append(f"< {TARGET_GIB:g} GiB: " + ("met" if over < 0 else f"MISSED by {over:.2f} GiB"))
    return "; ".join(notes)


def print_result(r: dict) -> None:
    n = r["n"]
    g = r["generate"]
    print(f"{n:>10,}  {'generate (not timed)':<26} {g['seconds']:8.2f} {'':>8} {g['peak_mib']:9.0f}  "
          f"{g['csv_mib']:.0f} MiB of CSV")
    for stage in stage_timing.STAGES:
        s = r["stages"].get(stage)
        if s:
            note = ""
            if stage == "gate: integer programmes":
                ip = r["integer_programmes"]
                note = f"{ip['count']} programmes, at most {ip['max_variables']} variables"
            print(f"{n:>10,}  {stage:<26} {s['wall']:8.2f} {s['cpu']:8.2f} {'':>9}  {note}")
    for name, run in r["runs"].items():
        print(f"{n:>10,}  {'run ' + name:<26} {run['duration'] or 0:8.2f} {'':>8} "
              f"{r['kernel_peak_mib'].get(name, 0):9.0f}  kernel start {run['kernel_start']:.1f} s, imports "
              f"{run['imports_cell']:.1f} s, other cells {run['other_cells']:.1f} s")
    print(f"{n:>10,}  {'pipeline (wall)':<26} {r['wall']:8.2f} {'':>8} {r['peak_mib']:9.0f}  "
          f"{r['pages']} pages, largest {r['largest_page_kib']:.0f} KiB. {targets_note(r)}", flush=True)
    if r["missing_targets"]:
        print(f"            not timed (moved or renamed): {', '.join(r['missing_targets'])}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, nargs="+", default=[30, 10_000, 1_000_000, 2_000_000])
    ap.add_argument("--repeat", type=int, default=1, help="runs per N (the median by pipeline time is shown)")
    ap.add_argument("--workers", default="auto", help="the runner's -j (default: its own default)")
    ap.add_argument("--json", type=Path, help="also write every result to this file")
    ap.add_argument("--notebooks", nargs="+", default=list(REAL_FILE_ROUTE), choices=PILOT_NOTEBOOKS,
                    help="the pilot notebooks run on the population (default: 02 and 03, a real file's route; "
                         "the first leads)")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: one N in this process, print JSON
    args = ap.parse_args()
    if args.one is not None:
        result = run_one(args.one, args.workers, tuple(args.notebooks))
        print(json.dumps(result))
        return result["exit_code"]
    print(f"{'N':>10}  {'stage':<26} {'wall s':>8} {'CPU s':>8} {'peak MiB':>9}  note")
    results, failures = [], []
    for n in args.n:  # a failure at one N is reported and the next N still runs
        try:
            repeats = sorted((run_in_fresh_process(n, args.workers, tuple(args.notebooks))
                              for _ in range(args.repeat)),
                             key=lambda r: r["wall"])
        except BenchmarkFailed as exc:
            print(f"{n:>10,}  FAILED: {exc}", flush=True)
            failures.append({"n": n, "failed": str(exc)})
            continue
        chosen = repeats[len(repeats) // 2]
        if args.repeat > 1:
            chosen["repeats_wall"] = [round(r["wall"], 2) for r in repeats]
            chosen["median_wall"] = statistics.median(r["wall"] for r in repeats)
        print_result(chosen)
        results.append(chosen)
    if args.json:
        args.json.write_text(json.dumps(results + failures, indent=1) + "\n", encoding="utf-8")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
