"""The mapping file: how an export's sheets, headers and labels become a table spec's
columns and codes. A YAML file kept beside the export it describes (``<export
stem>.mapping.yml``; for the real file inside the git-ignored ``data/raw/private/``).

The structure is :data:`FORMAT` (rendered in the codebook, ``data/raw/README.md``); every
key is checked, and an unknown key is an error.

An exact label overrides the patterns (that is how an exception is written); two patterns
that give one label different codes are a conflict, as is a label both mapped and listed as
unmapped. A label no rule covers is an error naming sheet, row, column and value, until it is
mapped or listed under ``unmapped``: a new label in next month's export cannot slip in.

Checked by hand rather than with a JSON-schema or pydantic model: the file is small, and each
message must name the key as written in the file, in the project's problem format.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from analysis.data.cells import header_text
from analysis.data.errors import InputError, Problem, written
from analysis.data.label_chars import suspect_rule
from analysis.data.parsing import YES_NO_RULE, yes_no_words
from analysis.data.readers import check_path
from analysis.data.regex_guard import MAX_LABEL, pattern_problem
from analysis.data.spec import Column, TableSpec
from analysis.near_miss import did_you_mean
from analysis.strict_yaml import MAX_NODES, NumberTextLoader, expanded_size
from analysis.terminal_text import visible

FORMAT = """\
mapping_version: 1
schema: pilot_participants           # the TableSpec the export is read into
# study: <id>                        # the study (studies/<id>.yml) whose vocabulary the codes are;
                                     # omitted: the default study
source: export.xlsx                  # the export, relative to this file
date_formats: ["%d-%m-%Y"]           # text dates; Excel date cells always work
ignore_sheets: [Toelichting]         # sheets deliberately not read
participants:                        # one row per person, possibly over several sheets
  header_row: 1                      # spreadsheet row of the headers (1-based), or auto: the
                                     # first row holding the mapped headers (note rows above it)
  skip_rows: ["^totaal", "^noot"]    # rows whose first filled cell matches (regular expressions,
                                     # case ignored) are not data: totals, notes
  sheets:                            # sheets to stack, with values set for all their rows
    "Jansen (UWV)": {casemanager_org: UWV}
  columns: {Klantnummer: deelnemer_id, Datum aanmelding: instroomdatum}  # export header: schema column
  ignore: [Opmerkingen]              # headers deliberately not read
  constants: {synthetisch: nee}      # schema columns the export does not hold
  derive:                            # schema columns computed from a column of the export:
    leeftijd: {from: Geboortedatum, years_until: instroomdatum}      # completed years up to a
    dienstjaren: {from: In dienst sinds, years_until: instroomdatum} # schema date column or a
                                     # date (YYYY-MM-DD); `from` cells: dates, or a year ("2001")
values:                              # recodes per schema column
  opleidingsniveau:
    map: {hbo: hoog}                 # exact labels (case and spacing ignored)
    patterns: [{match: "^vmbo", value: laag}]  # regular expressions (search, case ignored)
    default: onbekend                # the code of the labels listed under unmapped
    unmapped: [zie dossier]          # labels known to have no code
    blank: onbekend                  # the code of an empty cell (else: empty)
status_history:                      # long format: person, date, status (optional)
  sheet: Statushistorie
  columns: {Klantnummer: deelnemer_id, Datum: datum, Status: status}
  values: {status: {map: {"Nieuwe baan": nieuwe_baan}}}
services:                            # person, service, date (optional)
  sheet: Dienstverlening
  columns: {Klantnummer: deelnemer_id, Dienst: dienst, Datum: datum}
  values: {dienst: {map: {Coaching: dv_coaching}}}
"""
MAPPING_VERSION = 1
TOP_KEYS = {"mapping_version", "schema", "study", "source", "date_formats", "ignore_sheets", "participants", "values",
            "status_history", "services"}
PARTICIPANT_KEYS = {"header_row", "skip_rows", "sheets", "columns", "ignore", "constants", "derive"}
RECORD_KEYS = {"sheet", "header_row", "skip_rows", "columns", "ignore", "values"}
DERIVE_KEYS = {"from", "years_until"}
RECODE_KEYS = {"map", "patterns", "default", "unmapped", "blank"}
RECORD_ROLES = {"status_history": ("deelnemer_id", "datum", "status"),
                "services": ("deelnemer_id", "dienst", "datum")}


@dataclass(frozen=True)
class SheetProblem(Problem):
    """A problem located in an export (sheet, spreadsheet row, header) or in a mapping
    file (``key``: the path of keys, e.g. ``values.opleidingsniveau.map``)."""

    sheet: str | None = None
    sheet_row: int | None = None
    header: str | None = None
    key: str | None = None

    def describe(self, *args, **kwargs) -> str:
        where = []
        if self.key is not None:
            where.append(f"key '{visible(self.key)}'")
        if self.sheet is not None:
            where.append(f"sheet '{visible(self.sheet)}'")
        if self.sheet_row is not None:
            where.append(f"row {self.sheet_row}")
        if self.header is not None:
            where.append(f"column '{visible(self.header)}'")
        if not where:
            return super().describe(*args, **kwargs)
        val = "" if self.value is None else f": value {written(self.value)}"
        return f"{', '.join(where)}{val} breaks rule: {self.rule}"


class MappingError(InputError):
    """An export could not be read through its mapping, or the mapping itself is wrong."""


def normalise(label: object) -> str:
    """A label as compared: text, spacing collapsed, case folded."""
    return header_text(label).casefold()


@dataclass(frozen=True)
class Recode:
    """Recoding of one column's labels into codes."""

    column: str
    exact: dict[str, str] = field(default_factory=dict)  # normalised label -> code
    patterns: tuple[tuple[str, str], ...] = ()  # (regular expression, code)
    default: str | None = None
    unmapped: frozenset[str] = frozenset()  # normalised labels
    blank: str | None = None
    words: frozenset[str] = frozenset()  # labels read as written (a yes/no column's yes/no words)

    def code(self, label: object) -> tuple[str | None, str | None]:
        """``(code, None)`` for a covered label, ``(None, why)`` otherwise. A yes/no word in a
        yes/no column is covered without a rule (one vocabulary on every route); a rule of
        ``map`` for it overrides it."""
        key = normalise(label)
        if key in self.exact:
            return self.exact[key], None
        if key in self.words:
            return key, None
        if suspect := suspect_rule(str(label)):  # never matched by a pattern (data/label_chars.py)
            if key in self.unmapped:
                return self.default, None
            return None, (f"{suspect}; a label of '{self.column}' is matched only as it shows: retype it in the "
                          f"export, or map it exactly as written under values.{self.column}.map")
        if self.patterns and len(key) > MAX_LABEL:
            return None, (f"a label matched against the patterns of '{self.column}' is at most {MAX_LABEL} "
                          f"characters (this one has {len(key):,}): map it exactly under values.{self.column}.map, "
                          "or shorten it in the export")
        hits = {code: rx for rx, code in self.patterns if re.search(rx, key, re.IGNORECASE)}
        if len(hits) > 1:
            rules = ", ".join(f"pattern {written(rx)} gives {written(code)}" for code, rx in hits.items())
            return None, f"conflicting rules for '{self.column}': {rules}"
        if hits:
            return next(iter(hits)), None
        if key in self.unmapped:
            return self.default, None
        return None, (f"label not mapped for '{self.column}': add it under values.{self.column}.map, "
                      f"a pattern, or values.{self.column}.unmapped" +
                      (f" (it then becomes {written(self.default)})" if self.default is not None else
                       " (with a default code)"))


@dataclass(frozen=True)
class RecordTable:
    """A long-format sheet (status history or services): ``columns`` maps headers to roles."""

    kind: str
    sheet: str
    header_row: int | None  # None: found (auto)
    columns: dict[str, str]
    ignore: tuple[str, ...]
    recodes: dict[str, Recode]
    skip_rows: tuple[str, ...] = ()


@dataclass(frozen=True)
class Derive:
    """A schema column computed from an export column: completed years from the ``source``
    cells (dates, or a year alone) up to ``until`` (a schema date column, or a fixed date)."""

    column: str
    source: str
    until: str


@dataclass(frozen=True)
class Mapping:
    path: Path
    spec: TableSpec
    source: Path
    date_formats: tuple[str, ...]
    ignore_sheets: tuple[str, ...]
    header_row: int | None  # None: found (auto)
    sheets: dict[str, dict[str, Any]]  # sheet -> schema column -> value for all its rows
    columns: dict[str, str]  # export header -> schema column
    ignore: tuple[str, ...]
    constants: dict[str, Any]
    recodes: dict[str, Recode]
    records: dict[str, RecordTable]  # "status_history", "services"
    skip_rows: tuple[str, ...] = ()
    derive: dict[str, Derive] = field(default_factory=dict)
    study: str | None = None
    source_written: str | None = None  # the key source as the file writes it


# How many patterns one list (skip_rows, a column's patterns) and how many labels one list or
# map may hold: every row's first cell is matched against every skip_rows pattern, every label
# against every pattern (hostile round 14, H16: 20,000 skip_rows patterns, under the mapping's
# byte limit, took 95 s per load of 30 people; 30,000 map labels 32 s). An export needs a few.
MAX_PATTERNS = 100
MAX_LABELS = 2_000


def too_many(n: int, limit: int, what: str, advice: str) -> str:
    """The rule that refuses a list of ``n`` items above ``limit``."""
    return f"holds {n:,} {what}: at most {limit:,} ({advice})"


class _Checker:
    """Collects problems while a mapping file is read, each with its key path."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, key: str, rule: str, value: Any = None) -> None:
        self.problems.append(SheetProblem(rule, value=value, key=key))

    def mapping(self, obj: Any, key: str, allowed: set[str], required: tuple[str, ...] = ()) -> dict:
        if obj is None:
            obj = {}
        if not isinstance(obj, dict):
            self.add(key, "must be a mapping of keys to values", obj)
            return {}
        for k in obj:
            if k not in allowed:
                self.add(f"{key}.{k}".lstrip("."),
                         f"unknown key; {did_you_mean(k, allowed)}expected one of {', '.join(sorted(allowed))}")
        for k in required:
            if k not in obj:
                self.add(f"{key}.{k}".lstrip("."), "is required")
        return obj

    def strings(self, obj: Any, key: str) -> tuple[str, ...]:
        if obj is None:
            return ()
        if not isinstance(obj, list) or not all(isinstance(v, (str, int, float)) for v in obj):
            self.add(key, "must be a list of labels", obj)
            return ()
        if len(obj) > MAX_LABELS:
            self.add(key, too_many(len(obj), MAX_LABELS, "labels", "list the labels the export holds"))
            return ()
        return tuple(str(v) for v in obj)

    def row_number(self, obj: Any, key: str) -> int | None:
        if obj is None:
            return 1
        if obj == "auto":
            return None
        if not isinstance(obj, int) or isinstance(obj, bool) or obj < 1:
            self.add(key, "must be a spreadsheet row number (1 or more), or auto", obj)
            return 1
        return obj

    def patterns(self, obj: Any, key: str) -> tuple[str, ...]:
        if isinstance(obj, list) and len(obj) > MAX_PATTERNS:
            self.add(key, too_many(len(obj), MAX_PATTERNS, "patterns", "each row is matched against each: join "
                                   "them into one, e.g. '^(totaal|noot)', or list fewer"))
            return ()
        out = self.strings(obj, key)
        bad = {}
        for rx in out:
            why = pattern_problem(rx)
            if why is not None:
                bad[rx] = why
                self.add(key, why, rx)
        return tuple(rx for rx in out if rx not in bad)

    def labels(self, obj: Any, key: str) -> dict[str, str]:
        """A ``{label: target}`` mapping with text keys and text targets (at most
        :data:`MAX_LABELS`)."""
        if isinstance(obj, dict) and len(obj) > MAX_LABELS:
            self.add(key, too_many(len(obj), MAX_LABELS, "labels", "map the labels the export holds; a pattern "
                                   "under patterns covers many"))
            return {}
        obj = self.mapping(obj, key, allowed=set(obj) if isinstance(obj, dict) else set())
        self.one_key_per_label(obj, key)
        return {header_text(k): str(v) for k, v in obj.items()}

    def one_key_per_label(self, obj: dict, key: str) -> None:
        """Keys that differ only by spacing are one label (the last one would win silently)."""
        first: dict[str, str] = {}
        for k in map(str, obj):
            label = header_text(k)
            if label in first:
                self.add(f"{key}.{label}", f"the keys {written(first[label])} and {written(k)} differ only by "
                         "spacing (labels are compared without case and spacing): keep one")
            first.setdefault(label, k)


class YesNoWords(frozenset):
    """The codes of a yes/no column: the words of :data:`analysis.data.parsing.YES_NO_RULE`,
    case ignored (the vocabulary of every route)."""

    def __contains__(self, word: object) -> bool:
        return super().__contains__(str(word).casefold())


def allowed_codes(column: Column | None) -> set[str] | None:
    """The codes a recode may give a column, as text (``None``: any); a yes/no column's are
    the yes/no words."""
    if column is not None and column.kind == "bool":
        return YesNoWords(yes_no_words(column.nullable))
    if column is None or column.allowed is None:
        return None
    return {str(a) for a in column.allowed}


def _code_ok(c: _Checker, key: str, code: Any, codes: set[str] | None) -> str:
    code = ("true" if code else "false") if isinstance(code, bool) else str(code)
    if isinstance(codes, YesNoWords) and code not in codes:
        c.add(key, f"the code of a yes/no column must be a yes/no word: {YES_NO_RULE}" +
              (", or onbekend where it is not recorded" if "onbekend" in codes else ""), code)
    elif codes is not None and code not in codes:
        c.add(key, f"the code must be one of {', '.join(sorted(codes))}", code)
    return code


def _blank_ok(c: _Checker, key: str, code: str, codes) -> str:
    """An empty cell was not recorded: its code is onbekend, or "no" for a yes/no column whose
    export marks only the yes (a tick box). Any other code would read the empty cells as a
    category, a yes or a number, a false value (hostile round 18: ``blank: man``)."""
    tick_box = isinstance(codes, YesNoWords) and code.casefold() in NO_WORDS
    if codes is not None and code not in codes:  # not a code at all: _code_ok said so
        return code
    if code != "onbekend" and not tick_box:
        c.add(key, "an empty cell was not recorded: write blank: onbekend (not recorded), or, for a yes/no column "
              "whose export marks only the yes, blank: false; any other code would give every empty cell a value "
              "the export does not hold", code)
    return code


NO_WORDS = ("false", "nee", "no", "n", "0")
FILE_FLAGS = ("synthetisch",)  # yes/no columns about the file, not about a person: a constant is their value


def _refuse_constant_no(c: _Checker, name: str, code: str) -> None:
    """A yes/no column about persons set to a constant "no" (hostile round 18): the export lacks
    it, so it was not recorded, and "no" for everyone is a false value (docs/new-pilot.md)."""
    if name not in FILE_FLAGS and code.casefold() in NO_WORDS:
        c.add(f"participants.constants.{name}", "a yes/no column the export does not hold was not recorded: "
              "\"no\" for everyone would be a false value; write onbekend (not recorded), or map the export's "
              "column", code)


def _patterns(c: _Checker, obj: Any, key: str, codes: set[str] | None) -> tuple[tuple[str, str], ...]:
    if obj is None:
        return ()
    if not isinstance(obj, list):
        c.add(key, "must be a list of {match: <regular expression>, value: <code>}", obj)
        return ()
    if len(obj) > MAX_PATTERNS:
        c.add(key, too_many(len(obj), MAX_PATTERNS, "patterns", "each label is matched against each: join "
                            "patterns of one code into one, e.g. '^(vmbo|mavo)', or map labels exactly under map"))
        return ()
    out = []
    for i, item in enumerate(obj):
        item = c.mapping(item, f"{key}[{i}]", {"match", "value"}, required=("match", "value"))
        if "match" not in item or "value" not in item:
            continue
        why = pattern_problem(str(item["match"]))
        if why is not None:
            c.add(f"{key}[{i}].match", why, item["match"])
            continue
        out.append((str(item["match"]), _code_ok(c, f"{key}[{i}].value", item["value"], codes)))
    return tuple(out)


def empty_fact_rule(column: Column) -> str:
    """Why a constant empty is refused for ``column``: its empty cell states a fact."""
    return (f"an empty {column.name} says '{column.empty_means}', so a constant empty would say it of every "
            "participant: it is no code for 'not recorded', and the study has none for this column; map the "
            f"export's column (participants.columns), or set it per sheet (participants.sheets.<sheet>.{column.name}) "
            "where all the people of a sheet share it")


def empty_code_ok(c: _Checker, key: str, column: Column | None) -> str:
    """A label mapped to ``null``: an empty cell ("not applicable", such as ``n.v.t.``), for a
    column that may be empty; ``""`` is the empty cell's text."""
    if column is not None and not column.nullable:
        c.add(key, f"{column.name} must be filled: map the label to a code (onbekend where it was not recorded, if "
                   "the column has it), not to null (empty)", None)
    return ""


def parse_recode(c: _Checker, obj: Any, key: str, column: str, codes: set[str] | None,
                 spec_column: Column | None = None) -> Recode:
    """One column's recode rules, checked: codes allowed, no label mapped twice to different
    codes, no label both mapped and unmapped, a default when labels are unmapped. A label mapped
    to ``null`` is read as an empty cell where the column may be empty (``n.v.t.``: not applicable)."""
    obj = c.mapping(obj, key, RECODE_KEYS)
    raw = obj.get("map") if isinstance(obj.get("map"), dict) else {}
    empties = {header_text(k) for k, v in raw.items() if v is None}
    exact: dict[str, str] = {}
    for label, code in c.labels(obj.get("map"), f"{key}.map").items():
        code = (empty_code_ok(c, f"{key}.map.{label}", spec_column) if label in empties
                else _code_ok(c, f"{key}.map.{label}", code, codes))
        k = normalise(label)
        if k in exact and exact[k] != code:
            c.add(f"{key}.map.{label}", f"conflicting rules: the label is mapped to both {written(exact[k])} and "
                                        f"{written(code)} (labels are compared without case and spacing)")
        exact[k] = code
    unmapped = frozenset(normalise(v) for v in c.strings(obj.get("unmapped"), f"{key}.unmapped"))
    for label in sorted(unmapped & set(exact)):
        c.add(f"{key}.unmapped", f"conflicting rules: label {written(label)} is both mapped and listed as unmapped")
    default = obj.get("default")
    if default is not None:
        default = _code_ok(c, f"{key}.default", default, codes)
    elif unmapped:
        c.add(f"{key}.default", "is required when labels are listed under unmapped (the code they get, "
                                "e.g. onbekend)")
    blank = obj.get("blank")
    if blank is not None:
        blank = _blank_ok(c, f"{key}.blank", _code_ok(c, f"{key}.blank", blank, codes), codes)
    return Recode(column, exact, _patterns(c, obj.get("patterns"), f"{key}.patterns", codes),
                  default, unmapped, blank, words=codes if isinstance(codes, YesNoWords) else frozenset())


def _targets(c: _Checker, obj: Any, key: str, names: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``{header: target}`` with every target among ``names``."""
    out = c.labels(obj, key)
    for header, target in out.items():
        if target not in names:
            close = difflib.get_close_matches(target, list(names), n=1)
            hint = f" (did you mean {written(close[0])}?)" if close else ""
            c.add(f"{key}.{header}", f"unknown column {written(target)}: not in the schema{hint}", target)
    return out


def _participants(c: _Checker, obj: Any, spec: TableSpec) -> dict[str, Any]:
    obj = c.mapping(obj, "participants", PARTICIPANT_KEYS, required=("sheets", "columns"))
    names = spec.column_names
    sheets = {}
    raw_sheets = c.mapping(obj.get("sheets"), "participants.sheets",
                           set(obj["sheets"]) if isinstance(obj.get("sheets"), dict) else set())
    for sheet, values in raw_sheets.items():
        values = c.mapping(values, f"participants.sheets.{sheet}", set(names))
        sheets[str(sheet)] = dict(values)
    columns = _targets(c, obj.get("columns"), "participants.columns", names)
    ignore = tuple(map(header_text, c.strings(obj.get("ignore"), "participants.ignore")))
    constants = dict(c.mapping(obj.get("constants"), "participants.constants", set(names)))
    by_name = {col.name: col for col in spec.columns}
    for name, value in constants.items():  # a yes/no constant in the words of every route
        if value is None and by_name[name].empty_means:
            c.add(f"participants.constants.{name}", empty_fact_rule(by_name[name]), value)
        if by_name[name].kind == "bool" and value is not None:
            constants[name] = _code_ok(c, f"participants.constants.{name}", value, allowed_codes(by_name[name]))
            _refuse_constant_no(c, name, constants[name])
    for header in sorted(set(columns) & set(ignore)):
        c.add("participants.ignore", f"conflicting rules: header {written(header)} is both mapped and ignored")
    for name in sorted(set(columns.values()) & set(constants)):
        c.add(f"participants.constants.{name}", "conflicting rules: the column is both read from the export "
                                                "and set as a constant")
    for sheet, values in sheets.items():
        for name in sorted(set(values) & set(constants)):
            c.add(f"participants.sheets.{sheet}.{name}", "conflicting rules: the column is also set under "
                                                         "participants.constants")
    derive = _derive(c, obj.get("derive"), spec)
    read = set(columns.values()) | set(constants) | {n for values in sheets.values() for n in values}
    for name, rule in sorted(derive.items()):  # hostile round 18: "Invalid isoformat string: 'uitstroomdatum'"
        if rule.until in spec.column_names and rule.until not in read:
            c.add(f"participants.derive.{name}.years_until", "names a date column the participants' sheets do not "
                  "read: map the export's header of it under participants.columns, or count up to a fixed date "
                  "written YYYY-MM-DD", rule.until)
    for name in sorted(set(derive) & (set(columns.values()) | set(constants))):
        c.add(f"participants.derive.{name}", "conflicting rules: the column is also read from the export or set "
                                             "as a constant")
    return dict(header_row=c.row_number(obj.get("header_row"), "participants.header_row"), sheets=sheets,
                columns=columns, ignore=ignore, constants=constants, derive=derive,
                skip_rows=c.patterns(obj.get("skip_rows"), "participants.skip_rows"))


def _derive(c: _Checker, obj: Any, spec: TableSpec) -> dict[str, Derive]:
    """``participants.derive``: numeric schema columns computed as completed years."""
    by_name = {col.name: col for col in spec.columns}
    obj = c.mapping(obj, "participants.derive", {n for n, col in by_name.items() if col.kind in ("int", "float")})
    out = {}
    for name, rule in obj.items():
        key = f"participants.derive.{name}"
        rule = c.mapping(rule, key, DERIVE_KEYS, required=tuple(sorted(DERIVE_KEYS)))
        if not DERIVE_KEYS <= set(rule):
            continue
        until = str(rule["years_until"])
        is_column = until in by_name and by_name[until].kind == "date"
        if not is_column and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", until):
            c.add(f"{key}.years_until", "must be a date column of the schema (e.g. instroomdatum) or a date "
                                        "written YYYY-MM-DD", until)
        elif not is_column and (rule_text := _outside_study(until, spec)):
            c.add(f"{key}.years_until", rule_text, until)
        out[str(name)] = Derive(str(name), header_text(rule["from"]), until)
    return out


def _outside_study(day: str, spec: TableSpec) -> str | None:
    """Why a fixed date to count years up to is no date of the study: before the earliest or
    after the latest date its schema's date columns allow (hostile round 18: 2099-01-01 made every
    age "more than 70", a message per row that never named the date); None when it is one."""
    try:
        when = date.fromisoformat(day)
    except ValueError:
        return "must be a date that exists, written YYYY-MM-DD"
    bounds = [(col.min, col.max) for col in spec.columns if col.kind == "date" and col.min and col.max]
    if not bounds:
        return None
    low, high = min(b[0] for b in bounds), max(b[1] for b in bounds)
    if low <= when <= high:
        return None
    return (f"must be a date of the study, from {low.isoformat()} to {high.isoformat()} (the dates its participant "
            "file allows), or a date column of the schema such as instroomdatum: years are counted up to it")


def _records(c: _Checker, obj: Any, kind: str, codes: dict[str, set[str] | None]) -> RecordTable | None:
    if obj is None:
        return None
    obj = c.mapping(obj, kind, RECORD_KEYS, required=("sheet", "columns"))
    roles = RECORD_ROLES[kind]
    columns = _targets(c, obj.get("columns"), f"{kind}.columns", roles)
    for role in roles:
        if list(columns.values()).count(role) != 1 and not (role == "datum" and kind == "services"):
            c.add(f"{kind}.columns", f"exactly one header must be mapped to {written(role)}")
    values = c.mapping(obj.get("values"), f"{kind}.values", set(roles))
    recodes = {role: parse_recode(c, v, f"{kind}.values.{role}", role, codes.get(role)) for role, v in values.items()}
    return RecordTable(kind, str(obj.get("sheet")), c.row_number(obj.get("header_row"), f"{kind}.header_row"),
                       columns, tuple(map(header_text, c.strings(obj.get("ignore"), f"{kind}.ignore"))), recodes,
                       c.patterns(obj.get("skip_rows"), f"{kind}.skip_rows"))


def _strict_loader():
    class StrictLoader(NumberTextLoader):
        """YAML 1.2's plain scalars (``yes``, ``no``, ``on``, ``01`` and a date stay the text
        written: a label ``No`` is not the boolean false, nor ``01`` the number 1), numbers that
        keep their text for the messages; a key written twice in one mapping is an error (PyYAML
        keeps the last silently)."""

        def construct_mapping(self, node, deep=False):
            seen = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"conflicting rules: key {written(key)} is written twice", key_node.start_mark)
                seen.add(key)
            return super().construct_mapping(node, deep)

    return StrictLoader


def date_format_problem(fmt: str) -> str | None:
    """Why a ``date_formats`` entry would misread a date: it must name the day (``%d``), the
    month (``%m``, ``%b`` or ``%B``) and the four-digit year (``%Y``); a two-digit year
    (``%y``: ``68`` is 2068, ``69`` is 1969) or a missing part (the year 1900) reads a date
    wrong without a word."""
    if "%y" in fmt:
        return ("a date format must have the four-digit year %Y, not %y (a two-digit year is read as 1969-2068, so "
                "a birth year 1955 written 55 would become 2055)")
    missing = [name for name, codes in (("the day %d", ("%d",)), ("the month %m", ("%m", "%b", "%B")),
                                        ("the year %Y", ("%Y",))) if not any(code in fmt for code in codes)]
    if missing:
        return (f"a date format must name day, month and year; this one lacks {', '.join(missing)} (a missing part "
                "is read as 1 or as the year 1900)")
    return None


MAX_MAPPING_BYTES = 1_000_000


def mapping_text(path: str | Path) -> str:
    """The text of a mapping file, after the checks every input gets (a regular file, no link,
    no device, pipe or file of the running system: a FIFO would block the reader and
    ``/dev/zero`` never end) and a size limit; UTF-8."""
    path = Path(path)
    if not path.exists() and not path.is_symlink():
        raise MappingError(path, [Problem(f"the mapping file must exist (looked for {path})")])
    check_path(path)
    size = path.stat().st_size
    if size > MAX_MAPPING_BYTES:
        raise MappingError(path, [Problem(f"the mapping file is {size:,} bytes; a mapping is at most "
                                          f"{MAX_MAPPING_BYTES:,} bytes (is this the export?)")])
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MappingError(path, [Problem(f"the mapping file must be UTF-8 text (byte {exc.start} is not); save "
                                          "it again as UTF-8")]) from None


def read_mapping(path: str | Path, spec: TableSpec,
                 record_codes: dict[str, tuple] | None = None) -> Mapping:
    """Read and check the mapping file ``path`` for ``spec``; raise :class:`MappingError`
    listing every problem with its key. ``record_codes`` gives the codes of the long-format
    roles (``status``, ``dienst``)."""
    path = Path(path)
    try:
        data = yaml.load(mapping_text(path), Loader=_strict_loader())
        if expanded_size(data) > MAX_NODES:
            raise MappingError(path, [Problem(f"the mapping expands to more than {MAX_NODES:,} values through its "
                                              "aliases (*name); write the values out")])
    except RecursionError:
        raise MappingError(path, [Problem("the mapping nests too deeply")]) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        why = getattr(err, "problem", err)
        raise MappingError(path, [Problem(f"the mapping must be valid YAML{where}: {why}")]) from None
    c = _Checker()
    data = c.mapping(data, "", TOP_KEYS, required=("mapping_version", "schema", "source", "participants"))
    version = data.get("mapping_version", MAPPING_VERSION)
    if isinstance(version, bool) or not isinstance(version, int) or version != MAPPING_VERSION:
        c.add("mapping_version", f"must be {MAPPING_VERSION}", data.get("mapping_version"))
    table = spec.name.split(".")[0]  # a study's spec is named <table>.<study>.<digest of its file>
    if data.get("schema", table) != table:
        c.add("schema", f"must be {table} (the table this export is read into)", data.get("schema"))
    parts = _participants(c, data.get("participants"), spec)
    by_name = {col.name: col for col in spec.columns}
    values = c.mapping(data.get("values"), "values", set(spec.column_names))
    recodes = {name: parse_recode(c, v, f"values.{name}", name, allowed_codes(by_name[name]), by_name[name])
               for name, v in values.items() if name in by_name}
    codes = {role: {str(v) for v in allowed} for role, allowed in (record_codes or {}).items()}
    records = {kind: r for kind in RECORD_ROLES if (r := _records(c, data.get(kind), kind, codes)) is not None}
    formats = c.strings(data.get("date_formats"), "date_formats") or ("%Y-%m-%d",)
    for fmt in formats:
        why = date_format_problem(fmt)
        if why:
            c.add("date_formats", why, fmt)
    if c.problems:
        raise MappingError(path, c.problems)
    study = data.get("study")
    return Mapping(path, spec, path.parent / str(data["source"]), formats,
                   c.strings(data.get("ignore_sheets"), "ignore_sheets"), records=records, recodes=recodes,
                   study=None if study is None else str(study), source_written=str(data["source"]), **parts)
