"""Issue 23: whatever a run publishes is in the ledger's record, so the audit attacks it.

``run.derived`` marked a table computed from released numbers and published its counts that no
cell had shown (a power grid's group sizes, notebook 04's sums of a curve's counts), but the
ledger recorded only the release's cells: a corrected file whose derived count moved by 3
persons was never compared with the first release. Now the record holds them (``derived``), the
audit differences them across files of a study as it does shown cells, and a run refuses a
release whose derived count would differ by 1 to k-1 from a recorded release of another file.
The reference: the two counts written here (987 and 990 differ by 3, below 10)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import ledger
from analysis.release import audit
from analysis.stats import released
from tests.test_attack22 import _participants, _real_run

K = 10
EMPTY = {"threshold": K, "blocks": {}, "cells": {}}  # a release of no block (its counts are derived only)


def _published_run(df, count: int):
    """A run on the file (marked real) that shows its figure tables and a derived table of one
    count that nothing else published, then finishes (records the release)."""
    run = _real_run(df)
    run.figure_tables()
    assert float(count) not in run._sayable()  # independently: the count is not published by a cell
    run.derived(pd.DataFrame({"groepsgrootte": [count]}), "a group size from the released design")
    run.finish()
    return run


@pytest.fixture
def private(tmp_path, monkeypatch):
    monkeypatch.setenv("VWNW_PRIVATE_DIR", str(tmp_path / "private"))
    return tmp_path / "private"


def test_a_derived_tables_count_is_recorded_with_the_release(private):
    _published_run(_participants(), 987)
    recorded = ledger.read()
    assert recorded and all(e.derived == {"derived|0|0|groepsgrootte": 987} for e in recorded)
    again = ledger._entry(__import__("json").loads(ledger.line(recorded[0])))
    assert again == recorded[0]  # read back as written


def test_the_audit_differences_derived_counts_across_files_of_a_study(private):
    """A corrected file (another input hash, the same study) whose derived count is 990 beside
    the first release's 987: the audit reports it; 987 beside 1000 (13 apart) it does not."""
    first = ledger.Entry("study", "hmac:a", "02", K, ("2021-04-01",), {"t|x": 20}, EMPTY,
                         derived={"derived|0|0|n": 987})
    for value, found in ((990, True), (1000, False), (987, False)):
        second = ledger.Entry("study", "hmac:b", "02", K, ("2021-04-01",), {"t|x": 20}, EMPTY,
                              derived={"derived|0|0|n": value})
        leaks = audit.attack_ledger([first, second])
        assert (leaks == ["02: derived|0|0|n differs by 1 to 9 from another file's release"]) is found, leaks
    unrecorded = [ledger.Entry("study", i, "02", K, ("2021-04-01",), {"t|x": 20}, EMPTY) for i in ("hmac:a", "hmac:b")]
    assert audit.attack_ledger(unrecorded) == []  # the control: what the old record held shows nothing


def test_the_audit_reports_a_recorded_derived_count_below_k():
    """run.derived refuses an unpublished count below k; a record that holds one (a ledger
    written by other code, or a rule broken) is a leak the audit names, zeros included."""
    for value in (0, 4):
        e = ledger.Entry("study", "hmac:a", "02", K, ("2021-04-01",), {"t|x": 20}, EMPTY,
                         derived={"derived|1|0|n": value})
        assert audit.attack_entry(e) == [f"derived|1|0|n (a derived table's count {value}, below {K})"]


@pytest.mark.parametrize("value,refused", [(990, True), (1000, False)])
def test_a_run_refuses_a_derived_count_that_moved_by_fewer_than_k_from_another_files_release(private, value,
                                                                                            refused):
    """Another file of the study (its own input hash, the same counts in every cell) whose
    derived count is 990 beside the recorded 987: refused at run.finish(), before it is
    recorded; at 1000 (13 apart) the same release is recorded (the control)."""
    df = _participants()
    _published_run(df, 987)
    corrected = df.copy()  # other data (attack 26: the ledger names data, not bytes), the same shown cells
    corrected.loc[corrected.index[0], "geinterviewd"] = not bool(df["geinterviewd"].iloc[0])
    run = _real_run(corrected)
    (private / "corrected.csv").write_text("corrected\n")
    run.input_files = {"participants": private / "corrected.csv"}
    run.entries = ledger.read()
    run.figure_tables()
    run.derived(pd.DataFrame({"groepsgrootte": [value]}), "a group size from the released design")
    if refused:
        with pytest.raises(released.UnreleasedOutput, match="differ by fewer than 10"):
            run.finish()
    else:
        run.finish()
        assert any(e.derived == {"derived|0|0|groepsgrootte": 1000} for e in ledger.read())
