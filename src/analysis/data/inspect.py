"""``python -m analysis inspect FILE``: profile an unknown export and draft its mapping.

The profile (Markdown, to the terminal) lists per sheet the header row found, and per column
the kinds of cells (text, number, date, yes/no), the number of empty cells, the distinct
values with their counts, and the date formats the text cells are written in. Counts below
the disclosure threshold (default 10) are shown as ``<10``. Values are listed only for the
text labels of columns with a suggested schema column: not for identifiers, dates, numbers,
or free text such as notes.

The draft mapping (:mod:`analysis.data.mapping`) is written beside the export as
``<stem>.mapping.draft.yml``: each header with the closest schema column (``difflib`` on the
column names and the Dutch headers administrations use for them, :data:`SYNONYMS`), each
coded column's labels with the closest code, ``TODO`` where nothing is close. The draft does
not load until every ``TODO`` is resolved; then it is renamed to ``<stem>.mapping.yml``.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from analysis.data.spec import TableSpec
from analysis.data.workbook import is_blank, sheet_table

TODO = "TODO"
MAX_LISTED = 40  # distinct values listed per column
DATE_FORMATS = ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%y", "%Y-%m-%d %H:%M:%S")
MIN_SCORE = 0.7
SYNONYMS = {
    "deelnemer_id": ("klantnummer", "klantnr", "clientnummer", "deelnemernummer", "registratienummer",
                     "deelnemer"),
    "werkgever": ("latende werkgever", "oude werkgever", "werkgever"),
    "instroomdatum": ("datum aanmelding", "aanmelddatum", "instroom", "inschrijfdatum", "datum instroom"),
    "startdatum": ("start traject", "startdatum traject", "datum intake", "intakedatum"),
    "casemanager_org": ("casemanager", "organisatie casemanager", "organisatie"),
    "geslacht": ("m/v", "geslacht", "sekse"),
    "leeftijd": ("leeftijd", "leeftijd bij instroom"),
    "opleidingsniveau": ("opleiding", "hoogst genoten opleiding", "opleidingsniveau", "diploma"),
    "dienstjaren": ("dienstjaren", "jaren in dienst", "aantal dienstjaren"),
    "functie": ("functie", "beroep", "functie bij instroom"),
    "ontslagaanzegging": ("aanzegging ontvangen", "ontslagaanzegging", "aanzegging"),
    "triage": ("triagepad", "pad", "triage"),
    "uitstroomdatum": ("datum uitstroom", "uitstroomdatum", "datum nieuwe baan"),
    "sector_nieuw": ("sector nieuwe baan", "sector", "branche nieuwe baan"),
    "contract_nieuw": ("contract", "contractvorm", "soort contract"),
    "gevonden_via": ("baan gevonden via", "gevonden via", "kanaal"),
    "certificeringscursus": ("certificering", "certificaat", "certificeringscursus"),
    "reden_stoppen": ("reden stoppen", "reden uitval", "reden"),
    "beschut_werk_aanvraag": ("beschut werk aangevraagd", "beschut werk"),
    "geinterviewd": ("geinterviewd", "interview", "onderzoek"),
}
ROLE_SYNONYMS = {"deelnemer_id": SYNONYMS["deelnemer_id"], "datum": ("datum", "datum wijziging", "startdatum dienst",
                 "ingangsdatum", "mutatiedatum"), "status": ("status", "uitstroomstatus", "fase"),
                 "dienst": ("dienst", "dienstverlening", "voorziening", "activiteit")}


def plain(text: object) -> str:
    """Lower case, accents and punctuation removed: how headers are compared."""
    s = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().casefold()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", s).split())


def closest(header: str, candidates: dict[str, tuple[str, ...]]) -> tuple[str | None, float]:
    """The candidate whose name or synonym is closest to ``header`` and the similarity
    (0-1); ``None`` below :data:`MIN_SCORE`."""
    h = plain(header)
    best, score = None, 0.0
    for name, words in candidates.items():
        for w in (plain(name.replace("_", " ")), *map(plain, words)):
            r = difflib.SequenceMatcher(None, h, w).ratio()
            if r > score:
                best, score = name, r
    return (best, score) if score >= MIN_SCORE else (None, score)


def cell_kind(value: object) -> str:
    if isinstance(value, bool):
        return "yes/no"
    if isinstance(value, (datetime, date)):
        return "date"
    if isinstance(value, (int, float)):
        return "number"
    return "text"


@dataclass
class ColumnProfile:
    header: str
    rows: int
    blank: int
    kinds: Counter
    values: Counter
    date_formats: Counter
    suggestion: str | None = None
    score: float = 0.0

    @property
    def distinct(self) -> int:
        return len(self.values)

    def listable(self) -> bool:
        """Values are listed for the labels of a column that has a suggested schema column:
        not for free text without one (notes may name people), identifiers, dates, numbers,
        or more than :data:`MAX_LISTED` values."""
        filled = self.rows - self.blank
        if self.suggestion is None or self.kinds.get("text", 0) < 0.5 * filled:
            return False
        identifier = self.suggestion == "deelnemer_id" or (filled >= 10 and self.distinct >= 0.9 * filled)
        datelike = sum(self.date_formats.values()) >= 0.5 * max(filled, 1)
        return self.distinct <= MAX_LISTED and not identifier and not datelike


@dataclass
class SheetProfile:
    sheet: str
    header_row: int
    rows: int
    columns: list[ColumnProfile] = field(default_factory=list)
    role: str = "participants"  # or status_history, services, ignore


def find_header_row(grid: list[tuple], scan: int = 10) -> int:
    """The first of the top rows that is mostly filled with text (a title line above the
    headers is skipped)."""
    top = grid[:scan]
    widest = max([sum(not is_blank(v) for v in r) for r in top] or [0])
    for i, r in enumerate(top):
        filled = [v for v in r if not is_blank(v)]
        if len(filled) >= max(2, widest / 2) and all(isinstance(v, str) for v in filled):
            return i + 1
    return 1


def _date_formats(values: list[object]) -> Counter:
    found: Counter = Counter()
    for v in values:
        if isinstance(v, (datetime, date)):
            found["Excel date"] += 1
        elif isinstance(v, str):
            for fmt in DATE_FORMATS:
                try:
                    datetime.strptime(v.strip(), fmt)
                except ValueError:
                    continue
                found[fmt] += 1
                break
    return found


def _role(columns: list[ColumnProfile]) -> str:
    """A long-format sheet (person, date, status or service) or a person sheet."""
    roles = {closest(c.header, ROLE_SYNONYMS)[0] for c in columns}
    if len(columns) <= 5 and {"deelnemer_id", "status"} <= roles:
        return "status_history"
    if len(columns) <= 5 and {"deelnemer_id", "dienst"} <= roles:
        return "services"
    return "participants"


def profile_sheet(sheet: str, grid: list[tuple], spec: TableSpec) -> SheetProfile:
    header_row = find_header_row(grid)
    table = sheet_table(sheet, grid, header_row)
    out = SheetProfile(sheet, header_row, len(table.rows))
    if len(table.headers) < 2 or table.rows.empty:
        out.role = "ignore"
        return out
    names = {c: SYNONYMS.get(c, ()) for c in spec.column_names}
    for h in table.headers:
        cells = table.rows[h].tolist()
        filled = [v for v in cells if not is_blank(v)]
        col = ColumnProfile(h, len(cells), len(cells) - len(filled), Counter(map(cell_kind, filled)),
                            Counter(" ".join(str(v).split()) for v in filled), _date_formats(filled))
        col.suggestion, col.score = closest(h, names)
        out.columns.append(col)
    out.role = _role(out.columns)
    if out.role != "participants":
        for col in out.columns:
            col.suggestion, col.score = closest(col.header, ROLE_SYNONYMS)
    best: dict[str, float] = {}
    for col in out.columns:  # a schema column is suggested for its closest header only
        best[col.suggestion] = max(best.get(col.suggestion, 0.0), col.score)
    for col in out.columns:
        if col.suggestion is not None and col.score < best[col.suggestion]:
            col.suggestion = None
    return out


def profile_file(path: str | Path, spec: TableSpec) -> list[SheetProfile]:
    from analysis.data.workbook import read_sheets

    return [profile_sheet(name, grid, spec) for name, grid in read_sheets(path).items()]


def shown_count(n: int, threshold: int) -> str:
    """A count as shown in the profile: ``<threshold`` below the threshold."""
    return f"<{threshold}" if 0 < n < threshold else str(n)


def render_profile(path: str | Path, sheets: list[SheetProfile], threshold: int = 10) -> str:
    """The profile as Markdown; every count below ``threshold`` is shown as ``<threshold``."""
    lines = [f"# Profile of `{Path(path).name}`", "",
             f"Counts below {threshold} are shown as `<{threshold}` (disclosure threshold).", ""]
    for sp in sheets:
        lines += [f"## Sheet `{sp.sheet}`: {sp.role}", "",
                  f"Header row {sp.header_row}; {shown_count(sp.rows, threshold)} data rows; "
                  f"{len(sp.columns)} columns.", ""]
        if not sp.columns:
            continue
        lines += ["| column | closest schema column | cells | empty | distinct | dates |", "|---|---|---|---|---|---|"]
        for c in sp.columns:
            kinds = ", ".join(f"{k} {shown_count(n, threshold)}" for k, n in sorted(c.kinds.items()))
            dates = ", ".join(f"`{f}` {shown_count(n, threshold)}" for f, n in c.date_formats.most_common())
            match = f"`{c.suggestion}` ({c.score:.2f})" if c.suggestion else "none"
            lines.append(f"| `{c.header}` | {match} | {kinds} | {shown_count(c.blank, threshold)} | "
                         f"{c.distinct} | {dates} |")
        lines.append("")
        for c in sp.columns:
            if c.listable() and c.values:
                values = "; ".join(f"`{v}` {shown_count(n, threshold)}" for v, n in sorted(c.values.items()))
                lines += [f"- `{c.header}`: {values}"]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _q(text: object) -> str:
    return json.dumps(str(text), ensure_ascii=False)


def closest_code(label: str, codes: tuple) -> str:
    """The allowed code closest to a label (``TODO`` when none is close)."""
    digits = re.findall(r"\d+", label)
    if all(isinstance(c, int) for c in codes) and len(digits) == 1 and int(digits[0]) in codes:
        return digits[0]
    best, _ = closest(label, {str(c): () for c in codes})
    return best if best is not None else TODO


def _value_lines(column: str, labels: list[str], codes: tuple, indent: str, blank_unknown: bool = False,
                 patterns: tuple = ()) -> list[str]:
    """A column's recode block: ``patterns`` ((regular expression, code), ...) and the labels
    they do not cover with their closest code; ``blank_unknown``: empty cells become onbekend
    (only for required columns: where a column may be empty, empty means "not applicable")."""
    from analysis.data.mapping import Recode

    covered = Recode(column, patterns=tuple(patterns))
    rest = [v for v in labels if covered.code(v)[0] is None]
    lines = [f"{indent}{column}:  # codes: {', '.join(map(str, codes))}"]
    if patterns:
        lines.append(f"{indent}  patterns:  # suggested; check them against the labels of the profile")
        lines += [f"{indent}    - {{match: {json.dumps(rx)}, value: {code}}}" for rx, code in patterns]
    lines.append(f"{indent}  map:" + ("" if rest else " {}"))
    lines += [f"{indent}    {_q(v)}: {closest_code(v, codes)}" for v in rest]
    if blank_unknown and "onbekend" in map(str, codes):
        lines.append(f"{indent}  blank: onbekend  # empty cells; remove to make them an error")
    return lines


def _column_lines(sp: SheetProfile, seen: set[str]) -> list[str]:
    lines = []
    for c in sp.columns:
        if c.header in seen:
            continue
        seen.add(c.header)
        note = (f"closest match ({c.score:.2f})" if c.suggestion else
                "no close schema column: map it or move it to ignore")
        lines.append(f"    {_q(c.header)}: {c.suggestion or TODO}  # {note}")
    return lines


def _records_lines(sp: SheetProfile, spec: TableSpec) -> list[str]:
    from analysis.data.mapping import RECORD_ROLES

    lines = [f"{sp.role}:", f"  sheet: {_q(sp.sheet)}", f"  header_row: {sp.header_row}", "  columns:"]
    lines += [f"    {_q(c.header)}: {c.suggestion or TODO}  # one of {', '.join(RECORD_ROLES[sp.role])}"
              for c in sp.columns]
    coded = [c for c in sp.columns if c.suggestion in ("status", "dienst") and c.listable()]
    codes = {"status": _codes(spec, "status_20210401"), "dienst": tuple(n for n in spec.column_names
                                                                        if n.startswith("dv_"))}
    if coded:
        lines.append("  values:")
        for c in coded:
            lines += _value_lines(c.suggestion, sorted(c.values), codes[c.suggestion], "    ")
    return lines


def _codes(spec: TableSpec, name: str) -> tuple:
    return next((c.allowed or () for c in spec.columns if c.name == name), ())


def _yes_no_lines(people: list[SheetProfile], by_name: dict) -> list[str]:
    """Recodes of the yes/no columns: the labels read as yes or no, and empty as no."""
    from analysis.data.parsing import FALSE_WORDS, TRUE_WORDS

    found: dict[str, set[str]] = {}
    for sp in people:
        for c in sp.columns:
            col = by_name.get(c.suggestion or "")
            if col is not None and col.kind == "bool":
                found.setdefault(col.name, set()).update(c.values)
    def word(label: str) -> str:
        return "true" if label.casefold() in TRUE_WORDS else "false" if label.casefold() in FALSE_WORDS else TODO

    return [f"  {name}: {{map: {{{', '.join(f'{_q(v)}: {word(v)}' for v in sorted(labels))}}}, blank: false}}"
            "  # empty = no; remove blank if an empty cell must be an error" for name, labels in found.items()]


def draft_mapping(path: str | Path, sheets: list[SheetProfile], spec: TableSpec,
                  patterns: dict[str, tuple] | None = None) -> str:
    """A mapping file for the evaluator to complete (see the module docstring); ``patterns``
    are suggested recode patterns per schema column."""
    people = [s for s in sheets if s.role == "participants"]
    formats = Counter()
    for sp in sheets:
        for c in sp.columns:
            formats.update({f: n for f, n in c.date_formats.items() if f != "Excel date"})
    lines = [f"# DRAFT mapping of {Path(path).name}, written by `python -m analysis inspect`.",
             "# Resolve every TODO, check every suggestion, then rename this file to "
             f"{Path(path).stem}.mapping.yml (beside the export).",
             "# The format: data/raw/README.md, section \"Reading a case-manager export\".",
             "mapping_version: 1", f"schema: {spec.name.split('.')[0]}", f"source: {_q(Path(path).name)}",
             f"date_formats: [{', '.join(_q(f) for f, _ in formats.most_common()) or _q('%d-%m-%Y')}]",
             f"ignore_sheets: [{', '.join(_q(s.sheet) for s in sheets if s.role == 'ignore')}]",
             "participants:", f"  header_row: {people[0].header_row if people else 1}",
             "  sheets:  # values that hold for every row of a sheet, e.g. {casemanager_org: UWV}"]
    lines += [f"    {_q(s.sheet)}: {{}}" for s in people]
    lines.append("  columns:")
    seen: set[str] = set()
    for sp in people:
        lines += _column_lines(sp, seen)
    mapped = {c.suggestion for sp in people for c in sp.columns}
    constants = "{}" if "synthetisch" in mapped else "{synthetisch: false}  # the real administration"
    lines += ["  ignore: []", f"  constants: {constants}",
              "values:  # recodes of labels into codes, one entry per coded column"]
    by_name = {c.name: c for c in spec.columns}
    labels: dict[str, set[str]] = {}
    for sp in people:
        for c in sp.columns:
            col = by_name.get(c.suggestion or "")
            if col is not None and col.allowed is not None and col.kind != "bool" and c.listable():
                labels.setdefault(col.name, set()).update(c.values)
    lines += _yes_no_lines(people, by_name)
    for name, found in labels.items():
        col = by_name[name]
        lines += _value_lines(name, sorted(found), col.allowed, "  ", blank_unknown=not col.nullable,
                              patterns=(patterns or {}).get(name, ()))
    for sp in sheets:
        if sp.role in ("status_history", "services"):
            lines += _records_lines(sp, spec)
    return "\n".join(lines) + "\n"


def check_summary(df, threshold: int = 10) -> str:
    """What a completed mapping gave: rows, and per column the number of ``onbekend`` or
    empty values (below ``threshold`` shown as ``<threshold``)."""
    from analysis.pilot.schema import UNKNOWN

    lines = [f"{len(df)} participants read and validated through the mapping."]
    for col in df.columns:
        n = int((df[col].astype(object) == UNKNOWN).sum())
        if n:
            lines.append(f"  {col}: {shown_count(n, threshold)} onbekend")
    return "\n".join(lines)


def check(path: Path, threshold: int) -> int:
    """``inspect --check``: read the export through its mapping, as the notebooks will."""
    from analysis.data.errors import InputError
    from analysis.pilot.from_export import load_export

    try:
        df = load_export(path)
    except InputError as err:
        print(err)
        return 1
    print(check_summary(df, threshold))
    return 0


def command(args) -> int:
    """``python -m analysis inspect FILE``: print the profile, write the draft mapping (with
    ``--check``: read the export through its completed mapping instead)."""
    from analysis.data.errors import InputError
    from analysis.pilot.schema import PARTICIPANTS

    path = Path(args.file)
    if args.check:
        return check(path, args.threshold)
    try:
        sheets = profile_file(path, PARTICIPANTS)
    except InputError as err:
        print(err)
        return 1
    print(render_profile(path, sheets, args.threshold))
    draft = Path(args.draft) if args.draft else path.with_name(path.stem + ".mapping.draft.yml")
    if draft.exists() and not args.force:
        print(f"{draft} exists; not overwritten (use --force)")
        return 1
    from analysis.files import write_text_atomically
    from analysis.pilot.schema import EDUCATION_PATTERNS

    text = draft_mapping(path, sheets, PARTICIPANTS, {"opleidingsniveau": EDUCATION_PATTERNS})
    write_text_atomically(draft, text)
    print(f"draft mapping written to {draft}: resolve every {TODO}, then rename it to "
          f"{path.stem}.mapping.yml")
    return 0
