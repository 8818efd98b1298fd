"""Which levels of a predictor a model has: its reference level, and the level that models
leave out (participants never triaged). Light on purpose (no statsmodels): the output gate
uses it to list a model's terms over the levels the release protects."""

from __future__ import annotations

from collections.abc import Iterable

REFERENCE = {"triage": "2", "opleiding": "laag", "leeftijd": "t/m 45", "dienstjaren": "t/m 10"}
UNMODELLED = {"triage": "geen"}  # rows with this level are dropped before a model (no triage path)


def reference_level(predictor: str, levels: Iterable[str]) -> str:
    """The reference level among ``levels``: :data:`REFERENCE`'s where present, else the first."""
    levels = sorted(levels)
    ref = REFERENCE.get(predictor, levels[0])
    return ref if ref in levels else levels[0]


def term_levels(predictor: str, levels: Iterable[str]) -> list[str]:
    """The levels that get a term (a dummy) in a model of ``predictor`` with these levels:
    all but the reference and the unmodelled one, in the order the design writes them."""
    kept = [lev for lev in levels if lev != UNMODELLED.get(predictor)]
    if not kept:
        return []
    ref = reference_level(predictor, kept)
    return [lev for lev in sorted(kept) if lev != ref]
