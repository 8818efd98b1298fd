"""The intruder audit of the ledger: every recorded release attacked from what it records.

For each release in the ledger (:mod:`analysis.ledger`), and for each block of its
finest cells, an integer programme holds every equation an intruder has: the block's
population and linked margins, the source report's numbers, and every cell the release
showed (which includes, fixed, every cell an earlier release of the same file showed).
Every count of 1 to k-1 persons (a cell or a finest cell) is then maximised; it is
protected when the maximum reaches k. A count the report's numbers alone already bound is
public knowledge, not a leak of the release. Releases of other data whose shown counts
agree are attacked as one file's (:mod:`analysis.release.editions`); releases of
data whose shown counts differ are compared cell by cell (:func:`analysis.ledger.differences`).

Written apart from the gate (:mod:`analysis.stats.output_gate`): it reads only the ledger's
JSON and solves with scipy's HiGHS, so a fault in the gate's bookkeeping is not repeated
here. Because it reads what was recorded, a table an evaluator adds to a notebook is
attacked without editing the audit.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from analysis.ledger import Entry, differences, withheld_cells
from analysis.release import editions, joint_audit, links


def _row(n: int, atoms: list[int], coefs: list[float] | None = None) -> np.ndarray:
    out = np.zeros(n)
    out[atoms] = 1.0 if coefs is None else coefs
    return out


def _reaches(A: np.ndarray, b: np.ndarray, target: np.ndarray, k: int, cap: float,
             bounds: tuple = ()) -> bool:
    """Is there a non-negative integer solution of ``A x = b`` (and ``lo <= row @ x <= hi`` for
    each ``(row, lo, hi)`` in ``bounds``) with ``target @ x >= k``?"""
    cons = [LinearConstraint(target[None, :], k, np.inf)]
    if len(A):
        cons.append(LinearConstraint(A, b, b))
    if bounds:
        cons.append(LinearConstraint(np.array([r for r, _, _ in bounds]), [lo for _, lo, _ in bounds],
                                     [hi for _, _, hi in bounds]))
    res = milp(np.zeros(len(target)), constraints=cons, integrality=np.ones(len(target)), bounds=Bounds(0, cap))
    return res.status == 0


def attack_block(name: str, block: dict, cells: dict, k: int, zeros: bool = False, exempt=(),
                 linked: Iterable[tuple[list[int], int]] = ()) -> list[str]:
    """Counts of 1..k-1 persons in ``block`` that the shown cells pin below k (and, where the
    release protects zeros, table cells of 0 persons pinned below k, except a zero that the
    counts another release published already pin where the population size alone does not,
    and moves between two dates pinned at zero: :func:`_moves`). ``linked``: cells other
    blocks showed, as sums of this block's atoms (:func:`linked_cells`), shown here too."""
    n = len(block["counts"])
    truth = np.array(block["counts"], float)
    granted, public, shown, ranges = _system(name, block, cells, linked)
    mine = {key: c for key, c in cells.items() if c["block"] == name}
    system = granted + public + shown
    A, b = np.array([r for r, _ in system]) if system else np.zeros((0, n)), np.array([v for _, v in system], float)
    assert np.allclose(A @ truth, b) and all(lo <= r @ truth <= hi for r, lo, hi in ranges), \
        f"block {name}: the recorded counts do not satisfy what was published"
    base = granted + public
    A0, b0 = np.array([r for r, _ in base]), np.array([v for _, v in base], float)
    own = granted[:int(block.get("own_identities", len(granted)))]  # the population size, not known counts
    A1, b1 = np.array([r for r, _ in own]) if own else np.zeros((0, n)), np.array([v for _, v in own], float)
    targets = {f"{name} atom {i}": _row(n, [i]) for i in range(n) if 0 < truth[i] < k}
    targets.update({key: _row(n, c["atoms"]) for key, c in mine.items()
                    if (0 if zeros and not key.startswith(tuple(exempt) or ("\0",)) else 1) <= c["value"] < k})
    cap = max(truth.sum(), k)
    known = bool(public or ranges)  # the report's numbers, exact or as bounds
    leaks = []
    if zeros:
        leaks += [f"{key} (true 0)" for key, target in _moves(block).items()
                  if target @ truth == 0 and not _reaches(A, b, target, 1, cap, ranges)
                  and not (known and not _reaches(A0, b0, target, 1, cap, ranges))]
    for key, target in targets.items():
        if _reaches(A, b, target, k, cap, ranges):
            continue
        if known and not _reaches(A0, b0, target, k, cap, ranges):
            continue  # the report's own numbers already bound it: public knowledge
        if target @ truth == 0 and len(own) < len(granted) and not _reaches(A0, b0, target, k, cap, ranges) \
                and _reaches(A1, b1, target, k, cap):
            continue  # a zero that counts another release published already imply (not this release's)
        leaks.append(f"{key} (true {int(target @ truth)})")
    return leaks


def named_atoms(text: str, structures: Iterable[Mapping]) -> str:
    """``text`` (a leak's place) with a block's atom number (``A atom 10``) replaced by the values
    it holds (``A (geslacht vrouw, opleiding laag)``), from the first of ``structures`` that has the
    block: a refusal then says which persons' count, without the count."""
    found = re.fullmatch(r"(.+) atom (\d+)", text)
    if not found:
        return text
    name, i = found.group(1), int(found.group(2))
    for s in structures:
        block = (s.get("blocks") or {}).get(name)
        if block and i < len(block["atoms"]):
            values = [f"{c} {v}" for c, v in zip(block["columns"], block["atoms"][i]) if v is not None]
            return f"{name} ({', '.join(values)})"
    return text


def _system(name: str, block: dict, cells: dict, linked: Iterable[tuple[list[int], int]] = ()) -> tuple:
    """The intruder's equations of ``block``: granted identities, the report's numbers and the
    shown cells (its own and ``linked``) as ``(row, value)``, and the report's bounds."""
    n = len(block["counts"])
    granted = [(_row(n, a, c), v) for a, c, v in block["identities"]]
    public = [(_row(n, a, c), v) for a, c, v in block["public"]]
    ranges = tuple((_row(n, a, c), lo, hi) for a, c, lo, hi in block.get("ranges", ()))
    shown = [(_row(n, c["atoms"]), c["value"]) for c in cells.values() if c["block"] == name and c["shown"]]
    shown += [(_row(n, atoms), value) for atoms, value in linked]
    return granted, public, shown, ranges


STATUS_COLUMN = re.compile(r"s[12]|s_\d{8}")  # the release's status at a published date


def _moves(block: dict) -> dict[str, np.ndarray]:
    """The moves between every two dates of a block that crosses the status at several
    dates, found from its recorded columns (not from the gate's list): into and out of each
    status, and the movers with each sector. On real data none may be pinned at zero (a
    group's shared outcome: none of those who moved went there; everyone in a status stayed)."""
    columns, atoms = block["columns"], block["atoms"]
    dated = [i for i, c in enumerate(columns) if STATUS_COLUMN.fullmatch(c)]
    sector = columns.index("sector") if "sector" in columns else None
    n, out = len(atoms), {}
    for i, j in itertools.permutations(dated, 2):
        for t in sorted({a[j] for a in atoms if a[j] is not None}):
            row = [m for m, a in enumerate(atoms) if a[i] is not None and a[i] != t and a[j] == t]
            if row:
                out[f"move {columns[i]}->{columns[j]} into {t}"] = _row(n, row)
        if sector is not None and i < j:
            for x in sorted({a[sector] for a in atoms if a[sector] is not None}):
                row = [m for m, a in enumerate(atoms) if None not in (a[i], a[j]) and a[i] != a[j] and a[sector] == x]
                if row:
                    out[f"move {columns[i]}<->{columns[j]} with sector {x}"] = _row(n, row)
    return out


def attack_entry(entry: Entry, linked: Mapping[str, list] | None = None) -> list[str]:
    """Every count the release recorded in ``entry`` lets an intruder pin below k; ``linked``:
    by block, cells other recorded blocks of the same file showed, over its atoms
    (:func:`analysis.release.links.linked_cells`)."""
    s = entry.structure
    if not s:
        raise ValueError(f"ledger entry of {entry.notebook} ({entry.cutoffs}) has no recorded structure to attack")
    k = int(s["threshold"])
    zeros, exempt = bool(s.get("zeros_disclosive")), tuple(s.get("zero_exempt") or ())
    linked = linked or {}

    def system(name: str) -> tuple[list, tuple]:
        granted, public, shown, ranges = _system(name, s["blocks"][name], s["cells"], linked.get(name, ()))
        return granted + public + shown, ranges

    return [*(leak for name, block in s["blocks"].items()
              for leak in attack_block(name, block, s["cells"], k, zeros, exempt, linked.get(name, ()))),
            *joint_audit.attack_cycles(s, system, k),
            *(f"{key} (a derived table's count {v}, below {k})" for key, v in entry.derived.items() if v < k)]


def linked_to(entries: list[Entry], i: int) -> dict[str, list]:
    """By block of ``entries[i]``, the cells every recorded block of the same file showed
    (another release, or another block of this one) written over its atoms."""
    if not entries[i].structure:
        return {}
    views = {j: links.block_views(e) for j, e in enumerate(entries) if e.inputs == entries[i].inputs and e.structure}
    return {name: links.linked_cells(entries, i, name, views) for name in entries[i].structure["blocks"]}


def attack_ledger(entries: Iterable[Entry]) -> list[str]:
    """Every leak in every recorded release, attacked jointly with every cell any recorded
    release of the same file showed (:mod:`analysis.release.links`: notebook 02's crosstab
    beside notebook 03's model block, intruder round 21), and every cell differenced between
    releases of different files of a study."""
    entries = list(entries)
    out = []
    for i, e in enumerate(entries):
        joined = editions.joined_with(entries, i)
        out += [f"{e.notebook} {','.join(e.cutoffs)}: {leak}" for leak in attack_entry(e, linked_to(joined, i))]
    for i, e in enumerate(entries):
        withheld = withheld_cells(e.structure) if e.structure else None
        small = differences(entries[:i], e.inputs, e.published, e.threshold, withheld=withheld)
        out += [f"{e.notebook}: {key} differs by 1 to {e.threshold - 1} from another file's release" for key in small]
        if e.structure and e.structure.get("zeros_disclosive"):
            out += [f"{e.notebook}: {key} is unchanged from another file's release where its table changed"
                    for key in differences(entries[:i], e.inputs, e.published, e.threshold, withheld=withheld,
                                           zeros=True) if key not in small]
    return out


def new_leaks(recorded: Iterable[Entry], candidate: Entry) -> list[str]:
    """The leaks ``candidate`` (a release about to be recorded) brings into the joint system of
    the recorded releases of the same file (another notebook's blocks: a crosstab of two model
    predictors recorded by notebook 02 before it was refused, beside notebook 03's model block,
    or the other way round): its own blocks attacked with their cells linked in, and theirs
    with its cells linked in, less what they leaked without it (a leak recorded before is not
    this release's). A rerun of the same release (the same identity and cells) is not linked
    with itself; one of the same notebook, file and dates that published other cells (another
    declared exhibit, a changed study file) is (attack 25: a cycle of three crosstabs spread over
    two invocations pinned a count of 3). Related releases of other data are taken as this file's,
    less their tables whose shown counts visibly differ (:mod:`analysis.release.editions`)."""
    given = [*recorded, candidate]
    *recorded, candidate = joined = editions.joined_with(given, len(given) - 1)
    same = [e for e in recorded if e.inputs == candidate.inputs and e.structure
            and (e.identity, e.published) != (candidate.identity, candidate.published)]
    if not same:
        return []
    entries = [*same, candidate]
    out = attack_entry(candidate, linked_to(entries, len(same)))
    for i, e in enumerate(same):
        with_it = linked_to(entries, i)
        without = linked_to(same, i)
        if with_it != without:
            before = set(attack_entry(e, without))
            out += [f"{e.notebook}: {leak}" for leak in attack_entry(e, with_it) if leak not in before]
    try:
        before = set(cross_release_cycles(same))
        return out + [leak for leak in cross_release_cycles(entries) if leak not in before]
    except ValueError:
        if joined == given:
            raise  # one file's records that no solution fits: a damaged ledger
        return [*out, "releases of other data read as one file fit no one file (their difference reveals persons)"]


def cross_release_cycles(entries: list[Entry]) -> list[str]:
    """The joint atoms of cycles of whole-file tables spread over several releases of one file
    that those releases together bound below k (attack 26: sex x interviewed, interviewed x notice
    and sex x notice in three invocations, each table one release, bounded two counts of 3 and 5
    below 10; a release's linked cells reach only the atoms of its own blocks, so no single
    release saw the cycle). The releases' structures are merged, block by block, and attacked as
    one record's cycles are (:func:`analysis.release.joint_audit.attack_cycles`)."""
    if len(entries) < 2:
        return []
    merged = merged_structure(entries)

    def system(name: str) -> tuple[list, tuple]:
        granted, public, shown, ranges = _system(name, merged["blocks"][name], merged["cells"])
        return granted + public + shown, ranges

    return joint_audit.attack_cycles(merged, system, int(merged["threshold"]))


def merged_structure(entries: list[Entry]) -> dict:
    """One structure of several releases' structures: each block and cell under its release's
    index (``2/figuur_07``), the threshold of the first (the releases of one file share it or
    are attacked at the lowest: :func:`new_leaks` takes them as recorded)."""
    blocks, cells = {}, {}
    for j, e in enumerate(entries):
        blocks |= {f"{j}/{name}": block for name, block in e.structure["blocks"].items()}
        cells |= {f"{j}/{key}": {**cell, "block": f"{j}/{cell['block']}"} for key, cell in e.structure["cells"].items()}
    return {**entries[0].structure, "blocks": blocks, "cells": cells,
            "threshold": min(int(e.structure["threshold"]) for e in entries),
            "zeros_disclosive": any(e.structure.get("zeros_disclosive") for e in entries)}
