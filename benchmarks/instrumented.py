"""One report run on its real path (``python -m analysis report`` with the given arguments,
in this process), with per-stage timings (:mod:`stage_timing`) and the peak resident memory
of this process and every process it starts (the notebook kernels), sampled every 5 ms.

    python benchmarks/instrumented.py -- <arguments of python -m analysis report>

prints one JSON object: wall time and exit code of the run, peak memory, the stages'
exclusive wall and CPU seconds (summed over the runner and its kernels, so with two kernels
they can add up to more than the wall time), per notebook run its duration, kernel start
(papermill's start to the first cell), the imports cell, the other cells and the HTML pages,
each kernel's own peak memory, and the integer programmes of the disclosure gate.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import stage_timing  # noqa: E402

PAGE = resource.getpagesize()


class PeakRSS:
    """Highest resident set size of this process plus all its descendants (kernels) while
    the ``with`` block runs, sampled every 5 ms from ``/proc``."""

    def __enter__(self):
        self.peak, self._stop = self.rss(), threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    @staticmethod
    def _statm(pid: int | str) -> int:
        try:
            with open(f"/proc/{pid}/statm") as fh:
                return int(fh.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            return 0  # the process has just ended

    @staticmethod
    def _children(pid: int | str) -> list[str]:
        out = []
        for children in Path(f"/proc/{pid}/task").glob("*/children"):
            try:
                out += children.read_text().split()
            except OSError:
                pass
        return out

    @classmethod
    def rss(cls) -> int:
        """Resident memory of this process and its descendants now."""
        todo, seen, total = [str(os.getpid())], set(), 0
        while todo:
            pid = todo.pop()
            if pid in seen:
                continue
            seen.add(pid)
            total += cls._statm(pid)
            todo += cls._children(pid)
        return total

    def _sample(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, self.rss())

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.rss())


def cell_times(executed: Path) -> dict:
    """From an executed notebook's papermill metadata: kernel start (notebook start to the
    first cell's start), the ``imports`` cell and the other cells, in seconds."""
    import nbformat

    nb = nbformat.read(executed, as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "code" and c.metadata.get("papermill", {}).get("start_time")]
    meta = nb.metadata.get("papermill", {})
    start = _time(meta.get("start_time"))
    first = _time(cells[0].metadata["papermill"]["start_time"]) if cells else start
    imports = sum(c.metadata["papermill"].get("duration") or 0 for c in cells
                  if "imports" in c.metadata.get("tags", []))
    total = sum(c.metadata["papermill"].get("duration") or 0 for c in cells)
    return {"kernel_start": max(first - start, 0.0), "imports_cell": imports, "other_cells": total - imports,
            "executed": meta.get("duration") or 0.0}


def _time(text: str | None) -> float:
    from datetime import datetime

    return datetime.fromisoformat(text).timestamp() if text else 0.0


def figures_per_page(reports: Path) -> dict[str, dict[str, int]]:
    """Per run: the figures it made (PNG files among its outputs) and those its reviewer page
    shows (screen images). A page that shows fewer measured a page that is not the report's (a
    generated population's pages were empty while the runner and the kernel judged the file
    differently)."""
    from analysis.pipeline.state import read_state

    out = {}
    for run, entry in sorted(read_state(reports).items()):
        page = reports / "html" / "reviewer" / f"{run}.html"
        made = sum(1 for o in entry.get("outputs", {}) if o.startswith("figures/") and o.endswith(".png"))
        shown = page.read_text(encoding="utf-8").count('<img class="vwnw-screen"') if page.is_file() else 0
        out[run] = {"made": made, "shown": shown}
    return out


def summarise(rows: list[dict], reports: Path) -> dict:
    """Stages, runs, kernels and integer programmes from the logged calls."""
    stages: dict[str, dict] = defaultdict(lambda: {"wall": 0.0, "cpu": 0.0, "calls": 0})
    pid_run = {r["pid"]: r["run"] for r in rows if r["function"] == "ReportOutputs.create" and "run" in r}
    runs: dict[str, dict] = defaultdict(lambda: defaultdict(float))
    kernels: dict[int, float] = defaultdict(float)
    ips = {"count": 0, "wall": 0.0, "cpu": 0.0, "max_variables": 0}
    functions: dict[str, float] = defaultdict(float)
    functions_cpu: dict[str, float] = defaultdict(float)
    for r in rows:
        functions[f"{r['stage']}: {r['function']}"] += r["wall"]
        functions_cpu[f"{r['stage']}: {r['function']}"] += r["cpu"]
        s = stages[r["stage"]]
        s["wall"] += r["wall"]
        s["cpu"] += r["cpu"]
        s["calls"] += 1
        run = r.get("run") or pid_run.get(r["pid"])
        if run:
            runs[run][r["stage"]] += r["wall"]
        if r["pid"] in pid_run:
            kernels[r["pid"]] = max(kernels[r["pid"]], r["peak_rss_mib"])
        if r["function"] == "milp":
            ips["count"] += 1
            ips["wall"] += r["wall"]
            ips["cpu"] += r["cpu"]
            ips["max_variables"] = max(ips["max_variables"], r.get("variables", 0))
    from analysis.pipeline.state import read_state

    state = read_state(reports)
    per_run = {}
    for executed in sorted((reports / "executed").glob("*.ipynb")):
        name = executed.stem
        per_run[name] = {"duration": state.get(name, {}).get("duration"), **cell_times(executed),
                         "stages": dict(runs.get(name, {}))}
    pages = list((reports / "html").rglob("*.html"))
    return {"stages": dict(stages), "runs": per_run,
            "functions": dict(sorted(functions.items(), key=lambda kv: -kv[1])),
            "functions_cpu": {k: round(v, 3) for k, v in sorted(functions_cpu.items(), key=lambda kv: -kv[1])},
            "kernel_peak_mib": {pid_run[p]: round(v, 1) for p, v in kernels.items()},
            "integer_programmes": ips, "pages": len(pages), "figures_per_page": figures_per_page(reports),
            "largest_page_kib": max((p.stat().st_size for p in pages), default=0) / 1024}


def run(argv: list[str], workdir: Path) -> dict:
    """``python -m analysis report <argv>`` in this process, instrumented; ``workdir`` holds
    the timings and the kernels' IPython profile."""
    from analysis.pipeline import runner

    timings, ipython = workdir / "timings", workdir / "ipython"
    timings.mkdir(parents=True, exist_ok=True)
    stage_timing.kernel_startup(ipython)
    os.environ[stage_timing.ENV] = str(timings)
    os.environ["IPYTHONDIR"] = str(ipython)
    runner.skip_slow_optional_imports()
    stage_timing.install()
    with PeakRSS() as mem:
        start = time.perf_counter()
        code = runner.main(argv)
        wall = time.perf_counter() - start
    reports = Path(argv[argv.index("--reports") + 1])
    return {"exit_code": code, "wall": wall, "peak_mib": mem.peak / 2**20,
            "missing_targets": stage_timing.missing(), **summarise(stage_timing.read(timings), reports)}


def main() -> int:
    argv = sys.argv[1:]
    if argv[:1] == ["--"]:
        argv = argv[1:]
    with tempfile.TemporaryDirectory(prefix="vwnw-instrumented-") as tmp:
        result = run(argv, Path(tmp))
    print(json.dumps(result))
    return result["exit_code"]


if __name__ == "__main__":
    sys.exit(main())
