"""What notebook 02 says beside Figures 7-13 after disclosure control: whether what is left of
a figure says anything (:func:`informative`: at least two visible non-zero cells, and no more
hidden cells than visible ones), the sentence that replaces a figure that says nothing, and
the caption of a figure's table. The figures themselves are declared in the study's exhibits
file and drawn by :mod:`analysis.presentation.plots` from the release's tables.
"""

from __future__ import annotations

import pandas as pd

from analysis.presentation import titles

Counts = pd.DataFrame | pd.Series

NOTHING_LEFT = {
    # the rule of :func:`informative` in words: counts may remain (the table below shows them), too few for a figure
    "nl": "**{number} is weggelaten.** Bij drempel {k} blijven na bescherming te weinig aantallen zichtbaar om een "
          "figuur te tekenen{merged}; de tabel hieronder toont de aantallen die wel gepubliceerd kunnen worden.",
    "en": "**{number} is left out.** At threshold {k}, too few counts remain visible after protection to draw a "
          "figure{merged}; the table below shows the counts that can be published.",
}
# the second and later figure a page leaves out: the reason is given once, at the first (review 9: the 16 April
# page gave the same 40 words under six figures)
LEFT_OUT_AGAIN = {
    "nl": "**{number} is weggelaten**, om dezelfde reden (drempel {k}); de tabel hieronder toont de aantallen die wel "
          "gepubliceerd kunnen worden.",
    "en": "**{number} is left out** for the same reason (threshold {k}); the table below shows the counts that can be "
          "published.",
}


def left_out(number: str, lang: str, k: int, first: bool) -> str:
    """The sentence that replaces a figure the page leaves out: the reason in full at the first
    such figure of a page, a short reference to it at every later one."""
    return (NOTHING_LEFT if first else LEFT_OUT_AGAIN)[lang].format(number=number, k=k, merged="")


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
