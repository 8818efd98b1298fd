"""A protected crosstab of any variables of the release, linked to everything the run
already released.

The evaluator's new table ("outflow to work by gender at the cut-off date") is a block of
its own variables; where it shares a variable with a block the run has released (the
status at the cut-off date with Figuren 12-13, education with Figuur 7, ...), the two are
merged and the shared margins are stated equal, so that the intruder's integer programme
sees both tables at once (:meth:`analysis.stats.output_gate.Release.merge`). Its cells, row
and column totals and grand total are then released after every earlier table: earlier
tables never change, and the new one hides whatever would let a small count be derived
from it together with them.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.stats import released
from analysis.stats.output_gate import Release

TOTAL = "Totaal"


def domain(values: pd.Series) -> list:
    """The levels of a variable: its categories when it has them, else the values that occur
    (an intruder who knows fewer possible levels knows more: the conservative choice)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return list(values.cat.categories)
    return sorted(values.dropna().astype(str).unique())


def declared_levels(frame: pd.DataFrame, columns: dict, unknown: str) -> pd.DataFrame:
    """``frame``'s coded columns (the categories and yes/no columns of the file's schema
    ``columns``, name -> :class:`~analysis.data.spec.Column`) as categoricals of the levels
    the study declares, so that a crosstab has a row for a level nobody holds and its zero is
    a cell the gate protects like any other. Taken from the values present, an absent row
    said "nobody" unprotected (attack 23: no ``vast`` row published that nobody got a
    permanent contract). ``unknown`` is a level where it occurs, as the figures show it
    (:func:`analysis.pilot.schema.counted_levels`); a value the study does not declare is
    kept as a level of its own, never lost."""
    out = frame.copy()
    for name in frame.columns:
        codes = _declared_codes(columns.get(name), unknown)
        if codes is None:
            continue
        present = [v for v in pd.unique(frame[name]) if not any(_same(v, c) for c in codes)]
        out[name] = pd.Categorical(frame[name], categories=[*codes, *sorted(present, key=str)])
    return out


def _declared_codes(column, unknown: str) -> list | None:
    """The levels the schema declares for a coded column (``unknown`` left out), else None."""
    if column is None:
        return None
    if column.kind == "bool":
        return [False, True]
    if column.kind == "category" and column.allowed:
        return [c for c in column.allowed if c != unknown]
    return None


def _same(value, code) -> bool:
    """``value`` is ``code`` (a yes/no is never equal to a text code, nor 1 to True)."""
    return type(value) is type(code) and value == code if isinstance(code, bool) else value == code


def recorded_by_status(frame: pd.DataFrame, linked: Sequence[str], statuses: Sequence[str],
                       unknown: str) -> pd.DataFrame:
    """For each column of ``linked`` (recorded only for some outcomes: the study's
    ``outcome_linked``, e.g. a new job's contract only for who is in work) and each status
    variable of ``statuses``, the values no one of a status can hold, as an intruder who reads
    the codebook takes them (rows ``column``, ``status``, ``value`` of the status, ``excluded``
    value of the column, as text):
    - a status in which everyone has an absent value of the column (``unknown``, or "no" for a
      yes/no column written as no where it does not apply, or a mix of the two) is outside the
      column's population: every value nobody of it holds is excluded there (attack 24: a
      certification course written "nee" for everyone not in work made "ja" mean "in work";
      attack 25: the same with "nee" and empty mixed);
    - a status in which nobody has ``unknown`` has it excluded (attack 23: with a contract for
      every one in work, the contract table's "onbekend" is "not in work": men in work
      200 - 99 = 101, werk en scholing = 101 - 98 = 3).
    The gate assumes these known, the intruder's side for every cell; what that gives away is
    the pattern itself (who the column applies to, and that it is complete), taken from the
    file so that no combination present is ever excluded. The cost: where everyone of a status
    the column does apply to has "no" (nobody with a new job followed the course), that zero
    is taken as structural, not protected."""
    rows = []
    for column in linked:
        text = frame[column].astype(object).astype(str).to_numpy()
        levels = [str(x) for x in domain(frame[column])]
        absent = {unknown, *(["False"] if "False" in levels else [])}
        for status in statuses:
            for value, held in pd.Series(text).groupby(frame[status].astype(object).to_numpy()):
                held = set(held)
                if held <= absent:
                    rows += [(column, status, value, x) for x in levels if x not in held]
                elif unknown not in held:
                    rows.append((column, status, value, unknown))
    return pd.DataFrame(rows, columns=["column", "status", "value", "excluded"])


def pattern_allowed(pattern: pd.DataFrame):
    """``allowed`` for :func:`protected_crosstabs`: the combinations the pattern of
    :func:`recorded_by_status` leaves possible."""
    def allowed(atoms: pd.DataFrame) -> pd.Series:
        ok = pd.Series(True, index=atoms.index)
        for column, status, value, excluded in pattern.itertuples(index=False):
            if column in atoms.columns and status in atoms.columns:
                ok &= ~((atoms[status].astype(str) == str(value)) & (atoms[column].astype(str) == excluded))
        return ok
    return allowed


MAX_ATOMS = 4000  # the joint table of linked tables' variables: more atoms than this is refused


def _linked(r: Release, variables: Sequence[str]) -> list[tuple[str, object, list[str]]]:
    """The released tables' parts sharing a variable with ``variables``: (block name, part
    label or None for a block of one part, the part's variables)."""
    out = []
    for name, b in r.blocks.items():
        groups = b.atoms.groupby("part", sort=False) if "part" in b.atoms.columns else [(None, b.atoms)]
        for label, atoms in groups:
            own = [c for c in atoms.columns if c != "part" and atoms[c].notna().all()]
            if set(own) & set(variables):
                out.append((name, label, own))
    return out


def _one_block(r: Release, links: list) -> str:
    """The linked parts' blocks merged into one (named after the largest); its name."""
    names = list(dict.fromkeys(name for name, _, _ in links))
    if len(names) == 1:
        return names[0]
    target = max(names, key=lambda n: len(r.blocks[n].counts))
    r.merge(target, [r.blocks[n] for n in names])
    return target


def _joint_atoms(r: Release, block: str, links: list, domains: dict, allowed, tables: str) -> pd.DataFrame:
    """Every combination of ``domains`` whose part on each linked part's variables is one of
    that part's atoms (the codebook's rules there) and that ``allowed`` keeps; refused beyond
    :data:`MAX_ATOMS`."""
    size = int(np.prod([len(d) for d in domains.values()], dtype=float))
    if size > MAX_ATOMS * 50:
        raise released.UnreleasedOutput(_too_big(size, tables))
    atoms = pd.DataFrame(list(itertools.product(*domains.values())), columns=list(domains))
    b = r.blocks[block]
    keep = np.ones(len(atoms), dtype=bool)
    for _, label, own in links:
        part = b.atoms if label is None else b.atoms[b.atoms["part"] == label]
        seen = set(map(tuple, part[own].astype(object).itertuples(index=False)))
        keep &= np.array([t in seen for t in map(tuple, atoms[own].astype(object).itertuples(index=False))])
    atoms = atoms[keep].reset_index(drop=True)
    if allowed is not None:
        atoms = atoms[allowed(atoms).to_numpy()].reset_index(drop=True)
    if len(atoms) > MAX_ATOMS:
        raise released.UnreleasedOutput(_too_big(len(atoms), tables))
    return atoms


def _too_big(size: int, tables: str) -> str:
    return (f"crosstab: this table shares variables with {tables}; the gate protects them together over the "
            f"joint table of all their variables, which has {size} cells (at most {MAX_ATOMS}). Cross fewer or "
            "coarser variables, or leave out one of the tables.")


def _tables_of(r: Release, block: str, labels) -> str:
    """The names of the tables whose cells lie on the parts ``labels`` of ``block``."""
    b = r.blocks[block]
    names = []
    for c in r.cells.values():
        if c.block == block and ("part" not in b.atoms.columns or set(b.atoms["part"][c.coef > 0]) & set(labels)):
            names.append(c.key.split("|")[0])
    return ", ".join(dict.fromkeys(names)) or "the release's tables"


def _block(r: Release, name: str, frame: pd.DataFrame, variables: Sequence[str], allowed=None, latent=()):
    """The crosstab's block. Where it shares a variable with tables released before (another
    crosstab, Figuur 7's education by age, the statuses of Figuren 12-13), their parts are
    replaced by the joint table over the union of their variables and the crosstab's, with the
    earlier cells as sums of its atoms: two-way tables of three variables fix or bound the
    three-way table (attack 22), which margins linked pairwise do not see. ``allowed`` drops
    the combinations the codebook excludes (see :meth:`Release.block`); ``latent`` variables
    are in the joint table without a table of their own (the statuses beside a variable
    recorded only for some statuses: :func:`recorded_by_status`)."""
    every = list(dict.fromkeys([*variables, *latent]))
    links = _linked(r, every)
    if not links:
        domains = {v: [str(x) for x in domain(frame[v])] for v in every}
        data = frame[every].astype(object).apply(lambda c: c.astype(str))
        b = r.block(name, data, domains, allowed=allowed)
        _watch_joint_zeros(r, b, list(variables), None)
        return b, domains
    target = _one_block(r, links)
    links = _linked(r, every)
    old = r.blocks[target]
    union = list(dict.fromkeys([*every, *(v for _, _, own in links for v in own)]))
    known = {v: list(pd.unique(old.atoms[v].dropna())) for v in union if v in old.atoms.columns}
    domains = {v: known[v] if v in known else [str(x) for x in domain(frame[v])] for v in union}
    labels = [label for _, label, _ in links]
    joint = _joint_atoms(r, target, links, domains, allowed, _tables_of(r, target, labels))
    as_text = [v for v in union if v not in known or all(isinstance(x, str) for x in known[v])]  # as counted before
    data = frame[union].astype(object).apply(lambda c: c.astype(str) if c.name in as_text else c)
    counts = data.groupby(union, dropna=False, observed=True).size()
    index = pd.MultiIndex.from_frame(joint) if len(union) > 1 else pd.Index(joint.iloc[:, 0])
    joint_counts = counts.reindex(index, fill_value=0).to_numpy(dtype=int)
    if joint_counts.sum() != len(frame):
        raise ValueError(f"block {name}: {len(frame) - joint_counts.sum()} row(s) outside the codebook domains")
    crossed = [v for v in union if v in variables or any(v in own for n, label, own in links
                                                          if str(label if label is not None else n).startswith("X_"))]
    b = _rebased(r, target, labels, joint, joint_counts, name)
    _watch_joint_zeros(r, b, crossed, name if "part" in b.atoms.columns else None)
    return b, domains


def _rebased(r: Release, target: str, labels, joint: pd.DataFrame, joint_counts: np.ndarray, name: str):
    """Block ``target`` with its parts ``labels`` replaced by the joint atoms (part ``name``)."""
    old = r.blocks[target]
    parted = "part" in old.atoms.columns
    linked = old.atoms["part"].isin(labels).to_numpy() if parted else np.ones(len(old.atoms), dtype=bool)
    rest = old.atoms[~linked]
    atoms = pd.concat([rest, joint.assign(part=name)], ignore_index=True) if parted else joint
    counts = np.concatenate([old.counts[~linked], joint_counts])
    onto = np.zeros((len(old.atoms), len(atoms)))
    onto[np.flatnonzero(~linked), np.arange(len(rest))] = 1
    for j in np.flatnonzero(linked):
        atom = old.atoms.iloc[j]
        own = [c for c in joint.columns if c in atom.index and not _missing(atom[c]) and c != "part"]
        match = np.ones(len(joint), dtype=bool)
        for c in own:
            match &= (joint[c].astype(object) == atom[c]).to_numpy()
        onto[j, len(rest) + np.flatnonzero(match)] = 1
    return r.rebase(target, atoms, counts, onto)


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _watch_joint_zeros(r: Release, b, variables: list[str], part) -> None:
    """On real data, every empty combination of the crosstabs' variables is watched: a zero
    the shown tables pin says of each person of the other cells' groups which they are in
    (attack 22: no woman without a notice worked for one of the employers)."""
    if not r.zeros_disclosive:
        return
    where = {"part": part} if part is not None else {}
    levels = b.atoms[b.atoms["part"] == part][variables] if part is not None else b.atoms[variables]
    for combo in levels.drop_duplicates().itertuples(index=False):
        key = "crosstab_zero|" + "|".join(f"{v}={x}" for v, x in zip(variables, combo))
        r.watch_zero(key, b, **where, **dict(zip(variables, combo)))


def protected_crosstab(r: Release, frame: pd.DataFrame, index: str, columns: str | None, name: str,
                       total: str = TOTAL, prior=None) -> pd.DataFrame | pd.Series:
    """Counts of persons by ``index`` (and ``columns``), with totals, released through ``r``
    (withheld cells ``<NA>``) and marked as made by the release. ``prior(keys)`` gives the
    cells among the new ``keys`` an earlier release showed (shown again, fixed, before the
    gate decides)."""
    return protected_crosstabs(r, frame, [(index, columns, name)], total, prior)[0]


def protected_crosstabs(r: Release, frame: pd.DataFrame, tables: Sequence[tuple[str, str | None, str]],
                        total: str = TOTAL, prior=None, allowed=None, latent=()) -> list[pd.DataFrame | pd.Series]:
    """Several crosstabs (``index``, ``columns``, ``name``) of one block over all their
    variables, released in the given order: tables that share persons and are published
    together (the same variable by the status at every published date, whose combinations
    ``allowed`` restricts: a final status never changes) are protected as the intruder
    combines them, through their joint table, not each through its own margins. ``latent``:
    variables of the joint table that no table shows (see :func:`_block`)."""
    variables = list(dict.fromkeys(v for index, columns, _ in tables for v in (index, columns) if v))
    block_name = f"X_{tables[0][2]}"
    b, domains = _block(r, block_name, frame, variables, allowed, latent)
    return [_released_table(r, b, domains, block_name, *t, total, prior) for t in tables]


def _released_table(r: Release, b, domains, block_name: str, index: str, columns: str | None, name: str,
                    total: str, prior) -> pd.DataFrame | pd.Series:
    """One crosstab's cells registered on block ``b`` and released."""
    part = {"part": block_name} if "part" in b.atoms.columns else {}
    rows = [*domains[index], total]  # the atoms' own values (a released yes/no is a bool), labelled as text
    cols = [*domains[columns], total] if columns else [total]
    keys = {}
    for i in rows:
        for j in cols:
            where = {**part, **({index: i} if i is not total else {}),
                     **({columns: j} if columns and j is not total else {})}
            keys[(str(i), str(j))] = r.cell(f"{name}|{i}|{j}", b, **where).key
    rows, cols = [str(i) for i in rows], [str(j) for j in cols]
    if prior is not None:
        r.prior(prior(list(keys.values())))
    shown = r.release(name, list(keys.values()))
    table = pd.DataFrame({j: [r.cells[keys[(i, j)]].value if shown[keys[(i, j)]] else pd.NA for i in rows]
                          for j in cols}, index=pd.Index(rows, name=index), dtype="Int64")
    table.columns.name = columns
    out = released.record_labels(released.mark(table[total].rename("aantal") if not columns else table))
    out.attrs["person_counts"] = True  # written with withheld cells as x, checked against the threshold
    return out
