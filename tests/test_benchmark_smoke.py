"""The benchmarks cannot rot: their population passes the project's validation, the gate
benchmark runs, and the scale benchmark runs the report's real path end to end at small N
(slow: it starts kernels)."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from analysis import paths

BENCH = paths.PROJECT_ROOT / "benchmarks"
sys.path.insert(0, str(BENCH))
import gate_scaling  # noqa: E402
import population  # noqa: E402
import stage_timing  # noqa: E402

WORK = ("nieuwe_baan", "werk_en_scholing")


def _replayed(history: pd.DataFrame, day: str) -> dict[str, str]:
    """Each person's status on ``day``, replaying the records one by one (independent of
    analysis.pilot.history)."""
    status: dict[str, tuple[str, str]] = {}
    for person, when, what in zip(history["deelnemer_id"], history["datum"].astype(str), history["status"]):
        if when[:10] <= day and (person not in status or when >= status[person][0]):
            status[person] = (when, what)
    return {p: s for p, (_, s) in status.items()}


@pytest.mark.parametrize("n", [30, 1000])
def test_population_passes_the_projects_validation_and_agrees_with_its_history(tmp_path, n):
    p_path, h_path = population.write_population(n, tmp_path)
    participants, history = population.validate_population(p_path, h_path)  # raises on any problem
    assert len(participants) == n and participants["deelnemer_id"].is_unique
    raw = pd.read_csv(h_path, dtype=str)
    for day, column in (("2021-04-01", "status_20210401"), ("2021-04-16", "status_20210416")):
        replayed = _replayed(raw, day)
        assert {p: str(s) for p, s in zip(participants["deelnemer_id"], participants[column])} == replayed
    first_work = raw[raw["status"].isin(WORK)].groupby("deelnemer_id")["datum"].min()
    have = participants.set_index("deelnemer_id")["uitstroomdatum"].dropna().dt.strftime("%Y-%m-%d")
    assert have.sort_index().to_dict() == first_work.sort_index().to_dict()


def test_population_has_training_episodes_that_leave_the_snapshots_alone(tmp_path):
    participants, history = population.population(1000)
    episode = set(history.loc[history["status"] == "opleiding", "deelnemer_id"])
    mediation = set(participants.loc[(participants["status_20210401"] == "in_bemiddeling")
                                     & (participants["status_20210416"] == "in_bemiddeling"), "deelnemer_id"])
    assert len(episode & mediation) > 0.2 * len(mediation)  # a third of them, by default
    per_person = history.groupby("deelnemer_id").size()
    assert per_person[list(episode & mediation)].min() >= 3  # registration, training, back


def test_population_files_are_deterministic(tmp_path):
    first = population.write_population(300, tmp_path / "a")
    second = population.write_population(300, tmp_path / "b")
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes()


def test_every_timed_function_still_exists():
    # a renamed or moved function would silently drop out of its stage's time
    assert stage_timing.missing() == []


def test_gate_benchmark_atoms_do_not_grow_with_n():
    small, larger = gate_scaling.measure(30, 10), gate_scaling.measure(300, 10)
    assert small["atoms"] == larger["atoms"] > 0
    assert small["cells"] == larger["cells"] > 0
    assert small["programmes"] > 0  # 30 persons at threshold 10: cells are suppressed and attacked
    assert small["gate_peak_mib"] > 0


@pytest.mark.slow
def test_scale_benchmark_runs_the_report_path_end_to_end(tmp_path):
    out = tmp_path / "bench.json"
    proc = subprocess.run([sys.executable, str(BENCH / "run.py"), "--n", "30", "--json", str(out)],
                          capture_output=True, text=True, cwd=tmp_path, timeout=1200)
    assert proc.returncode == 0, proc.stderr[-3000:] + proc.stdout[-3000:]
    results = json.loads(out.read_text())
    assert [r["n"] for r in results] == [30]
    for r in results:
        assert r["exit_code"] == 0 and r["missing_targets"] == []
        assert {"02_pilot_participants", "03_outcome_models"} <= set(r["runs"])  # (and what runs with them)
        assert all(run["duration"] > 0 and run["other_cells"] > 0 for run in r["runs"].values())
        for stage in ("validate", "prepare", "release/gate", "tables", "figures", "models", "pages"):
            assert r["stages"][stage]["calls"] > 0, stage
        assert r["pages"] >= 4 and r["largest_page_kib"] > 0
        figures = r["figures_per_page"]  # the pages measured are the report's: each shows every figure its run made
        assert figures["02_pilot_participants"]["made"] >= 1, figures
        assert all(f["shown"] == f["made"] for f in figures.values()), figures
        assert r["peak_mib"] > max(r["kernel_peak_mib"].values()) > 0
    assert results[0]["integer_programmes"]["count"] > 0


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_history_validation_finds_the_same_issues_as_the_group_by_reference(seed):
    import history_validation

    old, new = history_validation.corrupted(300, seed)
    assert len(old) >= 10  # every kind of problem is there: the comparison is not vacuous
    assert {rule.split(" (")[0] for *_, rule in old} >= {
        "every person in the status history must be a participant", "one status per person per date",
        "every participant needs a status on or before 2021-04-01"}
    assert new == old


@pytest.mark.parametrize("cutoff", ["2021-03-01", "2021-04-01", "2021-04-16", "2021-06-30"])
def test_status_at_is_the_replayed_status(cutoff):
    from analysis.pilot.history import status_at

    _, history = population.population(1000)
    shuffled = history.sample(frac=1.0, random_state=3).reset_index(drop=True)
    got = status_at(shuffled, cutoff)
    replayed = _replayed(shuffled.astype({"datum": str}), cutoff)
    assert {str(k): str(v) for k, v in got.items()} == replayed
    assert got.index.is_monotonic_increasing and got.dtype == history["status"].dtype
