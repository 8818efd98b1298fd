"""Notebook 04's computation (time to work) stage by stage at N participants, in one process.

    python benchmarks/time_to_work_stages.py --n 10000 1000000 [--json F]

The population is :mod:`population`'s (written as the raw CSV files and read back with the
project's loaders, as the report does). Then, as notebook 04's cells call them on synthetic
data: the durations of every origin and definition (``time_to_work.durations``), the merged
intervals (``release.survival.merged_curves``), and the published tables
(``release.survival.published_tables``: curves, six-month estimates, log-rank tests, Cox
models), each with its wall and CPU seconds and the process's peak resident memory at its end
(``VmHWM``, reset before each stage where the kernel allows). Nothing is re-implemented: run
it with ``PYTHONPATH=<another checkout>/src`` to time another version of the same functions
(docs/performance.md does so for the version before 2026-12-05 22:30).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import population  # noqa: E402

CUTOFF = "2021-04-16"
DEFINITIONS = ("work", "work_or_education")
ORIGINS = ("start", "inflow")
GROUPINGS = ("triage", "opleiding")


def _peak_mib(reset: bool = False) -> float:
    """Peak resident memory of this process (MiB); with ``reset``, start a new peak."""
    if reset:
        try:
            Path("/proc/self/clear_refs").write_text("5")
        except OSError:
            pass
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _stage(results: dict, name: str, fn):
    _peak_mib(reset=True)
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    results[name] = {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu, "peak_mib": _peak_mib()}
    return out


def run(n: int, folder: Path) -> dict:
    from analysis.pilot import inputs as pilot_inputs, time_to_work
    from analysis.pilot.history import load_history
    from analysis.release import survival as release_survival
    from analysis.stats import survival

    p_path, h_path = population.write_population(n, folder)
    stages: dict = {}
    participants = _stage(stages, "validate participants", lambda: pilot_inputs.load_participants(p_path, None))
    history = _stage(stages, "validate history", lambda: load_history(h_path, participants))
    by_origin = _stage(stages, "durations", lambda: {o: {d: time_to_work.durations(participants, history, d, o, CUTOFF)
                                                          for d in DEFINITIONS} for o in ORIGINS})
    curves = _stage(stages, "merged intervals", lambda: release_survival.merged_curves(
        by_origin, list(GROUPINGS), 10, [survival.SIX_MONTHS]))
    tables = _stage(stages, "published tables", lambda: release_survival.published_tables(
        release_survival.SurvivalRelease(curves), by_origin))
    return {"n": n, "stages": stages, "rows": {k: len(v) for k, v in tables.items()},
            "computation_wall": sum(stages[s]["wall"] for s in ("durations", "merged intervals", "published tables"))}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, nargs="+", default=[10_000, 1_000_000])
    ap.add_argument("--json", type=Path, help="also write the results to this file")
    args = ap.parse_args(argv)
    results = []
    for n in args.n:
        with tempfile.TemporaryDirectory() as tmp:
            r = run(n, Path(tmp))
        results.append(r)
        print(f"N = {n:,}: durations + intervals + tables {r['computation_wall']:.2f} s wall")
        for name, s in r["stages"].items():
            print(f"  {name:<22} {s['wall']:8.2f} s wall {s['cpu']:8.2f} s CPU  peak {s['peak_mib']:8.0f} MiB")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
