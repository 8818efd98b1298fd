"""How the joint disclosure gate grows with N (``make bench``; a smoke run at small N is in
the test suite).

    python benchmarks/gate_scaling.py --n 30 300 10000 100000 1000000 2000000 [--threshold 10]

For each N, in a fresh process, on the benchmark population (:mod:`population`) with a
status column for every published cut-off date (as the notebooks make it:
:func:`analysis.pilot.history.with_cutoffs`):

- **atoms, cells**: the finest cells the intruder reasons with (every codebook combination
  of each block's variables) and the published cells; fixed by the codebook and the
  tables, whatever N;
- **count**: building the release's blocks (:func:`analysis.pilot.tables.pilot_release`:
  one pass over the rows per block), the part that grows with N (wall and CPU seconds:
  on a shared machine the CPU time is the steadier figure);
- **gate**: notebook 02's joint release of every table at every published date
  (:func:`analysis.pilot.tables.joint_figure_tables`), its attack (``Release.check``) and
  notebook 03's release linked to it (:func:`analysis.pilot.tables.model_release`), with the
  number of integer programmes (:func:`scipy.optimize.milp` calls), their largest number of
  variables and the time spent in them;
- **memory**: the peak of Python and NumPy allocations during the gate (``tracemalloc``, a
  second pass; includes the release frame built from the rows), beside the participant
  frame's own size.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import population  # noqa: E402


def gate(df, threshold: int) -> dict:
    """One pass of the gate on ``df``: times, programmes, atoms and cells."""
    from analysis.pilot import tables
    from analysis.stats import output_gate

    calls = []
    solve = output_gate.milp

    def counted(c, *args, **kwargs):
        start = time.perf_counter()
        try:
            return solve(c, *args, **kwargs)
        finally:
            calls.append((len(c), time.perf_counter() - start))

    output_gate.milp = counted
    try:
        t0, c0 = time.perf_counter(), time.process_time()
        release = tables.pilot_release(df, threshold, df.attrs["published_cutoffs"])
        t1, c1 = time.perf_counter(), time.process_time()
        by_date, _, joint = tables.joint_figure_tables(df, threshold, cutoffs=df.attrs["published_cutoffs"])
        joint.check()
        t2 = time.perf_counter()
        model = tables.model_release(df, ["triage", "opleiding"], "work", "2021-04-16", "stayed", threshold, by_date)
        model.check()
        t3, c3 = time.perf_counter(), time.process_time()
    finally:
        output_gate.milp = solve
    return {"count_s": t1 - t0, "joint_s": t2 - t1, "model_s": t3 - t2, "gate_s": t3 - t1,
            "count_cpu_s": c1 - c0, "gate_cpu_s": c3 - c1,
            "programmes": len(calls), "max_variables": max((v for v, _ in calls), default=0),
            "programmes_s": sum(s for _, s in calls),
            "atoms": sum(len(b.atoms) for b in release.blocks.values()),
            "cells": len(joint.cells) + len(model.cells)}


def measure(n: int, threshold: int) -> dict:
    from analysis.pilot import history as pilot_history
    from analysis.pilot.tables import published_cutoffs

    participants, hist = population.population(n)
    df = pilot_history.with_cutoffs(participants, hist, published_cutoffs("2021-04-01"))
    out = {"n": n, "threshold": threshold, "frame_mib": df.memory_usage(deep=True).sum() / 2**20,
           **gate(df, threshold)}
    tracemalloc.start()
    gate(df, threshold)
    out["gate_peak_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, nargs="+", default=[30, 300, 10_000, 100_000, 1_000_000, 2_000_000])
    ap.add_argument("--threshold", type=int, default=10)
    ap.add_argument("--json", type=Path, help="also write the rows to this file")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one is not None:
        print(json.dumps(measure(args.one, args.threshold)))
        return 0
    print(f"{'N':>10} {'atoms':>6} {'cells':>6} {'count s':>8} {'gate s':>7} {'gate CPU':>8} {'IPs':>5} "
          f"{'max vars':>8} {'IP s':>6} {'gate MiB':>9} {'frame MiB':>9}")
    rows = []
    for n in args.n:
        proc = subprocess.run([sys.executable, __file__, "--one", str(n), "--threshold", str(args.threshold)],
                              capture_output=True, text=True)
        if proc.returncode:
            print(proc.stderr[-4000:], file=sys.stderr)
            return proc.returncode
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        rows.append(r)
        print(f"{n:>10,} {r['atoms']:>6} {r['cells']:>6} {r['count_s']:8.2f} {r['gate_s']:7.2f} "
              f"{r['gate_cpu_s']:8.2f} {r['programmes']:>5} {r['max_variables']:>8} {r['programmes_s']:6.2f} "
              f"{r['gate_peak_mib']:9.1f} {r['frame_mib']:9.0f}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
