"""The retail review (a pilot of 56 people, its own study file without ``exhibits:``): the counts
were right, but the participants and models pages said things that are false for that pilot.

1. The findings said "Figuur 11 en Figuur 13 zijn weggelaten: ... het aantal van elke groep
   beschermd" while Figuur 11 was drawn with its table showing 12, 11, 21 and 11.
2. The page said its figures were numbered "zoals dit project zijn eigen figuren nummert (Figuur
   7-13)", the numbering a study without its own exhibits file inherits from another pilot's report.
3. The models page named a programme of 30 (the catering pilot's size, a notebook default) and
   said the reference group's outflow was the observed one where the computation used one half.
4. The participants page's introduction said *nog in bemiddeling*, another pilot's status.
5. Figuur 11's legend used *onbekend* for a withheld cell and for a service not recorded.

Reference values are the retail review's published tables (its Figuur 11 and 13 at 31 March
2026) and the study files; the pages are read after ``make report``.
"""

from __future__ import annotations

import json
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
import yaml  # noqa: E402
from bs4 import BeautifulSoup  # noqa: E402

from analysis import exhibit_figures, paths  # noqa: E402
from analysis.presentation import (  # noqa: E402
    model_findings,
    participants_texts,
    pilot_figures,
    pilot_findings,
    power_texts,
)
from analysis.stats import power  # noqa: E402
from analysis.study import SHIPPED, load_study  # noqa: E402

NA = pd.NA
HTML = paths.REPORTS / "html" / "full"
NEEDS_REPORT = pytest.mark.skipif(not (HTML / "02_pilot_participants-schoonmaak.html").is_file(),
                                  reason="needs reports/ (make report runs before the tests)")
NOTEBOOKS = paths.PROJECT_ROOT / "notebooks"


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _services() -> pd.DataFrame:
    """The retail review's Figuur 11 at 31 March 2026, as published (its CSV): a count and
    ``onbekend`` per service, no total column; x withheld."""
    rows = {"dv_loopbaanadvies": (12, 0), "dv_sollicitatiecoaching": (11, 0), "dv_vakopleiding": (21, 0),
            "dv_jobhunting": (NA, 0), "dv_werkervaringsplek": (11, 0), "dv_taaltraining": (NA, NA)}
    return pd.DataFrame.from_dict(rows, orient="index", columns=["aantal", "onbekend"], dtype="Int64")


def _sectors() -> pd.Series:
    """Its Figuur 13: every count withheld, the total too."""
    return pd.Series({"detailhandel": NA, "logistiek": NA, "zorg": NA, "totaal": NA}, dtype="Int64")


def _shown(label: str, table, drawing: str | None = "bars") -> pilot_findings.Shown:
    return pilot_findings.Shown(label, "Titel", table, drawing=drawing)


# 1. only the figures the page leaves out are said to be left out ----------------------------------------------------

def test_a_drawn_figure_of_services_is_not_said_to_be_left_out():
    services, sectors = _shown("Figuur 11", _services()), _shown("Figuur 13", _sectors())
    assert pilot_figures.informative(services.table)  # notebook 02 draws it (the review's page did)
    assert not pilot_figures.informative(sectors.table.drop("totaal"))  # and leaves Figuur 13 out
    text = pilot_findings.findings([services, sectors], "nl", 10, digits=False)
    assert "Figuur 11 en Figuur 13 zijn weggelaten" not in text
    assert "Figuur 13, titel, is weggelaten" in text and "Figuur 11, titel, is weggelaten" not in text
    assert "In Figuur 11 (titel) is" in text and "de grootste van de getoonde groepen: 21 personen" in text


def test_the_left_out_sentence_names_exactly_the_figures_the_page_leaves_out():
    """Two figures left out with every count withheld, one drawn, one a table with nothing shown:
    the sentence names the two, and the table is never said to be a figure left out."""
    exhibits = [_shown("Figure 11", _services()), _shown("Figure 12", _sectors()), _shown("Figure 13", _sectors()),
                _shown("Table 5", _sectors(), drawing="none")]
    text = pilot_findings.findings(exhibits, "en", 10, digits=False)
    left = re.search(r"(Figure [\w ,]+) are left out: after protection \(threshold 10\) every group", text)
    assert left and left.group(1) == "Figure 12 and Figure 13"
    assert "Table 5 is left out" not in text and "In Table 5 (titel) every group's count is protected" in text


def test_a_two_way_table_without_a_total_column_is_still_read_as_a_whole():
    two_way = pd.DataFrame({"jong": [12, 11], "oud": [15, 14]}, index=["laag", "hoog"], dtype="Int64")
    groups, total = pilot_findings.groups_and_total(_shown("Figuur 7", two_way, drawing="grouped"))
    assert groups.empty and total is None  # no total column: no one count per group to rank (as before)


# 2. what the page says about its figures' numbers -------------------------------------------------------------------

def _without_exhibits_key(tmp_path):
    """The shipped cleaning study as a new pilot without ``exhibits:`` (the retail review's case)."""
    doc = yaml.safe_load((SHIPPED / "schoonmaak_twente_2023.yml").read_text(encoding="utf-8"))
    doc.pop("exhibits")
    path = tmp_path / "schoonmaak_twente_2023.yml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def test_a_study_without_its_own_exhibits_file_says_whose_numbers_its_figures_carry(tmp_path):
    path = _without_exhibits_key(tmp_path)
    study = load_study(str(path))
    declared = study.exhibits.of("02_pilot_participants")
    assert (declared[0].number, declared[-1].number) == ("7", "13")  # inherited from vwnw_pilot.exhibits.yml
    exhibits = participants_texts.exhibits_file(path)
    assert exhibits is not None and participants_texts.inherited(exhibits)
    nl = participants_texts.numbering_sentence(declared, exhibits, "nl")
    en = participants_texts.numbering_sentence(declared, exhibits, "en")
    assert "Figuur 7 tot en met Figuur 13" in nl and "`studies/vwnw_pilot.exhibits.yml`" in nl
    assert "een andere pilot" in nl and "zoals dit project zijn eigen figuren nummert" not in nl
    assert "Figure 7 to Figure 13" in en and "another pilot's final report" in en


def test_a_study_with_its_own_exhibits_file_says_it_numbers_its_own():
    source = SHIPPED / "schoonmaak_twente_2023.yml"
    declared = load_study(str(source)).exhibits.of("02_pilot_participants")
    exhibits = participants_texts.exhibits_file(source)
    assert exhibits == SHIPPED / "schoonmaak_twente_2023.exhibits.yml" and not participants_texts.inherited(exhibits)
    nl = participants_texts.numbering_sentence(declared, exhibits, "nl")
    assert "Figuur P1 tot en met Figuur P7" in nl and "eigen figurenbestand van deze studie" in nl
    assert "`schoonmaak_twente_2023.exhibits.yml`" in nl and "gedeelde bestand" not in nl


def test_the_catering_study_names_the_shared_file():
    catering = SHIPPED / "catering_noordoost_brabant_2021.yml"
    assert participants_texts.inherited(participants_texts.exhibits_file(catering))


def test_no_markdown_of_the_participants_notebook_claims_the_projects_own_numbering():
    notebook = json.loads((NOTEBOOKS / "02_pilot_participants.ipynb").read_text(encoding="utf-8"))
    text = " ".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown")
    assert "zoals dit project" not in text and "as this project numbers" not in text


@NEEDS_REPORT
@pytest.mark.parametrize(("page", "said"), [
    ("02_pilot_participants-schoonmaak.html", "Figuur P1 tot en met Figuur P7) zijn genummerd zoals het eigen"),
    ("02_pilot_participants-schoonmaak-en.html", "Its figures (Figure P1 to Figure P7) are numbered as this study"),
])
def test_the_cleaning_pilots_page_says_how_it_numbers(page, said):
    text = " ".join(BeautifulSoup((HTML / page).read_text(encoding="utf-8"), "html.parser").get_text(" ").split())
    assert said in text


# 3. the power analysis of the file in use ---------------------------------------------------------------------------

def test_the_programme_sizes_start_with_the_files_own():
    assert power_texts.programme_sizes(56, [30, 100, 1000, 10000]) == [56, 30, 100, 1000, 10000]
    assert power_texts.programme_sizes(30, ["30", "100"]) == [30, 100]  # once
    assert power_texts.programme_sizes(None, [30, 100]) == [30, 100]  # not published: only those asked for


def test_the_findings_name_the_files_own_programme_size():
    """The sizes in the retail review's order (56 first); the sentence names 56, never the 30 of
    the default list, and its first sentence refers to nothing before it."""
    designs = power.balanced_designs(power_texts.programme_sizes(56, [30, 100, 1000]))
    mde = power.mde_table(designs, 0.5)
    said = model_findings.power_sentences(mde, "nl")
    assert said and " 56 deelnemers" in said[0] and not any(" 30 deelnemers" in s for s in said)
    assert not said[0].startswith("Bij een programma")  # "is dat ... mogelijk": "dat" needs a sentence before it


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_reference_outflow_is_said_as_used(lang):
    withheld = power_texts.base_rate_sentence(0.4, False, lang)
    assert power_texts.base_rate(0.4, False) == 0.5
    assert ("de helft" if lang == "nl" else "one half") in withheld
    assert power_texts.base_rate(0.4, True) == 0.4
    assert power_texts.base_rate_sentence(0.4, True, lang) == power_texts.TEXT[lang]["observed"]
    assert power_texts.base_rate(0.99, True) == 0.95
    assert power_texts.base_rate_sentence(0.99, True, lang) == power_texts.TEXT[lang]["limited"]
    assert not re.search(r"\d", withheld + power_texts.base_rate_sentence(0.99, True, lang))  # no unpublished number


def test_the_models_notebook_no_longer_states_the_observed_outflow_as_the_reference():
    notebook = json.loads((NOTEBOOKS / "03_outcome_models.ipynb").read_text(encoding="utf-8"))
    text = " ".join(" ".join("".join(c["source"]).split()) for c in notebook["cells"] if c["cell_type"] == "markdown")
    assert "gelijk aan de waargenomen totale uitstroom" not in text and "at the observed overall outflow" not in text


# 4. the study's own status words ------------------------------------------------------------------------------------

def test_the_introduction_speaks_of_no_other_pilots_status():
    notebook = json.loads((NOTEBOOKS / "02_pilot_participants.ipynb").read_text(encoding="utf-8"))
    generic = " ".join("".join(c["source"]) for c in notebook["cells"]
                       if c["cell_type"] == "markdown" and "with-report" not in c["metadata"].get("tags", []))
    catering = load_study("catering_noordoost_brabant_2021")
    for code in catering.of_kind("in_progress"):
        for lang in ("nl", "en"):
            word = catering.label(code, lang).lower()
            assert word not in " ".join(generic.lower().split()), word


def test_the_status_sentence_lists_the_studys_own_labels():
    retail_like = load_study(str(SHIPPED / "schoonmaak_twente_2023.yml"))
    said = participants_texts.status_sentence(retail_like, "nl", "1 december 2023")
    assert all(f"*{retail_like.label(code, 'nl')}*" in said for code in retail_like.statuses)
    assert "bemiddeling" not in said


@NEEDS_REPORT
def test_the_cleaning_pilots_page_lists_its_statuses_and_not_the_caterings():
    text = " ".join(BeautifulSoup((HTML / "02_pilot_participants-schoonmaak.html").read_text(encoding="utf-8"),
                                  "html.parser").get_text(" ").split())
    assert "De statussen van deze pilot" in text and "In traject" in text
    assert "bemiddeling" not in text.lower()


# 5. "onbekend" once: a withheld cell is x ---------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "unknown"), [("nl", "onbekend"), ("en", "unknown")])
def test_the_legend_of_a_withheld_cell_does_not_say_unknown(lang, unknown):
    exhibit = load_study("catering_noordoost_brabant_2021").exhibits.get("figuur_11_dienstverlening")
    fig = exhibit_figures.draw(exhibit, _services(), "Figuur 11", lang, None, threshold=10, n=56)
    legend = [t.get_text().replace("\n", " ") for t in fig.axes[0].get_legend().get_texts()]
    notes = " ".join(t.get_text() for t in fig.texts)
    assert legend and legend[0].startswith("x = ") and unknown not in legend[0].lower()
    assert unknown in notes.lower()  # the note under the figure keeps "onbekend" for a service not recorded
