import numpy as np
import pandas as pd
import pytest

from analysis.stats import disclosure


def _recoverable(protected: pd.DataFrame, totals_rows: pd.Series, totals_cols: pd.Series) -> bool:
    """True if some hidden cell is the only hidden cell of a row or column with a known total."""
    hidden = protected.isna().to_numpy()
    return bool(((hidden.sum(axis=1) == 1) & totals_rows.notna().to_numpy()).any()
                or ((hidden.sum(axis=0) == 1) & totals_cols.notna().to_numpy()).any())


def test_small_cells_are_suppressed_and_zeros_kept():
    s = pd.Series([12, 3, 0, 15], index=list("abcd"))
    p = disclosure.protect(s, 10)
    assert p.isna().tolist() == [True, True, False, False]  # 3 primary, 12 secondary (smallest other)
    assert p["c"] == 0


def test_secondary_suppression_prevents_recovery_from_totals():
    rng = np.random.default_rng(0)
    for _ in range(200):
        counts = pd.DataFrame(rng.integers(0, 25, size=(4, 5)))
        p = disclosure.protect(counts, 10)
        shown = disclosure.with_totals(p, counts, "T")
        assert not _recoverable(p, shown["T"].iloc[:-1], shown.loc["T"].iloc[:-1])
        disclosure.assert_protected(shown, 10)


def test_a_single_hidden_cell_in_a_series_hides_the_total():
    s = pd.Series([0, 4, 0], index=list("abc"))
    shown = disclosure.with_totals(disclosure.protect(s, 10), s, "T")
    assert shown.isna().tolist() == [False, True, False, True]


def test_assert_protected_rejects_an_unprotected_table():
    with pytest.raises(ValueError, match="below 10"):
        disclosure.assert_protected(pd.Series([12, 3]), 10)


def test_writer_refuses_unprotected_person_counts(tmp_path):
    from analysis.pipeline.export import ReportOutputs
    from analysis.pipeline.provenance import Provenance

    out = ReportOutputs(tmp_path, Provenance("t", {}), min_cell_count=10)
    with pytest.raises(ValueError, match="disclosure control"):
        out.table(pd.Series([12, 3], name="aantal"), "t", person_counts=True)
    assert not (tmp_path / "tables").exists()
