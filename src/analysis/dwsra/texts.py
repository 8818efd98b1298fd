"""The DWSRA page's own words in both languages: the codes of the check tables (status of a
cell, kind of inconsistency, class of a printed number, the report's tables and text
passages), and :func:`for_page`, which puts a check table into the page's language.

The CSV and XLSX outputs keep these codes (``not_computable``, ``text_vs_text``,
``tabel_2_2``); a page shows their words. Codes the general label catalogue
(:mod:`analysis.presentation.labels`) already has are left to it. Text quoted from the
report (the printed words of a number) is marked as Dutch for the table styling, so an
English page shows it verbatim inside ``lang="nl"``.
"""

from __future__ import annotations

import html
import re

import pandas as pd

from analysis.presentation import formats, titles
from analysis.presentation.labels import label
from analysis.presentation.styling import QUOTED, VERBATIM

CODES: dict[str, tuple[str, str]] = {
    # status of a published cell
    "not_computable": ("niet te berekenen", "not computable"),
    # kinds of inconsistency (claims and findings)
    "arithmetic": ("rekenkundig", "arithmetic"),
    "text_vs_text": ("tekst tegen tekst", "text against text"),
    "text_vs_table": ("tekst tegen tabel", "text against table"),
    "table_vs_figure": ("tabel tegen figuur", "table against figure"),
    "text_vs_register": ("tekst tegen register", "text against register"),
    "reference": ("verkeerde verwijzing", "wrong reference"),
    "regulation": ("plafond van de regeling", "the regulation's ceiling"),
    # how a printed number is accounted for (the sweep's classes)
    "register": ("nagerekend uit het register", "recomputed from the register"),
    "aggregate": ("uit een bestand met totalen", "from an aggregate file"),
    "printed": ("tegen andere gedrukte getallen", "against other printed numbers"),
    "not_checkable": ("niet te controleren", "not checkable"),
    "not_a_quantity": ("geen hoeveelheid", "not a quantity"),
    # the kinds of number that are only the text's structure, said as one (coverage_for_reader)
    "text_structure": ("Tekstopbouw (voetnoten, koppen, lijst- en paginanummers, projectcodes)",
                       "Text structure (footnotes, headings, list and page numbers, project codes)"),
    # the report's tables and text passages
    **{f"tabel_{t}": (f"Tabel {t.replace('_', '.')}", f"Table {t.replace('_', '.')}")
       for t in ("2_1", "2_2", "2_3", "2_4", "3_1", "3_2", "3_3", "3_4", "4_1", "4_2")},
    **{f"tekst_{t}": (f"Tekst, paragraaf {t.replace('_', '.')}", f"Text, section {t.replace('_', '.')}")
       for t in ("1_2", "2_1", "2_2", "3_3", "4_2")},
    # rows and columns of the text passages and of Tabel 3.1 and 3.4
    "lopend": ("Lopende projecten", "Running projects"), "budget": ("Budget", "Budget"),
    "meerwaarde": ("Meerwaarde (digitale producten)", "Added value (digital products)"),
    "digitale_producten": ("Digitale producten", "Digital products"),
    "meer": ("Hogere kosten verwacht", "Higher costs expected"),
    "minder": ("Lagere kosten verwacht", "Lower costs expected"),
    "rapportages": ("Voortgangsrapportages", "Progress reports"), "regeling": ("Regeling", "Regulation"),
    "available_mln": ("Beschikbaar budget (mln €)", "Available budget (€ mln)"),
    "budget_share_pct": ("Aandeel in het budget %", "Share of the budget %"),
    "costs_mln": ("Kosten (mln €)", "Costs (€ mln)"), "subsidy_mln": ("Subsidie (mln €)", "Subsidy (€ mln)"),
    "min_subsidy_mln": ("Minimale subsidie (mln €)", "Minimum subsidy (€ mln)"),
    "expected_pct": ("Verwacht %", "Expected %"), "realised_pct": ("Gerealiseerd %", "Realised %"),
    "inhoud": ("Inhoud", "Content"),
    "ja": ("ja", "yes"), "mogelijk": ("mogelijk", "possibly"), "nee": ("nee", "no"),
}


# Column headers the general catalogue words differently (its "rule" is "Regel", which on a
# Dutch page reads as "line", next to "Regel in het rapport").
HEADERS: dict[str, tuple[str, str]] = {
    "rule": ("Bewering", "Claim"),
    "regulation_rule": ("Voorschrift van de regeling", "Rule of the regulation"),
}

CODE_COLUMNS = ("status", "kind", "class", "table", "row", "column", "group", "digital_product")


def word(code: str, lang: str) -> str:
    """The page's word for a code of :data:`CODES` (the code itself if it has none)."""
    pair = CODES.get(code)
    return code if pair is None else pair[0 if lang == "nl" else 1]


def _number(text: str, lang: str) -> str:
    decimals = len(text.split(".")[1]) if "." in text else 0
    return formats.number(float(text), lang, decimals)


AT_MOST = {"nl": "hoogstens ", "en": "at most "}


def recomputed(value: object, lang: str, printed: object = "") -> object:
    """A recomputed value of the number sweep (``67.91..68.26``, ``2019-07-01``, ``21.28``)
    written as the page's language writes ranges, dates and numbers, in the unit of the
    ``printed`` number it is compared with (``%``, ``€``, ``mln``). A range from 0 is a bound
    (``hoogstens 30,54``), a range of one value that value (review 12, item 9: ``0–30,54``,
    ``68,09–68,09`` and ``21,28`` without its %)."""
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return formats.long_date(text, lang)
    pair = re.fullmatch(r"(-?\d+(?:\.\d+)?)\.\.(-?\d+(?:\.\d+)?)", text)
    if pair:
        lo, hi = _number(pair.group(1), lang), _number(pair.group(2), lang)
        if lo == hi:
            return _in_unit(hi, printed, lang)
        if float(pair.group(1)) == 0:
            return AT_MOST[lang] + _in_unit(hi, printed, lang)
        return _in_unit(f"{lo}–{hi}", printed, lang)
    if re.fullmatch(r"-?\d+(?:\.\d+)?", text):
        return _in_unit(_number(text, lang), printed, lang)
    return value


def _in_unit(number: str, printed: object, lang: str) -> str:
    """``number`` with the unit the printed number has: ``68,09%``, ``€ 30,54 mln``."""
    shown = str(printed or "")
    if shown.rstrip().endswith("%"):
        return f"{number}%"
    euro = "€" in shown or "euro" in shown.lower()
    million = "miljoen" in shown or "mln" in shown or "million" in shown
    text = (("€ " if lang == "nl" else "€") + number) if euro else number
    return f"{text} mln" if million else text


def _translate(values: pd.Index | pd.Series, lang: str):
    return values.map(lambda v: word(v, lang) if isinstance(v, str) else v)


_LINES = r"\d+(?:\s*[-–]\s*\d+)?"
_LINE_REFERENCE = re.compile(rf"\s*\((?:regels?|lines?) {_LINES}\)|,\s*(?:regels?|lines?) {_LINES}(?=\))"
                             rf"|\s*\((?:categorieën|categories) (?:op regel|on lines?) {_LINES}\)")


def without_line_numbers(text: object) -> object:
    """``text`` without references to line numbers of the report's plain-text conversion
    (``(regel 1451)``, ``, regel 2119)``): a reviewer has the report's pages, not that text;
    the files keep the lines in their own column."""
    if not isinstance(text, str):
        return text
    text = _LINE_REFERENCE.sub("", text)
    text = re.sub(r"\bregels? \d+(?:\s*[-–]\s*\d+)?", "de tekst", text)
    return re.sub(r"\blines? \d+(?:\s*[-–]\s*\d+)?", "the text", text)


def for_page(df: pd.DataFrame, lang: str, quoted: tuple[str, ...] = (), code_headers: bool = False) -> pd.DataFrame:
    """A copy of a check table in the page's language: the codes of :data:`CODES` in its code
    columns and its index (with ``code_headers``, its column names instead: a cross table of
    the sweep's classes by kind of number, whose kinds the label catalogue has), the sweep's
    recomputed values in the page's number and date format.
    ``quoted`` columns hold the report's own words and are left as they are, marked as Dutch
    for the table styling."""
    out = df.copy()
    for col in out.columns:
        if col not in quoted and not pd.api.types.is_numeric_dtype(out[col]):
            out[col] = out[col].map(without_line_numbers)
    for col in CODE_COLUMNS:
        if col in out.columns and col not in quoted:
            out[col] = _translate(out[col].astype(object), lang)
    if "section" in out.columns:  # the report's section as a reader cites it (§ 4.3.2), not a number to align
        out["section"] = [f"§ {v}" if isinstance(v, str) and v else v for v in out["section"]]
    if "recomputed" in out.columns:
        printed = out["printed"] if "printed" in out.columns else pd.Series("", index=out.index)
        out["recomputed"] = [recomputed(v, lang, p) for v, p in zip(out["recomputed"], printed, strict=True)]
    verbatim = ["recomputed"]
    if "digits" in out.columns:  # published cells: each at the precision the report prints it with
        verbatim += [c for c in ("published", "computed_printed") if c in out.columns]
        verbatim += ["computed"] if "computed_printed" not in out.columns else []
        for col in verbatim[1:]:
            out[col] = [formats.number(v, lang, int(d)) if pd.notna(v) else formats.MISSING
                        for v, d in zip(out[col], out["digits"])]
        out = out.drop(columns="digits")
    if out.index.nlevels == 1 and not code_headers:
        out.index = pd.Index(_translate(out.index.astype(object), lang), name=out.index.name)
    if code_headers:
        out.columns = [word(c, lang) if isinstance(c, str) else c for c in out.columns]
    named = {c: HEADERS[c][0 if lang == "nl" else 1] for c in out.columns if c in HEADERS}
    out = out.rename(columns=named)
    out.attrs[QUOTED] = tuple(c for c in quoted if c in out.columns)  # (no quoted column is renamed)
    out.attrs[VERBATIM] = tuple(c for c in verbatim if c in out.columns)
    return out


def coverage_for_reader(coverage: pd.DataFrame, structure: str = "not_a_quantity") -> pd.DataFrame:
    """The sweep's cross table of classes (rows) by kind of number (columns) as a reader needs
    it: the kinds whose every number is of class ``structure`` (the text reader's own
    categories: footnote labels and marks, headings, list and page numbers, identifiers; review 7
    found those names in a reviewer's table) summed into one column ``text_structure``, placed
    before the total column. The CSV keeps every kind."""
    kinds = [c for c in coverage.columns if c != "totaal"]
    others = (coverage.index != structure) & (coverage.index != "totaal")  # the total row counts every class
    merged = [c for c in kinds if structure in coverage.index and coverage.loc[others, c].sum() == 0
              and coverage.loc[structure, c] > 0]
    if len(merged) < 2:
        return coverage
    out = coverage.drop(columns=merged)
    position = list(out.columns).index("totaal") if "totaal" in out.columns else len(out.columns)
    out.insert(position, "text_structure", coverage[merged].sum(axis=1))
    return out


def explained_once(df: pd.DataFrame, column: str, lang: str) -> tuple[pd.DataFrame, str]:
    """``df`` with each distinct text of ``column`` replaced by its note number (``(1)``, in
    order of first appearance), and the notes as an HTML list to show under the table: a long
    reason shared by many rows is given once. The texts come from input files and are
    escaped."""
    reasons = list(dict.fromkeys(t for t in df[column] if isinstance(t, str) and t.strip()))
    number = {t: f"({i})" for i, t in enumerate(reasons, 1)}
    out = df.copy()
    out[column] = [number.get(t, formats.MISSING) if isinstance(t, str) else formats.MISSING for t in df[column]]
    out = out.rename(columns={column: NOTE[lang]})
    out.attrs = {**df.attrs, VERBATIM: (*df.attrs.get(VERBATIM, ()), NOTE[lang])}

    items = "".join(f"<li>{html.escape(t, quote=False)}</li>" for t in reasons)
    notes = (f'<p class="vwnw-notes-title"><strong>{titles.sentence("dwsra_notes", lang)}</strong></p>'
             f'<ol class="vwnw-notes">{items}</ol>') if reasons else ""
    return out, notes


NOTE = {"nl": "Noot", "en": "Note"}


def joined(words: list[str], lang: str) -> str:
    """``A, B en C`` / ``A, B and C``; ``–`` for none."""
    if not words:
        return formats.MISSING
    last = " en " if lang == "nl" else " and "
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + last + words[-1]


def _without_unit(text: str) -> str:
    """A column's name without its unit in parentheses (the value is said beside it)."""
    return re.sub(r"\s*\([^()]*\)$", "", text)


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


NUMBER_WORDS = {"nl": ("één", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"),
                "en": ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")}

AGREE_YET_INCONSISTENT = {
    "nl": ("{n} van deze getallen {verb} in Bijlage A als gereproduceerd: {cells}. Dat is geen tegenspraak: "
           "Bijlage A vergelijkt een gedrukt getal met het register, deze bijlage met de andere gedrukte getallen "
           "en met de regeling. Het register geeft hier hetzelfde getal als het rapport; de inconsistentie zit dus "
           "in de gegevens zelf, niet in de herberekening."),
    "en": ("{n} of these numbers {verb} as reproduced in Appendix A: {cells}. That is no contradiction: Appendix A "
           "compares a printed number with the register, this appendix with the other printed numbers and with the "
           "regulation. The register gives the same number as the report here; the inconsistency lies in the data "
           "themselves, not in the recomputation."),
}


def reproduced_yet_inconsistent(comparison: pd.DataFrame, found: pd.DataFrame, lang: str) -> str:
    """The sentence that says which of the report's inconsistent numbers (``found``, Appendix B)
    Appendix A shows as reproduced (``comparison``), and why both hold (review 7: the two
    appendices disagreed without a word); empty when none is."""
    keys = ["table", "row", "column"]
    both = found[keys + ["printed"]].merge(comparison[[*keys, "status", "digits"]], on=keys, how="inner")
    both = both[both["status"] == "reproduced"].reset_index(drop=True)
    if both.empty:
        return ""
    def name(code: str) -> str:  # the page's word for a row or column (the tables' labels where texts has none)
        own = word(code, lang)
        return own if own != code else label(code, lang)

    cells = [f"{formats.number(p, lang, int(d))} ({name(t)}, {name(r)}, {_lower(_without_unit(name(c)))})"
             for t, r, c, p, d in zip(both["table"], both["row"], both["column"], both["printed"], both["digits"],
                                      strict=True)]
    n = len(cells)
    count = str(n) if n > 9 else NUMBER_WORDS[lang][n - 1]
    verb = ("staat" if n == 1 else "staan") if lang == "nl" else ("is shown" if n == 1 else "are shown")
    text = AGREE_YET_INCONSISTENT[lang].format(n=count[:1].upper() + count[1:], verb=verb, cells=joined(cells, lang))
    return text
