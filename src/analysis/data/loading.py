"""Loading a raw file against its spec: read, parse, validate (with the processed cache),
raising :class:`InputError` with every problem. Raw files are only read, never written."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.errors as pae
import pandera.pandas as pandera_pa
import pyarrow as pa
import pyarrow.compute as pc

from analysis.data import processed
from analysis.data.errors import InputError, Problem, written
from analysis.data.id_likeness import LIKENESS, LOOK_ALIKES, SEPARATORS, ZEROS, difference
from analysis.data.pandera_bridge import pandera_schema, problems_from_pandera
from analysis.data.parsing import parse_column
from analysis.data.readers import UNREAD_ROWS, read_raw
from analysis.data.spec import TableSpec
from analysis.data.validate_once import one_at_a_time


def validate_frame(df: pd.DataFrame, spec: TableSpec, file: str | Path = "<frame>",
                   convention: str | None = None, rows: str = "line") -> pd.DataFrame:
    """Parse and validate a frame of raw (text) values against ``spec``; return typed data
    or raise :class:`InputError` listing every problem, each with the cell's text as the
    file has it. ``convention``: the file's number convention; ``rows``: how its rows are
    named in messages (see :class:`~analysis.data.readers.RawTable`)."""
    problems: list[Problem] = []
    present = list(df.columns)
    missing = [c for c in spec.column_names if c not in present]
    extra = [c for c in present if c not in spec.column_names]
    problems += [Problem(f"required column '{c}' is missing", c) for c in missing]
    table = spec.name.split(".")[0]
    problems += [Problem(f"unknown column {written(c)}: not a column of {table} in the codebook (python -m analysis "
                         "codebook lists them); rename it to the codebook's name or delete it", c) for c in extra]
    dupes = [c for c, n in Counter(present).items() if n > 1]  # one pass: a stretched header may be very wide
    problems += [Problem(f"column '{c}' appears more than once", c) for c in dupes]
    if problems and (explained := _explain_missing(problems, present, spec)) is not problems:
        raise InputError(file, explained, rows=rows)  # the header was not read as one: its cells are no columns
    header, problems = problems, []

    # a missing, unknown or repeated column does not hide the other columns' cells (hostile round
    # 13: the user fixed the header, ran again and met the cells): every column that is there once
    df = df.reset_index(drop=True)
    typed = {}
    for col in spec.columns:
        if col.name in present and col.name not in dupes:
            series, probs = parse_column(df[col.name], col, convention)
            typed[col.name] = series
            problems += probs
    problems += same_ids(typed, spec, df, rows)
    if header or problems:
        raise InputError(file, header + sorted(problems, key=lambda p: (p.row, p.column)), rows=rows)
    out = pd.DataFrame(typed)
    # column rules first: a cross-column rule is only informative on valid columns; then the
    # cross-column rules alone (the columns passed: checking them again found nothing new and
    # cost seconds at 1,000,000 rows); between them, the empty cells that mean onbekend where
    # the row needs a value are filled (spec.unrecorded)
    for rules, schema in enumerate((pandera_schema(spec, row_rules=False), row_rules_schema(spec))):
        out = fill_unrecorded(out, spec) if rules else out
        if schema is None:
            continue
        try:
            schema.validate(out, lazy=True)
        except pae.SchemaErrors as err:
            found = problems_from_pandera(err, spec)
            raise InputError(file, [with_cells(as_written(p, df), df) for p in found], rows=rows) from None
    return out


def fill_unrecorded(out: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """``out`` with each :class:`~analysis.data.spec.Unrecorded` empty cell filled with its
    value (``onbekend``) where its condition holds (a copy, when anything is filled)."""
    for u in spec.unrecorded:
        if u.column not in out:
            continue
        empty = out[u.column].isna() & u.where(out).fillna(False).astype(bool)
        if empty.any():
            out = out.copy()
            out.loc[empty, u.column] = u.value
    return out


def with_cells(problem: Problem, raw: pd.DataFrame) -> Problem:
    """A cross-column problem (several columns, no value) with the row's own cells quoted
    in its rule (F8b: the rule named four columns and quoted none, leaving the reader to work
    out which half of it the row broke)."""
    cols = [c.strip() for c in (problem.column or "").split(",")]
    if problem.row is None or problem.value is not None or len(cols) < 2 or not set(cols) <= set(raw.columns):
        return problem
    cells = [f"{c} {written(v)}" if isinstance(v, str) and v.strip() else f"{c} empty"
             for c, v in ((c, raw[c].iloc[problem.row]) for c in cols)]
    return replace(problem, rule=f"{problem.rule} (this row: {', '.join(cells)})")


def row_rules_schema(spec: TableSpec):
    """The cross-column rules of ``spec`` as a pandera schema without its column rules (None
    when it has none): the rules of :func:`pandera_schema` run on columns that passed theirs."""
    if not spec.row_rules:
        return None
    full = pandera_schema(spec, row_rules=True)
    return pandera_pa.DataFrameSchema(checks=full.checks, name=full.name)


ID_LIKENESS = LIKENESS  # what two ids that name one person may differ by
ID_ADVICE = "write one id the same way everywhere (two people need ids a reader tells apart)"


def same_ids(typed: dict[str, pd.Series], spec: TableSpec, raw: pd.DataFrame, rows: str = "line") -> list[Problem]:
    """Values of a unique text column that differ only by case, spaces, separators, look-alike
    characters or leading zeros (``K0007``, ``k 0007``, ``K-0007``, ``KOOO7`` and ``K7``; ``0007``
    beside a number 7 that Excel shows as 0007):
    one person written two ways, or two people a reader cannot tell apart; either way not
    read as two. Exact repeats are left to the uniqueness rule.

    Each value's key (:func:`id_keys`) is compared with that of the first row holding the
    same key, all rows at once (a loop over a million ids took 5 s of CPU); only rows whose
    key an earlier, different value already had become problems, in row order."""
    problems = []
    for col in spec.columns:
        if not (col.unique and col.kind == "str") or col.name not in typed:
            continue
        values = typed[col.name]
        codes = key_codes(id_keys(values))  # -1: an empty cell
        earlier = np.maximum.accumulate(np.concatenate(([-1], codes[:-1])))  # highest code above each row
        first_of_code = np.flatnonzero(codes > earlier)  # a key's first row (codes count up from 0)
        for i in np.flatnonzero((codes >= 0) & (codes <= earlier)):  # a key seen on an earlier row
            f = int(first_of_code[codes[i]])
            if values.iloc[f] != values.iloc[i]:
                problems.append(Problem(f"'{col.name}' must be unique also when {ID_LIKENESS} are ignored: it is "
                                        f"{written(values.iloc[f])} in {Problem('', row=f).where(rows)}, "
                                        f"which it differs from only by {difference(values.iloc[i], values.iloc[f])}; "
                                        + ID_ADVICE, col.name, int(i),
                                        raw[col.name].iloc[i]))
    return problems


def id_keys(values: pd.Series) -> pa.ChunkedArray:
    """:func:`~analysis.data.id_likeness.reader_key` of every value of a text column (without
    spaces, casefolded, without separators, look-alike letters as digits, without the leading
    zeros of digit runs), as Arrow text. Where every value is ASCII the steps run in Arrow
    (casefold is then lower case; ``(^|[^0-9])0+([0-9])`` is RE2's spelling of the lookbehind
    and lookahead of :data:`ZEROS`, which RE2 lacks); otherwise value by value in Python.
    Spaces are removed by the same RE2 ``\\s+`` as before, and only when there are any."""
    arrow = _as_text(values)
    if arrow is None or not pc.all(pc.fill_null(pc.string_is_ascii(arrow), True)).as_py():
        keys = (values.str.replace(r"\s+", "", regex=True).str.casefold().str.replace(SEPARATORS, "", regex=True)
                .str.translate(LOOK_ALIKES).str.replace(ZEROS, "", regex=True))
        return pa.chunked_array([pa.array(keys.astype(object), type=pa.large_string(), from_pandas=True)])
    if pc.any(pc.match_substring_regex(arrow, r"\s")).as_py():
        arrow = _as_text(values.str.replace(r"\s+", "", regex=True))
    arrow = pc.replace_substring_regex(pc.ascii_lower(arrow), SEPARATORS, "")
    for letter, digit in LOOK_ALIKES.items():
        arrow = pc.replace_substring(arrow, chr(letter), digit)
    return pc.replace_substring_regex(arrow, r"(^|[^0-9])0+([0-9])", r"\1\2")


def _as_text(values: pd.Series) -> pa.ChunkedArray | None:
    """``values`` as Arrow text (None when they are not text)."""
    try:
        arrow = pa.array(values, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    arrow = arrow if isinstance(arrow, pa.ChunkedArray) else pa.chunked_array([arrow])
    return arrow if pa.types.is_string(arrow.type) or pa.types.is_large_string(arrow.type) else None


def key_codes(keys: pa.ChunkedArray) -> np.ndarray:
    """A code per value, numbered in order of first appearance; -1 for an empty cell."""
    encoded = pc.dictionary_encode(keys.combine_chunks())
    return pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)


def as_written(problem: Problem, raw: pd.DataFrame) -> Problem:
    """The problem with the cell's text as the file has it (not the parsed value)."""
    if problem.row is None or problem.column not in raw.columns:
        return problem
    written = raw[problem.column].iloc[problem.row]
    if problem.value is None and (not isinstance(written, str) or not written):
        return problem  # an empty cell: nothing to quote
    return replace(problem, value=written)


def _explain_missing(problems: list[Problem], present: list[str], spec: TableSpec) -> list[Problem]:
    """When (nearly) every column is missing, the header was not read as a header: one
    problem that says so instead of one per column."""
    missing = [p for p in problems if p.rule.startswith("required column")]
    if len(missing) < max(3, len(spec.columns) // 2):
        return problems
    shown = ", ".join(written(c) for c in present[:5]) + (", ..." if len(present) > 5 else "")
    return [Problem(f"the first row must be the header with the codebook's column names ({len(missing)} of "
                    f"{len(spec.columns)} are missing; the header read is {shown}): is the header on row 1, "
                    "the separator ',' or ';', and the encoding UTF-8?")]


def load_table(path: str | Path, spec: TableSpec, processed_dir: str | Path | None = None) -> pd.DataFrame:
    """Read ``path`` (CSV with ``,`` or ``;``, Excel or Parquet) and validate it against
    ``spec``. Raw files are only read, never written.

    With ``processed_dir`` (``data/processed`` in the notebooks) the validated frame is
    stored there as Parquet and read back on the next load of the same raw file by the
    same validation code (see :mod:`analysis.processed`)."""
    key = processed.cache_key(Path(path), spec.name) if processed_dir is not None and Path(path).is_file() else None
    if key is None:
        return _validated(read_raw(path), spec, path)
    with one_at_a_time(Path(path), Path(processed_dir)):  # a kernel validating it now: wait, then read its copy
        cached = processed.read_if_current(Path(path), key, Path(processed_dir))
        if cached is not None:
            return cached
        out = _validated(read_raw(path), spec, path)
        processed.write(out, Path(path), key, Path(processed_dir))
        return out


def _validated(raw, spec: TableSpec, path: str | Path) -> pd.DataFrame:
    """:func:`validate_frame` of a file read by :func:`read_raw`; a problem's line is the line
    its record starts on where that is not its number plus one (a quoted line break above)."""
    lines = raw.frame.attrs.get("lines")
    unread = raw.frame.attrs.get(UNREAD_ROWS) or {}
    try:
        return validated_beside_unread(raw.frame, unread, lambda f: validate_frame(
            f, spec, file=path, convention=raw.convention, rows=raw.rows), path, raw.rows)
    except InputError as exc:
        if not lines:
            raise
        fixed = [replace(p, line=lines[p.row]) if p.row is not None and p.line is None and p.row < len(lines) else p
                 for p in exc.problems]
        raise InputError(path, fixed, rows=exc.rows) from None


def validated_beside_unread(frame: pd.DataFrame, unread: dict[int, Problem], validate, path, rows: str):
    """``validate(frame)``, where ``unread`` rows (data row -> its problem: fields that could not
    be told apart) are left out and listed with the other rows' problems in one message, each
    at its own row (hostile round 13: a row with a separator too many hid every cell problem of
    the file until it was fixed)."""
    if not unread:
        return validate(frame)
    kept = [i for i in range(len(frame)) if i not in unread]
    try:
        validate(frame.iloc[kept].reset_index(drop=True))
        found = []
    except InputError as exc:
        found = [replace(p, row=kept[p.row]) if p.row is not None and p.row < len(kept) else p for p in exc.problems]
    at_rows = sorted([*unread.values(), *(p for p in found if p.row is not None)],
                     key=lambda p: (p.row, p.column or ""))
    raise InputError(path, [p for p in found if p.row is None] + at_rows, rows=rows)
