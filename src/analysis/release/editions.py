"""Which recorded releases of other data the audit attacks as releases of one file.

A corrected file, the same file with a status history added, or the same people re-exported
with one unpublished value changed are other data: the ledger names them apart
(:func:`analysis.ledger.data_id`), so their releases were compared cell by cell and never
attacked jointly. Where every count both releases recorded of the same persons and values is
the same (shown or withheld), an intruder who holds both cannot tell them apart and reads
them as one file (recheck of attack 26: education x sex of a file and age x sex of its
corrected copy, each protected, together pinned a count of 3). Such releases are given one
identity here, so that the joint audit (:func:`analysis.release.audit.new_leaks`) attacks them
as it attacks two releases of one file. Releases that differ in some count they both recorded
stay apart: the differences are refused cell by cell (:func:`analysis.ledger.differences`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from analysis.ledger import Entry, meanings, related


def true_counts(entry: Entry) -> dict[str, int]:
    """Every cell ``entry`` recorded (shown or withheld), by what it counts, with its true count."""
    cells = (entry.structure or {}).get("cells") or {}
    return {m: int(cells[k]["value"]) for k, m in meanings(entry.structure).items()}


def agree(a: Entry, b: Entry, counts: dict[int, dict[str, int]] | None = None) -> bool | None:
    """Whether releases of other data of one study (or of some of the same people) count the
    same persons and values alike: True where every count both recorded agrees (at least one),
    False where one differs, None where they share none (or are of the same data). ``counts``:
    :func:`true_counts` by ``id`` of entry, computed once per audit."""
    if a.inputs == b.inputs or not (a.structure and b.structure) or not related([b], a.study, a.people):
        return None
    x, y = (counts[id(e)] if counts else true_counts(e) for e in (a, b))
    common = x.keys() & y.keys()
    return all(x[m] == y[m] for m in common) if common else None


def as_one_file(entries: Sequence[Entry]) -> list[Entry]:
    """``entries`` with the inputs of releases of other data that agree (no two of their
    releases differ in a count both recorded, and some two share one) replaced by one identity."""
    groups = [{i} for i in dict.fromkeys(e.inputs for e in entries)]
    if len(groups) < 2:
        return list(entries)
    counts = {id(e): true_counts(e) for e in entries if e.structure}
    by_inputs = {next(iter(g)): [e for e in entries if e.inputs in g] for g in groups}
    merged = True
    while merged:
        merged = False
        for g, h in ((g, h) for n, g in enumerate(groups) for h in groups[n + 1:]):
            found = {agree(a, b, counts) for i in g for j in h for a in by_inputs[i] for b in by_inputs[j]}
            if True in found and False not in found:
                groups = [x for x in groups if x is not g and x is not h] + [g | h]
                merged = True
                break
    name = {i: min(g) for g in groups for i in g}
    return [e if name[e.inputs] == e.inputs else dataclasses.replace(e, inputs=name[e.inputs]) for e in entries]
