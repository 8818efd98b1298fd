"""The participants page's findings in words (notebook 02): what each figure shows, first.

For every exhibit of the page, one sentence from its released table, in the words its
declaration gives (``finding`` in the study's exhibits file: *De grootste groep deelnemers is
laag opgeleid*, review 7: the sentences read as a template, "de grootste getoonde groep is
Laag"), with its count and, when the table's total is shown, its share and the figure's number
(*15 van de 30 (50%; Figuur 7)*); equal largest counts are named together (a tie is never one
group); an exhibit whose figure the page omits (too few counts left visible,
``pilot_figures.informative``) says so, and still says what its table shows. The numbers are
the released table's own (a share is one shown count of another shown count), so ``run.say``
accepts them on a private run. Where a protected cell could be as large as the largest shown
(a withheld cell may be derivable rather than small), the sentence says so.

Written by hand: the sentences are the page's text; the numbers come from the release.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from analysis.presentation import formats, markup
from analysis.presentation.labels import label
from analysis.presentation.model_findings import NUMBER_WORDS, missing, percent
from analysis.presentation.model_texts import PREDICTORS, predictor_label
from analysis.presentation.pilot_figures import informative
from analysis.study.exhibits import without_totals

TEXT = {
    "nl": {
        "lead": "**Bevindingen.**",
        "declared": "{finding}: {count}{hidden}.",
        "largest": "In {exhibit} ({title}) is *{group}* de grootste groep: {count}{hidden}.",
        "hidden": "; een beschermde groep kan even groot of groter zijn",
        "largest_shown": "In {exhibit} ({title}) is *{group}* de grootste van de getoonde groepen: {count}{hidden}.",
        "largest_unnamed_shown": "In {exhibit} ({title}) telt de grootste van de getoonde groepen {count}; de tabel "
                                 "noemt haar.",
        "largest_tied_shown": "In {exhibit} ({title}) zijn {groups} even groot en samen de grootste van de getoonde "
                              "groepen: elk {count}.",
        "largest_unnamed": "In {exhibit} ({title}) telt de grootste groep {count}; de tabel noemt haar.",
        "largest_tied": "In {exhibit} ({title}) zijn {groups} even groot en samen de grootste groepen: elk {count}.",
        "omitted": "{exhibit}, {title}, is weggelaten: na bescherming (drempel {k}) blijven te weinig aantallen "
                   "zichtbaar voor een figuur; de tabel blijft staan.",
        "omitted_many": "{exhibits} zijn weggelaten: na bescherming (drempel {k}) blijven te weinig aantallen "
                        "zichtbaar voor een figuur; hun tabellen blijven staan.",
        "and": "en",
        "of_total": "{n} van de {total} ({share}; {exhibit})",
        "of_total_bare": "{n} van de {total} ({share})",
        "persons": "{n} personen ({exhibit})",
        "one_person": "1 persoon ({exhibit})",
        "persons_bare": "{n} personen",
        "nothing": "{exhibit}, {title}, is weggelaten: na bescherming (drempel {k}) is het aantal van elke groep "
                   "beschermd (x in de tabel).",
        "nothing_shown": "In {exhibit} ({title}) is het aantal van elke groep beschermd (drempel {k}; x in de "
                         "tabel).",
        "nothing_many": "{exhibits} zijn weggelaten: na bescherming (drempel {k}) is het aantal van elke groep "
                        "beschermd (x in hun tabellen).",
        "table_of": "tabel bij {exhibit}",
        "table_in": "de tabel bij {exhibit}",
        "hidden_once": "Die grootste groepen zijn gerekend over de getoonde groepen ({exhibits}): een beschermde "
                       "groep kan daar even groot of groter zijn.",
        "withheld": "Een aantal dat ontbreekt, is beschermd: het telt minder dan {k} personen of is uit andere "
                    "aantallen af te leiden.",
    },
    "en": {
        "lead": "**Findings.**",
        "declared": "{finding}: {count}{hidden}.",
        "largest": "In {exhibit} ({title}), *{group}* is the largest group: {count}{hidden}.",
        "hidden": "; a protected group may be as large or larger",
        "largest_shown": "In {exhibit} ({title}), *{group}* is the largest of the groups shown: {count}{hidden}.",
        "largest_unnamed_shown": "In {exhibit} ({title}) the largest of the groups shown counts {count}; the table "
                                 "names it.",
        "largest_tied_shown": "In {exhibit} ({title}), {groups} are equally large and together the largest of the "
                              "groups shown: {count} each.",
        "largest_unnamed": "In {exhibit} ({title}) the largest group counts {count}; the table names it.",
        "largest_tied": "In {exhibit} ({title}), {groups} are equally large and together the largest groups: "
                        "{count} each.",
        "omitted": "{exhibit}, {title}, is left out: after protection (threshold {k}) too few counts remain visible "
                   "for a figure; its table stays.",
        "omitted_many": "{exhibits} are left out: after protection (threshold {k}) too few counts remain visible for a "
                        "figure; their tables stay.",
        "and": "and",
        "of_total": "{n} of the {total} ({share}; {exhibit})",
        "of_total_bare": "{n} of the {total} ({share})",
        "persons": "{n} persons ({exhibit})",
        "one_person": "1 person ({exhibit})",
        "persons_bare": "{n} persons",
        "nothing": "{exhibit}, {title}, is left out: after protection (threshold {k}) every group's count is "
                   "protected (x in the table).",
        "nothing_shown": "In {exhibit} ({title}) every group's count is protected (threshold {k}; x in the "
                         "table).",
        "nothing_many": "{exhibits} are left out: after protection (threshold {k}) every group's count is "
                        "protected (x in their tables).",
        "table_of": "table of {exhibit}",
        "table_in": "the table of {exhibit}",
        "hidden_once": "Those largest groups count only the groups shown ({exhibits}): a protected group may be as "
                       "large or larger there.",
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
    finding: str | None = None  # the declared sentence in the page's language ({group}, {Group}, {date})
    drawing: str | None = None  # the declared drawing: grouped or bars draw a figure, own or none do not


FIGURE_DRAWINGS = ("grouped", "bars")  # the drawings notebook 02 draws from the release table (exhibit_figures)
NOT_RECORDED = "onbekend"  # a further column of a one-way table: persons whose item was not recorded


def groups_and_total(shown: Shown) -> tuple[pd.Series, object]:
    """The counts by group (a two-way table: its total column, by row) and the shown total
    (missing when there is none or it is withheld)."""
    table = shown.table
    if isinstance(table, pd.DataFrame):
        if shown.total in table.columns:
            table = table[shown.total]
        elif table.shape[1] == 1 or _one_way(shown):
            table = table.iloc[:, 0]
        else:
            return pd.Series(dtype="float64"), None
    total = table.get(shown.total) if shown.total in table.index else None
    return table.drop(shown.total, errors="ignore"), total


def _one_way(shown: Shown) -> bool:
    """Whether ``shown``'s table is one count per row with further columns beside it (Figuur
    11: ``aantal`` and ``onbekend``, persons whose service was not recorded): its first column
    is the count, as its figure draws it (``exhibit_figures.bars_and_notes``)."""
    columns = [str(c) for c in shown.table.columns]
    return shown.drawing == "bars" or all(c == NOT_RECORDED for c in columns[1:])


def _count(n: int, total: object, lang: str, exhibit: str | None = None) -> str:
    """``15 van de 30 (50%; Figuur 7)``, or ``27 personen (Figuur 11)`` without a shown total;
    without ``exhibit`` the number is left out (a sentence that names the exhibit itself)."""
    t = TEXT[lang]
    if missing(total) or total is None or float(total) <= 0:
        if exhibit is None:
            return t["persons_bare"].format(n=formats.number(n, lang, 0))
        return t["one_person"].format(exhibit=exhibit) if n == 1 else \
            t["persons"].format(n=formats.number(n, lang, 0), exhibit=exhibit)
    key = "of_total" if exhibit is not None else "of_total_bare"
    return t[key].format(n=formats.number(n, lang, 0), total=formats.number(float(total), lang, 0),
                         share=percent(n / float(total), lang), exhibit=exhibit)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() or text[1:2] in ("/", "") else text


def figure_left_out(shown: Shown) -> bool:
    """Whether the page leaves ``shown``'s figure out: a figure it draws (:data:`FIGURE_DRAWINGS`)
    of which protection leaves too little (``pilot_figures.informative`` of the counts it would
    draw, as notebook 02 decides). A table is never a figure left out."""
    figure = shown.drawing is None or shown.drawing in FIGURE_DRAWINGS  # None: a figure (as before drawings)
    return figure and not informative(without_totals(shown.table, shown.total))


def left_out(shown: Shown) -> bool:
    """Whether the page leaves ``shown``'s figure out while its table still shows a count above
    zero (an exhibit with no count left says so itself, :func:`_nothing`)."""
    groups, _ = groups_and_total(shown)
    counts = pd.to_numeric(groups, errors="coerce").dropna()
    return bool((counts > 0).any()) and figure_left_out(shown)


def _nothing(shown: Shown) -> bool:
    """Whether the page leaves ``shown``'s figure out and protection leaves no count above zero
    of its groups (the retail review: Figuur 11, drawn with 12, 11, 21 and 11, was said to be left out)."""
    groups, _ = groups_and_total(shown)
    counts = pd.to_numeric(groups, errors="coerce").dropna()
    return figure_left_out(shown) and not bool((counts > 0).any())


def protected_may_be_larger(shown: Shown) -> bool:
    """Whether a withheld cell of ``shown`` could be as large as its largest shown count (no shown
    total, or at least that much left over; a withheld cell may be derivable rather than small)."""
    groups, total = groups_and_total(shown)
    values = pd.to_numeric(groups, errors="coerce")
    counts = values.dropna()
    counts = counts[counts > 0]
    if counts.empty or not values.isna().any():
        return False
    shown_sum = float(values.sum())  # more than the total: a person may be in several groups (services)
    room = float("inf") if missing(total) or total is None or shown_sum > float(total) else float(total) - shown_sum
    return room >= counts.max()


def cited_as(shown: Shown, lang: str) -> str:
    """How a sentence cites ``shown``: its number, or its table when the page leaves the figure out."""
    omitted = figure_left_out(shown)
    return TEXT[lang]["table_of"].format(exhibit=shown.label) if omitted else shown.label


def exhibit_sentence(shown: Shown, lang: str, k: int, digits: bool = True, date: str = "",
                     lead: bool = True, caveat: bool = True) -> str:
    """One exhibit's sentence (see the module); ``digits``: whether a group's label may carry
    digits (synthetic data; see :func:`group_words`); ``date``: the run's status date in words;
    ``lead``: whether it says that the page leaves the figure out (:func:`findings` says that
    once for all such figures); ``caveat``: whether it says that a protected group may be larger
    (:func:`findings` says that once for all such exhibits). A figure the page leaves out is
    cited by its table (*tabel bij Figuur 7*): the page shows no such figure."""
    t = TEXT[lang]
    groups, total = groups_and_total(shown)
    counts = pd.to_numeric(groups, errors="coerce").dropna()
    counts = counts[counts > 0]
    title = shown.title[:1].lower() + shown.title[1:] if shown.title[1:2].islower() else shown.title
    title = markup.text(title)  # a study file's text, shown as written (hostile round 12: <b> rendered)
    if counts.empty:
        key = "nothing" if figure_left_out(shown) else "nothing_shown"  # a table or a drawn figure: nothing left out
        return t[key].format(exhibit=shown.label, title=title, k=k)
    top = [code for code, n in counts.items() if n == counts.max()]  # equal counts: every one, in the table's order
    names = [None if (w := group_words(code, lang, digits)) is None else markup.text(w) for code in top]
    # a withheld cell may be derivable rather than small (16 April: Coaching, 27, hidden beside Talentenscan, 18)
    # then the largest is the largest shown, never the largest (review 12: "het vaakst ... Talentenscan: 18")
    ranked = protected_may_be_larger(shown)
    shown_only = "_shown" if ranked else ""
    hidden = t["hidden"] if caveat and ranked else ""
    omitted = figure_left_out(shown)  # the page omits the figure, keeps its table
    lead = [t["omitted"].format(exhibit=shown.label, title=title, k=k)] if omitted and lead else []
    cited = cited_as(shown, lang)
    named = t["table_in"].format(exhibit=shown.label) if omitted else shown.label  # "In de tabel bij Figuur 7 (...)"
    if None in names:
        return " ".join(lead + [t["largest_unnamed" + shown_only].format(
            exhibit=named, title=title, count=_count(int(counts.max()), total, lang))])
    if len(top) > 1:
        listed = ", ".join(f"*{n}*" for n in names[:-1]) + f" {t['and']} *{names[-1]}*"
        return " ".join(lead + [t["largest_tied" + shown_only].format(
            exhibit=named, title=title, groups=listed, count=_count(int(counts.max()), total, lang))])
    count = _count(int(counts.max()), total, lang, cited)
    if shown.finding and not ranked:  # a declared sentence names the largest of all groups
        finding = shown.finding.format(group=_lower_first(names[0]), Group=names[0], date=date)
        return " ".join(lead + [t["declared"].format(finding=finding[:1].upper() + finding[1:], count=count,
                                                     hidden=hidden)])
    return " ".join(lead + [t["largest" + shown_only].format(exhibit=named, title=title, group=names[0],
                                                count=_count(int(counts.max()), total, lang), hidden=hidden)])


_NUMBERED_LEVEL = re.compile(r"(?P<variable>[a-z]+)_(?P<level>\d)")


def group_words(code: object, lang: str, digits: bool = True) -> str | None:
    """A group's label as a sentence names it. A numbered level of a predictor is said as the
    models page says it (*triagepad drie*, ``model_findings.level_words``), never as a count. A
    private run's sentence may carry only published numbers, so with ``digits`` False a label
    with other digits in it (*t/m 5 jaar*) is not named (None): the table beside names it."""
    numbered = _NUMBERED_LEVEL.fullmatch(str(code))
    if numbered and numbered["variable"] in PREDICTORS:
        words = f"{predictor_label(numbered['variable'], lang)} {NUMBER_WORDS[lang][int(numbered['level'])]}"
        # with the figure's own label beside it where digits may stand (review 12: "triagepad drie" vs "Triage 3")
        return f"{words} ({label(code, lang)})" if digits else words
    text = label(code, lang).replace("t/m", "tot en met") if lang == "nl" else label(code, lang)  # words in a sentence
    return None if not digits and re.search(r"\d", text) else text


def findings(exhibits: list[Shown], lang: str, k: int, digits: bool = True, date: str = "") -> str:
    """The findings paragraph: a lead, one sentence per exhibit, and what a missing count
    means when one is missing. ``digits`` False (a private run): no group label with digits;
    ``date``: the run's status date in words (a declared sentence may name it)."""
    t = TEXT[lang]
    omitted = [s for s in exhibits if left_out(s)]
    empty = [s for s in exhibits if _nothing(s)]
    larger = [s for s in exhibits if protected_may_be_larger(s)]
    once = len(larger) > 1  # the caveat once, for every exhibit it concerns (review 11: said four times)
    sentences = []
    for group, key in ((omitted, "omitted_many"), (empty, "nothing_many")):
        if len(group) > 1:  # the reason once, for every figure it removes (review 9: said six times)
            labels = [s.label for s in group]
            sentences.append(t[key].format(exhibits=f"{', '.join(labels[:-1])} {t['and']} {labels[-1]}", k=k))
    for s in exhibits:
        if len(empty) > 1 and s in empty:
            continue  # said with the others above
        sentences.append(exhibit_sentence(s, lang, k, digits, date, lead=len(omitted) <= 1, caveat=not once))
    if once:
        labels = [cited_as(s, lang) for s in larger]
        sentences.append(t["hidden_once"].format(exhibits=f"{', '.join(labels[:-1])} {t['and']} {labels[-1]}"))
    withheld = any(pd.isna(groups_and_total(s)[0]).any() for s in exhibits)
    return " ".join([t["lead"], *sentences] + ([t["withheld"].format(k=k)] if withheld else []))
