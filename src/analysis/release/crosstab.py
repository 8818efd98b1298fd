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

from collections.abc import Sequence

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


def _linked(r: Release, variables: Sequence[str]) -> list[tuple[str, list[str]]]:
    """Existing blocks sharing a variable with ``variables``: (block name, shared variables)."""
    out = []
    for name, b in r.blocks.items():
        shared = [v for v in variables if v in b.atoms.columns]
        if shared:
            out.append((name, shared))
    return out


def _block(r: Release, name: str, frame: pd.DataFrame, variables: Sequence[str], allowed=None):
    """The crosstab's block, merged with every block it shares a variable with; ``allowed``
    drops the combinations the codebook excludes (see :meth:`Release.block`)."""
    links = _linked(r, variables)
    known = {v: list(pd.unique(r.blocks[b].atoms[v].dropna())) for b, shared in links for v in shared}
    domains = {v: known.get(v) or domain(frame[v]) for v in variables}  # a released variable keeps its codebook
    data = frame[list(variables)].astype(object).apply(lambda c: c.astype(str))
    b = r.block(name, data, {v: [str(x) for x in d] for v, d in domains.items()}, allowed=allowed)
    for other, shared in links:
        old = r.blocks[other]
        levels = old.atoms[shared].dropna().drop_duplicates()
        equal = [(old, dict(zip(shared, map(str, row))), b, dict(zip(shared, map(str, row))))
                 for row in levels.itertuples(index=False)]
        if len(shared) > 1 and levels.empty:  # the variables live in different parts of a merged block
            equal = [(old, {v: str(x)}, b, {v: str(x)}) for v in shared for x in pd.unique(old.atoms[v].dropna())]
        b = r.merge(other, [old, b], equal)
    return b, domains


def protected_crosstab(r: Release, frame: pd.DataFrame, index: str, columns: str | None, name: str,
                       total: str = TOTAL, prior=None) -> pd.DataFrame | pd.Series:
    """Counts of persons by ``index`` (and ``columns``), with totals, released through ``r``
    (withheld cells ``<NA>``) and marked as made by the release. ``prior(keys)`` gives the
    cells among the new ``keys`` an earlier release showed (shown again, fixed, before the
    gate decides)."""
    return protected_crosstabs(r, frame, [(index, columns, name)], total, prior)[0]


def protected_crosstabs(r: Release, frame: pd.DataFrame, tables: Sequence[tuple[str, str | None, str]],
                        total: str = TOTAL, prior=None, allowed=None) -> list[pd.DataFrame | pd.Series]:
    """Several crosstabs (``index``, ``columns``, ``name``) of one block over all their
    variables, released in the given order: tables that share persons and are published
    together (the same variable by the status at every published date, whose combinations
    ``allowed`` restricts: a final status never changes) are protected as the intruder
    combines them, through their joint table, not each through its own margins."""
    variables = list(dict.fromkeys(v for index, columns, _ in tables for v in (index, columns) if v))
    block_name = f"X_{tables[0][2]}"
    b, domains = _block(r, block_name, frame, variables, allowed)
    return [_released_table(r, b, domains, block_name, *t, total, prior) for t in tables]


def _released_table(r: Release, b, domains, block_name: str, index: str, columns: str | None, name: str,
                    total: str, prior) -> pd.DataFrame | pd.Series:
    """One crosstab's cells registered on block ``b`` and released."""
    part = {"part": block_name} if "part" in b.atoms.columns else {}
    rows = [*map(str, domains[index]), total]
    cols = [*map(str, domains[columns]), total] if columns else [total]
    keys = {}
    for i in rows:
        for j in cols:
            where = {**part, **({index: i} if i != total else {}), **({columns: j} if columns and j != total else {})}
            keys[(i, j)] = r.cell(f"{name}|{i}|{j}", b, **where).key
    if prior is not None:
        r.prior(prior(list(keys.values())))
    shown = r.release(name, list(keys.values()))
    table = pd.DataFrame({j: [r.cells[keys[(i, j)]].value if shown[keys[(i, j)]] else pd.NA for i in rows]
                          for j in cols}, index=pd.Index(rows, name=index), dtype="Int64")
    table.columns.name = columns
    out = released.record_labels(released.mark(table[total].rename("aantal") if not columns else table))
    out.attrs["person_counts"] = True  # written with withheld cells as x, checked against the threshold
    return out
