"""The release API (issue 23): keyed input identity, the display and writer guard, the
ledger across releases, the output checker's bundle, and the protected crosstab, each
attacked or checked against an independent computation."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import re

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from scipy.optimize import Bounds, LinearConstraint, milp

from analysis import ledger, private_data
from analysis.pilot import inputs as pilot_inputs
from analysis.pipeline.export import ReportOutputs
from analysis.pipeline.provenance import Provenance
from analysis.release import checking
from analysis.stats import released
from analysis.stats.output_gate import Release


@pytest.fixture()
def private_folder(tmp_path, monkeypatch):
    folder = tmp_path / "private"
    monkeypatch.setenv("VWNW_PRIVATE_DIR", str(folder))
    return folder


def test_a_private_input_is_named_by_role_with_a_keyed_hash_never_its_name_or_plain_hash(private_folder, tmp_path):
    data = tmp_path / "Jansen_P_BSN123456782" / "deelnemers_Jansen_Piet.csv"
    data.parent.mkdir()
    data.write_bytes(b"deelnemer_id,leeftijd\nP1,56\n")
    prov = Provenance.collect("02.ipynb", {"participants_path": str(data), "language": "nl"},
                              {"participants": data})
    text = prov.to_json() + json.dumps(prov.records())
    assert "Jansen" not in text and "BSN" not in text and str(tmp_path) not in text
    plain = hashlib.sha256(data.read_bytes()).hexdigest()
    assert plain not in text and plain[:16] not in text
    key = bytes.fromhex((private_folder / private_data.KEY_FILE).read_text().strip())
    joint = hashlib.sha256(f"participants_path\0{hashlib.sha256(data.read_bytes()).hexdigest()}\0".encode()).hexdigest()
    context = json.dumps({"\0inputs": joint, "language": "nl"}, sort_keys=True).encode() + b"\0"  # but its paths
    expected = "hmac-sha256:" + hmac.new(key, context + data.read_bytes(), hashlib.sha256).hexdigest()  # independent
    assert prov.inputs == {"private input (participants)": expected}
    assert prov.parameters["participants_path"] == private_data.PRIVATE_LABEL
    # the same release gives the same keyed hash (the authors can verify), a changed file another,
    # and another release of the same file (another language, date) an unrelated one: not linkable
    again = {"participants_path": str(data), "language": "nl"}
    assert Provenance.collect("n", again, {"participants": data}).inputs == prov.inputs
    other = Provenance.collect("n", {**again, "language": "en"}, {"participants": data}).inputs
    assert other != prov.inputs
    data.write_bytes(b"deelnemer_id,leeftijd\nP1,57\n")
    assert Provenance.collect("n", again, {"participants": data}).inputs != prov.inputs


def test_a_corrected_participant_file_changes_the_unchanged_history_s_hash_too(private_folder, tmp_path):
    """Intruder round 10 (L1): with only the participant file corrected, the status history's
    keyed hash was the same in both releases: an outsider could tell they came from the same
    data, and that a record had been corrected in between."""
    people, history = tmp_path / "a.csv", tmp_path / "b.csv"
    people.write_bytes(b"deelnemer_id,leeftijd\nP1,56\n")
    history.write_bytes(b"deelnemer_id,datum,status\nP1,2021-01-01,in_bemiddeling\n")
    params = {"participants_path": str(people), "status_history_path": str(history), "language": "nl"}
    files = {"participants": people, "status_history": history}
    first = Provenance.collect("n", params, files, private=True).inputs
    assert Provenance.collect("n", params, files, private=True).inputs == first  # the authors can verify
    people.write_bytes(b"deelnemer_id,leeftijd\nP1,57\n")
    second = Provenance.collect("n", params, files, private=True).inputs
    assert set(first) == set(second) and all(first[k] != second[k] for k in first)


def test_a_study_given_as_a_private_file_is_published_as_private_input(private_folder, tmp_path):
    """Intruder round 10 (F1): ``study: data/raw/private/jansen_ontslag_2021.yml`` stood as written
    in the private site's runner state; a study's id, and a shipped study file, stay as they are."""
    from analysis import paths

    study = tmp_path / "jansen_ontslag_2021.yml"
    study.write_text("id: x\n", encoding="utf-8")
    shipped = "studies/schoonmaak_twente_2023.yml"
    assert (paths.PROJECT_ROOT / shipped).is_file()
    assert [private_data.shown_parameter("study", v) for v in (str(study), shipped, "schoonmaak_twente_2023")] == [
        private_data.PRIVATE_LABEL, shipped, "schoonmaak_twente_2023"]
    prov = Provenance.collect("n", {"study": str(study), "language": "nl"}, {})
    assert "jansen" not in prov.to_json()


def test_a_shipped_input_keeps_its_path_and_sha256():
    from analysis import paths

    path = paths.DATA_RAW / "pilot_participants_synthetic.csv"
    prov = Provenance.collect("n", {"participants_path": "data/raw/pilot_participants_synthetic.csv"},
                              {"participants": path})
    assert prov.inputs == {"data/raw/pilot_participants_synthetic.csv": hashlib.sha256(path.read_bytes()).hexdigest()}


def test_the_private_folder_may_not_lie_inside_the_published_folder(monkeypatch):
    from analysis import paths

    monkeypatch.setenv("VWNW_PRIVATE_DIR", str(paths.REPORTS / "html" / "private"))
    with pytest.raises(ValueError, match="inside the published folder"):
        private_data.private_dir()


def test_on_real_data_only_what_the_release_made_is_written(tmp_path):
    released.set_private(True)
    try:
        out = ReportOutputs(tmp_path, Provenance("t", {}), min_cell_count=10, private=True)
        raw = pd.crosstab(pd.Series(["man", "vrouw", "man"], name="geslacht"), pd.Series([1, 0, 1], name="werk"))
        with pytest.raises(released.UnreleasedOutput, match="run.crosstab"):
            out.table(raw, "raw")
        assert not list(tmp_path.rglob("*.csv"))
        shown = released.mark(raw.astype("Int64").where(raw >= 10))  # what the release returns
        assert out.table(shown, "shown").is_file()
        assert released.is_marked(shown.rename(columns=str).reset_index())  # reshaping keeps the mark
        assert not released.is_marked(pd.crosstab(shown.index, shown.columns))  # counting anew does not
    finally:
        released.set_private(False)


def test_only_a_table_of_text_can_be_marked_public():
    from analysis.release.run import public_table

    legend = pd.DataFrame({"column": ["n"], "meaning": ["persons in the group"]})
    assert released.is_marked(public_table(legend))
    with pytest.raises(released.UnreleasedOutput, match="run.crosstab"):
        public_table(pd.crosstab(pd.Series(["a", "b", "a"]), pd.Series(["x", "x", "y"])))  # counts are not public
    with pytest.raises(released.UnreleasedOutput):
        public_table(pd.DataFrame({"leeftijd": [29, 41]}))


def test_on_synthetic_data_nothing_is_refused(tmp_path):
    out = ReportOutputs(tmp_path, Provenance("t", {}), min_cell_count=1, private=False)
    assert out.table(pd.DataFrame({"a": [1]}), "t").is_file()


def test_the_display_guard_shows_a_refusal_instead_of_unreleased_numbers():
    from analysis.presentation import display_guard

    display_guard.install(True)
    try:
        raw = pd.DataFrame({"aantal": [3, 27]}, index=["man", "vrouw"])
        for text in (repr(raw), raw._repr_html_(), str(raw), raw.to_string(), repr(raw["aantal"])):
            assert "27" not in text and "not made by the release" in text
        assert "27" in repr(released.mark(raw.copy()))
    finally:
        released.set_private(False)
    assert "27" in repr(raw)  # synthetic data: shown


def _entry(inputs: str, cells: dict, cutoffs=("2021-04-01",), threshold=10) -> ledger.Entry:
    return ledger.Entry("study", inputs, "02", threshold, tuple(cutoffs), cells)


def test_the_ledger_records_each_release_once_and_remembers_its_dates(private_folder):
    assert ledger.read() == []
    e = _entry("hmac:a", {"t|x": 12})
    assert ledger.record(e) and not ledger.record(e)  # a rerun of the same release is not a new one
    ledger.record(_entry("hmac:a", {"t|x": 12}, cutoffs=("2021-03-01",)))
    entries = ledger.read()
    assert len(entries) == 2
    assert ledger.recorded_cutoffs(entries) == ["2021-03-01", "2021-04-01"]
    assert ledger.prior_cells(ledger.earlier(entries, "02", e.identity), "hmac:a", 10) == {"t|x": 12}
    assert (private_folder / "releases" / "ledger.jsonl").is_file()


def test_a_corrected_file_that_moves_a_shown_count_by_fewer_than_k_persons_is_refused():
    old = [_entry("hmac:old", {"fig12|nieuwe_baan": 15, "fig12|totaal": 30})]
    assert ledger.differences(old, "hmac:new", {"fig12|nieuwe_baan": 16, "fig12|totaal": 30}, 10) == \
        ["fig12|nieuwe_baan"]
    assert ledger.differences(old, "hmac:new", {"fig12|nieuwe_baan": 15, "fig12|totaal": 30}, 10) == []
    assert ledger.differences(old, "hmac:old", {"fig12|nieuwe_baan": 16}, 10) == []  # the same file: priors


def test_releases_of_the_same_people_are_related_whatever_their_study_id(private_folder):
    """The sixth intruder copied the study file under a new id: its ledger started empty. A
    release is related to the recorded ones of its study id or of some of its people."""
    people = ledger.people_sketch([f"P{i}" for i in range(40)])
    assert ledger.people_sketch([f"P{i}" for i in reversed(range(40))]) == people  # order-free
    first = ledger.Entry("catering", "hmac:a", "02", 10, ("2021-04-01",), {"t|x": 12}, {}, people)
    corrected = ledger.people_sketch([*(f"P{i}" for i in range(39)), "P99"])  # one record replaced
    others = ledger.people_sketch([f"Q{i}" for i in range(40)])
    assert ledger.related([first], "catering_copy", corrected) == [first]
    assert ledger.related([first], "catering_copy", others) == []
    assert ledger.related([first], "catering", others) == [first]  # the same study id, as before
    ledger.record(first)
    assert ledger.read() == [first]  # the sketch is kept in the private ledger
    assert "P1" not in (private_folder / "releases" / "ledger.jsonl").read_text()  # keyed hashes, not ids


def test_two_runs_of_one_invocation_on_a_file_and_its_correction_are_refused_together(private_folder):
    """Intruder round 7: a file and its corrected version run in one invocation were both
    published (each run was compared with the ledger only). The pending records are compared
    with each other before anything is recorded or published."""
    people = ledger.people_sketch([f"P{i}" for i in range(30)])
    first = ledger.Entry("s", "hmac:a", "02", 10, ("2021-04-16",), {"t|man": 128, "t|vrouw": 172}, {}, people)
    fixed = ledger.Entry("s", "hmac:b", "02", 10, ("2021-04-16",), {"t|man": 127, "t|vrouw": 173}, {}, people)
    other_rerun = ledger.Entry("s", "hmac:a", "02", 10, ("2021-04-01",), {"t|man": 128, "t|vrouw": 172}, {}, people)
    assert ledger.clashes([first, fixed]) == ["02:t|man", "02:t|vrouw"]
    assert ledger.clashes([first, other_rerun]) == []  # the same file at another date: priors, not a clash
    with ledger.pending_releases() as pending:
        ledger.record(first)
        ledger.record(fixed)
        with pytest.raises(ledger.ReleaseClash, match="Nothing was published or recorded"):
            pending.commit()
    assert ledger.read() == []


def _crosstab_release(frame: pd.DataFrame, name: str, prior=None):
    from analysis.release import crosstab as xt

    r = Release(threshold=3)
    r.block("A", frame[["a"]], {"a": ["p", "q"]})
    for lev in ("p", "q"):
        r.cell(f"fig|{lev}", r.blocks["A"], a=lev)
    r.release("fig", ["fig|p", "fig|q"])
    table = xt.protected_crosstab(r, frame, "a", "b", name, prior=prior)
    return r, table


def test_a_crosstab_published_again_under_another_name_is_the_same_cell_to_the_ledger():
    """The sixth intruder published a corrected file's crosstab under a new table name: cells
    were compared by key, so the difference of one person went out. Cells are now compared
    by what they count."""
    frame = pd.DataFrame({"a": ["p"] * 6 + ["q"] * 6, "b": ["u", "v"] * 6})
    first, _ = _crosstab_release(frame, "ab")
    old = ledger.Entry("s", "hmac:old", "02", 3, (), first.shown_cells(), ledger.describe(first))
    corrected = frame.copy()
    corrected.loc[0, "b"] = "v"  # one person's b corrected
    second, _ = _crosstab_release(corrected, "renamed")
    cells = second.shown_cells()
    current = ledger.meanings(ledger.describe(second), cells)
    assert ledger.differences([old], "hmac:old", cells, 3, current) == []  # the same file: not compared
    clash = ledger.differences([old], "hmac:new", cells, 3, current)
    assert clash and all(k.startswith("renamed|") for k in clash)
    assert "renamed|Totaal|u" in clash  # 6 persons with b = u, now 5: the corrected person
    assert ledger.differences([old], "hmac:new", cells, 3) == []  # by key alone: missed
    assert current["renamed|Totaal|u"] == ledger.meanings(ledger.describe(first))["ab|Totaal|u"]
    assert current["renamed|Totaal|u"] != current["renamed|Totaal|v"]


def test_a_renamed_crosstab_of_the_same_file_is_bound_by_what_the_first_showed():
    """A k = 4 release after a k = 3 release of one file, its crosstab under another name: the
    cells of 3 the first showed are shown again as known numbers (found by what they count),
    not withheld as if they were new, and the gate protects the rest against them."""
    frame = pd.DataFrame({"a": ["p"] * 6 + ["q"] * 6, "b": ["u", "v"] * 6})
    first, _ = _crosstab_release(frame, "ab")
    old = ledger.Entry("s", "hmac:a", "02", 3, (), first.shown_cells(), ledger.describe(first))

    def second_release(with_prior: bool) -> Release:
        from analysis.release import crosstab as xt

        r = Release(threshold=4)
        r.block("A", frame[["a"]], {"a": ["p", "q"]})
        for lev in ("p", "q"):
            r.cell(f"fig|{lev}", r.blocks["A"], a=lev)
        r.release("fig", ["fig|p", "fig|q"])
        def prior(keys):
            return ledger.prior_cells([old], "hmac:a", 4, ledger.meanings(ledger.describe(r), keys))

        xt.protected_crosstab(r, frame, "a", "b", "renamed", prior=prior if with_prior else None)
        return r

    assert first.shown_cells()["ab|p|u"] == 3
    assert "renamed|p|u" in second_release(True).shown_cells()
    assert "renamed|p|u" not in second_release(False).shown_cells()  # without the ledger: withheld, a difference


def _two_way(prior: dict | None):
    """Release 2 of a file: the two-way table a x b (no margins), with or without the cells
    release 1 showed (a=p: 13, b=u: 27) as priors."""
    frame = pd.DataFrame({"a": ["p"] * 13 + ["q"] * 13 + ["r"] * 23,
                          "b": ["u"] * 3 + ["v"] * 10 + ["u"] * 13 + ["u"] * 11 + ["v"] * 12})
    r = Release(10)
    blk = r.block("B", frame, {"a": ["p", "q", "r"], "b": ["u", "v"]})
    r.cell("a=p", blk, a="p"), r.cell("b=u", blk, b="u")
    cells = {f"{x}{y}": r.cell(f"{x}{y}", blk, a=x, b=y).key for x in "pqr" for y in "uv"}
    if prior:
        assert r.prior(prior) == 2
    r.release("two-way", list(cells.values()))
    return r, cells


def test_cells_an_earlier_release_showed_are_fixed_in_the_next_one():
    """Release 1 showed a=p (13) and b=u (27). Release 2 alone would show q&u, r&u and
    keep p&u (3) safe against its own cells, but with release 1's b=u, p&u = 27 - 13 - 11
    = 3. With the priors, release 2 hides what would pin it."""
    def pinned_pu(r, cells) -> bool:  # independent: p&u = b=u minus the shown q&u and r&u
        return all(r.cells[cells[c]].shown for c in ("qu", "ru"))
    alone, cells = _two_way(None)
    assert pinned_pu(alone, cells)  # the control: differencing the two releases gives p&u = 3
    joint, cells = _two_way({"a=p": 13, "b=u": 27})
    joint.check()
    assert not pinned_pu(joint, cells) and not joint.cells[cells["pu"]].shown


def test_the_checkers_bundle_is_acro_results_json_outside_the_published_folder(private_folder):
    log = [{"output": "figuur_12", "threshold": 10, "cells": 8, "primary_suppressed": 5, "secondary_suppressed": 1,
            "shown": 2, "rule": "no count of 1 to 9", "outcome": "pass"}]
    path = checking.write_bundle(log, "02_pilot_participants_20210416_nl_k10")
    assert path == private_folder / "checking" / "02_pilot_participants_20210416_nl_k10" / "results.json"
    data = json.loads(path.read_text())
    rec = data["results"]["output_0"]
    assert set(rec) >= {"uid", "status", "type", "properties", "files", "outcome", "command", "summary",
                        "timestamp", "comments", "exception"}  # the fields of ACRO's finalise_json
    assert rec["status"] == "pass" and rec["files"][0]["sdc"]["summary"]["suppressed"] is True


S, G, A = ["werk", "bem", "gestopt"], ["man", "vrouw"], ["x", "y"]


def _status_then_gender(frame: pd.DataFrame, link: bool):
    """Release a status x sector table (with margins), then gender x status; ``link=False``
    releases the crosstab as if it were alone (the control)."""
    import analysis.release.crosstab as xt

    r = Release(10)
    b = r.block("S", frame, {"status": S, "sector": A})
    keys = []
    for st, a in itertools.product([*S, None], [*A, None]):
        keys.append(r.cell(f"s|{st}|{a}", b, **({"status": st} if st else {}), **({"sector": a} if a else {})).key)
    r.release("status", keys)
    original = xt._linked
    try:
        if not link:
            xt._linked = lambda r, v: []
        table = xt.protected_crosstab(r, frame, "geslacht", "status", "gs")
    finally:
        xt._linked = original
    return r, keys, table


def _attack(frame: pd.DataFrame, r: Release, keys: list[str], table: pd.DataFrame) -> list[tuple]:
    """An independent intruder over the finest cells gender x status x sector: every shown
    number of both tables an equation; every gender x status count of 1-9 maximised."""
    atoms = list(itertools.product(G, S, A))
    truth = np.array([((frame.geslacht == g) & (frame.status == st) & (frame.sector == a)).sum() for g, st, a in atoms])
    eqs = [(np.ones(len(atoms)), len(frame))]
    for key in keys:
        if r.cells[key].shown:
            _, st, a = key.split("|")
            eqs.append((np.array([float(st in ("None", x) and a in ("None", z)) for _, x, z in atoms]),
                        r.cells[key].value))
    for g, st in itertools.product([*G, "Totaal"], [*S, "Totaal"]):
        if pd.notna(table.loc[g, st]):
            eqs.append((np.array([float(g in (y, "Totaal") and st in (x, "Totaal")) for y, x, _ in atoms]),
                        int(table.loc[g, st])))
    A_, b_ = np.array([e for e, _ in eqs]), np.array([v for _, v in eqs], float)
    leaks = []
    for g, st in itertools.product(G, S):
        target = np.array([float(y == g and x == st) for y, x, _ in atoms])
        if 0 < target @ truth < 10:
            res = milp(-target, constraints=LinearConstraint(A_, b_, b_), integrality=np.ones(len(atoms)),
                       bounds=Bounds(0, len(frame)))
            if -res.fun < 10:
                leaks.append((g, st))
    return leaks


def test_a_crosstab_of_a_new_variable_is_protected_together_with_the_table_it_shares_a_margin_with():
    """Status x sector is released first, then gender x status: linked through the status
    margin, the two withstand an independent intruder; released as if alone (the control),
    the same data leak two small counts."""
    rng = np.random.default_rng(25)  # a population where the unlinked release leaks
    frame = pd.DataFrame({"status": rng.choice(S, 45, p=[.5, .35, .15]), "geslacht": rng.choice(G, 45),
                          "sector": rng.choice(A, 45, p=[.7, .3])})
    r, keys, table = _status_then_gender(frame, link=True)
    r.check()
    assert released.is_marked(table)
    assert _attack(frame, r, keys, table) == []
    assert _attack(frame, *_status_then_gender(frame, link=False)) != []  # the control finds the leak


def test_a_private_run_publishes_only_what_its_writer_wrote(tmp_path):
    """A cell that writes a table into the output folder by hand (or changes one afterwards)
    is refused on a private run: found by the second independent intruder."""
    from analysis.pipeline.publish import staged_outputs

    out = ReportOutputs(tmp_path, Provenance("t", {}), min_cell_count=1)
    out.table(pd.DataFrame({"a": [1]}), "fine")
    (tmp_path / "executed").mkdir()
    (tmp_path / "executed" / "run.ipynb").write_text("{}")  # the runner's own
    assert set(staged_outputs(tmp_path, only_written=True)) == {
        "tables/fine.csv", "tables/fine.xlsx", "tables/fine.provenance.json", "executed/run.ipynb"}
    (tmp_path / "tables" / "raw.csv").write_text("geslacht,n\nman,2\n")
    with pytest.raises(ValueError, match="other than through run.table"):
        staged_outputs(tmp_path, only_written=True)
    assert "tables/raw.csv" in staged_outputs(tmp_path)  # synthetic runs: as before
    (tmp_path / "tables" / "raw.csv").unlink()
    (tmp_path / "tables" / "fine.csv").write_text("a\n2\n")  # changed after the writer's checks
    with pytest.raises(ValueError, match="changed it afterwards"):
        staged_outputs(tmp_path, only_written=True)


def test_cells_of_an_earlier_release_at_another_threshold_are_priors_too():
    """A k = 11 release after a k = 10 release of one file: both are published, so the first's
    cells bind the second (the second intruder recovered a count of 1 from such a pair)."""
    first = _entry("hmac:a", {"t|x": 12}, threshold=10)
    assert ledger.prior_cells([first], "hmac:a", 11) == {"t|x": 12}
    assert ledger.prior_cells([first], "hmac:b", 11) == {}


def test_a_file_in_the_private_folder_is_real_data_whatever_it_says(private_folder, tmp_path):
    """The hostile tester marked a real export in the private folder synthetic with a mapping
    constant and got threshold 1: an input in the private folder is treated as real."""
    from analysis.stats.disclosure import DisclosureError

    private_folder.mkdir(parents=True, exist_ok=True)
    data = private_folder / "deelnemers.csv"
    data.write_text("deelnemer_id,synthetisch\nP1,true\n")
    synthetic_rows = pd.DataFrame({"synthetisch": [True, True]})
    with pytest.raises(DisclosureError, match="treated as real data"):
        ReportOutputs.create("02.ipynb", {}, {"participants": data}, tmp_path / "out", 1, data=synthetic_rows)
    out = ReportOutputs.create("02.ipynb", {}, {"participants": data}, tmp_path / "out", 10, data=synthetic_rows)
    assert out.private
    released.set_private(False)


def test_the_validated_copy_of_a_private_input_stays_in_the_private_folder(private_folder, tmp_path):
    from analysis.release.loading import cache_folder

    data = tmp_path / "deelnemers.csv"
    data.write_text("x\n")
    assert cache_folder({"processed_dir": "/"}, data) == private_folder / "processed"
    assert cache_folder({"processed_dir": "data/processed"}, data) == private_folder / "processed"
    assert cache_folder({"processed_dir": str(private_folder / "mine")}, data) == private_folder / "mine"
    assert cache_folder({"processed_dir": ""}, data) is None


def test_a_release_enters_the_ledger_only_when_its_invocation_published(tmp_path, monkeypatch):
    """Runs inside the runner record into the invocation's pending file; the ledger gets the
    records on commit (once every run succeeded, before publication), never when a run failed."""
    monkeypatch.setenv("VWNW_PRIVATE_DIR", str(tmp_path / "private"))
    entry = ledger.Entry("study", "hmac:x", "02", 10, ("2021-04-01",), {"a": 12})
    with ledger.pending_releases():  # a failed invocation: no commit
        ledger.record(entry)
        assert ledger.read() == []
    assert ledger.read() == [] and not list((tmp_path / "private").rglob("*.jsonl"))
    with ledger.pending_releases() as releases:
        ledger.record(entry)
        assert releases.commit() == 1
    assert ledger.read() == [entry]
    ledger.record(entry)  # outside the runner: at once (and a rerun of the same release is not a new record)
    assert ledger.read() == [entry]


def ps_status_on(df: pd.DataFrame, day: str) -> pd.Series:
    from analysis.pilot import schema as ps

    return ps.status_on(df, day)


def _shipped_marked(real: bool) -> pd.DataFrame:
    from analysis import paths

    df = pilot_inputs.load_participants(paths.DATA_RAW / "pilot_participants_synthetic.csv")
    return df.assign(synthetisch=not real)


def test_on_real_data_no_zero_is_shown_or_deducible_and_the_audit_agrees():
    """ACRO's ``zeros_are_disclosive``: a zero beside a withheld cell says which cell a small
    group is in. On real data the release protects zeros like small counts; the ledger audit,
    written apart from the gate, attacks them from the recorded structure."""
    from analysis.pilot import tables as pt
    from analysis.release import audit

    by_date, _, real = pt.joint_figure_tables(_shipped_marked(True), 10)
    assert 0 not in real.shown_cells().values()
    for tables in by_date.values():
        for table in tables.values():
            assert not (pd.DataFrame(table).astype(float) == 0).any().any()
    entry = ledger.Entry("s", "i", "02", 10, ("2021-04-01",), real.shown_cells(), ledger.describe(real))
    assert audit.attack_entry(entry) == []
    # control: the synthetic release shows zeros; read as a real release, the audit finds them
    _, _, synthetic = pt.joint_figure_tables(_shipped_marked(False), 10)
    assert 0 in synthetic.shown_cells().values()
    structure = dict(ledger.describe(synthetic), zeros_disclosive=True)
    leaks = audit.attack_entry(ledger.Entry("s", "i", "02", 10, ("2021-04-01",), synthetic.shown_cells(), structure))
    assert any("(true 0)" in leak for leak in leaks), leaks


def test_a_figure_is_checked_against_the_released_table_it_is_said_to_be_drawn_from():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import seaborn as sns

    from analysis.release.figure_check import foreign_numbers

    table = pd.Series({"man": 12, "vrouw": 15}, name="personen")
    fig, ax = plt.subplots()
    sns.barplot(x=table.index, y=table.to_numpy(), ax=ax)
    ax.bar_label(ax.containers[0])
    ax.text(0.5, 0.5, "x: withheld (< 10 persons)", transform=ax.transAxes)
    assert foreign_numbers(fig, table, "en", {10.0}) == []
    raw = pd.DataFrame({"geslacht": ["man"] * 3 + ["vrouw"] * 24})
    fig2, ax2 = plt.subplots()
    sns.countplot(raw, x="geslacht", ax=ax2)  # drawn from the rows, passed with the released table
    assert "bar 3" in foreign_numbers(fig2, table, "en", {10.0})
    fig3, ax3 = plt.subplots()
    ax3.bar(table.index, table.to_numpy())
    ax3.text(0, 1, "3 persons")
    assert foreign_numbers(fig3, table, "en", {10.0}) == ["label 3"]
    fig4, ax4 = plt.subplots()
    ax4.bar(table.index, table.to_numpy())
    ax4.set_title("youngest group: 1 person")  # titles and legends are read too
    ax4.legend(["triage 1 (n=5)"])
    fig4.text(0, 0, "n = 27.")
    assert foreign_numbers(fig4, table, "en", {10.0}, said={27.0}) == ["text 1", "text 1", "text 5"]
    plt.close("all")


def test_a_date_in_a_figure_s_text_that_the_run_does_not_publish_is_read_by_its_day():
    """As in sentences: "sinds 3 april" in a figure's title or label carries the count 3; the
    run's own dates ("stand per 16 april 2021") are dates."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.release.figure_check import foreign_numbers

    table = pd.Series({"man": 12, "vrouw": 15}, name="personen")
    public = ["2021-04-01", "2021-04-16"]
    for title, foreign in [("Gestopt sinds 3 april", ["text 3"]), ("Stand per 16 april 2021", []),
                           ("Stand op 2021-04-03", ["text 3"])]:
        fig, ax = plt.subplots()
        ax.bar(table.index, table.to_numpy())
        ax.set_title(title)
        assert foreign_numbers(fig, table, "nl", {10.0}, dates=public) == foreign, title
        ax.set_title("")
        ax.text(0, 1, title)
        assert foreign_numbers(fig, table, "nl", {10.0}, dates=public) == [f.replace("text", "label") for f in foreign]
        plt.close(fig)


def test_every_text_of_a_figure_is_read_and_inset_axes_too():
    """Intruder round 7: a figure legend, an anchored text box, a table under the plot, an
    inset axes with bars of raw counts and tick labels set by hand to raw counts all passed.
    The control: the same figure drawn from the table, with its automatic scale, passes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.offsetbox import AnchoredText

    from analysis.release.figure_check import foreign_numbers

    table = pd.Series({"man": 120, "vrouw": 170}, name="personen")
    raw = {"vrouwen gestopt": 2, "mannen gestopt": 8}  # the withheld truth, typed in

    def base():
        fig, ax = plt.subplots()
        ax.bar(table.index, table.to_numpy())
        return fig, ax

    drawn = {}
    fig, ax = base()
    fig.legend([f"vrouwen gestopt: {raw['vrouwen gestopt']}"])
    drawn["figure legend"] = fig
    fig, ax = base()
    ax.add_artist(AnchoredText(f"gestopt: {raw['mannen gestopt']}", loc="upper left"))
    drawn["anchored text"] = fig
    fig, ax = base()
    ax.table([[str(v) for v in raw.values()]], loc="bottom")
    drawn["table cells"] = fig
    fig, ax = base()
    ax.inset_axes([0.6, 0.6, 0.3, 0.3]).bar([0, 1], list(raw.values()))
    drawn["inset bars"] = fig
    fig, ax = base()
    ax.set_yticks(list(raw.values()))
    drawn["tick labels set by hand"] = fig
    for what, fig in drawn.items():
        assert foreign_numbers(fig, table, "nl", {10.0}), what
    fig, ax = base()
    ax.set_ylabel("personen")
    ax.legend(["aantal"])
    assert foreign_numbers(fig, table, "nl", {10.0}) == []  # the axis' own scale (0, 25, ...) is not read
    plt.close("all")


def test_lines_points_pies_and_heatmaps_are_read_back_like_bars():
    """A figure of another kind than bars, drawn from the participant rows and passed with a
    released table, shows raw counts or individual values in its geometry: each kind is read
    (reference values: the raw counts 3 and 24 and the ages, counted here independently)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import seaborn as sns

    from analysis.release.figure_check import foreign_numbers

    table = pd.DataFrame({"nee": [12, 15], "ja": [20, 11]}, index=pd.Index(["man", "vrouw"], name="geslacht"))
    raw = pd.DataFrame({"geslacht": ["man"] * 3 + ["vrouw"] * 24, "leeftijd": [23 + i for i in range(27)]})
    raw_counts = raw["geslacht"].value_counts()
    assert sorted(raw_counts.tolist()) == [3, 24]
    drawn = {}
    fig, ax = plt.subplots()
    ax.plot(list(range(len(raw_counts))), raw_counts.to_numpy(), marker="o")
    drawn["line of raw counts"] = fig
    fig, ax = plt.subplots()
    ax.pie(raw_counts.to_numpy())
    drawn["pie of raw counts"] = fig
    fig, ax = plt.subplots()
    sns.heatmap(pd.crosstab(raw["geslacht"], raw["leeftijd"] > 40), ax=ax)
    drawn["heatmap of raw counts"] = fig
    fig, ax = plt.subplots()
    sns.scatterplot(raw, x="leeftijd", y="geslacht", ax=ax)
    drawn["scatter of ages"] = fig
    fig, ax = plt.subplots()  # intruder round 6: pcolor, vlines and hand-drawn rectangles were not read
    ax.pcolor(pd.crosstab(raw["geslacht"], raw["leeftijd"] > 40).to_numpy())
    drawn["pcolor of raw counts"] = fig
    fig, ax = plt.subplots()
    ax.vlines([0, 1], 0, raw_counts.to_numpy())
    drawn["vlines of raw counts"] = fig
    fig, ax = plt.subplots()
    ax.add_patch(matplotlib.patches.Rectangle((0, 0), 0.8, float(raw_counts.min())))
    drawn["rectangle of a raw count"] = fig
    fig, ax = plt.subplots()
    ax.bar([0, 1], table["ja"].to_numpy())
    ax.set_xticks([0, 1], [f"man (n={raw_counts.min()})", "vrouw"])
    drawn["tick label with a raw count"] = fig
    fig, ax = plt.subplots()  # filled areas: a band and a stacked area of raw counts
    ax.fill_between([0, 1], 0, raw_counts.to_numpy())
    drawn["band of raw counts"] = fig
    fig, ax = plt.subplots()
    ax.stackplot([0, 1], raw_counts.to_numpy(), raw_counts.to_numpy())
    drawn["stacked area of raw counts"] = fig
    fig, ax = plt.subplots()
    ax.fill([0, 1, 1], [0, 0, float(raw_counts.min())])
    drawn["polygon of a raw count"] = fig
    for what, fig in drawn.items():
        assert foreign_numbers(fig, table, "nl", {10.0}), what
    fig, ax = plt.subplots()  # areas of the released table pass: a band between its columns, stacked rows
    ax.fill_between([0, 1], table["nee"].to_numpy(), table["ja"].to_numpy())
    ax.stackplot([0, 1], table["nee"].to_numpy(), table["ja"].to_numpy())
    assert foreign_numbers(fig, table, "nl", {10.0}) == []
    fig, ax = plt.subplots()  # the same kinds drawn from the released table pass
    ax.plot(table.index, table["ja"].to_numpy(), marker="o")
    ax.axhline(1.0, color="grey")
    ax.pie(table["nee"].to_numpy())
    assert foreign_numbers(fig, table, "nl", {10.0}) == []
    fig, ax = plt.subplots()
    sns.heatmap(table, annot=True, ax=ax)
    assert foreign_numbers(fig, table, "nl", {10.0}) == []
    fig, ax = plt.subplots()  # a forest plot: odds ratios drawn of the log-odds the table holds
    coef = pd.DataFrame({"term": ["triage[2]", "triage[3]"], "coef": [0.4, -0.7], "low": [-0.2, -1.5]})
    ax.errorbar(np.exp(coef["coef"]), [0, 1], xerr=None, fmt="o")
    ax.set_yticks([0, 1], coef["term"])
    assert foreign_numbers(fig, coef, "en", {10.0}) == []
    plt.close("all")


def test_captions_titles_and_file_names_carry_only_published_numbers():
    """A count typed into a caption, a figure title or a file name is published like a
    sentence: on real data it is refused unless it is already published."""
    from types import SimpleNamespace

    from analysis.release.run import Run

    df = _shipped_marked(True)
    run = Run("02_pilot_participants", {"cutoff_date": "2021-04-16", "language": "nl"}, df,
              SimpleNamespace(private=True, min_cell_count=10), ["2021-04-01", "2021-04-16"], "t")
    shown = run.public(pd.DataFrame({"column": ["n"], "meaning": ["personen"]}))
    counts = [int((df["leeftijd"] > age).sum()) for age in range(30, 65)]  # counts of the file
    men = next(c for c in counts if c not in run._known_numbers())  # one that nothing published
    for attempt in (lambda: run.display(shown, caption=f"Ouder dan ...: {men}"),
                    lambda: run.display(shown, caption="Zeven mannen"),
                    lambda: run.table(shown, f"mannen_{men}"),
                    lambda: run.show(shown, "models_power", n=men)):
        with pytest.raises(released.UnreleasedOutput, match="not a published number"):
            attempt()


def test_a_table_counted_from_the_rows_cannot_be_called_derived_on_real_data():
    """run.derived marks a table as released with a reason for the checker; a crosstab of the
    rows passed to it would publish raw counts. Its whole numbers must be published ones."""
    from types import SimpleNamespace

    from analysis.release.run import Run

    df = _shipped_marked(True)
    run = Run("02_pilot_participants", {"cutoff_date": "2021-04-16", "language": "nl"}, df,
              SimpleNamespace(private=True, min_cell_count=10), ["2021-04-01", "2021-04-16"], "t")
    raw = pd.crosstab(df["geslacht"], df["leeftijd"] > 50)
    assert set(raw.to_numpy().ravel().astype(float)) - run._known_numbers()  # independently: unpublished counts
    with pytest.raises(released.UnreleasedOutput, match="run.derived"):
        run.derived(raw, "a table of released numbers")
    rates = pd.DataFrame({"rate": [0.4123, 0.52]})  # numbers computed from released ones pass to the checker
    assert released.is_marked(run.derived(rates, "power from the released base rate"))
    small = sorted(set(raw.to_numpy().ravel().astype(float)) - run._known_numbers())[0]
    assert small < 10
    with pytest.raises(released.UnreleasedOutput) as refused:
        run.derived(raw, "a table of released numbers")
    unpublished = set(raw.to_numpy().ravel().astype(float)) - run._known_numbers()
    assert not any(re.search(rf"(?<![\d.,]){v:g}(?![\d.,])", str(refused.value)) for v in unpublished if v != 10)
    disguised = {"as floats": raw.astype(float), "with a missing cell": raw.astype(float).where(raw > 0),
                 "as text": raw.astype(str), "in words of a cell": pd.DataFrame({"n": [f"{small:g} van de groep"]})}
    for how, table in disguised.items():  # the sixth intruder's class: the same counts in another dtype
        with pytest.raises(released.UnreleasedOutput, match="run.derived"):
            run.derived(table, how)
    # intruder round 9 (N1): the MDE table's own note ("... above 1 up to 1000") stopped notebook 03 on every
    # real file whose smallest programme cannot reach the target power; a count typed into the note is still read
    from analysis.stats import power

    mde = power.mde_table(power.balanced_designs([30, 100]), 0.68)
    assert (mde["note"].str.contains("above 1 up to")).any()  # the case: N = 30 never reaches 80%
    assert released.is_marked(run.derived(mde, "detectable effects from the released base rate"))
    sayable = run._sayable() | {float(round(100 * k)) for k in run._sayable() if 0 < k < 1}
    typed = next(v for v in range(2, 10) if v not in sayable)
    with pytest.raises(released.UnreleasedOutput, match="run.derived"):
        run.derived(mde.assign(note=mde["note"] + f"; {typed} stopten"), "a count typed into the note")


def test_an_infinite_odds_in_a_derived_table_leaves_the_run_s_later_checks_working():
    """Intruder round 11: a derived table holding ``inf`` (the odds of a group where everyone
    found work) put an infinity among the run's published numbers, and every later display,
    table or derived table of the run raised OverflowError."""
    from types import SimpleNamespace

    from analysis.release.run import Run

    df = _shipped_marked(True)
    run = Run("02_pilot_participants", {"cutoff_date": "2021-04-16", "language": "nl"}, df,
              SimpleNamespace(private=True, min_cell_count=10), ["2021-04-01", "2021-04-16"], "t")
    run.derived(pd.DataFrame({"odds": [float("inf"), 2.5]}), "odds from released rates")
    later = released.mark(pd.DataFrame({"aandeel": [0.25, 0.5]}))
    assert run._content_problem(later) is None  # no OverflowError
    run.derived(pd.DataFrame({"odds": [1.5]}), "another")


@pytest.mark.slow
def test_a_models_rate_of_0_or_100_percent_is_withheld_on_real_data():
    """Intruder: on notebook 03's page a group where everyone found work showed a rate of
    100%, a fact of each of its members. On real data a level's zero events or non-events is
    protected like a small count; on synthetic data (control) the same rate is shown."""
    from analysis.pilot import outcomes, tables as pt
    from analysis.pilot.synthetic import generate_participants
    from analysis.stats import models, output_gate

    df = generate_participants(200, seed=140)
    work = ps_status_on(df, "2021-04-16").isin(("nieuwe_baan", "werk_en_scholing")).to_numpy()
    level = np.where(np.arange(len(df)) % 2, "laag", "middelbaar").astype(object)
    level[np.flatnonzero(work)[:15]] = "hoog"  # 15 persons, all in work
    df["opleidingsniveau"] = level
    shown = {}
    for real in (False, True):
        frame, _ = outcomes.analysis_frame(df.assign(synthetisch=not real), "work", "2021-04-16", "stayed")
        hoog = frame[frame["opleiding"] == "hoog"]
        assert len(hoog) >= 10 and (hoog["y"] == 1).all()  # independently: everyone with hoog is in work
        r = pt.model_release(df.assign(synthetisch=not real), ["opleiding"], "work", "2021-04-16", "stayed", 10)
        rates = output_gate.gate_rates(models.rates_by_group(frame, "opleiding"), r)
        shown[real] = rates.set_index("level").loc["hoog", "rate"]
    assert shown[False] == 1.0
    assert pd.isna(shown[True])


def test_a_count_written_into_a_released_table_is_refused_on_real_data():
    """Intruder round 5: a released Figuur 7 table with a withheld cell overwritten by hand
    (``shown.loc[...] = 7``), or with a column of raw counts added, kept its mark and was
    shown and written. Every whole number of a released table must be one the release
    published; the table as the release made it passes (the control)."""
    from types import SimpleNamespace

    from analysis.release.run import Run

    df = _shipped_marked(True)
    run = Run("02_pilot_participants", {"cutoff_date": "2021-04-16", "language": "nl"}, df,
              SimpleNamespace(private=True, min_cell_count=10), ["2021-04-01", "2021-04-16"], "t")
    shown = run.crosstab("geslacht")
    assert run._content_problem(shown) is None
    counts = [int((df["leeftijd"] > age).sum()) for age in range(30, 65)]
    raw = next(c for c in counts if c not in run._known_numbers())
    tampered = shown.copy()
    tampered.iloc[0] = raw
    assert released.is_marked(tampered)  # the mark survives the edit
    with pytest.raises(released.UnreleasedOutput, match="did not publish"):
        run.display(tampered)
    with pytest.raises(released.UnreleasedOutput, match="did not publish"):
        run.table(tampered, "geslacht")
    relabelled = shown.rename(index={shown.index[0]: f"{shown.index[0]} (n={raw})"})  # intruder round 6
    with pytest.raises(released.UnreleasedOutput, match="did not publish"):
        run.display(relabelled)
    noted = shown.to_frame().assign(toelichting=[f"waarvan {raw} jonger"] + [""] * (len(shown) - 1))
    with pytest.raises(released.UnreleasedOutput, match="did not publish|did not produce"):  # a text typed in after
        run.display(noted)
    stated = released.mark(shown.to_frame().assign(bron=["t(2495), CBS 2021"] * len(shown)))
    assert run._content_problem(stated) is None  # a text the table held when the release marked it
    for small in (0, 1):  # intruder round 7: 0 and 1 are "known" on every real file, yet never a shown count
        overwritten = shown.copy()
        overwritten.iloc[0] = small
        with pytest.raises(released.UnreleasedOutput, match="did not publish"):
            run.display(overwritten)
        assert run._unpublished(f"Van de vrouwen stopten er {small}.") == [str(small)]
    formatted = shown.to_frame().assign(p=["8,3e-105"] * len(shown), aandeel=["0,030"] * len(shown))
    assert "did not produce" in run._content_problem(formatted)  # round 21: a statistic per group added by hand
    assert run._content_problem(released.mark(formatted)) is None  # marked anew: no counts in them
    released.set_private(True)
    released.set_content_check(run._content_problem)  # as setup() does for the kernel's displays
    try:
        assert not released.allowed(tampered) and released.allowed(shown)
        shown_instead = released.refusal(tampered)  # the page shows this in the table's place
        assert "did not publish" in shown_instead and str(raw) not in shown_instead  # intruder round 9 (X1)
    finally:
        released.set_private(False)
        released.set_content_check(None)


def test_nothing_is_counted_after_the_run_has_finished(private_folder):
    """Intruder round 7: a crosstab in a cell after ``run.finish()`` was published but never
    attacked again nor recorded in the ledger. Counting after finish is refused; saying
    what was released stays possible."""
    from types import SimpleNamespace

    from analysis.release.run import Run

    df = _shipped_marked(True)
    run = Run("02_pilot_participants", {"cutoff_date": "2021-04-16", "language": "nl"}, df,
              SimpleNamespace(private=True, min_cell_count=10), ["2021-04-01", "2021-04-16"], "t")
    shown = run.crosstab("geslacht")
    run.finish()
    assert len(ledger.read()) == 1
    with pytest.raises(released.UnreleasedOutput, match="after run.finish"):
        run.crosstab("geslacht", "status", name="late")
    assert "late|" not in " ".join(run.release.cells)  # nothing of it registered
    assert run._content_problem(shown) is None  # what was released may still be shown


def test_number_words_and_whole_group_words_are_read_in_sentences():
    from analysis.release import sentences

    known = {12.0, 25.0}
    assert sentences.unpublished("Drie van de twaalf deelnemers", "nl", known) == ["Drie"]
    assert sentences.unpublished("iedereen in pad 2 vond werk; niemand stopte", "nl", {2.0}) == ["iedereen", "niemand"]
    levels = {"triagepad": frozenset({1.0, 2.0, 3.0}), "triage": frozenset({1.0, 2.0, 3.0})}
    assert sentences.unpublished("triagepad drie t.o.v. twee", "nl", known, levels=levels) == []  # levels, not counts
    # without levels "drie" is a count ("twee" counts only before persons)
    assert sentences.unpublished("triagepad drie t.o.v. twee", "nl", known) == ["drie"]
    assert sentences.unpublished("100% (25 van 25)", "nl", known) == ["100", "25 van 25"]  # a whole group shares it
    assert sentences.unpublished("48% (12 van 25)", "nl", known) == []
    assert sentences.unpublished("100% van pad 1; 0% van pad 3", "nl", {0.0, 1.0, 3.0, 100.0}) == ["100", "0"]
    assert sentences.unpublished("één of twee personen", "nl", known, frozenset({"één", "twee"})) == []
    phrase = frozenset({"één of twee personen bepalen de schatting"})  # a catalogue's piece, verbatim only
    assert sentences.unpublished("Of één of twee personen bepalen de schatting.", "nl", known, phrase) == []
    assert sentences.unpublished("Twee vrouwen stopten.", "nl", known, phrase) == ["Twee"]


@pytest.mark.parametrize("text", ["Eén deelnemer heeft geslacht onbekend.", "A single participant has unknown sex.",
                                  "De enige deelnemer met onbekend geslacht startte niet.", "Een trio stopte.",
                                  "Beide deelnemers stopten.", "Alle deelnemers in triagepad 1 vonden een nieuwe baan.",
                                  "All participants of path 1 found a new job.", "Triagepad 1: allemaal aan het werk.",
                                  "Geen enkele hoogopgeleide deelnemer stopte.", "None of the highly educated stopped.",
                                  "Elke deelnemer in pad 1 vond werk."])
def test_the_eighth_intruder_s_words_for_one_two_three_none_and_all_are_read(text):
    """Counts and whole groups said in words the seventh round's list did not hold."""
    from analysis.release import sentences

    assert sentences.unpublished(text, "en" if text.isascii() and " the " in text else "nl", set()) != []


def test_a_sentence_naming_a_private_input_file_is_refused_on_real_data(tmp_path):
    """The eighth intruder put the status history's name on both pages with
    ``run.say(f"Bron: {Path(path).name}")``; a name may carry a person's or employer's name."""
    from types import SimpleNamespace

    from analysis.release.run import Run

    run = Run("02_pilot_participants", {"cutoff_date": "2021-04-16", "language": "nl"}, _shipped_marked(True),
              SimpleNamespace(private=True, min_cell_count=10), ["2021-04-01", "2021-04-16"], "t",
              input_files={"participants": tmp_path / "deelnemers.xlsx",
                           "status_history": tmp_path / "statushistorie_Jansen.csv"})
    for f in run.input_files.values():
        f.write_text("x")
    for text in ("Bron: statushistorie_Jansen.csv", "Bron: statushistorie_Jansen", "uit deelnemers.xlsx"):
        with pytest.raises(released.UnreleasedOutput):
            run.say(text)
    assert run._unpublished("De deelnemers van de pilot") == []  # an ordinary word that is also a stem


def test_digits_in_an_input_file_s_name_are_no_published_number():
    """The eighth intruder said "3 deelnemers zijn hoog opgeleid" on a run of deelnemers-3.csv:
    the 3 of the path parameter counted as a published number (the page shows the path only as
    a private input)."""
    from types import SimpleNamespace

    from analysis.release.run import Run

    parameters = {"cutoff_date": "2021-04-16", "language": "nl", "min_cell_count": 10,
                  "participants_path": "data/raw/private/deelnemers-3.csv"}
    out = SimpleNamespace(private=True, min_cell_count=10)
    run = Run("02_pilot_participants", parameters, _shipped_marked(True), out, ["2021-04-01", "2021-04-16"], "t")
    assert 3.0 not in run._parameter_numbers() and 10.0 in run._parameter_numbers()
    with pytest.raises(released.UnreleasedOutput):
        run.say("3 deelnemers zijn hoog opgeleid.")


def test_a_date_the_run_does_not_publish_is_read_by_its_day():
    """The eighth intruder wrote a count as a day ("Sinds 3 april", "Peildatum 2021-04-03"):
    dates were removed before the check. A date of the run (its cut-offs, the study's dates)
    is a date; another date's day is read as a number."""
    from types import SimpleNamespace

    from analysis.release.run import Run

    run = Run("02_pilot_participants", {"cutoff_date": "2021-04-16", "language": "nl"}, _shipped_marked(True),
              SimpleNamespace(private=True, min_cell_count=10), ["2021-04-01", "2021-04-16"], "t")
    for text in ("Sinds 3 april is er niets veranderd.", "Peildatum 2021-04-03."):
        with pytest.raises(released.UnreleasedOutput, match="3"):
            run.say(text)
    assert run._unpublished("Stand per 16 april 2021; de pilot liep van 1 september 2020 tot 1 april 2021.") == []


def test_a_number_after_a_variable_s_name_is_a_level_only_when_it_is_one_of_its_levels():
    """The levels come from the codebook (the triage path's 1, 2, 3, under its code and labels):
    "Triagepad 1 t.o.v. 2" names levels, "triagepad 7" and "t.o.v. 7 personen" count."""
    from analysis.release import sentences
    from analysis.release.run import level_names

    levels = level_names()
    assert levels["triagepad"] == levels["triage path"] == levels["triage"] == frozenset({1.0, 2.0, 3.0})
    for text, lang, unpublished in [("Triagepad 1 t.o.v. 2", "nl", []), ("observed: triage 3 vs rest", "en", []),
                                    ("triagepad drie t.o.v. twee", "nl", []), ("triagepad 7 vond werk", "nl", ["7"]),
                                    ("Triage path 2 vs. 7 persons", "en", ["7"]), ("in triagepad 4", "nl", ["4"]),
                                    ("4 in triagepad 2", "nl", ["4"])]:
        assert sentences.unpublished(text, lang, set(), levels=levels) == unpublished, text


@pytest.mark.parametrize("text, unpublished", [
    ("een zevental deelnemers vond werk", ["zevental"]), ("a dozen found work", []),  # 12 is published
    ("drieëntwintig deelnemers", ["drieëntwintig"]), ("twenty-three participants", ["twenty-three"]),
    ("VII deelnemers", ["VII"]), ("Hoofdstuk VII beschrijft", []), ("⁷ deelnemers", ["7"]), ("７ deelnemers", ["7"]),
    ("de helft van de deelnemers", ["helft"]), ("driekwart van hen", ["driekwart"]), ("twee derde", ["twee derde"]),
    ("de derde meting in het derde kwartaal", []), ("48% (12 van 25)", []), ("CV-training", []),
    ("gestopt: &#55; en &#x38;", ["7", "8"]),
    ("ten minste de helft van 25", ["helft"]),
    ("CAP8 mannen gestopt", ["8"]), ("Tabel M1 en M2", []), ("&sup2; deelnemers", ["2"]), ("Ⅶ deelnemers", ["VII"])],
    ids=lambda v: v if isinstance(v, str) else None)
def test_numbers_written_otherwise_are_read_too(text, unpublished):
    """The sixth intruder's class: counts in prose as round words (een zevental), compounds
    above twenty, Roman numerals, superscript or full-width digits and shares as words (de
    helft: 50%) are numbers of the sentence; ordinals and chapter numerals are not."""
    from analysis.release import sentences

    assert sentences.unpublished(text, "nl", {12.0, 25.0}) == unpublished


@pytest.mark.parametrize("text, unpublished", [
    ("One participant of unknown sex stopped.", ["One participant"]),
    ("Er is maar een deelnemer met onbekend geslacht.", ["een deelnemer"]),
    ("De enkele deelnemer met onbekend geslacht is gestopt", ["De enkele deelnemer"]),
    ("In triagepad 1 vonden alle 12 deelnemers werk.", ["alle 12"]), ("All twelve found work", ["All twelve"]),
    ("12 out of 12", ["12 out of 12"]), ("12/12", ["12/12"]), ("de volle 12", ["de volle 12"]),
    ("stuk voor stuk vonden ze werk", ["stuk voor stuk"]), ("every single one found work", ["every single one"]),
    ("ieder van hen", ["ieder van hen"]),
    ("12 van de 25 deelnemers", []), ("alle 25 niveaus van opleiding", []), ("one of the groups", []),
    ("een zevental deelnemers", ["zevental"]),
    # intruder round 11: more of the same classes
    ("twaalf van de twaalf vonden werk", ["twaalf van de twaalf"]), ("12 uit 12", ["12 uit 12"]),
    ("they all found work", ["they all"]), ("geen van hen zoekt nog", ["geen van hen"]),
    ("Een van de deelnemers stopte", ["Een van de deelnemers"]), ("Iemand met onbekend geslacht stopte", ["Iemand"]),
    ("een van de groepen", [])], ids=lambda v: v if isinstance(v, str) else None)
def test_one_person_and_whole_groups_said_in_ordinary_words_are_read(text, unpublished):
    """Intruder round 10 (W1): careless sentences that passed: one person with the article or
    pronoun ("een deelnemer", "One participant"), and a whole group by its size ("alle 12",
    "12/12") or in words needing no number ("stuk voor stuk")."""
    from analysis.release import sentences

    levels = {"triagepad": frozenset({1.0, 2.0, 3.0})}
    assert sentences.unpublished(text, "nl", {12.0, 25.0}, levels=levels) == unpublished


def test_a_service_the_administration_does_not_record_is_unknown_never_not_received():
    """Issue 24: an empty service cell is ``onbekend``; Figuur 11 counts it apart, checked
    against a count of the file read with the csv module."""
    import csv

    from analysis import paths
    from analysis.pilot import schema as ps, tables as pt

    services = list(ps.SERVICES)
    df = _shipped_marked(False)
    df[services[1]] = pd.array([pd.NA] * len(df), dtype="boolean")  # never recorded
    df.loc[df.index[:4], services[2]] = pd.NA  # not recorded for four persons
    table = pt.joint_figure_tables(df, 1)[0]["2021-04-16"]["figuur_11_dienstverlening"]
    with open(paths.DATA_RAW / "pilot_participants_synthetic.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    received = {s: sum(r[s] == "true" for r in rows) for s in services}
    received[services[1]] = 0
    received[services[2]] = sum(r[services[2]] == "true" for r in rows[4:])
    assert table["aantal"].astype(int).to_dict() == received
    assert table["onbekend"].astype(int).to_dict() == {s: {services[1]: len(rows), services[2]: 4}.get(s, 0)
                                                        for s in services}


def test_the_private_folder_is_refused_inside_any_published_folder(tmp_path, monkeypatch):
    """Intruder round 3: a private folder under reports-private/ published the key, the ledger
    and the checker's bundle; one under the reports folder in use was cleaned away."""
    from analysis import paths
    from analysis.pipeline.private_runs import default_reports
    from analysis.pipeline.runs import ReportError

    for inside in (paths.REPORTS_PRIVATE / "checker", paths.REPORTS / "x"):
        monkeypatch.setenv("VWNW_PRIVATE_DIR", str(inside))
        with pytest.raises(ValueError, match="inside the published folder"):
            private_data.private_dir()
    monkeypatch.setenv("VWNW_PRIVATE_DIR", str(tmp_path / "site" / "files" / "private"))
    with pytest.raises(ReportError, match="inside the reports folder"):
        default_reports([], tmp_path / "site")


def test_the_private_folder_is_refused_where_git_would_commit_it(monkeypatch):
    """A private folder inside the project but not ignored by git (e.g. notebooks/private or
    data/raw/secret) would be committed with its ledger and key by the next ``git add -A``;
    the default, data/raw/private, is ignored and accepted."""
    import subprocess

    from analysis import paths

    for inside in (paths.PROJECT_ROOT / "notebooks" / "private", paths.DATA_RAW / "secret"):
        ignored = subprocess.run(["git", "check-ignore", "-q", f"{inside}/"], cwd=paths.PROJECT_ROOT).returncode
        assert ignored == 1  # independently: git would commit it
        monkeypatch.setenv("VWNW_PRIVATE_DIR", str(inside))
        with pytest.raises(ValueError, match="git does not ignore it"):
            private_data.private_dir()
        assert not inside.exists()
    default = paths.DATA_RAW / "private"
    assert private_data.private_dir_problem(default.resolve()) is None


def test_a_crosstab_counts_by_codes_never_by_dates_ids_or_numbers():
    """Intruder round 3: run.crosstab("uitstroomdatum") listed every outflow date as a row
    label (each an individual fact); only the codebook's categories, yes/no columns and the
    release's grouped variables may be counted by."""
    from types import SimpleNamespace

    from analysis.release.run import Run

    df = _shipped_marked(False)
    out = SimpleNamespace(private=False, min_cell_count=1)
    run = Run("02_pilot_participants", {"cutoff_date": "2021-04-16", "language": "nl"}, df, out,
              ["2021-04-01", "2021-04-16"], "t")
    assert run.crosstab("geslacht", "status").loc["Totaal", "Totaal"] == len(df)
    assert run.crosstab("leeftijd").loc["Totaal"] == len(df)  # the release's age groups, not ages
    for raw in ("uitstroomdatum", "dienstjaren_exact", "instroomdatum"):
        with pytest.raises((released.UnreleasedOutput, KeyError)):
            run.crosstab(raw)


def test_on_real_data_a_table_of_a_model_predictor_by_status_is_refused():
    """Intruder round 3: run.crosstab("triage", "status") in notebook 02 and the outflow rates
    by triage of notebook 03 (two releases that are not protected together) gave back a
    withheld count of 7 and two zeros. On real data such a table is refused; on synthetic data
    and for variables the models do not use it is released."""
    from types import SimpleNamespace

    from analysis.release.run import Run

    def run_on(real: bool):
        out = SimpleNamespace(private=real, min_cell_count=10 if real else 1)
        return Run("02_pilot_participants", {"cutoff_date": "2021-04-16", "language": "nl"}, _shipped_marked(real),
                   out, ["2021-04-01", "2021-04-16"], "t")

    assert run_on(False).crosstab("triage", "status") is not None
    with pytest.raises(released.UnreleasedOutput, match="outcome models"):
        run_on(True).crosstab("triage", "status")
    assert run_on(True).crosstab("geslacht", "status") is not None


def test_a_raw_twin_of_a_release_variable_is_refused_in_a_crosstab():
    """Intruder round 5: run.crosstab("status_20210416"), ("sector_nieuw") and
    ("opleidingsniveau", "status") counted the file's own columns, which hold what the
    release's status, sector and education hold but were linked to none of its tables: the
    movers between the two dates (9, 3, 3) and withheld education cells came back. A column
    that determines a release variable, or is determined by it, is refused; "s2" is status."""
    from types import SimpleNamespace

    from analysis.release.run import Run

    df = _shipped_marked(True)
    assert (df["status_20210416"].astype(str).groupby(ps_status_on(df, "2021-04-16").astype(str)).nunique() == 1).all()
    run = Run("02_pilot_participants", {"cutoff_date": "2021-04-16", "language": "nl"}, df,
              SimpleNamespace(private=True, min_cell_count=10), ["2021-04-01", "2021-04-16"], "t")
    for index, columns in (("status_20210416", None), ("sector_nieuw", None), ("geslacht", "status_20210401"),
                           ("opleidingsniveau", "status"), ("functie", None)):
        with pytest.raises(released.UnreleasedOutput, match="holds the same information"):
            run.crosstab(index, columns)
    with pytest.raises(released.UnreleasedOutput, match="outcome models"):
        run.crosstab("opleiding", "s2")
    with pytest.raises(released.UnreleasedOutput, match="outcome models"):  # intruder round 6: a new job's
        run.crosstab("opleiding", "sector")  # sector means work, so with the models' rates it gave 10 of 10
    assert run.crosstab("geslacht", "status") is not None  # the control: a column of its own


def test_a_sentence_states_only_counts_already_published_exactly():
    """Intruder round 4: "1 personen" passed because a p-value of 0.97 rounds to 1. A whole
    number must be a published count exactly; a percentage may be a rate of published counts."""
    from analysis.release import sentences

    known = {0.97, 12.0, 108.0, 162.0}
    assert sentences.unpublished("1 personen, 12 mensen", "nl", known) == ["1"]
    assert sentences.unpublished("67% (108 van 162)", "nl", known) == []
    assert sentences.unpublished("0,97", "nl", known) == []


def test_rows_of_the_participant_file_cannot_be_marked_public():
    """Intruder round 4: run.public(rows) of the file's text columns published one person's
    record."""
    from types import SimpleNamespace

    from analysis.release.run import Run

    df = _shipped_marked(True)
    run = Run("02_pilot_participants", {"cutoff_date": "2021-04-16", "language": "nl"}, df,
              SimpleNamespace(private=True, min_cell_count=10), ["2021-04-01", "2021-04-16"], "t")
    with pytest.raises(released.UnreleasedOutput, match="records of persons"):
        run.public(df[["geslacht", "opleidingsniveau", "sector_nieuw"]].head(1))
    assert released.is_marked(run.public(pd.DataFrame({"column": ["n"], "meaning": ["persons"]})))
    for text in ("7 personen", "zeven mannen"):  # intruder round 5: a text table that names a count
        with pytest.raises(released.UnreleasedOutput, match="run.public"):
            run.public(pd.DataFrame({"column": ["n"], "meaning": [text]}))


def test_output_names_carry_a_studys_id_never_its_path():
    """Hostile tester round 3: study=/tmp/x/../schoonmaak_twente_2023.yml put the path into
    every output name, so a run wrote beside the study file, outside the reports folder."""
    from analysis.release.run import study_id, tag_of

    p = {"cutoff_date": "2021-04-16", "language": "nl", "min_cell_count": 10,
         "study": "/tmp/h3/st/../../tmp/h3/st/schoonmaak_twente_2023.yml"}
    assert study_id(p["study"]) == "schoonmaak_twente_2023"
    tag = tag_of("02_pilot_participants", p)
    assert tag == "schoonmaak_twente_2023_20210416_nl_k10" and "/" not in tag


def test_each_release_has_its_own_checkers_folder(private_folder, tmp_path):
    """Hostile tester round 5 (CHK): the checker's folder was named by notebook and tag alone,
    so the synthetic run of the same tag overwrote a real release's results.json."""
    from types import SimpleNamespace

    from analysis.release.run import Run

    def run(real: bool, content: str) -> Run:
        files = {"participants": tmp_path / f"{content}.csv"}
        files["participants"].write_text(content)
        return Run("02_pilot_participants", {"cutoff_date": "2021-04-16", "language": "nl"}, _shipped_marked(real),
                   SimpleNamespace(private=real, min_cell_count=10), ["2021-04-01", "2021-04-16"], "20210416_nl_k10",
                   input_files=files)

    real, again, other, synthetic = run(True, "a"), run(True, "a"), run(True, "b"), run(False, "c")
    names = [r.bundle_name() for r in (real, again, other, synthetic)]
    assert names[0] == names[1] and len(set(names)) == 3
    assert all(n.startswith("02_pilot_participants_20210416_nl_k10-") for n in names)
    assert names[3].endswith("-synthetic") and "a.csv" not in names[0]


def test_a_lost_provenance_key_is_not_replaced_while_the_ledger_records_releases(private_folder):
    """Hostile tester round 5 (LED-c, LED-d): the deleted key was re-created silently; the
    ledger's persons and files, named under the old key, no longer matched, and a corrected
    file under a copied study published the removed person's group."""
    from analysis.private_data import key

    first = key()
    assert key() == first  # created once, then read
    (private_folder / ".provenance-key").unlink()
    assert key() != first  # no release recorded: a new key is harmless
    (private_folder / "releases").mkdir()
    (private_folder / "releases" / "ledger.jsonl").write_text('{"study": "s"}\n', encoding="utf-8")
    (private_folder / ".provenance-key").unlink()
    with pytest.raises(ValueError, match="missing, but the release ledger beside it records 1 release"):
        key()
    assert not (private_folder / ".provenance-key").exists()


def test_a_private_folder_that_is_a_link_below_the_project_is_refused(tmp_path, monkeypatch):
    """Hostile tester round 5 (L3): ``data/raw/private`` as a symbolic link took the ledger,
    the key and the checker's bundle through it, where docs/runner_safety.md refuses links."""
    from analysis import paths, private_data

    monkeypatch.delenv("VWNW_PRIVATE_DIR", raising=False)
    raw = tmp_path / "raw"
    raw.mkdir()
    (tmp_path / "elsewhere").mkdir()
    (raw / "private").symlink_to(tmp_path / "elsewhere")
    monkeypatch.setattr(paths, "DATA_RAW", raw)
    with pytest.raises(ValueError, match="symbolic link.*set VWNW_PRIVATE_DIR="):
        private_data.private_dir()
    monkeypatch.setenv("VWNW_PRIVATE_DIR", str(tmp_path / "elsewhere"))
    assert private_data.private_dir() == (tmp_path / "elsewhere").resolve()


def test_releases_recorded_under_another_provenance_key_stop_the_next_release(private_folder):
    """Intruder round 9 (K1): the key file overwritten with another key; the ledger's inputs and
    persons, named under the old one, no longer met the corrected file, which published."""
    from analysis import ledger
    from analysis.private_data import key

    key()
    entry = ledger.Entry("s", "hmac:a", "02", 10, ("2021-04-01",), {"t|x": 12}, {}, (), ledger.key_fingerprint())
    ledger.record(entry)
    ledger.require_one_key(ledger.read())  # the same key: fine
    (private_folder / ".provenance-key").write_text("00" * 32 + "\n", encoding="ascii")  # another key
    with pytest.raises(ValueError, match="1 recorded release.*another provenance key.*Restore the key"):
        ledger.require_one_key(ledger.read())
    ledger.require_one_key([ledger.Entry("s", "hmac:a", "02", 10, (), {})])  # written before keys were noted


def test_a_number_in_a_table_s_labels_is_read_as_the_number_it_is():
    """Intruder round 9 (N0): notebook 04's curves table, indexed by the steps' ends, stopped on
    every real file with a step at six months: its end of 182.625 days was read as the text
    "182.625", on a Dutch page the whole number 182625. Text labels are still read as text."""
    from analysis.release.run import _table_numbers

    ends = pd.DataFrame({"n_risk": [120, 110]}, index=pd.MultiIndex.from_tuples(
        [("start", "all", 182.625), ("start", "triagepad=1", 183.0)], names=["origin", "curve", "end"]))
    assert {182.625, 183.0} <= _table_numbers(ends, "nl") and 182625.0 not in _table_numbers(ends, "nl")
    assert 3.0 in _table_numbers(pd.DataFrame({"n": [12]}, index=["groep (n=3)"]), "nl")


def _absent_or_one(inside: int, level: str):
    """Notebook 03's gated rates, tests, model rows and separation rows on a real file
    where ``inside`` (0 or 1) of the 13 persons with education ``level`` stayed."""
    from analysis.pilot import outcomes, tables as pt
    from analysis.pilot.synthetic import generate_participants
    from analysis.stats import models, output_gate

    df = generate_participants(200, seed=140)
    stayed = outcomes.stayed(df, "2021-04-16").to_numpy()
    others = [lev for lev in ("laag", "middelbaar", "hoog") if lev != level]
    education = np.where(np.arange(len(df)) % 2, *others).astype(object)
    education[np.flatnonzero(~stayed)[:13 - inside]] = level
    education[np.flatnonzero(stayed)[:inside]] = level
    df = df.assign(opleidingsniveau=education, synthetisch=False)
    frame, _ = outcomes.analysis_frame(df, "work", "2021-04-16", "stayed")
    assert (frame["opleiding"].astype(str) == level).sum() == inside  # independently: who stayed
    terms = ["triage", "opleiding"]
    r = pt.model_release(df, terms, "work", "2021-04-16", "stayed", 10)
    rates = output_gate.gate_rates(pd.concat([models.rates_by_group(frame, g) for g in terms], ignore_index=True), r)
    tests = models.exact_tests(frame, terms, min_group_n=10).drop(columns="table")
    tests = output_gate.gate_tests(tests, r)
    fits = [models.firth_logit, models.ml_logit, models.linear_probability]
    tidy = pd.concat([f(frame, terms, min_group_n=10) for f in fits], ignore_index=True)
    tidy = output_gate.gate_terms(tidy, r, terms)
    sep = output_gate.gate_terms(models.separation(frame, terms), r, terms)
    return {"rates": (rates, ["group", "level"]), "tests": (tests, ["group", "comparison", "test", "family"]),
            "models": (tidy, ["model", "term"]), "separation": (sep, ["term"])}


@pytest.mark.slow
@pytest.mark.parametrize("level", ["hoog", "laag"])  # laag: the reference level of the models
def test_an_education_level_no_one_stayed_in_looks_like_a_small_one(level):
    """Intruder round 11: when every "hoog" participant had stopped, notebook 03 left the
    level out of the rates, the exact tests ("all 2 levels", "(2 tests)") and the models,
    and its absence said the count was 0, a fact of each of them. Its rows must read exactly
    as they would with one person of that level in the population: the same rows, labels
    and withheld marks (the control: with one person, the level has rows of its own)."""
    absent, one = _absent_or_one(0, level), _absent_or_one(1, level)
    assert level in set(one["rates"][0]["level"])  # the control: a level of one person has its row
    for name, (table, ids) in one.items():
        assert_frame_equal(absent[name][0][[*ids, "note"]], table[[*ids, "note"]], obj=name)
    rates = absent["rates"][0].set_index("level")
    assert rates.loc[level, "note"] == "withheld (disclosure control)"


def _triage_one_all_in_work():
    """A real file of 300 (the generator's, edited): triage path 1 holds 12 persons, all in
    work on 16 April; everyone without a triage path never started (20 and 20)."""
    from analysis.pilot import outcomes, schema as ps
    from analysis.pilot.synthetic import generate_participants

    df = generate_participants(300, seed=7)
    work = ps.status_on(df, "2021-04-16").isin(outcomes.DEFINITIONS["work"]).to_numpy()
    triage = df["triage"].astype("Int64").fillna(0).to_numpy()
    df.loc[df.index[np.flatnonzero((triage == 3) & work)[:12 - (triage == 1).sum()]], "triage"] = 1
    return df.assign(synthetisch=False)


def _triage_one_events_derived(df, rule_off: bool, monkeypatch) -> int | None:
    """Intruder round 12: the triage-1 events an intruder derives from notebook 03's rates
    (population "all"), Figuur 10 and Figuur 12, and the codebook (who never started has
    no triage path and no work): the total events minus the other paths' shown events,
    when Figuur 10's persons without triage equal Figuur 12's who never started."""
    from analysis.pilot import outcomes, schema as ps, tables as pt
    from analysis.stats import models, output_gate

    if rule_off:  # the gate of that round: without the rule, and without the later watch of moves
        monkeypatch.setattr(pt, "_never_started_rule", lambda population: None)
        monkeypatch.setattr(output_gate.Release, "watch_zero", lambda self, *a, **k: None)
    by_date = pt.joint_figure_tables(df, 10, cutoffs=ps.CUTOFF_DATES)[0]
    figures = by_date["2021-04-16"]
    frame, _ = outcomes.analysis_frame(df, "work", "2021-04-16", "all")
    r = pt.model_release(df, ["triage"], "work", "2021-04-16", "all", 10, by_date)
    rates = output_gate.gate_rates(models.rates_by_group(frame, "triage"), r).set_index("level")
    never = figures["figuur_12_uitstroom"]["niet_gestart"]
    if not output_gate.outcome_shown(r) or pd.isna(never) or never != figures["figuur_10_triage"]["geen_triage"]:
        return None
    others = rates.loc[["2", "3"], "events"]
    return None if others.isna().any() else int(r.cells["events"].value - others.astype(int).sum())


@pytest.mark.slow
def test_who_never_started_is_known_to_have_no_triage_and_no_work(monkeypatch):
    """Intruder round 12: notebook 03 with population "all" showed triage 2's and 3's rates;
    the total events less theirs is triage 1's and those without triage, and the latter
    (Figuur 10's 20 without triage, Figuur 12's 20 who never started) had no work by the
    codebook: triage path 1, 12 of 12 in work. Notebook 03's block states that rule now; the
    control (the block without it) publishes what gives 12."""
    df = _triage_one_all_in_work()
    assert _triage_one_events_derived(df, True, monkeypatch) == 12  # the control: the leak
    monkeypatch.undo()
    assert _triage_one_events_derived(df, False, monkeypatch) is None


def test_another_analysis_of_the_same_people_is_refused():
    """Intruder round 12: notebook 03's rates for the population "stayed" and for "all", and
    notebook 04's curves at two cut-off dates, are released apart; differenced they gave
    counts of 3 and 0. A release of another analysis of the same people by notebook 03 or 04
    is refused (the same analysis, e.g. in another language, is not)."""
    from types import SimpleNamespace

    from analysis.pilot.synthetic import generate_participants
    from analysis.release.run import Run

    df = generate_participants(200, seed=3).assign(synthetisch=False)
    people = ledger.people_sketch(df["deelnemer_id"])
    earlier = ledger.Entry("catering", "hmac:a", "03:work:2021-04-16:stayed:triage", 10, ("2021-04-16",),
                           {}, {}, people)
    out = SimpleNamespace(private=True, min_cell_count=10)

    def run(population: str):
        r = Run("03_outcome_models", {"cutoff_date": "2021-04-16"}, df, out, ["2021-04-01", "2021-04-16"], "t",
                entries=[earlier], people=people)
        return r.model_release(["triage"], "work", population)

    assert run("stayed") is not None  # the same analysis: its earlier cells are priors
    with pytest.raises(released.UnreleasedOutput, match="other analysis parameters .*stayed.*now work:2021-04-16:all"):
        run("all")
    assert ledger.other_analyses([earlier], "03:work:2021-04-16:all:triage") == [earlier.notebook]
    # round 15: notebook 04 of the same file is not gated with 03 either (their difference gave counts of 2 to 6)
    assert ledger.other_analyses([earlier], "04:2021-04-16:work:start:triage") == [earlier.notebook]
    assert ledger.other_analyses([earlier], "02:2021-04-01") == []  # notebook 02 is gated with both
    r4 = Run("04_time_to_work", {"cutoff_date": "2021-04-16"}, df, out, ["2021-04-01", "2021-04-16"], "t",
             entries=[earlier], people=people)
    r4._scope["04"] = "04:2021-04-16:work:start:triage"
    with pytest.raises(released.UnreleasedOutput, match="notebook 03 was published earlier .* notebook 04 of the same"):
        r4._refuse_other_analysis("04")
    renamed = ledger.people_sketch([f"R{i}" for i in range(200)])  # round 13: a re-export under new pseudonyms
    assert ledger.related([earlier], "catering", renamed) == [earlier]  # the same study: related all the same


def test_two_analyses_of_one_private_file_in_one_invocation_are_refused():
    """The same in one invocation: its runs of notebook 03 (or 04) on one private file must
    agree on the analysis (a run in English may stay beside the Dutch one)."""
    from analysis.pipeline.runs import NotebookRun, analysis_problem

    nb = "notebooks/03_outcome_models.ipynb"
    private = {"participants_path": "data/raw/private/deelnemers.xlsx", "status_history_path": ""}
    nl = NotebookRun("03_outcome_models", nb, {**private, "population": "stayed"})
    en = NotebookRun("03_outcome_models-en", nb, {**private, "population": "stayed", "language": "en"})
    all_ = NotebookRun("03_outcome_models-all", nb, {**private, "population": "all"})
    assert analysis_problem([nl, en]) is None
    problem = analysis_problem([nl, en, all_])
    assert "03_outcome_models' and '03_outcome_models-all'" in problem and "population stayed and all" in problem
    shipped = [NotebookRun(r.name, nb, {"population": r.parameters["population"]}) for r in (nl, all_)]
    assert analysis_problem(shipped) is None  # synthetic shipped data: nothing to protect
    nb4 = "notebooks/04_time_to_work.ipynb"
    dates = [NotebookRun(f"04-{d}", nb4, {**private, "cutoff_date": d}) for d in ("2021-04-01", "2021-04-16")]
    assert "cutoff_date 2021-04-01 and 2021-04-16" in analysis_problem(dates)
    thresholds = [NotebookRun(f"04-{k}", nb4, {**private, "min_cell_count": k}) for k in (10, 13)]
    assert "min_cell_count 10 and 13" in analysis_problem(thresholds)  # round 13: 13 showed what 10 withheld
    nb2 = "notebooks/02_pilot_participants.ipynb"
    mixed = [NotebookRun("02", nb2, {**private, "min_cell_count": 11}), NotebookRun("03", nb, {**private})]
    assert "min_cell_count 11 and 10" in analysis_problem(mixed)  # 03's default is 10
    both = [NotebookRun("03_outcome_models", nb, {**private}), NotebookRun("04_time_to_work", nb4, {**private})]
    assert "notebook 03 and notebook 04 of one private file" in analysis_problem(both)  # round 15
    assert analysis_problem([NotebookRun("03", nb, {**private}), NotebookRun("04", nb4, {"cutoff_date": "x"})]) is None
    lists = [NotebookRun(f"03-{i}", nb, {**private, "predictors": p}) for i, p in
             enumerate((["triage", "opleiding"], "triage, opleiding"))]
    assert analysis_problem(lists) is None  # a list and its comma-separated text are the same


def test_notebooks_03_and_04_of_one_file_are_refused_however_its_path_is_written(tmp_path, monkeypatch):
    """Attack 16: notebook 04's path written ``data/raw/private/./deelnemers.csv`` passed the
    check, which compared the parameters as written. The file is known by its content: another
    spelling, a link and a byte copy are the same file; another file is not."""
    from analysis import paths
    from analysis.pipeline.runs import NotebookRun, analysis_problem

    monkeypatch.setattr(paths, "DATA_RAW", tmp_path / "data" / "raw")
    monkeypatch.setattr(paths, "PROJECT_ROOT", tmp_path)
    folder = tmp_path / "data" / "raw" / "private"
    folder.mkdir(parents=True)
    (folder / "deelnemers.csv").write_text("deelnemer_id\nP1\n")
    (folder / "kopie.csv").write_text("deelnemer_id\nP1\n")
    (folder / "link.csv").symlink_to(folder / "deelnemers.csv")
    (folder / "ander.csv").write_text("deelnemer_id\nP2\n")
    nb3, nb4 = str(paths.NOTEBOOKS / "03_outcome_models.ipynb"), str(paths.NOTEBOOKS / "04_time_to_work.ipynb")
    run3 = NotebookRun("03", nb3, {"participants_path": "data/raw/private/deelnemers.csv", "status_history_path": ""})
    for spelt in ("data/raw/private/./deelnemers.csv", str(folder / "deelnemers.csv"), "data/raw/private/link.csv",
                  "data/raw/private/kopie.csv", "data/raw/../raw/private/deelnemers.csv"):
        run4 = NotebookRun("04", nb4, {"participants_path": spelt, "status_history_path": ""})
        assert "notebook 03 and notebook 04 of one private file" in (analysis_problem([run3, run4]) or ""), spelt
    other = NotebookRun("04", nb4, {"participants_path": "data/raw/private/ander.csv", "status_history_path": ""})
    assert analysis_problem([run3, other]) is None


def test_releases_of_03_and_04_of_one_file_in_one_invocation_are_not_published(private_folder):
    """The kernels compare a release with the ledger, which does not yet hold the releases of
    their own invocation: the pending records of 03 and 04 of related files (the same study, or
    the same people however the file is named) are refused before anything is recorded."""
    people = ledger.people_sketch([f"P{i}" for i in range(40)])
    models = ledger.Entry("s", "hmac:a", "03:work:2021-04-16:stayed:triage", 10, ("2021-04-16",), {"c": 40}, {}, people)
    curves = ledger.Entry("s", "hmac:b", "04:2021-04-16:work:start:triage", 10, ("2021-04-16",), {"c": 40}, {}, people)
    figures = ledger.Entry("s", "hmac:a", "02", 10, ("2021-04-16",), {"c": 40}, {}, people)
    assert ledger.analyses_together([models, figures]) == []
    assert ledger.analyses_together([models, models]) == []  # the same analysis twice (a run in English)
    assert ledger.analyses_together([models, curves]) == sorted([curves.notebook, models.notebook])
    stranger = ledger.Entry("t", "hmac:c", curves.notebook, 10, ("2021-04-16",), {"c": 40}, {},
                            ledger.people_sketch([f"Q{i}" for i in range(40)]))
    assert ledger.analyses_together([models, stranger]) == []  # another study, other people
    with ledger.pending_releases() as pending:
        for entry in (figures, models, curves):
            ledger.record(entry)
        with pytest.raises(ledger.ReleaseClash, match="not protected together"):
            pending.commit()
    assert ledger.read() == []


def test_the_people_sketch_sees_ids_as_the_reader_does(private_folder):
    """Intruder round 13: a re-export whose ids were written in lower case (or lost their
    leading zeros in Excel) was a stranger to the ledger, whose sketch hashed the ids as
    written; the reader takes them for the same persons (case, spaces, leading zeros)."""
    ids = [f"P{i:04d}" for i in range(300)]
    assert ledger.people_sketch(ids) == ledger.people_sketch([i.lower() for i in ids])
    assert ledger.people_sketch(ids) == ledger.people_sketch([f"P{i}" for i in range(300)])
    assert ledger.people_sketch(ids) != ledger.people_sketch([f"Q{i:04d}" for i in range(300)])


def test_the_same_people_under_new_pseudonyms_and_another_study_id_are_related(private_folder):
    """Attack 16 (F2): notebook 03 of a file, then notebook 04 of the same people with every id
    re-keyed (P -> Q), under a copy of the study file with another id: the two releases were
    not related (neither study nor id sketch matched), and their difference gave 2, 4 and 6.
    The records without their ids relate them."""
    from analysis.pilot.synthetic import generate_participants

    people = generate_participants(200, seed=8).assign(synthetisch=False)
    rekeyed = people.assign(deelnemer_id=people["deelnemer_id"].str.replace("SYN", "Q", regex=False))
    corrected = people.copy()
    corrected.loc[corrected.index[0], "leeftijd"] = int(corrected.loc[corrected.index[0], "leeftijd"]) + 1
    later = pd.Timedelta(days=400)  # another pilot: other employers, another year's inflow
    others = people.assign(deelnemer_id="X" + people["deelnemer_id"], werkgever="Drukkerij " + people["werkgever"],
                           instroomdatum=people["instroomdatum"] + later, startdatum=people["startdatum"] + later)

    def sketch(df):
        return ledger.people_sketch(df["deelnemer_id"]) + ledger.records_sketch(df)

    earlier = ledger.Entry("catering", "hmac:a", "03:work:2021-04-16:stayed:triage", 10, ("2021-04-16",), {"c": 40},
                           {}, sketch(people))
    assert not set(ledger.people_sketch(rekeyed["deelnemer_id"])) & set(earlier.people)  # the ids alone: strangers
    assert ledger.related([earlier], "catering_b", sketch(rekeyed)) == [earlier]
    assert ledger.related([earlier], "catering_b", sketch(corrected)) == [earlier]
    assert ledger.related([earlier], "catering_b", sketch(others)) == []


@pytest.mark.parametrize("old_gate", [False, True], ids=["gate", "control"])
def test_a_count_the_report_bounds_is_not_pinned_by_a_shown_cell(private_folder, monkeypatch, old_gate):
    """Attack 16 (F4), on the 30-person pilot as a real file, literal route: the report's
    footnote 11 says 17 of 25 were in work or work with education on 16 April. The gate left
    "werk en scholing" out of its targets (the report already bounds it below 10) and showed
    nieuwe baan 15: 17 - 15 = 2, and so all three who moved into work after 1 April found a new
    job. The control, with the old gate (no such targets), finds the leak."""
    from analysis import paths
    from analysis.release import setup
    from analysis.stats import output_gate

    if old_gate:
        monkeypatch.setattr(output_gate.Release, "exact_targets", lambda self: [])
    rows = pd.read_csv(paths.DATA_RAW / "pilot_participants_synthetic.csv", dtype=str, keep_default_na=False)
    real = private_folder / "deelnemers.csv"
    private_folder.mkdir(parents=True, exist_ok=True)
    rows.assign(synthetisch="false").to_csv(real, index=False)
    try:
        run = setup("02_pilot_participants", {
            "study": "catering_noordoost_brabant_2021", "participants_path": str(real), "status_history_path": "",
            "cutoff_date": "2021-04-16", "language": "nl", "min_cell_count": 10, "joint_cutoffs": [],
            "processed_dir": "", "output_dir": str(private_folder / "scratch")})
        run.figure_tables()
    finally:
        released.set_private(False)  # the set-up guards this process's displays: the next test's are its own
    cells = run.release.cells
    new_job, with_study = (cells[f"figuur_12_uitstroom@2021-04-16|{s}"] for s in ("nieuwe_baan", "werk_en_scholing"))
    assert not with_study.shown
    recovered = 17 - new_job.value if new_job.shown else None  # the report's 17, minus the page
    assert (recovered == with_study.value) is old_gate
