"""A study's exhibits are data (studies/<exhibits file>): declared once, validated on load with
every problem named, and read by the titles, notebook 02, the exhibit list and the landing page
instead of rules on names or titles."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml

from analysis.pilot import schema as ps
from analysis.presentation import titles
from analysis.study import DEFAULT_STUDY, SHIPPED, StudyError, load_study
from tests.read_download import read_counts

ROOT = Path(__file__).resolve().parents[1]
DECLARATION = "vwnw_pilot.exhibits.yml"


def _copy_study(tmp_path: Path, change) -> Path:
    """The default study and its exhibits file in ``tmp_path``, the exhibits document changed
    by ``change``; returns the study file."""
    for name in (f"{DEFAULT_STUDY}.yml", f"{DEFAULT_STUDY}.facts.yml", DECLARATION):
        shutil.copy(SHIPPED / name, tmp_path / name)
    doc = yaml.safe_load((tmp_path / DECLARATION).read_text(encoding="utf-8"))
    change(doc)
    (tmp_path / DECLARATION).write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return tmp_path / f"{DEFAULT_STUDY}.yml"


def test_notebook_02_shows_the_declared_figures_7_to_13_of_the_release_tables():
    from analysis.pilot import tables

    study = load_study()
    declared = study.exhibits.of("02_pilot_participants")
    assert [e.label("nl") for e in declared] == [f"Figuur {n}" for n in range(7, 14)]
    assert [e.label("en") for e in declared] == [f"Figure {n}" for n in range(7, 14)]
    # every declared release table is one the release makes (pilot.tables' names of its tables)
    assert {e.cells for e in declared} == set(tables.INDEX_NAMES)
    # the two-way table is drawn grouped, the one-way ones as bars; Figuur 11 counts persons
    assert {e.name: e.drawing for e in declared}["figuur_07_opleiding_leeftijd"] == "grouped"
    assert {e.drawing for e in declared if e.name != "figuur_07_opleiding_leeftijd"} == {"bars"}
    assert [e.name for e in declared if e.n == "participants"] == ["figuur_11_dienstverlening"]
    assert [e.number for e in declared if e.dated] == ["11", "12", "13"]


def test_both_shipped_pilots_declare_the_same_exhibits_and_only_the_one_with_a_report_uses_its_numbers():
    """Review 11: the cleaning pilot, which has no report, was numbered as the catering report's
    Figuur 7-13. A study without a report numbers its exhibits as the project numbers its own
    (a letter and a number: P1, M1, T1), never with a report's bare numbers."""
    from dataclasses import replace

    from analysis.study import study_ids

    a, b = load_study(DEFAULT_STUDY), load_study("schoonmaak_twente_2023")
    assert [replace(e, number="") for e in a.exhibits.items] == [replace(e, number="") for e in b.exhibits.items]
    assert a.published_facts is not None and b.published_facts is None
    for sid in study_ids(SHIPPED):
        study = load_study(sid)
        if study.published_facts is None and study.exhibits is not None:
            borrowed = [e.label("nl") for e in study.exhibits.items if e.number[:1].isdigit()]
            assert not borrowed, f"{sid} has no report but numbers {borrowed} as a report does"


def test_a_page_text_names_the_exhibits_by_its_study_s_numbers():
    from analysis.pipeline import pages

    for study, nl, en in ((DEFAULT_STUDY, "Figuur 7-10", "Figures 12-13"),
                          ("schoonmaak_twente_2023", "Figuur P1-P4", "Figures P6-P7")):
        words = {lang: pages.study_words({"study": study, "cutoff_date": "2021-04-01"}, lang) for lang in ("nl", "en")}
        assert words["nl"]["exhibits:figuur_07_opleiding_leeftijd:figuur_10_triage"] == nl
        assert words["en"]["exhibits:figuur_12_uitstroom:figuur_13_uitstroom_sector"] == en
        cells = [nbformat.v4.new_markdown_cell("{{exhibit:figuur_11_dienstverlening}} toont dienstverlening")]
        pages.fill_placeholders(cells, words["nl"])
        assert cells[0].source == f"Figuur {'11' if study == DEFAULT_STUDY else 'P5'} toont dienstverlening"


@pytest.mark.skipif(not (REVIEWER := Path(__file__).parents[1] / "reports" / "html" / "reviewer").is_dir(),
                    reason="needs reports/html (make report)")
def test_the_cleaning_pilot_s_pages_never_borrow_the_catering_report_s_numbers():
    for page in sorted(REVIEWER.glob("0[2-4]*schoonmaak*.html")):
        text = page.read_text(encoding="utf-8")
        borrowed = sorted(set(re.findall(r"\b(?:Figuur|Figures?) (?:[7-9]|1[0-3])\b", text)))
        assert not borrowed, f"{page.name}: {borrowed}"


def test_a_declared_title_and_number_need_no_parsing(tmp_path):
    """A declared number is used as declared: a title that does not start with it, and a
    number of another form, come out as written (titles.number once parsed the title)."""
    def change(doc):
        doc["exhibits"]["figuur_12_uitstroom"].update(number="12a", title={"nl": "Waar ze heen gingen",
                                                                            "en": "Where they went"})
    with pytest.raises(StudyError, match=r"exhibits.figuur_12_uitstroom.number.*12a"):
        load_study(_copy_study(tmp_path, change))

    def change_ok(doc):
        doc["exhibits"]["figuur_12_uitstroom"].update(number="C1", title={"nl": "Waar ze heen gingen",
                                                                           "en": "Where they went"})
    study = load_study(_copy_study(tmp_path, change_ok))
    try:
        ps.use_study(study)
        assert titles.number("figuur_12_uitstroom", "en") == "Figure C1"
        assert titles.title("figuur_12_uitstroom", "nl") == "Figuur C1. Waar ze heen gingen"
        exhibit = study.exhibits.get("figuur_12_uitstroom")
        assert titles.exhibit_title(exhibit, "en", "2021-04-16") == "Figure C1. Where they went, as of 16 April 2021"
        undated = study.exhibits.get("figuur_08_dienstjaren")
        assert titles.exhibit_title(undated, "en", "2021-04-16") == titles.title("figuur_08_dienstjaren", "en")
    finally:
        ps.use_study(DEFAULT_STUDY)


def test_a_broken_declaration_names_the_file_every_key_and_value_and_the_rule(tmp_path):
    def change(doc):
        e = doc["exhibits"]
        e["figuur_07_opleiding_leeftijd"]["kind"] = "chart"
        del e["figuur_08_dienstjaren"]["title"]
        e["figuur_09_functie"]["number"] = "10"  # Figuur 10 already
        e["figuur_11_dienstverlening"]["drawing"] = "pie"
        e["figuur_12_uitstroom"]["n"] = "everyone"
        e["figuur_12_uitstroom"].pop("cells")
        e["figuur_13_uitstroom_sector"]["colour"] = "red"
    with pytest.raises(StudyError) as err:
        load_study(_copy_study(tmp_path, change))
    text = str(err.value)
    assert text.startswith(str(tmp_path / f"{DEFAULT_STUDY}.yml"))
    for needle in ("'exhibits.figuur_07_opleiding_leeftijd.kind': value chart breaks rule: must be one of "
                   "['figure', 'table']",
                   "'exhibits.figuur_08_dienstjaren.title' breaks rule: is required",
                   "'exhibits.figuur_10_triage.number': value 10 breaks rule: is also the number of "
                   "exhibits.figuur_09_functie",
                   "'exhibits.figuur_11_dienstverlening.drawing': value pie",
                   "'exhibits.figuur_12_uitstroom.cells' breaks rule: a figure drawn from release cells",
                   "'exhibits.figuur_12_uitstroom.n': value everyone",
                   "'exhibits.figuur_13_uitstroom_sector.colour' breaks rule: unknown key"):
        assert needle in text, (needle, text)
    assert "{" not in text.split("value chart")[0] and "Exhibit(" not in text  # no Python repr


def test_a_study_naming_a_missing_declaration_is_refused(tmp_path):
    path = _copy_study(tmp_path, lambda doc: None)
    text = path.read_text(encoding="utf-8").replace(f"exhibits: {DECLARATION}", "exhibits: elsewhere.yml")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(StudyError, match="key 'exhibits': value elsewhere.yml breaks rule: must name a YAML file"):
        load_study(path)


def test_an_exhibit_draws_its_counts_without_totals_and_states_its_declared_n():
    study = load_study()
    two_way = pd.DataFrame({"a": [1, 2, 3], "totaal": [1, 2, 3]}, index=["x", "y", "totaal"])
    one_way = pd.Series({"p": 4, "q": pd.NA, "totaal": 9})
    fig7, fig11, fig12 = (study.exhibits.get(n) for n in ("figuur_07_opleiding_leeftijd",
                                                           "figuur_11_dienstverlening", "figuur_12_uitstroom"))
    assert list(fig7.drawn(two_way).index) == ["x", "y"] and list(fig7.drawn(two_way).columns) == ["a"]
    assert list(fig12.drawn(one_way).index) == ["p", "q"]
    assert fig7.shown_n(two_way, participants=range(5)) == 3
    assert fig12.shown_n(one_way, participants=range(5)) == 9
    assert fig11.shown_n(one_way, participants=range(5)) == 5  # every participant
    assert fig12.shown_n(pd.Series({"p": 4, "totaal": pd.NA}), participants=range(5)) is None  # withheld


def test_notebook_02_reads_the_declaration_and_has_no_string_rules():
    cells = json.loads((ROOT / "notebooks" / "02_pilot_participants.ipynb").read_text(encoding="utf-8"))["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert "exhibits.of(run.notebook)" in code
    for rule in ('>= "figuur', "figuur_11", "isinstance(", '"totaal"', "titles.number("):
        assert rule not in code, f"notebook 02 still decides by {rule!r}"


def test_the_exhibit_list_names_each_output_by_its_declaration():
    """docs/exhibits.md's number and title come from the declaration of the run's study (the
    output stem declared, the run's tag after it) and from the DWSRA catalogue."""
    from analysis.pipeline.exhibits import listing

    state = {
        "02_pilot_participants-x": {"notebook": "02_pilot_participants.ipynb", "parameters": {"language": "en"},
                                    "outputs": {"tables/pilot_figuur_13_uitstroom_sector_20210416_en_k10.csv": "",
                                                "figures/pilot_figuur_13_uitstroom_sector_20210416_en_k10.png": "",
                                                "tables/pilot_published_vs_pipeline_en.csv": ""}},
        "01_dwsra_portfolio": {"notebook": "01_dwsra_portfolio.ipynb", "parameters": {},
                               "outputs": {"tables/dwsra_tabel_3_4_register_nl.csv": "",
                                           "tables/dwsra_tabel_3_4_nl.csv": ""}},
    }
    text = listing(state)
    assert ("| `pilot_figuur_13_uitstroom_sector_20210416_en_k10` | Figure 13 | Outflow from the pilot by sector "
            "| yes | yes |") in text
    assert "| `pilot_published_vs_pipeline_en` |  |  | yes |  |" in text
    assert "| `dwsra_tabel_3_4_register_nl` | Tabel E.5 | Projecten waarvan" in text
    assert "| `dwsra_tabel_3_4_nl` | Tabel 3.4 | Projecten waarin digitale producten worden ontwikkeld |" in text


NEW_EXHIBIT = {"notebook": "02_pilot_participants", "kind": "figure", "number": "14",
               "title": {"nl": "Uitstroom naar geslacht", "en": "Outflow by gender"}, "dated": True,
               "crosstab": ["geslacht", "status"], "drawing": "grouped", "n": "table_total",
               "output": "pilot_figuur_14_uitstroom_geslacht"}


@pytest.mark.slow
def test_a_numbered_figure_is_added_by_its_declaration_alone(tmp_path):
    """No code: an exhibit declared as a crosstab of the release is protected, written, titled
    with its number and date, drawn, and listed by the exhibit list, by notebook 02 as it is."""
    import csv
    import os

    import papermill as pm

    from analysis import paths
    from analysis.pipeline.exhibits import listing

    study_file = _copy_study(tmp_path, lambda doc: doc["exhibits"].update(figuur_14_uitstroom_geslacht=NEW_EXHIBIT))
    out = tmp_path / "out"
    params = {"study": str(study_file), "cutoff_date": "2021-04-16", "min_cell_count": 1, "output_dir": str(out),
              "processed_dir": ""}
    before = os.environ.get("VWNW_PRIVATE_DIR")
    os.environ["VWNW_PRIVATE_DIR"] = str(tmp_path / "private")
    try:
        pm.execute_notebook(str(paths.NOTEBOOKS / "02_pilot_participants.ipynb"), str(tmp_path / "run.ipynb"),
                            parameters=params, kernel_name="vwnw-evaluation", cwd=str(paths.NOTEBOOKS),
                            progress_bar=False)
    finally:
        os.environ.pop("VWNW_PRIVATE_DIR") if before is None else os.environ.update(VWNW_PRIVATE_DIR=before)
    tables = sorted((out / "tables").glob("pilot_figuur_14_uitstroom_geslacht_*.csv"))
    assert len(tables) == 1 and sorted((out / "figures").glob("pilot_figuur_14_uitstroom_geslacht_*.svg"))
    with open(ROOT / "data" / "raw" / "pilot_participants_synthetic.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    truth = pd.crosstab(pd.Series([r["geslacht"] for r in rows]), pd.Series([r["status_20210416"] for r in rows]))
    table = read_counts(tables[0], ("Totaal", *ps.STUDY.statuses))  # by code (the file writes labels)
    assert all(int(table.loc[g, s]) == truth.loc[g, s] for g in truth.index for s in truth.columns)
    assert int(table.loc["Totaal", "Totaal"]) == len(rows)
    page = (tmp_path / "run.ipynb").read_text(encoding="utf-8")
    assert "### Figuur 14. Uitstroom naar geslacht, stand per 16 april 2021" in page
    state = {"run": {"notebook": "02_pilot_participants.ipynb", "parameters": {"study": str(study_file)},
                     "outputs": {f"tables/{tables[0].name}": ""}}}
    assert f"| `{tables[0].stem}` | Figuur 14 | Uitstroom naar geslacht | yes |  |" in listing(state)


@pytest.mark.slow
def test_the_landing_page_lists_every_declared_exhibit_of_each_pilot_run():
    """Each pilot run's section of reports/html/index.html has a row per exhibit its study
    declares for the notebook, with the declared number and title and the declared output's
    files (made by `make report`, which make test runs first)."""
    import html as html_lib
    import re

    from analysis import paths
    from analysis.pipeline.state import read_state

    index = paths.REPORTS / "html" / "index.html"
    state = read_state(paths.REPORTS)
    if not index.is_file() or not state:
        pytest.fail("reports/ has no landing page: run `make report` first (make test does)")
    sections = dict(re.findall(r'<section id="([^"]+)"[^>]*>(.*?)</section>', index.read_text(encoding="utf-8"),
                               re.S))
    checked = 0
    for run, entry in state.items():
        params = entry.get("parameters") or {}
        study = load_study(params.get("study") or DEFAULT_STUDY)
        lang = "en" if params.get("language") == "en" else "nl"
        for exhibit in study.exhibits.of(entry["notebook"].removesuffix(".ipynb")):
            if exhibit.output is None or not any(f"/{exhibit.output}_" in f"/{Path(o).name}" for o in entry["outputs"]):
                continue  # an exhibit of a run that did not publish it (e.g. the models' on real data)
            row = re.search(rf"<tr[^>]*><td>{re.escape(exhibit.label(lang))}</td><td><a [^>]*>([^<]*)</a>(.*?)</tr>",
                            sections[run], re.S)
            assert row, f"{run}: no row for {exhibit.label(lang)}"
            title = exhibit.title[0 if lang == "nl" else 1]  # the number has its own column
            assert html_lib.unescape(row.group(1)).startswith(title), (run, row.group(1))
            assert f"{exhibit.output}_" in row.group(2), f"{run}: {exhibit.label(lang)} without its files"
            checked += 1
    assert checked >= 4 * 7, "the four runs of notebook 02 declare Figures 7-13"


def test_a_page_heading_is_found_by_its_declared_title_not_parsed():
    from analysis.pipeline.exhibits import heading_exhibit

    pilot = {"notebook": "02_pilot_participants.ipynb", "parameters": {"language": "en"}}
    assert heading_exhibit("Figure 12. Outflow from the pilot, as of 16 April 2021", pilot) == (
        "Figure 12", "pilot_figuur_12_uitstroom")
    assert heading_exhibit("Figure 12 Outflow", pilot) is None  # not a declared title
    dwsra = {"notebook": "01_dwsra_portfolio.ipynb", "parameters": {}}
    assert heading_exhibit("Tabel 3.4 Projecten waarin digitale producten worden ontwikkeld", dwsra) == (
        "Tabel 3.4", "dwsra_tabel_3_4")
    register = "Tabel E.5 Projecten waarvan de beschrijving een digitaal product noemt (register, naast Tabel 3.4)"
    assert heading_exhibit(register, dwsra) == ("Tabel E.5", "dwsra_tabel_3_4_register")


@pytest.mark.slow
def test_every_numbered_heading_of_the_published_pages_is_a_declared_exhibit():
    """What the landing page lists by parsing a heading (its first two words) is what the
    declaration says, for every numbered heading of every published reviewer page."""
    from analysis import paths
    from analysis.pipeline import site
    from analysis.pipeline.exhibits import heading_exhibit
    from analysis.pipeline.state import read_state
    from analysis.presentation import titles

    state = read_state(paths.REPORTS)
    if not state:
        pytest.fail("reports/ has no runs: run `make report` first (make test does)")
    checked = 0
    for run, entry in state.items():
        lang = "en" if (entry.get("parameters") or {}).get("language") == "en" else "nl"
        page = (paths.REPORTS / "html" / "reviewer" / f"{run}.html").read_text(encoding="utf-8")
        for item in site.numbered_items(page, lang):
            found = heading_exhibit(item.title, entry)
            if found is None:  # a figure whose title the run makes (notebook 04's T1-T6), a models table (M1, ...),
                appendix = item.title in {t for pair in titles.APPENDIX_TABLES.values() for t in pair}  # Tabel A.1
                assert appendix or entry["notebook"].startswith("04_") or (
                    entry["notebook"].startswith("03_") and item.number.startswith(("Tabel", "Table"))), \
                    (run, item.title)
                continue
            assert found[0] == item.number, (run, item.title)
            checked += 1
    assert checked > 50


def test_what_a_release_table_counts_is_declared_and_checked(tmp_path):
    """``counts``: the release variables a ``cells`` table counts persons by (the intruder
    audit of tests/declared_audit.py reads them); a crosstab's are its variables."""
    study = load_study(DEFAULT_STUDY)
    assert study.exhibits.get("figuur_07_opleiding_leeftijd").variables == ("opleiding", "leeftijd")
    assert study.exhibits.get("figuur_11_dienstverlening").variables is None  # several services per person

    def change(doc):
        e = doc["exhibits"]
        e["figuur_08_dienstjaren"]["counts"] = ["dienstjaren", "leeftijd", "triage"]
        e["figuur_11_dienstverlening"]["counts"] = "dv_coaching"
        e["models_forest"]["counts"] = ["triage"]  # no release cells
    with pytest.raises(StudyError) as err:
        load_study(_copy_study(tmp_path, change))
    text = str(err.value)
    for needle in ("'exhibits.figuur_08_dienstjaren.counts': value [dienstjaren, leeftijd, triage] breaks rule: "
                   "with cells: the one or two release variables",
                   "'exhibits.figuur_11_dienstverlening.counts': value dv_coaching",
                   "'exhibits.models_forest.counts': value [triage]"):
        assert needle in text, (needle, text)
