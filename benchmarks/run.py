"""Scale benchmark (``make bench``; not part of ``make test``): wall time and peak memory of
each pipeline stage on synthetic participant files of N rows.

    python benchmarks/run.py --n 30 10000 1000000 [--repeat 3]

Each N runs in its own process, so memory is measured per N. Stages, in order:

- **generate**: draw N synthetic participants and write them as the raw CSV a case manager
  would export;
- **validate**: read that CSV as text and validate it (schema, ranges, cross-column rules);
- **prepare**: store the validated frame as Parquet in a ``processed`` folder (as the
  notebooks do with ``data/processed``) and derive the analysis frame;
- **tables**: the report's Figure 7-13 counts, with disclosure control;
- **models**: notebook 03's models (Firth, with Wald intervals above 10,000 rows; ML logit,
  linear probability, exact or asymptotic tests);
- **figures**: Figures 7-13 written as PNG and SVG (aggregates only, never one mark per person);
- **HTML**: the runner executes notebooks 02 and 03 on the file (their kernels read the
  prepared Parquet) and publishes HTML; the size of the largest page is reported.

Peak memory per stage is the highest resident set size of the benchmark process plus its
kernels, sampled every 5 ms while the stage runs (the HTML stage has two kernels at once).
``end to end`` is the sum of the stages' times and the highest of their peaks. Each N runs
``--repeat`` times (default 3): stage times are medians, ``end to end`` the median total.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

TARGET_SECONDS, TARGET_GIB = 60, 4.0
PAGE = resource.getpagesize()


class PeakRSS:
    """Highest resident set size of this process plus its child processes (the notebook
    kernels) while the ``with`` block runs, sampled every 5 ms."""

    def __enter__(self):
        self.peak, self._stop = self._rss(), threading.Event()
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

    @classmethod
    def _rss(cls) -> int:
        pid = os.getpid()
        kids = set()
        for children in Path(f"/proc/{pid}/task").glob("*/children"):
            try:
                kids.update(children.read_text().split())
            except OSError:
                pass
        return cls._statm(pid) + sum(cls._statm(k) for k in kids)

    def _sample(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, self._rss())

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._rss())


def run_one(n: int) -> list[dict]:
    """All stages for N participants, in this process."""
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix=f"vwnw-bench-{n}-") as tmp_:
        _stages(n, Path(tmp_), rows)
    rows.append({"n": n, "stage": "end to end", "seconds": sum(r["seconds"] for r in rows),
                 "peak_mib": max(r["peak_mib"] for r in rows)})
    return rows


def _stages(n: int, tmp: Path, rows: list[dict]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import pandas as pd

    from analysis import paths
    from analysis.data import processed
    from analysis.data.loading import load_table
    from analysis.pilot import outcomes, tables as pilot_tables
    from analysis.pilot.schema import PARTICIPANTS
    from analysis.pilot.synthetic import generate_participants, write_participants
    from analysis.pipeline import runner, runs as run_config
    from analysis.pipeline.export import configure_matplotlib, write_figure
    from analysis.presentation import plots
    from analysis.stats import disclosure, models

    runner.skip_slow_optional_imports()
    configure_matplotlib()
    raw, processed_dir = tmp / f"participants_{n}.csv", tmp / "processed"

    def stage(name, fn, extra=None):
        with PeakRSS() as mem:
            start = time.perf_counter()
            out = fn()
            seconds = time.perf_counter() - start
        rows.append({"n": n, "stage": name, "seconds": seconds, "peak_mib": mem.peak / 2**20, **(extra or {})})
        return out

    stage("generate", lambda: write_participants(generate_participants(n), raw))
    df = stage("validate", lambda: load_table(raw, PARTICIPANTS))

    def prepare():
        processed.write(df, raw, processed.cache_key(raw, PARTICIPANTS.name), processed_dir)
        return outcomes.analysis_frame(df, "work", "2021-04-16", "stayed")

    frame, _ = stage("prepare", prepare)

    def tables():
        counts = pilot_tables.figure_tables(df, "2021-04-01")
        return {k: disclosure.protect(t, 10) for k, t in counts.items()}

    protected = stage("tables", tables)
    terms = ["triage", "opleiding"]
    stage("models", lambda: (models.firth_logit(frame, terms), models.ml_logit(frame, terms),
                             models.linear_probability(frame, terms),
                             [models.exact_tests(frame, g) for g in terms]))

    def figures():
        import matplotlib.pyplot as plt

        for name, t in protected.items():
            fig = plots.grouped_counts(t, name) if isinstance(t, pd.DataFrame) else plots.bar_counts(t, name)
            write_figure(fig, tmp / "figures" / name)
            plt.close(fig)

    stage("figures", figures)

    def html():
        common = {"participants_path": str(raw), "processed_dir": str(processed_dir)}
        runs = [run_config.NotebookRun("02", paths.NOTEBOOKS / "02_pilot_participants.ipynb", common),
                run_config.NotebookRun("03", paths.NOTEBOOKS / "03_outcome_models.ipynb",
                                   dict(common, power_ns=[30, max(n, 31)]))]
        runner.run_report(runs, tmp / "reports", workers=2, force=True, log=lambda *_: None)
        pages = list((tmp / "reports" / "html").rglob("*.html"))
        return max(p.stat().st_size for p in pages)

    df = frame = protected = None  # the notebooks' kernels hold their own copies
    gc.collect()
    with PeakRSS() as mem:
        start = time.perf_counter()
        largest = html()
        seconds = time.perf_counter() - start
    rows.append({"n": n, "stage": "HTML (notebooks 02, 03)", "seconds": seconds,
                 "peak_mib": mem.peak / 2**20, "largest_page_kib": largest / 1024})


def summarise(repeats: list[list[dict]]) -> list[dict]:
    """Per stage: the median time and the highest peak over the repeats; ``end to end``
    is the median of the repeats' totals."""
    out = []
    for stage_rows in zip(*repeats):
        first = stage_rows[0]
        out.append(dict(first, seconds=statistics.median(r["seconds"] for r in stage_rows),
                        peak_mib=max(r["peak_mib"] for r in stage_rows)))
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, nargs="+", default=[30, 10_000, 1_000_000])
    ap.add_argument("--repeat", type=int, default=3, help="runs per N (median time, highest peak)")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: run one N, print JSON
    args = ap.parse_args()
    if args.one is not None:
        print(json.dumps(run_one(args.one)))
        return 0
    print(f"median of {args.repeat} runs per N, each in a fresh process")
    print(f"{'N':>10}  {'stage':<24} {'seconds':>8} {'peak MiB':>9}  note")
    for n in args.n:
        repeats = []
        for _ in range(args.repeat):
            proc = subprocess.run([sys.executable, __file__, "--one", str(n)], capture_output=True, text=True)
            if proc.returncode:
                print(proc.stderr, file=sys.stderr)
                return proc.returncode
            repeats.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        for r in summarise(repeats):
            note = f"largest HTML page {r['largest_page_kib']:.0f} KiB" if "largest_page_kib" in r else ""
            if r["stage"] == "end to end":
                totals = ", ".join(f"{rep[-1]['seconds']:.1f}" for rep in repeats)
                note = f"runs: {totals} s"
                if n >= 1_000_000:
                    ok_t, ok_m = r["seconds"] < TARGET_SECONDS, r["peak_mib"] < TARGET_GIB * 1024
                    note += (f"; target < {TARGET_SECONDS} s: "
                             + ("met" if ok_t else f"MISSED by {r['seconds'] - TARGET_SECONDS:.1f} s")
                             + f"; < {TARGET_GIB:g} GiB: "
                             + ("met" if ok_m else f"MISSED by {r['peak_mib'] / 1024 - TARGET_GIB:.2f} GiB"))
            print(f"{n:>10,}  {r['stage']:<24} {r['seconds']:8.2f} {r['peak_mib']:9.0f}  {note}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
