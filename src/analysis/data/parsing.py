"""Parsing text cells into typed values by a column's declared kind (numbers with Dutch
decimal commas, dates, yes/no words); unparseable cells become :class:`Problem` s."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.data.date_order import is_column_rule, one_format_reasons
from analysis.data.errors import Problem
from analysis.data.spec import Column

# The one yes/no vocabulary of every route (a CSV or workbook cell, an export's cell through its
# mapping, a mapping's code for a yes/no column), case ignored; documented in docs/real-data.md
TRUE_WORDS = frozenset({"true", "1", "ja", "j", "yes", "y", "waar", "x"})
FALSE_WORDS = frozenset({"false", "0", "nee", "n", "no", "onwaar"})
YES_NO_RULE = "ja/nee, true/false, j/n, yes/no, y/n, waar/onwaar, 1/0, or x for yes (case ignored)"
# Text that some programs write for a missing value (pandas' default na_values, Excel's
# error text in Dutch and English, placeholders). Not read as missing, nor as a value: an
# Excel error cell (#N/A) is refused on the workbook route, so its text is refused on the
# text route too, the same rule on both (issue 28). A value not known is an empty cell.
MISSING_TEXTS = {"na", "n/a", "nan", "none", "null", "-", "--", "#n/b", "#n/a", "#na", "<na>", "nat", "n.v.t.",
                 "-nan", "1.#ind", "1.#qnan", "#null!", "#ref!", "#value!", "#waarde!", "#div/0!", "#num!",
                 "#getal!", "#name?", "#naam?", "#verw!", "#leeg!"}
_MISSING_TEXT = ("a value, not a text for a missing value: some programs write this text where a value is missing, "
                 "and it is read neither as missing nor as a value; {advice}")


def missing_text_advice(col: Column | None) -> str:
    """What to write instead of a missing-value text, so that the advice works when followed:
    an empty cell only where the column may be empty, ``onbekend`` where it is a value."""
    if col is None:
        return "write the value, or leave the cell empty where it is not known"
    unknown = col.allowed is not None and "onbekend" in col.allowed or col.kind == "bool" and col.nullable
    if col.nullable:
        return "write the value, or leave the cell empty where it is not known" + (
            " (or write onbekend)" if unknown else "")
    if unknown:
        return "write the value, or onbekend where it is not known (the column needs a value in every row)"
    return "write the value (the column needs a value in every row)"
UNKNOWN_WORDS = frozenset({"onbekend", "unknown", "niet geregistreerd", "not recorded"})  # a yes/no not recorded


def yes_no_words(nullable: bool) -> frozenset[str]:
    """The words a yes/no column reads (with the words for "not recorded" where it may be empty)."""
    return TRUE_WORDS | FALSE_WORDS | (UNKNOWN_WORDS if nullable else frozenset())

# Number conventions, declared by the file: ";"-separated files are Dutch (decimal comma,
# "." only between groups of three digits), ","/tab-separated files use the decimal point
# and no thousands separator; typed formats (Excel, Parquet) hold numbers as numbers, and a
# number written as text there may use either mark where it cannot be read two ways.
CONVENTIONS = ("nl", "point", None)
_SIGN = r"^[+-]?"
_INT = _SIGN + r"\d+$"
_POINT = _SIGN + r"\d+\.\d+([eE][+-]?\d+)?$|" + _SIGN + r"\d+[eE][+-]?\d+$"
_COMMA = _SIGN + r"\d+,\d+$"
_NL_GROUPED = _SIGN + r"\d{1,3}(\.\d{3})+(,\d+)?$"
_SPACE_GROUPED = _SIGN + r"\d{1,3}([ \u00a0\u202f]\d{3})+$"
_AMBIGUOUS = {None: _SIGN + r"\d{1,3}\.\d{3}$|" + _SIGN + r"\d{1,3}(,\d{3})+$"}
_NUMBER_RULE = {
    "nl": "a number with the Dutch decimal comma, as a ';'-separated file writes it (3,4 or 1.245,50)",
    "point": "a number with a decimal point and no thousands separator, as a ','-separated file writes it (3.4)",
    None: "a number (3.4 or 3,4); 1.245 and 1,245 can each be read two ways: write 1245 for the "
          "thousands, 1.2450 for the decimal",
}
_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S",
                 "%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M")
_TIME_OF_DAY = ("a date without a time of day (the rules count whole days; a time would move the date against a "
                "cut-off): write the date only, YYYY-MM-DD")
DATE_RANGE = (pd.Timestamp("1900-01-01"), pd.Timestamp("2099-12-31"))
# a date and time with a time zone (ISO 8601): even at midnight the zone may move the date
_ZONED = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})$"
_EXPECTED = {"int": "a whole number", "bool": YES_NO_RULE,
             "date": "a date YYYY-MM-DD or DD-MM-YYYY between 1900 and 2099"}


def _text(values: pd.Series) -> pd.Series:
    return values.astype("string").str.strip()


def _na_mask(values: pd.Series) -> pd.Series:
    """Empty cells (nothing, or only spaces)."""
    if values.dtype == object or pd.api.types.is_string_dtype(values):
        txt = _text(values)
        return (txt.isna() | (txt == "")).astype(bool)
    return values.isna().astype(bool)


def _missing_text_mask(values: pd.Series) -> pd.Series:
    """Cells that hold a text meaning 'missing' (:data:`MISSING_TEXTS`)."""
    if values.dtype == object or pd.api.types.is_string_dtype(values):
        return _text(values).str.lower().isin(MISSING_TEXTS).fillna(False).astype(bool)
    return pd.Series(False, index=values.index)


def _matches(txt: pd.Series, pattern: str) -> pd.Series:
    return txt.str.match(pattern).fillna(False).astype(bool)


def _parse_numbers(values: pd.Series, convention: str | None) -> tuple[pd.Series, pd.Series]:
    """Numbers by the file's declared convention; returns the values and, where a text does
    not fit the convention, the rule it breaks (missing elsewhere)."""
    reasons = pd.Series(pd.NA, index=values.index, dtype="string")
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return values.astype("Float64"), reasons
    txt = _text(values).str.replace(r"^\u20ac\s*|\s*\u20ac$", "", regex=True)
    plain = _matches(txt, _INT) | _matches(txt, _SPACE_GROUPED)
    point, comma, grouped = _matches(txt, _POINT), _matches(txt, _COMMA), _matches(txt, _NL_GROUPED)
    if convention == "nl":
        ok = plain | comma | grouped
    elif convention == "point":
        ok = plain | point
    else:
        ok = (plain | point | comma | grouped) & ~_matches(txt, _AMBIGUOUS[None])
    dutch = comma | (grouped & (convention != "point"))
    txt = txt.str.replace(r"[\s\u00a0\u202f]", "", regex=True)
    txt = txt.where(~dutch, txt.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
    parsed = pd.to_numeric(txt.where(ok), errors="coerce").astype("Float64")
    digits = _matches(_text(values), r"^[+-]?\u20ac?\s*\d[\d.,\s\u00a0\u202f]*(\s*\u20ac)?$")
    return parsed, reasons.mask(~ok & digits, _NUMBER_RULE[convention])


def _parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates as YYYY-MM-DD or DD-MM-YYYY (Excel and Parquet dates as they are); a date
    with slashes only where day and month cannot be swapped (13/01/2021, not 04/01/2021).
    Dates outside 1900-2099 (9999-12-31, a 'no end date' placeholder, among them) are
    input errors, also where they are too far out for pandas to hold."""
    reasons = pd.Series(pd.NA, index=values.index, dtype="string")
    if pd.api.types.is_datetime64_any_dtype(values):
        outside = ((values < DATE_RANGE[0]) | (values > DATE_RANGE[1])).fillna(False).astype(bool)
        timed = (values.notna() & (values.dt.normalize() != values)).fillna(False).astype(bool) & ~outside
        reasons = reasons.mask(outside, _EXPECTED["date"]).mask(timed, _TIME_OF_DAY)
        return values.mask(outside | timed).astype("datetime64[ns]"), reasons
    txt = _text(values)
    # ASCII digits only: ``\d`` also matches '２' and '٢', which no date parser below reads
    year = txt.str.extract(r"(?:^|[^0-9])([0-9]{4})(?:[^0-9]|$)")[0].astype("Float64")
    foreign = txt.str.contains(r"[^\x00-\x7f]", regex=True).fillna(False).astype(bool)
    outside = ((year < DATE_RANGE[0].year) | (year > DATE_RANGE[1].year)).fillna(False).astype(bool) | foreign
    slash = txt.str.extract(r"^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$").astype("Float64")
    clear = ((slash[0] > 12) | (slash[0] == slash[1])).fillna(False).astype(bool)
    ambiguous = ((slash[0] <= 12) & (slash[1] <= 12)).fillna(False).astype(bool) & ~clear
    reasons = reasons.mask(ambiguous, "an unambiguous date: with slashes, day and month can be read either way "
                                      "(04/01/2021: 4 January or 1 April?); "
                                      "write 2021-01-04 or 04-01-2021 (DD-MM-YYYY)")
    reasons = reasons.mask(outside, _EXPECTED["date"])
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    for fmt in _DATE_FORMATS + ("%d/%m/%Y",):
        timed_format = "%H" in fmt
        todo = (out.isna() & txt.notna() & ~outside & ~ambiguous & (clear if fmt == "%d/%m/%Y" else True)
                & (txt.str.contains(":", regex=False).fillna(False).astype(bool) == timed_format))
        if not todo.any():
            continue
        out[todo] = pd.to_datetime(txt[todo], format=fmt, errors="coerce").astype("datetime64[ns]")
    timed = (out.notna() & (out.dt.normalize() != out)).fillna(False).astype(bool)
    reasons = reasons.mask(timed & reasons.isna(), _TIME_OF_DAY)
    reasons = reasons.mask(out.isna() & _matches(txt, _ZONED) & reasons.isna(), _TIME_OF_DAY)
    serial = out.isna() & _matches(txt, _SERIAL) & reasons.isna()
    for i in np.flatnonzero(serial.to_numpy()):
        reasons.iloc[i] = excel_serial_rule(txt.iloc[i]) or pd.NA
    order = one_format_reasons(txt)  # one format per column, and no day/month order read against the column's
    order = order.mask(outside | timed)
    reasons = reasons.combine_first(order)
    return out.mask(timed | order.notna().to_numpy()), reasons


EXCEL_EPOCH = pd.Timestamp("1899-12-30")  # day 0 of Excel's date numbers (1900 date system)
_SERIAL = r"^\d{5}([.,]\d+)?$"  # a ';'-separated (Dutch) file writes the fraction after a comma


def excel_serial_rule(text: str) -> str | None:
    """The rule for a date column's number that is an Excel date number (``44287`` is how
    Excel stores 1 April 2021 in a cell formatted as a number or as text), or None. Read the
    same on every route (workbook, CSV, export): refused, saying which date it would be,
    because a number in a date column may as well be something else (an id, an amount)."""
    text = str(text).strip()
    if len(text) > 20 or not pd.Series([text]).str.match(_SERIAL).iloc[0]:
        return None
    moment = EXCEL_EPOCH + pd.Timedelta(days=float(text.replace(",", ".")))
    if not DATE_RANGE[0] <= moment <= DATE_RANGE[1]:
        return None
    shown = moment.strftime("%Y-%m-%d" if moment == moment.normalize() else "%Y-%m-%d %H:%M")
    return (f"a date, not a number: {text} is how Excel stores {shown} in a cell not formatted as a date; format "
            f"the column as a date in Excel (Format Cells, Date) before saving, or write {moment:%Y-%m-%d}")


def _parse_bools(values: pd.Series) -> pd.Series:
    """Yes/no words; an empty cell is missing, never 'no'."""
    if pd.api.types.is_bool_dtype(values):
        return values.astype("boolean")
    words = _text(values).str.lower().fillna("")
    words = words.str.replace(r"\.0$", "", regex=True)
    mapping = {**{w: True for w in TRUE_WORDS}, **{w: False for w in FALSE_WORDS}}
    return words.map(mapping).astype("boolean")


def parse_column(values: pd.Series, col: Column, convention: str | None = None) -> tuple[pd.Series, list[Problem]]:
    """Turn raw cell values into typed values (vectorised); unparseable cells become problems.
    ``convention`` is the file's number convention (:data:`CONVENTIONS`).

    Text columns are parsed once per distinct value and spread back over the rows: an
    administration of a million rows has a few dozen distinct values per coded column."""
    values = values.reset_index(drop=True)
    if values.dtype == object or pd.api.types.is_string_dtype(values):
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
        parsed, na, reasons = _parse_values(pd.Series(uniques, dtype=values.dtype), col, convention)
        parsed, na = parsed.take(codes).reset_index(drop=True), na[codes]
        reasons = reasons.take(codes).reset_index(drop=True)
    else:
        parsed, na, reasons = _parse_values(values, col, convention)
    parsed.name = col.name
    return parsed, _problems(values, parsed.isna().to_numpy() & ~na, col, reasons)


def _parse_values(values: pd.Series, col: Column, convention: str | None) -> tuple[pd.Series, np.ndarray, pd.Series]:
    """Typed values (missing where the cell says so), the mask of cells that say so, and
    the rule a cell breaks where it is more specific than the column's."""
    na = _na_mask(values)
    reasons = pd.Series(pd.NA, index=values.index, dtype="string")
    if col.kind in ("int", "float") or _int_codes(col):
        parsed, reasons = _parse_numbers(values, convention)
        if col.kind == "int" or _int_codes(col):
            whole = (parsed.isna() | (parsed % 1 == 0)).fillna(True).astype(bool)
            parsed = parsed.where(whole)
            parsed = parsed.astype("Int64")
    elif col.kind == "bool":
        parsed = _parse_bools(values)
        if col.nullable:  # a yes/no the administration does not record may say so in words
            na = na | _text(values).str.lower().isin(UNKNOWN_WORDS).fillna(False).astype(bool)
    elif col.kind == "date":
        parsed, reasons = _parse_dates(values)
    else:
        parsed = _text(values)
    sentinel = _missing_text_mask(values) & ~na
    if sentinel.any():
        rule = _MISSING_TEXT.format(advice=missing_text_advice(col))
        reasons = reasons.mask(sentinel, rule)
    parsed = parsed.where(~(na | sentinel)) if col.kind != "date" else parsed.mask(na | sentinel)
    return parsed, na.to_numpy(), reasons


def _int_codes(col: Column) -> bool:
    """A category coded by whole numbers (e.g. triage 1/2/3): parsed as a number."""
    return col.kind == "category" and col.allowed is not None and all(isinstance(a, int) for a in col.allowed)


def _expected(col: Column) -> str:
    if col.kind == "float":
        return "a number"
    if col.kind in _EXPECTED:
        return _EXPECTED[col.kind]
    if _int_codes(col):
        return "one of " + ", ".join(map(str, col.allowed))
    return col.kind


def _problems(values: pd.Series, bad: np.ndarray, col: Column, reasons: pd.Series) -> list[Problem]:
    """One problem per bad cell; a rule of the whole column (:func:`is_column_rule`, e.g. its
    dates written month first) once, at its first cell, with how many cells it holds for."""
    problems, column_rules = [], {}
    for i in np.flatnonzero(bad):
        specific = reasons.iloc[i]
        if not pd.isna(specific) and is_column_rule(specific):
            column_rules.setdefault(specific, []).append(int(i))
            continue
        rule = f"'{col.name}' must be {_expected(col) if pd.isna(specific) else specific}"
        problems.append(Problem(rule, col.name, int(i), values.iloc[i]))
    for specific, rows in column_rules.items():
        more = f" ({len(rows)} cells of this column break it; this is the first)" if len(rows) > 1 else ""
        problems.append(Problem(f"'{col.name}' must be {specific}{more}", col.name, rows[0], values.iloc[rows[0]]))
    return problems
