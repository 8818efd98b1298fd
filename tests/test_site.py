"""The landing page: every numbered table and figure of every reviewer page, each with a
link to its place, a thumbnail for figures, downloads beside it; every link stays inside
``reports/html`` and resolves there."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlparse

import pytest
from bs4 import BeautifulSoup

from analysis import paths
from analysis.files import sha256_file
from analysis.pipeline import site
from analysis.presentation import model_exhibits
from analysis.private_data import PRIVATE_LABEL

HTML = paths.REPORTS / "html"


def local_links(index: Path) -> list[str]:
    soup = BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser")
    refs = [a["href"] for a in soup.find_all("a", href=True)] + [i["src"] for i in soup.find_all("img")]
    return [r for r in refs if not urlparse(r).scheme]


def resolves(html_dir: Path, ref: str) -> bool:
    path, _, anchor = ref.partition("#")
    target = (html_dir / path).resolve() if path else html_dir / "index.html"
    if not target.is_relative_to(html_dir.resolve()) or not target.is_file():
        return False
    return not anchor or f'id="{anchor}"' in target.read_text(encoding="utf-8")


def fake_reports(tmp_path: Path) -> tuple[Path, dict]:
    reports = tmp_path / "reports"
    page = reports / "html" / "reviewer" / "01_dwsra_portfolio.html"
    page.parent.mkdir(parents=True)
    page.write_text('<html lang="nl"><h1 id="t">T</h1><h2 id="s">2.1 Deel</h2>'
                    '<h3 id="Tabel-3.4-Projecten">Tabel 3.4 Projecten waarin digitale producten worden ontwikkeld</h3>'
                    '<h3 id="Tabel-3.4-reg">Tabel E.5 Projecten waarvan de beschrijving een digitaal '
                    'product noemt (register, naast Tabel 3.4)</h3>'
                    '<h3 id="Figuur-3.1">Figuur 3.1 Gehanteerde probleemanalyse (alle projecten)</h3>'
                    '<h3 id="x">Iets anders</h3></html>', encoding="utf-8")
    (reports / "html" / "full").mkdir()
    (reports / "html" / "full" / page.name).write_text("<html></html>", encoding="utf-8")
    outputs = ["tables/dwsra_tabel_3_4.csv", "tables/dwsra_tabel_3_4.xlsx", "tables/dwsra_tabel_3_4_register.csv",
               "figures/dwsra_figuur_3_1.png", "figures/dwsra_figuur_3_1.svg", "tables/dwsra_tabel_3_4.provenance.json"]
    for rel in outputs:
        (reports / rel).parent.mkdir(parents=True, exist_ok=True)
        (reports / rel).write_text(rel, encoding="utf-8")
    state = {"01_dwsra_portfolio": {"status": "ok", "parameters": {"language": "nl"}, "outputs": outputs}}
    return reports, state


def test_index_lists_numbered_items_with_their_own_downloads(tmp_path):
    reports, state = fake_reports(tmp_path)
    index = site.write_site(reports, state)
    soup = BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser")
    cells = [[td.get_text() for td in r.find_all("td")[:2]] for r in soup.select("section tbody tr")]
    assert all(not title.startswith(number) for number, title in cells), "the number is said once, in its column"
    rows = {f"{number} {title}": r for (number, title), r in zip(cells, soup.select("section tbody tr"))}
    assert len(rows) == 3, list(rows)
    tabel = rows["Tabel 3.4 Projecten waarin digitale producten worden ontwikkeld"]
    assert [a.get_text() for a in tabel.select("td.files a")] == ["CSV", "XLSX"]
    register = rows["Tabel E.5 Projecten waarvan de beschrijving een digitaal product noemt (register, "
                    "naast Tabel 3.4)"]
    assert [a["href"] for a in register.select("td.files a")] == ["files/tables/dwsra_tabel_3_4_register.csv"]
    figure = rows["Figuur 3.1 Gehanteerde probleemanalyse (alle projecten)"]
    assert figure.find("img")["src"] == "files/figures/dwsra_figuur_3_1.png"
    assert figure.find("a")["href"] == "reviewer/01_dwsra_portfolio.html#Figuur-3.1"
    failures = [ref for ref in local_links(index) if not resolves(reports / "html", ref)]
    assert not failures
    manifest = json.loads((reports / "html" / "manifest.json").read_text())["files"]
    assert manifest["files/figures/dwsra_figuur_3_1.png"] == sha256_file(reports / "figures/dwsra_figuur_3_1.png")
    assert "files/tables/dwsra_tabel_3_4.provenance.json" not in manifest


def test_a_failed_run_is_listed_without_links(tmp_path):
    reports, state = fake_reports(tmp_path)
    state["02_pilot_participants"] = {"status": "failed", "parameters": {}}
    soup = BeautifulSoup(site.build_index(reports, state), "html.parser")
    section = soup.find("section", id="02_pilot_participants")
    assert section.find("a") is None and site.TEXT["failed"] in section.get_text()


@pytest.mark.skipif(not (HTML / "index.html").exists(), reason="needs reports/html (make report runs before the tests)")
def test_published_index_lists_every_numbered_heading_and_every_link_resolves():
    index = HTML / "index.html"
    failures = [ref for ref in local_links(index) if not resolves(HTML, ref)]
    assert not failures, failures
    soup = BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser")
    listed = {a["href"] for a in soup.find_all("a", href=True)}
    for page in sorted((HTML / "reviewer").glob("*.html")):
        lang = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").html.get("lang", "nl")
        for item in site.page_items(HTML.parent, page.stem, lang):
            assert item.key or model_exhibits.is_table_heading(item.title, lang), (
                f"{page.name}: {item.title!r} is neither in the title catalogue nor an output's heading")
            assert f"reviewer/{page.name}#{item.anchor}" in listed, f"{page.name}: {item.title} not in the index"


def test_english_runs_follow_the_dutch_ones_in_a_dutch_frame(tmp_path):
    """The landing page is Dutch: an English run's section is framed in Dutch (*Engelse
    versie*, *leesversie*, *Instellingen*), its own titles stay English (issue 26: an
    English frame on the Dutch side)."""
    reports, state = fake_reports(tmp_path)
    state["02_pilot_participants-en"] = {"status": "failed", "parameters": {
        "language": "en", "cutoff_date": "2021-04-01", "min_cell_count": 1}}
    state["02_pilot_participants"] = {"status": "failed", "parameters": {
        "language": "nl", "cutoff_date": "2021-04-01", "min_cell_count": 1}}
    soup = BeautifulSoup(site.build_index(reports, state), "html.parser")
    assert [s["id"] for s in soup.find_all("section")] == [
        "01_dwsra_portfolio", "02_pilot_participants", "02_pilot_participants-en", "bronnen"]
    english = soup.find("section", id="02_pilot_participants-en")
    assert english["lang"] == "nl"
    assert english.h3.get_text() == ("Pilot VWNW in de contractcatering: de deelnemers "
                                     "(Engelse versie, stand per 1 april 2021, drempel 1)")
    assert "mislukt" in english.get_text() and "failed" not in english.get_text()
    assert soup.find("section", id="02_pilot_participants").h3.get_text() == (
        "Pilot VWNW in de contractcatering: de deelnemers (stand per 1 april 2021, drempel 1)")
    assert all(li.get("lang") is None for li in soup.nav.find_all("li"))  # all in the page's language


def test_the_landing_page_says_which_published_cells_do_not_match(tmp_path):
    reports, state = fake_reports(tmp_path)
    table = reports / "tables" / "dwsra_published_vs_pipeline_nl.csv"
    table.write_text("table,row,column,published,computed,computed_printed,digits,status,explanation,source_line\n"
                     "tabel_2_1,DW,received,23,23,23,0,reproduced,,958\n"
                     "tabel_2_2,DW,n,19,18,18,0,differs,reason,1057\n"
                     "tabel_2_2,SRA,n,28,29,29,0,differs,reason,1057\n"
                     "tabel_2_3,DW,n,7,,,0,not_computable,reason,1060\n", encoding="utf-8")
    state["01_dwsra_portfolio"]["outputs"].append("tables/dwsra_published_vs_pipeline_nl.csv")
    soup = BeautifulSoup(site.build_index(reports, state), "html.parser")
    assert soup.select_one("p.reproduction").get_text() == (
        "Van de 4 gepubliceerde cellen die deze pagina naast de herberekende zet, komen er 1 overeen; "
        "niet overeen komen: 2 in Tabel 2.2; 1 zijn uit de openbare gegevens niet te berekenen. Bij elk verschil "
        "zegt Bijlage A van de pagina waarom (eigen codering, afronding of een fout in het rapport).")
    # (reviewer 5: a cell the public data cannot give is not a mismatch; reviewer 6: a headline without a why)
    unnumbered = [r for r in soup.select("section tbody tr") if r.td.get_text() == "–"]
    # every table is listed, by its title (never a bare file name), with its downloads
    assert [r.find_all("td")[1].get_text() for r in unnumbered] == \
        ["Bijlage: gepubliceerde cellen naast de herberekende"], "every table is listed"
    assert [a["href"] for a in unnumbered[0].select("a[download]")] == \
        ["files/tables/dwsra_published_vs_pipeline_nl.csv"]


def test_the_landing_page_names_a_runs_parameters_in_words_and_writes_dates_in_its_language():
    from analysis.pipeline import site

    shown = site._parameters({"cutoff_date": "2021-04-16", "joint_cutoffs": ["2021-04-01", "2021-04-16"],
                              "min_cell_count": 10}, "nl")
    assert "peildatum: 16 april 2021" in shown
    assert "samen beschermde peildata: 1 april 2021 en 16 april 2021" in shown
    assert "drempel voor kleine aantallen: 10 personen" in shown
    assert "2021-04" not in shown


def test_the_landing_page_names_no_parameter_and_writes_values_in_words():
    """A reviewer reads settings, not code: no parameter name, no code value (``stayed``,
    ``en``, a study id) in the landing page's list of a run's settings."""
    from analysis.pipeline import site

    params = {"language": "en", "study": "schoonmaak_twente_2023", "population": "stayed",
              "outcome_definition": "work_or_education", "predictors": ["triage", "opleiding"], "min_cell_count": 1}
    nl, en = site._parameters(params, "nl"), site._parameters(params, "en")
    names = [k for k in params if "_" in k]  # one-word names (language, study) are ordinary words
    for code in [*names, "work_or_education", "schoonmaak_twente_2023", "<code>"]:
        assert code not in nl and code not in en, code
    assert "stayed" not in nl and ": stayed" not in en
    assert "taal: Engels" in nl and "language: English" in en
    assert "populatie: wie in de pilot bleef" in nl
    assert "voorspellers: triagepad en opleidingsniveau" in nl
    assert "studie: Pilot VWNW in de schoonmaak, Twente (synthetisch voorbeeld)" in nl


def test_the_landing_page_intro_names_the_studies_of_its_runs():
    """The intro names what the runs cover, each pilot by its own study file: a site of the
    cleaning pilot alone never speaks of catering."""
    from analysis.pipeline import site

    cleaning = site.studies_named({"02_pilot_participants-schoonmaak": {"parameters": {
        "study": "schoonmaak_twente_2023"}}})
    assert cleaning == "de pilot VWNW in de schoonmaak, Twente (synthetisch voorbeeld)"
    both = site.studies_named({"01_dwsra_portfolio": {"parameters": {}}, "02_pilot_participants": {"parameters": {}},
                               "03_outcome_models": {"parameters": {}}})
    assert both == "de tussenevaluatie DWSRA (2018) en de pilot VWNW in de contractcatering, Noordoost Brabant"


def test_the_english_landing_page_frames_every_run_in_english(tmp_path):
    """index-en.html beside index.html: the same runs and files, framed in English; a Dutch
    run says so and its own exhibit titles stay Dutch (``lang="nl"``); each links the other."""
    reports, state = fake_reports(tmp_path)
    site.write_site(reports, state)
    dutch = BeautifulSoup((reports / "html" / "index.html").read_text(encoding="utf-8"), "html.parser")
    english = BeautifulSoup((reports / "html" / "index-en.html").read_text(encoding="utf-8"), "html.parser")
    assert english.html["lang"] == "en" and dutch.html["lang"] == "nl"
    assert english.find("a", href="index.html") and dutch.find("a", href="index-en.html")
    section = english.find("section", id="01_dwsra_portfolio")
    assert "(Dutch version)" in section.h3.get_text() and section.h3.get_text().startswith("DWSRA interim evaluation")
    assert [th.get_text() for th in section.find_all("th")] == ["Number", "Title", "Preview", "Files"]
    assert all(tr["lang"] == "nl" for tr in section.select("tbody tr"))
    files = {a["href"] for a in english.find_all("a", download=True)}
    assert files == {a["href"] for a in dutch.find_all("a", download=True)} and files
    assert "Made on" in english.get_text() and "Gemaakt op" in dutch.get_text()
    assert "index-en.html" in json.loads((reports / "html" / "manifest.json").read_text())["files"]


def test_a_page_links_back_to_the_landing_page_of_its_language():
    from analysis.pipeline import pages

    assert 'href="../index-en.html#02_pilot_participants-en"' in pages.links("02_pilot_participants-en", "en", None)
    assert 'href="../index.html#bronnen"' in pages.links("02_pilot_participants", "nl", None)
    # with its source report: the link goes to that report's citation, which the page also gives in full
    cited = pages.links("01_dwsra_portfolio", "nl", None, True, pages.source_of("01_dwsra_portfolio", {}))
    assert 'href="../index.html#bron-01_dwsra_portfolio"' in cited
    assert "Ecorys (2018)" in cited and "Evaluatie DWSRA: tussenrapportage" in cited
    pilot = pages.source_of("02_pilot_participants", {})
    assert pilot[0] == "catering_noordoost_brabant_2021" and "Tilburg University" in pilot[1] and "2021" in pilot[1]
    assert pages.source_of("02_pilot_participants", {"study": "schoonmaak_twente_2023"}) is None


@pytest.mark.skipif(not (HTML / "index.html").exists(), reason="needs reports/html (make report runs before the tests)")
@pytest.mark.parametrize("name", ["index.html", "index-en.html"])
def test_published_landing_pages_give_every_file_a_distinct_title_and_each_number_once(name):
    """Within a run's section no two rows share a title (the time-to-work tables were all "curve,
    aantallen at risk en schattingen") and no number is listed twice; a title never repeats the
    number its own column gives."""
    soup = BeautifulSoup((HTML / name).read_text(encoding="utf-8"), "html.parser")
    for section in soup.select("section[id]"):
        rows = [[td.get_text(" ", strip=True) for td in tr.find_all("td")[:2]] for tr in section.select("tbody tr")]
        titles = [t for _, t in rows]
        numbers = [n for n, _ in rows if n != "–"]
        assert len(set(titles)) == len(titles), (section["id"], sorted(t for t in titles if titles.count(t) > 1))
        assert len(set(numbers)) == len(numbers), (section["id"], numbers)
        assert not [t for n, t in rows if n != "–" and t.startswith(n)], section["id"]


def test_the_landing_page_lists_the_runs_per_language_under_its_own_headings(tmp_path):
    """On the Dutch landing page the English pages stand under *Pagina's in het Engels*, after
    the Dutch ones; on the English one under *Pages in English*, first."""
    reports, state = fake_reports(tmp_path)
    state["02_pilot_participants-en"] = {"status": "failed", "parameters": {"language": "en"}}
    for lang, first, second in (("nl", "Pagina's in het Nederlands", "Pagina's in het Engels"),
                                ("en", "Pages in English", "Pages in Dutch")):
        soup = BeautifulSoup(site.build_index(reports, state, lang), "html.parser")
        groups = [(h.get_text(), [s["id"] for s in h.find_next_siblings("section")])
                  for h in soup.select("h2.language-group")]
        assert [g for g, _ in groups] == [first, second]
        under = {g: ids[:len(ids) - len(groups[i + 1][1]) if i + 1 < len(groups) else None]
                 for i, (g, ids) in enumerate(groups)}
        english = "Pagina's in het Engels" if lang == "nl" else "Pages in English"
        assert "02_pilot_participants-en" in under[english] and "01_dwsra_portfolio" not in under[english]


def test_a_run_at_its_notebooks_default_date_is_titled_with_that_date():
    """The sixth reviewer: the catering models and time-to-work runs (report.yml sets no cut-off
    date: the notebook's default, 16 April 2021) carried no date on the landing page."""
    entry = {"notebook": "03_outcome_models.ipynb", "parameters": {"language": "en"}}
    assert site.section_title("03_outcome_models-en", site.run_parameters(entry), "nl").endswith(
        "(Engelse versie, stand per 16 april 2021, drempel 10)")
    assert site.run_parameters({"notebook": "01_dwsra_portfolio.ipynb"}) == {}  # no date, no threshold
    assert site.run_parameters({"notebook": "x.ipynb", "parameters": {"cutoff_date": "2021-04-01"}}) == {
        "cutoff_date": "2021-04-01"}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_private_folder_of_another_pilot_says_its_data_are_real_and_cites_only_what_it_reproduces(tmp_path, lang):
    """newpilot2 (F6): the landing page of a real-data run of a new pilot said the participant data
    were synthetic and cited the catering and DWSRA reports, neither of which it reproduced."""
    reports, _ = fake_reports(tmp_path)
    state = {"02_pilot_participants-schoonmaak": {"status": "failed", "parameters": {
        "study": "schoonmaak_twente_2023", "participants_path": PRIVATE_LABEL, "language": lang}}}
    soup = BeautifulSoup(site.build_index(reports, state, lang), "html.parser")
    text = soup.body.get_text(" ", strip=True).lower()
    said = ("deelnemersgegevens zijn synthetisch", "privébestand") if lang == "nl" else (
        "participant data are synthetic", "private file")  # (the example study's own name says "synthetisch")
    assert said[0] not in text and said[1] in text
    assert soup.find(id="bronnen") is None and "ecorys" not in text and "tilburg" not in text
    catering = {"02_pilot_participants": {"status": "failed", "parameters": {"participants_path": PRIVATE_LABEL}}}
    soup = BeautifulSoup(site.build_index(reports, catering, lang), "html.parser")
    cited = [li["id"] for li in soup.select("#bronnen li")]
    assert cited == ["bron-catering_noordoost_brabant_2021"]  # its own report, not the DWSRA evaluation
