"""The time-to-work page's findings in words (notebook 04): first what was observed (how many
of those who started had the outcome by the end of follow-up, how many left without it, how
many were still without it), then the share with outflow at six months as the estimate it is,
beside the report's 70%, then the log-rank tests and the Cox model, with the numbers the page
publishes (its curves, six-month, log-rank and Cox tables; the observed counts are sums of the
curves' published counts per interval).

Written by hand, not by a library: the sentences are the report's kind of prose, in Dutch
and English. A value that is missing (withheld, or six months inside a merged interval) is
never said; percentages are whole, ratios have two decimals, as the page's tables round them
or finer, and p-values are written as in the tables (``formats.p_value``: ``p = 0,071``, ``p < 0,001``).
"""

from __future__ import annotations

import pandas as pd
from statsmodels.stats.multitest import multipletests

from analysis.presentation import formats
from analysis.presentation.model_findings import (
    NUMBER_WORDS,
    join_and,
    level_words,
    missing,
    paragraphs,
    percent,
    ratio,
)
from analysis.presentation.model_texts import predictor_label
from analysis.presentation.survival_texts import MIN_AT_RISK, text as words

ALPHA = 0.05
MAIN = ("start", "work")  # the origin and definition the page leads with

TEXT = {
    "nl": {
        "head": "**Bevindingen.**",
        "observed": "Van de {n} deelnemers die aan het traject begonnen, hadden er aan het einde van de "
                    "waarneming ({end}) {events} {outcome}; {competing} verlieten de pilot zonder {outcome} en "
                    "{censored} hadden toen nog geen {outcome}.",
        "observed_also": "Tot {outcome} samen: {events} van de {n}.",
        "observed_none": "Aan het einde van de waarneming ({end}) had geen van de {n} deelnemers die aan het traject "
                         "begonnen {outcome}.",
        "estimate_lead": "Niet iedereen is zes maanden gevolgd: wie later begon, telt mee tot het einde van de "
                         "waarneming. Het aandeel op zes maanden is daarom een schatting, geen telling.",
        "six": "Zes maanden na {origin} is naar schatting {cif} van de deelnemers uitgestroomd naar {outcome} "
               "(95%-interval {low} tot {high}){km}{few}.",
        "km": "; {share} als niemand voortijdig was vertrokken",
        "few": "; die schatting rust op de laatste paar deelnemers die nog konden uitstromen en is daarom onzeker",
        "report": "Het rapport noemt {share} (paragraaf 7.3); dat ligt {where}.",
        "matches": "Precies {share} geeft de schatting {which}.",
        "matches_few": "Precies {share} geeft de schatting {which}; die rust op de laatste paar deelnemers die nog "
                       "konden uitstromen (niet informatief).",
        "match": "vanaf {origin}, tot {outcome}",
        "inside": "binnen het 95%-interval voor {outcome}",
        "below": "onder het 95%-interval voor {outcome}",
        "above": "boven het 95%-interval voor {outcome}",
        "six_none": "Zes maanden na de start valt binnen een samengevoegd interval: daar is geen schatting.",
        "horizon": "{months} na {origin} was naar schatting {items}.",
        "horizon_item": "{cif} uitgestroomd naar {outcome} (95%-interval {low} tot {high}; toen konden nog {n} "
                        "deelnemers uitstromen)",
        "months": ("één maand", "{m} maanden"),
        "six_few": "Op zes maanden rust de schatting op de laatste paar deelnemers die nog konden uitstromen: één "
                   "uitstroom verplaatst haar daar met tientallen procentpunten, en Tabel T1 noemt haar niet "
                   "informatief ({which}).",
        "six_item": "{cif} naar {outcome}, 95%-interval {low} tot {high}",
        "logrank_small": "De toetsen of de groepen even snel uitstromen, naar {groups}, vergelijken een groep van "
                         "een paar personen en zijn niet informatief (Tabel T2){also}.",
        "small_group": "{group} (kleinste groep: {n})",
        "small_also": ", ook waar p kleiner is dan {alpha}: {which}",
        "logrank": "De toets of de groepen even snel uitstromen (Tabel T2) vindt vanaf de start in de tijd tot werk "
                   "{verdict} naar {groups}.",
        "no_difference": "geen significant verschil",
        "difference": "een significant verschil",
        "group_p": "{group} ({p})",
        "elsewhere": "Wel significant (p kleiner dan {alpha}, zonder correctie voor het aantal toetsen): {which}.",
        "holm_none": "Na correctie voor het aantal toetsen (methode van Holm, zoals op de pagina over uitstroom naar "
                     "werk) is geen van deze verschillen significant.",
        "holm_some": "Na correctie voor het aantal toetsen (methode van Holm) blijft significant: {which}.",
        "test": "vanaf {origin}, tot {outcome}, naar {group} ({p})",
        "cox_none": "In het model van de uitstroomsnelheid (Tabel T3) bevat elk 95%-interval van de verhouding van de "
                    "snelheden de waarde één ({blocks}).",
        "cox_some": "In het model van de uitstroomsnelheid (Tabel T3) vanaf {origin}, tot {outcome}, sluit het "
                    "95%-interval de waarde één uit "
                    "bij {which}{rest}.",
        "cox_some_next": "In het model vanaf {origin}, tot {outcome}, sluit het 95%-interval de waarde één uit "
                         "bij {which}{rest}.",
        "cox_rest": "; elk ander interval in dit model bevat één",
        "cox_term": "{term}: {est} maal de snelheid van de referentiegroep (95%-interval {low} tot {high}), "
                    "{direction}",
        "slower": "minder snel uitgestroomd dan de referentiegroep",
        "faster": "sneller uitgestroomd dan de referentiegroep",
        "block": "vanaf {origin}, tot {outcome}",
        "caveat": "Met zo weinig deelnemers beschrijven deze uitkomsten de groep; ze tonen geen effect van het "
                  "triagepad, dat zelf op de kansen van de deelnemer is toegewezen.",
        "and": "en",
    },
    "en": {
        "head": "**Findings.**",
        "observed": "Of the {n} participants who started the trajectory, {events} had {outcome} by the end of "
                    "observation ({end}); {competing} left the pilot without {outcome} and {censored} still had no "
                    "{outcome} then.",
        "observed_also": "To {outcome} together: {events} of the {n}.",
        "observed_none": "By the end of observation ({end}) none of the {n} participants who started the trajectory "
                         "had {outcome}.",
        "estimate_lead": "Not everyone was followed for six months: whoever started later counts until the end of "
                         "observation. The share at six months is therefore an estimate, not a count.",
        "six": "Six months after {origin}, an estimated {cif} of the participants had moved on to {outcome} "
               "(95% interval {low} to {high}){km}{few}.",
        "km": "; {share} if nobody had left early",
        "few": "; that estimate rests on the last few participants who could still move on, and is uncertain",
        "report": "The report gives {share} (section 7.3); that lies {where}.",
        "matches": "The estimate gives exactly {share} {which}.",
        "matches_few": "The estimate gives exactly {share} {which}; it rests on the last few participants who "
                       "could still move on (not informative).",
        "match": "from {origin}, to {outcome}",
        "inside": "inside the 95% interval for {outcome}",
        "below": "below the 95% interval for {outcome}",
        "above": "above the 95% interval for {outcome}",
        "six_none": "Six months after the start lies inside a merged interval: there is no estimate there.",
        "horizon": "{months} after {origin}, an estimated {items}.",
        "horizon_item": "{cif} had moved on to {outcome} (95% interval {low} to {high}; {n} participants could "
                        "still move on then)",
        "months": ("one month", "{m} months"),
        "six_few": "At six months the estimate rests on the last few participants who could still move on: one "
                   "outflow moves it by tens of percentage points there, and Table T1 calls it not informative "
                   "({which}).",
        "six_item": "{cif} to {outcome}, 95% interval {low} to {high}",
        "logrank_small": "The tests of whether the groups move on equally fast, by {groups}, compare a group of a "
                         "few persons and are not informative (Table T2){also}.",
        "small_group": "{group} (smallest group: {n})",
        "small_also": ", also where p is below {alpha}: {which}",
        "logrank": "From the start, the test of whether the groups move on equally fast (Table T2) finds {verdict} "
                   "in the time to work by {groups}.",
        "no_difference": "no significant difference",
        "difference": "a significant difference",
        "group_p": "{group} ({p})",
        "elsewhere": "Significant (p below {alpha}, not adjusted for the number of tests): {which}.",
        "holm_none": "After adjusting for the number of tests (Holm's method, as on the page on outflow to work) none "
                     "of these differences is significant.",
        "holm_some": "After adjusting for the number of tests (Holm's method), still significant: {which}.",
        "test": "from {origin}, to {outcome}, by {group} ({p})",
        "cox_none": "In the model of the rate of moving on (Table T3) every 95% interval of the ratio of rates "
                    "contains one ({blocks}).",
        "cox_some": "In the model of the rate of moving on (Table T3) from {origin}, to {outcome}, the 95% interval "
                    "excludes one for {which}{rest}.",
        "cox_some_next": "In the model from {origin}, to {outcome}, the 95% interval excludes one for {which}{rest}.",
        "cox_rest": "; every other interval in this model contains one",
        "cox_term": "{term}: {est} times the rate of the reference group (95% interval {low} to {high}), "
                    "{direction}",
        "slower": "slower outflow than the reference group",
        "faster": "faster outflow than the reference group",
        "block": "from {origin}, to {outcome}",
        "caveat": "With so few participants these results describe the group; they show no effect of the triage "
                  "path, which was itself assigned on the participant's prospects.",
        "and": "and",
    },
}


def _t(key: str, lang: str, **fields) -> str:
    return TEXT[lang][key].format(**fields)


def _informative(row: pd.Series) -> bool:
    """Whether Tabel T1 calls a six-month estimate informative (its last step rests on at
    least five at risk, its group is not too small)."""
    flag = row.get("informative", True)
    return str(row.get("note", "")) != "few_at_risk" and (missing(flag) or bool(flag))


def _limits(low: object, high: object, lang: str) -> tuple[str, str]:
    if missing(low) or missing(high):
        return formats.MISSING, formats.MISSING
    return percent(low, lang), percent(high, lang)


MONTH = 365.25 / 12


def informative_horizon(curves: pd.DataFrame, origin: str, definition: str, before: int = 6,
                        min_at_risk: int = MIN_AT_RISK) -> tuple[int, int, pd.Series] | None:
    """The latest whole month before ``before`` at which at least ``min_at_risk`` persons were
    still at risk on the overall curve of ``origin`` and ``definition``, with that number and
    the curve's row at its last step up to that month: an estimate Tabel T1's rule calls
    informative (review 9: the findings led with six-month estimates T1 flags). The number at
    risk at month m is that of the interval holding m, as the table under each figure gives it
    (``survival_texts.at_risk_view``); None where no month qualifies."""
    if curves is None or curves.empty:
        return None
    c = curves[(curves["origin"] == origin) & (curves["definition"] == definition) & (curves["curve"] == "all")]
    c = c.sort_values("end")
    ends, n_risk = c["end"].to_numpy(dtype=float), c["n_risk"].to_numpy()
    for m in range(before - 1, 0, -1):
        at = [i for i, e in enumerate(ends) if e >= m * MONTH]
        done = [i for i, e in enumerate(ends) if e <= m * MONTH]
        if not at or not done or int(n_risk[at[0]]) < min_at_risk:
            continue
        row = c.iloc[done[-1]]
        if not missing(row["cif"]):
            return m, int(n_risk[at[0]]), row
    return None


def _months(m: int, lang: str) -> str:
    one, many = TEXT[lang]["months"]
    words = one if m == 1 else many.format(m=NUMBER_WORDS[lang][m])
    return words[:1].upper() + words[1:]


def common_horizon(curves: pd.DataFrame | None, definitions: list[str]) -> int | None:
    """The latest whole month before six at which every one of ``definitions`` that has an
    informative month (:func:`informative_horizon`) has one: the month at which the findings
    compare the definitions (review 12: work at four months beside work or education at three)."""
    months = [h[0] for d in definitions if (h := informative_horizon(curves, MAIN[0], d)) is not None]
    return min(months) if months else None


def horizon_sentences(curves: pd.DataFrame | None, definitions: list[str], lang: str) -> list[str]:
    """One sentence with every definition's estimate at :func:`common_horizon` (none without one)."""
    m = common_horizon(curves, definitions)
    if m is None:
        return []
    items = []
    for d in definitions:
        h = informative_horizon(curves, MAIN[0], d, before=m + 1)
        if h is None or h[0] != m:
            continue
        _, n, step = h
        low, high = _limits(step["cif_low"], step["cif_high"], lang)
        items.append(_t("horizon_item", lang, cif=percent(step["cif"], lang), outcome=words(f"{d}_short", lang),
                        low=low, high=high, n=formats.number(n, lang)))
    return [_t("horizon", lang, months=_months(m, lang), origin=words(MAIN[0], lang), items=join_and(items, lang))]


def six_month_sentences(six: pd.DataFrame, lang: str, curves: pd.DataFrame | None = None) -> list[str]:
    """All participants' share with outflow at six months from the start, per definition,
    informative estimates first (review 9): where Tabel T1 calls the six-month estimate not
    informative, the estimate at the latest month whose risk set is large enough
    (:func:`informative_horizon`, from ``curves``) leads, and the six-month estimates follow,
    said to be not informative; then the report's share beside them."""
    rows = six[(six["origin"] == MAIN[0]) & (six["curve"] == "all")] if not six.empty else six
    rows = rows[rows["cif"].map(lambda v: not missing(v))] if not rows.empty else rows
    if rows.empty:
        return [_t("six_none", lang)]
    out, where, few = [_t("estimate_lead", lang)], [], []
    report = rows["report_share"].dropna()
    for _, r in rows.iterrows():
        outcome = words(f"{r['definition']}_short", lang)
        low, high = _limits(r["cif_low"], r["cif_high"], lang)
        if _informative(r):
            km = "" if missing(r["one_minus"]) else _t("km", lang, share=percent(r["one_minus"], lang))
            out.append(_t("six", lang, origin=words(MAIN[0], lang), cif=percent(r["cif"], lang), outcome=outcome,
                          low=low, high=high, km=km, few=""))
        else:
            few.append(_t("six_item", lang, cif=percent(r["cif"], lang), outcome=outcome, low=low, high=high))
        if not report.empty and not missing(r["cif_low"]) and not missing(r["cif_high"]):
            share = float(report.iloc[0])  # compared as the page prints them: whole percentages
            side = ("below" if round(100 * share) < round(100 * float(r["cif_low"])) else
                    "above" if round(100 * share) > round(100 * float(r["cif_high"])) else "inside")
            where.append(_t(side, lang, outcome=outcome))
    if few:  # every definition at one month, the latest informative for all (review 12: four months beside three)
        out += horizon_sentences(curves, list(rows["definition"]), lang)
        out.append(_t("six_few", lang, which="; ".join(few)))
    if not report.empty:
        out.append(_t("report", lang, share=percent(report.iloc[0], lang),
                      where=join_and(where, lang) if where else formats.MISSING))
        out += report_match(six, float(report.iloc[0]), lang)
    return out


def observed(curves: pd.DataFrame) -> pd.DataFrame:
    """What was observed by the end of follow-up, per outcome definition, for all who started
    the trajectory (the overall curves from the start): the number at risk at the start, and
    the outcomes, competing exits and censored summed over the curve's published intervals.
    Every value is a sum of published counts (each 0 or at least the threshold)."""
    if curves is None or curves.empty:
        return pd.DataFrame(columns=["definition", "n", "events", "competing", "censored"])
    rows = curves[(curves["origin"] == MAIN[0]) & (curves["curve"] == "all")]
    if rows.empty:
        return pd.DataFrame(columns=["definition", "n", "events", "competing", "censored"])
    out = (rows.sort_values("end").groupby("definition", sort=False)
           .agg(n=("n_risk", "first"), events=("events", "sum"), competing=("competing", "sum"),
                censored=("censored", "sum")).reset_index())
    return out.astype({c: "int64" for c in ("n", "events", "competing", "censored")})


def observed_sentences(counts: pd.DataFrame, end: str, lang: str) -> list[str]:
    """The observed counts in words (see :func:`observed`): the first definition in full, a
    wider one by its count of outcomes."""
    if counts is None or counts.empty:
        return []
    out = []
    for i, (_, r) in enumerate(counts.iterrows()):
        outcome = words(f"{r['definition']}_short", lang)
        fields = {k: formats.number(int(r[k]), lang) for k in ("n", "events", "competing", "censored")}
        if i == 0:
            out.append(_t("observed" if int(r["events"]) else "observed_none", lang, end=end, outcome=outcome,
                          **fields))
        else:
            out.append(_t("observed_also", lang, outcome=outcome, events=fields["events"], n=fields["n"]))
    return out


def report_match(six: pd.DataFrame, share: float, lang: str) -> list[str]:
    """Which published estimate for all participants (any origin and outcome) is the report's
    share as the page prints it, whole percentages (the sixth reviewer: from inflow, to work or
    education, the page gives exactly 70% and never said so)."""
    rows = six[(six["curve"] == "all") & six["cif"].map(lambda v: not missing(v))]
    rows = rows[[percent(v, lang) == percent(share, lang) for v in rows["cif"]]]
    hits = [_t("match", lang, origin=words(r["origin"], lang), outcome=words(f"{r['definition']}_short", lang))
            for _, r in rows.iterrows()]
    few = "note" in rows and rows["note"].astype(str).eq("few_at_risk").all()  # the seventh reviewer: say so
    return [_t("matches_few" if few else "matches", lang, share=percent(share, lang), which=join_and(hits, lang))
            ] if hits else []


def _bounds(tests: pd.DataFrame) -> list[bool]:
    """Whether each test's p-value is only an upper bound (a p below what the chi-square's
    tail gives in double precision)."""
    if "p_upper_bound" not in tests.columns:
        return [False] * len(tests)
    return [bool(b) is True for b in tests["p_upper_bound"]]


def _holm(shown: pd.DataFrame) -> pd.Series:
    """The Holm-adjusted p-values of the shown tests: Tabel T2's column where it has one, else
    computed over the shown tests (one family)."""
    if "p_holm" in shown.columns:
        return shown["p_holm"].astype(float)
    return pd.Series(multipletests(shown["p_value"].astype(float), method="holm")[1], index=shown.index)


def _informative_tests(shown: pd.DataFrame) -> pd.Series:
    if "informative" not in shown.columns:
        return pd.Series(True, index=shown.index)
    return shown["informative"].map(lambda v: missing(v) or bool(v))


def logrank_sentences(logrank: pd.DataFrame, lang: str) -> list[str]:
    """The informative tests first (review 9): the main comparison (from the start, to work)
    by each grouping, then any other test below 5%, then what survives Holm's adjustment
    (Tabel T2's column); then the tests that compare a group of a few persons (Tabel T2's
    *niet informatief*), said to be not informative, with their smallest group."""
    if logrank.empty:
        return []
    shown = logrank[logrank["p_value"].map(lambda v: not missing(v))]
    holm = _holm(shown)
    good = _informative_tests(shown)
    small, shown = shown[~good], shown[good]
    main = shown[(shown["origin"] == MAIN[0]) & (shown["definition"] == MAIN[1])]
    out = []
    if not main.empty:
        verdict = "difference" if (main["p_value"].astype(float) < ALPHA).any() else "no_difference"
        groups = [_t("group_p", lang, group=predictor_label(g, lang), p=formats.p_phrase(p, lang, b))
                  for g, p, b in zip(main["group"], main["p_value"], _bounds(main), strict=True)]
        out.append(_t("logrank", lang, verdict=TEXT[lang][verdict], groups=join_and(groups, lang)))
    rest = shown.drop(main.index)
    rest = rest[rest["p_value"].astype(float) < ALPHA]
    if not rest.empty:
        out.append(_t("elsewhere", lang, alpha=formats.number(ALPHA, lang, 2), which="; ".join(_tests(rest, lang))))
    if (shown["p_value"].astype(float) < ALPHA).any():  # the sixth reviewer: eight tests, none adjusted
        kept = shown[holm[shown.index] < ALPHA]
        which = [_t("block", lang, origin=words(o, lang), outcome=words(f"{d}_short", lang))
                 + f", {predictor_label(g, lang)}" for o, d, g in zip(kept["origin"], kept["definition"],
                                                                      kept["group"], strict=True)]
        out.append(_t("holm_some", lang, which="; ".join(which)) if which else _t("holm_none", lang))
    if not small.empty:
        sizes = small.groupby("group", sort=False)["group_n"].min() if "group_n" in small.columns else None
        groups = [_t("small_group", lang, group=predictor_label(g, lang), n=formats.number(int(sizes[g]), lang))
                  if sizes is not None and not missing(sizes[g]) else predictor_label(g, lang)
                  for g in small["group"].unique()]
        low = small[small["p_value"].astype(float) < ALPHA]
        also = _t("small_also", lang, alpha=formats.number(ALPHA, lang, 2), which="; ".join(_tests(low, lang))) \
            if not low.empty else ""
        out.append(_t("logrank_small", lang, groups=join_and(groups, lang), also=also))
    return out


def _tests(rows: pd.DataFrame, lang: str) -> list[str]:
    return [_t("test", lang, origin=words(o, lang), outcome=words(f"{d}_short", lang), group=predictor_label(g, lang),
               p=formats.p_phrase(p, lang, b))
            for o, d, g, p, b in zip(rows["origin"], rows["definition"], rows["group"], rows["p_value"],
                                     _bounds(rows), strict=True)]


def cox_sentences(cox: pd.DataFrame, lang: str) -> list[str]:
    """Every published Cox model (from the start and from inflow, to each outcome): the blocks
    in which every hazard ratio's interval contains 1 said together, and in each other block
    each term whose interval excludes 1, with its direction, in plain words."""
    if cox.empty:
        return []
    shown = cox[cox["estimate"].map(lambda v: not missing(v)) & cox["ci_low"].map(lambda v: not missing(v))
                & cox["ci_high"].map(lambda v: not missing(v))]
    none, out = [], []
    for (origin, definition), rows in shown.groupby(["origin", "definition"], sort=False):
        where = dict(origin=words(origin, lang), outcome=words(f"{definition}_short", lang))
        differs = rows[(rows["ci_low"].astype(float) > 1) | (rows["ci_high"].astype(float) < 1)]
        if differs.empty:
            none.append(_t("block", lang, **where))
            continue
        which = [_t("cox_term", lang, term=f"{_term(r['term'], lang)} ({_versus(r, lang)})",
                    est=ratio(r["estimate"], lang), low=ratio(r["ci_low"], lang), high=ratio(r["ci_high"], lang),
                    direction=TEXT[lang]["slower" if float(r["ci_high"]) < 1 else "faster"])
                 for _, r in differs.iterrows()]
        rest = TEXT[lang]["cox_rest"] if len(differs) < len(rows) else ""
        out.append(dict(which="; ".join(which), rest=rest, **where))
    # the model and its table named once, in the first sentence; a later one says only which model (review 14)
    first = [_t("cox_none", lang, blocks="; ".join(none))] if none else []
    return first + [_t("cox_some" if i == 0 and not none else "cox_some_next", lang, **fields)
                    for i, fields in enumerate(out)]


def _term(term: str, lang: str) -> str:
    predictor, _, level = str(term).partition("[")
    return f"{predictor_label(predictor, lang)} {level_words(level.rstrip(']'), lang)}"


def _versus(row: pd.Series, lang: str) -> str:
    return f"{'t.o.v.' if lang == 'nl' else 'vs.'} {level_words(row['reference'], lang)}"


def findings(six: pd.DataFrame, logrank: pd.DataFrame, cox: pd.DataFrame, lang: str,
             counts: pd.DataFrame | None = None, end: str = "", curves: pd.DataFrame | None = None) -> str:
    """The page's findings as Markdown (see the module), a paragraph per topic: what was
    observed by ``end`` (``counts``, :func:`observed`), the six-month estimates beside the
    report's 70%, the log-rank tests, the Cox model and the caveat."""
    if lang not in TEXT:
        raise ValueError(f"language must be one of {sorted(TEXT)}, got {lang!r}")
    return paragraphs(TEXT[lang]["head"], observed_sentences(counts, end, lang), six_month_sentences(six, lang, curves),
                      logrank_sentences(logrank, lang), [*cox_sentences(cox, lang), _t("caveat", lang)])
