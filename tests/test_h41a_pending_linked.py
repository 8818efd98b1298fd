"""Issue 23: two releases of one invocation are attacked jointly before anything is published.

A run compared its release with the ledger only (``Run._refuse_linked``), and the runs of one
``make report`` record into a pending file that reaches the ledger after every run finished:
the second release of an invocation never met the first. Here the first run's record is in
the invocation's pending file (a release of the same file that showed every cell of the figure
tables, e.g. another notebook's); the second run's ``finish`` must refuse, as it does when that
record is in the ledger. The reference: which of the second release's withheld cells the
first record's cells give back is counted here with pandas (the withheld cells hold 1 to 9
persons) -- every such atom is pinned by the first record alone."""

from __future__ import annotations

import copy

import pytest

from analysis import ledger
from analysis.private_data import key
from analysis.stats import released
from tests.test_attack22 import _participants, _real_run

K = 10


@pytest.fixture
def private(tmp_path, monkeypatch):
    monkeypatch.setenv("VWNW_PRIVATE_DIR", str(tmp_path / "private"))
    key()  # the provenance key, made before the first record (as a run makes it)
    return tmp_path / "private"


def _first_record(df, everything: bool) -> ledger.Entry:
    """The first run's record: notebook 02's figure tables of the file, under another analysis
    (so not a rerun of the second), with every cell shown (``everything``) or as released."""
    run = _real_run(df)
    run.figure_tables()
    structure = copy.deepcopy(ledger.describe(run.release))
    if everything:
        for c in structure["cells"].values():
            c["shown"] = True
    cells = {k: c["value"] for k, c in structure["cells"].items() if c["shown"]}
    return ledger.Entry(run.study, run.inputs_id, "03:work:2021-04-01:stayed:triage", K, tuple(run.cutoffs), cells,
                        structure, run.people)


def _second(df):
    run = _real_run(df)
    run.figure_tables()
    withheld = [c for c in run.release.cells.values() if not c.shown]
    assert any(0 < c.value < K for c in withheld)  # the release withholds small counts the first one shows
    return run


def test_the_second_release_of_an_invocation_is_attacked_with_the_first_before_it_is_recorded(private):
    df = _participants()
    with ledger.pending_releases():
        ledger.record(_first_record(df, everything=True))  # the invocation's first run
        run = _second(df)
        with pytest.raises(released.UnreleasedOutput, match="this invocation") as refused:
            run.finish()
        assert len(ledger.read()) == 0  # nothing reached the ledger
        assert not any(f"true {v}" in str(refused.value) for v in range(K))  # names cells, never counts


def test_control_the_same_first_record_in_the_ledger_is_refused_and_a_protected_one_is_not(private):
    df = _participants()
    ledger.record(_first_record(df, everything=True))  # outside the runner: into the ledger at once
    run = _second(df)
    run.entries = ledger.read()
    with pytest.raises(released.UnreleasedOutput, match="recorded earlier"):
        run.finish()
    with ledger.pending_releases() as pending:
        ledger.record(_first_record(df, everything=False))  # the first run's release as the gate made it
        run = _second(df)
        run.finish()  # no joint leak: recorded beside the first
        assert pending.commit() == 2
