"""One scale per quantity on the models and time-to-work pages (issues 26 and 27): shares in
percent, differences in percentage points, odds ratios with the digits their interval carries,
a minus sign; models without estimates said once; categories in the codebook's order; every
series of Figure M2 visible; every published Cox model in the findings. The expected texts
are written out here by hand from the numbers of each small table."""

from __future__ import annotations

import math

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

from analysis.presentation import model_figures, model_texts, survival_findings, survival_texts  # noqa: E402

NA = math.nan
DASH = "\u00a0–\u2060\u00a0"


@pytest.mark.parametrize(("value", "scale", "nl", "en"), [
    (0.3302, "odds ratio", "0,33", "0.33"),
    (574.833, "odds ratio", "575", "575"),
    (22.963, "odds ratio", "23,0", "23.0"),
    (0.6584, "probability", "65,8", "65.8"),  # a probability in percent
    (-0.2703, "risk difference", "\u221227,0", "\u221227.0"),  # percentage points, a minus sign
    (NA, "odds ratio", "–", "–"),
])
def test_each_estimate_is_written_on_its_rows_scale(value, scale, nl, en):
    assert model_texts.scaled_text(value, scale, "nl") == nl
    assert model_texts.scaled_text(value, scale, "en") == en


def _tidy() -> pd.DataFrame:
    sep = "not estimable: separation makes triage[1] infinite"
    return pd.DataFrame({
        "model": ["Firth logit", "Firth logit", "ML logit", "ML logit", "LPM (OLS)"],
        "term": ["const", "triage[3]", "const", "triage[3]", "triage[3]"],
        "scale": ["odds", "odds ratio", "odds", "odds ratio", "risk difference"],
        "estimate": [1.901, 0.3302, NA, NA, -0.2703], "ci_low": [0.429, 0.0435, NA, NA, -0.7329],
        "ci_high": [10.903, 1.917, NA, NA, 0.1923], "ci_method": ["profile penalised likelihood"] * 2
        + ["Wald (z)"] * 2 + ["HC3 standard error, t(20)"], "test": ["t"] * 5, "p_value": [0.4, 0.22, NA, NA, 0.24],
        "p_holm": [NA, 0.22, NA, NA, 0.47], "group_n": [5, 12, 5, 12, 12], "note": ["", "", sep, sep, ""]})


def test_a_model_without_estimates_is_said_once_not_as_rows_of_dashes():
    view, methods = model_texts.coefficient_view(_tidy(), "nl")
    corrected = "Gecorrigeerde logit"  # Firth's logit in words (issue 26)
    assert view["model"].tolist() == [corrected, corrected, "Lineair kansmodel"]
    assert "Gewone logit" not in set(methods["model"])
    assert view["estimate"].tolist() == ["1,90", "0,33", "\u221227,0"]
    assert view["interval"].tolist() == [f"0,43{DASH}10,9", f"0,04{DASH}1,92", f"\u221273,3{DASH}19,2"]
    assert view["scale"].tolist() == ["Odds", "Odds ratio", "Kansverschil (procentpunt)"]
    note = model_texts.omitted_models_note(_tidy(), "nl")
    assert note == ("**Niet in de tabel.** *Gewone logit*: niet te schatten: door scheiding zijn triagepad 1 "
                    "oneindig (zie Bijlage A).")
    assert model_texts.omitted_models_note(_tidy().query("model != 'ML logit'"), "en") == ""


def test_the_mean_fitted_probabilities_are_percentages():
    fitted = pd.DataFrame({"quantity": ["observed uptake rate", "mean fitted probability, Firth intercept"],
                           "value": [17 / 25, 0.6412], "n": [25, 25], "events": [17, 17]})
    view = model_texts.fitted_view(fitted, "en")
    assert view["rate_pct"].tolist() == [68.0, 64.1]
    assert view["quantity"].tolist() == ["Observed outflow share", "Mean predicted probability, uncorrected intercept"]


def test_the_detectable_odds_ratios_have_two_decimals_and_the_target_power_is_the_captions():
    mde = pd.DataFrame({"design": ["balanced, N = 30"], "n": [30], "n1": [15], "n0": [15], "group_n": [15],
                        "base_rate": [0.68], "alpha": [0.05], "target_power": [0.8], "mde_odds_ratio_above_1": [NA],
                        "mde_odds_ratio_below_1": [0.07146], "method": ["Fisher exact test; power exact"],
                        "note": ["power stays below 0.8 at every odds ratio above 1 up to 1000"]})
    view = model_texts.mde_view(mde, "nl")
    assert "target_power" not in view.columns and "group_n" not in view.columns
    assert view["mde_odds_ratio_below_1"].tolist() == ["0,07"] and view["mde_odds_ratio_above_1"].tolist() == ["–"]
    assert view["note"].tolist() == ["het vermogen blijft onder 80% bij elke odds ratio boven 1 tot 1000"]


def test_a_legend_names_only_the_columns_the_table_shows():
    table = pd.DataFrame({"design": ["a", "b", "c"], "target_power": [0.8] * 3, "note": [None] * 3,
                          "n": [30, 100, 25]})
    assert model_texts.shown_columns(table) == ["design", "n"]


def test_levels_come_in_the_codebooks_order():
    assert model_texts.level_order("opleiding")[:3] == ["laag", "middelbaar", "hoog"]
    assert model_texts.natural_order(["hoog", "laag", "middelbaar"], model_texts.level_order("opleiding")) == \
        ["laag", "middelbaar", "hoog"]
    shares = pd.DataFrame({"werk": [1.0, 0.54, 0.78]}, index=["hoog", "laag", "middelbaar"])
    shown = model_texts.shares_table(shares, "nl", ["laag", "middelbaar", "hoog", "onbekend"])
    assert shown["level"].tolist() == ["Laag", "Middelbaar", "Hoog"]
    assert survival_texts.curve_order(["all", "opleiding=hoog", "opleiding=laag", "opleiding=middelbaar",
                                       "triage=geen", "triage=3", "triage=1"]) == \
        ["all", "opleiding=laag", "opleiding=middelbaar", "opleiding=hoog", "triage=1", "triage=3", "triage=geen"]


def _power_table() -> pd.DataFrame:
    rows = []
    for design, powers in [("balanced, N = 30", [0.70, 0.07, 0.06, 0.34]),
                           ("balanced, N = 100", [1.0, 0.32, 0.25, 0.95]),
                           ("balanced, N = 1000", [1.0] * 4), ("balanced, N = 10000", [1.0] * 4)]:
        rows += [{"design": design, "odds_ratio": o, "power": p, "method": "Fisher exact test; power exact"}
                 for o, p in zip([0.1, 0.5, 2, 10], powers, strict=True)]
    return pd.DataFrame(rows)


def test_every_power_series_stays_visible_where_lines_coincide():
    from analysis.presentation import plots

    fig = model_figures.power_plot(_power_table(), "t", "nl")
    fig = plots.finish(fig, "t", "nl", "Bron", None)
    lines = [line for line in fig.axes[0].get_lines() if not line.get_label().startswith("_")]
    sizes = [line.get_markersize() for line in lines]
    # N = 1,000 and N = 10,000 coincide everywhere: one line named after both (review 12); N = 100 meets them at 0.1
    assert sizes == sorted(sizes, reverse=True) and len(set(sizes)) == 3  # each later symbol inside the one below
    zorders = [line.get_zorder() for line in lines]
    assert zorders == sorted(zorders)  # drawn on top of the earlier, larger ones
    assert [str(line.get_markerfacecolor()) == "none" for line in lines] == [False, True, False]
    ydata = [float(v) for v in lines[0].get_ydata()]
    assert math.isnan(ydata[2]) and [v for v in ydata if not math.isnan(v)] == [0.70, 0.07, 0.06, 0.34]
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert "80" in labels and "100" in labels  # percent, not 0,8
    legend = fig.axes[0].get_legend()
    # an entry broken into lines that fit the 5.5-inch figure (review 12), its words as before
    assert legend is not None and " ".join([t.get_text() for t in legend.get_texts()][2].split()) == \
        "gebalanceerd, N = 1.000 en N = 10.000 (zelfde vermogen, één lijn)"  # said plainly (review 14)


def _six() -> pd.DataFrame:
    return pd.DataFrame({
        "origin": ["start"] * 3, "definition": ["work"] * 3, "curve": ["all", "triage=geen", "triage=2"],
        "group_n": [28, 2, 13], "one_minus": [0.8435, 0.0, 0.824], "one_minus_low": [0.55, NA, 0.502],
        "one_minus_high": [0.986, NA, 0.987], "cif": [0.7575, 0.0, 0.769], "cif_low": [0.439, NA, 0.36],
        "cif_high": [0.91, NA, 0.935], "report_share": [0.7, NA, NA], "note": ["", "", ""],
        "informative": [True, False, True]})


def test_the_six_month_table_prints_whole_percentages_once_per_block():
    view = survival_texts.six_months_view(_six(), "nl")
    assert list(view.columns[:4]) == ["Vanaf", "Uitkomst", "Groep", "Groep (n)"]
    assert view["Vanaf"].tolist() == ["De start van het traject", "", ""]
    assert view["Groep"].tolist() == ["Alle deelnemers", "Triagepad 2", "Zonder triagepad"]
    assert view["Uitstroom als niemand vertrok (%)"].tolist() == ["84", "82", "0"]  # 0.8435, 0.824, 0.0
    assert view["Rapport (%)"].tolist()[0] == "70"
    assert view["95%-interval, als niemand vertrok (%)"].tolist() == [f"55{DASH}99", f"50{DASH}99", "–"]


def _cox() -> pd.DataFrame:
    return pd.DataFrame({
        "origin": ["start", "start", "inflow", "inflow"], "definition": ["work"] * 4,
        "term": ["triage[3]", "opleiding[hoog]"] * 2, "estimate": [0.38, 0.41, 0.28, 0.44],
        "ci_low": [0.13, 0.07, 0.08, 0.07], "ci_high": [1.17, 2.52, 0.91, 2.65], "reference": ["2", "laag"] * 2})


def test_the_cox_sentences_cover_every_published_model():
    text = " ".join(survival_findings.cox_sentences(_cox(), "nl"))
    # in plain words: the method's name stays in the methods text (review 12)
    assert ("In het model van de uitstroomsnelheid (Tabel T3) bevat elk 95%-interval van de verhouding van de "
            "snelheden de waarde één (vanaf de start van het traject, tot werk).") in text
    assert ("In het model vanaf instroom, tot werk, sluit het 95%-interval de "  # the model named once (review 14)
            "waarde één uit bij triagepad drie (t.o.v. twee): 0,28 maal de snelheid van de referentiegroep "
            "(95%-interval 0,08 tot 0,91), minder snel uitgestroomd dan de referentiegroep; elk ander interval in dit "
            "model bevat één.") in text


def test_model_rows_of_a_predictor_come_in_the_codebooks_level_order():
    tests = pd.DataFrame({"group": ["triage"] * 2 + ["opleiding"] * 4 + ["opleiding"],
                          "comparison": ["2 vs rest", "3 vs rest", "hoog vs rest", "hoog vs rest", "laag vs rest",
                                         "middelbaar vs rest", "all 3 levels (2 x 3)"],
                          "test": ["F", "F", "F", "B", "F", "F", "FFH"]})
    ordered = model_texts.in_level_order(tests)
    assert ordered["comparison"].tolist() == ["2 vs rest", "3 vs rest", "laag vs rest", "middelbaar vs rest",
                                              "hoog vs rest", "hoog vs rest", "all 3 levels (2 x 3)"]
    assert ordered["test"].tolist()[4:6] == ["F", "B"]  # a level's tests keep their order
    cox = pd.DataFrame({"origin": ["start"] * 2 + ["inflow"] * 2, "definition": ["work"] * 4,
                        "term": ["opleiding[hoog]", "opleiding[middelbaar]"] * 2, "estimate": [0.4, 1.0, 0.4, 1.1],
                        "ci_low": 0.1, "ci_high": 2.0, "reference": "laag", "p_value": 0.5, "p_upper_bound": False,
                        "group_n": 12, "note": ""})
    view = survival_texts.cox_view(cox, "en")
    assert view["Term"].tolist() == ["Education level intermediate vs. low", "Education level high vs. low"] * 2
    assert view["Hazard ratio"].tolist() == ["1.00", "0.40", "1.10", "0.40"]  # each block on its own
    design = pd.DataFrame({"design": ["balanced, N = 30", "observed: opleiding hoog vs rest",
                                      "observed: opleiding laag vs rest"]})
    assert model_texts.in_level_order(design)["design"].tolist() == [
        "balanced, N = 30", "observed: opleiding laag vs rest", "observed: opleiding hoog vs rest"]
