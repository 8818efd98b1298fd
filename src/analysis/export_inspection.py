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
import warnings
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from analysis import paths
from analysis.data.errors import InputError, Problem
from analysis.data.hidden import HIDDEN_RULE, hidden_parts
from analysis.data.mapped import parse_date
from analysis.data.mapping import RECORD_ROLES, Recode
from analysis.data.month_names import named_format
from analysis.data.parsing import FALSE_WORDS, TRUE_WORDS
from analysis.data.spec import TableSpec
from analysis.data.workbook import LINE, is_blank, read_sheets, sheet_table
from analysis.files import write_text_atomically
from analysis.inspect_config import cutoff_problem, other_file_note, reads_other_file, run_name
from analysis.pilot import from_export, history, schema as ps, tables
from analysis.pilot.from_export import TOTALS, mapping_path, mapping_study
from analysis.pilot.schema import EDUCATION_PATTERNS, UNKNOWN  # constants; the study's names via ps, at call
from analysis.pilot.tables import joint_cutoffs
from analysis.pipeline.errors import ReportError
from analysis.pipeline.runs import declared_parameters, load_config
from analysis.study import DEFAULT_STUDY, StudyError

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
# Columns the mapping computes (participants.derive) from a column of another kind: a birth
# date gives the age, a start date (or year) of employment the years of service.
DERIVE_SYNONYMS = {
    "leeftijd": ("geboortedatum", "geb datum", "geboren", "geboortejaar", "date of birth"),
    "dienstjaren": ("in dienst sinds", "datum in dienst", "in dienst vanaf", "jaar in dienst", "datum indiensttreding",
                    "startdatum dienstverband", "in dienst"),
}
# Words in a header that say it is about something else than the schema column it resembles:
# a ``*_nieuw`` column (the new job) is never the old employer's.
OTHER_CONCEPT = {"sector_nieuw": ("oud", "oude", "vorig", "vorige", "latend", "latende", "huidig", "huidige"),
                 "contract_nieuw": ("oud", "oude", "vorig", "vorige", "latend", "latende", "huidig", "huidige"),
                 "gevonden_via": ("oud", "oude", "vorig", "vorige")}
# A column about the new job is filled only for those who found one; a header that does not
# say "new" or "job" and has a value in (nearly) every row is about the job they had.
NEW_JOB_WORDS = {"nieuw", "nieuwe", "baan", "uitstroom", "na", "new", "job"}
NEW_JOB_COLUMNS = ("sector_nieuw", "contract_nieuw")
# Columns about the job they had: a header that says "new" is about the new job instead.
OLD_JOB_COLUMNS = ("werkgever", "functie", "functietype", "dienstjaren")
ROLE_SYNONYMS = {"deelnemer_id": SYNONYMS["deelnemer_id"],
                 "datum": ("datum", "datum wijziging", "startdatum dienst", "ingangsdatum", "mutatiedatum"),
                 "status": ("status", "uitstroomstatus", "fase", "nieuwe status", "status na wijziging",
                            "statuswijziging"),
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
    evidence: str = ""  # why the suggestion (or why none), for the draft's comment
    derive: str | None = None  # a column the mapping computes from this one (participants.derive)

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
    totals_rows: list[int] = field(default_factory=list)  # spreadsheet rows that look like totals
    hidden: list[str] = field(default_factory=list)  # hidden rows, columns or the sheet itself


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
            fmt = next((f for f in DATE_FORMATS if _reads(v.strip(), f)), None) or named_format(v)
            if fmt is not None and parse_date(" ".join(v.split()), fmt) is not None:
                found[fmt] += 1  # a month name (15 maart 2024: %d %B %Y) as the mapping reads it
    return found


def _reads(text: str, fmt: str) -> bool:
    try:
        datetime.strptime(text, fmt)
    except ValueError:
        return False
    return True


def _role(columns: list[ColumnProfile]) -> str:
    """A long-format sheet (person, date, status or service) or a person sheet."""
    roles = {closest(c.header, ROLE_SYNONYMS)[0] for c in columns}
    if len(columns) <= 5 and {"deelnemer_id", "status"} <= roles:
        return "status_history"
    if len(columns) <= 5 and {"deelnemer_id", "dienst"} <= roles:
        return "services"
    return "participants"


def _totals(table) -> list[int]:
    """Rows whose first filled cell reads as a total ("Totaal", "Aantal ..."): not persons."""
    out = []
    for _, row in table.rows.iterrows():
        first = next((str(v) for k, v in row.items() if k != LINE and not is_blank(v)), "")
        if TOTALS.search(first.strip()):
            out.append(int(row[LINE]))
    return out


def _names_another_column(words: set[str], suggestion: str) -> tuple[str, str] | None:
    """(column, word) when the header's words beyond the suggestion's own name and synonyms
    include the one-word name of another schema column ("Contract oude werkgever" names a
    contract, not the employer)."""
    own = {w for s in (suggestion.replace("_", " "), *SYNONYMS.get(suggestion, ())) for w in plain(s).split()}
    for column, synonyms in SYNONYMS.items():
        if column == suggestion:
            continue
        for s in synonyms:
            word = plain(s)
            if " " not in word and len(word) >= 4 and word in words - own:
                return column, word
    return None


def _other_job(col: ColumnProfile, words: set[str]) -> str | None:
    """Why a suggestion is about the other job than its column (the new job's header for a
    column of the job they had, or a column every row fills for a new job's column), or None."""
    if col.suggestion in OLD_JOB_COLUMNS and words & {"nieuw", "nieuwe", "new"}:
        return (f"resembles {col.suggestion} ({col.score:.2f}), but the header says "
                f"'{sorted(words & {'nieuw', 'nieuwe', 'new'})[0]}': the new job's, and {col.suggestion} is about the "
                "job they had; not suggested")
    if col.suggestion in NEW_JOB_COLUMNS and not words & NEW_JOB_WORDS and col.rows >= 5 \
            and col.blank <= 0.1 * col.rows:
        return (f"resembles {col.suggestion} ({col.score:.2f}), but the header does not say new job and "
                f"{col.rows - col.blank} of {col.rows} rows have a value (a new job's column is filled only for those "
                "who found work): probably the job they had; not suggested")
    return None


def _judge(col: ColumnProfile, spec: TableSpec) -> None:
    """Check a suggestion against the column's header words and cells; drop it, with the
    reason in ``evidence``, when they speak of another concept; propose a derived column
    for a birth date or a start of employment."""
    by_name = {c.name: c for c in spec.columns}
    words = set(plain(col.header).split())
    filled = max(col.rows - col.blank, 1)
    dates = sum(col.date_formats.values()) + col.kinds.get("date", 0) - col.date_formats.get("Excel date", 0)
    years = sum(n for v, n in col.values.items() if re.fullmatch(r"(19|20)\d\d", v))
    derived, score = closest(col.header, DERIVE_SYNONYMS)
    if derived is not None and score >= max(col.score, MIN_SCORE) and (dates + years) >= 0.5 * filled:
        col.suggestion, col.derive = None, derived
        col.evidence = (f"header resembles a source of {derived} ({score:.2f}) and its cells are dates or years: "
                        f"participants.derive.{derived}")
        return
    if col.suggestion is None:
        col.evidence = f"no close schema column (best similarity {col.score:.2f}): map it or move it to ignore"
        return
    target = by_name.get(col.suggestion)
    clash = words & set(OTHER_CONCEPT.get(col.suggestion, ()))
    other = _names_another_column(words, col.suggestion)
    if other:
        col.evidence = (f"resembles {col.suggestion} ({col.score:.2f}), but the header also names {other[0]} "
                        f"('{other[1]}'): another concept; not suggested")
        col.suggestion = None
        return
    if clash:
        col.evidence = (f"resembles {col.suggestion} ({col.score:.2f}), but the header says "
                        f"'{sorted(clash)[0]}': another concept (e.g. the old employer's); not suggested")
        col.suggestion = None
        return
    clash_with_job = _other_job(col, words)
    if clash_with_job:
        col.evidence, col.suggestion = clash_with_job, None
        return
    if target is not None and target.kind in ("category", "str", "bool") and dates >= 0.5 * filled:
        col.evidence = (f"resembles {col.suggestion} ({col.score:.2f}), but its cells are dates, not "
                        f"{target.kind} values")
        col.suggestion = None
        return
    if target is not None and target.kind in ("int", "float") and dates >= 0.5 * filled:
        col.evidence = f"resembles {col.suggestion} ({col.score:.2f}), but its cells are dates, not numbers"
        col.suggestion = None
        return
    if target is not None and target.kind == "date" and col.kinds.get("number", 0) + col.kinds.get("text", 0) \
            >= 0.5 * filled and dates < 0.5 * filled:
        col.evidence = f"resembles {col.suggestion} ({col.score:.2f}), but its cells are not dates"
        col.suggestion = None
        return
    col.evidence = f"header resembles {col.suggestion} ({col.score:.2f})"
    if target is not None and target.allowed is not None and target.kind == "category" and col.listable():
        codes = [str(a) for a in target.allowed]
        close = sum(closest_code(v, tuple(codes)) != TODO for v in col.values)
        col.evidence += f"; {close} of {col.distinct} labels are close to its codes"


def profile_sheet(sheet: str, grid: list[tuple], spec: TableSpec) -> SheetProfile:
    header_row = find_header_row(grid)
    table = sheet_table(sheet, grid, header_row)
    out = SheetProfile(sheet, header_row, len(table.rows), totals_rows=_totals(table))
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
            col.evidence = f"resembles {col.suggestion} ({col.score:.2f}), but another header resembles it more"
            col.suggestion = None
        elif out.role == "participants":
            _judge(col, spec)
    return out


def profile_file(path: str | Path, spec: TableSpec) -> list[SheetProfile]:
    hidden = hidden_parts(path)
    out = [profile_sheet(name, grid, spec) for name, grid in read_sheets(path).items()]
    for sp in out:
        sp.hidden = hidden.get(sp.sheet, [])
    return out


def _sheet_state(sp: SheetProfile) -> str:
    """What a sheet without a participant row holds, as the refusal says it."""
    if sp.rows:
        return f"sheet '{sp.sheet}': {sp.rows} row(s) under fewer than two headers (row {sp.header_row})"
    return f"sheet '{sp.sheet}': no data row below row {sp.header_row}"


def refuse_without_people(path: str | Path, sheets: list[SheetProfile]) -> None:
    """An export with no sheet of participant rows (a blank workbook, headers only) is refused
    with one message: a draft of it would map nothing, and ``inspect`` said "0 data rows",
    wrote that draft and exited 0."""
    if any(sp.role == "participants" for sp in sheets):
        return
    states = "; ".join(_sheet_state(sp) for sp in sheets) or "no sheet"
    raise InputError(path, [Problem(
        f"the workbook holds no participant rows ({states}): a mapping is drafted from the rows of "
        "the participants, one person a row below a header row; export the file again with its rows "
        "and inspect that file (no draft written)")])


def shown_count(n: int, threshold: int) -> str:
    """A count as shown in the profile: ``<threshold`` below the threshold."""
    return f"<{threshold}" if 0 < n < threshold else str(n)


WITHHELD = "x"  # a count at or above the threshold withheld so that a count below it is not found by subtraction


def protected_counts(counts: dict, threshold: int) -> dict:
    """The counts of one group that adds up to a known number (a column's kinds of cells and
    its empty cells add up to the sheet's rows; its labels, its date formats), as the profile
    shows them: a count below ``threshold`` as ``<threshold``, and while the group's counts so
    hidden add up to less than ``threshold``, its smallest shown count (not 0) as ``x`` too --
    else the shown counts and the total would give the hidden one (attack 19's C3: ``M <10;
    V 10`` of 14 rows said M = 4)."""
    hidden = {k for k, n in counts.items() if 0 < n < threshold}
    if hidden:
        for k, _ in sorted(((k, n) for k, n in counts.items() if n >= threshold), key=lambda kn: kn[1]):
            if sum(counts[h] for h in hidden) >= threshold:
                break
            hidden.add(k)
    return {k: (f"<{threshold}" if 0 < n < threshold else WITHHELD) if k in hidden else str(n)
            for k, n in counts.items()}


def render_profile(path: str | Path, sheets: list[SheetProfile], threshold: int = 10) -> str:
    """The profile as Markdown; every count below ``threshold`` is shown as ``<threshold``,
    and counts of its group as ``x`` where it would follow by subtraction
    (:func:`protected_counts`)."""
    lines = [f"# Profile of `{Path(path).name}`", "",
             f"Counts below {threshold} are shown as `<{threshold}` (disclosure threshold); `{WITHHELD}` is a "
             f"count withheld beside them, so that no count below {threshold} follows by subtraction.", ""]
    for sp in sheets:
        lines += [f"## Sheet `{sp.sheet}`: {sp.role}", "",
                  f"Header row {sp.header_row}; {shown_count(sp.rows, threshold)} data rows; "
                  f"{len(sp.columns)} columns.", ""]
        if sp.hidden:
            lines += [f"**Hidden** {HIDDEN_RULE}: {', '.join(sp.hidden)}.", ""]
        if sp.totals_rows:
            lines += [f"Rows that look like totals, not persons: {', '.join(map(str, sp.totals_rows))} "
                      "(the draft skips them: participants.skip_rows).", ""]
        if not sp.columns:
            continue
        lines += ["| column | closest schema column | cells | empty | distinct | dates |", "|---|---|---|---|---|---|"]
        for c in sp.columns:
            cells = protected_counts({**{("kind", k): n for k, n in c.kinds.items()}, ("empty", ""): c.blank},
                                     threshold)  # they add up to the sheet's rows
            kinds = ", ".join(f"{k} {cells['kind', k]}" for k in sorted(c.kinds))
            formats = protected_counts(dict(c.date_formats), threshold)
            dates = ", ".join(f"`{f}` {formats[f]}" for f, _ in c.date_formats.most_common())
            match = f"`{c.suggestion}` ({c.score:.2f})" if c.suggestion else "none"
            lines.append(f"| `{c.header}` | {match} | {kinds} | {cells['empty', '']} | {c.distinct} | {dates} |")
        lines.append("")
        for c in sp.columns:
            if c.listable() and c.values:
                shown = protected_counts(dict(c.values), threshold)
                values = "; ".join(f"`{v}` {shown[v]}" for v in sorted(c.values))
                lines += [f"- `{c.header}`: {values}"]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _q(text: object) -> str:
    """A label or header as a YAML double-quoted string: letters as they are, every character
    that does not show (a right-to-left override, a zero-width space) as its escape, so the
    draft shows what the export holds and a terminal or editor does not reorder it."""
    dumped = json.dumps(str(text), ensure_ascii=False)
    if dumped.isprintable():
        return dumped
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}"
                   for c in dumped)


def closest_code(label: str, codes: tuple) -> str:
    """The allowed code closest to a label (``TODO`` when none is close)."""
    return code_with_evidence(label, codes)[0]


def code_with_evidence(label: str, codes: tuple) -> tuple[str, str]:
    """The allowed code closest to a label (``TODO`` when none is close) and why: the draft
    writes the reason beside each guess."""
    digits = re.findall(r"\d+", label)
    if all(isinstance(c, int) for c in codes) and len(digits) == 1 and int(digits[0]) in codes:
        return digits[0], f"the label's only number is the code {digits[0]}"
    best, score = closest(label, {str(c): () for c in codes})
    if best is None:
        return TODO, f"no code is close (best similarity {score:.2f}): choose one of the codes"
    if plain(label) == plain(best.replace("_", " ")):
        return best, "the same word"
    return best, f"similar to the code ({score:.2f}): check"


def _value_lines(column: str, labels: list[str], codes: tuple, indent: str, blank_unknown: bool = False,
                 patterns: tuple = ()) -> list[str]:
    """A column's recode block: ``patterns`` ((regular expression, code), ...) and the labels
    they do not cover with their closest code; ``blank_unknown``: empty cells become onbekend
    (only for required columns: where a column may be empty, empty means "not applicable")."""
    covered = Recode(column, patterns=tuple(patterns))
    rest = [v for v in labels if covered.code(v)[0] is None]
    lines = [f"{indent}{column}:  # codes: {', '.join(map(str, codes))}"]
    if patterns:
        lines.append(f"{indent}  patterns:  # suggested; check them against the labels of the profile")
        lines += [f"{indent}    - {{match: {json.dumps(rx)}, value: {code}}}" for rx, code in patterns]
    lines.append(f"{indent}  map:" + ("" if rest else " {}"))
    lines += [f"{indent}    {_q(v)}: {code}  # {why}" for v in rest for code, why in [code_with_evidence(v, codes)]]
    if blank_unknown and "onbekend" in map(str, codes):
        lines.append(f"{indent}  blank: onbekend  # empty cells; remove to make them an error")
    return lines


def _column_lines(sp: SheetProfile, seen: set[str]) -> list[str]:
    """One line per header: the suggestion (or TODO) with its evidence; a header that is the
    source of a derived column is listed under derive, not here."""
    lines = []
    for c in sp.columns:
        if c.header in seen or c.derive:
            continue
        seen.add(c.header)
        note = c.evidence or (f"closest match ({c.score:.2f})" if c.suggestion else
                              "no close schema column: map it or move it to ignore")
        lines.append(f"    {_q(c.header)}: {c.suggestion or TODO}  # {note}")
    return lines


def _derive_lines(people: list[SheetProfile]) -> list[str]:
    found = {}
    for sp in people:
        for c in sp.columns:
            if c.derive and c.derive not in found:
                found[c.derive] = c
    if not found:
        return []
    lines = ["  derive:  # computed columns: completed years from the cells up to years_until (check the date)"]
    lines += [f"    {name}: {{from: {_q(c.header)}, years_until: instroomdatum}}  # {c.evidence}"
              for name, c in found.items()]
    return lines


def _records_lines(sp: SheetProfile, spec: TableSpec) -> list[str]:
    lines = [f"{sp.role}:", f"  sheet: {_q(sp.sheet)}", f"  header_row: {sp.header_row}", "  columns:"]
    lines += [f"    {_q(c.header)}: {c.suggestion or TODO}  # {_role_evidence(c)}; one of "
              f"{', '.join(RECORD_ROLES[sp.role])}" for c in sp.columns]
    coded = [c for c in sp.columns if c.suggestion in ("status", "dienst") and c.listable()]

    codes = {"status": tuple(ps.STATUSES), "dienst": tuple(n for n in spec.column_names if n.startswith("dv_"))}
    if coded:
        lines.append("  values:")
        for c in coded:
            lines += _value_lines(c.suggestion, sorted(c.values), codes[c.suggestion], "    ")
    return lines


def _role_evidence(col: ColumnProfile) -> str:
    if col.suggestion is None:
        return f"no role is close (best similarity {col.score:.2f})"
    return f"header resembles {col.suggestion} ({col.score:.2f})"


def _codes(spec: TableSpec, name: str) -> tuple:
    return next((c.allowed or () for c in spec.columns if c.name == name), ())


def _yes_no_lines(people: list[SheetProfile], by_name: dict) -> list[str]:
    """Recodes of the yes/no columns: the labels read as yes or no, and empty as no."""
    found: dict[str, set[str]] = {}
    for sp in people:
        for c in sp.columns:
            col = by_name.get(c.suggestion or "")
            if col is not None and col.kind == "bool":
                found.setdefault(col.name, set()).update(c.values)
    def word(label: str) -> str:
        return "true" if label.casefold() in TRUE_WORDS else "false" if label.casefold() in FALSE_WORDS else TODO

    def evidence(labels: set[str]) -> str:
        guessed = [v for v in sorted(labels) if word(v) != TODO]
        return (f"{', '.join(_q(v) for v in guessed)} read by the yes/no words" if guessed else
                "no label is a yes/no word") + "; "

    def blank(labels: set[str]) -> tuple[str, str]:
        """A tick box (only the yes is written) reads an empty cell as no; a column that writes
        no as well leaves an empty cell unknown (newpilot19: Ja/Nee with blank: false read 11
        unrecorded cells as no)."""
        if any(word(v) == "false" for v in labels):
            return "", "empty = not recorded (onbekend), as the column writes no as well"
        return ", blank: false", "only yes is written (a tick box): empty = no; write blank: onbekend if an " \
                                 "empty cell was not recorded"

    return [f"  {name}: {{map: {{{', '.join(f'{_q(v)}: {word(v)}' for v in sorted(labels))}}}{blank(labels)[0]}}}"
            f"  # {evidence(labels)}{blank(labels)[1]}"
            for name, labels in found.items()]


def _study_id() -> str:
    return ps.STUDY.id


def _formats_evidence(formats: Counter) -> str:
    if not formats:
        return "no date written as text was found: the usual Dutch format, check it"
    found = [f for f, _ in formats.most_common()]  # no counts: the draft may name no count of persons' cells
    return "the formats of the dates written as text, the most used first: " + ", ".join(found)


def _header_row_evidence(people: list[SheetProfile]) -> str:
    if not people:
        return "no sheet of persons found"
    rows = sorted({sp.header_row for sp in people})
    return ("the first of the top ten rows that is mostly filled with text, in every sheet of persons (a title "
            "above it is left out)" if len(rows) == 1 else
            f"the sheets of persons differ (rows {', '.join(map(str, rows))}): set header_row per sheet")


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
             "mapping_version: 1", f"schema: {spec.name.split('.')[0]}", f"study: {_study_id()}",
             f"source: {_q(Path(path).name)}",
             f"date_formats: [{', '.join(_q(f) for f, _ in formats.most_common()) or _q('%d-%m-%Y')}]"
             f"  # {_formats_evidence(formats)}",
             f"ignore_sheets: [{', '.join(_q(s.sheet) for s in sheets if s.role == 'ignore')}]"
             "  # sheets with fewer than two headers or no data rows",
             "participants:", f"  header_row: {people[0].header_row if people else 1}"
             f"  # {_header_row_evidence(people)}",
             *([f"  skip_rows: [{_q(TOTALS.pattern)}]  # rows of totals (found in rows "
                f"{', '.join(str(r) for sp in people for r in sp.totals_rows)})"]
               if any(sp.totals_rows for sp in people) else []),
             "  sheets:  # values that hold for every row of a sheet, e.g. {casemanager_org: UWV}"]
    lines += [f"    {_q(s.sheet)}: {{}}" for s in people]
    lines.append("  columns:")
    seen: set[str] = set()
    for sp in people:
        lines += _column_lines(sp, seen)
    mapped = {c.suggestion for sp in people for c in sp.columns}
    constants = "{}" if "synthetisch" in mapped else "{synthetisch: false}  # the real administration"
    lines += _derive_lines(people)
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
    lines = [f"{len(df)} participants read and validated through the mapping."]
    for col in df.columns:
        n = int((df[col].astype(object) == UNKNOWN).sum())
        if n:
            lines.append(f"  {col}: {shown_count(n, threshold)} onbekend")
    return "\n".join(lines)


def report_rules(df, status_history, threshold: int, config: Path | None = None,
                 cutoffs: list[str] | None = None) -> None:
    """What the report run does with a validated participant frame beyond validation, so that a
    file that passes ``--check`` does not fail in the report: the status history and every
    published cut-off date of the study, notebook 02's joint disclosure control over them
    (its codebook domains) and notebook 03's release of the default models. Raises what the
    run would raise."""
    cutoffs = cutoffs if cutoffs is not None else study_published_cutoffs(config=config)
    frame = history.with_cutoffs(df, status_history, cutoffs)
    by_date, _, _ = tables.joint_figure_tables(frame, threshold, cutoffs=cutoffs)
    for cutoff in cutoffs:
        figure_rules(by_date[cutoff], cutoff, threshold)
        tables.model_release(frame, ["triage", "opleiding"], "work", cutoff, "stayed", threshold, published=by_date)


def figure_rules(figure_tables: dict, cutoff: str, threshold: int, notebook: str = "02_pilot_participants") -> None:
    """Notebook 02's figures at ``cutoff`` drawn from its release tables ``figure_tables`` as
    the notebook draws them (:func:`analysis.exhibit_figures.draw`, the exhibits the active
    study declares with ``cells``); a table its drawing cannot take raises ValueError naming
    the exhibit and the cause (newpilot2's F4: Figuur 11 with a service never recorded)."""
    import matplotlib.pyplot as plt

    from analysis.exhibit_figures import draw
    from analysis.pipeline.export import FIGURE_DPI
    from analysis.presentation import layout, pilot_figures

    for exhibit in (ps.STUDY.exhibits.of(notebook) if ps.STUDY.exhibits else ()):
        if exhibit.drawing not in ("bars", "grouped") or exhibit.cells not in figure_tables:
            continue
        drawn = exhibit.drawn(figure_tables[exhibit.cells])
        if not pilot_figures.informative(drawn):  # left out of the page, not drawn
            continue
        for lang in ("nl", "en"):  # the report's layout check, as on every published figure
            try:
                fig = draw(exhibit, drawn, exhibit.full_title(lang), lang, threshold=threshold)
                fig.set_dpi(FIGURE_DPI)  # as the run publishes it
                found = layout.problems(fig)
                plt.close(fig)
            except Exception as err:  # noqa: BLE001 -- whatever the drawing raises fails the run: named here
                found = [str(err) if isinstance(err, ValueError) else f"{type(err).__name__}: {err}"]
            if found:
                raise ValueError(f"{exhibit.label('en')} ({exhibit.name}, cut-off date {cutoff}, {lang}) cannot be "
                                 f"drawn ({exhibit.drawing}) from its table of this file: " + "; ".join(found))


def check(path: Path, threshold: int, config: Path | None = None) -> int:
    """``inspect --check``: read the export through its mapping, as the notebooks will, and
    apply every rule of the report run (:func:`report_rules`) at the cut-off dates the run
    configuration ``config`` (``--config``; newpilot19: a configuration of the evaluator's own was
    not read, so a cut-off outside the history passed the check and failed the run) or the
    default ones publish; the whole cause is printed."""
    try:
        with warnings.catch_warnings(record=True) as caught:  # said as notes, not as Python warnings
            warnings.simplefilter("always")
            df, records = from_export.load_export_with_history(path)
        for said in dict.fromkeys(str(w.message) for w in caught):
            if "hidden parts" not in said:  # the hidden parts are noted below, per sheet
                print(f"note: {said}")
        cutoffs = study_published_cutoffs(config=config, source=path if config is not None else None)
        report_rules(df, records, threshold, config, cutoffs)
    except InputError as err:
        print(err)
        return 1
    except ValueError as err:  # a rule of the report run (cut-off dates, disclosure control domains)
        print(f"{path}: the report run would fail: {err}")
        return 1
    except ReportError as err:  # the run configuration named with --config
        print(f"error: {err}")
        return 1
    for sheet, parts in hidden_parts(path).items():
        print(f"note: sheet '{sheet}' has hidden parts {HIDDEN_RULE}: {', '.join(parts)}")
    print(check_summary(df, threshold))
    print(f"every rule of the report run passed (study {history.ps.STUDY.id}, cut-off dates "
          f"{', '.join(cutoffs)})")
    return 0


def _activate_study(args, path: Path) -> None:
    """The study of the command: ``--study``, else (with ``--check``) the mapping's, else the
    default study."""
    study = getattr(args, "study", None)
    if study is None and args.check and (found := mapping_path(path)) is not None:
        study = mapping_study(found)
    ps.use_study(study or ps.DEFAULT_STUDY)


def command(args) -> int:
    """``python -m analysis inspect FILE``: print the profile, write the draft mapping (with
    ``--check``: read the export through its completed mapping instead)."""
    path = Path(args.file)
    try:
        _activate_study(args, path)
    except StudyError as err:
        print(err)
        return 1

    if args.check:
        return check(path, args.threshold, Path(args.config) if getattr(args, "config", None) else None)
    try:
        sheets = profile_file(path, ps.PARTICIPANTS)  # the active study's, not the default's
        refuse_without_people(path, sheets)
    except InputError as err:
        print(err)
        return 1
    print(render_profile(path, sheets, args.threshold))
    draft = Path(args.draft) if args.draft else path.with_name(path.stem + ".mapping.draft.yml")
    if draft.exists() and not args.force:
        print(f"{draft} exists; not overwritten (use --force)")
        return 1

    text = draft_mapping(path, sheets, ps.PARTICIPANTS, {"opleidingsniveau": EDUCATION_PATTERNS})
    write_text_atomically(draft, text)
    print(f"draft mapping written to {draft}: resolve every {TODO}, then rename it to "
          f"{path.stem}.mapping.yml")
    return 0


def study_published_cutoffs(own: str | None = None, config=None, source: Path | None = None) -> list[str]:
    """The cut-off dates the report run will publish from the active study's participant file
    (what ``inspect --check`` checks against; the runner itself passes them to the notebooks
    as ``joint_cutoffs``): its snapshot dates, the ``cutoff_date`` of every run of notebooks 02 and 03 in
    ``config`` (default ``notebooks/report.yml`` and the study's own run configuration
    ``studies/<id>.report.yml`` when there is one) whose ``study`` is the active study (a run
    without ``study`` is the default study's; without ``cutoff_date`` it has the notebook's
    default), and ``own``. Runs of other studies publish from other files; with ``source`` (the
    checked export), so do runs that read another ``participants_path`` (given or the notebook's default)
    (:mod:`analysis.inspect_config`). A cut-off date not written YYYY-MM-DD raises ReportError."""
    own_config = paths.PROJECT_ROOT / "studies" / f"{ps.STUDY.id}.report.yml"  # the study's own runs
    configs = [config] if config is not None else [paths.NOTEBOOKS / "report.yml",
                                                   *([own_config] if own_config.is_file() else [])]
    found, others = [], []
    for stem in ("02_pilot_participants", "03_outcome_models"):
        notebook = paths.NOTEBOOKS / f"{stem}.ipynb"
        defaults = declared_parameters(notebook) if notebook.is_file() else {}
        for c in configs:
            for entry in load_config(c, required=config is not None).get(stem) or [{}]:
                parameters = {**defaults, **(entry.get("parameters") or {})}
                if str(parameters.get("study") or DEFAULT_STUDY) != ps.STUDY.id:
                    continue
                name = run_name(stem, entry)
                if problem := cutoff_problem(c, name, (entry.get("parameters") or {}).get("cutoff_date")):
                    raise ReportError(problem)
                if source is not None and (named := reads_other_file(parameters, source)):
                    others.append((name, named))
                elif parameters.get("cutoff_date"):
                    found.append(str(parameters["cutoff_date"]))
    if source is not None and (note := other_file_note(configs[0], source, others, len(found))):
        print(note)
    return joint_cutoffs([*found, *([own] if own else [])])
