"""Review 12's page items mended by H40p: the English landing page's order (item 11), the models
page's sections numbered M.1-M.5 (item 7), the report's paragraph 6.1 named so (item 7), the ceiling
check's excess with one project (item 9) and the English words for *in bemiddeling* and *traject*
(item 10). Each fails on the pages before this change."""


import nbformat
import pandas as pd
import pytest

from analysis import paths
from analysis.dwsra import ceiling
from analysis.pipeline.site import ordered_runs
from analysis.presentation.labels import label
from analysis.study import load_study

STATE = {"02_pilot_participants": {"parameters": {"cutoff_date": "2021-04-01"}},
         "02_pilot_participants-20210416": {"parameters": {"cutoff_date": "2021-04-16"}},
         "02_pilot_participants-20210416-en": {"parameters": {"cutoff_date": "2021-04-16", "language": "en"}},
         "02_pilot_participants-en": {"parameters": {"cutoff_date": "2021-04-01", "language": "en"}},
         "01_dwsra_portfolio-en": {"parameters": {"language": "en"}}}


def test_the_english_landing_page_lists_1_april_before_16_april_as_the_dutch_one_does():
    en = ordered_runs(STATE, "en")
    assert en[:3] == ["01_dwsra_portfolio-en", "02_pilot_participants-en", "02_pilot_participants-20210416-en"]
    nl = ordered_runs(STATE, "nl")
    assert nl[:2] == ["02_pilot_participants", "02_pilot_participants-20210416"]


def test_the_models_page_numbers_its_sections_m1_to_m5_and_refers_to_them_so():
    book = nbformat.read(paths.PROJECT_ROOT / "notebooks" / "03_outcome_models.ipynb", as_version=4)
    text = "\n".join(c.source for c in book.cells if c.cell_type == "markdown")
    headings = [line.split()[1] for line in text.splitlines() if line.startswith("## ") and line[3:4].isupper()
                and line.split()[1][:1] == "M"]
    assert headings == [f"M.{n}" for n in (1, 1, 2, 2, 3, 3, 4, 4, 5, 5)]
    for old in ("paragraaf 5", "section 5", "paragraaf 2", "section 2"):
        assert f"({old})" not in text and f"({old}," not in text, old


def test_the_reports_paragraph_6_1_is_a_paragraaf_not_a_hoofdstuk():
    labels = load_study().labels if hasattr(load_study(), "labels") else {}
    shown = labels.get("Hoofdstuk 6.1") if isinstance(labels, dict) else None
    pair = (shown["nl"], shown["en"]) if isinstance(shown, dict) else (label("Hoofdstuk 6.1", "nl"),
                                                                       label("Hoofdstuk 6.1", "en"))
    assert pair == ("Paragraaf 6.1", "Section 6.1")


def test_one_project_above_the_ceiling_is_not_called_the_smallest_excess():
    # 0.69 x 1000 = 690: 900 lies 210 above, 800 lies 110 above (both excesses, beyond the margin)
    one = pd.DataFrame({"direct_costs_eur": [1000.0, 1000.0], "max_subsidy_eur": [900.0, 500.0]})
    two = pd.DataFrame({"direct_costs_eur": [1000.0, 1000.0], "max_subsidy_eur": [900.0, 800.0]})
    assert "Eén project ligt erboven, met € 210" in ceiling.tolerance_sentence(one, "nl")
    assert "One project lies above it, by €210" in ceiling.tolerance_sentence(one, "en")
    assert "kleinste" not in ceiling.tolerance_sentence(one, "nl")
    assert "De kleinste overschrijding is € 110" in ceiling.tolerance_sentence(two, "nl")


def test_in_bemiddeling_is_job_matching_support_in_english_and_no_label_says_mediation():
    assert label("bemiddeling", "en") == "In job-matching support"
    study = (paths.PROJECT_ROOT / "studies" / "catering_noordoost_brabant_2021.yml").read_text(encoding="utf-8")
    facts = (paths.PROJECT_ROOT / "studies" / "catering_noordoost_brabant_2021.facts.yml").read_text(encoding="utf-8")
    assert "mediation" not in "\n".join(line for line in (study + facts).splitlines() if "en:" in line)
    assert "PON en Telos" not in study


@pytest.mark.skipif(not (paths.REPORTS / "html").is_dir(), reason="run make report first")
def test_the_published_english_pages_say_no_mediation_or_trajectory():
    pages = sorted((paths.REPORTS / "html").glob("*-en.html"))
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "in mediation" not in text.lower() and "trajectory" not in text, page.name


@pytest.mark.parametrize(("value", "printed", "lang", "expected"), [
    ("0..30.54", "maximaal € 30,55 miljoen", "nl", "hoogstens € 30,54 mln"),
    ("0..30.54", "at most €30.55 million", "en", "at most €30.54 mln"),
    ("68.09..68.09", "60%", "nl", "68,09%"),
    ("67.91..68.26", "65%", "nl", "67,91–68,26%"),
    ("21.28", "20%", "en", "21.28%"),
    ("1.238..1.254", "€ 1,4", "nl", "€ 1,238–1,254"),
    ("2019-07-01", "30 juni 2019", "nl", "1 juli 2019")])
def test_tabel_c2_writes_a_recomputed_value_in_the_printed_unit_without_degenerate_ranges(value, printed, lang,
                                                                                        expected):
    from analysis.dwsra.texts import recomputed

    assert recomputed(value, lang, printed) == expected
