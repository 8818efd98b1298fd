"""The coefficient table a page shows: narrow (one interval column, methods in a table of
their own), in the page's number format; the CSV keeps every column."""

import pandas as pd

from analysis.presentation import model_texts


def tidy() -> pd.DataFrame:
    return pd.DataFrame({
        "model": ["Firth logit", "Firth logit", "LPM (OLS)"], "term": ["const", "triage[3]", "triage[3]"],
        "estimand": ["x"] * 3, "scale": ["odds", "odds ratio", "risk difference"],
        "estimate": [1.5, 0.33, -0.27], "ci_low": [0.5, 0.044, float("nan")], "ci_high": [4.25, 1.917, float("nan")],
        "ci_level": [0.95] * 3, "ci_method": ["profile penalised likelihood"] * 2 + ["HC3 standard error, t(20)"],
        "coef": [0.4, -1.1, -0.27], "test": ["penalised LR test, chi-squared(1)"] * 2 + ["t-test"],
        "p_value": [0.5, 0.2, 0.24], "p_holm": [float("nan"), 0.2, 0.47], "n": [25] * 3, "events": [17] * 3,
        "group_n": [5, 12, 12], "informative": [True] * 3, "note": [""] * 3})


def test_the_interval_is_one_unbreakable_column_in_the_pages_number_format():
    view, methods = model_texts.coefficient_view(tidy(), "nl")
    assert list(view.columns) == ["model", "term", "scale", "estimate", "interval", "p_value", "p_holm", "group_n",
                                  "note"]
    # odds and odds ratios to two decimals (issue 26: 0,044 - 1,917 carried digits the interval has not)
    assert view["interval"].tolist() == ["0,50\u00a0–\u2060\u00a04,25", "0,04\u00a0–\u2060\u00a01,92", "–"]
    assert model_texts.coefficient_view(tidy(), "en")[0]["interval"][1] == "0.04\u00a0–\u2060\u00a01.92"


def test_each_models_method_and_test_once():
    _, methods = model_texts.coefficient_view(tidy(), "en")
    assert len(methods) == 2 and list(methods.columns) == ["model", "ci_method", "test"]


def test_the_legend_names_the_shown_columns_only():
    view, methods = model_texts.coefficient_view(tidy(), "nl")
    text = model_texts.coefficient_legend(view, methods, "nl")
    # by the headers the page shows (issue 26: no file column codes in a reviewer's text)
    assert "*95%-interval*:" in text and "*Methode interval*:" in text and "*Coëfficiënt*:" not in text
    assert "`" not in text and "ci_method" not in text


def test_p_values_are_never_printed_as_zero_and_bounds_say_so():
    t = tidy().assign(p_value=[1e-300, 2.41e-35, 0.5], p_upper_bound=[True, False, False],
                      p_holm=[float("nan"), 4.8e-35, 0.5], p_holm_upper_bound=[False, False, False])
    view, _ = model_texts.coefficient_view(t, "nl")
    # one format on every page (review 7): "< 0,001" below 0.001, never scientific notation
    assert view["p_value"].tolist() == ["< 0,001", "< 0,001", "0,500"]
    assert view["p_holm"].tolist() == ["–", "< 0,001", "0,500"]
    assert model_texts.coefficient_view(t, "en")[0]["p_value"].tolist() == ["< 0.001", "< 0.001", "0.500"]
    assert set(view.attrs["verbatim_columns"]) >= {"p_value", "p_holm"}


def test_a_monte_carlo_p_value_shows_its_standard_error():
    assert model_texts.p_text(0.0123, False, "nl", 0.0011) == "0,012 (MC-sf 0,0011)"
    assert model_texts.p_text(1e-4, True, "en", 1e-4) == "< 0.001 (MC-se 0.00010)"


def test_each_term_names_the_group_it_is_compared_with():
    """Issue 26: coefficient tables never said which group an estimate is compared with."""
    view, _ = model_texts.coefficient_view(tidy(), "nl")
    assert view["term"].tolist() == ["Intercept", "Triagepad 3 t.o.v. 2", "Triagepad 3 t.o.v. 2"]
    assert model_texts.coefficient_view(tidy(), "en")[0]["term"][1] == "Triage path 3 vs. 2"


def test_marginal_effects_and_hazard_ratios_name_their_reference_group_too():
    from analysis.presentation import survival_texts

    ame = pd.DataFrame({"term": ["triage[3]", "opleiding[hoog]"], "estimand": ["x"] * 2, "ame": [-0.22, 0.246]})
    view = model_texts.ame_view(ame, "nl")
    assert view["term"].tolist() == ["Triagepad 3 t.o.v. 2", "Opleidingsniveau hoog t.o.v. laag"]
    assert view["ame"].tolist() == ["\u221222,0", "24,6"]  # percentage points, with a minus sign
    cox = pd.DataFrame({"origin": ["start"], "definition": ["work"], "term": ["triage[3]"], "estimate": [0.38],
                        "ci_low": [0.13], "ci_high": [1.17], "p_value": [0.09], "p_upper_bound": [False],
                        "group_n": [14], "note": [""], "reference": [2]})
    assert survival_texts.cox_view(cox, "en").iloc[0, 2] == "Triage path 3 vs. 2"


def test_the_legend_writes_terms_in_words_not_as_the_csv_codes_them():
    view, methods = model_texts.coefficient_view(tidy(), "en")
    text = model_texts.coefficient_legend(view, methods, "en")
    assert "*Term*: model term: the intercept or a level of a predictor" in text
    assert "const" not in text and "predictor[level]" not in text


def test_a_programme_size_is_written_with_the_language_s_thousands_separator():
    """N = 1.000 on a Dutch page, N = 1,000 on an English one (issue 26: "1,000" power beside
    n "1.000"); a small N and other numbers as before."""
    from analysis.presentation.model_texts import translate

    assert translate("balanced, N = 1000", "nl") == "gebalanceerd, N = 1.000"
    assert translate("balanced, N = 1000", "en") == "balanced, N = 1,000"
    assert translate("balanced, N = 1000, z-test", "nl") == "gebalanceerd, N = 1.000, z-toets"
    assert translate("balanced, N = 30", "nl") == "gebalanceerd, N = 30"
