"""The ledger audit's attack on the joint table of recorded tables that overlap in a cycle.

Tables of the whole file that share variables pairwise in a cycle (gender x notice, gender x
employer, notice x employer: attack 22's leak 2) fix or bound their joint table over the union
of their variables although each table's own cells are large: with about 300 persons and every
two-way cell of 40 or more, the three tables pinned a three-way count of 3 and its zeros. A
record of one part per table, linked only by equal one-way margins, holds no atom of that joint
table, so attacking each recorded atom finds nothing. Here the audit adds the joint table's
atoms (every combination of the union's values that each table's atoms allow) to the
intruder's programme, each table's atoms stated as sums of them, and maximises and minimises
every joint atom over what the release showed.

Tables that overlap without a cycle (a decomposable, acyclic set, e.g. each intervention by the
movers of notebook 02) need no joint table: their joint table's sharp bounds are the Frechet
bounds of the tables' own cells (Dobra and Fienberg, PNAS 97(22), 2000), which the per-table
attack already protects. The joint table's true counts are not recorded, so a joint atom
bounded below the threshold is reported whatever its count: one of at least one person, a zero
pinned at zero on real data, and one that lies between 0 and k-1 (the release cannot show that
it protected it). A release that protects its tables jointly records their joint table as one
part (:meth:`analysis.stats.output_gate.Release.rebase`), which leaves no cycle to find here.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

MAX_JOINT = 4000  # joint atoms the audit attacks (the gate refuses a joint table larger than this too)


def whole_parts(structure: Mapping) -> list[tuple[str, list[int], tuple[str, ...]]]:
    """The parts of the record's blocks that count the whole file: (block, atom indices, the
    part's variables), each part's atoms holding a value of each of its variables and its
    persons as many as the largest part's."""
    found = []
    for name, block in (structure.get("blocks") or {}).items():
        columns = block["columns"]
        parts: dict[str, list[int]] = {}
        for i, atom in enumerate(block["atoms"]):
            parts.setdefault(str(atom[columns.index("part")]) if "part" in columns else name, []).append(i)
        for atoms in parts.values():
            kinds = {tuple(c for c, v in zip(columns, block["atoms"][i]) if v is not None and c != "part")
                     for i in atoms}
            if len(kinds) == 1:
                found.append((name, atoms, kinds.pop(), sum(block["counts"][i] for i in atoms)))
    size = max((n for *_, n in found), default=0)
    return [(name, atoms, variables) for name, atoms, variables, n in found if n == size and variables]


def cycles(parts: Sequence[tuple[str, list[int], tuple[str, ...]]]) -> list[list[int]]:
    """Groups of ``parts`` (indices) that share variables and whose variable sets are not
    acyclic (GYO reduction: a hypergraph is acyclic when repeatedly dropping variables of one
    part only and parts inside another leaves nothing)."""
    groups: list[set[int]] = []
    for i, (_, _, variables) in enumerate(parts):
        touching = [g for g in groups if any(set(variables) & set(parts[j][2]) for j in g)]
        merged = {i}.union(*touching)
        groups = [g for g in groups if g not in touching] + [merged]
    return [sorted(g) for g in groups if len(g) > 2 and not _acyclic([set(parts[j][2]) for j in g])]


def _acyclic(edges: list[set[str]]) -> bool:
    edges = [set(e) for e in edges]
    changed = True
    while changed and edges:
        changed = False
        for e in edges:
            alone = {v for v in e if sum(v in f for f in edges) == 1}
            if alone:
                e -= alone
                changed = True
        kept = [e for i, e in enumerate(edges) if e and not any(
            (e < f) or (e == f and j < i) for j, f in enumerate(edges) if j != i)]
        changed |= len(kept) != len(edges)
        edges = kept
    return not edges


def joint_atoms(structure: Mapping, parts: Sequence[tuple[str, list[int], tuple[str, ...]]]) -> tuple:
    """The union's variables and every combination of their values whose projection on each
    part is one of that part's atoms; None beyond :data:`MAX_JOINT`."""
    blocks = structure["blocks"]
    union = list(dict.fromkeys(v for _, _, variables in parts for v in variables))
    allowed = []
    for name, atoms, variables in parts:
        columns = blocks[name]["columns"]
        allowed.append((variables, {tuple(blocks[name]["atoms"][i][columns.index(v)] for v in variables)
                                    for i in atoms}))
    domains = [sorted({value for variables, seen in allowed if v in variables
                       for value in (t[variables.index(v)] for t in seen)}) for v in union]
    if int(np.prod([len(d) for d in domains], dtype=float)) > MAX_JOINT * 50:
        return union, None
    combos = [c for c in itertools.product(*domains)
              if all(tuple(c[union.index(v)] for v in variables) in seen for variables, seen in allowed)]
    return union, (combos if len(combos) <= MAX_JOINT else None)


def attack_cycles(structure: Mapping, systems: Callable[[str], tuple[list, tuple]], k: int) -> list[str]:
    """Every joint atom of a cycle of the record's whole-file tables that what the release
    showed bounds below ``k`` (see the module docstring). ``systems(block)``: the block's
    equations ``[(row, value)]`` and bounds ``((row, lo, hi), ...)`` as the intruder has them."""
    parts = whole_parts(structure)
    out = []
    for group in cycles(parts):
        chosen = [parts[j] for j in group]
        union, combos = joint_atoms(structure, chosen)
        label = " x ".join(union)
        if combos is None:
            out.append(f"joint table of {label}: more than {MAX_JOINT} combinations, not attacked (refuse it)")
            continue
        out += [f"joint {label} = {','.join(map(str, c))} (bounded {lo} to {hi}, count not recorded)"
                for c, (lo, hi) in zip(combos, _ranges(structure, chosen, union, combos, systems, k))
                if hi < k and (lo > 0 or hi > 0 or structure.get("zeros_disclosive"))]
    return out


def _ranges(structure, parts, union, combos, systems, k) -> list[tuple[int, int]]:
    """Each joint atom's least and greatest count (the greatest only up to ``k``)."""
    blocks = list(dict.fromkeys(name for name, _, _ in parts))
    sizes = [len(structure["blocks"][b]["counts"]) for b in blocks]
    offset = dict(zip(blocks, np.cumsum([0, *sizes])))
    n = sum(sizes) + len(combos)
    rows, lo, hi = [], [], []
    for b in blocks:
        equations, bounds = systems(b)
        for row, value in equations:
            rows.append(_placed(n, offset[b], row)), lo.append(value), hi.append(value)
        for row, low, high in bounds:
            rows.append(_placed(n, offset[b], row)), lo.append(low), hi.append(high)
    for name, atoms, variables in parts:
        columns, recorded = structure["blocks"][name]["columns"], structure["blocks"][name]["atoms"]
        for i in atoms:
            row = np.zeros(n)
            row[offset[name] + i] = 1.0
            own = tuple(recorded[i][columns.index(v)] for v in variables)
            for j, c in enumerate(combos):
                if tuple(c[union.index(v)] for v in variables) == own:
                    row[sum(sizes) + j] = -1.0
            rows.append(row), lo.append(0.0), hi.append(0.0)
    system = LinearConstraint(np.array(rows), lo, hi)
    cap = max(k, max(sum(structure["blocks"][b]["counts"]) for b in blocks))
    out = []
    for j in range(len(combos)):
        goal = np.zeros(n)
        goal[sum(sizes) + j] = 1.0
        high = _extreme(system, -goal, n, cap)
        out.append((0 if high >= k else _extreme(system, goal, n, cap), high))
    return out


def _placed(n: int, offset: int, row: np.ndarray) -> np.ndarray:
    out = np.zeros(n)
    out[offset:offset + len(row)] = row
    return out


def _extreme(system: LinearConstraint, goal: np.ndarray, n: int, cap: float) -> int:
    """The optimum of ``goal @ x`` (a minimum; pass a negated goal for the maximum)."""
    res = milp(goal, constraints=[system], integrality=np.ones(n), bounds=Bounds(0, cap))
    if res.status != 0:
        raise ValueError("the recorded release's own equations have no solution: the record is damaged")
    return int(round(abs(res.fun)))
