"""The findings in words of the models page (notebook 03) and the time-to-work page
(notebook 04): built from small tables whose numbers are set here by hand, so every number
expected in a sentence is worked out in the test (10 of 12 is 83%), not read back from the
code under test."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.presentation import model_findings, survival_findings
from analysis.release import sentences
from analysis.release.run import _public_words, level_names

NA = math.nan


def _rates(rate_3=6 / 12):
    return pd.DataFrame({"group": ["triage", "triage", "opleiding", "opleiding"],
                         "level": ["2", "3", "laag", "middelbaar"], "n": [12, 12, 13, 9],
                         "rate": [10 / 12, rate_3, 7 / 13, 7 / 9]})


def _tidy(low=0.0435, high=1.917, informative=True):
    return pd.DataFrame({
        "model": ["Firth logit", "Firth logit", "Firth logit", "ML logit"],
        "term": ["const", "triage[3]", "opleiding[hoog]", "triage[3]"],
        "estimate": [1.9, 0.330, 3.68, NA], "ci_low": [0.43, low, 0.2, NA], "ci_high": [10.9, high, 574.8, NA],
        "p_value": [0.40, 0.22, 0.41, NA], "informative": [True, informative, False, True], "ci_level": 0.95})


def _tests(p_holm=(1.0, 0.479)):
    return pd.DataFrame({"group": ["triage", "triage"], "comparison": ["2 vs rest", "3 vs rest"],
                         "p_holm": list(p_holm)})


def _mde():
    return pd.DataFrame({"design": ["balanced, N = 30", "balanced, N = 100", "observed: triage 3 vs rest"],
                         "n": [30, 100, 25], "target_power": [0.8, 0.8, 0.8],
                         "mde_odds_ratio_above_1": [NA, 5.0901, NA], "mde_odds_ratio_below_1": [0.0715, 0.3008, 0.075]})


def test_the_models_findings_say_the_range_the_model_the_tests_and_the_power():
    text = model_findings.findings(_rates(), _tidy(), _tests(), _mde(), 5, "nl")
    assert text.startswith("**Bevindingen.**")
    # 6 of 12 and 10 of 12
    assert "van 50% (triagepad drie, n\u00a0=\u00a012) tot 83% (triagepad twee, n\u00a0=\u00a012)" in text
    assert "van 54% (laag, n\u00a0=\u00a013) tot 78% (middelbaar, n\u00a0=\u00a09)" in text  # 7/13, 7/9
    assert "triagepad drie t.o.v. twee een odds ratio van 0,33 (interval 0,04 tot 1,92)" in text
    assert "opleidingsniveau hoog t.o.v. laag rusten op groepen van minder dan 5 personen" in text
    assert "kleinste p-waarde na Holm: 0,479"  # as the table writes it in text
    assert "Een programma van 30 deelnemers" in text and "onder één pas vanaf een odds ratio van 0,07" in text
    assert ("Bij een programma van 100 deelnemers is dat met 80% kans mogelijk vanaf een odds ratio van 5,09 "
            "(of 0,30 en lager)") in text
    assert "niet van toeval te onderscheiden" in text


def test_an_interval_without_one_or_a_significant_test_is_said_and_no_chance_conclusion_drawn():
    text = model_findings.findings(_rates(), _tidy(low=0.05, high=0.9), _tests((0.02, 0.5)), _mde(), 5, "en")
    assert ("triage path three vs. two differs from its reference group: odds ratio 0.33 (95% interval 0.05 "
            "to 0.90)") in text
    assert "outflow differs significantly for triage path two" in text
    assert "cannot be told apart from chance" not in text


def test_withheld_rates_and_estimates_are_never_said():
    rates = _rates().assign(rate=NA)
    tidy = _tidy().assign(estimate=NA, ci_low=NA, ci_high=NA)
    text = model_findings.findings(rates, tidy, _tests((NA, NA)), _mde().iloc[0:0], 5, "nl")
    assert "niet gepubliceerd (statistische beveiliging)" in text
    assert "%" not in text and "odds ratio van" not in text and "toeval" not in text


def test_every_number_of_the_models_findings_is_one_of_the_tables_or_the_parameters():
    """As ``run.say`` checks on a private run (the catalogue's own phrases are text): each
    number of the sentence is a number of the tables it was made from (or its percentage), or
    the run's parameter."""
    tables = [_rates(), _tidy(), _tests(), _mde()]
    known = set().union(*(sentences.numbers_of(t, texts=False) for t in tables)) | {5.0, 30.0, 100.0}
    for lang in ("nl", "en"):
        text = model_findings.findings(*tables, 5, lang)
        assert sentences.unpublished(text, lang, known, _public_words(), level_names()) == [], lang


def _six():
    return pd.DataFrame({"origin": ["start", "start", "start"], "definition": ["work", "work", "work"],
                         "curve": ["all", "triage=2", "all"][:2] + ["all"],
                         "report_share": [0.7, NA, NA], "one_minus": [0.8435, 0.82, NA],
                         "cif": [0.7575, 0.77, NA], "cif_low": [0.4394, 0.36, NA], "cif_high": [0.9105, 0.93, NA]}
                        ).iloc[:2]


def _logrank(p_inflow=0.0149):
    return pd.DataFrame({"origin": ["start", "start", "inflow"], "definition": ["work", "work", "work"],
                         "group": ["triage", "opleiding", "triage"], "p_value": [0.0711, 0.8975, p_inflow]})


def _cox(high=1.174):
    return pd.DataFrame({"origin": ["start"], "definition": ["work"], "term": ["triage[3]"], "estimate": [0.384],
                         "ci_low": [0.1257], "ci_high": [high], "reference": ["2"]})


def test_the_time_to_work_findings_say_six_months_beside_the_report_and_the_tests():
    text = survival_findings.findings(_six(), _logrank(), _cox(), "nl")
    # an estimate, not a count (the sixth reviewer: only 17 of 28 had work at the end of follow-up)
    assert "Zes maanden na de start van het traject is naar schatting 76% van de deelnemers uitgestroomd naar werk" \
        in text and "een schatting, geen telling" in text
    assert "95%-interval 44% tot 91%" in text and "84% als niemand voortijdig was vertrokken" in text
    assert "Het rapport noemt 70% (paragraaf 7.3); dat ligt binnen het 95%-interval voor werk." in text
    assert ("geen significant verschil naar triagepad (p\u00a0=\u00a00,071) en opleidingsniveau "
            "(p\u00a0=\u00a00,898)") in text  # as Tabel T2 writes them (review 7: one p-value format)
    assert "vanaf instroom, tot werk, naar triagepad (p\u00a0=\u00a00,015)" in text
    assert "elk 95%-interval van de verhouding van de snelheden de waarde één" in text


def test_a_hazard_ratio_whose_interval_excludes_one_is_named_with_its_reference():
    text = survival_findings.findings(_six(), _logrank(p_inflow=0.2), _cox(high=0.91), "en")
    assert ("In the model of the rate of moving on (Table T3) from the start of the programme, to work, the 95% "
            "interval excludes one for triage path three (vs. two): 0.38 times the rate of the reference group (95% "
            "interval 0.13 to 0.91), slower outflow than the reference group.") in text
    assert "Significant (p below" not in text


def test_an_estimate_on_the_last_few_at_risk_is_said_to_be_uncertain_and_the_report_placed_beside_it():
    """The sixth reviewer: the six-month shares rested on one or two persons still at risk, and the
    page never said whether the report's 70% lies inside the interval."""
    six = _six().assign(note=["few_at_risk", ""], cif_low=[0.75, 0.36], cif_high=[0.95, 0.93])
    text = survival_findings.findings(six, _logrank(), _cox(), "en")
    assert ("At six months the estimate rests on the last few participants who could still move on: one outflow "
            "moves it by tens of percentage points there, and Table T1 calls it not informative (76% to work, 95% "
            "interval 75% to 95%).") in text
    assert "The report gives 70% (section 7.3); that lies below the 95% interval for work." in text


def _tail_curve():
    """An overall curve from the start whose last steps rest on few at risk (days; MONTH = 30.44 days)."""
    return pd.DataFrame({"origin": "start", "definition": "work", "curve": "all",
                         "end": [30.0, 60.0, 100.0, 130.0, 150.0, 170.0], "n_risk": [20, 12, 8, 6, 3, 1],
                         "cif": [0.2, 0.35, 0.45, 0.5, 0.6, 0.7], "cif_low": [0.1, 0.2, 0.3, 0.33, 0.4, 0.45],
                         "cif_high": [0.3, 0.5, 0.6, 0.66, 0.75, 0.85]})


def test_the_findings_lead_with_an_informative_estimate_not_one_tabel_t1_flags():
    """Review 9: the findings led with six-month estimates that Tabel T1 itself calls not
    informative. By hand from _tail_curve(): at month 5 (152 days) the interval holding it (to
    day 170) starts with 1 at risk; at month 4 (122 days) with 6, and the last step by then (day
    100) gives 45% (30% to 60%): that leads, the flagged six-month estimate follows, said so."""
    six = _six().iloc[:1].assign(note=["few_at_risk"], informative=[False])
    assert survival_findings.informative_horizon(_tail_curve(), "start", "work")[:2] == (4, 6)
    text = survival_findings.findings(six, _logrank(), _cox(), "en", curves=_tail_curve())
    lead = ("Four months after the start of the programme, an estimated 45% had moved on to work (95% interval 30% "
            "to 60%; 6 participants could still move on then).")
    assert lead in text
    assert text.index(lead) < text.index("76%") and "an estimated 76%" not in text
    assert "Table T1 calls it not informative (76% to work" in text
    assert survival_findings.informative_horizon(_tail_curve().assign(n_risk=[4, 4, 4, 4, 3, 1]), "start",
                                                 "work") is None


def test_the_estimate_that_gives_the_report_s_share_exactly_is_said_to_be_not_informative_when_it_is_not():
    """The seventh reviewer: the summary pointed to the estimate giving exactly 70% without saying
    that Tabel T1 flags it as resting on the last few at risk."""
    six = _six().assign(cif=[0.7, 0.77], note=["few_at_risk", ""])
    assert survival_findings.report_match(six, 0.7, "nl") == [
        "Precies 70% geeft de schatting vanaf de start van het traject, tot werk; die rust op de laatste paar "
        "deelnemers die nog konden uitstromen (niet informatief)."]
    assert "niet informatief" not in survival_findings.report_match(six.assign(note=""), 0.7, "nl")[0]


def test_six_months_inside_a_merged_interval_gives_no_estimate():
    text = survival_findings.findings(_six().iloc[0:0], _logrank().iloc[0:0], _cox().iloc[0:0], "nl")
    assert "geen schatting" in text and "%" not in text


@pytest.mark.parametrize("module", [model_findings, survival_findings])
def test_an_unknown_language_is_refused(module):
    args = (_rates(), _tidy(), _tests(), _mde(), 5) if module is model_findings else (_six(), _logrank(), _cox())
    with pytest.raises(ValueError, match="language"):
        module.findings(*args, "de")


def test_the_models_tables_are_numbered_in_the_order_shown_and_named_for_the_landing_page():
    from analysis.presentation import model_exhibits as mx

    numbering = mx.Numbering("nl")
    assert numbering.heading("models_rates") == "Tabel M1. Uitstroom naar werk per groep"
    assert numbering.heading("models_shares", group="triagepad") == "Tabel M2. Uitstroomcategorieën naar triagepad"
    english = mx.Numbering("en")
    assert english.heading("models_mde") == "Table M1. Smallest detectable odds ratio"
    assert mx.appendix_heading("models_separation", "en") == "Table A.1. Separation by term"
    assert mx.output_of("Tabel M4. Exacte toetsen per niveau en per voorspeller", "nl") == "models_exact_tests"
    assert mx.output_of("Tabel M2. Uitstroomcategorieën naar triagepad", "nl") == "models_shares_triage"  # its own file
    assert mx.is_table_heading("Tabel M2. Uitstroomcategorieën naar triagepad", "nl")
    assert mx.is_table_heading("Table B.1. The report's outflow percentages, recomputed", "en")
    assert not mx.is_table_heading("Tabel 2.1 Ontvangen en toegekende subsidieaanvragen DWSRA", "nl")
    titles = [pair for pair, _ in mx.TABLES.values()]
    assert len({nl for nl, _ in titles}) == len(titles) and len({en for _, en in titles}) == len(titles)  # distinct


def test_the_power_sentence_speaks_of_this_programme_too():
    """The sixth reviewer: on a pilot of 64 the power sentence spoke only of programmes of 30
    and 100; the observed groups' detectable odds ratios (Tabel M9's observed rows) are said."""
    observed = pd.DataFrame({"design": ["observed: triage 1 vs rest", "observed: opleiding hoog vs rest",
                                        "observed: opleiding laag vs rest"], "n": [56, 56, 56], "target_power": 0.8,
                             "mde_odds_ratio_above_1": [11.902, NA, 8.4957],
                             "mde_odds_ratio_below_1": [0.18, 0.02, 0.19]})
    text = model_findings.findings(_rates(), _tidy(), _tests(), pd.concat([_mde().iloc[:2], observed]), 5, "nl")
    assert ("Met de groepen van dit bestand zelf (56 deelnemers, elk niveau tegen de rest) is een verschil met 80% "
            "kans pas aan te tonen vanaf een odds ratio van 8,50 tot 11,9, naar de groep.") in text


def test_the_estimate_that_is_the_reports_share_is_named():
    six = pd.concat([_six(), pd.DataFrame({"origin": ["inflow"], "definition": ["work_or_education"], "curve": ["all"],
                                           "report_share": [0.7], "one_minus": [0.8], "cif": [0.7049],
                                           "cif_low": [0.4], "cif_high": [0.87]})], ignore_index=True)
    text = survival_findings.findings(six, _logrank(), _cox(), "nl")
    assert "Precies 70% geeft de schatting vanaf instroom, tot werk of opleiding." in text
    assert "Precies" not in survival_findings.findings(_six(), _logrank(), _cox(), "nl")


def test_a_log_rank_test_of_a_group_of_a_few_persons_is_said_to_be_not_informative_after_the_others():
    """Review 9: a log-rank test by triage path compared a path of one person and was reported
    as any other, and the text led with it. Flagged tests (Tabel T2's ``informative``) come last,
    with their smallest group, and are never called significant."""
    lr = _logrank(p_inflow=0.0149).assign(informative=[False, True, False], group_n=[1, 3, 1])
    text = " ".join(survival_findings.logrank_sentences(lr, "nl"))
    assert text.startswith("De toets of de groepen even snel uitstromen (Tabel T2) vindt vanaf de start in de tijd "
                           "tot werk geen significant verschil naar opleidingsniveau (p\u00a0=\u00a00,898).")
    assert ("De toetsen of de groepen even snel uitstromen, naar triagepad (kleinste groep: 1), vergelijken een groep "
            "van een paar personen en zijn niet informatief (Tabel T2), ook waar p kleiner is dan 0,05: vanaf "
            "instroom, tot werk, naar triagepad (p\u00a0=\u00a00,015).") in text
    assert "blijft significant" not in text and "Wel significant" not in text


def test_the_log_rank_findings_say_what_survives_holms_adjustment():
    """The sixth reviewer: p below 0.05 'without adjustment' beside eight tests. Holm by hand:
    0.0149 * 3 = 0.045 < 0.05 survives; with 0.02, 0.02 * 3 = 0.06 does not."""
    text = survival_findings.findings(_six(), _logrank(), _cox(), "nl")
    assert "Na correctie voor het aantal toetsen (methode van Holm) blijft significant: vanaf instroom, tot werk, " \
        "triagepad." in text
    none = survival_findings.findings(_six(), _logrank(p_inflow=0.02), _cox(), "en")
    assert "After adjusting for the number of tests (Holm's method, as on the page on outflow to work) none" in none


def test_the_range_of_rates_leaves_out_those_never_triaged():
    """Intruder round 13: notebook 03 for the population "all" on a real file stopped at its
    findings: the lowest share was that of the participants without a triage path, 0%, a
    number a text on real data may not state. They are by design not in a trajectory (no
    model has them); the range is over the triage paths."""
    import pandas as pd

    from analysis.presentation import model_findings

    rates = pd.DataFrame({"group": "triage", "level": ["1", "2", "3", "geen"], "n": [12, 139, 129, 20],
                          "rate": [0.5, 88 / 139, 70 / 129, 0.0]})
    text = " ".join(model_findings.rate_sentences(rates, "nl"))
    assert "0%" not in text.replace("50%", "") and "20" not in text
    assert "139" in text or "129" in text


def _curves():
    """Two overall curves from the start (and one from inflow, not said): per interval the
    number at risk at its start, the outcomes, competing exits and censored."""
    rows = []
    for definition, events in (("work", (5, 12)), ("work_or_education", (5, 14))):
        rows += [("start", definition, "all", 60.0, 28, events[0], 0, 0),
                 ("start", definition, "all", 183.0, 23, events[1], 3, 23 - events[1] - 3)]
    rows.append(("inflow", "work", "all", 183.0, 30, 10, 0, 20))
    return pd.DataFrame(rows, columns=["origin", "definition", "curve", "end", "n_risk", "events", "competing",
                                       "censored"])


def test_the_time_to_work_findings_lead_with_what_was_observed_then_the_estimates():
    """Review 7: the summary led with flagged six-month estimates; it should first say, in words,
    how many found work by the end of follow-up, then the estimates with their caveats."""
    counts = survival_findings.observed(_curves())
    # by hand from _curves(): 5 + 12 = 17 with work, 3 left, 23 - 12 - 3 = 8 still without; 19 counting education
    assert counts.to_dict("records") == [
        {"definition": "work", "n": 28, "events": 17, "competing": 3, "censored": 8},
        {"definition": "work_or_education", "n": 28, "events": 19, "competing": 3, "censored": 6}]
    text = survival_findings.findings(_six(), _logrank(), _cox(), "nl", counts, "16 april 2021")
    observed = ("Van de 28 deelnemers die aan het traject begonnen, hadden er aan het einde van de waarneming "
                "(16 april 2021) 17 werk; 3 verlieten de pilot zonder werk en 8 hadden toen nog geen werk. "
                "Tot werk of opleiding samen: 19 van de 28.")
    assert text.startswith("**Bevindingen.** " + observed)
    estimate = text.index("een schatting, geen telling")
    assert text.index(observed) < estimate < text.index("naar schatting 76%")
    english = survival_findings.findings(_six(), _logrank(), _cox(), "en", counts, "16 April 2021")
    assert english.startswith("**Findings.** Of the 28 participants who started the trajectory, 17 had work by the "
                              "end of observation (16 April 2021)")
    assert survival_findings.observed(_curves().iloc[:0]).empty
    assert survival_findings.findings(_six(), _logrank(), _cox(), "nl").startswith(
        "**Bevindingen.** Niet iedereen is zes maanden gevolgd")  # withheld curves: nothing observed is said


def test_a_curve_s_steps_on_fewer_than_five_at_risk_are_drawn_faint_without_their_band():
    """Review 7: the time-to-work curves rose to 100% at their last step, resting on one person.
    Steps resting on fewer than five at risk (Tabel T1's rule) are drawn faint and without a band."""
    import matplotlib.pyplot as plt

    from analysis.presentation import survival_texts as st

    # by hand: at risk 20, 12, 6 (solid), then 3 and 1 (faint); the curve reaches 1.0 on the last person
    curve = pd.DataFrame({"origin": "start", "definition": "work", "curve": "all",
                          "end": [30.0, 60.0, 90.0, 120.0, 150.0], "n_risk": [20, 12, 6, 3, 1],
                          "one_minus": [0.2, 0.4, 0.6, 0.8, 1.0], "one_minus_low": [0.1, 0.2, 0.3, 0.4, 0.5],
                          "one_minus_high": [0.3, 0.6, 0.8, 0.95, 1.0], "cif": [0.2, 0.35, 0.5, 0.6, 0.7]})
    fig = st.curve_figure(curve, "t", "nl", "start", series="definition", with_cif=True)
    lines = fig.axes[0].get_lines()
    solid = [ln for ln in lines if not ln.get_label().startswith("_") and ln.get_linestyle() == "-"]
    from matplotlib.colors import to_rgba

    faint = [ln for ln in lines if ln.get_label().startswith("_") and to_rgba(ln.get_color())[3] < 1]
    assert max(solid[0].get_ydata()) == 0.6  # the labelled line stops at the last step on 6 at risk
    assert len(faint) == 2 and max(faint[0].get_ydata()) == 1.0  # 1 - KM and the cumulative incidence
    band = fig.axes[0].collections[0].get_paths()[0].vertices
    assert band[:, 0].max() == 90.0 / (365.25 / 12)  # the band ends with the solid line
    plt.close(fig)


def test_findings_are_a_paragraph_per_topic_led_by_the_heading_word():
    """The models and time-to-work findings come a paragraph per topic, the first led by
    *Bevindingen.* (the time-to-work page's were one paragraph of 440 words)."""
    assert model_findings.paragraphs("**H.**", ["a.", "b."], [], ["c."]) == "**H.** a. b.\n\nc."
    assert model_findings.paragraphs("**H.**", [], ["c."]) == "**H.** c."
    models = model_findings.findings(_rates(), _tidy(), _tests(), _mde(), 5, "nl").split("\n\n")
    survival = survival_findings.findings(_six(), _logrank(), _cox(), "en").split("\n\n")
    assert models[0].startswith("**Bevindingen.** ") and survival[0].startswith("**Findings.** ")
    assert len(models) >= 2 and len(survival) >= 3
    assert not any(p.startswith("**") for p in models[1:] + survival[1:])


def test_a_catalogue_phrase_is_exempt_only_as_whole_words():
    """Attack 16 (B1): the catalogue's "1 person" was removed from inside "11 personen" before
    the numbers were read, so the "1" left over was an unpublished count and notebook 02 at a
    threshold of 11 failed on its own sentence. A phrase is text only where it stands as words."""
    from analysis.release import sentences

    phrases = frozenset({"1 person", "odds ratio boven 1"})
    text = "het telt minder dan 11 personen; kleinste aantoonbare odds ratio boven 1."
    assert sentences.without_phrases(text, phrases) == "het telt minder dan 11 personen; kleinste aantoonbare  ."
    assert sentences.unpublished(text, "nl", {11.0}, phrases) == []
    assert sentences.unpublished("1 persoon", "nl", {11.0}, phrases) == ["1"]  # the phrase's number elsewhere: read
