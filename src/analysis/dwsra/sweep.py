"""The number sweep: every number printed in the summary and chapters 1-4 of the DWSRA report.

:func:`extract_numbers` tokenises the plain text line by line and returns each printed number
with its line, the text as printed, a normalised value, a unit and a kind (amount, percentage,
count, date, duration, verbal quantity, or a number that is not a quantity: footnote mark,
heading, list number, page number, reference, identifier). The committed file
``data/raw/dwsra_printed_numbers.csv`` holds the same rows plus how each one is accounted
for (``class``, ``basis``, ``reason``); :func:`compare_with_committed` says which rows of a
fresh extraction are missing from it or no longer printed, and :func:`unaccounted` which rows
carry no class or no reason.

Written by hand: a general number tokeniser would not know the report's conventions (Dutch
decimal commas and thousands dots, footnote marks glued to words, URL fragments broken over
lines, verbal quantities such as "bijna de helft"). Ordinals (eerste, tweede ronde) name
rounds and items and are not swept; nor are vague quantifiers (veel, vaak, enkele, een aantal).
"""

from __future__ import annotations

import re

import pandas as pd

SCOPE = (1, 2565)  # samenvatting to the end of chapter 4 (chapter 5 starts at line 2566)
CLASSES = ("register", "aggregate", "printed", "not_checkable", "not_a_quantity")
COLUMNS = ["line", "text", "value", "unit", "kind"]

_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
           "oktober", "november", "december")
_MONTH = r"(?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|novermber|november|december)"
_WORDS = {"één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8, "negen": 9,
          "tien": 10, "elf": 11, "twaalf": 12, "beide": 2}
_COMPOUNDS = {"tweewekelijks": ("2", "weeks"), "tweejarig": ("2", "years"), "zesmaandentermijn": ("6", "months")}
_VERBAL = {  # phrase -> (lower, upper) share in percent the phrase stands for
    "bijna twee derde": (60.0, 66.7), "bijna de helft": (40.0, 50.0), "meer dan de helft": (50.0, 100.0),
    "een derde van": (30.0, 36.7), "een kwart": (20.0, 30.0), "veruit de meeste": (50.0, 100.0),
    "de meeste": (50.0, 100.0), "merendeel": (50.0, 100.0), "merendeels": (50.0, 100.0),
    "bijna allemaal": (90.0, 100.0), "vrijwel alle": (90.0, 100.0), "bijna alle": (90.0, 100.0),
    "alle": (100.0, 100.0),
    "anderhalf jaar": (1.25, 1.75),
}

# One alternation, tried left to right at each position; the group name is the kind.
_TOKEN = re.compile("|".join([
    r"(?P<identifier>(?:https?://|www\.)\S+|\S*\d\S*/\S*|\S+\.(?:html|ashx)\S*|\d{4}-\d{6,}|Advies \d+/\d+|"
    r"(?:DW|SRA)\d\b)",
    r"(?P<reference>(?:[Tt]abel|[Ff]iguur|Grafiek|[Pp]aragraaf|[Hh]oofdstuk|[Bb]ijlage|artikel|p\.)\s+\d+(?:[.-]\d+)*"
    r")",
    r"(?P<amount>(?:ruim |bijna |circa |maximaal )?€\s?\d[\d.]*(?:,\d+)?(?:\s?(?:miljoen|mln))?)",
    r"(?P<percentage>(?:ruim |circa |minimaal )?\d+(?:,\d+)?\s?(?:%|procent)(?:\s?-\s?\d+(?:,\d+)?\s?%)?)",
    rf"(?P<date>(?:\d{{1,2}} )?{_MONTH}(?:\s?(?:-|tot(?: en met)?)\s?(?:\d{{1,2}} )?{_MONTH})? \d{{4}}"
    rf"|(?:eind|begin|medio) (?:{_MONTH} )?\d{{4}}|\d{{4}}-\d{{4}}|[Ff]ebruari \d{{4}}|\d{{4}}(?=\d{{0,2}}\b))",
    r"(?P<verbal>\b(?:" + "|".join(sorted((re.escape(k) for k in _VERBAL), key=len, reverse=True)) + r")\b)",
    r"(?P<compound>\b(?:" + "|".join(_COMPOUNDS) + r")\b)",
    r"(?P<word>\b(?:" + "|".join(_WORDS) + r")\b)",
    r"(?P<number>\d+(?:,\d+)?)",
]), re.IGNORECASE)

_FOOTNOTE_LABEL = re.compile(r"^\s*(\d{1,2})\s{2}\S")
_HEADING = re.compile(r"^\s*(\d(?:\.\d){0,2})\s+[A-Z]")
_LIST = re.compile(r"^\s*(\d)\.\s+[A-Z]")
_PAGE = re.compile(r"^\s*(\d{1,3})\s*$")


def _amount_mln(text: str) -> str:
    """Millions of euros: "€ 125.000" is in euros (thousands dots); every other amount is in
    millions, said on the token, the next line ("ruim € 20 / miljoen") or the table's heading."""
    printed = re.search(r"\d[\d.]*(?:,\d+)?", text).group(0)
    in_euros = re.search(r"\.\d{3}(?!\d)", printed) is not None
    value = float(printed.replace(".", "").replace(",", "."))
    return f"{value / 1e6 if in_euros else value:g}"


#: Qualifiers widen a printed number into the range it claims: "ruim 40%" is 40 to 50%.
_QUALIFIERS = {"ruim": (1.0, 1.25), "bijna": (0.9, 1.0), "circa": (0.9, 1.1)}


def _qualified(text: str, value: float) -> str:
    word = text.split()[0].lower()
    if word not in _QUALIFIERS:
        return f"{value:g}"
    lo, hi = _QUALIFIERS[word]
    return f"{value * lo:g}..{value * hi:g}"


def _date(text: str) -> tuple[str, str]:
    t = text.lower().replace("novermber", "november")
    m = re.fullmatch(rf"(\d{{1,2}}) ({_MONTH}) (\d{{4}})", t)
    if m:
        return f"{m.group(3)}-{_MONTHS.index(m.group(2)) + 1:02d}-{int(m.group(1)):02d}", "date"
    m = re.fullmatch(rf"(?:(eind|begin|medio) )?({_MONTH}) (\d{{4}})", t)
    if m:
        return f"{m.group(3)}-{_MONTHS.index(m.group(2)) + 1:02d}", "month"
    m = re.fullmatch(r"(eind|begin) (\d{4})", t)
    if m:
        return f"{m.group(2)}-{'12' if m.group(1) == 'eind' else '01'}", "month"
    return t, "year" if re.fullmatch(r"\d{4}", t) else "period"


def _value(kind: str, text: str) -> tuple[str, str]:
    """Normalised value and unit of a token."""
    if kind == "amount":
        return _qualified(text, float(_amount_mln(text))), "eur_mln"
    if kind == "percentage":
        nums = [n.replace(",", ".") for n in re.findall(r"\d+(?:,\d+)?", text)]
        return (_qualified(text, float(nums[0])) if len(nums) == 1 else "..".join(nums)), "pct"
    if kind == "date":
        return _date(text)
    if kind == "verbal":
        lo, hi = _VERBAL[text.lower()]
        return f"{lo:g}..{hi:g}", "years" if text.endswith("jaar") else "pct"
    if kind == "compound":
        return _COMPOUNDS[text.lower()]
    if kind == "word":
        return str(_WORDS[text.lower()]), "count"
    if kind == "number":
        return text.replace(",", "."), "number"
    return re.sub(r"\D+", ".", text).strip("."), "label"


def _line_tokens(number: int, line: str, next_mark: int) -> tuple[list[dict], int]:
    """Tokens of one line and the footnote mark expected next."""
    out: list[dict] = []
    for pattern, kind in ((_FOOTNOTE_LABEL, "footnote_label"), (_LIST, "list_number"), (_HEADING, "heading"),
                          (_PAGE, "page_number")):
        m = pattern.match(line)
        if m:
            out.append(dict(line=number, text=m.group(1), value=m.group(1), unit="label", kind=kind))
            if kind == "page_number":
                return out, next_mark
            line = line[:m.start(1)] + " " * len(m.group(1)) + line[m.end(1):]
            break
    for m in _TOKEN.finditer(line):
        kind = m.lastgroup
        text = m.group(0).strip()
        if kind in ("identifier", "reference") and not any(ch.isdigit() for ch in text):
            continue  # a URL or "Grafiek" without a number
        glued = m.start() > 0 and (line[m.start() - 1].isalpha() or line[m.start() - 1] in ")’")
        if kind == "date" and re.fullmatch(r"\d{4}", text) and line[m.end():m.end() + 2].isdigit():
            rest = re.match(r"\d+", line[m.end():]).group(0)
            if int(rest) == next_mark:  # "201917." = the year 2019 and footnote mark 17
                out.append(dict(line=number, text=text, value=text, unit="year", kind="date"))
                out.append(dict(line=number, text=rest, value=rest, unit="label", kind="footnote_mark"))
                next_mark += 1
                continue
        if kind == "number" and int(float(text.replace(",", "."))) == next_mark and "," not in text and (
                glued or re.match(r"\s*\.?\s*(?:$|[A-Z])", line[m.end():])):
            out.append(dict(line=number, text=text, value=text, unit="label", kind="footnote_mark"))
            next_mark += 1
            continue
        value, unit = _value(kind, text)
        out.append(dict(line=number, text=text, value=value, unit=unit, kind=kind))
    return out, next_mark


def extract_numbers(lines: list[str], scope: tuple[int, int] = SCOPE) -> pd.DataFrame:
    """Every number printed on lines ``scope[0]..scope[1]`` (1-based) of the report text."""
    rows: list[dict] = []
    next_mark = 1
    for number in range(scope[0], min(scope[1], len(lines)) + 1):
        line = lines[number - 1]
        if not line.strip():
            continue
        tokens, next_mark = _line_tokens(number, line, next_mark)
        rows.extend(tokens)
    out = pd.DataFrame(rows, columns=COLUMNS)
    out["occurrence"] = out.groupby(["line", "text"]).cumcount() + 1
    return out


def compare_with_committed(extracted: pd.DataFrame, committed: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Rows printed but not in the committed file (``missing``), and committed rows no longer
    found in the text or with another value, unit or kind (``stale``)."""
    key = ["line", "text", "occurrence", "value", "unit", "kind"]
    a = extracted[key].astype(str)
    b = committed[key].astype(str)
    merged = a.merge(b, how="outer", indicator=True)
    return {"missing": merged[merged["_merge"] == "left_only"][key].reset_index(drop=True),
            "stale": merged[merged["_merge"] == "right_only"][key].reset_index(drop=True)}


def unaccounted(committed: pd.DataFrame) -> pd.DataFrame:
    """Committed rows with no valid class, or with no basis and no reason."""
    bad_class = ~committed["class"].isin(CLASSES)
    blank = committed["basis"].fillna("").str.strip().eq("") & committed["reason"].fillna("").str.strip().eq("")
    return committed[bad_class | blank]


def coverage(committed: pd.DataFrame) -> pd.DataFrame:
    """Counts per class (rows) and kind of number (columns), with totals."""
    table = pd.crosstab(committed["class"], committed["kind"], margins=True, margins_name="totaal")
    order = [c for c in CLASSES if c in table.index] + ["totaal"]
    return table.reindex(order)


def coverage_markdown(committed: pd.DataFrame) -> str:
    """The coverage table of the README and notebook 01: numbers per class."""
    labels = {"register": "reproduced from the register", "aggregate": "taken from an aggregate file",
              "printed": "checked against other printed numbers", "not_checkable": "not checkable (reason given)",
              "not_a_quantity": "not a quantity (footnote mark, heading, reference, identifier)"}
    counts = committed["class"].value_counts()
    rows = [f"| {labels[c]} | {int(counts.get(c, 0))} |" for c in CLASSES]
    return "\n".join(["| printed numbers (summary, chapters 1-4) | count |", "|---|---|", *rows,
                      f"| total | {len(committed)} |"])
