"""Reading raw files (CSV/TSV with Dutch conventions, Excel, Parquet) with every cell as
text: the checks on the path, the format (by content, not only by name), the encoding, the
separator and the structure (fields per row, quotes) that come before any parsing. Every
failure is an :class:`InputError` naming the file, the line or sheet, and the rule; the
content of a file that is not a data file is never quoted."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.data.cells import header_text, is_blank
from analysis.data.encodings import check_single_encoding, line_of
from analysis.data.errors import InputError, Problem
from analysis.data.hidden import hidden_column_problems
from analysis.data.sheet_grid import read_sheet, stray_cells
from analysis.data.xlsx_parts import column_letter, openable, sheet_parts
from analysis.system_paths import system_folder

MAGIC = {b"PK\x03\x04": "xlsx", b"\xd0\xcf\x11\xe0": "xls", b"PAR1": "parquet"}
SUFFIX_FORMAT = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".parquet": "parquet", ".xlsb": "xlsb",
                 ".ods": "ods", ".numbers": "numbers"}
UNREAD_FORMATS = {"xlsb": "binary Excel workbooks (.xlsb)", "ods": "OpenDocument spreadsheets (.ods)",
                  "numbers": "Numbers spreadsheets (.numbers)"}
FORMAT_NAME = {"xlsx": "an Excel workbook (.xlsx)", "xls": "an old Excel 97-2003 workbook (.xls)",
               "parquet": "a Parquet file", "text": "text (CSV)"}


@dataclass(frozen=True)
class RawTable:
    """A file's cells (text, or typed where the format has types), the number convention
    its numbers follow (``nl``, ``point`` or ``None``: see :mod:`analysis.data.parsing`)
    and how its rows are named in messages (``line``, ``sheet:<name>``, ``row``)."""

    frame: pd.DataFrame
    convention: str | None
    rows: str


def check_path(path: Path) -> None:
    """The path must be a regular file that is not empty, not a file of the running system
    (:func:`analysis.system_paths.system_folder`); a symbolic link is not followed."""
    folder = system_folder(path)
    if folder is not None:
        raise InputError(path, [Problem("the path must be a data file, not a file of the running system "
                                        f"({folder}); give the path of the export or CSV file")])
    if path.is_symlink():
        raise InputError(path, [Problem("the path must be the data file itself, not a symbolic link "
                                        "(links are not followed; give the path of the file it points to)")])
    if not path.exists():
        raise InputError(path, [Problem(f"the file must exist (looked for {path})")])
    if path.is_dir():
        raise InputError(path, [Problem("the path must be a file, not a folder")])
    if not path.is_file():
        raise InputError(path, [Problem("the path must be a regular file (not a device, pipe or socket)")])
    if path.stat().st_size == 0:
        raise InputError(path, [Problem("the file must not be empty (0 bytes)")])


def sniff_format(path: Path) -> str:
    """The file's format by its first bytes, checked against its name."""
    with open(path, "rb") as fh:
        head = fh.read(4)
    found = MAGIC.get(head, "text")
    named = SUFFIX_FORMAT.get(path.suffix.lower(), "text")
    if named in UNREAD_FORMATS:
        raise InputError(path, [Problem(f"{UNREAD_FORMATS[named]} are not read: open the file in Excel or "
                                        "LibreOffice and save it as .xlsx (Excel Workbook) or as CSV")])
    if found != named:
        raise InputError(path, [Problem(f"the file's name says {FORMAT_NAME[named]} but it holds "
                                        f"{FORMAT_NAME[found]}; give it the right extension")])
    if found == "xls":
        raise InputError(path, [Problem("old Excel 97-2003 workbooks (.xls) are not read: open the file in "
                                        "Excel or LibreOffice and save it as .xlsx or as CSV")])
    return found


def read_raw(path: str | Path) -> RawTable:
    """Read a CSV/TSV, Excel or Parquet file with every cell as text (Excel and Parquet keep
    their types)."""
    path = Path(path)
    check_path(path)
    fmt = sniff_format(path)
    if fmt == "xlsx":
        table = read_excel(path)
    elif fmt == "parquet":
        table = RawTable(read_parquet(path), None, "row")
    else:
        table = read_text(path)
    table.frame.columns = [str(c).strip() for c in table.frame.columns]
    if table.frame.empty:
        raise InputError(path, [Problem("the file must contain at least one data row (only a header found)")],
                         rows=table.rows)
    return table


def decode(raw: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's "Unicode text"), else
    Windows-1252 / Latin-1 as Dutch Excel writes CSV; never a mix of UTF-8 and another."""
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8")
        except UnicodeDecodeError as exc:
            check_single_encoding(raw, path)
            raise InputError(path, [Problem(f"the file starts as UTF-8 (byte-order mark) but line "
                                            f"{line_of(raw, exc.start + 3)} is not UTF-8; save it again as UTF-8 "
                                            "CSV")]) from None
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        try:
            return raw.decode("utf-32")
        except UnicodeDecodeError as exc:
            raise InputError(path, [Problem(f"the file starts as UTF-32 but byte {exc.start:,} is not UTF-32; "
                                            "save it again as UTF-8 CSV")]) from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(path, [Problem(f"the file starts as UTF-16 but byte {exc.start} is not UTF-16; "
                                            "save it again as UTF-8 CSV")]) from None
    if b"\x00" in raw[:4096]:
        raise InputError(path, [Problem(nul_bytes_rule(raw[:4096]))])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        check_single_encoding(raw, path)
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError:
            return raw.decode("latin-1")


_WIDE_ENCODINGS = (("UTF-32", "big-endian", 4, 3), ("UTF-32", "little-endian", 4, 0),
                   ("UTF-16", "big-endian", 2, 1), ("UTF-16", "little-endian", 2, 0))


def nul_bytes_rule(head: bytes) -> str:
    """What a text file with NUL bytes is: UTF-16 or UTF-32 written without a byte-order
    mark (each letter of plain text then has its NUL bytes in the same places), or no text."""
    head = head[:len(head) - len(head) % 4]
    for name, order, width, place in _WIDE_ENCODINGS:
        letters = head[place::width]
        nuls = bytes(b for i, b in enumerate(head) if i % width != place)
        if letters and not nuls.strip(b"\x00") and b"\x00" not in letters.rstrip(b"\x00"):
            return (f"the file is {name} without a byte-order mark ({order} text), so its encoding cannot be told "
                    "for certain: save it again as UTF-8 CSV (Excel: 'CSV UTF-8'), or with the mark ('Unicode text')")
    return ("the file holds NUL bytes but is not UTF-16 or UTF-32 text: it is not a text file; give the CSV "
            "export (UTF-8)")


def sniff_separator(header: str) -> str:
    counts = {sep: header.count(sep) for sep in (";", ",", "\t", "|")}
    return max(counts, key=lambda s: (counts[s], s == ","))


_SEP_HINT = re.compile(r"^\s*sep=(.)\s*$", re.IGNORECASE)


def separator_hint_rule(first: str) -> str | None:
    """Why a first line ``sep=;`` (Excel's hint of the separator, which Excel reads and does not
    show) is refused, naming it; None for any other line. Not skipped: every line number of a
    message would then differ from the file's (hostile round 16: it was refused as "a title line
    above the header")."""
    m = _SEP_HINT.match(first)
    if m is None:
        return None
    return (f"the first line must be the header; this one is Excel's separator hint (sep={m[1]}), which Excel "
            "reads and does not show: delete the line (the separator is found from the header), or save the "
            "file again from Excel as CSV")


MAX_COLUMNS = 1_000  # columns of a text table: the codebook's widest has 33
UNREAD_ROWS = "unread_rows"  # frame.attrs: data row -> the Problem of a row whose fields could not be told apart


def read_text(path: Path) -> RawTable:
    raw = path.read_bytes()
    text = decode(raw, path)
    if not text or text.isspace():  # what text.strip() would leave empty, without copying the text
        raise InputError(path, [Problem("the file must contain a header and data rows (it is blank)")])
    first = first_line(text)
    if hint := separator_hint_rule(first):
        raise InputError(path, [Problem(hint, line=1, value=first)])
    sep = sniff_separator(first)
    header = [h.strip() for h in next(csv.reader([first], delimiter=sep))]
    if len(header) > MAX_COLUMNS:  # refused from the header, before a parser builds 50,000 columns (minutes)
        raise InputError(path, [Problem(f"the header has {len(header):,} fields; a table is read with at most "
                                        f"{MAX_COLUMNS:,} columns (a table of the codebook has far fewer): is this "
                                        "the right file, and the right separator?", line=1)])
    dupes = sorted(h for h, n in Counter(header).items() if n > 1 and h)  # one pass: a header may be very wide
    if dupes:
        raise InputError(path, [Problem(f"column '{h}' appears more than once in the header", h) for h in dupes])
    frame = read_csv_text(text, sep, path, utf8_bytes(raw, text))
    unread = frame.attrs.get(UNREAD_ROWS) or {}
    frame = without_headerless(frame, header, path, "line")
    frame.attrs[UNREAD_ROWS] = unread
    frame.attrs["lines"] = record_lines(text, sep, len(frame))
    return RawTable(frame, "nl" if sep == ";" else "point", "line")


def first_line(text: str) -> str:
    """The first line of ``text`` after its leading line breaks (``text.lstrip("\\r\\n")
    .splitlines()[0]``), found without splitting a file of a million lines: the line ends at
    the first ``\\n`` at the latest, so only the text up to it is split."""
    start = 0
    while start < len(text) and text[start] in "\r\n":
        start += 1
    end = text.find("\n", start)
    lines = text[start:end if end >= 0 else len(text)].splitlines()
    return lines[0] if lines else ""


_UTF8_BOM = b"\xef\xbb\xbf"


def utf8_bytes(raw: bytes, text: str) -> bytes:
    """``text.encode("utf-8")`` for ``text = decode(raw)``, without encoding a large file
    again where ``raw`` already holds those bytes: after a UTF-8 byte-order mark, and where
    :func:`decode` read UTF-8 (then fewer characters than bytes, or only ASCII; the one-byte
    encodings it falls back to give one character per byte)."""
    if raw.startswith(_UTF8_BOM):
        return raw[len(_UTF8_BOM):]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):  # UTF-16 or UTF-32
        return text.encode("utf-8")
    return raw if len(text) < len(raw) or raw.isascii() else text.encode("utf-8")


def record_lines(text: str, sep: str, records: int) -> list[int] | None:
    """The line of the file each data record starts on, when that is not simply its number
    plus one (a quoted cell with a line break, blank lines): a message names the line a
    text editor shows. None when every record is on its own line (found by counting, without
    reading the text again)."""
    if text.count("\n") + (not text.endswith("\n")) == records + 1:
        return None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    starts, start = [], 1
    try:
        for record in reader:
            if record:  # blank lines are skipped, as the readers do
                starts.append(start)
            start = reader.line_num + 1
    except csv.Error:
        return None
    lines = starts[1:]  # the first record is the header
    return lines if len(lines) == records else None


def without_headerless(frame: pd.DataFrame, header: list, path: Path, rows: str) -> pd.DataFrame:
    """``frame`` without the columns whose header cell is empty and that hold no data (nothing
    is lost); a column with data but no header is refused naming its position and letter
    (pandas would call it ``Unnamed: 33``, a name the file does not have)."""

    blank = [j for j, h in enumerate(header) if is_blank(h) and j < frame.shape[1]]
    if not blank:
        return frame
    filled = [j for j in blank if not frame.iloc[:, j].map(is_blank).all()]
    if filled:
        where = "line 1" if rows == "line" else "row 1 of the sheet"
        raise InputError(path, [Problem(
            f"column {j + 1} ({column_letter(j + 1)} in a spreadsheet) has no header but holds data: write the "
            f"codebook's name of the column in its header cell ({where}), or delete the column when it is not data",
            line=1 if rows == "line" else None) for j in filled], rows=rows)
    return frame.drop(columns=frame.columns[blank])


def read_csv_text(text: str, sep: str, path: str | Path = "<text>", data: bytes | None = None) -> pd.DataFrame:
    """Every cell as text. pyarrow's reader first (multi-threaded: 1 s instead of 8 s for a
    million rows); a text it refuses (a row with more or fewer fields than the header, an
    unbalanced quote, a line break inside quotes) is read by the standard ``csv`` module,
    which either reads it (quoted line breaks) or says which line breaks which rule.
    ``data``: the text's UTF-8 bytes where the caller has them (:func:`utf8_bytes`)."""
    try:
        return pd.read_csv(io.BytesIO(text.encode("utf-8") if data is None else data), sep=sep, dtype=str,
                           keep_default_na=False, engine="pyarrow")
    except Exception:  # noqa: BLE001 - the csv module decides what is wrong
        return read_csv_strict(text, sep, path)


def read_csv_strict(text: str, sep: str, path: str | Path) -> pd.DataFrame:
    """Read with ``csv`` in strict mode; every row must have the header's number of fields."""
    lines = text.splitlines()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    records, problems, start = [], [], 1
    try:
        for record in reader:
            if record:  # blank lines are skipped, as pandas and pyarrow do
                records.append((start, record))
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.append(Problem(_csv_rule(str(exc)), line=start, value=_line(lines, start)))
    if not records:
        raise InputError(path, problems or [Problem("the file must contain a header and data rows")])
    header = records[0][1]
    widths = {len(r) for _, r in records[1:]}
    if len(records) > 2 and len(widths) == 1 and len(header) not in widths:
        raise InputError(path, [Problem(
            f"the first line must be the header with one name per field: it has {len(header)} fields, every row "
            f"below it has {widths.pop()} (a title line above the header, or a header with another separator "
            "than the rows?)", line=1, value=lines[0] if lines else None)])
    ragged = {}
    for row, (line, record) in enumerate(records[1:]):
        if len(record) != len(header):
            ragged[row] = Problem(f"every row must have the header's {len(header)} fields; this one has "
                                  f"{len(record)} (a separator too many or too few, or a field with '{sep}' "
                                  "that is not in quotes)", row=row, line=line, value=_line(lines, line))
    if problems:  # the text breaks off: nothing after the break can be read
        raise InputError(path, problems + list(ragged.values()))
    frame = pd.DataFrame([[""] * len(header) if i in ragged else r for i, (_, r) in enumerate(records[1:])],
                         columns=header, dtype=str)
    frame.attrs[UNREAD_ROWS] = ragged  # the other rows are checked too (loading.validated_beside_unread)
    return frame


def _csv_rule(message: str) -> str:
    if "unexpected end of data" in message or "EOF" in message:
        return "every quote that opens a field must close it: this line opens a quoted field that never ends"
    if "field larger than field limit" in message:
        return f"a field may hold at most {csv.field_size_limit():,} characters: this line has a longer one"
    if "expected after" in message:
        return "a quoted field must end at the closing quote: text follows the closing quote on this line"
    return f"the text must be valid CSV ({message})"


def _line(lines: list[str], number: int) -> str | None:
    return lines[number - 1] if 0 < number <= len(lines) else None


def read_excel(path: Path) -> RawTable:
    """The first sheet, every cell as written (dates and numbers typed). Only that sheet is
    unpacked, after the checks of :mod:`analysis.data.xlsx_parts` (size, formulas without a
    computed value, external links, error cells, merged cells, hidden rows, a hidden sheet).
    A first sheet without data rows while another sheet has them is explained, not read as
    empty."""

    parts = sheet_parts(path)
    if not parts:
        raise InputError(path, [Problem("the workbook must have a sheet")])
    first = parts[0]
    try:
        grid = read_sheet(path, first)
    except InputError as exc:
        raise InputError(path, [_named_column(p, exc) for p in exc.problems], rows=exc.rows) from None
    name = first.name

    hidden = hidden_column_problems(path, first.part, grid)
    if hidden:
        raise InputError(path, hidden, rows=f"sheet:{name}")
    stray = stray_cells(grid)
    if stray:
        error = InputError(path, stray, rows=f"sheet:{name}")
        error.header = grid[0]
        raise InputError(path, [_named_column(p, error) for p in stray], rows=f"sheet:{name}")
    try:
        frame = pd.read_excel(openable(path, {first.part}), dtype=object, sheet_name=name, keep_default_na=False)
    except Exception as exc:  # noqa: BLE001 - a damaged workbook: say so, do not quote it
        raise InputError(path, [Problem(f"the workbook must be readable ({type(exc).__name__}: "
                                        f"{str(exc)[:120]}); open and save it again in Excel")]) from None
    if frame.empty:
        for other in parts[1:]:
            if other.hidden:
                continue
            n = max(sum(1 for r in read_sheet(path, other) if any(v is not None for v in r)) - 1, 0)
            if n:
                raise InputError(path, [Problem(
                    f"the data must be on the first sheet: sheet '{name}' has no data rows, sheet '{other.name}' has "
                    f"{n}; move sheet '{other.name}' to the front or delete sheet '{name}'")], rows=f"sheet:{name}")
    header = list(grid[0]) if grid else []
    del grid
    if not frame.empty and (elsewhere := _rows_on_other_sheets(path, parts[1:], header)):
        raise InputError(path, [Problem(
            f"the data must all be on the first sheet: sheet '{name}' has {len(frame)} data row(s), and "
            + ", ".join(f"sheet '{other}' has {n} more under the same headers" for other, n in elsewhere)
            + "; only the first sheet is read: put every person on the first sheet, or delete the other sheet(s)")],
            rows=f"sheet:{name}")
    first_frame = without_headerless(frame, header, path, f"sheet:{name}")
    dupes = [c for c in first_frame.columns if re.fullmatch(r"(.+)\.\d+", str(c))
             and re.sub(r"\.\d+$", "", str(c)) in first_frame.columns]  # pandas renames a repeated header
    if dupes:
        raise InputError(path, [Problem(f"column '{re.sub(r'.[0-9]+$', '', str(c))}' appears more than once "
                                        "in the header", re.sub(r"\.\d+$", "", str(c))) for c in dupes],
                         rows=f"sheet:{name}")
    out = first_frame.map(_as_written)
    return RawTable(out, None, f"sheet:{name}")


def _rows_on_other_sheets(path: Path, others, header: list) -> list[tuple[str, int]]:
    """The visible sheets after the first whose first row holds at least half of the first
    sheet's headers (the same table continued: people split over two sheets were half read
    without a word, hostile round 14 H3), each with its number of data rows. A sheet of notes
    (other headers) and a sheet that cannot be read are not counted: only the first is read."""
    names = {header_text(h) for h in header if h is not None and str(h).strip()}
    found = []
    for other in others:
        if other.hidden or len(names) < 2:
            continue
        try:
            grid = read_sheet(path, other)
        except InputError:
            continue
        top = {header_text(h) for h in (grid[0] if grid else ()) if h is not None and str(h).strip()}
        n = sum(1 for r in grid[1:] if any(v is not None and str(v).strip() for v in r))
        if n and 2 * len(top & names) >= len(names):
            found.append((other.name, n))
    return found


def _as_written(value: object) -> object:
    """A workbook cell as the rules read it: empty as "", a logical cell as the text Excel
    shows (TRUE/FALSE: Python's True is also the number 1, so an Excel TRUE in the triage
    column was read as path 1), anything else as typed."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, bool | np.bool_):
        return "TRUE" if value else "FALSE"
    return value


def _named_column(problem: Problem, exc: InputError) -> Problem:
    """A sheet problem with the column named by its header (row 1) instead of its letter."""
    header = getattr(exc, "header", None)
    if not header or problem.column is None:
        return problem
    letters = {column_letter(i + 1): str(h).strip() for i, h in enumerate(header) if h is not None}
    return replace(problem, column=letters.get(problem.column, problem.column))


def read_parquet(path: Path) -> pd.DataFrame:
    """A Parquet file as written, refusing what cannot be read faithfully: a damaged or
    truncated file, duplicate column names, time-zone-aware timestamps, cells of several values
    (lists, structs, maps)."""
    # pyarrow.parquet (0.1 s) only for a Parquet input: loaded when one is read
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        with pq.ParquetFile(path) as parquet:
            schema = parquet.schema_arrow
            names = schema.names
            problems = [Problem(f"column '{n}' appears more than once", n)
                        for n, k in sorted(Counter(names).items()) if k > 1]
            problems += [Problem(f"dates must be plain dates or timestamps without a time zone; this column has "
                                 f"time zone {f.type.tz}", f.name)
                         for f in schema if pa.types.is_timestamp(f.type) and f.type.tz]
            # hostile round 18: a list column was reported as a damaged file
            problems += [Problem(f"a cell must hold one value; this column holds several per cell (Parquet type "
                                 f"{f.type}): write one column per item, or one row per value in a sheet of its own",
                                 f.name)
                         for f in schema if pa.types.is_nested(f.type)]
            if problems:
                raise InputError(path, problems, rows="row")
            return parquet.read().to_pandas()
    except (pa.ArrowException, OSError) as exc:
        first = str(exc).splitlines()[0][:120]
        raise InputError(path, [Problem(f"the file must be a complete Parquet file (it is damaged or "
                                        f"truncated: {first})")], rows="row") from None
