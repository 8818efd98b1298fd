"""Notebook 02's joint release made once per report run (analysis.release.joint_once): the
stored release is the one made fresh (the same tables, cells, log and later decisions), it
is keyed by everything it depends on, it lives in the folder of validated copies, and a
file under another key or a damaged one is made again, never unpickled."""

from __future__ import annotations

import hashlib
import pickle

import pandas as pd
import pytest

from analysis import paths
from analysis.pilot import tables as pilot_tables
from analysis.release import crosstab as xt, joint_once
from analysis.release.run import declared, setup

RAW = paths.PROJECT_ROOT / "data" / "raw"


def _run(notebook: str, processed, **overrides):
    ns = {**declared(notebook), "participants_path": str(RAW / "pilot_participants_synthetic.csv"),
          "status_history_path": str(RAW / "pilot_status_history_synthetic.csv"),
          "processed_dir": str(processed) if processed else "", **overrides}
    return setup(notebook, ns)


def _same_tables(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for date in a:
        assert a[date].keys() == b[date].keys()
        for name in a[date]:
            pd.testing.assert_frame_equal(pd.DataFrame(a[date][name]), pd.DataFrame(b[date][name]))
            assert a[date][name].attrs == b[date][name].attrs  # the release's mark and numbers


def test_the_stored_release_is_the_release_made_fresh_and_decides_the_same_afterwards(tmp_path, monkeypatch):
    run = _run("02_pilot_participants", tmp_path / "processed")
    fresh = pilot_tables.joint_figure_tables(run.participants, run.threshold, "totaal", run.cutoffs, prior={})
    first = joint_once.joint_figure_tables(run, {})  # made and stored
    assert len(list((tmp_path / "processed").glob("pilot_participants_synthetic.*.joint-release.pickle"))) == 1

    def refuse(*_, **__):
        raise AssertionError("made again")

    monkeypatch.setattr(pilot_tables, "joint_figure_tables", refuse)
    other = _run("03_outcome_models", tmp_path / "processed")  # another kernel of the run: reads it
    stored = joint_once.joint_figure_tables(other, {})
    for made in (first, stored):
        _same_tables(made[0], fresh[0])
        pd.testing.assert_frame_equal(made[1], fresh[1])
        assert made[2].shown_cells() == fresh[2].shown_cells() and made[2].log == fresh[2].log
    # the release goes on deciding as the fresh one does: a crosstab protected together with it
    frame = run.release_frame()
    tables = [xt.protected_crosstab(r, frame, "geslacht", "opleiding", "g_o") for r in (fresh[2], stored[2])]
    pd.testing.assert_frame_equal(tables[0], tables[1])
    assert stored[2].shown_cells() == fresh[2].shown_cells()


def test_notebook_03_links_its_models_to_the_stored_tables(tmp_path):
    run = _run("03_outcome_models", tmp_path / "processed")
    terms = [str(t) for t in run.parameters["predictors"]]
    linked = run.model_release(terms, run.parameters["outcome_definition"], run.parameters["population"])
    direct = pilot_tables.model_release(run.participants, terms, run.parameters["outcome_definition"], run.cutoff,
                                        run.parameters["population"], run.threshold)
    assert linked.shown_cells() == direct.shown_cells()
    assert list((tmp_path / "processed").glob("pilot_participants_synthetic.*.joint-release.pickle"))


def test_without_a_folder_of_validated_copies_it_is_made_directly():
    run = _run("02_pilot_participants", None)
    assert joint_once.folder_of(run) is None
    fresh = pilot_tables.joint_figure_tables(run.participants, run.threshold, "totaal", run.cutoffs, prior={})
    assert joint_once.joint_figure_tables(run, {})[2].shown_cells() == fresh[2].shown_cells()


def test_runs_of_other_thresholds_keep_their_own_files_and_old_ones_are_pruned(tmp_path):
    processed = tmp_path / "processed"
    for k in (1, 10):
        joint_once.joint_figure_tables(_run("02_pilot_participants", processed, min_cell_count=k), {})
    assert len(list(processed.glob("*.joint-release.pickle"))) == 2
    source = RAW / "pilot_participants_synthetic.csv"
    for i in range(joint_once.KEPT + 3):
        joint_once.write(joint_once.stored_path(processed, source, f"{i:016d}"), str(i), i)
    joint_once.prune(processed, source)
    assert len(list(processed.glob("*.joint-release.pickle"))) == joint_once.KEPT


KEY = dict(input_digests={"participants": "a" * 64, "status_history": "b" * 64}, study="s", cutoffs=["2021-04-01"],
           threshold=10, total="totaal", prior={}, code="c", versions={"pandas": "2"})


@pytest.mark.parametrize("change", [
    {"input_digests": {"participants": "a" * 64, "status_history": "c" * 64}},  # another history
    {"input_digests": {"participants": "a" * 64}},  # no history
    {"study": "t"}, {"cutoffs": ["2021-04-01", "2021-04-16"]}, {"threshold": 11}, {"total": "Totaal"},
    {"prior": {"figuur_10_triage|triage_1": 4}}, {"code": "d"}, {"versions": {"pandas": "3"}},
])
def test_the_key_changes_with_everything_the_release_depends_on(change):
    assert joint_once.release_key(**{**KEY, **change}) != joint_once.release_key(**KEY)


def test_the_key_is_a_function_of_its_arguments_only():
    assert joint_once.release_key(**KEY) == joint_once.release_key(**{**KEY, "input_digests": dict(
        reversed(list(KEY["input_digests"].items())))})


def test_a_file_under_another_key_damaged_or_unsealed_is_not_unpickled(tmp_path, monkeypatch):
    monkeypatch.setenv("VWNW_PRIVATE_DIR", str(tmp_path / "private"))
    path = tmp_path / "x.joint-release.pickle"
    joint_once.write(path, "k1", {"n": 1})
    assert joint_once.read_if_current(path, "k1") == {"n": 1}
    loads = []
    monkeypatch.setattr(pickle, "loads", lambda payload: loads.append(payload))
    assert joint_once.read_if_current(path, "k2") is None  # the key is read first
    key, seal, payload = path.read_bytes().split(b"\n", 2)
    path.write_bytes(b"\n".join([key, seal, payload[:-3]]))  # cut short
    assert joint_once.read_if_current(path, "k1") is None
    planted = pickle.dumps({"n": 666})  # by someone without the private key
    path.write_bytes(b"\n".join([key, hashlib.sha256(planted).hexdigest().encode(), planted]))
    assert joint_once.read_if_current(path, "k1") is None
    assert not loads  # none of them was unpickled
    monkeypatch.undo()
    monkeypatch.setenv("VWNW_PRIVATE_DIR", str(tmp_path / "private"))
    assert joint_once.made_once(path, "k1", lambda: {"n": 2}) == {"n": 2}  # made again, and stored
    assert joint_once.read_if_current(path, "k1") == {"n": 2}


def test_the_study_identity_is_its_whole_definition_without_addresses():
    from analysis.pilot import schema as ps

    before = ps.STUDY
    try:
        ids = {}
        for study in ("catering_noordoost_brabant_2021", "schoonmaak_twente_2023"):
            ps.use_study(study)
            assert " at 0x" not in repr(ps.STUDY)  # the same in every kernel
            ids[study] = joint_once.study_identity()
        assert len(set(ids.values())) == 2
    finally:
        ps.use_study(before)
