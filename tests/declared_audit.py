"""The intruder audit of every declared exhibit, built from the study's exhibit declaration
and the published files alone: no exhibit is named here, so an exhibit added to the
declaration (a ``crosstab`` figure, or a ``cells`` table that says what it ``counts``) is
attacked without editing the audit.

Written independently of the gate (``analysis.stats.output_gate``) and of the release's
blocks: the intruder knows the codebook (the levels of each variable, and that between the
two snapshot dates a status changes only from a mover status into work), the population
size, and every number the declared exhibits publish from one file, at every cut-off date
published with it. A published table is persons by the release variables its declaration
names (``Exhibit.variables``; ``status`` is the status on that run's cut-off date), so
tables that share a variable (Figuur 12 and a new table by status; every run's table by a
date-free variable) form one family; each family is an integer programme over the joint
counts of its variables, with every shown cell, row and column total and grand total as an
equality (the intruder's :class:`~tests.test_intruder_audit.Programme`). A count of 1 to
k-1 persons is unprotected when no solution gives it k or more: every published cell and
total outright, and every joint class of a family that holds an added table (a ``crosstab``
exhibit) where the report's own tables alone (the ``cells`` exhibits, printed in the
report where the study has one) still let it reach k: an added table may pin nothing that
they do not. What the report's tables pin together with the report's facts is the
hand-written model's part (tests/test_intruder_audit.py), which also attacks the exhibits
that declare no variables (Figuur 11, several services per person; Figuur 13, sector among
those in work).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.pilot import schema as ps, tables as pt
from tests.read_download import read_counts
from tests.test_intruder_audit import Programme

UNKNOWN = "onbekend"


@dataclass(frozen=True)
class Shown:
    """One published table of a declared exhibit: persons by ``variables`` (each a
    (name, cut-off date or None) pair), as the published CSV writes it (withheld: NA);
    ``added``: a crosstab of the release, not one of the report's own tables (``cells``)."""

    exhibit: str
    cutoff: str
    variables: tuple[tuple[str, str | None], ...]
    table: pd.DataFrame | pd.Series
    total: str
    added: bool


@dataclass
class Family:
    variables: list = field(default_factory=list)
    tables: list = field(default_factory=list)


def read_published(path: Path, codes=()) -> pd.DataFrame | pd.Series:
    """A published person-count table by code (the file is in its run's language, its codes in a
    ``(code)`` column and its headers the labels of ``codes``: tests/read_download.py): ``x``
    (withheld) is NA; a table with one count column is a Series."""
    raw = read_counts(path, codes)
    counts = raw.apply(lambda c: pd.to_numeric(c.where(c != "x"), errors="raise")).astype("Int64")
    return counts.iloc[:, 0] if counts.shape[1] == 1 else counts


def declared_tables(exhibits, notebook: str, published: dict[str, dict[str, Path]], study=None) -> list[Shown]:
    """The published tables of ``notebook``'s declared exhibits that say what they count:
    ``published`` maps a cut-off date to {exhibit output: its published CSV}. A column's header is
    read as the code of ``study``'s codebook (its statuses) or the label catalogue's that it labels."""
    statuses = tuple((study or ps.STUDY).statuses)
    out = []
    for cutoff, files in sorted(published.items()):
        for e in exhibits.of(notebook):
            if e.variables and e.output in files:
                variables = tuple((v, cutoff if v == "status" else None) for v in e.variables)
                out.append(Shown(e.name, cutoff, variables, read_published(files[e.output], (e.total, *statuses)),
                                 e.total,
                                 added=bool(e.crosstab)))
    return out


def truth_of(df: pd.DataFrame, variable: tuple[str, str | None]) -> pd.Series:
    """Each person's level of a release variable, by the codebook (the intruder's reading)."""
    name, cutoff = variable
    if name == "status":
        return df["status_" + cutoff.replace("-", "")].astype(object)
    if name == "opleiding":
        values = df["opleidingsniveau"]
    elif name == "leeftijd":
        values = pd.cut(df["leeftijd"].astype(float), pt.AGE_BINS, labels=pt.AGE_LABELS)
    elif name == "dienstjaren":
        values = pd.cut(df["dienstjaren"].astype(float), pt.TENURE_BINS, labels=pt.TENURE_LABELS)
    elif name == "triage":
        return ("triage_" + df["triage"].astype("Int64").astype("string")).fillna("geen_triage").astype(object)
    else:
        values = df[name]
    return values.astype(object).where(values.notna(), UNKNOWN).astype(str)


def families(tables: list[Shown]) -> list[Family]:
    """Tables joined by a shared variable (union-find over their variables)."""
    parent: dict = {}

    def root(v):
        while parent.setdefault(v, v) != v:
            v = parent[v]
        return v

    for t in tables:
        for v in t.variables[1:]:
            parent[root(v)] = root(t.variables[0])
        root(t.variables[0])
    out: dict = {}
    for t in tables:
        fam = out.setdefault(root(t.variables[0]), Family())
        fam.tables.append(t)
        fam.variables += [v for v in t.variables if v not in fam.variables]
    return list(out.values())


def _labels(table) -> tuple[list, list]:
    rows = [str(i) for i in table.index]
    cols = [str(c) for c in table.columns] if isinstance(table, pd.DataFrame) else []
    return rows, cols


def _codebook_allows(variables: list, study) -> callable:
    """The codebook's rule between the two snapshot dates: a status changes only from a
    mover status (in progress, education) into work."""
    dates = [i for i, (name, cutoff) in enumerate(variables) if name == "status" and cutoff in study.snapshots]
    if len(dates) < 2:
        return lambda atom: True
    first, second = sorted(dates, key=lambda i: variables[i][1])[:2]
    movers, work = set(study.mover_statuses), set(study.work_statuses)
    return lambda a: a[first] == a[second] or (a[first] in movers and a[second] in work)


def attack_family(df: pd.DataFrame, fam: Family, k: int, study) -> tuple[list[str], int]:
    """Every unprotected count of one family, and the number of its joint classes."""
    truth = pd.DataFrame({i: truth_of(df, v).to_numpy() for i, v in enumerate(fam.variables)})
    domains = []
    for i, v in enumerate(fam.variables):
        levels = set(truth[i])
        for t in fam.tables:
            if v in t.variables:
                rows, cols = _labels(t.table)
                levels |= set((rows, cols)[t.variables.index(v)]) - {t.total}
        domains.append(sorted(levels))
    allowed = _codebook_allows(fam.variables, study)
    atoms = [a for a in itertools.product(*domains) if allowed(a)]
    index = {a: i for i, a in enumerate(atoms)}
    counts = np.zeros(len(atoms))
    for key in truth.itertuples(index=False):
        counts[index[tuple(key)]] += 1  # a KeyError here: a person outside the codebook's rule
    p = Programme(atoms, counts)
    p.eq(np.ones(len(atoms)), len(df))  # the population size: known
    targets, before = {}, None
    for t in sorted(fam.tables, key=lambda t: t.added):  # the report's own tables first
        if t.added and before is None:
            before = p.copy()
        pos = [fam.variables.index(v) for v in t.variables]
        rows, cols = _labels(t.table)
        cells = [((r,), t.table.iloc[i]) for i, r in enumerate(rows)] if not cols else \
            [((r, c), t.table.iloc[i, j]) for i, r in enumerate(rows) for j, c in enumerate(cols)]
        for labels, value in cells:
            row = p.sel(lambda a, labels=labels, pos=pos, total=t.total:
                        all(lab == total or a[q] == lab for q, lab in zip(pos, labels)))
            targets[f"{t.exhibit}@{t.cutoff}:{'/'.join(labels)}"] = row
            if not pd.isna(value):
                p.eq(row, float(value))
    leaks = p.unprotected(targets, k)  # every published cell, outright
    if before is not None:  # the joint classes, against what the report's own tables already pin
        names = "x".join(f"{n}@{c}" if c else n for n, c in fam.variables)
        classes = {f"{names} class {a}": np.eye(len(atoms))[i] for i, a in enumerate(atoms)}
        leaks += p.unprotected(classes, k, before)
    return leaks, len(atoms)


def attack_declared(df: pd.DataFrame, exhibits, notebook: str, published: dict[str, dict[str, Path]], k: int,
                    study=None) -> tuple[list[str], list[str]]:
    """(unprotected counts, exhibits attacked) of the declared exhibits of ``notebook``
    published from ``df`` (with a status column for every published cut-off date)."""
    study = study or ps.STUDY
    tables = declared_tables(exhibits, notebook, published, study)
    leaks = []
    for fam in families(tables):
        found, _ = attack_family(df, fam, k, study)
        leaks += found
    return leaks, sorted({t.exhibit for t in tables})
