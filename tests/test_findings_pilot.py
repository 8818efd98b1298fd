"""The participants page's findings in words (presentation.pilot_findings), from hand-made
released tables: each expected sentence is written out here, its share worked by hand."""

import pandas as pd
import pytest

from analysis.presentation import pilot_findings as pf


def _one_way(counts: dict, total=None) -> pd.Series:
    s = pd.Series(counts, dtype="Float64")
    if total is not None:
        s.loc["totaal"] = total
    return s


def test_the_largest_group_shown_with_its_share_of_the_shown_total():
    shown = pf.Shown("Figuur 12", "Uitstroom uit de pilot", _one_way({"nieuwe_baan": 15, "opleiding": 0,
                                                                       "in_bemiddeling": 10, "gestopt": pd.NA},
                                                                      total=30))
    # 15 of 30 is 50%
    # (30 - 15 - 0 - 10 = 5 left for the protected cell: it cannot be as large, so no caveat)
    assert pf.exhibit_sentence(shown, "nl", 10) == (
        "In Figuur 12 (uitstroom uit de pilot) is *Nieuwe baan* de grootste groep: 15 van de 30 (50%).")
    assert pf.exhibit_sentence(pf.Shown("Figure 12", "Outflow from the pilot", shown.table), "en", 10) == (
        "In Figure 12 (outflow from the pilot), *New job* is the largest group: 15 of the 30 (50%).")


def test_without_a_shown_total_only_the_count_is_said():
    withheld_total = _one_way({"nieuwe_baan": 12, "gestopt": 3}, total=pd.NA)
    assert pf.exhibit_sentence(pf.Shown("Figuur 12", "Uitstroom", withheld_total), "nl", 1).endswith(
        "*Nieuwe baan* de grootste groep: 12 personen.")
    no_total = _one_way({"dv_talentenscan": 18, "dv_coaching": 1})
    assert pf.exhibit_sentence(pf.Shown("Figure 11", "Services", no_total), "en", 1).endswith(
        " the largest group: 18 persons.")


def test_a_two_way_table_is_read_by_its_total_column():
    table = pd.DataFrame({"t/m 35": [5, 2, 0, 7], "totaal": [15, 12, 3, 30]},
                         index=["laag", "middelbaar", "hoog", "totaal"], dtype="Float64")
    # the row totals: laag 15 of 30 = 50%
    assert pf.exhibit_sentence(pf.Shown("Figuur 7", "Opleiding en leeftijd", table), "nl", 1).endswith(
        "*Laag* de grootste groep: 15 van de 30 (50%).")


@pytest.mark.parametrize("lang, word", [("nl", "weggelaten"), ("en", "left out")])
def test_an_exhibit_protection_left_empty_says_so_and_why(lang, word):
    empty = _one_way({"zorg": pd.NA, "onderwijs": pd.NA, "horeca": 0}, total=pd.NA)
    sentence = pf.exhibit_sentence(pf.Shown("Figuur 13", "Sector", empty), lang, 10)
    assert word in sentence and "10" in sentence and "grootste" not in sentence


@pytest.mark.parametrize("counts", [{"nieuwe_baan": 15, "gestopt": pd.NA, "opleiding": pd.NA},
                                    {"nieuwe_baan": 15, "in_bemiddeling": 10, "gestopt": pd.NA, "opleiding": pd.NA,
                                     "oude_werkgever": pd.NA}])
def test_an_exhibit_whose_figure_the_page_omits_says_so_and_what_its_table_shows(counts):
    """The fifth reviewer's finding: on the 16 April page the findings named *Nieuwe baan, 15 van
    de 30* for a Figuur 12 the page itself left out, without saying so. The sixth's: the page then
    said that protection left "no count that says anything" above a table showing Nieuwe baan 15.
    The page omits a figure with fewer than two shown counts above zero or more withheld cells than
    shown ones (``pilot_figures.informative``); its finding says the figure is left out, from the
    same rule, and names what its table does show, as the table shows it."""
    from analysis.presentation.pilot_figures import NOTHING_LEFT, informative

    table = _one_way(counts, total=30)
    assert not informative(table.drop("totaal"))  # the page leaves the figure out
    sentence = pf.exhibit_sentence(pf.Shown("Figuur 12", "Uitstroom", table), "nl", 10)
    # where the withheld count (30 less those shown) may be as large, the largest of those shown (review 12)
    shown_only = 30 - sum(v for v in counts.values() if not pd.isna(v)) >= 15
    largest = "de grootste van de getoonde groepen" if shown_only else "de grootste groep"
    assert "weggelaten" in sentence and f"*Nieuwe baan* {largest}: 15 van de 30 (50%)" in sentence
    assert "geen aantal" not in sentence and "geen aantal" not in NOTHING_LEFT["nl"]  # counts remain: the table's


def test_equal_largest_counts_are_named_together():
    """The sixth reviewer: *de grootste getoonde groep is Zorg, 6 van de 23* where Logistiek also
    counts 6."""
    table = _one_way({"zorg": 6, "logistiek": 6, "horeca": 5, "onderwijs": 6 - 1}, total=23)
    sentence = pf.exhibit_sentence(pf.Shown("Figuur 13", "Sector", table), "nl", 1)
    assert "zijn *Zorg* en *Logistiek* even groot en samen de grootste groepen: elk 6 van de 23 (26%)" in sentence, \
        sentence
    english = pf.exhibit_sentence(pf.Shown("Figure 13", "Sector", table), "en", 1)
    assert "*Care* and *Logistics* are equally large and together the largest groups: 6 of the 23 (26%) each" \
        in english, english
    declared = pf.Shown("Figuur 13", "Sector", table, finding="De sector waarin de meesten terechtkwamen, is *{Group}*")
    assert "*Zorg* en *Logistiek*" in pf.exhibit_sentence(declared, "nl", 1)  # a tie never reads as one group


def test_the_paragraph_leads_with_findings_and_explains_missing_counts_only_when_one_is_missing():
    full = pf.Shown("Figuur 10", "Triagepad", _one_way({"triage_2": 13, "triage_3": 14}, total=30))
    gap = pf.Shown("Figuur 12", "Uitstroom", _one_way({"nieuwe_baan": 15, "gestopt": pd.NA}, total=30))
    text = pf.findings([full], "nl", 1)
    assert text.startswith("**Bevindingen.** In Figuur 10") and "beschermd" not in text
    # 14 of 30 rounds to 47%
    assert "14 van de 30 (47%)" in text
    text = pf.findings([full, gap], "en", 10)
    assert text.startswith("**Findings.**") and text.endswith(
        "A missing count is protected: it counts fewer than 10 persons or can be derived from other counts.")


def test_a_numbered_group_is_named_in_words_never_as_a_count():
    """On a private run a sentence may carry only published numbers: *Triage 3* is said as the
    models page says it, *triagepad drie* (its 3 is a name, not a count); a label with other
    digits is not named on a private run (the table beside it names it)."""
    shown = pf.Shown("Figuur 10", "Triagepad", _one_way({"triage_2": 13, "triage_3": 14}, total=30))
    # with the figure's label beside it where digits may stand (review 12: "triagepad drie" vs "Triage 3")
    assert "*triagepad drie \\(Triage 3\\)* de grootste groep: 14 van de 30 (47%)" in \
        pf.exhibit_sentence(shown, "nl", 10)
    assert "*triagepad drie*" in pf.exhibit_sentence(shown, "nl", 10, digits=False)
    assert "*triage path three" in pf.exhibit_sentence(pf.Shown("Figure 10", "Triage path", shown.table), "en", 10)
    years = pf.Shown("Figuur 8", "Dienstjaren", _one_way({"t/m 5": 22, "5-10": 9}, total=64))
    assert pf.exhibit_sentence(years, "nl", 10, digits=False) == (
        "In Figuur 8 (dienstjaren) telt de grootste groep 22 van de 64 (34%); de tabel noemt haar.")
    assert "*tot en met 5*" in pf.exhibit_sentence(years, "nl", 1)  # words in a sentence, not t/m (review 12)


def test_the_largest_group_shown_says_a_suppressed_one_may_be_larger():
    """The sixth reviewer: on the 16 April page *Talentenscan, 18* read as the most common
    service while Coaching (27 on 1 April) was suppressed as derivable."""
    table = _one_way({"dv_coaching": pd.NA, "dv_talentenscan": 18, "dv_sollicitatietraining": 12}, total=pd.NA)
    sentence = pf.exhibit_sentence(pf.Shown("Figuur 11", "Dienstverlening", table), "nl", 10)
    assert ("*Talentenscan* de grootste van de getoonde groepen: 18 personen; een beschermde groep "
            "kan even groot of groter zijn.") in sentence
    full = _one_way({"dv_talentenscan": 18, "dv_sollicitatietraining": 12}, total=30)
    assert "beschermde" not in pf.exhibit_sentence(pf.Shown("Figuur 11", "Dienstverlening", full), "nl", 10)
    small_rest = _one_way({"dv_talentenscan": 18, "dv_coaching": pd.NA, "dv_sollicitatietraining": 10}, total=30)
    assert "beschermde" not in pf.exhibit_sentence(pf.Shown("Figuur 11", "Dienstverlening", small_rest), "nl", 10)
    as_large = _one_way({"dv_talentenscan": 18, "dv_coaching": pd.NA, "dv_sollicitatietraining": 10}, total=46)
    # 46 - 18 - 10 = 18 left: a protected group may tie, so "the largest" is not claimed without the caveat
    assert "even groot of groter" in pf.exhibit_sentence(pf.Shown("Figuur 11", "Dienstverlening", as_large), "nl", 10)


def test_a_declared_sentence_names_the_group_in_the_studys_words_with_count_share_and_number():
    """Review 7: "de grootste getoonde groep is Laag" read as a template. The exhibits file gives
    each figure its sentence; the count, the share and the figure's number follow it."""
    table = pd.DataFrame({"t/m 35": [5, 2, 0, 7], "totaal": [15, 12, 3, 30]},
                         index=["laag", "middelbaar", "hoog", "totaal"], dtype="Float64")
    shown = pf.Shown("Figuur 7", "Opleiding en leeftijd", table,
                     finding="De grootste groep deelnemers is {group} opgeleid")
    assert pf.exhibit_sentence(shown, "nl", 1) == (
        "De grootste groep deelnemers is laag opgeleid: 15 van de 30 (50%; Figuur 7).")
    status = pf.Shown("Figure 12", "Outflow", _one_way({"nieuwe_baan": 12, "gestopt": 3}, total=15),
                      finding="The most common status on {date} is *{Group}*")
    assert pf.exhibit_sentence(status, "en", 1, date="1 April 2021") == (
        "The most common status on 1 April 2021 is *New job*: 12 of the 15 (80%; Figure 12).")
    services = pf.Shown("Figuur 11", "Dienstverlening", _one_way({"dv_talentenscan": 18, "dv_coaching": pd.NA}),
                        finding="De dienst waarnaar het vaakst is verwezen, is *{Group}*")
    # one count shown: the page leaves the figure out and shows its table; a withheld service may be larger, so not
    # the declared "most often" but the largest of those shown (review 12)
    assert pf.exhibit_sentence(services, "nl", 10).endswith(
        "In de tabel bij Figuur 11 (dienstverlening) is *Talentenscan* de grootste van de getoonde groepen: 18 "
        "personen; een beschermde groep kan even groot of groter zijn.")


def test_the_16_april_findings_cite_what_the_page_shows_and_say_each_caveat_once():
    """Review 11 of the 16 April page: "blijft geen aantal zichtbaar" above tables that show their
    total; "15 van de 30 (50%; Figuur 7)" for a Figuur 7 it had just called left out; "gerekend over
    de getoonde groepen; een beschermde groep kan even groot of groter zijn" four times."""
    education = pf.Shown("Figuur 7", "Opleiding", _one_way({"laag": 15, "middelbaar": pd.NA, "hoog": pd.NA}, total=30),
                         finding="De grootste groep deelnemers is {group} opgeleid")
    tenure = pf.Shown("Figuur 8", "Dienstjaren", _one_way({"10-20 jaar": 14, "t/m 5 jaar": pd.NA,
                                                           "meer dan 20 jaar": pd.NA}, total=30))  # no sentence
    shown = pf.Shown("Figuur 10", "Triage", _one_way({"triage_1": 12, "triage_2": 11, "triage_3": pd.NA,
                                                      "geen_triage": pd.NA}, total=30))
    function = pf.Shown("Figuur 9", "Functie", _one_way({"staf": pd.NA, "uitvoerend": pd.NA}, total=30))
    outflow = pf.Shown("Figuur 12", "Uitstroom", _one_way({"nieuwe_baan": pd.NA, "gestopt": pd.NA}, total=30))
    for lang in ("nl", "en"):
        text = pf.findings([education, tenure, function, shown, outflow], lang, 10)
        assert {"nl": "In de tabel bij Figuur 7 (opleiding) is *Laag* de grootste van de getoonde groepen: 15 van de "
                      "30 (50%)",
                "en": "In the table of Figuur 7 (opleiding), *Low* is the largest of the groups shown: 15 of the 30 "
                      "(50%)"}[lang] in text, text
        assert {"nl": "In de tabel bij Figuur 8 (dienstjaren) is",
                "en": "In the table of Figuur 8 (dienstjaren),"}[lang] in text
        assert "; Figuur 7)" not in text and "; Figuur 8)" not in text  # a figure the page leaves out is not cited
        assert "In Figuur 10 (triage)" in text  # a figure the page draws is cited as itself
        caveat = {"nl": "even groot of groter", "en": "as large or larger"}[lang]
        assert text.count(caveat) == 1, text
        assert {"nl": "gerekend over de getoonde groepen (tabel bij Figuur 7 en tabel bij Figuur 8)",
                "en": "count only the groups shown (table of Figuur 7 and table of Figuur 8)"}[lang] in text
        for nothing in ("geen aantal zichtbaar", "no count remains visible"):
            assert nothing not in text
        assert {"nl": "Figuur 9 en Figuur 12 zijn weggelaten: na bescherming (drempel 10) is het aantal van elke "
                      "groep beschermd",
                "en": "Figuur 9 and Figuur 12 are left out: after protection (threshold 10) every group's count "
                      "is protected"}[lang] in text


def test_every_figure_of_the_shipped_studies_declares_its_sentence_in_both_languages():
    from analysis.study import SHIPPED, load_study, study_ids

    for sid in study_ids(SHIPPED):
        for e in load_study(sid).exhibits.of("02_pilot_participants"):
            assert e.finding and all("{group}" in f or "{Group}" in f for f in e.finding), (sid, e.name)
            assert "getoonde" not in e.finding[0] and "shown" not in e.finding[1]


def test_a_study_label_in_a_finding_shows_as_written():
    """Hostile round 12: a study file's label ``<b>coaching</b>`` (and a link with a style) went
    into the findings sentence as markdown and rendered as markup on the page. Labels and
    titles are escaped: rendered, the sentence shows the characters as written."""
    import markdown_it

    from analysis.presentation import markup

    label = '<b>coaching</b> [klik](https://e.example) *x*'
    rendered = markdown_it.MarkdownIt().renderInline(f"de grootste groep is *{markup.text(label)}*")
    assert "<b>" not in rendered and "<a " not in rendered and "&lt;b&gt;coaching&lt;/b&gt;" in rendered


def test_a_hidden_service_may_be_larger_than_the_largest_shown_one():
    """Review 8: on the 16 April page Figuur 11's finding named Talentenscan (18) as the most
    referred while Coaching (27) was hidden: a person receives several services, so the shown
    counts add up to more than the total and the hidden room cannot be read from the total.
    Then the caveat is always said when a cell is hidden."""
    counts = {"coaching": None, "talentenscan": 18, "loopbaantest": 17, "linkedin": 10, "sollicitatie": 14,
              "teammatch": 17, "totaal": 30}
    table = pd.Series(counts, dtype="float64")
    sentence = pf.exhibit_sentence(pf.Shown("Figuur 11", "Dienstverlening", table), "nl", 10)
    assert pf.TEXT["nl"]["hidden"].strip("; ,") in sentence
