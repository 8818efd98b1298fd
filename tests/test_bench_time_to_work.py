"""benchmarks/time_to_work_stages.py cannot rot: it runs notebook 04's computation at a
small N and reports every stage; its stages are timed in the scale benchmark too."""

from __future__ import annotations

import json
import sys

from analysis import paths

BENCH = paths.PROJECT_ROOT / "benchmarks"
sys.path.insert(0, str(BENCH))
import stage_timing  # noqa: E402
import time_to_work_stages  # noqa: E402


def test_the_time_to_work_benchmark_runs_every_stage(tmp_path):
    out = tmp_path / "ttw.json"
    assert time_to_work_stages.main(["--n", "300", "--json", str(out)]) == 0
    (r,) = json.loads(out.read_text())
    assert r["n"] == 300 and list(r["stages"]) == ["validate participants", "validate history", "durations",
                                                   "merged intervals", "published tables"]
    assert all(s["wall"] >= 0 and s["cpu"] >= 0 and s["peak_mib"] > 0 for s in r["stages"].values())
    assert r["rows"]["curves"] > 0 and r["rows"]["six_months"] > 0


def test_the_scale_benchmark_times_notebook_04():
    targets = {(module, name): stage for module, name, stage in stage_timing.TARGETS}
    assert targets[("analysis.pilot.time_to_work", "durations")] == "survival"
    assert targets[("analysis.release.survival", "published_tables")] == "survival"
    assert "survival" in stage_timing.STAGES
    assert not stage_timing.missing()  # every timed function exists
