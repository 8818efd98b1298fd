"""A study's exhibits as data: every numbered table and figure of a pilot's chapters, declared
once in a YAML file beside the study file (``exhibits:`` in the study file names it; without
it, the shipped ``studies/vwnw_pilot.exhibits.yml``: Figures 7-13 as VWNW pilots number them).

Each exhibit says what the code would otherwise decide from its name or its title: its
number and kind (``Figuur 7.``), its title in both languages, whether the title names the
run's cut-off date, which release table it shows (``cells``, or ``crosstab``: persons by one
or two variables of the release; a ``cells`` table that counts each person once by one or two
release variables says which in ``counts``, so the intruder audit builds its programme from
the declaration), how it is drawn (``drawing``:
``grouped`` bars of a two-way table, ``bars`` of a one-way table, ``own``: the notebook draws
it itself), what the *n* under it counts (``n``) and the output it is written to. Notebook
02 loops over the declaration; the titles catalogue, the language check, the landing page
and the generated exhibit list (``docs/exhibits.md``) read it.

Checked by hand like the study file (:mod:`analysis.study.load`): a small nested document,
each problem as (key, value, rule), all problems at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from analysis.near_miss import did_you_mean
from analysis.study import plain_text
from analysis.study.plain_text import plain_rule
from analysis.study.side_files import read_side_yaml, side_path

KINDS = {"figure": ("Figuur", "Figure"), "table": ("Tabel", "Table")}
DRAWINGS = ("grouped", "bars", "own", "none")
N_BASES = ("table_total", "participants", "stated")  # the table's shown grand total; every participant; the page's
EXHIBIT_KEYS = {"notebook", "kind", "number", "title", "dated", "cells", "crosstab", "counts", "drawing", "n", "output",
                "total", "finding", "section"}
# The fields a finding's sentence may name (presentation.pilot_findings fills them from the released table).
FINDING_FIELDS = {"group", "Group", "date"}
# The total row and column of a release table: notebook 02's figure tables, the release's crosstabs.
TOTALS = {"cells": "totaal", "crosstab": "Totaal"}
REQUIRED_KEYS = {"notebook", "kind", "number", "title"}
FILE_KEYS = {"chapters", "exhibits"}
NAME = re.compile(r"^[a-z][a-z0-9_]*$")
MAX_OUTPUT = 100  # an output stem's length (hostile round 18: 230 characters failed the run at the file write)
NOTEBOOK = re.compile(r"^[0-9]{2}_[a-z0-9_]+$")
NUMBER = re.compile(r"^[A-Z]?[0-9]+(\.[0-9]+)?$")  # 7, 2.1, M1, T1
SECTION = re.compile(r"^[0-9]+(\.[0-9]+)*$")  # the numbered section of its chapter that shows it: 3.1.1
_EMPHASISED_FIELD = re.compile(r"\*\{[A-Za-z]+\}\*")  # a finding's field in italics: *{Group}*


@dataclass(frozen=True)
class Exhibit:
    """One numbered table or figure of a study's chapter."""

    name: str  # its key: the release table of notebook 02's tables, the catalogue key
    notebook: str  # the notebook (chapter) that shows it, e.g. 02_pilot_participants
    kind: str  # figure or table
    number: str  # as printed after the kind's word: "7", "M1"
    title: tuple[str, str]  # (Dutch, English), without number
    dated: bool = False  # the title ends with the run's cut-off date ("stand per ...")
    cells: str | None = None  # the release table it shows (None: the notebook computes it)
    crosstab: tuple[str, ...] | None = None  # instead of cells: persons by these variables (run.crosstab)
    drawing: str = "none"  # grouped, bars, own (the notebook draws it) or none (a table)
    n: str = "stated"  # what the n under a figure counts (see N_BASES)
    output: str | None = None  # the stem of its published files
    total: str = "totaal"  # the code of the release table's total row and column
    counts: tuple[str, ...] | None = None  # with cells: the release variables its rows (and columns) count persons by
    finding: tuple[str, str] | None = None  # (Dutch, English): the sentence naming its largest shown group
    section: str | None = None  # the section of its chapter under whose heading it stands (3.1.1)

    @property
    def variables(self) -> tuple[str, ...] | None:
        """The release variables whose levels the exhibit's rows (and columns) are: persons
        by these, each person once (``status``: the status on the run's cut-off date); None
        when the declaration does not say (the intruder audit then attacks it by hand)."""
        return self.crosstab or self.counts

    def label(self, lang: str = "nl") -> str:
        """``Figuur 7`` / ``Figure 7``: the kind's word and the number."""
        return f"{KINDS[self.kind][_index(lang)]} {self.number}"

    def full_title(self, lang: str = "nl") -> str:
        """``Figuur 7. Opleiding en leeftijd ...``: number and title as the report prints them."""
        return f"{self.label(lang)}. {self.title[_index(lang)]}"

    def shown(self, tables: dict, run):
        """The protected table the exhibit shows: notebook 02's release table ``cells`` (of
        ``tables``, ``run.figure_tables()``'s), or the release's crosstab of the declared
        variables (``run.crosstab``: protected together with everything released before)."""
        if self.crosstab:
            return run.crosstab(*self.crosstab, name=self.name)
        return tables[self.cells]

    def drawn(self, shown):
        """The counts a figure draws: ``shown`` (a release table with its total row and
        column, withheld cells ``<NA>``) without its totals."""
        return without_totals(shown, self.total)

    def shown_n(self, shown, participants) -> int | None:
        """The n under the figure, by the declared basis: the shown grand total of ``shown``
        (None when withheld), or the number of ``participants``."""
        import pandas as pd  # not at start: the runner reads the study files, and pandas costs 0.5 s

        if self.n == "participants":
            return len(participants)
        if self.n != "table_total":
            return None
        total = shown.loc[self.total, self.total] if hasattr(shown, "columns") else shown.get(self.total)
        return None if total is None or pd.isna(total) else int(total)


@dataclass(frozen=True)
class Exhibits:
    """A study's chapters (notebook -> (nl, en) chapter words) and its exhibits, in order."""

    chapters: dict
    items: tuple[Exhibit, ...]

    def of(self, notebook: str) -> tuple[Exhibit, ...]:
        """The exhibits of one notebook, in the declaration's order."""
        return tuple(e for e in self.items if e.notebook == notebook)

    def in_section(self, notebook: str, section: str | None) -> tuple[Exhibit, ...]:
        """The exhibits of ``notebook`` its section ``section`` shows, in the declaration's order
        (review 13 item 8: shown by count, a pilot with one more figure moved the rest down a section)."""
        return tuple(e for e in self.of(notebook) if e.section == section)

    def get(self, name: str) -> Exhibit | None:
        return next((e for e in self.items if e.name == name), None)


def _index(lang: str) -> int:
    if lang not in ("nl", "en"):
        raise ValueError(f"language must be 'nl' or 'en', got {lang!r}")
    return 0 if lang == "nl" else 1


def exhibits_path(study_file: Path, name: str) -> Path:
    """The exhibits file ``name`` relative to the study file's folder."""
    return side_path(study_file, name)


def load_exhibits(path: Path, problems: list) -> Exhibits | None:
    """The exhibits of ``path``; appends (key, value, rule) problems, keys prefixed
    ``exhibits``, and returns None when there are any."""
    before = len(problems)
    ok, doc = read_side_yaml(path, "exhibits", "must name a YAML file beside the study file (or one of the "
                                               "shipped studies/ folder)", problems)
    if not ok:
        return None
    if not isinstance(doc, dict) or set(doc) - FILE_KEYS or "exhibits" not in doc:
        problems.append((f"exhibits ({path.name})", None, f"must be a mapping with the keys {sorted(FILE_KEYS)}"))
        return None
    problems += [(f"exhibits.{k}", v, rule) for k, v, rule in plain_text.control_problems(doc)]
    chapters = _chapters(doc.get("chapters") or {}, problems)
    items = doc["exhibits"]
    if not isinstance(items, dict) or not items:
        problems.append(("exhibits.exhibits", None, "must map each exhibit's name to its declaration"))
        return None
    found = tuple(e for e in (_exhibit(str(n), d, problems) for n, d in items.items()) if e is not None)
    _unique(found, problems)
    return None if len(problems) > before else Exhibits(chapters, found)


def _chapters(doc, problems: list) -> dict:
    if not isinstance(doc, dict):
        problems.append(("exhibits.chapters", None, "must map a notebook to its chapter's words {nl, en}"))
        return {}
    out = {}
    for notebook, pair in doc.items():
        if not NOTEBOOK.match(str(notebook)):
            problems.append((f"exhibits.chapters.{notebook}", None, "must be a notebook's name (02_pilot_...)"))
        if not isinstance(pair, dict) or not all(isinstance(pair.get(k), str) and pair[k] for k in ("nl", "en")):
            problems.append((f"exhibits.chapters.{notebook}", pair, "must give a Dutch (nl) and an English (en) "
                                                                    "text"))
            continue
        out[str(notebook)] = (pair["nl"], pair["en"])
    return out


def _exhibit(name: str, doc, problems: list) -> Exhibit | None:
    key = f"exhibits.{name}"
    before = len(problems)
    if not NAME.match(name):
        problems.append((key, None, "the name must be a code of lower-case letters, digits and _"))
    if not isinstance(doc, dict):
        problems.append((key, doc, f"must be a mapping with {sorted(REQUIRED_KEYS)}"))
        return None
    problems += [(f"{key}.{k}", None, "is required") for k in sorted(REQUIRED_KEYS - set(doc))]
    problems += [(f"{key}.{k}", None, f"unknown key; {did_you_mean(k, EXHIBIT_KEYS)}the keys of an exhibit are "
                                        f"{sorted(EXHIBIT_KEYS)}")
                 for k in doc if k not in EXHIBIT_KEYS]
    if len(problems) > before:
        return None
    _rule(problems, f"{key}.notebook", doc["notebook"], NOTEBOOK.match(str(doc["notebook"])),
          "must be a notebook's name (02_pilot_participants)")
    _rule(problems, f"{key}.kind", doc["kind"], doc["kind"] in KINDS, f"must be one of {list(KINDS)}")
    _rule(problems, f"{key}.number", doc["number"], NUMBER.match(str(doc["number"])),
          "must be a number as printed: 7, 2.1, M1 (quote it in YAML: \"7\")")
    title = doc["title"]
    ok = isinstance(title, dict) and all(isinstance(title.get(k), str) and title[k] for k in ("nl", "en"))
    _rule(problems, f"{key}.title", title, ok, "must give a Dutch (nl) and an English (en) title, without number")
    _plain(problems, f"{key}.title", title if ok else {})
    dated = doc.get("dated", False)
    _rule(problems, f"{key}.dated", dated, isinstance(dated, bool), "must be true or false")
    drawing = doc.get("drawing", "none")
    _rule(problems, f"{key}.drawing", drawing, drawing in DRAWINGS, f"must be one of {list(DRAWINGS)}")
    _rule(problems, f"{key}.drawing", drawing, drawing == "none" or doc["kind"] == "figure",
          "a table is not drawn: drawing none")
    n = doc.get("n", "stated")
    _rule(problems, f"{key}.n", n, n in N_BASES, f"must be one of {list(N_BASES)}")
    cells, crosstab = doc.get("cells"), doc.get("crosstab")
    _rule(problems, f"{key}.cells", cells, cells is None or NAME.match(str(cells)),
          "must be the name of a release table (a code)")
    _rule(problems, f"{key}.crosstab", crosstab, crosstab is None or (
        isinstance(crosstab, list) and 1 <= len(crosstab) <= 2 and all(NAME.match(str(v)) for v in crosstab)),
          "must list one or two variables of the release: [rows] or [rows, columns]")
    _rule(problems, f"{key}.cells", cells, cells is None or crosstab is None, "give cells or crosstab, not both")
    counts = doc.get("counts")
    _rule(problems, f"{key}.counts", counts, counts is None or (
        cells is not None and isinstance(counts, list) and 1 <= len(counts) <= 2
        and all(NAME.match(str(v)) for v in counts)),
          "with cells: the one or two release variables its rows (and columns) count persons by, each person once")
    _rule(problems, f"{key}.cells", cells, cells is not None or crosstab or drawing not in ("grouped", "bars"),
          "a figure drawn from release cells (drawing grouped or bars) names them (cells or crosstab)")
    output = _output(doc.get("output"), key, problems)
    finding = _finding(doc.get("finding"), key, problems)
    section = doc.get("section")
    _rule(problems, f"{key}.section", section, section is None or (isinstance(section, str) and SECTION.match(section)),
          "must be the number of the section that shows it, as text: \"3.1.1\"")
    if len(problems) > before:
        return None
    return Exhibit(name=name, notebook=str(doc["notebook"]), kind=doc["kind"], number=str(doc["number"]),
                   title=(title["nl"], title["en"]), dated=dated, cells=cells,
                   crosstab=tuple(str(v) for v in crosstab) if crosstab else None, drawing=drawing, n=n,
                   output=output, total=str(doc.get("total", TOTALS["crosstab" if crosstab else "cells"])),
                   counts=tuple(str(v) for v in counts) if counts else None,
                   finding=finding, section=section)


def _output(output, key: str, problems: list) -> str | None:
    """The stem of an exhibit's published files (a run adds its date, language and threshold)."""
    _rule(problems, f"{key}.output", output,
          output is None or (NAME.match(str(output)) and len(str(output)) <= MAX_OUTPUT),
          f"must be a file stem of lower-case letters, digits and _, at most {MAX_OUTPUT} characters (a run adds "
          "its date, language and threshold, and a file name has at most 255)")
    return output


def _finding(finding, key: str, problems: list) -> tuple[str, str] | None:
    """An exhibit's declared finding sentence (Dutch, English), checked."""
    _rule(problems, f"{key}.finding", finding, finding is None or (
        isinstance(finding, dict) and set(finding) == {"nl", "en"}
        and all(isinstance(v, str) and v and _fields(v) <= FINDING_FIELDS and _fields(v) & {"group", "Group"}
                for v in finding.values())),
          f"must give a Dutch (nl) and an English (en) sentence naming {{group}} or {{Group}} (fields: "
          f"{sorted(FINDING_FIELDS)})")
    _plain(problems, f"{key}.finding", finding if isinstance(finding, dict) else {}, _EMPHASISED_FIELD)
    return (finding["nl"], finding["en"]) if isinstance(finding, dict) and finding.get("nl") else None


def _plain(problems: list, key: str, texts: dict, allowed: re.Pattern | None = None) -> None:
    """A title or finding in either language is plain words, never markup on the page
    (:mod:`analysis.study.plain_text`); ``allowed`` finds the markup the page's own
    sentences use (a finding's field in italics, ``*{Group}*``: the field is filled escaped)."""
    for lang in ("nl", "en"):
        text = texts.get(lang)
        if isinstance(text, str) and (rule := plain_rule(allowed.sub("{}", text) if allowed else text)):
            problems.append((f"{key}.{lang}", text, rule))


def _fields(template: str) -> set[str]:
    """The ``{field}`` names of a sentence template."""
    import string

    try:
        return {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
    except ValueError:  # an unbalanced brace: no valid template
        return {"{"}


def _rule(problems: list, key: str, value, ok, rule: str) -> None:
    if not ok:
        problems.append((key, value, rule))


def _unique(found: tuple[Exhibit, ...], problems: list) -> None:
    """No two exhibits share a number (of one kind) or an output."""
    seen: dict = {}
    for e in found:
        for what, value in (("number", (e.kind, e.number)), ("output", e.output)):
            if value is None:
                continue
            if (what, value) in seen:
                problems.append((f"exhibits.{e.name}.{what}", value[1] if what == "number" else value,
                                 f"is also the {what} of exhibits.{seen[(what, value)]}"))
            seen[(what, value)] = e.name


def without_totals(table, total: str):
    """``table`` (a release table, one- or two-way) without its total row and column."""
    if hasattr(table, "columns"):
        return table.drop(index=total, columns=total, errors="ignore")
    return table.drop(total, errors="ignore")
