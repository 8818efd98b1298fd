"""The intruder audit reads the ledger (issue 23): what a release recorded is attacked as
it was published, a table added later included, with a control that finds the leaks of an
unprotected release."""

from __future__ import annotations

import pytest

from analysis import ledger, paths
from analysis.pilot import history, tables as pt
from analysis.release import audit, loading
from analysis.release.crosstab import protected_crosstab

K = 10


@pytest.fixture(scope="module")
def frame(pilot30_module):
    hist = history.load_history(paths.DATA_RAW / "pilot_status_history_synthetic.csv", pilot30_module)
    dates = loading.joint_dates({"cutoff_date": "2021-04-16"}, hist)
    return loading.with_dates(pilot30_module, hist, dates), dates


@pytest.fixture(scope="module")
def pilot30_module():
    from analysis.pilot.inputs import load_participants

    return load_participants(paths.DATA_RAW / "pilot_participants_synthetic.csv")


def entry(release, cutoffs=("2021-04-01", "2021-04-16")) -> ledger.Entry:
    cells = {k: c.value for k, c in release.cells.items() if c.shown}
    return ledger.Entry("study", "hmac:x", "02", K, tuple(cutoffs), cells, ledger.describe(release))


def test_the_recorded_release_of_notebook_02_and_an_added_crosstab_withstand_the_ledger_audit(frame):
    df, dates = frame
    _, _, r = pt.joint_figure_tables(df, K, cutoffs=dates)
    extra = pt._release_frame(df, dates).assign(geslacht=df["geslacht"].astype(object).fillna("onbekend"))
    protected_crosstab(r, extra, "geslacht", "s2", "geslacht_status")  # an evaluator's new table
    e = entry(r)
    assert any(k.startswith("geslacht_status|") for k in e.structure["cells"])  # recorded, so attacked
    assert audit.attack_entry(e) == []


def test_the_ledger_audit_finds_the_leaks_of_a_release_that_shows_everything(frame):
    df, dates = frame
    _, _, r = pt.joint_figure_tables(df, K, cutoffs=dates)
    for c in r.cells.values():
        c.shown = True  # the control: no suppression at all
    leaks = audit.attack_entry(entry(r))
    assert any("figuur_07" in x for x in leaks) and any("atom" in x for x in leaks), leaks


def test_the_ledger_audit_flags_a_corrected_file_differenced_with_the_first(frame):
    first = ledger.Entry("study", "hmac:a", "02", K, ("2021-04-01",), {"t|x": 20}, {})
    second = ledger.Entry("study", "hmac:b", "02", K, ("2021-04-01",), {"t|x": 21}, {})
    assert ledger.differences([first], "hmac:b", second.cells, K) == ["t|x"]
    structureless = [ledger.Entry(e.study, e.inputs, e.notebook, e.threshold, e.cutoffs, e.cells,
                                  {"threshold": K, "blocks": {}, "cells": {}}) for e in (first, second)]
    assert audit.attack_ledger(structureless) == ["02: t|x differs by 1 to 9 from another file's release"]


def test_a_model_release_is_recorded_and_attacked(frame):
    df, dates = frame
    r = pt.model_release(df, ["triage", "opleiding"], "work", "2021-04-16", "stayed", K)
    assert any(k.startswith("joint|") for k in ledger.describe(r)["cells"])
    assert audit.attack_entry(entry(r)) == []
    for c in r.cells.values():
        c.shown = True
    assert audit.attack_entry(entry(r))  # the control


# The 200 random populations: tests/test_intruder_audit_random.py attacks each population's
# releases both by hand and from their record.


def _two_atoms(ranges):
    block = {"counts": [2, 28], "identities": [[[0, 1], [1.0, 1.0], 30]], "public": [], "ranges": ranges,
             "columns": ["x"], "atoms": [["a"], ["b"]]}
    cells = {"t|b": {"block": "B", "atoms": [1], "value": 28, "shown": True}}
    return block, cells


def test_the_ledger_audit_reads_the_reports_bounds_as_the_gate_does():
    """The gate registers the report's "at least" and rounded shares as bounds (public
    knowledge); the ledger records them, and a count they alone pin below k is no leak of
    the release. Bounds that do not pin it leave the leak (30 - 28 = 2) found."""
    assert audit.attack_block("B", *_two_atoms([[[0], [1.0], 1.0, 3.0]]), K) == []
    assert audit.attack_block("B", *_two_atoms([[[0], [1.0], 0.0, 20.0]]), K) == ["B atom 0 (true 2)"]
    assert audit.attack_block("B", *_two_atoms([]), K) == ["B atom 0 (true 2)"]


def test_the_ledger_records_the_gates_public_bounds(frame):
    df, dates = frame
    _, _, r = pt.joint_figure_tables(df, K, cutoffs=dates)
    gate = {name: len(b.ranges) for name, b in r.blocks.items()}
    recorded = {name: len(b["ranges"]) for name, b in ledger.describe(r)["blocks"].items()}
    assert recorded == gate and sum(gate.values()) > 0
