"""A date cell of a workbook as the sheet shows it, for messages (issue 24): Excel holds a date
as a number and shows it through the cell's number format (``DD-MM-YYYY`` shows 5 December
1983 as ``05-12-1983``, ``d mmm yyyy`` as ``5 dec 1983``); a message that quoted the date in
ISO form (``1983-12-05``) sent the evaluator looking for a cell they do not see.

:class:`SheetDate` is the date as read (a ``datetime``, equal to it in every use) that also
carries its number format and its cell reference; its ``written`` text, which
:func:`analysis.data.errors.written` quotes, is ``05-12-1983 (date cell C3, 1983-12-05)``:
what the screen shows, where, and the date it holds (which the format may hide, e.g. a time
of day under ``DD-MM-YYYY``). :func:`shown` renders the date tokens of a number format
(year, month, day, hour, minute, second, AM/PM, quoted and escaped literals); month names in
Dutch, as a Dutch Excel shows them, or in English under an English locale tag (``[$-409]``
and the like). Excel's built-in short date (format 14) follows the computer's regional
settings; it is shown as the Dutch setting shows it (``5-12-1983``).
"""

from __future__ import annotations

import re
from datetime import datetime

MONTHS = {"nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
                 "oktober", "november", "december"),
          "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                 "October", "November", "December")}
DAYS = {"nl": ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
        "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")}
REGIONAL = {14: "d-m-yyyy", 22: "d-m-yyyy h:mm"}  # built-in formats that follow the regional settings (Dutch)
_TOKEN = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.|am/pm|a/p|y+|m+|d+|h+|s+|e+|0+|.', re.I)


def _locale(code: str) -> str:
    """``en`` under an English locale tag (``[$-409]``, ``[$-809]``, ``[$-en-GB]``), else ``nl``."""
    tag = re.search(r"\[\$[^\]]*-([0-9a-fA-F]+|[a-zA-Z-]+)\]", code)
    if tag is None:
        return "nl"
    value = tag.group(1).lower()
    return "en" if value.startswith("en") or (re.fullmatch(r"[0-9a-f]+", value) and int(value, 16) & 0x3FF == 9) \
        else "nl"


def _minutes(tokens: list[str], i: int) -> bool:
    """An ``m``/``mm`` token is minutes after an hour or before a second token."""
    before = next((t.lower() for t in reversed(tokens[:i]) if t[0].lower() in "hsdy"), "")
    after = next((t.lower() for t in tokens[i + 1:] if t[0].lower() in "hsdy"), "")
    return before.startswith("h") or after.startswith("s")


def _part(token: str, value: datetime, lang: str, minutes: bool, twelve: bool) -> str:
    """The text of one format token (a literal stays as written)."""
    t, n = token.lower(), len(token)
    if t[0] == "y" or t[0] == "e":
        return f"{value.year % 100:02d}" if t[0] == "y" and n <= 2 else str(value.year)
    if t[0] == "m" and (minutes and n <= 2):
        return f"{value.minute:0{n}d}"
    if t[0] == "m":
        name = MONTHS[lang][value.month - 1]
        return {1: str(value.month), 2: f"{value.month:02d}", 3: name[:3]}.get(n, name[0] if n == 5 else name)
    if t[0] == "d":
        name = DAYS[lang][value.weekday()]
        return {1: str(value.day), 2: f"{value.day:02d}", 3: name[:2 if lang == "nl" else 3]}.get(n, name)
    if t[0] == "h":
        hour = (value.hour % 12 or 12) if twelve else value.hour
        return f"{hour:0{min(n, 2)}d}"
    if t[0] == "s":
        return f"{value.second:0{min(n, 2)}d}"
    if t in ("am/pm", "a/p"):
        return ("AM" if value.hour < 12 else "PM")[: 1 if t == "a/p" else 2]
    return _literal(token)


def _literal(token: str) -> str:
    if token.startswith('"'):
        return token[1:-1]
    if token.startswith("\\"):
        return token[1:]
    if token.startswith("_"):
        return " "
    if token.startswith(("[", "*")) or token.startswith("0"):
        return ""  # a colour, condition, locale or fill; fractions of a second are not shown here
    return token


def shown(value: datetime, code: str, format_id: int | None = None) -> str:
    """``value`` as a cell of number format ``code`` (built-in ``format_id``) shows it."""
    code = REGIONAL.get(format_id, code) if format_id is not None else code
    section = re.split(r';(?=(?:[^"]*"[^"]*")*[^"]*$)', code)[0]
    tokens = _TOKEN.findall(section)
    twelve = any(t.lower() in ("am/pm", "a/p") for t in tokens)
    lang = _locale(section)
    return "".join(_part(t, value, lang, t[0] in "mM" and _minutes(tokens, i), twelve)
                   for i, t in enumerate(tokens)).strip()


def date_styles(book) -> dict[int, tuple[str, int]]:
    """Each date style of a read-only openpyxl workbook: style index -> (format code, format id)
    (openpyxl numbers a workbook's own formats from 164 on, in ``_number_formats``)."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS  # openpyxl: only for an Excel file, loaded when one is read

    out = {}
    for style in getattr(book, "_date_formats", ()):
        fid = book._cell_styles[style].numFmtId
        code = BUILTIN_FORMATS.get(fid) if fid < 164 else book._number_formats[fid - 164]
        out[style] = (code or "", fid)
    return out


def iso(value: datetime) -> str:
    """The date as the project writes it (with the time only when it has one)."""
    return value.strftime("%Y-%m-%d %H:%M" if (value.hour, value.minute) != (0, 0) else "%Y-%m-%d")


class SheetDate(datetime):
    """A date cell as read, with its number format and cell reference (see the module)."""

    code: str = ""
    format_id: int | None = None
    cell: str = ""

    @classmethod
    def of(cls, value: datetime, code: str, format_id: int | None, cell: str) -> SheetDate:
        out = cls(value.year, value.month, value.day, value.hour, value.minute, value.second, value.microsecond,
                  value.tzinfo)
        out.code, out.format_id, out.cell = code, format_id, cell
        return out

    @property
    def written(self) -> str:
        """What a message quotes: the date as shown, its cell and, when the view differs, the date it holds."""
        text, held = shown(self, self.code, self.format_id) if self.code else "", iso(self)
        if not self.cell:  # a date computed from the cell (arithmetic keeps the class, not the cell)
            return held
        if not text or text == held:
            return f"{held} (date cell {self.cell})"
        return f"{text} (date cell {self.cell}, {held})"
