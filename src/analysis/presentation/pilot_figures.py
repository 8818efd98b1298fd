"""Figures 7-13 of the pilot report after disclosure control, as a reviewer can read them.

:func:`build` protects a figure's counts (``stats.disclosure.protect``); when what is left
says nothing (fewer than two visible non-zero cells, or more hidden cells than visible
ones) it merges categories step by step (age 45 or younger / older, same / other sector,
...) and protects again, and when no step helps it gives a sentence instead of a plot.
Merging happens on the unprotected counts, so the merged table is protected like any
other; the footer of a merged figure says that categories were merged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from analysis.pilot import schema as ps
from analysis.presentation import plots, titles
from analysis.stats import disclosure

Counts = pd.DataFrame | pd.Series


def _merge(mapping: dict[str, str], axis: str = "index") -> Callable[[Counts], Counts]:
    """A step that sums the categories ``mapping`` sends to the same code (others kept)."""
    def step(counts: Counts) -> Counts:
        if axis == "columns":
            return _merge(mapping)(counts.T).T
        keys = [mapping.get(k, k) for k in counts.index]
        out = counts.groupby(keys, sort=False).sum()
        out.index.name = counts.index.name
        if isinstance(counts, pd.DataFrame):
            out.columns.name = counts.columns.name
        return out
    return step


def _margin(counts: Counts) -> Counts:
    """Drop the rows of a two-way table: its column totals as one series."""
    out = counts.sum(axis=0) if isinstance(counts, pd.DataFrame) else counts
    out.name = "aantal"
    return out


AGE_2 = {"t/m 35": "t/m 45", "36-45": "t/m 45", "46-55": "46+", "56+": "46+"}
STEPS: dict[str, list[Callable[[Counts], Counts]]] = {
    "figuur_07_opleiding_leeftijd": [
        _merge(AGE_2, "columns"),
        lambda c: _merge({"middelbaar": "laag_middelbaar", "laag": "laag_middelbaar"})(_merge(AGE_2, "columns")(c)),
        lambda c: _margin(_merge(AGE_2, "columns")(c)),
    ],
    "figuur_08_dienstjaren": [_merge({"t/m 5 jaar": "t/m 10 jaar", "5-10 jaar": "t/m 10 jaar",
                                      "10-20 jaar": "meer dan 10 jaar", "meer dan 20 jaar": "meer dan 10 jaar"})],
    "figuur_10_triage": [_merge({"triage_1": "triage_1_2", "triage_2": "triage_1_2"}),
                         _merge({"triage_1": "triage_1_2", "triage_2": "triage_1_2", "triage_3": "triage_3_geen",
                                 "geen_triage": "triage_3_geen"})],
    "figuur_12_uitstroom": [
        _merge({**dict.fromkeys(ps.WORK_STATUSES, "werk"),
                **dict.fromkeys(("opleiding", "in_bemiddeling"), "opleiding_bemiddeling"),
                **dict.fromkeys(("oude_werkgever", "gestopt", "niet_gestart"), "uitgevallen")}),
        _merge({s: "werk" if s in ps.WORK_STATUSES else "geen_werk" for s in ps.STATUSES}),
    ],
    "figuur_13_uitstroom_sector": [_merge({s: s if s == ps.SAME_SECTOR else "andere_sector" for s in ps.SECTORS})],
}
MERGED = {"nl": "Categorieën samengevoegd wegens onthullingsbeheersing.",
          "en": "Categories merged for disclosure control."}
NOTHING_LEFT = {
    "nl": "**{number} is weggelaten.** Bij drempel {k} laat onthullingsbeheersing geen aantal over dat iets "
          "zegt{merged}.",
    "en": "**{number} is left out.** At threshold {k}, disclosure control leaves no count that says anything{merged}.",
}
EVEN_MERGED = {"nl": ", ook niet na het samenvoegen van categorieën", "en": ", even after merging categories"}
CAPTION = {"nl": "Aantallen personen bij {number} (x = onderdrukt: minder dan {k} of af te leiden)",
           "en": "Numbers of persons behind {number} (x = suppressed: fewer than {k} or derivable)"}


PLAIN_CAPTION = {"nl": "Aantallen personen bij {number}", "en": "Numbers of persons behind {number}"}


def table_caption(name: str, lang: str, k: int, table: Counts | None = None) -> str:
    """The caption of a figure's table; the meaning of ``x`` only where a cell is hidden."""
    hidden = table is None or pd.DataFrame(table).isna().to_numpy().any()
    return (CAPTION if hidden else PLAIN_CAPTION)[lang].format(number=titles.number(name, lang), k=k)


def informative(protected: Counts) -> bool:
    """At least two visible non-zero cells, and no more hidden cells than visible ones."""
    v = pd.DataFrame(protected).apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    hidden = int(pd.isna(v).sum())
    visible = int(((~pd.isna(v)) & (v > 0)).sum())
    return visible >= 2 and hidden <= visible


def protect_informatively(name: str, counts: Counts, k: int) -> tuple[Counts, Counts, bool]:
    """``(counts, protected, merged)``: the first of the original and its merge steps whose
    protected table is :func:`informative`; the last one tried when none is."""
    candidates = [counts] + [step(counts) for step in STEPS.get(name, [])]
    for i, c in enumerate(candidates):
        protected = disclosure.protect(c, k)
        if informative(protected):
            return c, protected, i > 0
    return c, protected, len(candidates) > 1


@dataclass
class PilotFigure:
    name: str
    counts: Counts  # unprotected, after any merge (never published)
    protected: Counts  # what the figure and table show
    merged: bool
    figure: object | None  # matplotlib Figure, or None when nothing can be shown
    sentence: str | None  # shown instead of an empty figure


def persons(name: str, participants: pd.DataFrame, counts: Counts, cutoff: str) -> int:
    """n under a figure: the persons it counts. Figuur 11 counts services (several per
    person), so its n is the persons considered: at 1 April without the three who moved
    into work by 16 April (as ``pilot.tables.services``)."""
    if name == "figuur_11_dienstverlening":
        if cutoff == "2021-04-16":
            return len(participants)
        return int((participants["status_20210401"] == participants["status_20210416"]).sum())
    return int(pd.DataFrame(counts).to_numpy().sum())


def build(name: str, counts: Counts, participants: pd.DataFrame, k: int, lang: str, cutoff: str,
          mark: str | None = None, synthetic: bool = True) -> PilotFigure:
    """Protect, merge where needed, and draw Figure ``name`` (see the module docstring)."""
    counts, protected, merged = protect_informatively(name, counts, k)
    title = titles.title(name, lang, cutoff if name >= "figuur_11" else None)
    if not informative(protected):
        sentence = NOTHING_LEFT[lang].format(number=titles.number(name, lang), k=k,
                                             merged=EVEN_MERGED[lang] if name in STEPS else "")
        return PilotFigure(name, counts, protected, merged, None, sentence)
    kw = dict(source=titles.source("pilot_synthetic" if synthetic else "pilot", lang),
              n=persons(name, participants, counts, cutoff), threshold=k, notes=(MERGED[lang],) if merged else ())
    if isinstance(protected, pd.DataFrame):
        fig = plots.grouped_counts(protected, title, lang, mark, **kw)
    else:
        fig = plots.bar_counts(protected, title, lang, mark, **kw)
    return PilotFigure(name, counts, protected, merged, fig, None)
