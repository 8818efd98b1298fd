"""The time-to-work page (notebook 04) in Dutch and English: captions, headers, sentences,
the published curve and at-risk tables as a page shows them, and the curve figure.

Kept apart from the report's title catalogue (:mod:`analysis.presentation.titles`) because
these exhibits are not the report's own (they have no Tabel or Figuur number in it); the
words follow the catalogue's conventions (Dutch as the report writes, complete English).
"""

from __future__ import annotations

import re
import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import to_rgba
from matplotlib.ticker import FuncFormatter, MultipleLocator

from analysis.presentation import formats
from analysis.presentation.labels import outcome_words
from analysis.presentation.model_texts import (
    in_level_order,
    level_label,
    level_order,
    natural_order,
    p_text,
    predictor_label,
    ratio_text,
    said_once,
    term_label,
    translate,
)
from analysis.stats import released
from analysis.stats.models import MIN_GROUP_N, holm, holm_upper_bound
from analysis.stats.survival import SIX_MONTHS

TEXTS: dict[str, tuple[str, str]] = {
    "title_overall": ("Tijd tot {outcome_short} vanaf {origin}: aandeel uitgestroomd",
                      "Time to {outcome_short} from {origin}: share with outflow"),
    "title_group": ("Tijd tot {outcome} vanaf {origin}, naar {group}",
                    "Time to {outcome} from {origin}, by {group}"),
    "y_axis": ("aandeel uitgestroomd", "share with outflow"),
    "x_axis": ("maanden sinds {origin}", "months since {origin}"),
    "one_minus_km": ("uitstroom als niemand vertrok (Kaplan-Meier)", "outflow if nobody had left (Kaplan-Meier)"),
    "cif": ("cumulatieve incidentie", "cumulative incidence"),
    "start": ("de start van het traject", "the start of the programme"),
    "inflow": ("instroom", "inflow"),
    "work": ("werk ({work})", "work ({work})"),  # {work}: the study's own statuses (labels.outcome_words)
    "work_or_education": ("werk of opleiding", "work or education"),
    "work_short": ("werk", "work"),
    "work_or_education_short": ("werk of opleiding", "work or education"),
    # two outcomes in one title: "werk en tot werk of opleiding", never "werk / werk of opleiding" (review 9)
    "outcomes_joined": ("{first} en tot {second}", "{first} and to {second}"),
    "all": ("alle deelnemers", "all participants"),
    # the number at risk: still followed and without an outcome (review 12: "nog zonder uitstroom" ran 28 -> 1 while
    # 8 of 28 had no work at the end; the others were no longer followed)
    "at_risk_caption": ("Aantal nog gevolgd en nog zonder uitkomst per maand sinds {origin}",
                        "Number still followed and without an outcome (at risk) by month since {origin}"),
    # the outcome after the caption, not in brackets (its own label has brackets: "(werk (nieuwe baan ...))", review 12)
    "at_risk_caption_to": ("{caption}, tot {outcome}", "{caption}, to {outcome}"),
    "faint_only": (" (licht: te weinig deelnemers)", " (faint: too few at risk)"),
    "month": ("maand {m}", "month {m}"),
    "not_informative": ("te kleine groep: niet informatief", "group too small: not informative"),
    # short: the section's text says the rule (fewer than five at risk at the last step before six months)
    "few_at_risk": ("laatste stap te klein: niet informatief", "last step too small: not informative"),
    "no_triage": ("zonder triagepad", "no triage path"),
    # the page's numbered tables (T1-T3, apart from the report's numbers and from Figures T1-T6): their
    # headings (a heading, as every other exhibit's, so that print keeps it with its table and the contents
    # and landing page find it), and under each the table's own caption, which says what its rows hold
    "six_months_table": ("Per vertrekpunt, uitkomst en groep: het geschatte aandeel op zes maanden (%), met interval",
                         "By origin, outcome and group: the estimated share at six months (%), with its interval"),
    "logrank_table": ("Per vertrekpunt, uitkomst en indeling: de toetsingsgrootheid, haar vrijheidsgraden, de "
                      "p-waarde, de p-waarde na correctie voor het aantal toetsen (Holm) en de kleinste vergeleken "
                      "groep", "By origin, outcome and grouping: the test statistic, its degrees of freedom, the "
                      "p-value, the p-value adjusted for the number of tests (Holm) and the smallest group "
                      "compared"),
    "cox_table": ("Per vertrekpunt en uitkomst: de hazard ratio van elk niveau t.o.v. zijn referentiegroep",
                  "By origin and outcome: the hazard ratio of each level against its reference group"),
    "six_months_caption": ("Tabel T1. Aandeel uitgestroomd binnen zes maanden naast de 70% van het rapport",
                           "Table T1. Share with outflow within six months beside the report's 70%"),
    "logrank_caption": ("Tabel T2. Log-ranktoetsen: gelijke kans op uitstroom in de tijd tussen de groepen",
                        "Table T2. Log-rank tests: equal hazard of outflow over time across groups"),
    "cox_caption": ("Tabel T3. Cox-model: hazard ratio's van uitstroom",
                    "Table T3. Cox model: hazard ratios of outflow"),
    "release_caption": ("Wat de statistische beveiliging van de curven toelaat",
                        "What disclosure control of the curves allows"),
    "withheld_origin": ("De curven vanaf {origin} worden niet getoond (statistische beveiliging).",
                        "The curves from {origin} are not shown (disclosure control)."),
    "withheld_grouping": ("Curven naar {group} niet getoond (statistische beveiliging).",
                          "Curves by {group} not shown (disclosure control)."),
    "six_months_inside": ("zes maanden valt binnen een samengevoegd interval", "six months lies inside a merged "
                                                                               "interval"),
    "figure": ("Figuur T{number}. {title}", "Figure T{number}. {title}"),
}
HEADERS: dict[str, tuple[str, str]] = {
    "origin": ("vanaf", "from"), "definition": ("uitkomst", "outcome"), "curve": ("groep", "group"),
    "group": ("indeling", "grouping"), "months": ("maanden", "months"),
    "km_one_minus": ("uitstroom als niemand vertrok (%)", "outflow if nobody had left (%)"),
    "km_interval": ("95%-interval, als niemand vertrok (%)", "95% interval, if nobody had left (%)"),
    "cif": ("cumulatieve incidentie (%)", "cumulative incidence (%)"),
    "cif_interval": ("95%-interval cum. incidentie (%)", "95% interval cum. incidence (%)"),
    "report": ("rapport (%)", "report (%)"), "note": ("toelichting", "note"), "chi2": ("chi-kwadraat", "chi-square"),
    "df": ("vrijheidsgraden", "df"), "p_value": ("p-waarde", "p-value"), "term": ("term", "term"),
    "hazard_ratio": ("hazard ratio", "hazard ratio"), "interval": ("95%-BI", "95% CI"),
    "n_risk": ("nog gevolgd, zonder uitkomst", "at risk"),
    "n_risk_last": ("nog gevolgd, zonder uitkomst, bij de laatste stap", "at risk at the last step"),
    "intervals": ("intervallen", "intervals"),
    "groupings": ("getoonde indelingen", "groupings shown"), "withheld": ("niet getoond", "withheld"),
    "six_months": ("zes maanden gepubliceerd", "six months published"),
    # the report's horizon, in the findings and in T1's output name: a duration, never a count
    "horizon": ("zes maanden", "six months"),
    "threshold": ("drempel", "threshold"), "group_n": ("groep (n)", "group (n)"),
    "p_holm": ("p (Holm)", "p (Holm)"), "smallest_n": ("kleinste groep (n)", "smallest group (n)"),
}


def text(key: str, lang: str, **fields) -> str:
    side = 0 if lang == "nl" else 1
    if "{work}" in TEXTS[key][side] and "work" not in fields:  # the study's words, never another study's
        fields["work"] = outcome_words("work", lang)
    return TEXTS[key][side].format(**fields)


def outcomes_title(definitions, lang: str) -> str:
    """The outcomes of one figure in a title: one, or two joined in words (*werk en tot werk of
    opleiding*), never with a slash (review 9: "Tijd tot werk / werk of opleiding")."""
    names = [text(f"{d}_short", lang) for d in definitions]
    if len(names) == 1:
        return names[0]
    return text("outcomes_joined", lang, first=", ".join(names[:-1]), second=names[-1])


def figure_heading(number: int, title: str, lang: str) -> str:
    """A figure's heading on the page: numbered T1, T2, ... apart from the report's own
    Figuur numbers (these exhibits are not in the report)."""
    return text("figure", lang, number=number, title=title)


def _carried(out: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """``out``, a view of ``table`` for the page, with ``table``'s release mark."""
    if released.is_marked(table):
        out.attrs[released.MARK] = table.attrs[released.MARK]
    return out


def header(key: str, lang: str) -> str:
    """A column's header, with a capital as the other tables write them (``p-waarde``, ``df``:
    a symbol keeps its case)."""
    words = HEADERS[key][0 if lang == "nl" else 1]
    return words if words[1:2] in ("-", "", " ") or words == "df" else words[:1].upper() + words[1:]


def curve_label(curve: str, lang: str) -> str:
    """``all``, ``triage=1``, ``opleiding=laag`` as words."""
    if curve == "all":
        words = text("all", lang)
    else:
        group, level = curve.split("=", 1)
        if group == "triage":
            words = text("no_triage", lang) if level == "geen" else \
                ("triagepad " if lang == "nl" else "triage path ") + level
        else:
            words = f"{predictor_label(group, lang)} {level_label(level, lang)}"
    return words[:1].upper() + words[1:]


def origin_label(origin: str, lang: str) -> str:
    """An origin code (``start``, ``inflow``) as the tables write it (*De start van het traject*)."""
    return _upper(text(origin, lang)) if origin in ("start", "inflow") else origin


NOTE_CODES = ("few_at_risk", "six_months_inside", "not_informative")  # the six-month rows' notes, as codes


def note_label(note: object, lang: str) -> object:
    """A note of a time-to-work table in ``lang``, as a download writes it: a code of :data:`NOTE_CODES`
    as its words; each part of another (``; ``) that starts with a note of :data:`TEST_NOTES` in the
    page's words for it (what follows, the statistics module's own note, translated), any other
    phrase by phrase (:func:`~analysis.presentation.model_texts.translate`)."""
    if not isinstance(note, str) or not note:
        return note
    if note in NOTE_CODES:
        return text(note, lang)
    side = 1 if lang == "nl" else 2
    keys = [next((k for k, v in TEST_NOTES.items() if v[side] and part.startswith(v[0])), None)
            for part in note.split("; ")]
    if not any(keys):  # the statistics module's phrases only (a phrase may hold "; ")
        return translate(note, lang)
    return "; ".join(TEST_NOTES[k][side] + str(translate(part[len(TEST_NOTES[k][0]):], lang)) if k
                     else str(translate(part, lang)) for part, k in zip(note.split("; "), keys, strict=True))


def curve_order(curves) -> list[str]:
    """Curve names (``all``, ``triage=2``, ``opleiding=laag``) in the page's order: all first,
    then by grouping as they came, each grouping's levels in the codebook's order
    (:func:`analysis.presentation.model_texts.level_order`: laag, middelbaar, hoog)."""
    names = list(dict.fromkeys(map(str, curves)))
    groups = list(dict.fromkeys(n.split("=", 1)[0] for n in names))
    out = []
    for g in groups:
        mine = [n for n in names if n.split("=", 1)[0] == g]
        if g == "all" or "=" not in mine[0]:
            out += mine
            continue
        levels = natural_order([n.split("=", 1)[1] for n in mine], level_order(g))
        out += [f"{g}={level}" for level in levels]
    return out


def in_curve_order(table: pd.DataFrame, by=("origin", "definition")) -> pd.DataFrame:
    """``table`` with its rows in :func:`curve_order` within each block of ``by`` (kept in
    the order they came), and its release mark."""
    blocks = [c for c in by if c in table.columns]
    if table.empty or "curve" not in table.columns:
        return table
    rank = {name: i for i, name in enumerate(curve_order(table["curve"]))}
    first = {key: i for i, key in enumerate(dict.fromkeys(map(tuple, table[blocks].astype(str).to_numpy())))} \
        if blocks else {}
    keys = [(first.get(tuple(map(str, row[:-1])), 0), rank[str(row[-1])])
            for row in table[[*blocks, "curve"]].to_numpy()]
    order = sorted(range(len(table)), key=lambda i: keys[i])
    return _carried(table.iloc[order].copy(), table)


def _pct(v: object, lang: str) -> str:
    """A share as a whole percentage, as the report prints it (70, not 70,0%; the header says %)."""
    return formats.MISSING if v is None or pd.isna(v) else formats.number(100 * float(v), lang, 0)


def _pct_interval(lo: object, hi: object, lang: str) -> str:
    """An interval of whole percentages; none where it has no width (a group without outflow: 0 - 0)."""
    if lo is None or hi is None or pd.isna(lo) or pd.isna(hi) or float(lo) == float(hi):
        return formats.MISSING
    return f"{_pct(lo, lang)}\u00a0–\u2060\u00a0{_pct(hi, lang)}"


MIN_AT_RISK = 5  # an estimate at six months whose last step rests on fewer persons still at risk is not informative


def with_last_at_risk(six: pd.DataFrame, curves: pd.DataFrame) -> pd.DataFrame:
    """The six-month rows with ``n_risk_last``: the persons still without outflow (at risk) at
    the curve's last step up to six months (an outflow or an exit), the step the estimate rests on, and not
    ``informative`` when they are fewer than :data:`MIN_AT_RISK` (the sixth reviewer: a 100%
    for triage path 3 made by one person's job at 5.4 months, shown as informative beside a
    Cox model and a models page that say that path has less outflow). The at-risk counts are
    those the page shows under each figure; the release's mark stays, with the curves' numbers."""
    if six.empty or curves.empty:
        return six
    moved = pd.to_numeric(curves["events"], errors="coerce").fillna(0) + pd.to_numeric(
        curves.get("competing", 0), errors="coerce").fillna(0)
    # where a curve steps, up to six months: the interval ending at six months is the last (its end is six months
    # exactly, a forced end; a step on day 183 lies after it: the seventh reviewer found "Alle deelnemers" said
    # to rest on 1 person, taken from that later step)
    steps = curves[(curves["end"] <= SIX_MONTHS + 1e-9) & (moved > 0)]
    last = steps.sort_values("end").groupby(["origin", "definition", "curve"], sort=False)["n_risk"].last()
    out = six.copy()
    keys = list(zip(out["origin"], out["definition"], out["curve"], strict=True))
    out["n_risk_last"] = pd.array([last.get(key) for key in keys], dtype="Int64")
    few = (out["n_risk_last"].fillna(MIN_AT_RISK).astype(int) < MIN_AT_RISK).to_numpy()  # no step: nothing to rest on
    said = few & out["informative"].astype(bool).to_numpy() & out["note"].eq("").to_numpy()  # a small group: said so
    out["informative"] = out["informative"].astype(bool) & ~few
    out.loc[said, "note"] = "few_at_risk"
    out = _carried(out, six)
    if released.is_marked(six):
        out.attrs[released.NUMBERS] = released.marked_numbers(six) | released.marked_numbers(curves)
    return out


def six_months_view(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The six-month estimates (:func:`analysis.stats.survival.six_month_rows`) as a page shows them:
    whole percentages, the curves of each block in the codebook's order, the origin and the
    outcome said once per block."""
    table = in_curve_order(table)
    out = pd.DataFrame({
        header("origin", lang): _block_column(table, "origin", ["origin"], lang),
        header("definition", lang): _block_column(table, "definition", ["origin", "definition"], lang),
        header("curve", lang): [curve_label(c, lang) for c in table["curve"]],
        header("group_n", lang): [formats.number(v, lang, 0) for v in table["group_n"]],
        **({header("n_risk_last", lang): [formats.MISSING if pd.isna(v) else formats.number(v, lang, 0)
                                          for v in table["n_risk_last"]]} if "n_risk_last" in table else {}),
        header("km_one_minus", lang): [_pct(v, lang) for v in table["one_minus"]],
        header("km_interval", lang): [_pct_interval(a, b, lang) for a, b in zip(table["one_minus_low"],
                                                                                table["one_minus_high"])],
        header("cif", lang): [_pct(v, lang) for v in table["cif"]],
        header("cif_interval", lang): [_pct_interval(a, b, lang) for a, b in zip(table["cif_low"], table["cif_high"])],
        header("report", lang): [_pct(v, lang) for v in table["report_share"]],
        header("note", lang): [_six_note(n, informative, lang) for n, informative in zip(table["note"],
                                                                                          table["informative"])],
    })
    out.attrs["verbatim_columns"] = tuple(out.columns)
    return _carried(out, table)


def _upper(words: str) -> str:
    return words[:1].upper() + words[1:]


def _block_column(table: pd.DataFrame, column: str, block: list[str], lang: str) -> list[str]:
    """A view's column of ``table``'s ``column`` in words, said once per block of ``block``."""
    keys = [tuple(row) for row in table[block].astype(str).to_numpy()]
    return said_once([text(v, lang)[:1].upper() + text(v, lang)[1:] for v in table[column]], keys)


def _six_note(note: str, informative: bool, lang: str) -> str:
    parts = [text(note, lang)] if note in TEXTS else ([note] if note else [])
    if not informative and note != "few_at_risk":
        parts.append(text("not_informative", lang))
    return "; ".join(parts)


def at_risk_view(curves: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Number at risk at each whole month, curves as rows, as the field prints it under a
    figure. On the published (coarsened) data nobody leaves inside an interval, so the
    number at risk at month m is that at the start of the interval holding m: a function
    of the published counts, whatever the threshold."""
    month = 365.25 / 12
    last = int(np.floor(curves["end"].max() / month))
    rows = {}
    for name in curve_order(curves["curve"]):
        g = curves[curves["curve"].astype(str) == name]
        ends, n_risk = g["end"].to_numpy(), g["n_risk"].to_numpy()
        values = []
        for m in range(last + 1):
            j = np.flatnonzero(ends >= m * month)
            values.append(int(n_risk[j[0]]) if len(j) else 0)
        rows[curve_label(name, lang)] = values
    grid = pd.DataFrame.from_dict(rows, orient="index", columns=[text("month", lang, m=m) for m in range(last + 1)])
    grid.index.name = header("curve", lang)
    grid.attrs["kept_columns"] = tuple(grid.columns)  # a month where nobody is left shows its 0 (styling.KEEP)
    out = _carried(grid, curves)

    if released.is_marked(curves):  # the month labels: a grid of the published ends, no count
        out.attrs[released.NUMBERS] = released.marked_numbers(curves) | {float(m) for m in range(last + 1)}
    return out


# What a log-rank row's note says, in the CSV (English, with the statistics module's own note kept
# after it) and on the page (a reader's words). Tabel T2 showed "Vrijheidsgraden: 2" beside a CSV
# note "variance matrix singular: generalised inverse, df = 2" that the page never showed (issue 26).
SINGULAR = "variance matrix singular: generalised inverse"  # analysis.stats.survival.logrank's note
TEST_NOTES: dict[str, tuple[str, str, str]] = {
    # key: (CSV, Dutch, English)
    # said once under the table on the page (every triage row would repeat it), in every row of the CSV
    "triage_started": ("compares those with a triage path (the never triaged, who never started, are left out)",
                       "", ""),
    "undefined": ("undefined: fewer than two levels or no events",
                  "niet te berekenen: geen groepen om te vergelijken of geen uitstroom",
                  "undefined: no groups to compare or no outflow"),
    "singular": ("a level without expected outflow (nobody of it at risk at any outflow) adds nothing: it is left "
                 "out and the other levels are compared, with fewer degrees of freedom",
                 "een groep zonder verwachte uitstroom is weggelaten (minder vrijheidsgraden)",
                 "a group without expected outflow is left out (fewer degrees of freedom)"),
}


SMALL_GROUP = re.compile(r"smallest group of (\d+) \(< (\d+)\): not informative")


def group_sizes(table: pd.DataFrame, curves: pd.DataFrame, min_group_n: int = MIN_GROUP_N) -> pd.DataFrame:
    """The log-rank rows with ``group_n``, the smallest group each test compares (the persons at
    risk at the first published step of each of its curves; by triage path the never triaged are
    left out, as the test leaves them out: ``release.survival.comparable``), ``informative``
    (``group_n`` at least ``min_group_n``, the models page's rule for its exact tests) and, where
    it is not, a note that says so (review 9: a test of a triage path of one person was shown as
    any other). The sizes are published counts (the curves'); the release's mark stays."""
    if table.empty:
        return table
    first = (curves.sort_values("end").groupby(["origin", "definition", "curve"], sort=False)["n_risk"].first()
             if not curves.empty else pd.Series(dtype=float))
    sizes = []
    for origin, definition, group in zip(table["origin"], table["definition"], table["group"], strict=True):
        of = [int(n) for (o, d, c), n in first.items() if o == origin and d == definition
              and str(c).startswith(f"{group}=") and not (group == "triage" and str(c) == "triage=geen")]
        sizes.append(min(of) if of else None)
    out = table.copy()
    out["group_n"] = pd.array(sizes, dtype="Int64")
    out["informative"] = [n is not None and n >= min_group_n for n in sizes]
    notes = out["note"].fillna("").astype(str).tolist() if "note" in out else [""] * len(out)
    out["note"] = [("; ".join(p for p in (note, f"smallest group of {n} (< {min_group_n}): not informative")
                             if p) if n is not None and n < min_group_n else note) for note, n in zip(notes, sizes)]
    return _carried(out, table)


def with_holm(table: pd.DataFrame) -> pd.DataFrame:
    """The log-rank rows with ``p_holm``, the p-values adjusted for the number of tests on the
    page (Holm, as the models page's ``p_holm``: every defined p-value of the table one family),
    and ``p_holm_upper_bound`` where the adjusted value is only a bound (review 9: Tabel T2 had
    no such column while the findings adjusted)."""
    if table.empty:
        return table
    out = table.copy()
    p = pd.to_numeric(out["p_value"], errors="coerce").to_numpy(dtype=float)
    bound = out["p_upper_bound"].fillna(False).astype(bool).to_numpy() if "p_upper_bound" in out \
        else np.zeros(len(out), dtype=bool)
    out["p_holm"] = holm(p)
    out["p_holm_upper_bound"] = holm_upper_bound(p, bound)
    return _carried(out, table)


def with_test_notes(table: pd.DataFrame) -> pd.DataFrame:
    """The log-rank rows with a note that says what each test compares: by triage path only
    those with one (``release.survival.comparable``), and, where the statistics module found
    the variance singular, that a level without expected outflow was left out (its own note
    kept after it). The CSV's note is then the page's, in English. The release's mark stays."""
    if table.empty:
        return table
    out = table.copy()
    notes = []
    for group, note in zip(out["group"], out["note"].fillna("").astype(str)):
        parts = [TEST_NOTES["triage_started"][0]] if group == "triage" else []
        if note.startswith(SINGULAR):
            parts.append(f"{TEST_NOTES['singular'][0]} ({note})")
        elif note:
            parts.append(note)
        notes.append("; ".join(parts))
    out["note"] = notes
    return out


def _test_note(note: object, lang: str) -> str:
    """A row's note (:func:`with_test_notes`) in the page's words."""
    side = 1 if lang == "nl" else 2
    parts = []
    for part in str(note or "").split("; "):
        key = next((k for k, v in TEST_NOTES.items() if part.startswith(v[0])), None)
        if SMALL_GROUP.fullmatch(part):  # the smallest group's size is in its own column: Tabel T1's words
            parts.append(text("not_informative", lang))
        elif key:  # said in the page's words (or once under the table: no words here)
            parts += [TEST_NOTES[key][side]] if TEST_NOTES[key][side] else []
        elif part and not part.startswith(SINGULAR):
            parts.append(part)
    return _upper("; ".join(parts)) if parts else ""


def tests_view(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    out = pd.DataFrame({
        header("origin", lang): _block_column(table, "origin", ["origin"], lang),
        header("definition", lang): _block_column(table, "definition", ["origin", "definition"], lang),
        header("group", lang): [_upper(predictor_label(g, lang)) for g in table["group"]],
        header("chi2", lang): [formats.number(v, lang, 2) for v in table["chi2"]],
        header("df", lang): [formats.MISSING if pd.isna(v) else formats.number(v, lang, 0) for v in table["df"]],
        header("p_value", lang): [p_text(p, b, lang) for p, b in zip(table["p_value"], table["p_upper_bound"])],
        **({header("p_holm", lang): [p_text(p, b, lang) for p, b in zip(table["p_holm"],
                                                                       table["p_holm_upper_bound"])]}
           if "p_holm" in table else {}),
        **({header("smallest_n", lang): [formats.MISSING if pd.isna(v) else formats.number(v, lang, 0)
                                         for v in table["group_n"]]} if "group_n" in table else {}),
        header("note", lang): [_test_note(n, lang) for n in table.get("note", pd.Series("", index=table.index))],
    })
    out.attrs["verbatim_columns"] = tuple(out.columns)
    out.attrs["kept_columns"] = (header("df", lang),)  # the sentence under the table says what it is
    return _carried(out, table)


TESTS_EXPLAINED = {
    "nl": ("**Wat Tabel T2 toetst.** Elke toets vergelijkt de groepen van één indeling: de triagepaden of de "
           "opleidingsniveaus. De vrijheidsgraden zijn het aantal vergeleken groepen min één. Naar triagepad tellen "
           "alleen deelnemers mee die een triagepad kregen: wie nooit een triagepad kreeg, is nooit aan het traject "
           "begonnen en kan vanaf de instroom geen uitstroom bereiken. Als eigen groep zou die de toets veranderen in "
           "een vergelijking van wie begon met wie nooit begon, en de variantiematrix van de toets onbruikbaar "
           "(singulier) maken; daarom staat die groep er niet in, net als in het Cox-model (Tabel T3)."),
    "en": ("**What Table T2 tests.** Each test compares the groups of one grouping: the triage paths or the levels "
           "of education. The degrees of freedom are the number of groups compared minus one. By triage path only "
           "participants who were given a triage path count: whoever was never given one never started the "
           "programme and cannot reach outflow from inflow. As a group of its own it would turn the test into a "
           "comparison of those who started with those who never did, and make the test's variance matrix unusable "
           "(singular); it is therefore left out, as in the Cox model (Table T3)."),
}
SINGULAR_EXPLAINED = {
    "nl": (" Bij de rijen met de opmerking *een groep zonder verwachte uitstroom is weggelaten* had een groep op "
           "geen enkel moment van uitstroom nog iemand die kon uitstromen; zo'n groep draagt niets bij aan de toets. "
           "De toets vergelijkt dan alleen de andere groepen (met een gegeneraliseerde inverse van de "
           "variantiematrix), met zoveel vrijheidsgraden minder als er groepen zijn weggelaten, en zegt niets over "
           "de weggelaten groep."),
    "en": (" In the rows noting *a group without expected outflow is left out*, a group had no one left who could "
           "reach outflow at any moment of outflow; such a group adds nothing to the test. The test then compares "
           "the other groups only (with a generalised inverse of the variance matrix), with as many degrees of "
           "freedom fewer as groups were left out, and says nothing about the group left out."),
}


def tests_explained(table: pd.DataFrame, lang: str) -> str:
    """The sentence under Tabel T2: what each test compares, what its degrees of freedom are,
    why the never triaged are left out, and (where a row says so) what a singular variance
    matrix meant for the test. Names no number (a count of groups is a count on a private run)."""
    singular = table.get("note", pd.Series(dtype=object)).fillna("").astype(str).str.contains(
        TEST_NOTES["singular"][0], regex=False).any()
    return TESTS_EXPLAINED[lang] + (SINGULAR_EXPLAINED[lang] if singular else "")


def _against(term: str, reference: object, lang: str) -> str:
    """A Cox term with the group its hazard ratio is compared with (*triagepad 3 t.o.v. 2*)."""
    if reference is None or (not isinstance(reference, str) and pd.isna(reference)) or str(reference) == "":
        return term_label(term, lang)
    return f"{term_label(term, lang)} {'t.o.v.' if lang == 'nl' else 'vs.'} {level_label(str(reference), lang)}"


def cox_view(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The Cox model's hazard ratios as a page shows them: the terms of each predictor in the
    codebook's level order, the origin and outcome said once per block."""
    table = _carried(in_level_order(table).reset_index(drop=True), table)

    out = pd.DataFrame({
        header("origin", lang): _block_column(table, "origin", ["origin"], lang),
        header("definition", lang): _block_column(table, "definition", ["origin", "definition"], lang),
        header("term", lang): [_upper(_against(t, r, lang)) for t, r in zip(table["term"], table.get(
            "reference", [None] * len(table)))],
        header("hazard_ratio", lang): [ratio_text(v, lang) for v in table["estimate"]],
        header("interval", lang): [formats.MISSING if pd.isna(a) else
                                   f"{ratio_text(a, lang)}\u00a0–\u2060\u00a0{ratio_text(b, lang)}"
                                   for a, b in zip(table["ci_low"], table["ci_high"])],
        header("p_value", lang): [p_text(p, b, lang) for p, b in zip(table["p_value"], table["p_upper_bound"])],
        header("group_n", lang): [formats.number(v, lang, 0) for v in table["group_n"]],
        header("note", lang): [translate(n, lang) for n in table["note"]],
    })
    out.attrs["verbatim_columns"] = tuple(out.columns)
    return _carried(out, table)


BAND_HATCHES = ("////", "\\\\\\\\", "....", "xxxx", "----", "||||")  # one per series: the bands differ without colour


def _steps_only(g: pd.DataFrame) -> pd.DataFrame:
    """A curve's rows where it steps (its value, band or cumulative incidence changes) and its
    last row: the curves share the published interval ends, so a curve had a row, and a marker,
    at every end of every other curve (the sixth reviewer: a group of one drawn with some 25
    symbols, read as 25 observations). The step drawn is the same."""
    cols = [c for c in ("one_minus", "one_minus_low", "one_minus_high", "cif") if c in g.columns]
    values = g[cols].astype(float).fillna(-1.0)
    changed = values.ne(values.shift()).any(axis=1)
    changed.iloc[-1:] = True
    return g[changed.to_numpy()]


BAND_HATCH_TINT = 0.45  # a band's hatch lines: this share of the line's colour, the rest white


def tint(color, share: float) -> tuple[float, float, float, float]:
    """``color`` mixed with white, ``share`` of it the colour: an opaque light version of it (an
    opacity would be lost in print where the colour fills a pattern)."""
    r, g, b, _ = to_rgba(color)
    return (1 - share * (1 - r), 1 - share * (1 - g), 1 - share * (1 - b), 1.0)


TAIL_ALPHA = 0.35  # the opacity of a curve's steps on fewer than MIN_AT_RISK persons at risk


def tail_start(g: pd.DataFrame) -> int:
    """The position, among a curve's drawn points (a point at 0 first, then one per row of
    ``g``), from which its steps rest on fewer than :data:`MIN_AT_RISK` persons at risk: the
    point before the first such row; the number of rows (nothing faint) when there is none."""
    if "n_risk" not in g.columns:  # a curve without its numbers at risk: drawn whole
        return len(g)
    few = (g["n_risk"].astype(float) < MIN_AT_RISK).to_numpy()
    return int(np.argmax(few)) if few.any() else len(g)


LEGEND_CHARS = 64  # a legend entry's line at 9 points on a 5.5-inch figure (about 80 characters, less the symbol)


def legend_label(label: str) -> str:
    """A curve's legend entry broken into lines that fit the figure's width (review 12: the figures
    drawn at 5.5 inches with 9-point text; one line of *Triagepad 1, uitstroom als niemand vertrokken
    was ...* ran past the canvas)."""
    return textwrap.fill(label, LEGEND_CHARS, break_long_words=False)


def _band(ax, x, lo, hi, color, hatch: str) -> None:
    """A curve's pointwise band: the line's colour, lightly, and a hatch of its own, so that
    overlapping bands stay apart in greyscale and for readers who do not see colour. Drawn as
    two layers (review 8): a translucent plain face, and the hatch alone in an opaque light
    tint of the colour. One hatched face with an opacity is a pattern fill with fill-opacity in
    the SVG, which Chromium's print to PDF drew at full opacity: solid blocks that hid the curves."""
    ax.fill_between(x, lo, hi, step="post", facecolor=to_rgba(color, 0.10), lw=0)
    ax.fill_between(x, lo, hi, step="post", facecolor="none", edgecolor=tint(color, BAND_HATCH_TINT), hatch=hatch, lw=0)


def curve_figure(curves: pd.DataFrame, title: str, lang: str, origin: str, series: str = "curve",
                 with_cif: bool = False):
    """Published curves as steps: 1 - KM (the share with outflow if nobody left) with its
    pointwise band, one line per value of ``series``; with ``with_cif`` the cumulative
    incidence (dashed) beside it. x: months since the origin; the steps fall at the
    published interval ends only."""
    # plots loads seaborn, unused by the runner's pages
    from analysis.presentation.plots import SMALL, WIDTH, series_style

    # the bar figures' width and text size: 8 px text on a phone (review 12: 5-6 px at 7 inches and 8 points)
    fig, ax = plt.subplots(figsize=(WIDTH, 4.4))
    names = curve_order(curves[series]) if series == "curve" else list(dict.fromkeys(curves[series]))
    for i, (name, g) in enumerate((n, _steps_only(curves[curves[series] == n])) for n in names):
        # the colour plots.finish gives this series' 1 - KM line (the lines are styled in the order drawn),
        # so that its band has the line's colour
        color = series_style(2 * i if with_cif else i)["color"]
        x = np.concatenate([[0.0], g["end"].to_numpy() / (365.25 / 12)])
        y = np.concatenate([[0.0], g["one_minus"].to_numpy()])
        lo = np.concatenate([[0.0], g["one_minus_low"].fillna(g["one_minus"]).to_numpy()])
        hi = np.concatenate([[0.0], g["one_minus_high"].fillna(g["one_minus"]).to_numpy()])
        # review 7: the curves rose to 100% at their last step, on one person still at risk. A step that rests
        # on fewer than MIN_AT_RISK persons (the rule of Tabel T1) is drawn faint and without its band
        cut = tail_start(g)
        name_text = curve_label(name, lang) if series == "curve" else text(f"{name}_short", lang)
        # a step rises at the end of its interval: hold the previous value until then
        # a curve faint from its start (review 12: triage path one, one person, a dark legend entry beside a faint
        # line) is faint in the legend too, and says why
        faint = {"alpha": TAIL_ALPHA} if cut == 0 else {}
        ax.step(x[:cut + 1], y[:cut + 1], where="post", color=color, lw=1.6, **faint,
                label=legend_label(f"{name_text}, {text('one_minus_km', lang)}"
                                   + (text("faint_only", lang) if faint else "")))
        _band(ax, x[:cut + 1], lo[:cut + 1], hi[:cut + 1], color, BAND_HATCHES[i % len(BAND_HATCHES)])
        cif = np.concatenate([[0.0], g["cif"].to_numpy()]) if with_cif else None
        if with_cif:
            ax.step(x[:cut + 1], cif[:cut + 1], where="post", color=color, lw=1.2, ls="--", **faint,
                    label=legend_label(f"{name_text}, {text('cif', lang)}"
                                       + (text("faint_only", lang) if faint else "")))
        if cut < len(x) - 1:  # the tail, unlabelled (plots.finish styles labelled lines only)
            ax.step(x[cut:], y[cut:], where="post", color=to_rgba(color, TAIL_ALPHA), lw=1.2)
            if with_cif:
                ax.step(x[cut:], cif[cut:], where="post", color=to_rgba(series_style(2 * i + 1)["color"], TAIL_ALPHA),
                        lw=1.0, ls="--")
    ax.axvline(6, color="grey", lw=0.8, ls=":")
    ax.set_ylim(0, 1.02)  # drawn on the table's scale (a share), labelled in percent as the tables print it
    ax.yaxis.set_major_locator(MultipleLocator(0.2))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: formats.number(100 * v, lang, 0)))
    ax.set_xlim(left=0)
    ax.set_ylabel(text("y_axis", lang) + " (%)")
    ax.set_xlabel(text("x_axis", lang, origin=text(origin, lang)))
    # under the axes, so that it covers no curve or band (plots.finish redraws it at the same place; one
    # beside the axes would take the curves' width)
    ax.legend(frameon=False, fontsize=SMALL, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=1)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig
