"""Review 9 on the time-to-work page (notebook 04): Tabel T2 adjusts its p-values as the models
page does (Holm), flags a test that compares a group of a few persons, and figure titles join
two outcomes in words, not with a slash."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.presentation import survival_texts as st


def _logrank():
    return pd.DataFrame({"origin": ["start", "start", "inflow"], "definition": ["work", "work", "work"],
                         "group": ["triage", "opleiding", "triage"], "test": "log-rank", "chi2": [5.3, 0.2, 8.4],
                         "df": [2, 2, 2], "p_value": [0.04, 0.9, 0.01], "note": ["", "", ""],
                         "p_upper_bound": [False, False, False]})


def _curves():
    rows = []
    for origin in ("start", "inflow"):
        for curve, n in (("all", 30), ("triage=1", 1), ("triage=2", 13), ("triage=3", 14), ("triage=geen", 2),
                         ("opleiding=laag", 14), ("opleiding=middelbaar", 11), ("opleiding=hoog", 5)):
            if origin == "start" and curve == "triage=geen":
                continue
            rows += [(origin, "work", curve, 40.0, n), (origin, "work", curve, 90.0, max(n - 1, 0))]
    return pd.DataFrame(rows, columns=["origin", "definition", "curve", "end", "n_risk"])


def test_tabel_t2_has_holm_adjusted_p_values_as_the_models_page():
    """Holm by hand: sorted 0.01, 0.04, 0.9 times 3, 2, 1 = 0.03, 0.08, 0.9 (monotone)."""
    out = st.with_holm(_logrank())
    assert out["p_holm"].tolist() == pytest.approx([0.08, 0.9, 0.03])
    assert not out["p_holm_upper_bound"].any()
    view = st.tests_view(out, "nl")
    assert "P (Holm)" in view.columns or "p (Holm)" in view.columns
    assert view[[c for c in view.columns if "Holm" in c][0]].tolist() == ["0,080", "0,900", "0,030"]


def test_a_log_rank_test_of_a_group_of_one_is_flagged():
    """The smallest group each test compares, from the curves' first number at risk: by triage
    path 1 (path 1; the never triaged left out, as the test leaves them), by education 5."""
    out = st.group_sizes(_logrank(), _curves())
    assert out["group_n"].tolist() == [1, 5, 1]
    assert out["informative"].tolist() == [False, True, False]
    assert out["note"].tolist()[1] == "" and "smallest group of 1 (< 5): not informative" in out["note"].iloc[0]
    view = st.tests_view(st.with_holm(out), "nl")
    assert view["Kleinste groep (n)"].tolist() == ["1", "5", "1"]
    assert view["Toelichting"].tolist() == ["Te kleine groep: niet informatief", "",
                                            "Te kleine groep: niet informatief"]
    english = st.tests_view(st.with_holm(out), "en")
    assert english["Note"].iloc[0] == "Group too small: not informative"


def test_two_outcomes_in_a_title_are_joined_in_words_not_with_a_slash():
    assert st.outcomes_title(["work", "work_or_education"], "nl") == "werk en tot werk of opleiding"
    assert st.outcomes_title(["work", "work_or_education"], "en") == "work and to work or education"
    assert st.outcomes_title(["work"], "nl") == "werk"
    title = st.text("title_overall", "nl", outcome_short=st.outcomes_title(["work", "work_or_education"], "nl"),
                    origin=st.text("start", "nl"))
    assert "/" not in title


def test_an_xlsx_has_no_merged_cells_every_row_names_its_groups(tmp_path):
    """Review 9: the XLSX files merged the cells of a grouped index, so a sorted or filtered
    sheet lost the group of every row but the first."""
    import openpyxl

    from analysis.pipeline.export import write_xlsx

    frame = pd.DataFrame({"origin": ["start", "start", "inflow"], "group": ["a", "b", "a"], "n": [1, 2, 3]})
    write_xlsx(frame.set_index(["origin", "group"]), tmp_path / "t.xlsx", person_counts=False)
    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx")["tabel"]
    assert not sheet.merged_cells.ranges
    assert [c.value for c in sheet["A"]] == ["origin", "start", "start", "inflow"]


def test_no_published_xlsx_has_merged_cells():
    import openpyxl

    from analysis import paths

    files = sorted((paths.REPORTS / "tables").glob("*.xlsx"))
    if not files:
        pytest.skip("no published tables (run make report)")
    merged = [f.name for f in files if openpyxl.load_workbook(f)["tabel"].merged_cells.ranges]
    assert not merged, merged
