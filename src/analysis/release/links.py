"""Cells of one recorded block as sums of another recorded block's atoms (issue 23).

Every release records its cells in blocks of its own (:func:`analysis.ledger.describe`), so
notebook 02's crosstab and notebook 03's model block never met in the audit, although both
count the persons of one file: with the logit's score equations (the model block's shown
joint table of those who stayed) a crosstab of triage by education over everyone gave the
table of those who left (intruder round 21, F1: 0, 0, 0, 9 and 7). Here a cell of any
recorded block is written over the finest atoms of any other block of the same file where
it is a sum of them, so that the audit attacks the joint system.

A cell's meaning is its population and the least set of variables, with their values, that
selects its atoms (as :func:`analysis.ledger.meanings`). Two populations are the same when
both are the whole file: a block (or a merged block's part) whose atoms hold a value of each
of its variables and whose persons number as many as the largest population recorded for
the same inputs (a subset of the file as large as the file is the file). Variables are
compared in the release's codes: notebook 03's block codes triage paths without their
prefix and names Figuur 7's age classes ``leeftijdsklasse``; its outcome, population and
two-group age and tenure belong to that analysis alone, as do the curves' kinds and times
(notebook 04), and the statuses ``s1``, ``s2`` (and jobs ``j1``, ``j2``) are the study's
snapshot dates. A mapping is used only where the recorded true counts agree with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from analysis.ledger import Entry

SHARED = re.compile(r"opleiding|leeftijd|dienstjaren|functietype|triage|gestart|sector|mover|s[12]|s_\d{8}"
                    r"|j[12]|j_\d{8}|dv_\w+")  # the release frame's variables, the same in every notebook
STUDY_DATED = re.compile(r"s[12]|j[12]|mover")  # named after the study's snapshot dates, not a date
MODEL_NAMES = {"leeftijdsklasse": "leeftijd", "dienstjarenklasse": "dienstjaren"}  # Figuur 7's and 8's classes


def is_model_block(block: Mapping) -> bool:
    """Notebook 03's block (:func:`analysis.stats.output_gate.group_release`): an outcome ``y``
    and the analysis population ``inpop``."""
    return {"y", "inpop"} <= set(block["columns"])


def _triage(value: str) -> str:
    """A model block's triage level in the release's code (``1`` is ``triage_1``)."""
    return value if value.startswith("triage_") or value.endswith("_triage") else \
        "geen_triage" if value == "geen" else f"triage_{value}"


def shared_name(column: str, model: bool, scope: str, study: str, entry_02: bool) -> str:
    """The name under which ``column`` of a block means the same in every release of a file."""
    if model and column in MODEL_NAMES:
        return MODEL_NAMES[column]
    if model and column in ("leeftijd", "dienstjaren"):
        return f"{column}@{scope}"  # the model's two groups, not Figuur 7's classes
    if STUDY_DATED.fullmatch(column):
        return f"{column}@{study}"
    if SHARED.fullmatch(column) or (entry_02 and column not in ("part", "y", "inpop")):
        return column  # notebook 02 crosses the file's own columns too (geslacht, ...)
    return f"{column}@{scope}"


def coded_atoms(block: Mapping, scope: str, study: str) -> list[tuple[str, dict[str, str]]]:
    """Each atom's part (the block's name when it has none) and its values by shared name,
    in the release's codes; a variable the atom's part does not hold is left out."""
    model, entry_02 = is_model_block(block), scope.split(":", 1)[0] == "02"
    names = [shared_name(c, model, scope, study, entry_02) for c in block["columns"]]
    out = []
    for atom in block["atoms"]:
        part, values = "", {}
        for column, name, value in zip(block["columns"], names, atom):
            if column == "part":
                part = str(value)
            elif value is not None:
                values[name] = _triage(value) if model and column == "triage" else value
        out.append((part, values))
    return out


def whole_parts(block: Mapping, coded: Sequence[tuple[str, dict]]) -> dict[str, list[int]]:
    """The parts of ``block`` (part -> atom indices) whose atoms hold a value of each of the
    part's variables (a part that leaves some persons without one counts a subset)."""
    parts: dict[str, list[int]] = {}
    for i, (part, _) in enumerate(coded):
        parts.setdefault(part, []).append(i)
    return {p: atoms for p, atoms in parts.items() if len({frozenset(coded[i][1]) for i in atoms}) == 1}


def selection(coded: Sequence[tuple[str, dict]], part: Sequence[int], chosen: Iterable[int]):
    """The least variables (sorted) and their value tuples that select ``chosen`` among the
    atoms ``part``, or None when ``chosen`` leaves the part."""
    chosen = set(chosen)
    if not chosen <= set(part):
        return None
    variables = sorted(coded[part[0]][1])
    keep = list(variables)
    for var in variables:
        trial = [v for v in keep if v != var]
        picked = {tuple(coded[i][1][v] for v in trial) for i in chosen}
        if {i for i in part if tuple(coded[i][1][v] for v in trial) in picked} == chosen:
            keep = trial
    return tuple(keep), {tuple(coded[i][1][v] for v in keep) for i in chosen}


def onto(meaning, coded: Sequence[tuple[str, dict]], part: Sequence[int]) -> list[int] | None:
    """The atoms of ``part`` that a cell of ``meaning`` (:func:`selection`) counts, or None
    when the part lacks one of its variables."""
    variables, values = meaning
    if not set(variables) <= set(coded[part[0]][1]):
        return None
    return [i for i in part if tuple(coded[i][1][v] for v in variables) in values]


def block_views(entry: Entry) -> dict[str, tuple[list, dict[str, list[int]], list[int]]]:
    """Each recorded block of ``entry``: its coded atoms, its whole parts and its true counts."""
    out = {}
    for name, block in (entry.structure.get("blocks") or {}).items():
        coded = coded_atoms(block, entry.notebook, entry.study)
        out[name] = (coded, whole_parts(block, coded), [int(x) for x in block["counts"]])
    return out


def _size(view, atoms: Sequence[int]) -> int:
    return sum(view[2][i] for i in atoms)


def linked_cells(entries: Sequence[Entry], target: int, name: str,
                 views: Mapping[int, Mapping] | None = None) -> list[tuple[list[int], int]]:
    """The cells every recorded block of the same inputs as ``entries[target]`` showed (its own
    block ``name`` apart), written over the atoms of ``name``'s whole-file parts where they are
    sums of them: (atoms, persons). ``views``: :func:`block_views` by entry index, if made."""
    inputs = entries[target].inputs
    same = [i for i, e in enumerate(entries) if e.inputs == inputs and e.structure]
    views = views or {i: block_views(entries[i]) for i in same}
    file_size = max((_size(v, atoms) for i in same for v in views[i].values() for atoms in v[1].values()), default=0)
    mine = views[target][name]
    parts = [atoms for atoms in mine[1].values() if _size(mine, atoms) == file_size]
    out: dict[tuple, int] = {}
    for i in same:
        for cell in entries[i].structure["cells"].values():
            if not cell["shown"] or (i == target and cell["block"] == name) or cell["block"] not in views[i]:
                continue
            view = views[i][cell["block"]]
            part = view[1].get(view[0][cell["atoms"][0]][0]) if cell["atoms"] else None
            if part is None or _size(view, part) != file_size:
                continue
            meaning = selection(view[0], part, cell["atoms"])
            for atoms in parts:
                mapped = onto(meaning, mine[0], atoms) if meaning else None
                if mapped is not None and _size(mine, mapped) == int(cell["value"]):
                    out[tuple(mapped)] = int(cell["value"])
    return [(list(atoms), value) for atoms, value in out.items()]
