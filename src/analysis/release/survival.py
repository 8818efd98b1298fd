"""The release of notebook 04's curves, jointly with notebook 02's tables of the same file.

A Kaplan-Meier curve and its number-at-risk table publish counts of persons: per interval
of time since the origin, the events, competing exits and censored, and the number at risk
at its start. Its steps are first merged into intervals that meet the threshold on their own
(:func:`analysis.stats.survival_release.release_curves`). Those counts are then registered
as cells of the run's release (:class:`analysis.stats.output_gate.Release`), the one that
already released Figures 7-13 at every cut-off date of the invocation (the same decisions as
in notebook 02's runs), and released after them: the gate hides any curve cell that,
together with the figure tables, would pin a count of 1 to k-1 persons; a curve with a
withheld cell is withheld whole, as are the tests and estimates computed from it.

The intruder's programme links the curves to the figure tables person by person, not by
totals (the fourth independent intruder recovered who stopped from the curves' competing
exits and Figuur 12 when they were linked only by the totals of four status groups; the
control is in tests/test_survival_joint_release.py). Every person is one combination of
(the groupings shown, the status at every jointly protected date, the kind of exit under
each definition, the interval of each curve); the blocks hold exactly the combinations the
codebook allows, and are linked along a junction tree, so that the linked blocks admit the
same person-level tables as one block of all these variables would:

- the hub ``T``: triage and education levels (Figures 10 and 7) x the status combinations
  the status block allows (Figures 12-13) x a kind of exit per definition, where the kinds
  agree with the statuses (:func:`allowed_kinds`: outcomes and competing exits are final
  statuses, so on the follow-up end the status says the kind of ``work`` exactly, and
  limits that of ``work_or_education``), whether each exit came on or before the first
  snapshot date (the status then says so where nothing reached can be left), an event of a
  narrower definition is one of a wider, and those who never started have no triage.
  Linked to block ``E`` per
  combination of statuses, to Figuur 10 per triage level and Figuur 7 per education level.
- per origin ``T_<origin>``: each hub atom x the coarse interval of each definition (the
  union of the groupings' interval ends, on which the curves by group and the Cox cells are
  counted), linked to the hub atom by atom;
- per origin ``T_<origin>_fine``: the kinds (and whether the person started) x the overall
  interval of each definition, with the coarse interval it lies in, linked to ``T_<origin>``
  per kinds and coarse intervals. The overall curves are counted here.

In both interval blocks a wider definition's interval is no later than a narrower's, and
the same where both end alike (censored, or one competing exit); no start date exactly for
those who never started; and each interval lies within the days an exit of its kind can
lie at, given the codebook's window of origin dates (censored: the follow-up end; an exit
on or before the first snapshot date, or after it). Beyond these, statuses and groupings
say nothing about the time since a person's origin (the outputs publish no origin dates),
so the intervals need no more links. A file
whose persons fall outside these combinations (it breaks the codebook) publishes no curve.

The curves from the start and from inflow are one person's times shifted by an unpublished
amount: their intervals are linked person by person (inflow time no earlier), which the
blocks do not hold. So one origin only is published: the origins are tried in order, each on
a copy of the figure tables' release, and the first that publishes a curve is kept; where
its blocks exceed :data:`MAX_ATOMS`, it is tried with coarser intervals or without the
curves by group (:data:`ATTEMPTS`).

Cox rows are a function of the joint table of triage x education x interval x kind of exit:
they are shown only when that whole table's cells are shown (registered as one more
table, released last).

On synthetic data nothing is gated here (the display guard is off and no ledger is kept);
the merged intervals alone protect the curves at ``min_cell_count``.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.pilot import outcomes, schema as ps
from analysis.pilot.tables import status_var
from analysis.stats import released, survival, survival_release
from analysis.stats.output_gate import WITHHELD_NOTE, Block
from analysis.stats.survival_release import CurveRelease

KINDS = {survival.EVENT: "events", survival.COMPETING: "competing", survival.CENSORED: "censored"}
NONE = "none"  # no origin date: not in the curves of that origin
BLOCK = "T"
WHOLE = "W"  # prefix of a curve's totals over its whole follow-up (:func:`_totals`): their zeros are protected


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


WEEK = 7.0  # days between the candidate interval ends of a curve on real data


def public_grid(origin: str, follow_up_end: str, forced: Sequence[float] = ()) -> list[float] | None:
    """Candidate interval ends that are no person's time (real data): every week since the
    origin, the ``forced`` ends, and last the longest follow-up the codebook allows (the
    follow-up end less the first possible origin date). An end at a person's own time said
    that someone had an exit, or was still searching at the follow-up end, exactly that many
    days after the origin (intruder round 12: the last end, 221 days, was the one person who
    started on 7 September 2020)."""
    window = origin_window(origin)
    if window is None:
        return None
    last = float((pd.Timestamp(follow_up_end) - window[0]).days)
    return sorted({*np.arange(WEEK, last, WEEK).tolist(), *(f for f in forced if 0 < f < last), last})


def merged_curves(by_origin: Mapping[str, Mapping[str, pd.DataFrame]], groupings: Sequence[str], threshold: int,
                  forced: Sequence[float] = (), one_way_tails: bool = False,
                  follow_up_end: str | None = None) -> dict[str, CurveRelease]:
    """The merged intervals of every origin: the first origin's curves, then each further
    origin's beside them (:func:`analysis.stats.survival_release.beside`). On real data
    (``one_way_tails``: no curve ends in an interval whose exits are all of one kind;
    ``follow_up_end``: the interval ends lie on :func:`public_grid`)."""
    origins = list(by_origin)
    out = {}
    for origin, by_def in by_origin.items():
        grid = public_grid(origin, follow_up_end, forced) if follow_up_end else None
        rel = survival_release.release_curves(by_def, groupings, threshold, forced, grid[-1] if grid else None,
                                              one_way_tails, grid)
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
def code_frame(frame: pd.DataFrame, people: pd.DataFrame, by_origin: Mapping[str, Mapping[str, pd.DataFrame]],
               curves: Mapping[str, CurveRelease], dates: Sequence[str]) -> pd.DataFrame:
    """One row per participant (``frame``: the release frame of ``people``, the participants):
    the groupings some curve shows (``triage``, ``opleiding``; one no curve shows adds only
    structure), the status at each date under the status block's own variable
    (:func:`analysis.pilot.tables.status_var`), ``gestart`` (not among those who never
    started), per definition the kind of exit ``k_<definition>`` (1 event, 2 competing, 0
    censored: the same from every origin), ``f_<definition>``: whether that exit came on or
    before the first snapshot date (``before``, ``after``; ``none`` when censored) and, per
    origin with curves and definition,
    ``c_<origin>_<definition>``: ``<interval>:<kind>`` (the index of the overall interval
    holding the person's time) and ``q_<origin>_<definition>``: the same on the coarse
    intervals (:func:`coarse_ends`), or ``none``."""
    ids = people["deelnemer_id"]
    shown = sorted({g for rel in curves.values() for g in rel.by_grouping})  # a grouping no curve shows: left out
    out = pd.DataFrame({g: frame[g].astype(str).to_numpy() for g in shown}, index=ids.to_numpy())
    for date in dates:
        out[status_var(date)] = frame[status_var(date)].astype(object).to_numpy()
    out["gestart"] = frame["gestart"].astype(bool).to_numpy()
    for definition in dict.fromkeys(d for by_def in by_origin.values() for d in by_def):
        kind = pd.concat([by_def[definition].set_index("deelnemer_id")["status"] for by_def in by_origin.values()
                          if definition in by_def])
        kind = kind[~kind.index.duplicated()].astype(int).astype(str)
        out[f"k_{definition}"] = kind.reindex(out.index).fillna(NONE).to_numpy()
        when = pd.concat([_exit_dates(by_def[definition], people, origin) for origin, by_def in by_origin.items()
                          if definition in by_def])
        when = when[~when.index.duplicated()].reindex(out.index)
        before = (when <= pd.Timestamp(ps.CUTOFF_DATES[0])).to_numpy()
        exited = out[f"k_{definition}"].isin([str(survival.EVENT), str(survival.COMPETING)]).to_numpy()
        out[f"f_{definition}"] = np.where(~exited, NONE, np.where(before, "before", "after"))
    for origin, rel in curves.items():
        by_def = by_origin[origin]
        if not rel.ends:
            continue
        fine, coarse = np.asarray(rel.ends, dtype=float), np.asarray(coarse_ends(rel), dtype=float)
        for definition, d in by_def.items():
            t, kind = d["time"].to_numpy(dtype=float), d["status"].astype(int).to_numpy()
            for var, ends in ((f"c_{origin}_{definition}", fine), (f"q_{origin}_{definition}", coarse)):
                j = np.searchsorted(ends, t, side="left")
                code = pd.Series([f"{a}:{b}" for a, b in zip(j, kind)], index=d["deelnemer_id"])
                out[var] = code.reindex(out.index).fillna(NONE).to_numpy()
    return out


def _exit_dates(d: pd.DataFrame, people: pd.DataFrame, origin: str) -> pd.Series:
    """The date of each person's exit in ``d`` (durations from ``origin``): origin + time."""
    start = pd.to_datetime(people.set_index("deelnemer_id")[survival.ORIGINS[origin]])
    at = start.reindex(d["deelnemer_id"]).to_numpy()
    return pd.Series(at + pd.to_timedelta(d["time"].to_numpy(dtype=float), unit="D"), index=d["deelnemer_id"])


def coarse_ends(rel: CurveRelease) -> list[float]:
    """The ends every grouping's intervals are made of (their union; the last overall end
    closes the last): the curves by group and the Cox cells are sums over these."""
    return sorted({*(e for ends in rel.by_grouping.values() for e in ends), rel.ends[-1]})


def allowed_kinds(definition: str, status: str, at_end: bool) -> set[int]:
    """The kinds of exit (1 event, 2 competing, 0 censored) a person of ``status`` on a date
    up to the follow-up end (``at_end``: on it) can have in the curves of ``definition``,
    by the codebook: a final status never changes (:func:`analysis.pilot.history.may_follow`),
    the curves count the first outcome status, or the first competing exit before it."""
    outcome, exits, final = set(outcomes.DEFINITIONS[definition]), set(survival.COMPETING_STATUSES), set(
        ps.FINAL_STATUSES)
    exits_final, outcome_final = exits <= final, outcome <= final
    if status in outcome:  # the outcome reached; an exit before it would have stayed
        return {survival.EVENT} if exits_final and not (exits & outcome) else {survival.EVENT, survival.COMPETING}
    if status in exits:  # an exit reached; an outcome before it would have stayed
        return {survival.COMPETING} if outcome_final and status in final else {survival.EVENT, survival.COMPETING}
    if at_end and exits_final:  # neither on the follow-up end: no exit yet; an outcome only if it could be left
        return {survival.CENSORED} if outcome_final else {survival.CENSORED, survival.EVENT}
    return {survival.CENSORED, survival.EVENT, survival.COMPETING}


def _nested(definitions: Sequence[str]) -> list[tuple[str, str]]:
    """Pairs (narrow, wide) of definitions whose outcome statuses are nested: the wide one's
    first outcome comes no later than the narrow one's."""
    sets = {d: set(outcomes.DEFINITIONS[d]) for d in definitions}
    return [(a, b) for a in definitions for b in definitions if a != b and sets[a] < sets[b]]


def hub_consistent(atoms: pd.DataFrame, definitions: Sequence[str], dates: Sequence[str],
                   follow_up_end: str) -> np.ndarray:
    """Which combinations of statuses, groupings and kinds of exit the codebook allows: each
    kind agrees with the statuses on the dates up to the follow-up end (:func:`allowed_kinds`);
    an event of a narrower definition is one of a wider; those who never started have no
    triage."""
    ok = np.ones(len(atoms), dtype=bool)
    end = pd.Timestamp(follow_up_end)
    for definition in definitions:
        kind = atoms[f"k_{definition}"].astype(str)
        for date in (d for d in dates if pd.Timestamp(d) <= end):
            var = status_var(date)
            table = {s: {str(k) for k in allowed_kinds(definition, s, pd.Timestamp(date) == end)}
                     for s in pd.unique(atoms[var])}
            ok &= np.array([k == NONE or k in table[s] for s, k in zip(atoms[var], kind)], dtype=bool)
    for narrow, wide in _nested(definitions):
        ok &= (atoms[f"k_{narrow}"] != str(survival.EVENT)).to_numpy() | (atoms[f"k_{wide}"] == str(survival.EVENT)
                                                                           ).to_numpy()
    if "triage" in atoms.columns:
        ok &= atoms["gestart"].to_numpy(bool) | (atoms["triage"] == "geen_triage").to_numpy()
    return ok


def hub_atoms(levels: Mapping[str, Sequence], statuses: pd.DataFrame, definitions: Sequence[str],
              dates: Sequence[str], follow_up_end: str, only_start: bool = False) -> pd.DataFrame:
    """The atoms of block ``T``: the groupings' codebook levels (``levels``) x the status
    combinations the status block allows (``statuses``; ``gestart`` follows from the first
    snapshot's status) x a kind of exit per definition, kept where :func:`hub_consistent`
    (``only_start``: the curves have no origin but the start, so those who never started
    have no kind, ``none``)."""
    grid = statuses.drop_duplicates().reset_index(drop=True)
    grid["gestart"] = ~grid[status_var(ps.CUTOFF_DATES[0])].isin(ps.NOT_STARTED).to_numpy()
    kinds = [str(k) for k in KINDS] + ([NONE] if only_start else [])
    for var, values in [*levels.items(), *((f"k_{d}", kinds) for d in definitions)]:
        grid = grid.merge(pd.DataFrame({var: list(values)}), how="cross")
    for d in definitions:
        grid = grid.merge(pd.DataFrame({f"f_{d}": ["before", "after", NONE]}), how="cross")
    ok = hub_consistent(grid, definitions, dates, follow_up_end) & _when_consistent(grid, definitions)
    if only_start:  # no origin date, no kind: exactly those who never started
        for d in definitions:
            ok &= (grid[f"k_{d}"] == NONE).to_numpy() == ~grid["gestart"].to_numpy(bool)
    return grid[ok].reset_index(drop=True)


def _when_consistent(atoms: pd.DataFrame, definitions: Sequence[str]) -> np.ndarray:
    """Whether an exit came on or before the first snapshot date (``f_<definition>``) agrees
    with the kind and that date's status: none exactly when censored (or no kind); before
    when the status then is the outcome or an exit; after when it is neither and both are
    final (nothing reached could have been left)."""
    ok = np.ones(len(atoms), dtype=bool)
    first = atoms[status_var(ps.CUTOFF_DATES[0])]
    exits, final = set(survival.COMPETING_STATUSES), set(ps.FINAL_STATUSES)
    for d in definitions:
        outcome = set(outcomes.DEFINITIONS[d])
        kind, when = atoms[f"k_{d}"].astype(str), atoms[f"f_{d}"].astype(str)
        exited = kind.isin([str(survival.EVENT), str(survival.COMPETING)]).to_numpy()
        ok &= exited == (when != NONE).to_numpy()
        reached = first.isin(outcome | exits).to_numpy()
        ok &= ~(exited & reached) | (when == "before").to_numpy()
        if outcome <= final and exits <= final:
            ok &= ~(exited & ~reached) | (when == "after").to_numpy()
    return ok


def origin_window(origin: str) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The codebook's first and last possible date of ``origin`` (the schema's bounds)."""
    study = ps.STUDY
    last = {"start": study.pilot_end, "inflow": study.inflow_end}.get(origin)
    return None if last is None else (pd.Timestamp(study.pilot_start), pd.Timestamp(last))


def _time_bounds(kind: str, when: str, origin: str, follow_up_end: str) -> tuple[float, float]:
    """The days since the origin an exit of ``kind`` (``when``: on or before the first
    snapshot date, or after) can lie at, by the codebook's window of origin dates: censored
    on the follow-up end; before: at most the first snapshot date; after: later."""
    window = origin_window(origin)
    if window is None or kind == NONE:
        return 0.0, np.inf
    lo, hi = window
    end, first = pd.Timestamp(follow_up_end), pd.Timestamp(ps.CUTOFF_DATES[0])
    if kind == str(survival.CENSORED):
        return float((end - hi).days), float((end - lo).days)
    if when == "before":
        return 0.0, float((min(first, end) - lo).days)
    return float((first - hi).days + 1), float((end - lo).days)


def _bounds_by_pair(kinds: pd.Series, when: pd.Series, origin: str, follow_up_end: str) -> np.ndarray:
    """:func:`_time_bounds` of each row's (kind, when) pair, as an array of (low, high): computed
    once per distinct pair (a Python loop over the rows of a cross join took 66 s at 200 persons
    on the finest intervals)."""
    kc, ku = pd.factorize(kinds, use_na_sentinel=False)
    wc, wu = pd.factorize(when, use_na_sentinel=False)
    pairs, inverse = np.unique(kc.astype(np.int64) * max(len(wu), 1) + wc, return_inverse=True)
    table = np.array([_time_bounds(ku[p // max(len(wu), 1)], wu[p % max(len(wu), 1)], origin, follow_up_end)
                      for p in pairs], dtype=float).reshape(-1, 2)
    return table[inverse.reshape(-1)] if len(kinds) else np.empty((0, 2))


def interval_atoms(hub: pd.DataFrame, origin: str, definitions: Sequence[str], ends: Sequence[float],
                   prefix: str, follow_up_end: str) -> pd.DataFrame:
    """Each row of ``hub`` with the interval of every definition's curve
    (``<prefix>_<origin>_<definition>``: ``<interval>:<kind>``, the hub's kind), as the
    codebook allows: no start date exactly for those who never started (``none``), an
    origin date for everyone else; a wider definition's interval no later than a narrower's,
    the same one where both end alike (censored, or the same competing exit); each interval
    (of ``ends``) within the days an exit of that kind can lie at (:func:`_time_bounds`)."""
    n_intervals = len(ends)
    never = (~hub["gestart"].to_numpy(bool)) if origin == "start" else np.zeros(len(hub), bool)
    rows = hub[never].assign(**{f"j_{d}": -1 for d in definitions})
    grid = pd.DataFrame(list(itertools.product(range(n_intervals), repeat=len(definitions))),
                        columns=[f"j_{d}" for d in definitions])
    rest = hub[~never].merge(grid, how="cross")
    ok = np.ones(len(rest), dtype=bool)
    for narrow, wide in _nested(definitions):
        jn, jw = rest[f"j_{narrow}"].to_numpy(), rest[f"j_{wide}"].to_numpy()
        same = (rest[f"k_{narrow}"] == rest[f"k_{wide}"]).to_numpy() & (rest[f"k_{wide}"] != str(survival.EVENT)
                                                                         ).to_numpy()
        ok &= (jw <= jn) & (~same | (jw == jn))
    upper, lower = np.asarray(ends, dtype=float), np.concatenate([[-np.inf], np.asarray(ends, dtype=float)[:-1]])
    for d in definitions:
        j = rest[f"j_{d}"].to_numpy()
        lo_hi = _bounds_by_pair(rest[f"k_{d}"].astype(str), rest[f"f_{d}"].astype(str), origin, follow_up_end)
        ok &= (upper[j] >= lo_hi[:, 0]) & (lower[j] < lo_hi[:, 1])
    out = pd.concat([rows, rest[ok]], ignore_index=True)
    for d in definitions:
        j = out.pop(f"j_{d}")
        out[f"{prefix}_{origin}_{d}"] = np.where(j < 0, NONE, j.astype(str) + ":" + out[f"k_{d}"].astype(str))
    return out


def status_grid(r) -> pd.DataFrame:
    """The status combinations the status block allows (block ``E``, part ``status``)."""
    e = r.blocks["E"].atoms
    part = e[e["part"] == "status"] if "part" in e.columns else e
    cols = [c for c in part.columns if c == "s1" or c == "s2" or c.startswith("s_")]
    return part[cols].drop_duplicates().reset_index(drop=True)


def _figure_part(r, name: str):
    """(block, where) of the figure tables' block ``name`` (``A``; ``D``, merged into ``E``)."""
    if name in r.blocks:
        return r.blocks[name], {}
    for b in r.blocks.values():
        if "part" in b.atoms.columns and (b.atoms["part"] == name).any():
            return b, {"part": name}
    return None, {}


def grouping_levels(r, codes: pd.DataFrame) -> dict[str, list]:
    """The codebook levels of the groupings in ``codes`` (those of Figures 7 and 10)."""
    out = {}
    for var, name in (("triage", "D"), ("opleiding", "A")):
        b, where = _figure_part(r, name)
        if var in codes.columns and b is not None:
            atoms = b.atoms[b.mask(**where)]
            out[var] = [str(v) for v in pd.unique(atoms[var].dropna())]
    return out


def curve_blocks(r, codes: pd.DataFrame, by_origin, curves: Mapping[str, CurveRelease], dates: Sequence[str],
                 follow_up_end: str) -> dict:
    """The blocks of the curves (see the module docstring), unmerged, each with its true
    counts: the hub ``T`` (groupings x statuses x kinds of exit); per origin with curves
    ``T_<origin>`` (the hub x the coarse intervals) and ``T_<origin>_fine`` (the kinds x the
    overall intervals, with the coarse interval each lies in)."""
    definitions = list(dict.fromkeys(d for by_def in by_origin.values() for d in by_def))
    hub = hub_atoms(grouping_levels(r, codes), status_grid(r), definitions, dates, follow_up_end,
                    only_start=set(by_origin) == {"start"})
    out = {BLOCK: hub}
    kinds = hub[["gestart", *(f"{x}_{d}" for d in definitions for x in "kf")]].drop_duplicates().reset_index(
        drop=True)
    for origin, rel in curves.items():
        if not rel.ends:
            continue
        defs = list(by_origin[origin])
        coarse = coarse_ends(rel)
        out[f"{BLOCK}_{origin}"] = interval_atoms(hub, origin, defs, coarse, "q", follow_up_end)
        fine = interval_atoms(kinds, origin, defs, rel.ends, "c", follow_up_end)
        where = np.searchsorted(np.asarray(coarse), np.asarray(rel.ends))  # the coarse interval of each fine one
        for d in defs:
            code = fine[f"c_{origin}_{d}"]
            j = code.str.split(":").str[0]
            fine[f"q_{origin}_{d}"] = np.where(code == NONE, NONE, [
                f"{where[int(x)]}:{c.split(':')[1]}" if x != NONE else NONE for x, c in zip(j, code)])
        out[f"{BLOCK}_{origin}_fine"] = fine
    blocks = {}
    for name, atoms in out.items():
        counts = codes.groupby(list(atoms.columns)).size()
        true = counts.reindex(pd.MultiIndex.from_frame(atoms), fill_value=0).to_numpy(dtype=int)
        if true.sum() != len(codes):
            raise ValueError(f"block {name}: {len(codes) - true.sum()} person(s) outside the codebook's combinations")
        b = Block(name, atoms, true)
        b.identities.append((np.ones(len(atoms)), int(true.sum())))
        blocks[name] = b
    return blocks


MAX_ATOMS = 4000  # the intruder's programme stays solvable in seconds (dense matrices of atoms x atoms)


def block_size(blocks: Mapping) -> int:
    """The number of atoms of the curves' blocks."""
    return sum(len(b.atoms) for b in blocks.values())


def _links(a, b, columns: Sequence[str]) -> list:
    """Equal counts of blocks ``a`` and ``b`` for every combination of ``columns`` ``a`` has."""
    return [(a, dict(zip(columns, combo)), b, dict(zip(columns, combo)))
            for combo in a.atoms[list(columns)].drop_duplicates().itertuples(index=False)]


def curve_block(r, blocks: Mapping):
    """The curves' blocks (:func:`curve_blocks`) merged into the run's release with the blocks
    ``A``, ``D`` and ``E`` of the figure tables: the hub ``T`` with equal counts per level of
    triage and of education and per combination of the statuses at every date (every
    person's statuses, not their totals); each ``T_<origin>`` with the hub, atom by atom;
    each ``T_<origin>_fine`` with its ``T_<origin>`` per kinds and coarse intervals."""
    t = blocks[BLOCK]
    r.zero_exempt = (*r.zero_exempt, f"{BLOCK}|")  # an interval without exits is no person's fact
    equal = []
    for var, name in (("triage", "D"), ("opleiding", "A")):
        b, part = _figure_part(r, name)
        if var in t.atoms.columns and b is not None:
            for level in pd.unique(b.atoms[b.mask(**part)][var].dropna()):
                equal.append((b, {**part, var: level}, t, {var: str(level)}))
    cols = [c for c in t.atoms.columns if c == "s1" or c == "s2" or c.startswith("s_")]
    e = r.blocks.get("E")
    if e is not None and cols:
        part = {"part": "status"} if "part" in e.atoms.columns else {}
        for combo in status_grid(r)[cols].itertuples(index=False):
            where = dict(zip(cols, combo))
            equal.append((e, {**part, **where}, t, where))
    for name, f in blocks.items():
        if name == BLOCK or name.endswith("_fine"):
            continue
        equal += _links(t, f, list(t.atoms.columns))
        fine = blocks[f"{name}_fine"]
        equal += _links(fine, f, [c for c in fine.atoms.columns if not c.startswith("c_")])
    for b in blocks.values():
        r.blocks[b.name] = b
    figures = {b.name: b for b in (_figure_part(r, n)[0] for n in ("A", "D", "E")) if b is not None}
    parts = [*blocks.values(), *figures.values()]
    return r.merge("TE", parts, equal)


def span(ends: Sequence[float], i: int) -> str:
    """The ``i``-th interval of ``ends`` in a cell's key, its start and end ("35-77"): keyed by
    its end alone, an interval of another grid (another threshold's merging) was another cell
    under the same key, and the ledger then refused every later release of the file (intruder
    round 13)."""
    return f"{ends[i - 1] if i else 0:g}-{ends[i]:g}"


def _intervals(overall: Sequence[float], ends: Sequence[float]) -> list[list[int]]:
    """The interval indexes of ``overall`` each interval of ``ends`` (a subset) covers."""
    idx = [int(np.searchsorted(overall, e)) for e in ends]
    return [list(range(a + 1, b + 1)) for a, b in zip([-1, *idx[:-1]], idx)]


def _counts(r, block, key: str, part: str, var: str, covered: Sequence[int], n: int, where: dict) -> list[str]:
    """The cells of one interval (``covered``: indexes of the ``n`` intervals of ``var``):
    events, competing exits, censored, and the number at risk at its start."""
    keys = [r.cell(f"{key}|{what}", block, part=part, **where, **{var: [f"{j}:{kind}" for j in covered]}).key
            for kind, what in KINDS.items()]
    later = [f"{j}:{kind}" for j in range(covered[0], n) for kind in KINDS]
    return [*keys, r.cell(f"{key}|n_risk", block, part=part, **where, **{var: later}).key]


def _totals(r, block, key: str, part: str, var: str, n: int, where: dict) -> list[str]:
    """The exits of each kind of one curve over its whole follow-up (``n`` intervals of
    ``var``). Their keys start with ``W|``, not the curve block's prefix, so their zeros are
    not exempt: a group whose members all left one way (every one found work, none did, none
    stopped) says so of each of them, as a model group's rate of 0% or 100% does (intruder
    round 10: a triage path of 12 with 12 events, 0 competing and 0 censored was published,
    while notebook 03 withheld its rate of 100%). A curve is shown only with these cells, so a
    zero among them withholds it, and the gate keeps it from being found by subtraction."""
    return [r.cell(f"{WHOLE}|{key}|{what}", block, part=part, **where,
                   **{var: [f"{j}:{kind}" for j in range(n)]}).key for kind, what in KINDS.items()]


def register_curves(r, block, codes: pd.DataFrame, by_origin, curves: Mapping[str, CurveRelease]
                    ) -> dict[tuple[str, str, str], list[str]]:
    """Register every published count of every curve as a cell of ``block``: per interval
    the events, competing exits, censored and the number at risk at its start (the overall
    curves on ``T_<origin>_fine``, the curves by group on ``T_<origin>``'s coarse intervals).
    Returns the cell keys of each curve (origin, definition, curve name)."""
    out = {}
    for origin, rel in curves.items():
        by_def = by_origin[origin]
        if not rel.ends:
            continue
        coarse = coarse_ends(rel)
        parts = {"all": (f"{BLOCK}_{origin}_fine", "c", len(rel.ends), {})}  # curve -> its block part, var, where
        for definition, d in by_def.items():
            people = codes.loc[d["deelnemer_id"].to_numpy()]
            fine = [_counts(r, block, f"T|{origin}|{definition}|all|{span(rel.ends, i)}", f"{BLOCK}_{origin}_fine",
                            f"c_{origin}_{definition}", covered, len(rel.ends), {})
                    for i, covered in enumerate(_intervals(rel.ends, rel.ends))]
            out[(origin, definition, "all")] = [k for keys in fine for k in keys] + _totals(
                r, block, f"{origin}|{definition}|all", f"{BLOCK}_{origin}_fine", f"c_{origin}_{definition}",
                len(rel.ends), {})
            for g, ends in rel.by_grouping.items():
                for level in sorted(d[g].astype(str).unique()):
                    coded = sorted(set(people.loc[(d[g].astype(str) == level).to_numpy(), g]))
                    parts[f"{g}={level}"] = (f"{BLOCK}_{origin}", "q", len(coarse), {g: coded})
                    out[(origin, definition, f"{g}={level}")] = [
                        k for i, covered in enumerate(_intervals(coarse, ends))
                        for k in _counts(r, block, f"T|{origin}|{definition}|{g}={level}|{span(ends, i)}",
                                         f"{BLOCK}_{origin}", f"q_{origin}_{definition}", covered, len(coarse),
                                         {g: coded})] + _totals(
                        r, block, f"{origin}|{definition}|{g}={level}", f"{BLOCK}_{origin}",
                        f"q_{origin}_{definition}", len(coarse), {g: coded})
        for narrow, wide in _nested(list(by_def)):
            for curve, (part, var, n, where) in parts.items():
                if (origin, narrow, curve) in out and (origin, wide, curve) in out:
                    key = _wide_only(r, block, f"{origin}|{curve}", part, (f"{var}_{origin}_{narrow}",
                                                                          f"{var}_{origin}_{wide}"), n, where)
                    out[(origin, wide, curve)].append(key)  # shown only with the wide curve: the narrow one alone
                    # says nothing of it, and the gate keeps the two together from pinning it
    return out


def _wide_only(r, block, key: str, part: str, variables: tuple[str, str], n: int, where: dict) -> str:
    """The persons of one curve whose exit is an outcome under the wide definition and not
    under the narrow one (into education without work, for work against work or education):
    the difference of the two curves' totals of events. Registered with its zero protected (the
    eleventh intruder: equal totals under both definitions said that no one of triage path 2
    was in education without work, a cell Figuur 12 withholds)."""
    narrow, wide = variables
    return r.cell(f"{WHOLE}|{key}|{wide}|not|{narrow}", block, part=part, **where,
                  **{wide: [f"{j}:{survival.EVENT}" for j in range(n)],
                     narrow: [f"{j}:{kind}" for j in range(n) for kind in (survival.COMPETING, survival.CENSORED)]}
                  ).key


def register_cox(r, block, codes: pd.DataFrame, by_origin, curves: Mapping[str, CurveRelease],
                 groupings: Sequence[str]) -> dict[tuple[str, str], list[str]]:
    """The cells a Cox model of ``groupings`` on their common ends is a function of: the
    joint table of the groupings' levels by interval and kind of exit."""
    out = {}
    for origin, rel in curves.items():
        by_def = by_origin[origin]
        shown = [g for g in groupings if g in rel.by_grouping]
        if not shown:
            continue
        ends, coarse = survival_release.common_ends(rel, shown), coarse_ends(rel)
        for definition, d in by_def.items():
            var = f"q_{origin}_{definition}"
            people = codes.loc[d["deelnemer_id"].to_numpy()]
            levels = people[shown].drop_duplicates().sort_values(shown)
            keys = []
            for combo in levels.itertuples(index=False):
                where = dict(zip(shown, combo))
                label = "|".join(f"{g}={v}" for g, v in where.items())
                for i, covered in enumerate(_intervals(coarse, ends)):
                    for kind, what in KINDS.items():
                        keys.append(r.cell(f"T|cox|{origin}|{definition}|{label}|{span(ends, i)}|{what}", block,
                                           part=f"{BLOCK}_{origin}", **where,
                                           **{var: [f"{j}:{kind}" for j in covered]}).key)
                keys += _totals(r, block, f"cox|{origin}|{definition}|{label}", f"{BLOCK}_{origin}", var,
                                len(coarse), where)  # a level all of whose members left one way
            out[(origin, definition)] = keys
    return out


ATTEMPTS = ((True, 1), (True, 2), (False, 1), (False, 2), (False, 4))  # (groupings, threshold factor)


def release(run, by_origin: Mapping[str, Mapping[str, pd.DataFrame]], groupings: Sequence[str],
            forced: Sequence[float] = (), prior: Mapping[str, int] | None = None) -> SurvivalRelease:
    """Notebook 04's release (see the module docstring): on synthetic data the merged
    intervals; otherwise the curves of one origin released after the figure tables of the
    run's release (``run.release``), with ``prior`` cells of earlier releases of the file
    shown first. Origins are tried in order, each on a copy of the release: the first that
    publishes a curve is kept (with its curves by group where its blocks fit
    :data:`MAX_ATOMS`, else with fewer, coarser intervals: :data:`ATTEMPTS`)."""
    k = run.threshold
    end = getattr(run, "follow_up_end", None) or getattr(run, "cutoff", None) or ps_follow_up_end()
    real = {} if run.synthetic else {"one_way_tails": True, "follow_up_end": end}
    curves = merged_curves(by_origin, groupings, k, forced, **real)
    out = SurvivalRelease(curves, log=merging_log(curves, k, groupings))
    if run.synthetic:
        return out
    frame = run.release_frame()
    out.release = run.release
    notes = []
    for origin in (o for o, c in curves.items() if c.ends):
        for with_groupings, factor in ATTEMPTS:
            one = merged_curves({origin: by_origin[origin]}, groupings if with_groupings else [], k * factor,
                                forced, **real)  # one origin published: no other's curves to stand beside
            if not one[origin].ends:
                continue
            r = copy.deepcopy(run.release)
            codes = code_frame(frame, run.participants, by_origin, one, run.cutoffs)
            try:
                blocks = curve_blocks(r, codes, by_origin, one, run.cutoffs, end)
            except ValueError as error:  # the file breaks the codebook: no curve of it is published
                notes.append(f"{origin}: {error}")
                break
            if block_size(blocks) > MAX_ATOMS:
                notes.append(f"{origin}: {len(one[origin].ends)} intervals"
                             f"{' by group' if with_groupings else ''} exceed {MAX_ATOMS} atoms")
                continue
            shown, cox_shown = _release_one(r, blocks, codes, by_origin, one, groupings, prior)
            if any(shown.values()):
                out.curves = {o: (one[o] if o == origin else _withheld({o: c})[o]) for o, c in curves.items()}
                out.shown, out.cox_shown, out.release = shown, cox_shown, r
                out.log = merging_log(out.curves, k, groupings)
                if factor > 1 or not with_groupings:
                    notes.append(f"{origin}: intervals met {factor} x the threshold"
                                 f"{'' if with_groupings else ', no curves by group'} to fit {MAX_ATOMS} atoms")
                out.log += [_note(k, "; ".join([*notes, f"only the curves from {origin} published: another "
                                                "origin's intervals are linked to theirs person by person"]),
                                  "time_to_work origins")]
                return out
            notes.append(f"{origin}: no curve passes the gate")
            break
    out.curves = _withheld(curves)
    out.log.append(_note(k, "all curves withheld: " + ("; ".join(notes) or "no partition"), "time_to_work curves"))
    return out


def _release_one(r, blocks, codes, by_origin, curves, groupings, prior) -> tuple[dict, dict]:
    """Register and release one origin's curves (and Cox cells) on ``r``: which are shown."""
    block = curve_block(r, blocks)
    cells = register_curves(r, block, codes, by_origin, curves)
    cox = register_cox(r, block, codes, by_origin, curves, groupings)
    r.prior(prior or {})
    r.prepare([key for keys in cells.values() for key in keys])
    shown = {key: _whole(r, f"time_to_work curve {' '.join(key)}", keys) for key, keys in cells.items()}
    cox_shown = {key: _whole(r, f"time_to_work cox {' '.join(key)}", keys) for key, keys in cox.items()}
    return shown, cox_shown


def ps_follow_up_end() -> str:
    """The study's follow-up end (the curves' censoring date by default)."""
    return str(pd.Timestamp(ps.FOLLOW_UP_END).date())


def _withheld(curves: Mapping[str, CurveRelease], groupings_only: bool = False) -> dict[str, CurveRelease]:
    """``curves`` without their groupings (``groupings_only``) or without any curve."""
    return {o: CurveRelease(c.ends if groupings_only else [], [], list(dict.fromkeys([*c.groupings, *c.withheld])),
                            c.forced_kept, c.reason if groupings_only else "withheld", {})
            for o, c in curves.items()}


def _note(k: int, rule: str, output: str) -> dict:
    """A line of the output checker's log (private) for what was withheld whole."""
    return {"output": output, "threshold": k, "cells": 0, "primary_suppressed": 0, "secondary_suppressed": 0,
            "shown": 0, "outcome": "pass", "rule": rule}


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
            tests += [{**survival.logrank(survival.coarsen(comparable(d, [g]), r.by_grouping[g]), g),
                       "origin": origin, "definition": definition} for g in shown]
            if r.groupings and rel.cox_shown.get((origin, definition), True):
                rows = comparable(survival.coarsen(d, survival_release.common_ends(r, r.groupings)), r.groupings)
                cox_rows.append(survival.cox(rows, r.groupings).assign(origin=origin, definition=definition))
    out = {"curves": pd.concat(curves, ignore_index=True) if curves else pd.DataFrame(),
           "six_months": pd.concat(six, ignore_index=True) if six else pd.DataFrame(),
           "logrank": survival.with_p_bounds(pd.DataFrame(tests)) if tests else pd.DataFrame(),
           "cox": survival.with_p_bounds(pd.concat(cox_rows, ignore_index=True)) if cox_rows else pd.DataFrame()}
    return {name: released.mark(table) for name, table in out.items()}


def comparable(d: pd.DataFrame, groupings) -> pd.DataFrame:
    """The persons a comparison by ``groupings`` compares: by triage path, those who have one
    (``geen``, never triaged, are those who never started: from inflow they cannot reach
    outflow, and as a level of their own they made the log-rank variance singular and the test
    a comparison of the started with the never started; the reviewer's finding)."""
    return d[d["triage"] != "geen"] if "triage" in groupings else d


def gated_cox(table: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Cox rows whose group has fewer than ``threshold`` persons withheld, with the neutral
    note (the reason goes nowhere public: it would tell a count)."""
    if table.empty:
        return table
    small = pd.to_numeric(table["group_n"], errors="coerce").fillna(0) < threshold
    return released.mark(withheld_rows(table, small, keep=survival_release.IDENTITY))
