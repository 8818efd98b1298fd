"""English pages have no Dutch labels or titles left and Dutch pages no English ones,
checked against the label catalogue (``presentation.language``) on the published reviewer
pages: headings, table headers and captions, the table of contents, the page title and
every figure's alt text (which carries the figure's title, categories and source line;
``tests/test_figures.py`` checks the figures' own texts)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from analysis import paths
from analysis.presentation import formats, language, titles
from analysis.presentation.labels import LABELS, label
from analysis.study import DEFAULT_STUDY, SHIPPED, load_study, study_ids

SECOND = "schoonmaak_twente_2023"

PAGES = sorted((paths.REPORTS / "html" / "reviewer").glob("*.html"))


def labelled_texts(soup) -> str:
    parts = [e.get_text(" ") for e in soup.select("title, h1, h2, h3, th, caption, nav")]
    parts += [img.get("alt", "") for img in soup.find_all("img")]
    return "\n".join(parts)


@pytest.mark.skipif(not PAGES, reason="needs reports/html (make report runs before the tests)")
@pytest.mark.parametrize("path", PAGES, ids=[p.stem for p in PAGES])
def test_page_labels_are_in_the_pages_language(path):
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    lang = soup.html.get("lang")
    assert lang in ("nl", "en"), f"{path.name}: <html lang={lang!r}>"
    assert language.foreign(labelled_texts(soup), lang) == []


@pytest.mark.skipif(not PAGES, reason="needs reports/html (make report runs before the tests)")
def test_there_is_an_english_page_and_it_has_no_untranslated_codes():
    english = [p for p in PAGES if BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser").html.get("lang") == "en"]
    assert english, "report.yml publishes the DWSRA notebook in English too"
    for page in english:
        text = labelled_texts(BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser"))
        for nl, en in LABELS.values():
            if nl != en and " " in nl:  # a phrase, not a code that could be a word of both
                assert nl not in text, f"{page.name}: {nl!r} untranslated"


def test_the_check_finds_dutch_left_in_english_and_english_in_dutch():
    assert language.foreign("Figure 8. Years of service: t/m 5 jaar 4; meer dan 20 jaar 6", "en") == [
        "meer dan 20 jaar", "t/m 5 jaar"]
    assert "Total" in language.foreign("Tabel 2.1 ... Total received", "nl")
    assert language.foreign("Totaal 30; Leeftijd", "nl") == []


def test_every_label_and_title_exists_in_both_languages():
    for table in (LABELS, titles.TITLES, titles.SOURCES, titles.REPORT_TITLES):
        for key, pair in table.items():
            assert len(pair) == 2 and all(isinstance(s, str) and s.strip() for s in pair), key
    assert label("t/m 35", "en") == "35 or younger" and label("meer dan 20 jaar", "en") == "more than 20 years"


def test_dates_and_numbers_in_the_languages_format():
    assert formats.month("2016-10", "nl") == "okt 2016" and formats.month("2016-10", "en") == "Oct 2016"
    assert formats.long_date("2021-04-01", "nl") == "1 april 2021"
    assert formats.long_date("2021-04-16", "en") == "16 April 2021"
    assert formats.number(23.4, "nl", 1) == "23,4" and formats.number(1234567.891, "nl", 2) == "1.234.567,89"
    assert formats.number(1234567.891, "en", 2) == "1,234,567.89" and formats.number(-0.04, "nl", 1) == "0,0"
    assert formats.number(float("nan"), "en") == formats.MISSING
    assert titles.title("figuur_12_uitstroom", "nl", "2021-04-01") == \
        "Figuur 12. Uitstroom uit de pilot, stand per 1 april 2021"


def test_sentences_fill_their_fields_and_write_dates_in_the_language():
    kind = titles.sentence("synthetic_data", "nl")
    assert titles.sentence("pilot_loaded", "nl", date="2021-04-16", n=30, k=10, kind=kind) == (
        "Deze pagina telt **30 deelnemers** (**synthetische gegevens**), stand per 16 april 2021; drempel voor "
        "kleine aantallen: 10.")
    assert titles.sentence("constraints_met", "en", met=34, total=34) == "34 of 34 checks passed"


def test_every_constraint_has_its_fact_in_both_languages_and_dutch_names_are_marked():
    import pandas as pd

    from analysis.pilot import constraints

    assert set(constraints.FACTS_NL) == {c.id for c in constraints.CONSTRAINTS}
    assert constraints.FACTS_NL["C3"] == "2 combineren werk en scholing"
    table = pd.DataFrame({"fact": [constraints.BY_ID["C19"].fact, "x >= 2"]})
    english = language.mark_dutch_names(table, "fact", "en")["fact"].tolist()
    assert english == ['employers <span lang="nl">Hutten</span>, <span lang="nl">Maison van den Boer</span> and '
                       '<span lang="nl">Hotel Central</span>, each at least once', "x &gt;= 2"]
    assert language.mark_dutch_names(table, "fact", "nl") is table
    # the names are the study file's, not the package's: another study's are marked with its own
    other = pd.DataFrame({"fact": ["via Gemeente Enschede, not Hutten"]})
    marked = language.mark_dutch_names(other, "fact", "en", language.dutch_names(load_study(SECOND)))
    assert marked["fact"].tolist() == ['via <span lang="nl">Gemeente Enschede</span>, not Hutten']


def test_every_declared_exhibit_and_chapter_is_in_the_catalogue_in_both_languages():
    """The language check knows every shipped study's declared titles (studies/*.exhibits.yml),
    so an English page with a Dutch title of a declared exhibit fails it."""
    for sid in study_ids(SHIPPED):
        study = load_study(sid)
        for exhibit in study.exhibits.items:
            nl, en = exhibit.full_title("nl"), exhibit.full_title("en")
            assert nl.startswith(("Figuur ", "Tabel ")) and en.startswith(("Figure ", "Table ")), exhibit.name
            assert nl in language.foreign(f"<h3>{nl}</h3>", "en"), exhibit.name
            assert en in language.foreign(f"<h3>{en}</h3>", "nl"), exhibit.name


def test_a_studys_own_label_wins_over_the_catalogues_code_of_the_same_name():
    """The cleaning study's status ``uitgevallen`` is its own (the catalogue's merged group of
    that name says 'stopped, did not start or stayed'); its same sector ``schoonmaak`` is labelled
    as its file says, not as the catalogue's sector."""
    from analysis.pilot import schema as ps

    try:
        ps.use_study(SECOND)
        assert label("uitgevallen", "en") == "Dropped out"
        assert label("schoonmaak", "nl") == "Zelfde sector (schoonmaak)"
    finally:
        ps.use_study(DEFAULT_STUDY)
    assert label("uitgevallen", "en") == LABELS["uitgevallen"][1]
