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
    assert view["p (Holm)"].tolist() == ["0,080", "0,900", "0,030"]


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


def _omitted(label: str, top: str) -> object:
    from analysis.presentation import pilot_findings as pf

    table = pd.Series({top: 15, "gestopt": pd.NA, "opleiding": pd.NA, "totaal": 30}, dtype="Float64")
    return pf.Shown(label, "Titel", table)


def test_the_reason_a_figure_is_left_out_is_given_once():
    """Review 9: the 16 April page gave the same explanation under six figures and again in six
    findings. The findings say it once for every figure it removes; under the figures, the first
    gives it in full and the later ones refer to it."""
    from analysis.presentation import pilot_figures, pilot_findings as pf

    text = pf.findings([_omitted("Figuur 8", "nieuwe_baan"), _omitted("Figuur 12", "nieuwe_baan")], "nl", 10)
    assert text.count("blijven te weinig aantallen zichtbaar") == 1
    assert "Figuur 8 en Figuur 12 zijn weggelaten: na bescherming (drempel 10)" in text
    assert text.count("de grootste van de getoonde groepen: 15 van de 30") == 2  # what each table shows is still said
    nothing = pd.Series({"zorg": pd.NA, "horeca": 0, "totaal": pd.NA}, dtype="Float64")
    both = pf.findings([pf.Shown("Figuur 9", "Functie", nothing), pf.Shown("Figuur 13", "Sector", nothing)], "nl", 10)
    assert both.count("is het aantal van elke groep beschermd") == 1 and "Figuur 9 en Figuur 13 zijn weggelaten" in both
    single = pf.findings([_omitted("Figuur 8", "nieuwe_baan")], "nl", 10)
    assert single.count("is weggelaten") == 1
    first, later = (pilot_figures.left_out("Figuur 8", "nl", 10, first) for first in (True, False))
    assert "te weinig aantallen zichtbaar" in first and "te weinig" not in later and "dezelfde reden" in later


def _page_text(name: str) -> str:
    import html as html_lib
    import re

    from analysis import paths

    page = paths.REPORTS / "html" / "reviewer" / name
    if not page.exists():
        pytest.skip("no published pages (run make report)")
    text = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", page.read_text(encoding="utf-8"), flags=re.S)
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", text))


def test_a_synthetic_page_at_threshold_10_does_not_claim_a_joint_protection_the_threshold_1_page_undoes():
    """Review 9: the 16 April page (threshold 10) said everything published from the file is
    protected together, beside the 1 April page of the same synthetic file at threshold 1."""
    text = " ".join(_page_text("02_pilot_participants-20210416.html").split())
    assert "ook op de andere peildata, is samen beschermd." not in text
    assert "Bij echte gegevens is alles wat uit hetzelfde bestand is gepubliceerd" in text
    assert "Deze gegevens zijn synthetisch. Een pagina met synthetische gegevens mag een lagere drempel" in text
    assert "mag een lagere drempel" not in " ".join(_page_text("02_pilot_participants.html").split())  # threshold 1
    assert text.count("blijven na bescherming te weinig aantallen zichtbaar") <= 1
    assert text.count("te weinig aantallen zichtbaar") <= 2  # once in the findings, once under the first figure


def test_the_dwsra_page_follows_the_report_s_order():
    """Review 9: the DWSRA page's sections were not in the report's order (financial progress,
    paragraaf 4.2, came after Tabel 4.1 and 4.2, which the report prints in 4.3). Each exhibit
    taken from the report stands where the report prints it: by the source lines of its cells
    in data/raw (the published cells, the interview counts), independent of the page."""
    import re

    from analysis import paths

    raw = paths.PROJECT_ROOT / "data" / "raw"
    lines = pd.concat([pd.read_csv(raw / "dwsra_published_cells.csv")[["table", "source_line"]],
                       pd.read_csv(raw / "dwsra_interview_counts.csv")[["table", "source_line"]]])
    first = lines.groupby("table")["source_line"].min()
    # the report's tables and the part of the report each shows (the page's own tables of a paragraph's text,
    # E.1-E.7, stand in Bijlage E after them since review 12, in the same order among themselves)
    shown = {"Tabel 2.1 ": "tabel_2_1", "Tabel 2.2 ": "tabel_2_2",
             "Tabel 2.3 ": "tabel_2_3", "Tabel 2.4 ": "tabel_2_4", "Tabel 3.1 ": "tabel_3_1", "Tabel 3.2 ": "tabel_3_2",
             "Tabel 3.3 ": "tabel_3_3", "Tabel 3.4 ": "tabel_3_4", "Tabel 4.1 ": "tabel_4_1",
             "Tabel 4.2 ": "tabel_4_2"}
    texts = ["Tabel E.1 ", "Tabel E.2 ", "Tabel E.6 "]  # paragraaf 2.1, 2.2, 4.2: in the report's order
    page = paths.REPORTS / "html" / "reviewer" / "01_dwsra_portfolio.html"
    if not page.exists():
        pytest.skip("no published pages (run make report)")
    headings = [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h[23][^>]*>(.*?)</h[23]>", page.read_text("utf-8"))]
    at = {name: next(i for i, h in enumerate(headings) if h.startswith(name)) for name in [*shown, *texts]}
    on_page = sorted(shown, key=at.get)
    in_report = sorted(shown, key=lambda name: first[shown[name]])
    assert on_page == in_report
    assert sorted(texts, key=at.get) == texts and min(at[t] for t in texts) > max(at[t] for t in shown)


def test_the_dwsra_comparison_lists_the_cells_in_the_report_s_order():
    """Review 9: Bijlage A listed the cells of paragraaf 1.2 after those of 3.3. Each row's line
    in the report (data/raw) orders the table."""
    from analysis import paths
    from analysis.dwsra import checks

    published = pd.read_csv(paths.PROJECT_ROOT / "data" / "raw" / "dwsra_published_cells.csv")
    computed = pd.DataFrame(columns=["table", "row", "column", "computed"])
    out = checks.compare_with_published(published, computed.astype({"computed": float}), "nl")
    assert out["source_line"].is_monotonic_increasing
    assert len(out) == len(published)
