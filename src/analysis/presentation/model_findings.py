"""The models page's findings in words (notebook 03): what the rates, the main model, the
exact tests and the power calculation found, with the numbers the page publishes.

Written by hand, not by a library: the sentences are the report's kind of prose, in Dutch
and English. Every number comes from a table the page shows or writes (the gated rates, the
gated model rows, the gated tests, the power table), rounded as a sentence writes it, so
``run.say`` accepts it on a private run; a withheld value (missing) is never said.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.presentation import formats
from analysis.presentation.model_texts import level_label, predictor_label, ratio_text
from analysis.stats.model_levels import UNMODELLED
from analysis.stats.models import REFERENCE

MAIN_MODEL = "Firth logit"
ALPHA = 0.05

TEXT = {
    "nl": {
        "head": "**Bevindingen.**",
        "range": "Naar {group} liep de uitstroom naar werk uiteen van {low} ({low_level}, n\u00a0=\u00a0{low_n}) "
                 "tot {high} ({high_level}, n\u00a0=\u00a0{high_n}).",
        "rates_withheld": "De uitstroom per groep is niet gepubliceerd (statistische beveiliging).",
        "none_differs": "In het hoofdmodel (logit met de correctie van Firth) verschilt geen groep duidelijk van zijn "
                        "referentiegroep: elk 95%-interval van de odds ratio's bevat de waarde één; zo heeft "
                        "{term} een odds ratio van {est} (interval {low} tot {high}).",
        "differs": "In het hoofdmodel (logit met de correctie van Firth) verschilt {term} van zijn referentiegroep: "
                   "odds ratio {est} (95%-interval {low} tot {high}).",
        "small": "De schattingen voor {terms} rusten op groepen van minder dan {k} personen en zeggen weinig.",
        "model_withheld": "De schattingen van de modellen zijn niet gepubliceerd (statistische beveiliging).",
        "tests_none": "Geen van de exacte toetsen is significant na correctie voor het aantal toetsen (kleinste "
                      "p-waarde na Holm: {p}).",
        "tests_some": "Na correctie voor het aantal toetsen is de uitstroom significant anders bij {which}.",
        "power_none": "Een programma van {n} deelnemers, gelijk verdeeld over twee groepen, toont met {power} kans "
                      "geen enkele odds ratio boven één aan, hoe groot ook{below}.",
        "below": "; onder één pas vanaf een odds ratio van {mde}",
        "power_both": "Bij een programma van {n} deelnemers is dat met {power} kans mogelijk vanaf een odds ratio "
                      "van {above} (of {below} en lager).",
        "power_first": "Een programma van {n} deelnemers, gelijk verdeeld over twee groepen, toont met {power} kans "
                       "een verschil aan vanaf een odds ratio van {above} (of {below} en lager).",
        "observed": "Met de groepen van dit bestand zelf ({n} deelnemers, elk niveau tegen de rest) is een verschil "
                    "met {power} kans pas aan te tonen vanaf een odds ratio van {low} tot {high}, naar de groep.",
        "conclusion": "De verschillen tussen de groepen zijn in een programma van deze omvang dus niet van toeval te "
                      "onderscheiden; ze beschrijven deze deelnemers.",
        "and": "en",
    },
    "en": {
        "head": "**Findings.**",
        "range": "By {group}, outflow to work ranged from {low} ({low_level}, n\u00a0=\u00a0{low_n}) to {high} "
                 "({high_level}, n\u00a0=\u00a0{high_n}).",
        "rates_withheld": "Outflow by group is not published (disclosure control).",
        "none_differs": "In the main model (logit with Firth's correction) no group differs clearly from its "
                        "reference group: every 95% interval of the odds ratios contains one; {term}, for example, has "
                        "an odds ratio of {est} (interval {low} to {high}).",
        "differs": "In the main model (logit with Firth's correction) {term} differs from its reference group: odds "
                   "ratio {est} (95% interval {low} to {high}).",
        "small": "The estimates for {terms} rest on groups of fewer than {k} persons and say little.",
        "model_withheld": "The models' estimates are not published (disclosure control).",
        "tests_none": "None of the exact tests is significant after adjusting for the number of tests (smallest "
                      "Holm-adjusted p-value: {p}).",
        "tests_some": "After adjusting for the number of tests, outflow differs significantly for {which}.",
        "power_none": "A programme of {n} participants, split equally into two groups, detects no odds ratio above "
                      "one with {power} probability, however large{below}.",
        "below": "; below one only from an odds ratio of {mde}",
        "power_both": "In a programme of {n} participants that is possible with {power} probability from an odds "
                      "ratio of {above} (or {below} and lower).",
        "power_first": "A programme of {n} participants, split equally into two groups, detects a difference with "
                       "{power} probability from an odds ratio of {above} (or {below} and lower).",
        "observed": "With this file's own groups ({n} participants, each level against the rest) a difference can "
                    "be detected with {power} probability only from an odds ratio of {low} to {high}, by group.",
        "conclusion": "At a programme of this size the differences between the groups therefore cannot be told "
                      "apart from chance; they describe these participants.",
        "and": "and",
    },
}


def _t(key: str, lang: str, **fields) -> str:
    return TEXT[lang][key].format(**fields)


def missing(v: object) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


def percent(v: float, lang: str) -> str:
    return f"{formats.number(100 * float(v), lang, 0)}%"


def ratio(v: float, lang: str) -> str:
    """An odds or hazard ratio, or a limit of its interval, as the page's tables write it
    (:func:`model_texts.ratio_text`): one rounding rule for sentence and table (review 8: the
    text said 22,96 where Tabel M2 said 23,0)."""
    return ratio_text(float(v), lang)


def mde_ratio(v: float, lang: str) -> str:
    """A smallest detectable odds ratio as its table (:func:`model_texts.mde_view`) writes it."""
    return ratio_text(float(v), lang)  # as any odds ratio: fewer decimals from 10 on (review 12: "15,24")


def join_and(items: list[str], lang: str) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {_t('and', lang)} {items[-1]}"


NUMBER_WORDS = {"nl": ("nul", "één", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"),
                "en": ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")}


def level_words(level: object, lang: str) -> str:
    """A level in words: ``laag`` as *laag*, a numbered level (triage path ``3``) as *drie*.
    A sentence on a private run may carry only published numbers, and a level's name is
    not a count: written as a word it is not read as one."""
    code = str(level)
    return NUMBER_WORDS[lang][int(code)] if code.isdigit() and len(code) == 1 else level_label(code, lang)


def _level(group: str, level: object, lang: str) -> str:
    """A level as a sentence names it: *laag*, *triagepad drie*."""
    return f"{predictor_label(group, lang)} {level_words(level, lang)}" if str(level).isdigit() \
        else level_words(level, lang)


def term_words(term: str, terms: list[str], lang: str) -> str:
    """A model term against its reference level, in words: *triagepad drie t.o.v. twee*
    (the reference as in :func:`analysis.presentation.model_texts.against_reference`)."""
    predictor, _, rest = str(term).partition("[")
    level = rest.rstrip("]")
    text = f"{predictor_label(predictor, lang)} {level_words(level, lang)}"
    ref = REFERENCE.get(predictor)
    if ref is None or f"{predictor}[{ref}]" in set(map(str, terms)):
        return text
    return f"{text} {'t.o.v.' if lang == 'nl' else 'vs.'} {level_words(ref, lang)}"


def rate_sentences(rates: pd.DataFrame, lang: str) -> list[str]:
    """Per predictor the lowest and highest share with outflow to work, with the group's n,
    among the levels a model has (not those never triaged: by design not in a trajectory, a
    share of 0% that a text on real data may not state; intruder round 13's file stopped there)."""
    modelled = [lev != UNMODELLED.get(group) for group, lev in zip(rates["group"], rates["level"].astype(str))]
    shown = rates[rates["rate"].map(lambda v: not missing(v)) & pd.Series(modelled, index=rates.index)]
    if shown.empty:
        return [_t("rates_withheld", lang)]
    out = []
    for group, part in shown.groupby("group", sort=False):
        if len(part) < 2:
            continue
        low, high = part.loc[part["rate"].astype(float).idxmin()], part.loc[part["rate"].astype(float).idxmax()]
        out.append(_t("range", lang, group=predictor_label(group, lang),
                      low=percent(low["rate"], lang), low_level=_level(group, low["level"], lang), low_n=int(low["n"]),
                      high=percent(high["rate"], lang), high_level=_level(group, high["level"], lang),
                      high_n=int(high["n"])))
    return out


def model_sentences(tidy: pd.DataFrame, min_group_n: int, lang: str) -> list[str]:
    """What the main model's odds ratios say: which informative term's interval excludes 1
    (or an example that none does), and which terms rest on groups too small to say much."""
    main = tidy[(tidy["model"] == MAIN_MODEL) & (tidy["term"] != "const")]
    shown = main[main["estimate"].map(lambda v: not missing(v))]
    if shown.empty:
        return [_t("model_withheld", lang)] if not main.empty else []
    terms = list(tidy["term"].astype(str))
    informative = shown[shown["informative"].astype(bool)]
    out = []
    differs = _differing(tidy)
    for _, row in differs.iterrows():
        out.append(_t("differs", lang, term=_term(row["term"], terms, lang), est=ratio(row["estimate"], lang),
                      low=ratio(row["ci_low"], lang), high=ratio(row["ci_high"], lang)))
    if differs.empty and not informative.empty:
        row = informative.loc[informative["p_value"].astype(float).fillna(1.0).idxmin()]
        out.append(_t("none_differs", lang, term=_term(row["term"], terms, lang), est=ratio(row["estimate"], lang),
                      low=ratio(row["ci_low"], lang), high=ratio(row["ci_high"], lang)))
    small = shown[~shown["informative"].astype(bool)]
    if not small.empty:
        out.append(_t("small", lang, terms=join_and([_term(t, terms, lang) for t in small["term"]], lang),
                      k=int(min_group_n)))
    return out


def _term(term: str, terms: list[str], lang: str) -> str:
    return term_words(term, terms, lang)


def test_sentences(tests: pd.DataFrame, lang: str) -> list[str]:
    """Whether any exact test is significant at 5% after Holm's adjustment."""
    shown = tests[tests["p_holm"].map(lambda v: not missing(v))]
    if shown.empty:
        return []
    significant = _significant(tests)
    if significant.empty:
        return [_t("tests_none", lang, p=formats.p_value(float(shown["p_holm"].min()), lang))]
    which = sorted({_level(g, str(c).split(" ")[0], lang) if str(c).endswith("vs rest") else predictor_label(g, lang)
                    for g, c in zip(significant["group"], significant["comparison"], strict=True)})
    return [_t("tests_some", lang, which=join_and(which, lang))]


def power_sentences(mde: pd.DataFrame, lang: str) -> list[str]:
    """The first balanced programme's detectable odds ratios (the file's own size, listed
    first), and the first programme size from it up at which effects both ways become detectable."""
    balanced = mde[mde["design"].astype(str).str.startswith("balanced")]
    if balanced.empty:
        return []
    first = balanced.iloc[0]  # the file's own size comes first (power_texts.programme_sizes; the retail review)
    balanced = balanced[balanced["n"] >= first["n"]].sort_values("n", kind="stable")  # then the larger ones
    power = percent(first["target_power"], lang)
    out = []
    if missing(first["mde_odds_ratio_above_1"]):
        below = "" if missing(first["mde_odds_ratio_below_1"]) else \
            _t("below", lang, mde=mde_ratio(first["mde_odds_ratio_below_1"], lang))
        out.append(_t("power_none", lang, n=formats.number(int(first["n"]), lang), power=power, below=below))
    both = balanced[balanced["mde_odds_ratio_above_1"].map(lambda v: not missing(v))
                    & balanced["mde_odds_ratio_below_1"].map(lambda v: not missing(v))]
    if not both.empty:
        row = both.iloc[0]
        key = "power_both" if out else "power_first"  # "dat" refers to the sentence before it
        out.append(_t(key, lang, n=formats.number(int(row["n"]), lang), power=power,
                      above=mde_ratio(row["mde_odds_ratio_above_1"], lang),
                      below=mde_ratio(row["mde_odds_ratio_below_1"], lang)))
    observed = mde[mde["design"].astype(str).str.startswith("observed")]  # this programme itself (sixth reviewer)
    above = pd.to_numeric(observed["mde_odds_ratio_above_1"], errors="coerce").dropna()
    if not above.empty:
        out.append(_t("observed", lang, n=formats.number(int(observed["n"].iloc[0]), lang), power=power,
                      low=mde_ratio(above.min(), lang), high=mde_ratio(above.max(), lang)))
    return out


def _differing(tidy: pd.DataFrame) -> pd.DataFrame:
    """The main model's informative terms whose interval excludes 1."""
    main = tidy[(tidy["model"] == MAIN_MODEL) & (tidy["term"] != "const") & tidy["informative"].astype(bool)]
    main = main[main["estimate"].map(lambda v: not missing(v))]
    return main[(main["ci_low"].astype(float) > 1) | (main["ci_high"].astype(float) < 1)]


def _significant(tests: pd.DataFrame) -> pd.DataFrame:
    shown = tests[tests["p_holm"].map(lambda v: not missing(v))]
    return shown[shown["p_holm"].astype(float) < ALPHA]


def paragraphs(head: str, *groups: list[str]) -> str:
    """Markdown of one paragraph per non-empty group of sentences, ``head`` leading the first:
    findings a reader can take in one topic at a time (review 8's successor: the time-to-work
    page's findings were one paragraph of 440 words, the models page's of 200)."""
    shown = [" ".join(g) for g in groups if g]
    return "\n\n".join([f"{head} {shown[0]}", *shown[1:]] if shown else [head])


def findings(rates: pd.DataFrame, tidy: pd.DataFrame, tests: pd.DataFrame, mde: pd.DataFrame,
             min_group_n: int, lang: str) -> str:
    """The page's findings as Markdown (see the module), a paragraph per topic: the rates, the
    main model, the exact tests, the power calculation; it ends with the conclusion that the
    differences cannot be told from chance when no interval of the main model excludes 1 and no
    exact test is significant."""
    if lang not in TEXT:
        raise ValueError(f"language must be one of {sorted(TEXT)}, got {lang!r}")
    estimated = tidy["estimate"].map(lambda v: not missing(v)).any()
    conclusion = [_t("conclusion", lang)] if estimated and _differing(tidy).empty and _significant(tests).empty \
        else []
    return paragraphs(TEXT[lang]["head"], [*rate_sentences(rates, lang), *model_sentences(tidy, min_group_n, lang)],
                      test_sentences(tests, lang), [*power_sentences(mde, lang), *conclusion])
