"""Scale benchmark (``make bench``; not part of ``make test``): wall time and peak memory of
each pipeline stage on synthetic files of N participants.

    python benchmarks/run.py --n 30 10000 1000000

Stages: generate, write Parquet, load + validate, Figure 7-13 tables, Firth model (Wald
inference), figures. Peak memory is the process's maximum resident set size after the stage
(``resource.getrusage``), so it only grows.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from analysis import models, outcomes, pilot_tables, plots  # noqa: E402
from analysis.pilot_schema import load_participants  # noqa: E402
from analysis.pilot_synthetic import generate_participants, write_participants  # noqa: E402


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(n: int, tmp: Path) -> list[tuple[str, float, float]]:
    rows, t0 = [], time.perf_counter()

    def stage(name, fn):
        start = time.perf_counter()
        out = fn()
        rows.append((name, time.perf_counter() - start, peak_mib()))
        return out

    df = stage("generate", lambda: generate_participants(n))
    path = tmp / f"p{n}.parquet"
    stage("write parquet", lambda: write_participants(df, path))
    df = stage("load + validate", lambda: load_participants(path))
    tables = stage("tables (Fig 7-13)", lambda: pilot_tables.figure_tables(df))
    frame, _ = outcomes.analysis_frame(df)

    def firth():
        from firthmodels.adapters.statsmodels import FirthLogit

        rows_ = models.model_rows(frame, ["triage", "opleiding"])
        return FirthLogit(rows_["y"].to_numpy(), models.design(rows_, ["triage", "opleiding"])).fit(pl=False)

    stage("model (Firth, Wald)", firth)
    stage("figures", lambda: [plots.bar_counts(t, k) for k, t in tables.items() if t.ndim == 1])
    rows.append(("total", time.perf_counter() - t0, peak_mib()))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, nargs="+", default=[30, 10_000, 1_000_000])
    args = ap.parse_args()
    print(f"{'N':>10}  {'stage':<22} {'seconds':>8} {'peak MiB':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.n:
            for name, sec, mib in run(n, Path(tmp)):
                print(f"{n:>10,}  {name:<22} {sec:8.2f} {mib:9.0f}")
    print("targets (issue 7): N = 1,000,000 end to end < 60 s and < 4096 MiB")


if __name__ == "__main__":
    main()
