"""A declared exhibit's figure, drawn one way for every caller: the participants notebook
draws its figures with :func:`draw`, and ``inspect --check`` draws the same figures from the
file it checks with it, so that a table its drawing cannot take fails the check, not the
report (newpilot2's F4: Figuur 11 of a service never recorded is a table of two columns, the
count of those who received it and ``onbekend``)."""

from __future__ import annotations

import pandas as pd

from analysis.presentation import formats, plots
from analysis.presentation.labels import label

DRAWINGS = {"grouped": plots.grouped_counts, "bars": plots.bar_counts}  # an exhibit's drawing -> its function
# a one-way table whose shown counts add up to more than its n counts persons in several rows (Figuur 11: services,
# 110 of 30 persons; review 12: the figure never said so)
SEVERAL = {"nl": "Deelnemers kunnen in meerdere staven tellen: samen tellen de staven op tot meer dan n.",
           "en": "Participants can count in several bars: together the bars add up to more than n."}
NOT_RECORDED = {"nl": "Niet geregistreerd (onbekend), niet geteld als niet ontvangen: {items}.",
                "en": "Not recorded (unknown), not counted as not received: {items}."}


def bars_and_notes(drawn, lang: str = "nl") -> tuple[pd.Series, tuple[str, ...]]:
    """What one bar per row draws of ``drawn``: its first column (the count), and for every
    further column (``onbekend``: persons for whom the row's item was not recorded) a note
    under the figure naming each row's count in it (withheld: ``x``); a row's ``onbekend``
    is never drawn as, nor added to, its count. A series is drawn as it is."""
    if getattr(drawn, "ndim", 1) == 1:
        return drawn, ()
    counts, notes = drawn.iloc[:, 0], []
    for column in drawn.columns[1:]:
        values = drawn[column]
        items = [f"{label(row, lang)} {'x' if pd.isna(v) else formats.number(v, lang)}"
                 for row, v in values.items() if pd.isna(v) or v]
        if items and str(column) == "onbekend":
            notes.append(NOT_RECORDED[lang].format(items="; ".join(items)))
        elif items:
            notes.append(f"{label(column, lang)}: {'; '.join(items)}.")
    return counts, tuple(notes)


def several(counts: pd.Series, n: int | None) -> bool:
    """Whether the shown counts of one bar per row add up to more than ``n`` (persons in several rows)."""
    return n is not None and float(pd.to_numeric(counts, errors="coerce").sum()) > n


def draw(exhibit, drawn, title: str, lang: str = "nl", watermark: str | None = None, **kw):
    """The figure of ``exhibit`` (:class:`~analysis.study.exhibits.Exhibit`, its declared
    ``drawing``) from ``drawn`` (its counts without totals); ``bars`` draws
    :func:`bars_and_notes`. ``kw``: the drawing's source, n and threshold."""
    if exhibit.drawing not in DRAWINGS:
        raise ValueError(f"{exhibit.label('en')} ({exhibit.name}): drawing {exhibit.drawing!r} is not drawn from "
                         f"release cells; drawn here: {sorted(DRAWINGS)}")
    if exhibit.drawing == "bars":
        drawn, notes = bars_and_notes(drawn, lang)
        notes = (*notes, SEVERAL[lang]) if several(drawn, kw.get("n")) else notes
        kw = {**kw, "notes": (*kw.get("notes", ()), *notes)}
    try:
        return DRAWINGS[exhibit.drawing](drawn, title, lang, watermark, **kw)
    except Exception as err:  # noqa: BLE001 -- named with its exhibit: the loop's cell draws every figure
        raise ValueError(f"{exhibit.label('en')} ({exhibit.name}), drawn as {exhibit.drawing}: "
                         f"{type(err).__name__}: {err}") from err
