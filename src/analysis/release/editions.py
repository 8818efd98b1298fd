"""Which recorded releases of other data the audit attacks as releases of one file.

A corrected file, the same file with a status history added, a re-export with one value
changed, or the same people a month later are other data: the ledger names them apart
(:func:`analysis.ledger.data_id`), so their releases were compared cell by cell and never
attacked jointly. An intruder does not see the data, only the shown cells: where the cells
both releases show of the same persons and values agree, the intruder reads the two as one
file, and a cycle of tables spread over them pins a count of the first file whenever the
second's shown cells hold for it too (recheck of attack 26: education x sex of a file and age x
sex of its copy, each protected, pinned a count of 3, whether the copy had one unpublished
value corrected, a correction inside withheld cells only, or every service count raised by 10).

So a related release of other data joins the release under audit as one file, less its blocks
whose shown cells disagree with a shown cell of the other (a table that visibly changed: its
difference is refused cell by cell, :func:`analysis.ledger.differences`); at least one shown
count must agree. The joint audit (:func:`analysis.release.audit.new_leaks`) links cells only
where the true counts agree (:mod:`analysis.release.links`), and where the joined releases fit
no one file the release is refused.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from analysis.ledger import Entry, meanings, related


def shown_counts(entry: Entry) -> dict[str, tuple[int, str]]:
    """Every cell ``entry`` showed, by what it counts: (count, block)."""
    cells = (entry.structure or {}).get("cells") or {}
    return {m: (int(cells[k]["value"]), cells[k]["block"])
            for k, m in meanings(entry.structure, [k for k, c in cells.items() if c["shown"]]).items()}


def changed_blocks(a: Entry, b: Entry, shown: dict[int, dict] | None = None) -> tuple[set[str], set[str], bool]:
    """The blocks of ``a`` and of ``b`` that show a count the other shows otherwise, and whether
    some count both show agrees."""
    x, y = (shown[id(e)] if shown else shown_counts(e) for e in (a, b))
    common = x.keys() & y.keys()
    differ = [m for m in common if x[m][0] != y[m][0]]
    return {x[m][1] for m in differ}, {y[m][1] for m in differ}, len(differ) < len(common)


def without_blocks(entry: Entry, blocks: set[str], inputs: str) -> Entry:
    """A copy of ``entry`` without ``blocks`` (and their cells), named ``inputs``."""
    s = entry.structure
    kept = {name: b for name, b in s["blocks"].items() if name not in blocks}
    cells = {k: c for k, c in s["cells"].items() if c["block"] in kept}
    return dataclasses.replace(entry, inputs=inputs, structure={**s, "blocks": kept, "cells": cells},
                               cells={k: v for k, v in entry.cells.items() if k in cells})


def joined_with(entries: Sequence[Entry], target: int) -> list[Entry]:
    """``entries`` with each related release of other data than ``entries[target]`` (and of its
    file's other releases) taken as a release of that file, less its blocks whose shown counts
    differ from one of that file's releases; one that shares no agreeing shown count stays apart."""
    me = entries[target]
    mine = [e for e in entries if e.inputs == me.inputs and e.structure]
    shown = {id(e): shown_counts(e) for e in entries if e.structure}
    out = list(entries)
    for n, e in enumerate(entries):
        if e.inputs == me.inputs or not e.structure or not related([e], me.study, me.people):
            continue
        drop, agreeing = set(), False
        for f in mine:
            theirs, _, agree = changed_blocks(e, f, shown)
            drop |= theirs
            agreeing |= agree
        if agreeing and len(drop) < len(e.structure["blocks"]):
            out[n] = without_blocks(e, drop, me.inputs)
    return out
