"""The model, test and power tables of the outcome-model notebook as a page shows them.

The statistics modules (:mod:`analysis.stats.models`, :mod:`analysis.stats.power`,
:mod:`analysis.stats.output_gate`) write their tables with English text values: model names,
interval methods, tests, families, comparisons, designs and notes. The CSV/XLSX files keep
those (machine-readable, stable, and the output gate reads some of them back). A page shows
them in its language: :func:`page_table` rewrites the text cells of a table phrase by phrase
from :data:`PHRASES` (an English template and its Dutch one; ``{}`` fields carry numbers,
terms and nested phrases across) and writes model terms and levels (``opleiding[hoog]``,
``t/m 45``) as words in either language.

Written by hand because the phrases are this project's own: a translation library would not
know them, and a page must read the same on every run. A phrase the table does not know is
left as it is; ``tests/test_page_language.py`` finds it on the page.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

from analysis.presentation import formats, titles
from analysis.presentation.labels import label, outcome_words, outflow_group_label
from analysis.presentation.styling import _uninformative  # the one rule, kept where the tables are drawn
from analysis.stats.models import REFERENCE, column_legend

# (English, Dutch), or (English, Dutch, English as a page shows it) where the statistics modules'
# English is not a reader's. Fields: {name}; each field's text is translated again (numbers, terms,
# nested phrases). Order does not matter: longer templates are tried first.
PHRASES: tuple[tuple[str, ...], ...] = (
    # notes of models.py
    ("did not converge in {n} iterations", "niet geconvergeerd in {n} iteraties"),
    ("did not converge", "niet geconvergeerd"),
    ("confidence limit not found", "betrouwbaarheidsgrens niet gevonden"),
    ("group of {n} (< {k}): not informative", "groep van {n} (< {k}): niet informatief"),
    ("the estimate comes from the penalty, not from the data",
     "de schatting komt uit de correctie van Firth, niet uit de gegevens",
     "the estimate comes from Firth's correction, not from the data"),
    ("the effect comes from the penalty", "het effect komt uit de correctie van Firth",
     "the effect comes from Firth's correction"),
    ("one or two persons decide the estimate", "één of twee personen bepalen de schatting"),
    ("one or two persons decide the test", "één of twee personen bepalen de toets"),
    ("not estimable: separation makes {terms} infinite", "niet te schatten: door scheiding zijn {terms} oneindig"),
    ("HC3 undefined: the estimate rests on a participant with leverage 1 (the only person in the group)",
     "geen robuuste standaardfout: de schatting rust op één deelnemer die haar alleen bepaalt (de enige in de "
     "groep)",
     "no robust standard error: the estimate rests on one participant who alone fixes it (the only person in the "
     "group)"),
    ("not computed above {n} participants", "niet berekend boven {n} deelnemers"),
    ("undefined: {why}", "niet gedefinieerd: {why}"),
    ("Firth intercept, not FLIC-corrected: the penalty pulls it towards odds 1; the fitted probabilities and "
     "marginal effects use the FLIC intercept",
     "intercept van Firth, ongecorrigeerd: de correctie trekt het naar odds 1; de voorspelde kansen en "
     "marginale effecten gebruiken het gecorrigeerde intercept (FLIC)",
     "Firth's intercept, uncorrected: Firth's correction pulls it towards odds 1; the fitted probabilities and "
     "marginal effects use the corrected intercept (FLIC)"),
    ("fewer than two levels or no variation", "minder dan twee niveaus of geen variatie"),
    ("MNLogit not estimated: some outflow categories have no participants in some levels of {group} (separation)",
     "multinomiaal logitmodel niet geschat: sommige uitstroomcategorieën hebben in sommige niveaus van {group} "
     "geen deelnemers (scheiding)"),
    ("MNLogit log-likelihood {ll}, pseudo R2 {r2}",
     "multinomiaal logitmodel: log-aannemelijkheid {ll}, pseudo-R2 {r2}"),
    # notes of the output gate
    ("withheld: disclosure control ({why})", "achtergehouden: statistische beveiliging ({why})"),
    ("withheld (disclosure control)", "achtergehouden (statistische beveiliging)"),
    ("group or its events below {k}, or recoverable", "groep of aantal met uitkomst onder {k}, of af te leiden"),
    ("a group of its predictor is below {k} persons or events",
     "een groep van de voorspeller telt minder dan {k} personen of uitkomsten"),
    ("group below {k} persons", "groep kleiner dan {k} personen"),
    ("residual degrees of freedom below {k}", "minder dan {k} resterende vrijheidsgraden"),
    ("its table has counts below {k} or recoverable ones",
     "de tabel heeft aantallen onder {k} of af te leiden aantallen"),
    ("a withheld term", "een achtergehouden term"),
    # notes of power.py
    ("power stays below {p} at every odds ratio above 1 up to {a} and below 1 down to 1/{b}",
     "het vermogen blijft onder {p} bij elke odds ratio boven 1 tot {a} en onder 1 tot 1/{b}"),
    ("power stays below {p} at every odds ratio above 1 up to {a}",
     "het vermogen blijft onder {p} bij elke odds ratio boven 1 tot {a}"),
    ("power stays below {p} at every odds ratio below 1 down to 1/{b}",
     "het vermogen blijft onder {p} bij elke odds ratio onder 1 tot 1/{b}"),
    # models, scales, intervals, tests
    ("Firth logit", "gecorrigeerde logit", "corrected logit"),
    ("ML logit", "gewone logit", "ordinary logit"),
    ("LPM (OLS)", "lineair kansmodel", "linear probability model"),
    ("risk difference", "kansverschil"), ("probability difference", "kansverschil"), ("probability", "kans"),
    ("profile penalised likelihood", "profielaannemelijkheid met de correctie van Firth",
     "profile likelihood with Firth's correction"),
    ("Wald (z), penalised fit", "Wald (z), schatting met de correctie van Firth",
     "Wald (z), fit with Firth's correction"),
    ("Wald z-test, penalised fit", "Wald-z-toets, schatting met de correctie van Firth",
     "Wald z-test, fit with Firth's correction"),
    ("Wald z-test", "Wald-z-toets"),
    ("Wald (z)", "Wald (normale benadering)", "Wald (normal approximation)"),
    ("penalised likelihood-ratio test, chi-square({df})",
     "aannemelijkheidsratiotoets met de correctie van Firth, chi-kwadraat({df})",
     "likelihood-ratio test with Firth's correction, chi-square({df})"),
    ("t-test, HC3 standard error, t({df})", "t-toets met robuuste standaardfout, t({df})",
     "t-test with a robust standard error, t({df})"),
    ("HC3 standard error, t({df})", "robuuste standaardfout, t({df})", "robust standard error, t({df})"),
    ("Wilson score", "Wilson-score"),
    ("Fisher exact (2 x 2)", "exacte toets van Fisher (2 x 2)"),
    ("Boschloo exact (2 x 2), groups as binomial samples",
     "exacte toets van Boschloo (2 x 2), groepen als binomiale steekproeven"),
    ("Fisher-Freeman-Halton, exact (every table enumerated)",
     "Fisher-Freeman-Halton, exact (elke tabel opgesomd)"),
    ("Fisher-Freeman-Halton, Monte Carlo ({count} tables, seed {seed})",
     "Fisher-Freeman-Halton, Monte Carlo ({count} tabellen, seed {seed})"),
    ("Pearson chi-square, asymptotic, df = {df}", "chi-kwadraattoets van Pearson, asymptotisch, df = {df}"),
    ("Fisher exact, level vs rest ({k} tests)", "exacte toets van Fisher, niveau tegen de rest ({k} toetsen)"),
    ("Boschloo exact, level vs rest ({k} tests)", "exacte toets van Boschloo, niveau tegen de rest ({k} toetsen)"),
    ("2 x k independence ({k} tests)", "onafhankelijkheid in de 2 x k-tabel ({k} toetsen)"),
    ("{level} vs rest", "{level} tegen de rest"),
    ("all {k} levels (2 x {k2})", "alle {k} niveaus (2 x {k2})"),
    # fitted means, power designs and methods
    ("observed uptake rate", "waargenomen aandeel uitstroom", "observed outflow share"),
    ("mean fitted probability, Firth intercept", "gemiddelde voorspelde kans, ongecorrigeerd intercept",
     "mean predicted probability, uncorrected intercept"),
    ("mean fitted probability, FLIC intercept", "gemiddelde voorspelde kans, gecorrigeerd intercept (FLIC)",
     "mean predicted probability, corrected intercept (FLIC)"),
    ("balanced, N = {n}", "gebalanceerd, N = {n}"),
    ("observed: {group} {level} vs rest", "waargenomen: {group} {level} tegen de rest"),
    ("Fisher exact test; power exact", "exacte toets van Fisher; vermogen exact"),
    ("two-proportion z-test; power exact", "z-toets voor twee proporties; vermogen exact"),
    ("{design}, z-test", "{design}, z-toets"),
    ("root-finding (Brent)", "exact opgelost", "solved exactly"),  # a page names no numerical routine
    ("none", "geen toets", "no test"),  # a test not done (fewer than two levels or no variation)
    # estimands of models.py (the downloads; "uptake" is the page's outflow)
    ("odds of uptake at the reference level of every predictor, Firth intercept (not FLIC-corrected)",
     "odds van uitstroom op het referentieniveau van elke voorspeller, intercept van Firth (ongecorrigeerd)",
     "odds of outflow at the reference level of every predictor, Firth's intercept (uncorrected)"),
    ("odds of uptake at the reference level of every predictor",
     "odds van uitstroom op het referentieniveau van elke voorspeller",
     "odds of outflow at the reference level of every predictor"),
    ("probability of uptake at the reference level of every predictor",
     "kans op uitstroom op het referentieniveau van elke voorspeller",
     "probability of outflow at the reference level of every predictor"),
    ("odds ratio of uptake, {pred} {level} against {ref}, other predictors fixed",
     "odds ratio van uitstroom, {pred} {level} tegen {ref}, bij gelijke overige voorspellers",
     "odds ratio of outflow, {pred} {level} against {ref}, other predictors fixed"),
    ("risk difference in uptake, {pred} {level} minus {ref}, other predictors fixed",
     "kansverschil in uitstroom, {pred} {level} min {ref}, bij gelijke overige voorspellers",
     "difference in the probability of outflow, {pred} {level} minus {ref}, other predictors fixed"),
    ("average marginal effect on uptake, {pred} {level} against {ref}",
     "gemiddeld marginaal effect op uitstroom, {pred} {level} tegen {ref}",
     "average marginal effect on outflow, {pred} {level} against {ref}"),
    # how a two-sided p-value is formed (models.py's rules of the exact tests)
    ("sum of the probabilities of all tables with these margins no more probable than the observed one",
     "som van de kansen van alle tabellen met deze randtotalen die niet waarschijnlijker zijn dan de "
     "waargenomen tabel"),
    ("sum of the probabilities of all tables no more probable than the observed one",
     "som van de kansen van alle tabellen die niet waarschijnlijker zijn dan de waargenomen tabel"),
    ("twice the smaller one-sided p-value, capped at 1", "tweemaal de kleinste eenzijdige p-waarde, hoogstens 1"),
    ("upper tail of the chi-square distribution", "rechterstaart van de chi-kwadraatverdeling"),
    # the time-to-work tables (survival.py; the notes survival_texts.TEST_NOTES does not word)
    ("Cox PH (partial likelihood, Breslow ties)",
     "Cox-model met proportionele hazards (partiële aannemelijkheid, gelijke tijden volgens Breslow)",
     "Cox proportional hazards model (partial likelihood, Breslow's method for ties)"),
    ("the partial likelihood's information is singular",
     "de informatiematrix van de partiële aannemelijkheid is singulier"),
    ("log-rank", "log-ranktoets", "log-rank test"),
    ("compares those with a triage path (the never triaged, who never started, are left out)",
     "vergelijkt wie een triagepad kreeg (wie er nooit een kreeg, is nooit begonnen en telt niet mee)"),
    ("smallest group of {n} (< {k}): not informative", "kleinste groep van {n} (< {k}): niet informatief"),
    ("variance matrix singular: generalised inverse, df = {df}",
     "variantiematrix singulier: gegeneraliseerde inverse, vrijheidsgraden = {df}",
     "variance matrix singular: generalised inverse, degrees of freedom = {df}"),
)

# Predictors and their levels as words (lower case; a table cell starts with a capital).
PREDICTORS = {"triage": ("triagepad", "triage path"), "opleiding": ("opleidingsniveau", "education level"),
              "leeftijd": ("leeftijd", "age"), "dienstjaren": ("dienstjaren", "years of service")}
LEVELS = {"laag": ("laag", "low"), "middelbaar": ("middelbaar", "intermediate"), "hoog": ("hoog", "high"),
          "t/m 45": ("45 jaar of jonger", "45 or younger"), "46+": ("46 jaar of ouder", "46 or older"),
          "t/m 10": ("t/m 10 jaar", "up to 10 years"), "10+": ("meer dan 10 jaar", "more than 10 years"),
          "geen": ("geen triage", "not triaged"), "onbekend": ("onbekend", "unknown")}
_TERM = re.compile(r"(?<![\w\[])(" + "|".join(PREDICTORS) + r")\[([^\]]+)\]")
_CODE = re.compile(_TERM.pattern + r"|(?<![\w\[/])(" + "|".join(
    re.escape(c) for c in sorted([*LEVELS, *PREDICTORS], key=len, reverse=True)) + r")(?![\w\]])")
_FIELD = re.compile(r"\{(\w+)\}")
_NUMBER = re.compile(r"(?<![\w.,/])(?:-(?=\d))?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w.]|,\d)")
TEXT_COLUMNS = ("model", "scale", "ci_method", "test", "family", "comparison", "note", "design", "method",
                "quantity", "intercept", "term", "level", "group")


def _side(lang: str) -> int:
    if lang not in ("nl", "en"):
        raise ValueError(f"language must be 'nl' or 'en', got {lang!r}")
    return 0 if lang == "en" else 1


def level_label(level: object, lang: str) -> str:
    code = str(level)
    return LEVELS[code][1 - _side(lang)] if code in LEVELS else code  # LEVELS are (nl, en)


def predictor_label(predictor: object, lang: str) -> str:
    code = str(predictor)
    return PREDICTORS[code][1 - _side(lang)] if code in PREDICTORS else code


def term_label(term: str, lang: str) -> str:
    """``opleiding[hoog]`` as ``opleidingsniveau hoog`` / ``education level high``;
    ``const`` as ``intercept``."""
    if term == "const":
        return "intercept"
    return _TERM.sub(lambda m: f"{predictor_label(m[1], lang)} {level_label(m[2], lang)}", term)


def _number(text: str, lang: str) -> str:
    """An English-written number (``1,234.5``, ``-46.02``) in the language's format, a negative one
    with a minus sign (thousands grouped from
    10,000: a four-digit number may be a year; a phrase's size ``N = {n}`` is grouped from 1,000
    by :func:`translate`)."""
    def one(m: re.Match) -> str:
        value = float(m[0].replace(",", ""))
        decimals = len(m[0].split(".")[1]) if "." in m[0] else 0
        shown = formats.number(value, lang, decimals, grouping=abs(value) >= 10_000 or "," in m[0])
        return "\u2212" + shown[1:] if shown.startswith("-") else shown  # a minus sign, not a hyphen (review 14)
    return _NUMBER.sub(one, text)


@lru_cache(maxsize=1)
def _compiled() -> tuple[re.Pattern, tuple[tuple[tuple[str, ...], str, str], ...]]:
    alternatives, entries = [], []
    for i, (en, nl, *shown) in enumerate(sorted(PHRASES, key=lambda p: -len(_FIELD.sub("", p[0])))):
        names, parts, pos = [], [], 0
        for m in _FIELD.finditer(en):
            parts.append(re.escape(en[pos:m.start()]))
            last = m.end() == len(en)
            parts.append(f"(?P<p{i}_{len(names)}>{'[^;]+' if last else '.+?'})")
            names.append(m[1])
            pos = m.end()
        parts.append(re.escape(en[pos:]))
        body = "".join(parts)
        start = r"(?<!\w)" if en[0].isalnum() else ""
        end = r"(?!\w)" if en[-1].isalnum() else ""
        alternatives.append(f"(?P<p{i}>{start}{body}{end})")
        entries.append((tuple(names), shown[0] if shown else en, nl))  # a third text: the English a page shows
    return re.compile("|".join(alternatives)), tuple(entries)


def translate(text: object, lang: str) -> object:
    """``text`` (an English phrase of :data:`PHRASES`, possibly several joined by "; ")
    in ``lang``, with terms, levels and numbers written as the language writes them.
    Anything that is not a string is returned as it is."""
    if not isinstance(text, str) or not text:
        return text
    side = _side(lang)
    if text in LEVELS or text in PREDICTORS:
        return level_label(text, lang) if text in LEVELS else predictor_label(text, lang)
    pattern, entries = _compiled()

    def one(m: re.Match) -> str:
        i = int(m.lastgroup[1:])
        names, en, nl = entries[i]
        fields = {name: translate(m[f"p{i}_{j}"], lang) for j, name in enumerate(names)}
        if size := re.match(r"(\d+)(.*)", str(fields.get("n", "")), re.S):  # a size: N = 1.000 (nl), 1,000 (en)
            fields["n"] = formats.number(int(size[1]), lang, 0, grouping=True) + size[2]
        if "p" in names and re.fullmatch(r"0?\.\d+", share := m[f"p{i}_{names.index('p')}"].strip()):
            fields["p"] = f"{formats.number(100 * float(share), lang, 0)}%"  # a power, as the page's percentages
        return (en, nl)[side].format(**fields)

    pos, out = 0, []
    for m in pattern.finditer(text):
        out.append(_plain(text[pos:m.start()], lang))
        out.append(one(m))
        pos = m.end()
    out.append(_plain(text[pos:], lang))
    return "".join(out)


def _plain(text: str, lang: str) -> str:
    """Text between phrases: terms and numbers."""
    def code(m: re.Match) -> str:
        if m[1]:
            return f"{predictor_label(m[1], lang)} {level_label(m[2], lang)}"
        return level_label(m[3], lang) if m[3] in LEVELS else predictor_label(m[3], lang)
    text = _CODE.sub(code, text)
    return _number(text, lang)


def cell_text(value: object, lang: str, name: bool = True) -> object:
    """A text cell of a statistics table (:data:`PHRASES`) as a page writes it: a name (a model, test,
    method, design) with a capital, a clause (``name=False``: a note, an estimand, a rule) as it is."""
    words = translate(value, lang)
    return _capital(words) if name else words


def _capital(value: object) -> object:
    """``value`` with a capital, except a one-letter prefix such as ``t-toets``/``z-test``."""
    if not isinstance(value, str) or value[1:2] == "-":
        return value
    return value[:1].upper() + value[1:]


RATE_COLUMNS = ("rate", "ci_low", "ci_high")


def as_percentages(table: pd.DataFrame) -> pd.DataFrame:
    """A table of rates by group (``events``, ``n``, ``rate`` and its interval) with the rate
    and its interval as whole percentages (as the report writes shares: 83, not 0,833), and
    without ``group_n`` where it repeats ``n``. Other tables come back as they are (a model's
    ``ci_low``/``ci_high`` are on the scale of its row, not shares)."""
    out = table.copy()
    if not {"events", "n", *RATE_COLUMNS} <= set(out.columns):
        return out
    for col in RATE_COLUMNS:
        out[col] = formats.half_up(100 * pd.to_numeric(out[col], errors="coerce")).astype("Int64")  # 62,5: 63
    out = out.rename(columns={c: f"{c}_pct" for c in RATE_COLUMNS})
    if "group_n" in out.columns and out["group_n"].equals(out["n"]):
        out = out.drop(columns="group_n")
    return out


def page_table(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A copy of ``table`` whose text columns (:data:`TEXT_COLUMNS`) are in ``lang`` and
    whose ``cutoff`` dates are written out; the column names stay codes (the table styling
    writes the headers). Triage levels keep
    their label (``Triage 1``); the ``group`` column keeps its codes for the styling."""
    out = as_percentages(table)
    for col in out.columns:
        if col not in (*TEXT_COLUMNS, "cutoff") or col == "group":
            continue
        if col == "cutoff":  # an ISO date
            out[col] = out[col].map(lambda v: formats.long_date(v, lang) if isinstance(v, str) else v)
        elif col == "level":
            out[col] = out[col].map(lambda v: label(v, lang) if str(v).isdigit() else _capital(level_label(v, lang)))
        elif col == "term":
            out[col] = out[col].map(lambda v: _capital(term_label(v, lang)) if isinstance(v, str) else v)
        elif col == "note":  # a note is a clause, not a name
            out[col] = out[col].map(lambda v: translate(v, lang))
        else:
            out[col] = out[col].map(lambda v: _capital(translate(v, lang)))
    return p_columns(out, lang) if "p_value" in out.columns or "p_holm" in out.columns else out


def p_text(value: object, upper_bound: object, lang: str, mc_se: object = None) -> str:
    """A p-value as a page writes it (:func:`formats.p_value`: three decimals, ``< 0,001``
    below, ``< bound`` when the value is an upper bound: :data:`analysis.stats.models.P_FLOOR`,
    or a Monte Carlo p-value at its floor), and a Monte Carlo standard error beside it when
    there is one."""
    if value is None or pd.isna(value):
        return formats.MISSING
    text = formats.p_value(float(value), lang, upper_bound=bool(upper_bound) is True)
    if mc_se is not None and not pd.isna(mc_se):
        se = float(mc_se)
        se_text = (formats.number(se, lang, max(3, 1 - int(np.floor(np.log10(se))))) if se >= 1e-4 or se == 0
                   else "< " + formats.number(1e-4, lang, 4))
        text += f" (MC-{'sf' if lang == 'nl' else 'se'} {se_text})"
    return text


_P_PAIRS = (("p_value", "p_upper_bound"), ("p_holm", "p_holm_upper_bound"))


def p_columns(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``table`` with its p-value columns written out by :func:`p_text` (the flag and Monte
    Carlo columns folded into them and dropped) and marked verbatim for the styling."""
    out = table.copy()
    done = []
    for col, flag in _P_PAIRS:
        if col not in out.columns:
            continue
        bound = out[flag] if flag in out.columns else pd.Series(False, index=out.index)
        se = out["p_mc_se"] if col == "p_value" and "p_mc_se" in out.columns else pd.Series(None, index=out.index)
        out[col] = [p_text(v, b, lang, e) for v, b, e in zip(out[col], bound, se)]
        done.append(col)
    out = out.drop(columns=[c for c in ("p_upper_bound", "p_holm_upper_bound", "p_mc_se") if c in out.columns])
    out.attrs = {**table.attrs, "verbatim_columns": (*table.attrs.get("verbatim_columns", ()), *done)}
    return out


MINUS = "\u2212"  # a page's minus sign (the hyphen of a CSV is no minus in print)


def signed(value: object, lang: str, decimals: int) -> str:
    """A number as a page writes it, with a proper minus sign (``−0,27``, not ``-0,27``)."""
    text = formats.number(value, lang, decimals)
    return MINUS + text[1:] if text.startswith("-") else text


def ratio_decimals(value: object) -> int:
    """Decimals for an odds ratio or odds: two below 10 (0,33; 3,68), one below 100 (23,0),
    none from 100 (575): the digits an interval this wide can carry."""
    v = abs(float(value))
    return 2 if v < 10 else 1 if v < 100 else 0


def ratio_text(value: object, lang: str) -> str:
    """An odds ratio or odds as a page writes it (:func:`ratio_decimals`); missing as ``–``."""
    if value is None or pd.isna(value):
        return formats.MISSING
    return signed(value, lang, ratio_decimals(value))


# a model row's scale -> (the estimate's factor, its decimals or None for an odds ratio's, the scale's name)
# (probabilities as percentages and their differences in percentage points, as the other tables of the page)
SCALES = {"odds ratio": (1, None, ("odds ratio", "odds ratio")), "odds": (1, None, ("odds", "odds")),
          "probability": (100, 1, ("kans (%)", "probability (%)")),
          "risk difference": (100, 1, ("kansverschil (procentpunt)", "difference (percentage points)")),
          "probability difference": (100, 1, ("kansverschil (procentpunt)", "difference (percentage points)"))}


def scaled_text(value: object, scale: object, lang: str) -> str:
    """A model estimate or limit on its row's scale as a page writes it (:data:`SCALES`)."""
    if value is None or pd.isna(value):
        return formats.MISSING
    factor, decimals, _ = SCALES.get(str(scale), (1, 3, None))
    return ratio_text(value, lang) if decimals is None else signed(factor * float(value), lang, decimals)


def scale_label(scale: object, lang: str) -> str:
    """A row's scale named as its numbers are written (``Kans (%)``)."""
    names = SCALES.get(str(scale), (None, None, None))[2]
    return _capital(names[1 - _side(lang)]) if names else _capital(translate(scale, lang))  # names: (nl, en)


def _interval(low: object, high: object, lang: str, scale: object = "odds ratio") -> str:
    # no-break spaces and a word joiner: a line may otherwise break after the dash
    if pd.isna(low) or pd.isna(high):
        return formats.MISSING
    return f"{scaled_text(low, scale, lang)}\u00a0–\u2060\u00a0{scaled_text(high, scale, lang)}"


def against_reference(term: str, terms, lang: str) -> str:
    """A model term as a figure names it: its level against the predictor's reference level
    (``Triagepad 1 t.o.v. triage 2``), so an odds ratio says what it compares; the reference
    is :data:`analysis.stats.models.REFERENCE`'s, unless the model has a term of that level
    (then the models chose another, and the label names none)."""
    text = term_label(term, lang)
    text = text[:1].upper() + text[1:]
    predictor, _, _ = str(term).partition("[")
    ref = REFERENCE.get(predictor)
    if ref is None or f"{predictor}[{ref}]" in set(map(str, terms)):
        return text
    return f"{text} {'t.o.v.' if lang == 'nl' else 'vs.'} {level_label(ref, lang)}"


def said_once(values: list, keys: list | None = None) -> list:
    """``values`` with each value said only on the first row of its block (``keys``: each row's
    block, the values themselves by default; a block's rows together): a column constant within
    a block is not repeated on every row, as a report's table prints it."""
    out, last = [], object()
    for value, key in zip(values, values if keys is None else keys, strict=True):
        out.append(value if key != last else "")
        last = key
    return out


NOT_ESTIMABLE = "not estimable"  # the start of the note of a model that separation leaves without estimates


def not_estimable_models(tidy: pd.DataFrame) -> list[str]:
    """The models of ``tidy`` without a single estimate, every row saying it is not estimable
    (the ordinary logit under separation): a page says so once instead of a row of dashes per term."""
    out = []
    for model, rows in tidy.groupby("model", sort=False):
        notes = rows["note"].astype(str)
        if rows["estimate"].isna().all() and notes.str.startswith(NOT_ESTIMABLE).all():
            out.append(str(model))
    return out


def coefficient_view(tidy: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The coefficient table as a page shows it, narrow enough to read: per row the model,
    term, scale, estimate, its interval in one column, the p-values, the group size and the
    note; and a second table with each model's interval method and test (the same on every
    row of a model). Each number on its row's scale as the page writes it (:data:`SCALES`:
    odds ratios to two decimals below 10, probabilities in percent, a minus sign); a model
    without any estimate is left out (:func:`not_estimable_models`; :func:`omitted_models_note`
    says why, once). The CSV keeps every column (``ci_level``, ``coef``, ``n``, ...) at full
    precision. Each term names the group it is compared with (*Triagepad 3 t.o.v. 2*), as
    Figuur M1 does."""
    tidy = in_level_order(tidy).reset_index(drop=True)
    t = page_table(tidy, lang)
    terms = list(tidy["term"].astype(str))
    t["term"] = [against_reference(term, terms, lang) if term != "const" else shown
                 for term, shown in zip(terms, t["term"], strict=True)]
    view = t[["model", "term"]].assign(
        scale=[scale_label(sc, lang) for sc in tidy["scale"]],
        estimate=[scaled_text(v, sc, lang) for v, sc in zip(tidy["estimate"], tidy["scale"])],
        interval=[_interval(lo, hi, lang, sc) for lo, hi, sc in zip(tidy["ci_low"], tidy["ci_high"], tidy["scale"])],
        p_value=t["p_value"], p_holm=t["p_holm"], group_n=t["group_n"], note=t["note"])
    kept = ~tidy["model"].astype(str).isin(not_estimable_models(tidy)).to_numpy()
    view = view[kept].reset_index(drop=True)
    view.attrs = {**t.attrs, "verbatim_columns": ("estimate", "interval", "p_value", "p_holm")}
    methods = t.loc[kept, ["model", "ci_method", "test"]].drop_duplicates().reset_index(drop=True)
    return view, methods


def omitted_models_note(tidy: pd.DataFrame, lang: str) -> str:
    """The one sentence that says which model the coefficient table leaves out, and why
    (its rows' note), or "" when it shows every model."""
    parts = []
    for model in not_estimable_models(tidy):
        note = str(tidy.loc[tidy["model"].astype(str) == model, "note"].iloc[0])
        where = " (zie Bijlage A)" if lang == "nl" else " (see Appendix A)"
        parts.append(f"*{_capital(translate(model, lang))}*: {translate(note, lang)}{where}")
    if not parts:
        return ""
    head = ("**Niet in de tabel.** " if lang == "nl" else "**Not in the table.** ")
    return head + "; ".join(parts) + "."


def ame_view(ame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The average marginal effects as a page shows them: in percentage points with a minus
    sign, each term with the group it is compared with (*Triagepad 3 t.o.v. 2*); the scale and
    the intercept (the same on every row) are said by the caption, not repeated per row."""
    ame = in_level_order(ame).reset_index(drop=True)
    out = page_table(ame.drop(columns=["estimand", "scale", "intercept"], errors="ignore"), lang)
    out["ame"] = [signed(100 * float(v), lang, 1) if not pd.isna(v) else formats.MISSING for v in ame["ame"]]
    terms = list(ame["term"].astype(str))
    out["term"] = [against_reference(t, terms, lang) for t in terms]
    out.attrs = {**out.attrs, "verbatim_columns": (*out.attrs.get("verbatim_columns", ()), "ame")}
    return out


def fitted_view(fitted: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The mean fitted probabilities as percentages (68,0, as the page's other shares); the
    CSV keeps the fractions."""
    out = page_table(fitted, lang)
    out["value"] = formats.half_up(100 * pd.to_numeric(fitted["value"], errors="coerce"), 1)
    return out.rename(columns={"value": "rate_pct"})


def coefficient_legend(view: pd.DataFrame, methods: pd.DataFrame, lang: str) -> str:
    """The legend of the two tables of :func:`coefficient_view`, their columns only."""
    shown = pd.DataFrame(columns=list(dict.fromkeys([*shown_columns(view), *shown_columns(methods)])))
    return legend_markdown(column_legend(shown, lang), lang)


def natural_order(levels, order=None) -> list:
    """``levels`` in their natural order: the order of ``order`` (the study codebook's levels:
    laag, middelbaar, hoog), the others after them as they came."""
    rank = {str(v): i for i, v in enumerate(order or ())}
    levels = list(levels)
    return sorted(levels, key=lambda v: (rank.get(str(v), len(rank)), levels.index(v)))


def level_order(group: str) -> list[str]:
    """The levels of the grouping ``group`` (``triage``, ``opleiding``) in the study codebook's
    order (laag, middelbaar, hoog; 1, 2, 3), the codebook's column found by its name or its
    name's start (``opleiding`` is ``opleidingsniveau``), then :data:`LEVELS`' order (``geen``,
    ``onbekend`` last); an unknown grouping has none."""
    # here, not at the top: pilot.schema loads pandera (0.5 s), which the runner's pages never need
    from analysis.pilot import schema

    columns = [c for c in schema.PARTICIPANTS.columns if c.allowed and c.kind == "category"]
    own = next((c for c in columns if c.name == group), None) or \
        next((c for c in columns if c.name.startswith(group)), None)
    return list(dict.fromkeys([*(str(v) for v in (own.allowed if own else ())), *LEVELS]))


_OBSERVED = re.compile(r"observed: (\w+) (.+?) vs rest")
_VERSUS_REST = re.compile(r"(.+?) vs rest")


def _row_level(row: pd.Series) -> tuple[str, str] | None:
    """The (predictor, level) a row of a model table is about: its term (``opleiding[hoog]``),
    its power design (``observed: opleiding hoog vs rest``) or its group and comparison
    (``opleiding``, ``hoog vs rest``); None for a row about no single level."""
    if isinstance(term := row.get("term"), str) and (m := _TERM.fullmatch(term)):
        return m[1], m[2]
    if isinstance(design := row.get("design"), str) and (m := _OBSERVED.fullmatch(design)):
        return m[1], m[2]
    if isinstance(row.get("group"), str) and isinstance(c := row.get("comparison"), str) and \
            (m := _VERSUS_REST.fullmatch(c)):
        return row["group"], m[1]
    return None


def in_level_order(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` (model terms, exact tests, power designs) with the rows of each run of one
    predictor (within one model) in the codebook's level order (laag, middelbaar, hoog:
    :func:`level_order`) instead of the alphabetical order the models write them in; every
    other row stays where it is. Attributes (the release's mark) are kept."""
    if table.empty:
        return table
    levels = [_row_level(r) for _, r in table.iterrows()]
    context = [c for c in ("origin", "definition", "model") if c in table.columns]  # a Cox table's blocks too
    model = [tuple(row) for row in table[context].astype(str).to_numpy()] if context else [()] * len(table)
    blocks = [None if lv is None else (m, lv[0]) for m, lv in zip(model, levels, strict=True)]
    order, i = [], 0
    while i < len(table):
        j = i
        while j + 1 < len(table) and blocks[i] is not None and blocks[j + 1] == blocks[i]:
            j += 1
        run = list(range(i, j + 1))
        if blocks[i] is not None:
            ranks = level_order(blocks[i][1])
            run.sort(key=lambda k: ranks.index(levels[k][1]) if levels[k][1] in ranks else len(ranks))
        order += run
        i = j + 1
    out = table.iloc[order]
    out.attrs = dict(table.attrs)
    return out


def levels_of(values: pd.Series) -> list | None:
    """The levels of a predictor's column in their natural order: its categories when it is
    categorical (the codebook's order: laag, middelbaar, hoog), else None."""
    return list(values.cat.categories) if isinstance(values.dtype, pd.CategoricalDtype) else None


# the outflow groups of the multinomial view (models.multinomial_view), named the same for every study: a
# study's vocabulary may not name them (the sixth reviewer: a column headed by the code "opleiding")
OUTFLOW_GROUPS = ("werk", "opleiding", "bemiddeling", "overig")  # named by the study: labels.outflow_group_label


def shares_table(shares: pd.DataFrame, lang: str, order=None) -> pd.DataFrame:
    """The multinomial view's shares (levels as rows, outflow categories as columns) with
    the levels as a ``level`` column in ``lang``, in their natural order (``order``: the
    codebook's levels), as whole percentages of each row (as the report writes shares: 83, not 0,83)."""
    percent = shares.astype(float).mul(100).apply(formats.half_up).astype("Int64")
    percent = percent.loc[natural_order(percent.index, order)]
    percent = percent.rename(columns=lambda c: outflow_group_label(c, lang) if c in OUTFLOW_GROUPS else c)
    return page_table(percent.rename_axis("level").reset_index(), lang)


MDE_FILE_ONLY = ("base_rate", "alpha", "target_power", "group_n")  # said by the caption, or n1 and n0 again
MDE_DECIMALS = 2  # at most (below 10); from 10 on fewer, as any odds ratio (ratio_decimals)


def mde_view(mde: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The smallest detectable odds ratios as a page shows them, as any odds ratio (0,07; 5,09; 15,2), the
    target power said by the caption (80%) and the smaller group's size (n (groep) or
    n (referentie) again) left to the CSV, as are the base rate and alpha."""
    out = in_level_order(mde).drop(columns=[c for c in MDE_FILE_ONLY if c in mde.columns])
    for col in ("mde_odds_ratio_above_1", "mde_odds_ratio_below_1"):
        if col in out.columns:
            # written as any odds ratio, fewer decimals from 10 on (review 12: "15,24"; a column of numbers would
            # print every value with the most decimals of any, "15,20")
            out[col] = [ratio_text(v, lang) for v in pd.to_numeric(out[col], errors="coerce")]
    view = page_table(out, lang)
    # the ratios are written for the page: shown as given, right-aligned as numbers (styling's verbatim columns)
    view.attrs["verbatim_columns"] = tuple(c for c in view.columns if str(c).startswith("mde_odds_ratio"))
    return view


def shown_columns(table: pd.DataFrame) -> list[str]:
    """The columns a page shows of ``table``: not the empty ones, nor (in a table of three rows
    or more) those with one value on every row, which the table's caption line says once
    (the rule of :func:`analysis.presentation.styling.styled`), so a legend names no column the
    reader does not see."""
    empty, constant = _uninformative(table.reset_index(drop=True))
    return [c for i, c in enumerate(table.columns) if i not in empty + constant]


def power_grid(power_table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Exact power with designs as rows (in their order) and odds ratios as columns, in whole
    percentages (80, not 0,800: a share written like a count of 1.000 misreads)."""
    power_table = in_level_order(power_table)
    t = page_table(power_table[["design", "odds_ratio", "power"]].assign(design=design_with_test(power_table)),
                   lang)
    t["power"] = formats.half_up(100 * t["power"].astype(float)).astype("Int64")
    order = list(dict.fromkeys(t["design"]))
    return t.pivot(index="design", columns="odds_ratio", values="power").loc[order]


def design_with_test(table: pd.DataFrame) -> pd.Series:
    """Each power design's name, with ", z-test" where its power is the z-test's (above
    :data:`analysis.stats.power.FISHER_MAX_N` participants), not Fisher's."""
    if "method" not in table.columns:
        return table["design"]
    z = table["method"].astype(str).str.startswith("two-proportion z-test")
    return table["design"].where(~z, table["design"] + ", z-test")


_FILE_ONLY = re.compile(r"\s*\([^()]*\b[a-z0-9]+_[a-z0-9_]+\b[^()]*\)|;?\s*(?:de bestanden hebben|the files have) "
                        r"[a-z0-9_]+ (?:en|and) [a-z0-9_]+")
_COLUMN_CODE = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b")


_TERM_CODES = "const (intercept) or predictor[level]"  # how the CSV writes terms; a reader reads words


def reader_text(meaning: str, lang: str) -> str:
    """A column's meaning as a reviewer reads it: an aside about the files' own column codes
    is left out (the CSV's column list names them), any other code becomes its header."""
    text = _FILE_ONLY.sub("", str(meaning)).replace(_TERM_CODES, "the intercept or a level of a predictor")
    text = text.replace("odds of uptake", "odds of outflow")  # the page's word (the sixth reviewer), the CSV's kept
    return _COLUMN_CODE.sub(lambda m: f"*{label(m[0], lang)}*", text)


def legend_markdown(legend: pd.DataFrame, lang: str) -> str:
    """A legend (``column``, ``meaning``) as one paragraph: each column by the header the
    page shows and what it holds (the column codes of the CSV files are in their own
    column list, ``*_columns.csv``, not on the page)."""
    head = "**Kolommen.** " if lang == "nl" else "**Columns.** "
    return head + "; ".join(f"*{label(r.column, lang)}*: {reader_text(r.meaning, lang)}"
                            for r in legend.drop_duplicates("column").itertuples()) + "."


def run_statement(outcome, predictors, synthetic: bool, n_rows: int, k: int, shown: bool, lang: str) -> str:
    """What the models page is about: the outcome (with its count, when the output gate
    allows it), the predictors and the data (``x`` for a file smaller than ``k``)."""
    parts = dict(definition=outcome_words(outcome.definition, lang),  # in the study's own words
                 population=titles.sentence(f"population_{outcome.population}", lang), date=outcome.cutoff)
    text = (titles.sentence("models_outcome", lang, events=outcome.events, n=outcome.n,
                            pct=f"{100 * outcome.rate:.0f}", **parts) if shown
            else titles.sentence("models_outcome_withheld", lang, **parts))
    return titles.sentence("models_run", lang, outcome=text,
                           predictors=", ".join(predictor_label(p, lang) for p in predictors),
                           data=titles.sentence("synthetic_plain" if synthetic else "real_data", lang),
                           n=n_rows if n_rows >= k else "x")


TWO_CATEGORIES = {
    "nl": "**{group}**: in deze gegevens zijn er maar twee uitstroomcategorieën, dus is dit de uitkomst van "
          "paragraaf M.2 (werk of niet) en voegt een multinomiaal model niets toe. Het aantal personen per niveau "
          "staat in de eerste tabel van deze pagina.",
    "en": "**{group}**: these data have only two outflow categories, so this is the outcome of section M.2 (work or "
          "not) and a multinomial model adds nothing. The number of persons per level is in this page's first "
          "table.",
}


def multinomial_sentence(group: str, note: str, lang: str, categories: int | None = None) -> str:
    """The multinomial view's verdict for ``group`` (a multinomial logit fit, or why there is
    none), named by its method, not by the class that fits it; with only two outflow
    categories (``categories``), that it is the binary outcome of the models (the sixth
    reviewer: "not estimated (separation)" said of a table of two categories)."""
    if categories is not None and categories < 3:
        return TWO_CATEGORIES[lang].format(group=_capital(predictor_label(group, lang)))
    return titles.sentence("models_multinomial", lang, group=_capital(predictor_label(group, lang)),
                           note=translate(note, lang).replace("MNLogit", "multinomial logit model"))
