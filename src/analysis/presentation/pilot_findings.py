"""The participants page's findings in words (notebook 02): what each figure shows, first.

For every exhibit of the page, one sentence from its released table: the largest group the
table shows, with its count and, when the table's total is shown, its share (*nieuwe baan:
15 van de 30, 50%*), every one of equal largest counts (a tie is never one group); an exhibit
whose figure the page omits (too few counts left visible, ``pilot_figures.informative``) says
so, and still names the largest group its table shows. The
numbers are the released table's own (a share is one shown count of another shown count), so
``run.say`` accepts them on a private run. "The largest group shown", never "the largest
group": a withheld cell may be derivable rather than small, and so larger.

Written by hand: the sentences are the page's text; the numbers come from the release.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from analysis.presentation import formats
from analysis.presentation.labels import label
from analysis.presentation.model_findings import NUMBER_WORDS, missing, percent
from analysis.presentation.model_texts import PREDICTORS, predictor_label
from analysis.presentation.pilot_figures import informative
from analysis.study.exhibits import without_totals

TEXT = {
    "nl": {
        "lead": "**Bevindingen.**",
        "largest": "{exhibit}, {title}: de grootste getoonde groep is *{group}*, {count}{hidden}.",
        "hidden": "; een onderdrukte groep kan groter zijn",
        "largest_unnamed": "{exhibit}, {title}: de grootste getoonde groep telt {count}; de tabel noemt haar.",
        "largest_tied": "{exhibit}, {title}: de grootste getoonde groepen zijn {groups}, elk {count}.",
        "omitted_shown": "{exhibit}, {title}, is weggelaten: na bescherming (drempel {k}) blijven te weinig "
                         "aantallen zichtbaar voor een figuur; de tabel toont als grootste groep *{group}*, {count}.",
        "omitted": "{exhibit}, {title}, is weggelaten: na bescherming (drempel {k}) blijven te weinig aantallen "
                   "zichtbaar voor een figuur; de tabel toont de aantallen die wel gepubliceerd kunnen worden.",
        "and": "en",
        "of_total": "{n} van de {total} ({share})",
        "persons": "{n} personen",
        "one_person": "1 persoon",
        "nothing": "{exhibit}, {title}, is weggelaten: na bescherming (drempel {k}) blijft geen aantal zichtbaar.",
        "withheld": "Een aantal dat ontbreekt, is beschermd: het telt minder dan {k} personen of is uit andere "
                    "aantallen af te leiden.",
    },
    "en": {
        "lead": "**Findings.**",
        "largest": "{exhibit}, {title}: the largest group shown is *{group}*, {count}{hidden}.",
        "hidden": "; a suppressed group may be larger",
        "largest_unnamed": "{exhibit}, {title}: the largest group shown counts {count}; the table names it.",
        "largest_tied": "{exhibit}, {title}: the largest groups shown are {groups}, {count} each.",
        "omitted_shown": "{exhibit}, {title}, is left out: after protection (threshold {k}) too few counts remain "
                         "visible for a figure; the largest group its table shows is *{group}*, {count}.",
        "omitted": "{exhibit}, {title}, is left out: after protection (threshold {k}) too few counts remain visible "
                   "for a figure; its table shows the counts that can be published.",
        "and": "and",
        "of_total": "{n} of the {total} ({share})",
        "persons": "{n} persons",
        "one_person": "1 person",
        "nothing": "{exhibit}, {title}, is left out: after protection (threshold {k}) no count remains visible.",
        "withheld": "A missing count is protected: it counts fewer than {k} persons or can be derived from other "
                    "counts.",
    },
}


@dataclass(frozen=True)
class Shown:
    """One exhibit as its page shows it: ``Figuur 12``, its title, the released table (with its
    total row and column when it has them; a withheld cell is missing) and the total's code."""

    label: str
    title: str
    table: pd.Series | pd.DataFrame
    total: str = "totaal"


def groups_and_total(shown: Shown) -> tuple[pd.Series, object]:
    """The counts by group (a two-way table: its total column, by row) and the shown total
    (missing when there is none or it is withheld)."""
    table = shown.table
    if isinstance(table, pd.DataFrame):
        if shown.total in table.columns:
            table = table[shown.total]
        elif table.shape[1] == 1:
            table = table.iloc[:, 0]
        else:
            return pd.Series(dtype="float64"), None
    total = table.get(shown.total) if shown.total in table.index else None
    return table.drop(shown.total, errors="ignore"), total


def _count(n: int, total: object, lang: str) -> str:
    t = TEXT[lang]
    if missing(total) or total is None or float(total) <= 0:
        return t["one_person"] if n == 1 else t["persons"].format(n=formats.number(n, lang, 0))
    return t["of_total"].format(n=formats.number(n, lang, 0), total=formats.number(float(total), lang, 0),
                                share=percent(n / float(total), lang))


def exhibit_sentence(shown: Shown, lang: str, k: int, digits: bool = True) -> str:
    """One exhibit's sentence (see the module); ``digits``: whether a group's label may carry
    digits (synthetic data; see :func:`group_words`)."""
    t = TEXT[lang]
    groups, total = groups_and_total(shown)
    counts = pd.to_numeric(groups, errors="coerce").dropna()
    counts = counts[counts > 0]
    title = shown.title[:1].lower() + shown.title[1:] if shown.title[1:2].islower() else shown.title
    if counts.empty:
        return t["nothing"].format(exhibit=shown.label, title=title, k=k)
    top = [code for code, n in counts.items() if n == counts.max()]  # equal counts: every one, in the table's order
    names = [group_words(code, lang, digits) for code in top]
    count = _count(int(counts.max()), total, lang)
    if not informative(without_totals(shown.table, shown.total)):  # as the page omits the figure, keeping its table
        if len(top) > 1 or names[0] is None:
            return t["omitted"].format(exhibit=shown.label, title=title, k=k)
        return t["omitted_shown"].format(exhibit=shown.label, title=title, k=k, group=names[0], count=count)
    if None in names:
        return t["largest_unnamed"].format(exhibit=shown.label, title=title, count=count)
    if len(top) > 1:
        listed = ", ".join(f"*{n}*" for n in names[:-1]) + f" {t['and']} *{names[-1]}*"
        return t["largest_tied"].format(exhibit=shown.label, title=title, groups=listed, count=count)
    # a withheld cell may be derivable rather than small (16 April: Coaching, 27, hidden beside Talentenscan, 18)
    values = pd.to_numeric(groups, errors="coerce")
    room = float("inf") if missing(total) or total is None else float(total) - float(values.sum())  # the hidden ones
    hidden = t["hidden"] if values.isna().any() and room > counts.max() else ""
    return t["largest"].format(exhibit=shown.label, title=title, group=names[0], count=count, hidden=hidden)


_NUMBERED_LEVEL = re.compile(r"(?P<variable>[a-z]+)_(?P<level>\d)")


def group_words(code: object, lang: str, digits: bool = True) -> str | None:
    """A group's label as a sentence names it. A numbered level of a predictor is said as the
    models page says it (*triagepad drie*, ``model_findings.level_words``), never as a count. A
    private run's sentence may carry only published numbers, so with ``digits`` False a label
    with other digits in it (*t/m 5 jaar*) is not named (None): the table beside names it."""
    numbered = _NUMBERED_LEVEL.fullmatch(str(code))
    if numbered and numbered["variable"] in PREDICTORS:
        return f"{predictor_label(numbered['variable'], lang)} {NUMBER_WORDS[lang][int(numbered['level'])]}"
    text = label(code, lang)
    return None if not digits and re.search(r"\d", text) else text


def findings(exhibits: list[Shown], lang: str, k: int, digits: bool = True) -> str:
    """The findings paragraph: a lead, one sentence per exhibit, and what a missing count
    means when one is missing. ``digits`` False (a private run): no group label with digits."""
    t = TEXT[lang]
    sentences = [exhibit_sentence(s, lang, k, digits) for s in exhibits]
    withheld = any(pd.isna(groups_and_total(s)[0]).any() for s in exhibits)
    return " ".join([t["lead"], *sentences] + ([t["withheld"].format(k=k)] if withheld else []))
