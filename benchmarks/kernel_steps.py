"""The steps of the pilot kernels that issue 29's scale work changed, timed in one process.

    python benchmarks/kernel_steps.py --n 1000000 [--data DIR] [--json F]
    PYTHONPATH=<another checkout>/src python benchmarks/kernel_steps.py --n 1000000   # that version

Generates the benchmark population of N (:mod:`population`; or reads it from ``--data``),
sets up notebook 02's run on it as the notebook does (``setup``: validated copies in a
temporary folder), then times, in CPU seconds of this process:

- ``check_all``: the study's facts checked on the frame (notebook 02's constraints cell);
- ``joint_figure_tables``: notebook 02's joint release (Figures 7-13), made once;
- ``joint release, second kernel``: what another kernel of the same run pays for it
  (with :mod:`analysis.release.joint_once`: reading the stored release; before it: making
  it again), through ``run.figure_tables()`` of a second run context;
- ``analysis_frame``: notebook 03's analysis frame, its three calls (the notebook's own and
  the two of ``model_release``: the analysis population and everyone), in a run context of
  notebook 03 (its cut-off date);
- (since the morning of 2026-12-06) ``validate participants``: the participant file's
  validation without a validated copy (what the validating kernel pays), ``history span``:
  the status history's span, as often as setup needs it for the run's dates, and
  ``durations x4``: notebook 04's four durations (two definitions, two origins).

Stage timings of the whole report are ``benchmarks/run.py``'s; this script measures one
change at a time, so a before and an after can be run on the same files in the same hour.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import population  # noqa: E402


def timed(fn):
    start = time.process_time()
    value = fn()
    return value, time.process_time() - start


def measure(data: Path, n: int, folder: Path) -> dict:
    from analysis.release.run import declared, setup

    def context(notebook: str):
        ns = {**declared(notebook), "participants_path": str(data / population.participants_name(n)),
              "status_history_path": str(data / population.history_name(n)), "processed_dir": str(folder)}
        return setup(notebook, ns)

    from analysis.pilot import constraints, outcomes, tables

    run, setup_cpu = timed(lambda: context("02_pilot_participants"))
    out = {"n": n, "setup (validate, prepare)": setup_cpu}
    _, out["check_all"] = timed(lambda: constraints.check_all(run.participants, run.language))
    _, out["joint_figure_tables"] = timed(lambda: tables.joint_figure_tables(
        run.participants, run.threshold, "totaal", run.cutoffs, prior={}))
    run.figure_tables()  # this run context's own (made, and stored where the code stores it)
    second = context("02_pilot_participants")
    _, out["joint release, second kernel"] = timed(second.figure_tables)
    models = context("03_outcome_models")
    p = models.parameters

    def notebook_03_frames():  # the notebook's own call and model_release's two
        for group in (p["population"], p["population"], "all"):
            outcomes.analysis_frame(models.participants, p["outcome_definition"], models.cutoff, group)

    _, out["analysis_frame, notebook 03's three calls"] = timed(notebook_03_frames)
    from analysis.pilot import history, time_to_work
    from analysis.pilot.inputs import load_participants

    _, out["validate participants (no copy)"] = timed(
        lambda: load_participants(data / population.participants_name(n), None))

    def spans():  # once per date of the run, as setup checked them before; once since
        for _ in run.cutoffs:
            history.check_cutoff(run.cutoff, run.history)

    _, out["history span, per date of the run"] = timed(spans)

    def durations():
        for origin in ("start", "inflow"):
            for definition in ("work", "work_or_education"):
                time_to_work.durations(run.participants, run.history, definition, origin, models.cutoff)

    _, out["durations x4 (notebook 04)"] = timed(durations)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--data", type=Path, help="a folder holding the population of N (default: generate it)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="vwnw-kernel-steps-") as tmp_:
        tmp = Path(tmp_)
        data = args.data
        if data is None:
            data = tmp / "data"
            subprocess.run([sys.executable, population.__file__, "--n", str(args.n), "--out", str(data)], check=True,
                           capture_output=True)
        os.environ.setdefault("VWNW_PRIVATE_DIR", str(tmp / "private"))  # the population is no shipped file
        result = measure(data, args.n, tmp / "private" / "processed")
    for step, value in result.items():
        if step != "n":
            print(f"{args.n:>10,}  {step:<32} {value:8.2f} s CPU")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
