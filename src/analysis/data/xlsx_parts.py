"""What an ``.xlsx`` workbook holds before any sheet is unpacked: its sheets (name, part,
hidden or not), the unpacked size of each part, external links; and, per sheet that is to
be read, a scan of its XML for merged cells, hidden rows, formulas and error cells.

Why by hand, next to openpyxl: openpyxl unpacks a sheet to read it, so a sheet that
unpacks to a gigabyte (a zip bomb among the ignored sheets) costs that gigabyte; it says
nothing of hidden rows in read-only mode and does not expose merged cells there. The zip
directory gives every part's unpacked size for free, and a streamed regex over the XML of
the sheets that are read finds the rest. Reading itself stays with openpyxl.
"""

from __future__ import annotations

import io
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from analysis.data.cells import is_blank
from analysis.data.errors import InputError, Problem

MAX_PART_BYTES = 400_000_000  # unpacked XML of one sheet or of the shared strings
MAX_RATIO = 200  # unpacked / packed size of one part above 10 MB (sheet XML packs 5 to 30 times)
# unpacked XML of a sheet that is read: about 140,000 rows of the synthetic export's 19 columns (700 bytes a row);
# a pilot's export holds hundreds. openpyxl reads 1 MB of sheet XML in about 0.1 s of CPU and holds each row as
# Python objects: the 32 MB workbook of hostile round 13 (368 MB of XML, 521,000 rows) ran over 15 minutes.
MAX_READ_SHEET_BYTES = 100_000_000
MAX_READ_TOTAL_BYTES = 250_000_000  # all sheets an export's mapping reads (100,000 synthetic people: 168 MB)
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}
CHUNK = 1 << 20
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell [^>]*ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
MIN_ROW_POINTS = 3.0  # a row lower than this shows no legible text: hidden on screen without the hidden mark
_BELOW_3 = rb'0*[0-2](?:\.\d*)?|0*\.\d+'
# a row marked hidden, or too low to show its text (ht="0" or "0.1": hidden on screen, not marked hidden)
_HIDDEN_ROW = re.compile(rb'<(?:\w+:)?row\s(?=[^>]*?\b(?:hidden="(?:1|true)"|ht="(?:' + _BELOW_3 + rb')"))[^>]*>')
_ROW_TAG = re.compile(rb"<(?:\w+:)?row\s[^>]*>")
_ROW_ATTRIBUTE = re.compile(rb'\b(r|hidden|ht)="([^"]*)"')
_FORMAT_PR = re.compile(rb"<(?:\w+:)?sheetFormatPr\s[^>]*>")
_FORMAT_ATTRIBUTE = re.compile(rb'\b(zeroHeight|defaultRowHeight|defaultColWidth|baseColWidth)="([^"]*)"')
_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")
_ERROR = re.compile(rb'\bt="e"')


@dataclass(frozen=True)
class SheetPart:
    name: str
    part: str  # path inside the zip, e.g. xl/worksheets/sheet1.xml
    hidden: bool
    chart: bool = False  # a chart sheet (xl/chartsheets/): a chart, no cells


@dataclass
class SheetScan:
    merges: list[tuple[str, int, int]] = field(default_factory=list)  # (range, first row, last row)
    hidden_rows: list[int] = field(default_factory=list)
    row_hiding: dict[int, str] = field(default_factory=dict)  # hidden row -> what hides it
    formulas: bool = False
    errors: bool = False


def refuse(path: Path, rule: str, sheet: str | None = None) -> InputError:
    return InputError(path, [Problem(rule)], rows=f"sheet:{sheet}" if sheet else "line")


def sheet_parts(path: Path) -> list[SheetPart]:
    """The workbook's sheets in tab order, from ``xl/workbook.xml`` and its relationships."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "xl/workbook.bin" in names:
                raise refuse(path, "the file is a binary Excel workbook (.xlsb) named .xlsx; save it as .xlsx "
                                   "(Excel Workbook) or as CSV")
            book = ET.fromstring(_limited(zf, "xl/workbook.xml", path))
            rels = ET.fromstring(_limited(zf, "xl/_rels/workbook.xml.rels", path))
    except (zipfile.BadZipFile, KeyError, ET.ParseError, OSError) as exc:
        raise refuse(path, f"the workbook must be readable, a complete .xlsx file ({type(exc).__name__}); open "
                           "and save it again in Excel") from None
    targets = {r.get("Id"): r.get("Target", "") for r in rels.findall("rel:Relationship", NS)}
    charts = {r.get("Id") for r in rels.findall("rel:Relationship", NS) if r.get("Type", "").endswith("/chartsheet")}
    out = []
    for sheet in book.findall("m:sheets/m:sheet", NS):
        target = targets.get(sheet.get(f"{{{NS['r']}}}id"), "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        chart = sheet.get(f"{{{NS['r']}}}id") in charts or part.startswith("xl/chartsheets/")
        out.append(SheetPart(sheet.get("name", ""), part, sheet.get("state", "visible") != "visible", chart))
    return out


def _limited(zf: zipfile.ZipFile, part: str, path: Path) -> bytes:
    info = zf.getinfo(part)
    if info.file_size > 10_000_000:
        raise refuse(path, f"the workbook's part {part} unpacks to {info.file_size:,} bytes; a workbook index is "
                           "never that large (damaged or built to exhaust memory)")
    return zf.read(part)


def guard_sizes(path: Path, parts: list[str]) -> None:
    """Refuse before unpacking when one of ``parts`` or of the parts openpyxl reads on
    opening (everything but the worksheets) unpacks beyond :data:`MAX_PART_BYTES`, or beyond
    10 MB at more than :data:`MAX_RATIO` times its packed size."""
    with zipfile.ZipFile(path) as zf:
        infos = {i.filename: i for i in zf.infolist()}
        opened = [n for n in infos if not n.startswith("xl/worksheets/") and not n.startswith("xl/media/")]
        for part in [*parts, *opened]:
            info = infos.get(part)
            if info is None:
                continue
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > MAX_PART_BYTES or (ratio > MAX_RATIO and info.file_size > 10_000_000):
                raise refuse(path, f"the part {part} unpacks to {info.file_size:,} bytes ({ratio:,.0f} times its "
                                   f"packed size); a part is read up to {MAX_PART_BYTES:,} bytes and, above 10 MB, "
                                   f"up to {MAX_RATIO} times its packed size (a zip bomb is not unpacked). Split "
                                   "the export or delete what is not needed")


def guard_read_sheet(path: Path, part: SheetPart) -> None:
    """Refuse, from the zip directory (nothing unpacked), a sheet to be read whose XML unpacks
    beyond :data:`MAX_READ_SHEET_BYTES`, naming the sheet, its size and the limit."""
    with zipfile.ZipFile(path) as zf:
        try:
            size = zf.getinfo(part.part).file_size
        except KeyError:
            return
    if size > MAX_READ_SHEET_BYTES:
        raise InputError(path, [Problem(
            f"the sheet unpacks to {size:,} bytes of XML (about {size // 700:,} rows); a sheet is read up to "
            f"{MAX_READ_SHEET_BYTES:,} bytes (about {MAX_READ_SHEET_BYTES // 700:,} rows of 19 columns; a pilot's "
            "export holds hundreds), so that reading it takes a minute at most: is this the right file? Delete "
            "the rows that are not the pilot's, or split the export")], rows=f"sheet:{part.name}")


def part_size(path: Path, part: SheetPart) -> int:
    """The unpacked size of ``part``'s XML, from the zip directory (0 when it is not there)."""
    with zipfile.ZipFile(path) as zf:
        try:
            return zf.getinfo(part.part).file_size
        except KeyError:
            return 0


def unread_sheets_without_size(path: Path, keep: set[str]) -> list[str]:
    """Worksheet parts other than ``keep`` that openpyxl would parse whole on opening: larger
    than 1 MB unpacked with no ``<dimension>`` element in their first 4 KB (openpyxl reads a
    sheet until it finds one)."""
    out = []
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            name = info.filename
            if not name.startswith("xl/worksheets/") or not name.endswith(".xml") or name in keep:
                continue
            if info.file_size <= 1_000_000:
                continue
            with zf.open(info) as fh:
                head = fh.read(4096)
            if not re.search(rb"<(?:\w+:)?dimension ", head):
                out.append(name)
    return out


def openable(path: Path, keep: set[str]):
    """``path``, or, when other sheets would cost openpyxl a full parse
    (:func:`unread_sheets_without_size`), an in-memory copy in which those sheets are empty."""
    stub = unread_sheets_without_size(path, keep)
    if not stub:
        return path
    buffer = io.BytesIO()
    empty = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS["m"]}"><sheetData/></worksheet>'
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for info in src.infolist():
            if info.filename in stub:
                dst.writestr(info, empty)
            else:
                with src.open(info) as fh, dst.open(info, "w") as out:
                    while block := fh.read(CHUNK):
                        out.write(block)
    buffer.seek(0)
    return buffer


def external_links(path: Path) -> bool:
    with zipfile.ZipFile(path) as zf:
        return any(n.startswith("xl/externalLinks/") for n in zf.namelist())


def scan_sheet(path: Path, part: str) -> SheetScan:
    """Merged ranges, hidden rows and whether formulas or error cells occur, by a streamed
    scan of the sheet's XML (chunks overlap, so no tag is cut)."""
    scan = SheetScan()
    seen_rows: set[int] = set()
    default: str | None = None
    with zipfile.ZipFile(path) as zf, zf.open(part) as fh:
        tail, first = b"", True
        while True:
            block = fh.read(CHUNK)
            data = tail + block
            if first:
                first, default = False, default_row_hiding(data)
            for m in _MERGE.finditer(data):
                rng = m.group(1).decode() + m.group(2).decode() + (
                    ":" + m.group(3).decode() + m.group(4).decode() if m.group(3) else "")
                entry = (rng, int(m.group(2)), int(m.group(4) or m.group(2)))
                if entry not in scan.merges:
                    scan.merges.append(entry)
            for m in (_ROW_TAG if default else _HIDDEN_ROW).finditer(data):
                found = row_hiding(m.group(), default)
                if found is not None and found[0] not in seen_rows:
                    seen_rows.add(found[0])
                    scan.hidden_rows.append(found[0])
                    scan.row_hiding[found[0]] = found[1]
            scan.formulas = scan.formulas or bool(_FORMULA.search(data))
            scan.errors = scan.errors or bool(_ERROR.search(data))
            if not block:
                break
            tail = data[-512:]
    return scan


def sheet_format(head: bytes) -> dict[bytes, bytes]:
    """The attributes of a sheet's ``<sheetFormatPr>`` (its default row height and column
    width), found in the XML before ``<sheetData>``."""
    found = _FORMAT_PR.search(head.split(b"<sheetData")[0])
    return dict(_FORMAT_ATTRIBUTE.findall(found.group())) if found else {}


def _number(text: bytes | None) -> float | None:
    try:
        return None if text is None else float(text)
    except ValueError:
        return None


def default_row_hiding(head: bytes) -> str | None:
    """What hides the rows of a sheet that state no height of their own, or None."""
    form = sheet_format(head)
    if form.get(b"zeroHeight") in (b"1", b"true"):
        return "the sheet hides every row without a height of its own (zeroHeight)"
    height = _number(form.get(b"defaultRowHeight"))
    if height is not None and height < MIN_ROW_POINTS:
        return f"the sheet's default row height is {height:g} pt, too low to show text"
    return None


def row_hiding(tag: bytes, default: str | None) -> tuple[int, str] | None:
    """The row number of a ``<row>`` tag and what hides the row, or None when it shows."""
    attrs = dict(_ROW_ATTRIBUTE.findall(tag))
    if not attrs.get(b"r", b"").isdigit():
        return None
    row = int(attrs[b"r"])
    if attrs.get(b"hidden") in (b"1", b"true"):
        return row, "marked hidden"
    height = _number(attrs.get(b"ht"))
    if height is not None:
        return (row, f"its height is {height:g} pt, too low to show text") if height < MIN_ROW_POINTS else None
    if attrs.get(b"hidden") in (b"0", b"false") and default and "zeroHeight" in default:
        return None
    return (row, default) if default else None


def part_of(path: Path, sheet: str) -> str:
    return next((p.part for p in sheet_parts(path) if p.name == sheet), "")


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    out = ""
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def layout_problems(scan: SheetScan, grid: list[tuple]) -> list[Problem]:
    """Merged cells below the title rows and hidden rows with data: each a problem (the
    value of a merged range sits in its first cell only; a hidden row is data nobody saw).
    Title rows are the rows above the first row with two or more filled cells."""
    header = next((i + 1 for i, r in enumerate(grid) if sum(not is_blank(v) for v in r) >= 2), 1)
    problems = [Problem(f"merged cells {rng}: only the first cell of a merged range holds its value, the others "
                        "read as empty; unmerge the range and fill every cell", row=first - 2)
                for rng, first, last in scan.merges if last >= header and (first != last or first > header)]
    problems += [Problem(f"the row is hidden ({scan.row_hiding.get(row, 'marked hidden')}): a hidden row holds data "
                         "nobody checked on screen, a totals row among them; to read it, unhide it (or give it a "
                         "height); to skip it, delete it", row=row - 2)
                 for row in scan.hidden_rows
                 if row <= len(grid) and any(not is_blank(v) for v in grid[row - 1])]
    return problems


def cell_problems(path: Path, sheet: str, grid: list[tuple], scan: SheetScan) -> list[Problem]:
    """Formula cells without a computed value, formulas that refer to another workbook, and
    error cells (#N/A, #DIV/0!, ...): each a problem with the formula or error as written."""
    if not (scan.formulas or scan.errors):
        return []
    import openpyxl  # only for an Excel file: loaded when one is read

    problems = []
    book = openpyxl.load_workbook(openable(path, {part_of(path, sheet)}), read_only=True, data_only=False)
    try:
        ws = book[sheet]
        ws.reset_dimensions()  # the stated used range may be stretched to XFD1048576 (see workbook.rows_as_written)
        for r, row in enumerate(ws.iter_rows(), start=1):
            for cell in row:
                value = getattr(cell, "value", None)
                col = getattr(cell, "column", None)
                if col is None:
                    continue
                cached = grid[r - 1][col - 1] if r - 1 < len(grid) and col - 1 < len(grid[r - 1]) else None
                where = dict(column=column_letter(col), row=r - 2)
                kind = getattr(cell, "data_type", None)
                if kind == "e" or (kind == "f" and isinstance(cached, str) and cached in EXCEL_ERRORS):
                    problems.append(Problem("the cell must hold a value, not an Excel error (its formula failed, "
                                            "or the error was typed): correct the formula or write the value, and "
                                            "leave the cell empty where it is not known",
                                            value=cached if isinstance(cached, str) else value, **where))
                elif kind == "f" and value is not None:
                    value = value if isinstance(value, str) else str(getattr(value, "text", None) or value)  # array
                    if re.search(r"\[[^\]]+\]", value):
                        problems.append(Problem("the cell's formula refers to another workbook; its value may be "
                                                "out of date: paste the values (Paste Special > Values)",
                                                value=value, **where))
                    elif cached is None:
                        problems.append(Problem("the cell holds a formula without a computed value (the program "
                                                "that wrote the file did not calculate it); open the file in Excel "
                                                "or LibreOffice and save it, or paste the values", value=value,
                                                **where))
    finally:
        book.close()
    return problems


EXCEL_ERRORS = {"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA", "#SPILL!",
                "#CALC!"}
