"""One output gate for every person count a run publishes, protected jointly and checked
by attacking it.

The model (as tau-ARGUS and sdcTable do for linked tables)
---------------------------------------------------------
A run's published numbers are all linear in a set of **atoms**: the person counts of the
finest classification an intruder can reason about. Atoms live in **blocks** (one block per
group of variables that published tables cross, e.g. education x age for Figuur 7, or
status on 1 April x status on 16 April x sector for Figuren 12-13 and the published-versus-
pipeline table); a block's atoms are every combination of its variables' codebook values
that the codebook's row rules allow (the intruder reads the codebook too). The intruder is
granted every block's population size (an **identity**; the reports state it anyway), which
makes the intruder at least as strong as the published totals allow and makes the blocks
independent: tables that share only the population cannot be combined beyond it. Tables
that share a subset of the population are put in one block (:meth:`Release.merge`: Figuur
11 on 1 April counts those who did not move into work in April, a subset defined by the
statuses of Figuur 12), with the shared margin as an identity.

Every number a table shows is a **cell**: a sum of atoms (a table cell, a row or column
total, a grand total, a rate's denominator and numerator, the group behind a model term).
A shown cell is an equation the intruder may use; a withheld cell is not.

The rule (CBS and ACRO use threshold ``k = 10``): a person count ``v`` with ``0 < v < k`` is
*sensitive*. The release is **safe** when, for every sensitive cell and every sensitive
atom that is not shown, the intruder's integer programme (all shown cells, all identities,
atoms non-negative integers) cannot bound it below ``k``: its maximum is at least ``k``.
So an intruder can never state "fewer than k persons" about a group that holds 1 to k-1
persons. Zero cells are not sensitive (ACRO's ``zeros_are_disclosive`` is not followed:
the reports publish zeros, e.g. empty sectors). Cells not themselves sensitive may be
pinned (their value can be recomputed): that is harmless.

Protection is **sequential and joint**: the run's tables are planned (every cell
registered), then released one after another. Each table first hides its sensitive cells
(primary suppression); then, while the integer programme over everything released so far
plus this table pins a sensitive cell or atom, it hides the fewest of its own cells
(smallest counts on ties) that free it, found by one integer programme with a 0/1 hide
variable per cell (secondary suppression, the model of Fischetti and Salazar for one
sensitive cell at a time). Earlier tables never change, and a fully hidden table adds no
equation, so the loop ends safe unless the population size alone pins a count (fewer than
``k`` persons in all): then the log says ``fail`` and :meth:`Release.check` stops the run.

Why by hand (and not ``acro``)
------------------------------
ACRO (``acro`` 1.0.2 on PyPI) checks single outputs: primary suppression by threshold,
p-ratio and n-k dominance in crosstabs, and a minimum of residual degrees of freedom for
regressions. It has no secondary suppression, no check across tables, and it requires
``pandas<=2.3.3`` while this project runs pandas 3 (plus ``rdflib`` and ``lxml``). Its
rules are followed here (threshold 10, residual df >= 10, the output-checking log as one
record per output with its checks and outcome), the joint protection is this module's.
sdcTable and tau-ARGUS are R and Java programs, not Python libraries. The integer
programmes are solved by scipy's HiGHS (:func:`scipy.optimize.milp`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from analysis.stats import released
from analysis.stats.disclosure import DEFAULT_THRESHOLD, check_threshold
from analysis.stats.model_levels import UNMODELLED, term_levels


def _stack(parts) -> LinearConstraint:
    """One sparse constraint from (matrix, lower, upper) parts (scipy converts each
    LinearConstraint separately; one is cheaper for these small programmes)."""
    A = sparse.csr_array(np.vstack([m for m, _, _ in parts]))
    lo = np.concatenate([np.broadcast_to(np.asarray(lb, float), (len(m),)) for m, lb, _ in parts])
    hi = np.concatenate([np.broadcast_to(np.asarray(ub, float), (len(m),)) for m, _, ub in parts])
    return LinearConstraint(A, lo, hi)


def _within(values: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> bool:
    """Whether every value lies within its bounds (to rounding)."""
    return bool(np.all(values >= lo - 1e-7) and np.all(values <= hi + 1e-7))


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


@dataclass
class Block:
    """Atoms of one classification: ``atoms`` has one row per combination (columns are the
    variables), ``counts`` the true number of persons in each."""

    name: str
    atoms: pd.DataFrame
    counts: np.ndarray
    identities: list[tuple[np.ndarray, int]] = field(default_factory=list)
    public: list[tuple[np.ndarray, int]] = field(default_factory=list)  # the source report's numbers
    ranges: list[tuple[np.ndarray, float, float]] = field(default_factory=list)  # its bounds (at least, about)
    targets: list | None = None  # sensitive atoms, computed once
    base: int = 1  # the first identities are the block's own (its population size); later ones known counts
    _factorised: dict = field(default_factory=dict, repr=False, compare=False)  # variable -> (codes, value -> code)

    def mask(self, **where) -> np.ndarray:
        """Atoms where each variable takes one of the given values (a scalar or a list): as
        ``atoms[var].isin(values)``, on each variable's codes (factorised once: a block is
        masked for every cell registered, and pandas' ``isin`` took a third of the gate's
        time on the audits' populations)."""
        m = np.ones(len(self.atoms), dtype=bool)
        for var, allowed in where.items():
            allowed = allowed if isinstance(allowed, (list, tuple, set)) else [allowed]
            codes, lookup = self._codes(var)
            wanted = [lookup[v] for v in allowed if not _missing(v) and v in lookup]
            if any(_missing(v) for v in allowed):
                wanted.append(-1)  # pandas' isin finds a missing value among the missing
            m &= np.isin(codes, wanted)
        return m

    def _codes(self, var: str) -> tuple[np.ndarray, dict]:
        if var not in self._factorised:
            codes, uniques = pd.factorize(self.atoms[var], use_na_sentinel=True)
            self._factorised[var] = (codes, {v: i for i, v in enumerate(uniques)})
        return self._factorised[var]

    def label(self, i: int) -> str:
        return f"{self.name}:" + ",".join(f"{k}={v}" for k, v in self.atoms.iloc[i].items())


@dataclass
class Cell:
    key: str
    block: str
    coef: np.ndarray  # 0/1 over the block's atoms
    value: int
    shown: bool = False


@dataclass
class Release:
    """The person counts of one run, released table by table (see the module docstring)."""

    threshold: int = DEFAULT_THRESHOLD
    zeros_disclosive: bool = False  # a zero is protected like a count below the threshold (real data)
    zero_exempt: tuple[str, ...] = ()  # key prefixes of cells whose zeros are not (a curve's empty interval)
    blocks: dict[str, Block] = field(default_factory=dict)
    cells: dict[str, Cell] = field(default_factory=dict)
    watched: dict[str, Cell] = field(default_factory=dict)  # never shown: zeros that must not be pinned
    log: list[dict] = field(default_factory=list)
    _witness: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    _public_pinned: dict[str, bool] = field(default_factory=dict, repr=False)
    _implied: dict[str, bool] = field(default_factory=dict, repr=False)
    _public_exact: dict[str, bool] = field(default_factory=dict, repr=False)

    def __post_init__(self):
        self.threshold = check_threshold(self.threshold)

    def shown_cells(self) -> dict[str, int]:
        """Every shown cell's value, by key: what the release published."""
        return {k: int(c.value) for k, c in self.cells.items() if c.shown}

    # -- building -------------------------------------------------------------------------
    def block(self, name: str, frame: pd.DataFrame, domains: Mapping[str, Sequence], allowed=None) -> Block:
        """Atoms for the variables of ``domains`` (codebook values, in order), counted in
        ``frame``; ``allowed(atoms)`` drops combinations the codebook's row rules exclude.
        The block's population size is an identity (known to the intruder)."""
        atoms = pd.DataFrame(list(itertools.product(*domains.values())), columns=list(domains))
        if allowed is not None:
            atoms = atoms[allowed(atoms).to_numpy()].reset_index(drop=True)
        counts = frame.groupby(list(domains), dropna=False, observed=True).size()
        keys = pd.MultiIndex.from_frame(atoms) if len(domains) > 1 else pd.Index(atoms.iloc[:, 0])
        true = counts.reindex(keys, fill_value=0).to_numpy(dtype=int)
        if true.sum() != len(frame):
            raise ValueError(f"block {name}: {len(frame) - true.sum()} row(s) outside the codebook domains "
                             f"{ {k: list(v) for k, v in domains.items()} }")
        b = Block(name, atoms, true)
        b.identities.append((np.ones(len(atoms)), int(true.sum())))
        self.blocks[name] = b
        return b

    def merge(self, name: str, parts: Sequence[Block],
              equal: Sequence[tuple[Block, dict, Block, dict]] = ()) -> Block:
        """One block from ``parts`` (atoms side by side, a column ``part`` names each one's
        part), with the identities of each and ``equal`` margins between them: (block a,
        where a, block b, where b) says the counts of a's atoms matching ``where a`` and of
        b's matching ``where b`` are the same persons' count. Used where tables of different
        variables share a population subset (e.g. Figuur 11 on 1 April counts the
        participants who did not move into work between 1 and 16 April). Cells already
        registered on a part are carried over (their counts keep their meaning); a part that
        is itself merged keeps its own ``part`` column."""
        atoms = pd.concat([p.atoms if "part" in p.atoms.columns else p.atoms.assign(part=p.name) for p in parts],
                          ignore_index=True)
        offsets = np.cumsum([0, *(len(p.counts) for p in parts)])
        n = offsets[-1]
        at = {p.name: o for p, o in zip(parts, offsets)}

        def pad(part: Block, row: np.ndarray) -> np.ndarray:
            out = np.zeros(n)
            out[at[part.name]:at[part.name] + len(row)] = row
            return out

        b = Block(name, atoms, np.concatenate([p.counts for p in parts]))
        b.identities = [(pad(p, row), v) for p in parts for row, v in p.identities]
        b.public = [(pad(p, row), v) for p in parts for row, v in p.public]
        b.ranges = [(pad(p, row), lo, hi) for p in parts for row, lo, hi in p.ranges]
        b.identities += [(pad(pa, pa.mask(**wa).astype(float)) - pad(pb, pb.mask(**wb).astype(float)), 0)
                         for pa, wa, pb, wb in equal]
        b.base = len(b.identities)
        for p in parts:
            del self.blocks[p.name]
        for c in [*self.cells.values(), *self.watched.values()]:
            part = next((p for p in parts if p.name == c.block), None)
            if part is not None:
                c.coef, c.block = pad(part, c.coef), name
        self._witness.clear()
        self._public_pinned.clear()
        self._implied.clear()
        self._public_exact.clear()
        self.blocks[name] = b
        return b

    def rebase(self, name: str, atoms: pd.DataFrame, counts: np.ndarray, onto: np.ndarray) -> Block:
        """Block ``name`` on other atoms: ``onto`` (old atoms x new atoms, 0/1) says which new
        atoms each old one is the sum of (a refinement, or two parts of the same persons made
        one). Every identity, report number, cell and watched count keeps its meaning: its
        row times ``onto``. Used where a crosstab's variables meet another table's: the joint
        table of their union (attack 22)."""
        old = self.blocks[name]
        counts = np.asarray(counts, dtype=int)
        if not np.array_equal(onto @ counts, old.counts):
            raise ValueError(f"block {name}: the finer atoms do not add up to the block's counts")
        b = Block(name, atoms.reset_index(drop=True), counts, base=old.base)
        b.identities = [(row @ onto, v) for row, v in old.identities]
        b.public = [(row @ onto, v) for row, v in old.public]
        b.ranges = [(row @ onto, lo, hi) for row, lo, hi in old.ranges]
        for c in [*self.cells.values(), *self.watched.values()]:
            if c.block == name:
                c.coef = c.coef @ onto
        for cache in (self._witness, self._public_pinned, self._implied, self._public_exact):
            cache.clear()
        self.blocks[name] = b
        return b

    def known(self, block: Block, value: int, **where) -> None:
        """An identity: the intruder knows ``value``, the count of ``block``'s atoms matching
        ``where`` (published elsewhere); it must be the true count."""
        m = block.mask(**where).astype(float)
        if int(m @ block.counts) != value:
            raise ValueError(f"{block.name} {where}: known count {value} is not the data's {int(m @ block.counts)}")
        block.identities.append((m, int(value)))
        self._implied.clear()

    def cell(self, key: str, block: Block, *also: Mapping, **where) -> Cell:
        """Register the person count of the atoms of ``block`` matching ``where`` (and, with
        ``also``, further ``where`` conditions whose atoms the count includes too: a union)."""
        if key not in self.cells:
            coef = np.logical_or.reduce([block.mask(**w) for w in [where, *also]]).astype(float)
            self.cells[key] = Cell(key, block.name, coef, int(coef @ block.counts))
        return self.cells[key]

    def watch_zero(self, key: str, block: Block, *also: Mapping, **where) -> None:
        """A count no table shows whose zero, on real data, must not be pinned by what is shown
        (:meth:`exact_targets`): a group's shared outcome. Attack 16: werk en scholing 34 on
        1 April and 34 on 16 April said that none of the 38 who found work in between went
        there. Watched with a floor of one person, not of the threshold (every empty move
        between two dates at the threshold would withhold nearly every count of a second date).
        ``also``: further ``where`` conditions whose atoms the count includes too (a union)."""
        coef = np.logical_or.reduce([block.mask(**w) for w in ([where] if where else []) + list(also)]).astype(float)
        if coef.any() and key not in self.watched:
            self.watched[key] = Cell(key, block.name, coef, int(coef @ block.counts))

    # -- attacking ------------------------------------------------------------------------
    def sensitive(self, v: int, key: str = "") -> bool:
        """A count below the threshold; on real data a zero too (ACRO's ``zeros_are_disclosive``):
        a shown or deducible zero beside a withheld cell tells which cell a small group is in,
        and a group whose members all share one outcome says so of each of them. Cells whose
        key starts with a :attr:`zero_exempt` prefix keep their zeros (no one left a survival
        curve's risk set in an interval: a fact of the interval, not of a person)."""
        zero = self.zeros_disclosive and not key.startswith(self.zero_exempt or ("\0",))
        return (0 if zero else 1) <= v < self.threshold

    def _system(self, block: str, shown: Sequence[Cell], public: bool = True,
                known: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The intruder's system for ``block``: rows and their lower and upper bounds (equal
        but for the report's ranges, :meth:`public_range`)."""
        b = self.blocks[block]
        own = b.identities if known else b.identities[:b.base]
        rows = [*own, *(b.public if public else ()), *((c.coef, c.value) for c in shown if c.block == block)]
        bounded = [*((r, v, v) for r, v in rows), *(b.ranges if public else ())]
        return (np.array([r for r, _, _ in bounded]), np.array([lo for _, lo, _ in bounded], dtype=float),
                np.array([hi for _, _, hi in bounded], dtype=float))

    def public(self, block: Block, value: int, **where) -> bool:
        """Public knowledge (a number the source report prints): an identity when it is true
        of the data (returns True), else ignored (False; a report's number that the file does
        not reproduce tells an intruder nothing true). Counts that public knowledge alone
        already bounds below the threshold are no longer targets: nothing published here
        can protect them, and the gate must not refuse every table because of them."""
        m = block.mask(**where).astype(float)
        if int(m @ block.counts) != value:
            return False
        block.public.append((m, int(value)))
        self._public_pinned.clear()
        return True

    def public_range(self, block: Block, low: float, high: float, **where) -> bool:
        """Public knowledge stated as bounds (the report's "at least 16", or a rounded share
        such as "tweederde" of 30, which could be 19 to 21): registered when the data lie in
        them (returns True), else ignored, as :meth:`public`."""
        return self.public_bounds(block, block.mask(**where).astype(float), low, high)

    def public_bounds(self, block: Block, coef: np.ndarray, low: float, high: float) -> bool:
        """:meth:`public_range` of any sum ``coef`` of ``block``'s atoms (e.g. the difference
        of two counts, for the report's "more than")."""
        if not low <= float(coef @ block.counts) <= high:
            return False
        block.ranges.append((np.asarray(coef, dtype=float), float(low), float(high)))
        self._public_pinned.clear()
        return True

    def targets(self) -> list[tuple[str, str, np.ndarray]]:
        """What must not be pinned below the threshold: (key, block, coef) of every sensitive
        cell and every sensitive atom, except those public knowledge alone bounds."""
        out = [(c.key, c.block, c.coef) for c in self.cells.values() if self.sensitive(c.value, c.key)]
        for b in self.blocks.values():
            if b.targets is None:
                eye = np.eye(len(b.counts))
                b.targets = [(f"atom {b.name}#{i}", b.name, eye[i])
                             for i in np.flatnonzero((b.counts > 0) & (b.counts < self.threshold))]
            out.extend(b.targets)
        return [t for t in out if not self._publicly_bounded(*t) and not self._implied_zero(*t)]

    def _publicly_bounded(self, key: str, block: str, coef: np.ndarray) -> bool:
        """Bounded below the threshold by the report's numbers (not by the population size
        alone, which fails the release instead)."""
        if not self.blocks[block].public and not self.blocks[block].ranges:
            return False
        return self._pinned_only_by(self._public_pinned, key, block, coef, public=False)

    def _pinned_only_by(self, cache: dict, key: str, block: str, coef: np.ndarray, **without: bool) -> bool:
        """Whether ``coef`` is pinned below the threshold by the block's whole system (nothing
        shown yet) but not once the knowledge ``without`` names is left out (``public``: the
        report's numbers; ``known``: counts another release published); cached in ``cache``."""
        if key not in cache:
            cache[key] = (self.reaches(block, coef, []) is None
                          and self.reaches(block, coef, [], **without) is not None)
        return cache[key]

    def exact_targets(self) -> list[tuple[str, str, np.ndarray, int]]:
        """Counts public knowledge alone bounds below the threshold (so no suppression can keep
        them at the threshold: :meth:`targets` leaves them out) but does not pin to one value:
        (key, block, coef, value). What is shown must leave each more than one value (attack 16:
        the report's 17 in work on 16 April bounded "werk en scholing" to 2-5; the shown 15 new
        jobs pinned it at 2, and so told that the three who moved into work all found a job).
        On real data also the :meth:`watch_zero` counts that are zero: each must be able to be one."""
        out = []
        for c in self.cells.values():
            if (self.sensitive(c.value, c.key) and self._publicly_bounded(c.key, c.block, c.coef)
                    and not self._implied_zero(c.key, c.block, c.coef) and not self._publicly_exact(c)):
                out.append((c.key, c.block, c.coef, c.value))
        if self.zeros_disclosive:
            out += [(c.key, c.block, c.coef, 0) for c in self.watched.values()
                    if c.value == 0 and not self._publicly_exact(c)]
        return out

    def _publicly_exact(self, c: Cell) -> bool:
        """Pinned to its value by public knowledge alone (nothing shown can tell more)."""
        if c.key not in self._public_exact:
            self._public_exact[c.key] = self._movable(c.block, c.coef, c.value, []) is None
        return self._public_exact[c.key]

    def _movable(self, block: str, coef: np.ndarray, value: int, shown: Sequence[Cell],
                 key: str = "") -> np.ndarray | None:
        """A solution of the intruder's system in which ``coef @ atoms`` is not ``value``."""
        up = self.reaches(block, coef, shown, self._witness.get(f"exact+ {key}"), floor=value + 1)
        if up is not None:
            self._witness[f"exact+ {key}"] = up
            return up
        if value < 1:
            return None
        down = self.reaches(block, -coef, shown, self._witness.get(f"exact- {key}"), floor=1 - value)
        if down is not None:
            self._witness[f"exact- {key}"] = down
        return down

    def protected(self, c: Cell) -> bool:
        """A cell never shown: a sensitive count, unless a zero others' counts already imply."""
        return self.sensitive(c.value, c.key) and not self._implied_zero(c.key, c.block, c.coef)

    def _implied_zero(self, key: str, block: str, coef: np.ndarray) -> bool:
        """A zero that counts another release published (the block's known counts) already pin
        below the threshold, where the population size alone does not: nothing this release
        shows changes it (everyone without a triage path never started, when Figuur 10 and
        Figuur 12 show the same count). Other zeros of real data are protected like small counts."""
        b, cell = self.blocks[block], self.cells.get(key)
        if cell is None or cell.value != 0 or len(b.identities) <= b.base:
            return False
        return self._pinned_only_by(self._implied, key, block, coef, public=False, known=False)

    def reaches(self, block: str, coef: np.ndarray, shown: Sequence[Cell],
                witness: np.ndarray | None = None, public: bool = True, known: bool = True,
                floor: float | None = None) -> np.ndarray | None:
        """An integer solution of the intruder's system for ``block`` (identities, ``shown``
        cells, atoms >= 0) in which ``coef @ atoms`` is at least ``floor`` (default the
        threshold), or None if there is none (the count is pinned below it). ``witness``, an earlier
        solution, is reused while it still is one; :meth:`_swap` finds most solutions
        without a solver."""
        floor = self.threshold if floor is None else floor  # ``coef @ atoms >= floor`` (default: the threshold)
        A, lo, hi = self._system(block, shown, public, known)
        t = self.blocks[block].counts.astype(float)
        n = len(t)
        if witness is not None and len(witness) == n and _within(A @ witness, lo, hi) and coef @ witness >= floor:
            return witness
        moved = self._swap(A, coef, t, floor)
        if moved is not None:
            return moved
        cons = _stack([(coef[None, :], floor, np.inf), (A, lo, hi)])
        x = None
        for integrality in (np.zeros(n), np.ones(n)):  # the LP first: its vertex is often integral
            res = milp(np.zeros(n), constraints=cons, integrality=integrality,
                       bounds=Bounds(0, max(t.sum(), self.threshold)))  # no atom exceeds its known population
            if res.x is None:
                return None
            x = res.x
            if np.allclose(x, np.round(x), atol=1e-7):
                break
        return np.round(x)

    def _swap(self, A: np.ndarray, coef: np.ndarray, t: np.ndarray, floor: float) -> np.ndarray | None:
        """A quick solution, when there is one: atoms whose columns of ``A`` are equal are
        interchangeable (moving persons between them keeps every equation), so persons
        may move from such atoms outside the target into atoms inside it."""
        need = floor - coef @ t
        if need <= 0:
            return t.copy()
        _, group = np.unique(A.T, axis=0, return_inverse=True)
        group = group.ravel()
        x = t.copy()
        for g in np.unique(group[coef > 0]):
            inside = np.flatnonzero((group == g) & (coef > 0))
            for j in np.flatnonzero((group == g) & (coef == 0)):
                step = min(x[j], need)
                x[j] -= step
                x[inside[0]] += step
                need -= step
                if need <= 0:
                    return x
        return None

    def hide_set(self, block: str, coef: np.ndarray, fixed: Sequence[Cell], candidates: Sequence[Cell],
                 floor: float | None = None) -> list[Cell]:
        """The fewest candidates (smallest counts on ties) whose hiding lets ``coef @ atoms``
        reach ``floor`` (default the threshold), given the ``fixed`` shown cells: one integer programme with a
        0/1 'hide' variable per candidate (the classical secondary-suppression model of
        Fischetti and Salazar, for one sensitive count). All candidates if none suffices."""
        A, lo, hi = self._system(block, fixed)
        mine = [c for c in candidates if c.block == block]
        if not mine:
            return list(candidates)
        n, m = len(self.blocks[block].counts), len(mine)
        cap = max(int(self.blocks[block].counts.sum()), self.threshold)
        C = np.array([c.coef for c in mine])
        v = np.array([c.value for c in mine], float)
        big = cap * C.sum(axis=1).max() + v.max() + 1
        floor = self.threshold if floor is None else floor
        cons = _stack([(np.r_[coef, np.zeros(m)][None, :], floor, np.inf),
                       (np.hstack([C, -big * np.eye(m)]), -np.inf, v), (np.hstack([-C, -big * np.eye(m)]), -np.inf, -v),
                       (np.hstack([A, np.zeros((len(A), m))]), lo, hi)])
        res = milp(np.r_[np.zeros(n), 1 + v / (v.sum() + 1)], constraints=cons, integrality=np.ones(n + m),
                   bounds=Bounds(0, np.r_[np.full(n, cap), np.ones(m)]))
        if res.x is None:
            return list(candidates)
        return [c for c, z in zip(mine, res.x[n:]) if z > 0.5]

    def pinned(self, shown: Sequence[Cell] | None = None, first: bool = False,
               blocks: set[str] | None = None) -> list[str]:
        """Sensitive cells and atoms (of ``blocks``, default all) that the shown cells bound
        below the threshold (with ``first``, stop at the first)."""
        shown = [c for c in self.cells.values() if c.shown] if shown is None else list(shown)
        found = []
        for key, block, coef in self.targets():
            if blocks is not None and block not in blocks:
                continue  # only a table of its own block changes what bounds it
            x = self.reaches(block, coef, shown, self._witness.get(key))
            if x is None:
                found.append(key)
                if first:
                    return found
            else:
                self._witness[key] = x
        for key, block, coef, value in self.exact_targets():
            if (blocks is None or block in blocks) and self._movable(block, coef, value, shown, key) is None:
                found.append(f"exact {key}")
                if first:
                    return found
        return found

    # -- releasing ------------------------------------------------------------------------
    def prepare(self, keys: Sequence[str]) -> None:
        """Before releasing the tables of ``keys``: look for each target's solution against
        every cell that could ever be shown (all but the sensitive ones). A solution found
        stays one whatever is hidden later, so most targets need no further solving."""
        most = [self.cells[k] for k in keys if not self.protected(self.cells[k])]
        most += [c for c in self.cells.values() if c.shown and c not in most]
        for key, block, coef in self.targets():
            x = self.reaches(block, coef, most, self._witness.get(key))
            if x is not None:
                self._witness[key] = x

    def prior(self, shown: Mapping[str, int]) -> int:
        """Cells an earlier release of the same data showed (key -> value): shown from the
        start, as fixed known numbers, so that this release is protected against them.
        Returns how many of this release's cells they are."""
        n = 0
        for key, value in shown.items():
            c = self.cells.get(key)
            if c is None:
                continue
            if c.value != value:  # no count in the message: it reaches the terminal and the failed notebook
                raise ValueError(f"disclosure control: an earlier release of this file showed cell {key} with "
                                 "another count than this run computes for it; the two runs define the cell "
                                 "differently. Ask the project's maintainers; do not delete the release ledger.")
            c.shown, n = True, n + 1
        return n

    def release(self, table: str, keys: Sequence[str]) -> dict[str, bool]:
        """Decide which of ``keys`` (cells of one table) are shown; log the decision. Cells
        already shown (by an earlier release, :meth:`prior`) stay shown."""
        new = [self.cells[k] for k in keys]
        primary = [c.key for c in new if self.protected(c) and not c.shown]
        candidates = [c for c in new if not self.protected(c) and not c.shown]
        before = [c for c in self.cells.values() if c.shown]
        secondary = []
        touched = {c.block for c in new}
        while candidates:
            pinned = self.pinned(before + candidates, first=True, blocks=touched)
            if not pinned:
                break
            hide = self._to_hide(pinned[0], before, candidates) or list(candidates)  # never loop idle
            candidates = [c for c in candidates if all(c is not h for h in hide)]
            secondary.extend(h.key for h in hide)
        for c in candidates:
            c.shown = True
        candidates = [c for c in new if c.shown]
        safe = not self.pinned(first=True, blocks=touched)
        self.log.append({"output": table, "threshold": self.threshold, "cells": len(new),
                         "primary_suppressed": len(primary), "secondary_suppressed": len(secondary),
                         "shown": len(candidates),
                         "rule": (f"no count of 1 to {self.threshold - 1} persons shown, and none bounded below "
                                  f"{self.threshold} by the shown counts of this run") if self.threshold > 1
                         else "threshold 1 (data marked synthetic): every count shown",
                         "outcome": "pass" if safe else "fail: the population size alone bounds a count below "
                                                        "the threshold"})
        return {c.key: c.shown for c in new}

    def _to_hide(self, pinned: str, before: Sequence[Cell], candidates: Sequence[Cell]) -> list[Cell]:
        """The fewest candidates to hide for the pinned target ``pinned`` (a key of
        :meth:`targets`, or ``exact <key>`` of :meth:`exact_targets`: its count may then move
        up, or else down)."""
        if not pinned.startswith("exact "):
            _, block, coef = next(t for t in self.targets() if t[0] == pinned)
            return self.hide_set(block, coef, before, candidates)
        _, block, coef, value = next(t for t in self.exact_targets() if t[0] == pinned[6:])
        up = self.hide_set(block, coef, before, candidates, floor=value + 1)
        if value < 1:
            return up
        down = self.hide_set(block, -coef, before, candidates, floor=1 - value)
        return min(up, down, key=len)

    def value(self, key: str) -> int | None:
        """A cell's value if shown, else None."""
        c = self.cells[key]
        return c.value if c.shown else None

    def check(self) -> None:
        """Raise if the release is not safe."""
        bad = self.pinned()
        shown_small = [c.key for c in self.cells.values() if c.shown and self.protected(c)]
        if bad or shown_small:
            named = [self.blocks[k[5:].split("#")[0]].label(int(k.split("#")[1])) if k.startswith("atom ") else k
                     for k in bad]
            raise ValueError(f"disclosure control: counts the published numbers bound below {self.threshold}: "
                             f"{named}; shown counts below it: {shown_small}. With fewer than {self.threshold} "
                             "persons in all, nothing can be published.")


# -- model and test outputs (notebook 03) ---------------------------------------------------
#
# Contract with the model code (analysis.stats.models): a model table has a ``term`` column
# (``const`` or ``<predictor>[<level>]``), a test table a ``group`` column and a
# ``comparison`` column (``<level> vs rest``, anything else is a test of the whole table);
# both carry ``group_n`` (persons in the row's group), ``n`` and ``events`` (model rows may
# carry a ``model`` column). The gate treats publishing a row as publishing the counts the
# row's estimate is a function of (the intruder's worst case): for a term or a level-vs-rest
# test, the uptake table of its predictor (persons and events per level; a coefficient is
# relative to the reference level and an intercept is the reference groups); for a whole-
# table test, that table too. A row is shown only when those counts are all shown in the
# run's release, its group_n is at least the threshold (ACRO's minimum group size) and its
# model's residual degrees of freedom (n minus its number of terms) are at least the
# threshold (ACRO's ``safe_dof_threshold``); otherwise its numbers are withheld and its note
# says why.

WITHHELD_NOTE = "withheld (disclosure control)"  # the same words whatever the reason: a reason tells a count


def group_release(frame: pd.DataFrame, predictors: Sequence[str], domains: Mapping[str, Sequence],
                  threshold: int, outside: pd.DataFrame | None = None,
                  known: Mapping[tuple[str, str], int] | None = None,
                  prior: Mapping[str, int] | None = None, zeros_disclosive: bool = False,
                  zero_exempt: Sequence[str] = (), extra: Mapping[str, Sequence] | None = None,
                  rule=None) -> Release:
    """The release of notebook 03: one block of predictors x outcome over the analysis
    population, with the persons, events and non-events of every level registered, and the
    per-level counts and the total events released as one table (the uptake rates), then the
    joint table of all predictors by outcome (what a model's estimates and intervals are a
    function of: with two predictors, the coefficients, their intervals and the rates admit
    only the true joint table), released as a second table.

    ``outside``: the other participants of the file (their predictors), and ``known``:
    counts over everyone that another notebook publishes, as {(predictor, level): persons}
    or {((variable, level), (variable, level)): persons} (notebook 02's Figuur 10, the
    education totals and the cells of Figuur 7). With them the block
    also holds the participants outside the population, so that nothing is published here
    that the difference with those counts would reveal.

    ``zeros_disclosive`` (real data): a level whose persons all share one outcome (a rate of
    0% or 100%) says so of each of them, so the zero is protected like a small count, except
    in cells whose key starts with a ``zero_exempt`` prefix.

    ``extra``: further columns of ``frame`` and ``outside`` the intruder reasons with, by
    their domains (e.g. whether a participant started), kept as they are; ``rule(atoms)``:
    the codebook's rule over all columns (e.g. who never started has no triage path and no
    work), applied with the population's own (outside it, no outcome)."""
    r = Release(threshold, zeros_disclosive=zeros_disclosive, zero_exempt=tuple(zero_exempt))
    extra = dict(extra or {})
    data = frame[[*predictors, "y"]].astype(object).apply(lambda c: c.astype(str) if c.name != "y" else c.astype(int))
    data = pd.concat([data, frame[list(extra)]], axis=1)
    dom = {**{p: [str(v) for v in domains[p]] for p in predictors}, **extra, "y": [0, 1]}
    inside = {}
    if outside is not None:
        rest = pd.concat([outside[list(predictors)].astype(str), outside[list(extra)]], axis=1).assign(y=0)
        data = pd.concat([data.assign(inpop=True), rest.assign(inpop=False)], ignore_index=True)
        dom["inpop"], inside = [True, False], {"inpop": True}
    b = r.block("M", data, dom, allowed=_model_rule(bool(inside), rule))
    for key, value in (known or {}).items():
        pairs = key if isinstance(key[0], tuple) else (key,)  # (predictor, level) or several of them
        r.known(b, value, **{p: level if p in extra else str(level) for p, level in pairs})
    keys = [r.cell("events", b, y=1, **inside).key, r.cell("n", b, **inside).key]  # "17 of 25" in the text
    r.cell("non_events", b, y=0, **inside)  # a target, never shown: with the population size it is events' complement
    for p in predictors:
        for level in domains[p]:
            keys += [r.cell(f"{p}={level}|n", b, **{p: str(level)}, **inside).key,
                     r.cell(f"{p}={level}|events", b, **{p: str(level)}, y=1, **inside).key]
            r.cell(f"{p}={level}|non_events", b, **{p: str(level)}, y=0, **inside)  # a target, never shown
    joint = [r.cell(joint_key(combo, y), b, y=y, **dict(zip(predictors, map(str, combo))), **inside).key
             for combo in itertools.product(*(domains[p] for p in predictors)) for y in (0, 1)]
    if inside and len(outside):
        _outside_targets(r, b, predictors, domains)
    r.prior(prior or {})  # cells an earlier release of the same file showed
    r.prepare([*keys, *joint])
    r.release("rates", keys)
    r.release("joint", joint)
    return r


def _outside_targets(r: Release, b: Block, predictors: Sequence[str], domains: Mapping[str, Sequence]) -> None:
    """Targets, never shown, of notebook 03's block: the persons outside the analysis population
    of each predictor level and each combination of levels. With notebook 02's margins they are
    the complements of the population's n's: attack 19 read from n 55 of triage path 1 beside
    Figuur 10's 55 that no one of the path had left; attack 20, from the models on education and
    age beside Figuur 7, that no one of middle education aged 45 or less had. On real data their
    zeros are protected like small counts."""
    for p in predictors:
        for level in domains[p]:
            r.cell(f"{p}={level}|outside", b, **{p: str(level)}, inpop=False)
    if len(predictors) > 1:
        for combo in itertools.product(*(domains[p] for p in predictors)):
            r.cell("outside|" + "|".join(map(str, combo)), b, **dict(zip(predictors, map(str, combo))), inpop=False)


def _model_rule(with_outside: bool, rule):
    """The allowed atoms of notebook 03's block: outside the population no outcome, and ``rule``."""
    if not with_outside and rule is None:
        return None

    def allowed(a: pd.DataFrame) -> pd.Series:
        ok = (a["inpop"] | (a["y"] == 0)) if with_outside else pd.Series(True, index=a.index)
        return ok & rule(a) if rule is not None else ok
    return allowed


def joint_key(combo: Sequence, y: int) -> str:
    return "joint|" + "|".join(map(str, combo)) + f"|y={y}"


def joint_shown(r: Release) -> bool:
    """Whether the joint table of predictors by outcome is shown (every model row needs it)."""
    return all(c.shown for k, c in r.cells.items() if k.startswith("joint|"))


def outcome_shown(r: Release) -> bool:
    """Whether the population's persons and events may be stated (e.g. "17 of 25")."""
    return r.cells["events"].shown and r.cells["n"].shown


def _level_shown(r: Release, predictor: str, level) -> bool:
    return all(r.cells[f"{predictor}={level}|{x}"].shown for x in ("n", "events"))


def _levels(r: Release, predictor: str) -> list[str]:
    """The levels of ``predictor`` the release registered (its domain, in the codebook's order)."""
    return [k.split("=", 1)[1].rsplit("|", 1)[0] for k in r.cells if k.startswith(f"{predictor}=") and k.endswith("|n")]


def predictor_shown(r: Release, predictor: str) -> bool:
    return outcome_shown(r) and all(_level_shown(r, predictor, lev) for lev in _levels(r, predictor))


def absent_levels(r: Release, predictor: str, present) -> list[str]:
    """The levels of ``predictor`` that no one in the analysis population has and whose
    zero the release withholds (real data). A table that left their rows out would say by
    the missing row that the group is empty (intruder round 11: every "hoog" participant had
    stopped, and the exact tests' levels and n said so); the gated tables list them as
    withheld rows, as they list a small group."""
    present = {str(v) for v in present}
    return [lev for lev in _levels(r, predictor) if lev not in present
            and r.cells[f"{predictor}={lev}|n"].value == 0 and not r.cells[f"{predictor}={lev}|n"].shown]


def _with_absent_rows(table: pd.DataFrame, column: str, absent: Sequence[str]) -> pd.DataFrame:
    """``table`` with a copy of its first row for each absent level, ``column`` set to the
    level: same columns and dtypes, emptied by the gate that withholds them."""
    copies = table.iloc[[0] * len(absent)].copy()
    copies[column] = list(absent)
    return pd.concat([table, copies], ignore_index=True)


def _withhold(table: pd.DataFrame, hide: pd.Series, reason: pd.Series, keep: Sequence[str],
              r: Release | None = None, output: str = "") -> pd.DataFrame:
    """``table`` with the rows of ``hide`` withheld: every column but ``keep`` emptied and
    the note the neutral :data:`WITHHELD_NOTE`. The reason of each row goes to the release's
    log (the output checker's material), never into the table. The result is marked as made
    by the release (:mod:`analysis.stats.released`)."""
    out = table.copy()
    cols = [c for c in out.columns if c not in keep]
    out[cols] = out[cols].astype(object).mask(hide.to_numpy()[:, None] & np.ones(len(cols), bool), None)
    neutral = pd.Series(WITHHELD_NOTE, index=out.index)
    if "note" in out.columns:
        out["note"] = out["note"].astype(object).where(~hide, neutral)
    else:
        out["note"] = neutral.where(hide, "")
    if r is not None:
        withheld = [" / ".join(str(table.at[i, k]) for k in keep if k in table.columns) + f": {reason[i]}"
                    for i in table.index[hide.to_numpy()]]
        r.log.append({"output": output, "threshold": r.threshold, "cells": len(table), "primary_suppressed": 0,
                      "secondary_suppressed": len(withheld), "shown": len(table) - len(withheld),
                      "rule": "; ".join(withheld) or "every row shown", "outcome": "pass"})
    return released.mark(out)


def _rates_with_absent(rates: pd.DataFrame, r: Release) -> pd.DataFrame:
    """Each group's rows with a row per absent level (:func:`absent_levels`), in the order of
    the group's levels in the release."""
    parts, changed = [], False
    for g, part in rates.groupby("group", sort=False):
        absent = absent_levels(r, g, part["level"])
        if absent:
            order = {lev: i for i, lev in enumerate(_levels(r, g))}
            part = _with_absent_rows(part, "level", absent)
            part = part.iloc[np.argsort([order.get(str(v), -1) for v in part["level"]], kind="stable")]
            changed = True
        parts.append(part)
    return pd.concat(parts, ignore_index=True) if changed else rates


def gate_rates(rates: pd.DataFrame, r: Release) -> pd.DataFrame:
    """Uptake rates (columns group, level, n, events, rate and intervals): a row whose
    persons or events the release withholds is withheld; a level no one has whose zero is
    protected gets a withheld row (:func:`absent_levels`), in the codebook's order."""
    rates = _rates_with_absent(rates, r)
    hide = pd.Series([not (outcome_shown(r) and _level_shown(r, g, lev))
                      for g, lev in zip(rates["group"], rates["level"])], index=rates.index)
    why = pd.Series(f"group or its events below {r.threshold}, recoverable, or the outcome withheld",
                    index=rates.index)
    return _withhold(rates, hide, why, keep=["group", "level"], r=r, output="rates")


def gate_terms(table: pd.DataFrame, r: Release, predictors: Sequence[str]) -> pd.DataFrame:
    """Model rows (coefficients, marginal effects, separation findings) by ``term``. With a
    level no one has whose zero is protected (:func:`absent_levels`), every row is withheld
    and the rows are those of a model that had that level (its term, and the reference level
    it would have had), so that the missing term does not say the group is empty."""
    k = r.threshold
    absent = {p: _absent_terms(r, p) for p in predictors}
    if any(absent.values()):
        table = _terms_with_absent(table, r, absent)
    factor = table["term"].astype(str).str.extract(r"^([^\[]+)\[", expand=False)
    ok_pred = {p: predictor_shown(r, p) for p in predictors}
    shown = factor.map(lambda f: ok_pred.get(f, False) if isinstance(f, str) else all(ok_pred.values()))
    shown &= joint_shown(r)  # a model's estimates are a function of the joint table
    shown &= not any(absent.values())
    why = pd.Series(f"a group of its predictor, or a cell of the joint table of predictors by outcome, is "
                    f"below {k} persons or events, or recoverable", index=table.index)
    foreign = _foreign_models(table, factor, predictors)
    why = why.where(~foreign, "a term of a variable the release does not protect: the model's estimates are a "
                              "function of its table, which the ledger does not record")
    shown &= ~foreign
    if "group_n" in table.columns:
        small = pd.to_numeric(table["group_n"], errors="coerce").fillna(0) < k
        why = why.where(~small, f"group below {k} persons")
        shown &= ~small
    if {"n", "model"} <= set(table.columns):
        params = table.groupby("model")["term"].transform("size")
        low_df = (pd.to_numeric(table["n"], errors="coerce") - params) < k
        why = why.where(~low_df, f"residual degrees of freedom below {k}")
        shown &= ~low_df
    out = _withhold(table, ~shown, why, keep=[c for c in ("model", "term") if c in table.columns], r=r,
                    output="model rows")
    hidden = [p for p, ok in ok_pred.items() if not ok]
    if hidden and "note" in out.columns:  # a shown row's note must not name a withheld group
        pattern = r"(?:" + "|".join(map(re.escape, hidden)) + r")\[[^\]]*\]"
        out["note"] = out["note"].astype(object).map(
            lambda t: re.sub(pattern, "a withheld term", t) if isinstance(t, str) else t)
    return out


def _foreign_models(table: pd.DataFrame, factor: pd.Series, predictors: Sequence[str]) -> pd.Series:
    """The rows of every model (by ``model``) with a term of a variable other than the release's
    ``predictors`` (a column added to the analysis frame: its rows, the others' too, are a
    function of a table the release neither protected nor recorded in the ledger)."""
    term = table["term"].astype(str)
    stray = (term != "const") & ~factor.isin(list(predictors))
    if "model" not in table.columns:
        return pd.Series(bool(stray.any()), index=table.index)
    return table["model"].isin(set(table.loc[stray, "model"]))


def _inside(r: Release, predictor: str) -> list[str]:
    """The levels of ``predictor`` someone in the analysis population has."""
    return [lev for lev in _levels(r, predictor) if r.cells[f"{predictor}={lev}|n"].value > 0]


def _absent_terms(r: Release, predictor: str) -> list[str]:
    """The absent levels of ``predictor`` (:func:`absent_levels`) among the levels modelled."""
    return [lev for lev in absent_levels(r, predictor, _inside(r, predictor)) if lev != UNMODELLED.get(predictor)]


def _terms_with_absent(table: pd.DataFrame, r: Release, absent: Mapping[str, list[str]]) -> pd.DataFrame:
    """Per model, the term rows of a model fitted with the ``absent`` levels (by predictor)
    present: copies of the model's first row, emptied by the gate, in the design's order (the
    intercept where the table has it)."""
    terms = [f"{p}[{lev}]" for p, missing in absent.items() for lev in term_levels(p, [*_inside(r, p), *missing])]
    parts = []
    for _, part in (table.groupby("model", sort=False) if "model" in table.columns else [(None, table)]):
        first = str(part["term"].iat[0]) == "const"
        ordered = ["const", *terms] if first else [*terms, "const"]
        by_term = part.set_index(part["term"].astype(str))
        rows = [by_term.loc[[t]] if t in by_term.index else by_term.iloc[[0]].assign(term=t) for t in ordered]
        parts.append(pd.concat(rows, ignore_index=True))
    return pd.concat(parts, ignore_index=True)


def _tests_with_absent(tests: pd.DataFrame, r: Release) -> pd.DataFrame:
    """Test rows with each absent level's level-vs-rest tests added (copies of the group's
    first level's, emptied by the gate), the whole-table test's label and the families'
    sizes counted as if the level were there, rows in the order exact_tests writes them."""
    out = tests
    for g in list(dict.fromkeys(tests["group"])):
        rows = tests[tests["group"] == g]
        level = rows["comparison"].astype(str).str.extract(r"^(.*) vs rest$", expand=False)
        absent = absent_levels(r, g, level.dropna())
        if not absent:
            continue
        first = rows[level == level.dropna().iat[0]] if level.notna().any() else rows.iloc[0:0]
        for lev in absent:
            out = pd.concat([out, first.assign(comparison=f"{lev} vs rest")], ignore_index=True)
        whole = (out["group"] == g) & out["comparison"].astype(str).str.startswith("all ")
        k = int(level.notna().groupby(level).size().size) + len(absent)
        out.loc[whole, "comparison"] = f"all {k} levels (2 x {k})"
        out.loc[whole, "test"] = out.loc[whole, "test"].astype(str).str.replace(r"df = \d+", f"df = {k - 1}",
                                                                               regex=True)
    if out is tests:
        return tests
    base = out["family"].astype(str).str.replace(r" \(\d+ tests\)$", "", regex=True)
    out["family"] = base + base.groupby(base).transform("size").map(lambda m: f" ({m} tests)")
    is_level = out["comparison"].astype(str).str.endswith(" vs rest")
    groups = {g: i for i, g in enumerate(dict.fromkeys(out["group"]))}
    kinds = {t: i for i, t in enumerate(dict.fromkeys(out["test"].astype(str)))}
    key = [(0 if lv else 1, groups[g], c if lv else "", kinds[str(t)])
           for lv, g, c, t in zip(is_level, out["group"], out["comparison"].astype(str), out["test"])]
    return out.iloc[sorted(range(len(out)), key=key.__getitem__)].reset_index(drop=True)


def gate_tests(tests: pd.DataFrame, r: Release) -> pd.DataFrame:
    """Exact-test rows: a level-vs-rest test reveals its 2 x 2 table, a whole-table test the
    2 x k table; shown only when those counts are. A level no one has whose zero is
    protected gets withheld rows (:func:`_tests_with_absent`)."""
    k = r.threshold
    tests = _tests_with_absent(tests, r)
    level = tests["comparison"].astype(str).str.extract(r"^(.*) vs rest$", expand=False)
    shown = pd.Series([(_level_shown(r, g, lev) and outcome_shown(r)) if isinstance(lev, str)
                       else predictor_shown(r, g) for g, lev in zip(tests["group"], level)], index=tests.index)
    why = pd.Series(f"its table has counts below {k} or recoverable ones", index=tests.index)
    if "group_n" in tests.columns:
        shown &= ~(pd.to_numeric(tests["group_n"], errors="coerce").fillna(k) < k)
    out = _withhold(tests, ~shown, why, keep=[c for c in ("group", "comparison", "test") if c in tests.columns],
                    r=r, output="exact tests")
    if {"family", "p_holm"} <= set(tests.columns):  # a Holm-adjusted p-value depends on its whole family
        partial = tests["family"].map((~shown).groupby(tests["family"]).any())
        out["p_holm"] = out["p_holm"].astype(object).mask(partial.to_numpy(), None)
    return out
