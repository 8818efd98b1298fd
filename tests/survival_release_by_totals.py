"""CONTROL ONLY: notebook 04's curve release as it was before the curves were linked to the
statuses person by person (the four status groups, linked by their totals). Kept verbatim for
tests/test_survival_joint_release.py, which shows that the cells it published leak under the
exact linkage; the project never imports it. Its original docstring follows.

The release of notebook 04's curves, jointly with notebook 02's tables of the same file.

A Kaplan-Meier curve and its number-at-risk table publish counts of persons: per interval
of time since the origin, the events, competing exits and censored, and the number at risk
at its start. Its steps are first merged into intervals that meet the threshold on their own
(:func:`analysis.stats.survival_release.release_curves`). Those counts are then registered
as cells of the run's release (:class:`analysis.stats.output_gate.Release`), the one that
already released Figures 7-13 at every cut-off date of the invocation (the same decisions as
in notebook 02's runs), and released after them: the gate hides any curve cell that,
together with the figure tables, would pin a count of 1 to k-1 persons; a curve with a
withheld cell is withheld whole, as are the tests and estimates computed from it.

The intruder's programme gets one block ``T`` for the curves, merged with the figure blocks
it shares persons with (the equal margins are identities):

- ``triage`` (Figuur 10, block ``D``) and ``opleiding`` (Figuur 7, block ``A``), where a
  curve by that grouping is published (otherwise no curve cell involves them);
- the status at every jointly protected cut-off date, in four groups (work, education,
  a competing exit, anything else: what an outcome definition and a competing exit are made
  of) against the statuses of Figures 12-13 (block ``E``): the curves' events up to the
  follow-up end and Figuur 12 on that date count the same persons.

The atoms of ``T`` are every combination of the four status groups at each date with the
combinations of (triage, education, the interval and kind of exit of each curve family)
that occur. Restricting the latter to those that occur gives the intruder more than the
codebook does (a stronger intruder; only this notebook's cells can be hidden because of
it), and keeps the block small enough for files of a few dozen to a few hundred persons.
The curves are in time since each person's origin, which the outputs do not publish; the
statuses at the dates are therefore linked through their totals, not date by date.

Cox rows are a function of the joint table of triage x education x interval x kind of exit:
they are shown only when that whole table's cells are shown (registered as one more
table, released last).

On synthetic data nothing is gated here (the display guard is off and no ledger is kept);
the merged intervals alone protect the curves at ``min_cell_count``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.release.survival import span
from analysis.stats import survival, survival_release
from analysis.stats.survival_release import CurveRelease

KINDS = {survival.EVENT: "events", survival.COMPETING: "competing", survival.CENSORED: "censored"}
NONE = "none"  # no origin date: not in the curves of that origin
BLOCK = "T"


@dataclass
class SurvivalRelease:
    """What notebook 04 may publish: per origin the intervals (``curves``), which curves
    (origin, definition, curve name) and Cox models (origin, definition) are shown, and the
    output checker's record of the merging (``log``, never published)."""

    curves: dict[str, CurveRelease]
    shown: dict[tuple[str, str, str], bool] = field(default_factory=dict)
    cox_shown: dict[tuple[str, str], bool] = field(default_factory=dict)
    log: list[dict] = field(default_factory=list)
    release: object = None  # the joint Release (non-synthetic data only)

    def curve_shown(self, origin: str, definition: str, curve: str) -> bool:
        return self.shown.get((origin, definition, curve), True)

    def grouping_shown(self, origin: str, definition: str, grouping: str) -> bool:
        """Every level of ``grouping`` shown (a log-rank test needs them all)."""
        keys = [key for key in self.shown if key[:2] == (origin, definition) and key[2].startswith(grouping + "=")]
        return all(self.shown[key] for key in keys)  # none registered: synthetic data, nothing gated


def merged_curves(by_origin: Mapping[str, Mapping[str, pd.DataFrame]], groupings: Sequence[str], threshold: int,
                  forced: Sequence[float] = ()) -> dict[str, CurveRelease]:
    """The merged intervals of every origin: the first origin's curves, then each further
    origin's beside them (:func:`analysis.stats.survival_release.beside`)."""
    origins = list(by_origin)
    out = {}
    for origin, by_def in by_origin.items():
        rel = survival_release.release_curves(by_def, groupings, threshold, forced)
        if origin != origins[0]:
            first = by_origin[origins[0]]
            rel = survival_release.beside(rel, next(iter(first.values())), next(iter(by_def.values())), threshold,
                                          out[origins[0]].groupings)
        out[origin] = rel
    return out


def merging_log(curves: Mapping[str, CurveRelease], threshold: int, groupings: Sequence[str]) -> list[dict]:
    """The output checker's record of the merging (intervals, groupings, why withheld): it
    tells more than the curves do, so it goes to the checking bundle, never to the outputs."""
    out = []
    for origin, r in curves.items():
        rule = (f"{len(r.ends)} intervals; " + "; ".join(f"{g}: {len(r.by_grouping.get(g, []))} intervals"
                                                        for g in groupings)
                + f"; withheld groupings: {', '.join(r.withheld) or 'none'}; six months kept: "
                f"{bool(r.forced_kept.get(survival.SIX_MONTHS))}; {r.reason}")
        out.append({"output": f"time_to_work intervals ({origin})", "threshold": threshold, "cells": len(r.ends),
                    "primary_suppressed": 0, "secondary_suppressed": len(r.withheld), "shown": len(r.ends),
                    "rule": rule, "outcome": "pass"})
    return out


# --------------------------------------------------------------------------- the intruder's block
def status_groups(status: pd.Series) -> pd.Series:
    """A status in the four groups the curves are made of."""
    from analysis.pilot import outcomes

    work = set(outcomes.DEFINITIONS["work"])
    education = set(outcomes.DEFINITIONS["work_or_education"]) - work
    exits = set(survival.COMPETING_STATUSES)
    return status.map(lambda s: "work" if s in work else "education" if s in education
                      else "exit" if s in exits else "other").astype(object)


GROUPS = ("work", "education", "exit", "other")


def code_frame(frame: pd.DataFrame, ids: pd.Series, by_origin: Mapping[str, Mapping[str, pd.DataFrame]],
               curves: Mapping[str, CurveRelease], dates: Sequence[str]) -> pd.DataFrame:
    """One row per participant (``frame``: the release frame, ``ids`` their ``deelnemer_id``):
    the groupings some curve shows (``triage``, ``opleiding``; one no curve shows adds only
    structure), the status group at each date (``g_<date variable>``) and, per origin shown
    and definition, ``c_<origin>_<definition>``: ``<interval>:<kind>`` (the
    index of the overall interval holding the person's time, and 1 event, 2 competing, 0
    censored) or ``none``."""
    from analysis.pilot.tables import status_var

    shown = sorted({g for rel in curves.values() for g in rel.by_grouping})  # a grouping no curve shows: left out
    out = pd.DataFrame({g: frame[g].astype(str).to_numpy() for g in shown}, index=ids.to_numpy())
    for date in dates:
        out[f"g_{status_var(date)}"] = status_groups(frame[status_var(date)]).to_numpy()
    for origin, by_def in by_origin.items():
        ends = np.asarray(curves[origin].ends, dtype=float)
        if not len(ends):
            continue
        for definition, d in by_def.items():
            j = np.searchsorted(ends, d["time"].to_numpy(dtype=float), side="left")
            code = pd.Series([f"{a}:{b}" for a, b in zip(j, d["status"].astype(int))], index=d["deelnemer_id"])
            out[f"c_{origin}_{definition}"] = code.reindex(out.index).fillna(NONE).to_numpy()
    return out


MAX_ATOMS = 4000  # the intruder's programme stays solvable in seconds (dense matrices of atoms x atoms)


def block_size(codes: pd.DataFrame) -> int:
    """The number of atoms :func:`curve_block` makes of ``codes``."""
    groups = [c for c in codes.columns if c.startswith("g_")]
    rest = [c for c in codes.columns if c not in groups]
    return len(codes[rest].drop_duplicates()) * len(GROUPS) ** len(groups)


def curve_block(r, codes: pd.DataFrame):
    """Block ``T`` (see the module docstring) merged into the run's release with the blocks
    ``A``, ``D`` and ``E`` of the figure tables."""
    from analysis.stats.output_gate import Block

    group_cols = [c for c in codes.columns if c.startswith("g_")]
    other = [c for c in codes.columns if c not in group_cols]
    observed = codes[other].drop_duplicates().sort_values(other).reset_index(drop=True)
    grid = pd.DataFrame(list(pd.MultiIndex.from_product([GROUPS] * len(group_cols)).to_flat_index()),
                        columns=group_cols) if group_cols else pd.DataFrame(index=[0])
    atoms = observed.merge(grid, how="cross")[list(codes.columns)]
    counts = codes.groupby(list(codes.columns)).size()
    true = counts.reindex(pd.MultiIndex.from_frame(atoms), fill_value=0).to_numpy(dtype=int)
    t = Block(BLOCK, atoms, true)
    t.identities.append((np.ones(len(atoms)), int(true.sum())))
    r.blocks[BLOCK] = t
    r.zero_exempt = (*r.zero_exempt, f"{BLOCK}|")  # an interval without exits is no person's fact
    equal = []
    for var, name in (("triage", "D"), ("opleiding", "A")):
        if var in codes.columns and name in r.blocks and var in r.blocks[name].atoms.columns:
            for level in pd.unique(r.blocks[name].atoms[var].dropna()):
                equal.append((r.blocks[name], {var: level}, t, {var: str(level)}))
    e = r.blocks.get("E")
    for g in group_cols if e is not None else []:
        var = g[2:]
        if var not in e.atoms.columns:
            continue
        levels = pd.Series(pd.unique(e.atoms[var].dropna()))
        grouped = status_groups(levels)
        for group in GROUPS:
            members = list(levels[(grouped == group).to_numpy()])
            where = {"part": "status", var: members} if "part" in e.atoms.columns else {var: members}
            equal.append((e, where, t, {g: group}))
    parts = [t, *[r.blocks[n] for n in ("A", "D", "E") if n in r.blocks]]
    return r.merge("TE", parts, equal)


def _intervals(overall: Sequence[float], ends: Sequence[float]) -> list[list[int]]:
    """The overall interval indexes each interval of ``ends`` (a subset) covers."""
    idx = [int(np.searchsorted(overall, e)) for e in ends]
    return [list(range(a + 1, b + 1)) for a, b in zip([-1, *idx[:-1]], idx)]


def register_curves(r, block, codes: pd.DataFrame, by_origin, curves: Mapping[str, CurveRelease]
                    ) -> dict[tuple[str, str, str], list[str]]:
    """Register every published count of every curve as a cell of ``block``: per interval
    the events, competing exits, censored and the number at risk at its start. Returns the
    cell keys of each curve (origin, definition, curve name)."""
    out = {}
    for origin, by_def in by_origin.items():
        rel = curves[origin]
        if not rel.ends:
            continue
        for definition, d in by_def.items():
            var = f"c_{origin}_{definition}"
            people = codes.loc[d["deelnemer_id"].to_numpy()]
            selections = {"all": (rel.ends, {})}
            for g, ends in rel.by_grouping.items():
                for level in sorted(d[g].astype(str).unique()):
                    coded = sorted(set(people.loc[(d[g].astype(str) == level).to_numpy(), g]))
                    selections[f"{g}={level}"] = (ends, {g: coded})
            n_all = len(rel.ends)
            for name, (ends, where) in selections.items():
                keys = []
                for i, covered in enumerate(_intervals(rel.ends, ends)):
                    base = f"T|{origin}|{definition}|{name}|{span(ends, i)}"
                    for kind, what in KINDS.items():
                        keys.append(r.cell(f"{base}|{what}", block, part=BLOCK, **where,
                                           **{var: [f"{j}:{kind}" for j in covered]}).key)
                    later = [f"{j}:{kind}" for j in range(covered[0], n_all) for kind in KINDS]
                    keys.append(r.cell(f"{base}|n_risk", block, part=BLOCK, **where, **{var: later}).key)
                out[(origin, definition, name)] = keys
    return out


def register_cox(r, block, codes: pd.DataFrame, by_origin, curves: Mapping[str, CurveRelease],
                 groupings: Sequence[str]) -> dict[tuple[str, str], list[str]]:
    """The cells a Cox model of ``groupings`` on their common ends is a function of: the
    joint table of the groupings' levels by interval and kind of exit."""
    out = {}
    for origin, by_def in by_origin.items():
        rel = curves[origin]
        shown = [g for g in groupings if g in rel.by_grouping]
        if not shown:
            continue
        ends = survival_release.common_ends(rel, shown)
        for definition, d in by_def.items():
            var = f"c_{origin}_{definition}"
            people = codes.loc[d["deelnemer_id"].to_numpy()]
            levels = people[shown].drop_duplicates().sort_values(shown)
            keys = []
            for combo in levels.itertuples(index=False):
                where = dict(zip(shown, combo))
                for i, covered in enumerate(_intervals(rel.ends, ends)):
                    for kind, what in KINDS.items():
                        label = "|".join(f"{g}={v}" for g, v in where.items())
                        keys.append(r.cell(f"T|cox|{origin}|{definition}|{label}|{span(ends, i)}|{what}", block,
                                           part=BLOCK, **where, **{var: [f"{j}:{kind}" for j in covered]}).key)
            out[(origin, definition)] = keys
    return out


def release(run, by_origin: Mapping[str, Mapping[str, pd.DataFrame]], groupings: Sequence[str],
            forced: Sequence[float] = (), prior: Mapping[str, int] | None = None) -> SurvivalRelease:
    """Notebook 04's release (see the module docstring): on synthetic data the merged
    intervals; otherwise the curves released after the figure tables of the run's release
    (``run.release``), with ``prior`` cells of earlier releases of the file shown first."""
    k = run.threshold
    curves = merged_curves(by_origin, groupings, k, forced)
    out = SurvivalRelease(curves, log=merging_log(curves, k, groupings))
    if run.synthetic:
        return out
    r = run.release
    frame, ids = run.release_frame(), run.participants["deelnemer_id"]
    codes = code_frame(frame, ids, by_origin, curves, run.cutoffs)
    if block_size(codes) > MAX_ATOMS:  # the groupings' curves withheld rather than a programme too large to solve
        curves = {o: CurveRelease(c.ends, [], list(dict.fromkeys([*c.groupings, *c.withheld])), c.forced_kept,
                                  c.reason, {}) for o, c in curves.items()}
        out.curves = curves
        out.log.append({"output": "time_to_work groupings", "threshold": k, "cells": 0, "primary_suppressed": 0,
                        "secondary_suppressed": 0, "shown": 0, "outcome": "pass",
                        "rule": f"curves by group withheld: their block would exceed {MAX_ATOMS} atoms"})
        codes = code_frame(frame, ids, by_origin, curves, run.cutoffs)
    block = curve_block(r, codes)
    cells = register_curves(r, block, codes, by_origin, curves)
    cox = register_cox(r, block, codes, by_origin, curves, groupings)
    r.prior(prior or {})
    r.prepare([k for keys in cells.values() for k in keys])
    for (origin, definition, name), keys in cells.items():
        out.shown[(origin, definition, name)] = _whole(r, f"time_to_work curve {origin} {definition} {name}", keys)
    for key, keys in cox.items():
        out.cox_shown[key] = _whole(r, f"time_to_work cox {' '.join(key)}", keys)
    out.release = r
    return out


def _whole(r, table: str, keys: Sequence[str]) -> bool:
    """Release the cells of one curve (or model): shown only all together. A curve missing
    a cell is withheld whole, so the cells the gate would have let through are hidden again
    (hiding removes equations: it never pins a count) and the ledger records only what was
    published."""
    decided = r.release(table, keys)
    if all(decided.values()):
        return True
    for key in keys:
        r.cells[key].shown = False
    return False


def withheld_rows(table: pd.DataFrame, hide: pd.Series, keep: Sequence[str]) -> pd.DataFrame:
    """``table`` with the rows of ``hide`` emptied but for ``keep`` and the neutral note."""
    from analysis.stats.output_gate import WITHHELD_NOTE

    out = table.copy()
    hidden = hide.to_numpy(dtype=bool)
    for col in [c for c in out.columns if c not in keep and c != "note"]:
        numeric = pd.api.types.is_numeric_dtype(out[col]) and not pd.api.types.is_bool_dtype(out[col])
        out[col] = out[col].where(~hidden, np.nan) if numeric else out[col].astype(object).where(~hidden, None)
    note = out["note"] if "note" in out.columns else pd.Series("", index=out.index)
    out["note"] = note.astype(object).where(~hidden, WITHHELD_NOTE)
    return out


# --------------------------------------------------------------------------- what the page publishes
def published_tables(rel: SurvivalRelease, by_origin: Mapping[str, Mapping[str, pd.DataFrame]]
                     ) -> dict[str, pd.DataFrame]:
    """The curves (``curves``), the estimates at six months (``six_months``), the log-rank
    tests (``logrank``) and the Cox rows (``cox``) of ``rel``, computed on the published
    intervals only; a withheld curve has no row (nor its estimate, nor its grouping's test);
    marked as made by the release."""
    from analysis.stats import released

    curves, six, tests, cox_rows = [], [], [], []
    for origin, by_def in by_origin.items():
        r = rel.curves[origin]
        for definition, d in (by_def.items() if r.ends else []):
            c = survival_release.released_curves(d, r).assign(origin=origin, definition=definition)
            # a withheld curve is left out whole: even its interval ends are a function of its steps
            c = c[c["curve"].map(lambda n, o=origin, df=definition: rel.curve_shown(o, df, n)).to_numpy(bool)]
            if c.empty:
                continue
            curves.append(c)
            six.append(survival.six_month_rows(c).assign(origin=origin, definition=definition))
            shown = [g for g in r.groupings if rel.grouping_shown(origin, definition, g)]
            tests += [{**survival.logrank(survival.coarsen(d, r.by_grouping[g]), g), "origin": origin,
                       "definition": definition} for g in shown]
            if r.groupings and rel.cox_shown.get((origin, definition), True):
                coarse = survival.coarsen(d, survival_release.common_ends(r, r.groupings))
                rows = coarse[coarse["triage"] != "geen"] if "triage" in r.groupings else coarse
                cox_rows.append(survival.cox(rows, r.groupings).assign(origin=origin, definition=definition))
    out = {"curves": pd.concat(curves, ignore_index=True) if curves else pd.DataFrame(),
           "six_months": pd.concat(six, ignore_index=True) if six else pd.DataFrame(),
           "logrank": survival.with_p_bounds(pd.DataFrame(tests)) if tests else pd.DataFrame(),
           "cox": survival.with_p_bounds(pd.concat(cox_rows, ignore_index=True)) if cox_rows else pd.DataFrame()}
    return {name: released.mark(table) for name, table in out.items()}


def gated_cox(table: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Cox rows whose group has fewer than ``threshold`` persons withheld, with the neutral
    note (the reason goes nowhere public: it would tell a count)."""
    from analysis.stats import released

    if table.empty:
        return table
    small = pd.to_numeric(table["group_n"], errors="coerce").fillna(0) < threshold
    return released.mark(withheld_rows(table, small, keep=survival_release.IDENTITY))
