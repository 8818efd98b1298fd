"""Cell formats that hide a cell's value on screen while the file still holds it: a number
format with an empty section (``;;;`` shows nothing; ``0;-0;;@`` shows no zero), a font
colour equal, or nearly, to the cell's fill (white on white; a number format's ``[White]``
counts as the font colour), a font below :data:`MIN_FONT_POINTS`. Such a cell is data nobody
checked on screen, as a hidden row's is: it is refused with sheet, row, column, the value
and what hides it (:func:`hidden_cell_problems`, called for every sheet that is read), and
the evaluator chooses, as for a hidden row: make it visible to read it, or clear it.

Why by hand: openpyxl's read-only mode exposes a cell's style index but neither resolves a
theme colour with its tint nor tells which section of a number format a value falls in. The
style table (``xl/styles.xml``) and the theme are small and read with ElementTree; only the
styles that hide something are kept, so a workbook without such a style costs nothing more
per cell. Conditional formatting (a rule that turns text white) is not evaluated.

A number format can also show another value than the cell holds (:meth:`Hiding.changes`):
a section of literal text only (``"55"`` shows 55 for any number), a section chosen by a
condition (``[=1]"3";0``, ``[<100]"onbekend";0``), literal digits beside the number
(``"1"0``), a percentage (``0%`` shows 0.34 as 34%), a thousands scale (``#,##0,`` shows
55000 as 55), a text section without ``@``. Such a cell is refused as well, with the value
and the format as written; rounding (``0`` shows 3.4 as 3) is not a change of value here.
"""

from __future__ import annotations

import colorsys
import numbers
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path

from analysis.data.cells import is_blank
from analysis.data.errors import Problem
from analysis.data.xlsx_parts import column_letter
from analysis.terminal_text import visible

MIN_FONT_POINTS = 3.0  # a font below this size shows no legible text
NEAR = 16  # font and fill colours within this (of 255) in each of red, green and blue read as one colour
M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
WHITE, BLACK = (255, 255, 255), (0, 0, 0)
NAMED = {"black": BLACK, "white": WHITE, "red": (255, 0, 0), "green": (0, 255, 0), "blue": (0, 0, 255),
         "yellow": (255, 255, 0), "magenta": (255, 0, 255), "cyan": (0, 255, 255)}
THEME_ORDER = ("lt1", "dk1", "lt2", "dk2", "accent1", "accent2", "accent3", "accent4", "accent5", "accent6",
               "hlink", "folHlink")  # a colour's theme="i" names the i-th of these (light 1 first)
_TOKEN = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.|;|[^";\\\[_*]+', re.S)


def _palette(root: ET.Element | None) -> list[tuple[int, int, int]]:
    from openpyxl.styles.colors import COLOR_INDEX  # openpyxl: only for an Excel file, loaded when one is read

    custom = [] if root is None else [c.get("rgb", "") for c in root.iter(f"{M}rgbColor")]
    return [_hex(c) or BLACK for c in (custom or list(COLOR_INDEX))]


def _hex(text: str | None) -> tuple[int, int, int] | None:
    text = (text or "")[-6:]
    return tuple(int(text[i:i + 2], 16) for i in (0, 2, 4)) if re.fullmatch(r"[0-9A-Fa-f]{6}", text) else None


def _rgb(colour: tuple[int, int, int]) -> str:
    return "".join(f"{c:02X}" for c in colour)


def _tinted(rgb: tuple[int, int, int], tint: float) -> tuple[int, int, int]:
    """ECMA-376 18.8.19: the tint lightens (> 0) or darkens (< 0) the colour's luminance."""
    h, light, s = colorsys.rgb_to_hls(*(c / 255 for c in rgb))
    light = light * (1 + tint) if tint < 0 else light * (1 - tint) + tint
    return tuple(round(c * 255) for c in colorsys.hls_to_rgb(h, min(max(light, 0.0), 1.0), s))


@dataclass(frozen=True)
class _Colours:
    theme: dict[int, tuple[int, int, int]]
    palette: list[tuple[int, int, int]]

    def of(self, element: ET.Element | None, default: tuple[int, int, int] | None) -> tuple[int, int, int] | None:
        """The RGB of a ``<color>``-like element (None: not known)."""
        if element is None:
            return default
        rgb = None
        if element.get("rgb"):
            rgb = _hex(element.get("rgb"))
        elif element.get("theme", "").isdigit():
            rgb = self.theme.get(int(element.get("theme")))
        elif element.get("indexed", "").isdigit():
            i = int(element.get("indexed"))
            rgb = self.palette[i] if i < len(self.palette) else {64: BLACK, 65: WHITE}.get(i)
        elif element.get("auto") in ("1", "true"):
            rgb = default
        if rgb is not None and element.get("tint"):
            try:
                rgb = _tinted(rgb, float(element.get("tint")))
            except ValueError:
                return None
        return rgb


def _theme(zf: zipfile.ZipFile) -> dict[int, tuple[int, int, int]]:
    names = [n for n in zf.namelist() if n.startswith("xl/theme/") and n.endswith(".xml")]
    found = {0: WHITE, 1: BLACK}  # the system's window and text colours when no theme says otherwise
    if not names or zf.getinfo(sorted(names)[0]).file_size > 5_000_000:
        return found
    try:
        scheme = ET.fromstring(zf.read(sorted(names)[0])).find(f".//{A}clrScheme")
    except ET.ParseError:
        return found
    if scheme is None:
        return found
    for i, name in enumerate(THEME_ORDER):
        slot = scheme.find(f"{A}{name}")
        if slot is None or not len(slot):
            continue
        colour = slot[0]
        rgb = _hex(colour.get("lastClr") if colour.tag == f"{A}sysClr" else colour.get("val"))
        if rgb is not None:
            found[i] = rgb
    return found


def sections(code: str) -> list[list[str]]:
    """A number format's sections (split at ``;`` outside quotes, escapes and brackets), each
    as its tokens."""
    out: list[list[str]] = [[]]
    for token in _TOKEN.findall(code):
        if token == ";":
            out.append([])
        else:
            out[-1].append(token)
    return out


def _shows_nothing(tokens: list[str]) -> bool:
    """A section that writes nothing visible: no placeholder, no literal text (colours,
    conditions, padding ``_x`` and fills ``*x`` aside, quotes holding only spaces)."""
    for token in tokens:
        if token.startswith("[") and not re.fullmatch(r"\[[hms]+\]", token, re.I):
            continue
        if token[0] in "_*" and len(token) == 2:
            continue
        if token.startswith('"'):
            if token.strip('" '):
                return False
            continue
        if token.startswith("\\"):
            if token[1:].strip():
                return False
            continue
        if token.strip():
            return False
    return True


def _colour_code(tokens: list[str], palette) -> tuple[int, int, int] | None:
    for token in tokens:
        name = token.strip("[]").lower()
        if token.startswith("[") and name in NAMED:
            return NAMED[name]
        if token.startswith("[") and re.fullmatch(r"color(\d{1,2})", name):
            i = int(name[5:]) + 7
            return palette[i] if i < len(palette) else None
    return None


@dataclass(frozen=True)
class Hiding:
    """What a cell style does to a value: a number format's sections, the font's colour and
    size, the fill's colour (None: not a plain fill)."""

    code: str
    parts: tuple[tuple[str, ...], ...]
    font: tuple[int, int, int] | None
    size: float | None
    fill: tuple[int, int, int] | None
    palette: tuple[tuple[int, int, int], ...]
    strike: bool = False  # the font is struck through: how a case manager marks a withdrawn person

    def time_only(self) -> bool:
        """Whether the number format writes a time of day and no date (``hh:mm``): a cell
        holding a whole number or a date shows 00:00 or another time, never what it holds."""
        part = self.parts[0] if self.parts else ()
        bare = "".join(t for t in part if not t.startswith(('"', "\\", "[")) and not (t[0] in "_*" and len(t) == 2))
        bare = bare.lower()
        return ("h" in bare or "s" in bare) and not any(c in bare for c in "yde")

    def section(self, value) -> tuple[str, ...] | None:
        """The section of the number format that writes ``value`` (None: shown as written)."""
        n = len(self.parts)
        if any(t.startswith("[") and re.match(r"\[[<>=]", t) for part in self.parts for t in part):
            return None  # a conditional format: not judged
        if isinstance(value, str):
            return self.parts[3] if n >= 4 else None
        if isinstance(value, bool):
            return self.parts[3] if n >= 4 and all(_shows_nothing(list(p)) for p in self.parts[:4]) else None
        number = 1.0 if isinstance(value, (datetime, date, time)) else float(value) \
            if isinstance(value, numbers.Real) else None
        if number is None:
            return None
        if number < 0 and n >= 2:
            return self.parts[1]
        if number == 0 and n >= 3:
            return self.parts[2]
        return self.parts[0]

    def why(self, value) -> str | None:
        """What hides ``value`` in a cell of this style, or None."""
        part = self.section(value)
        if part is not None and _shows_nothing(list(part)):
            return f"its number format '{visible(self.code)}' shows nothing for this value"
        if self.size is not None and self.size < MIN_FONT_POINTS:
            return f"its font is {self.size:g} pt, too small to read"
        colour = (_colour_code(list(part), self.palette) if part is not None else None) or self.font
        if colour is not None and self.fill is not None and max(abs(a - b) for a, b in zip(colour, self.fill)) <= NEAR:
            return (f"its text colour #{_rgb(colour)} is nearly the colour of its fill #{_rgb(self.fill)}"
                    if colour != self.fill else f"its text is written in the colour of its fill (#{_rgb(colour)})")
        return None

    def changes(self, value) -> str | None:
        """How this style's number format shows something else than ``value`` (None: it shows
        the value, perhaps rounded or with a unit beside it)."""
        code = visible(self.code)  # as quoted: a look-alike or control character escaped
        if isinstance(value, (datetime, date)) and self.time_only():
            from openpyxl.utils.datetime import to_excel  # openpyxl: only for an Excel file

            held = to_excel(value)
            held = int(held) if float(held).is_integer() else held
            shown = value.strftime("%H:%M") if isinstance(value, datetime) else "00:00"
            return (f"its number format '{code}' is a time of day: the screen shows {shown}, while the cell holds the "
                    f"number {held} (read as the date {value:%Y-%m-%d})")
        if isinstance(value, bool) or isinstance(value, (datetime, date, time)):
            return None
        condition = next((t for part in self.parts for t in part if re.fullmatch(r"\[[<>=][^\]]*\]", t)), None)
        if condition is not None and isinstance(value, numbers.Real):
            return (f"its number format '{code}' holds a condition ({condition}) that chooses what the screen shows, "
                    "which need not be the value")
        part = self.section(value)
        if part is None:
            return None
        literal = "".join(_literal(t) for t in part)
        if isinstance(value, str):
            if "@" not in "".join(t for t in part if not t.startswith(('"', "\\"))):
                return f"its number format '{code}' shows '{visible(literal.strip())}' instead of the text"
            return None
        if not isinstance(value, numbers.Real):
            return None
        bare = "".join(t for t in part if not t.startswith(('"', "\\", "[")) and not (t[0] in "_*" and len(t) == 2))
        if not re.search(r"[0#?]", bare) and "general" not in bare.lower():
            if float(value) == 0 and len(self.parts) >= 3 and literal.strip() in ("-", "\u2013"):
                return None  # an accounting format's dash for zero
            return f"its number format '{code}' shows the text '{visible(literal.strip())}' instead of the value"
        digits = re.findall(r"[1-9]", bare) + re.findall(r"\d", literal)
        if digits:
            return (f"its number format '{code}' writes the digit(s) {''.join(digits)} beside the value, so the screen "
                    "shows another number")
        if "%" in bare:
            return (f"its number format '{code}' is a percentage: the screen shows the value times 100 "
                    f"({float(value) * 100:g}%)")
        if re.search(r"[0#?],+(?![,]*[0#?])", bare.split(".")[0]):
            return (f"its number format '{code}' divides the value by 1,000 for each comma after its last digit (the "
                    "screen shows another number)")
        return None


def _literal(token: str) -> str:
    """The text a number format's token writes as it is (a quoted text, an escaped character)."""
    if token.startswith('"'):
        return token.strip('"')
    if token.startswith("\\"):
        return token[1:]
    return ""


def hiding_styles(path: str | Path) -> dict[int, Hiding]:
    """The cell styles of an ``.xlsx`` (by their index, a cell's ``s``) that can hide a value;
    read once per file version."""
    path = Path(path)
    stat = path.stat()
    return _hiding_styles(str(path.resolve()), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=4)
def _hiding_styles(path_text: str, _size: int, _mtime_ns: int) -> dict[int, Hiding]:
    try:
        with zipfile.ZipFile(path_text) as zf:
            if "xl/styles.xml" not in zf.namelist() or zf.getinfo("xl/styles.xml").file_size > 50_000_000:
                return {}
            root = ET.fromstring(zf.read("xl/styles.xml"))
            theme = _theme(zf)
    except (zipfile.BadZipFile, ET.ParseError, OSError, KeyError):
        return {}
    palette = _palette(root.find(f"{M}colors/{M}indexedColors"))
    colours = _Colours(theme, palette)
    from openpyxl.styles.numbers import BUILTIN_FORMATS

    formats = dict(BUILTIN_FORMATS) | {int(f.get("numFmtId", "-1")): f.get("formatCode", "")
                                       for f in root.iter(f"{M}numFmt") if f.get("numFmtId", "").isdigit()}
    fonts = [(colours.of(f.find(f"{M}color"), BLACK), _size_of(f), _struck(f))
             for f in root.iterfind(f"{M}fonts/{M}font")]
    fills = [_fill(f, colours) for f in root.iterfind(f"{M}fills/{M}fill")]
    out = {}
    for i, xf in enumerate(root.iterfind(f"{M}cellXfs/{M}xf")):
        code = (formats.get(int(xf.get("numFmtId"))) if xf.get("numFmtId", "").isdigit() else None) or "General"
        font, size, strike = fonts[int(xf.get("fontId", "0"))] if xf.get("fontId", "0").isdigit() and \
            int(xf.get("fontId", "0")) < len(fonts) else (BLACK, None, False)
        fill = fills[int(xf.get("fillId", "0"))] if xf.get("fillId", "0").isdigit() and \
            int(xf.get("fillId", "0")) < len(fills) else WHITE
        style = Hiding(code, tuple(tuple(p) for p in sections(code)), font, size, fill, tuple(palette), strike)
        if _can_hide(style):
            out[i] = style
    return out


def _size_of(font: ET.Element) -> float | None:
    try:
        sz = font.find(f"{M}sz")
        return None if sz is None else float(sz.get("val", ""))
    except ValueError:
        return None


def _struck(font: ET.Element) -> bool:
    strike = font.find(f"{M}strike")
    return strike is not None and strike.get("val", "1").lower() not in ("0", "false")


def _fill(fill: ET.Element, colours: _Colours) -> tuple[int, int, int] | None:
    """The colour a fill shows: none is the sheet's white; a solid pattern its foreground;
    another pattern or a gradient: not one colour (None)."""
    pattern = fill.find(f"{M}patternFill")
    if pattern is None:
        return None if fill.find(f"{M}gradientFill") is not None else WHITE
    kind = pattern.get("patternType", "none")
    if kind == "none":
        return WHITE
    if kind == "solid":
        return colours.of(pattern.find(f"{M}fgColor"), None)
    return None


def _can_hide(style: Hiding) -> bool:
    probes = ("x", 1, -1, 0, True, datetime(1900, 2, 24))
    return style.strike or any(style.why(v) or style.changes(v) for v in probes)


def hidden_cell_problems(grid: list[tuple], found: list[tuple[int, int, int]], styles: dict[int, Hiding]) -> list:
    """A problem for each filled cell whose style hides its value (``found``: row, column,
    style of the cells with a hiding style, 1-based, from :func:`analysis.data.sheet_rows.sheet_rows`)."""
    problems, struck = [], {}
    for row, col, style in found:
        value = grid[row - 1][col - 1] if row <= len(grid) and col <= len(grid[row - 1]) else None
        if is_blank(value):
            continue
        if styles[style].strike:
            struck.setdefault(row, []).append((col, value))
        why = styles[style].why(value)
        changed = None if why else styles[style].changes(value)
        if changed:
            problems.append(Problem(f"the cell shows another value than it holds: {changed}; nobody checked the value "
                                    "it holds on screen: set the cell's number format to General (Format Cells), "
                                    "check or correct the value, and save", column=column_letter(col), row=row - 2,
                                    value=value))
        if why:
            problems.append(Problem(f"the cell is hidden by its format: {why}; a hidden cell holds data nobody checked "
                                    "on screen: to read it, make it show (Format Cells: number format General, a "
                                    "font colour unlike the fill, a readable size); to skip it, clear the cell",
                                    column=column_letter(col), row=row - 2, value=value))
    for row, cells in sorted(struck.items()):  # one problem per row: a whole row is struck through at once
        letters = ", ".join(column_letter(c) for c, _ in cells[:5]) + (", ..." if len(cells) > 5 else "")
        problems.append(Problem(f"the text of {len(cells)} filled cell(s) of the row is struck through ({letters}), as "
                                "a withdrawn person or a cancelled entry is marked: delete the row (or clear the cell) "
                                "when it no longer holds, or remove the strikethrough (Format Cells, Font) to read it",
                                column=column_letter(cells[0][0]), row=row - 2, value=cells[0][1]))
    return problems
