"""Disclosure control for survival curves: merge their steps into intervals that meet the threshold.

A Kaplan-Meier curve drops at every event time by d / n, and its number-at-risk table
falls by every event, competing exit and censored person: a published curve of a few dozen
people tells an intruder how many left at which date. :func:`merge_steps` chooses interval
ends common to a set of curves such that, in every interval and for every curve, the
events, the competing exits and the censored each are 0 or at least ``threshold``; so is
the number at risk at the start of every curve; and for each pair of curves in
``differences`` (the same persons under two outcome definitions) so are the differences of
those counts and of the numbers at risk at every end. The curves and at-risk tables are
then estimated on the times coarsened to those ends
(:func:`analysis.stats.survival.coarsen`), so everything published is a function of the
interval counts. Curves of one grouping (the levels of triage) share the ends with the
overall curve, so the overall curve minus the other levels is a level's curve, never a
finer one.

Written by hand: no library merges survival steps for disclosure control. It is a pure
function of counts, independent of the report's release machinery
(:mod:`analysis.stats.output_gate`), so that a release API can call it.

The greedy rule: walk the candidate ends (the distinct times, and ``forced`` ends such as
six months) and close an interval at the first end where every condition holds; an
unfinished last interval is merged into the ones before it until the conditions hold. A
forced end is kept when the part before it can be closed on its own; otherwise it is
dropped and said so (``forced_kept``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.stats import survival

COUNTS = ("events", "competing", "censored")


def step_counts(d: pd.DataFrame, curves: Mapping[str, np.ndarray | pd.Series]) -> pd.DataFrame:
    """One row per curve and distinct time: ``events`` (status 1), ``competing`` (2),
    ``censored`` (0) at that time, for each named selection of ``d``'s rows."""
    parts = []
    for name, rows in curves.items():
        sel = d[np.asarray(rows, dtype=bool)]
        g = pd.DataFrame({"time": sel["time"].to_numpy(dtype=float),
                          "events": (sel["status"] == 1).to_numpy(), "competing": (sel["status"] == 2).to_numpy(),
                          "censored": (sel["status"] == 0).to_numpy()})
        t = g.groupby("time", sort=True)[list(COUNTS)].sum().astype(int).reset_index()
        parts.append(t.assign(curve=name))
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["curve", "time", *COUNTS])
    return out[["curve", "time", *COUNTS]]


@dataclass
class Merged:
    """The result of :func:`merge_steps`: interval ends (empty when no partition meets the
    threshold: the curves cannot be published), whether each forced end was kept, and
    why it failed when it did."""

    ends: list[float]
    forced_kept: dict[float, bool] = field(default_factory=dict)
    reason: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.ends)


def _safe(values: np.ndarray, k: int) -> bool:
    v = np.abs(values)
    return bool(((v == 0) | (v >= k)).all())


class _Grid:
    """Counts of every curve (and difference) at every candidate end, as cumulative sums."""

    def __init__(self, steps: pd.DataFrame, ends: np.ndarray, curves: Sequence[str],
                 differences: Sequence[tuple[str, str]], one_way_tails: bool = False):
        idx = np.searchsorted(ends, steps["time"].to_numpy(dtype=float), side="left")
        cube = np.zeros((len(curves), len(COUNTS), len(ends)), dtype=np.int64)
        pos = {c: i for i, c in enumerate(curves)}
        ci = steps["curve"].map(pos).to_numpy()
        for j, col in enumerate(COUNTS):
            np.add.at(cube[:, j, :], (ci, idx), steps[col].to_numpy(dtype=np.int64))
        rows = [cube[i] for i in range(len(curves))]
        rows += [cube[pos[a]] - cube[pos[b]] for a, b in differences]
        self.cube = np.stack(rows) if rows else np.zeros((0, len(COUNTS), len(ends)), dtype=np.int64)
        self.cum = np.concatenate([np.zeros(self.cube.shape[:2] + (1,), dtype=np.int64),
                                   np.cumsum(self.cube, axis=2)], axis=2)
        total = self.cum[:, :, -1].sum(axis=1)
        self.n0 = total  # at risk at time 0 (everyone leaves by the last end)
        self.tails = len(curves) if one_way_tails else 0  # the curves (not differences) checked by one_way_tail

    def interval_ok(self, a: int, b: int, k: int) -> bool:
        """Counts of the interval of candidate ends a..b (inclusive) and the numbers at risk
        after it."""
        inside = self.cum[:, :, b + 1] - self.cum[:, :, a]
        after = self.n0 - self.cum[:, :, b + 1].sum(axis=1)
        return _safe(inside, k) and _safe(after, k) and not self.one_way_tail(a, inside, after)

    def one_way_tail(self, a: int, inside: np.ndarray, after: np.ndarray) -> bool:
        """Whether the interval starting at candidate end ``a`` is some curve's last with
        exits (no one at risk after it), not its first, and all its exits are of one kind:
        then everyone still at risk at its start left the same way (all found work, all
        stopped, all still searching at the end), a fact of each of them."""
        n = self.tails
        left_before = self.cum[:n, :, a].sum(axis=1) > 0
        one_kind = np.count_nonzero(inside[:n], axis=1) == 1
        return bool((left_before & one_kind & (after[:n] == 0)).any())


def merge_steps(steps: pd.DataFrame, threshold: int, forced: Sequence[float] = (),
                differences: Sequence[tuple[str, str]] = (), last_end: float | None = None,
                one_way_tails: bool = False) -> Merged:
    """Interval ends common to every curve of ``steps`` (:func:`step_counts`) such that all
    published counts are 0 or at least ``threshold`` (see the module docstring). ``forced``
    ends are kept where possible; ``last_end`` (default the last time) closes the last
    interval. Threshold 1 keeps every distinct time. ``one_way_tails`` (real data, where
    zeros are protected): no curve's last interval with exits, unless it is its only one,
    has exits of one kind only (:meth:`_Grid.one_way_tail`; intruder round 11: 19 at risk,
    19 to work in the last interval); the interval is merged with the one before it."""
    k = int(threshold)
    curves = list(dict.fromkeys(steps["curve"]))
    times = steps["time"].to_numpy(dtype=float)
    last = float(max(times.max() if len(times) else 0.0, last_end or 0.0))
    forced = sorted(float(f) for f in forced if 0 < f < last)
    ends = np.unique(np.concatenate([times, forced, [last]]))
    grid = _Grid(steps, ends, curves, differences, one_way_tails)
    if not _safe(grid.n0, k):
        return Merged([], {f: False for f in forced}, "a curve's number at risk at the start (or a difference of "
                                                      f"two) is below {k}")
    cut_points = [int(np.searchsorted(ends, f)) for f in forced]
    kept = {}
    segments, start = [], 0
    for f, cp in zip(forced, cut_points):
        seg = _greedy(grid, start, cp, k)
        if seg is not None:
            segments.append(seg)
            start = cp + 1
            kept[f] = True
        else:
            kept[f] = False
    tail = _greedy(grid, start, len(ends) - 1, k)
    if tail is None:  # the part after the last kept forced end cannot stand alone: merge it backwards
        if not segments:
            return Merged([], kept, f"some curve has 1 to {k - 1} events, exits or censored in all")
        prev = segments.pop()
        forced_back = [f for f, v in kept.items() if v][-1]
        kept[forced_back] = False
        tail = _greedy(grid, prev[0][0] if prev else 0, len(ends) - 1, k)
        if tail is None:
            return Merged([], kept, f"some curve has 1 to {k - 1} events, exits or censored in all")
    cuts = [b for seg in [*segments, tail] for _, b in seg]
    return Merged([float(ends[b]) for b in cuts], kept)


def _greedy(grid: _Grid, first: int, last: int, k: int) -> list[tuple[int, int]] | None:
    """Intervals (a, b) of candidate ends covering first..last, closed as soon as they meet
    the conditions; None when even one interval over all of them does not."""
    out, a = [], first
    for b in range(first, last + 1):
        if grid.interval_ok(a, b, k):
            out.append((a, b))
            a = b + 1
    if a <= last:  # leftover: merge into the intervals before it until it holds
        while out:
            a0, _ = out.pop()
            if grid.interval_ok(a0, last, k):
                out.append((a0, last))
                return out
        return None
    return out


# --------------------------------------------------------------------------- the curves of a page
def curve_selections(d: pd.DataFrame, groupings: Sequence[str]) -> dict[str, np.ndarray]:
    """``all`` and one selection per level of each grouping (``triage=1``, ``opleiding=laag``)."""
    out = {"all": np.ones(len(d), dtype=bool)}
    for g in groupings:
        for lev in sorted(d[g].astype(str).unique()):
            out[f"{g}={lev}"] = (d[g].astype(str) == lev).to_numpy()
    return out


@dataclass
class CurveRelease:
    """What a page may publish of one origin's curves: the interval ends of the overall
    curves (``ends``) and of each grouping shown (``by_grouping``; a subset of ``ends``),
    the groupings withheld, whether each forced end (six months) was kept in the overall
    curves."""

    ends: list[float]
    groupings: list[str]
    withheld: list[str]
    forced_kept: dict[float, bool]
    reason: str = ""
    by_grouping: dict[str, list[float]] = field(default_factory=dict)


def _family_steps(by_definition: Mapping[str, pd.DataFrame], groupings: Sequence[str],
                  grid: Sequence[float] | None) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """Step counts of ``all`` and the levels of ``groupings`` under every definition (times
    moved to the ``grid`` ends when given; a time past its last end to that end), and the
    pairs of twin curves across definitions."""
    steps, names = [], []
    for definition, d in by_definition.items():
        if grid is not None:
            ends = np.asarray(sorted(grid), dtype=float)
            slot = np.searchsorted(ends, d["time"].to_numpy(dtype=float), side="left")
            d = d.assign(time=ends[np.minimum(slot, len(ends) - 1)])
        sel = curve_selections(d, groupings)
        names = list(sel)
        steps.append(step_counts(d, sel).assign(curve=lambda f, p=definition: p + "|" + f["curve"]))
    defs = list(by_definition)
    pairs = [(f"{a}|{c}", f"{b}|{c}") for i, a in enumerate(defs) for b in defs[i + 1:] for c in names]
    return pd.concat(steps, ignore_index=True), pairs


def release_curves(by_definition: Mapping[str, pd.DataFrame], groupings: Sequence[str], threshold: int,
                   forced: Sequence[float] = (), last_end: float | None = None,
                   one_way_tails: bool = False, grid: Sequence[float] | None = None) -> CurveRelease:
    """Interval ends for the curves of every outcome definition in ``by_definition`` (the
    same persons, so each curve is paired with its twin under the other definition): first
    for the overall curves, then for each grouping (its levels with the overall curve) on
    the overall ends only. A grouping's ends are a subset of the overall ends, so its
    published counts, summed over its levels, are sums of published overall counts, and the
    overall curve is published once. A grouping whose levels cannot meet the threshold even
    in one interval is withheld; with no partition for the overall curves nothing is shown.
    ``one_way_tails``: see :func:`merge_steps`; ``grid``: the candidate interval ends (every
    time moved to the first end at or after it; default: the distinct times)."""
    steps, pairs = _family_steps(by_definition, [], grid)
    overall = merge_steps(steps, threshold, forced, pairs, last_end, one_way_tails)
    if not overall.ok:
        return CurveRelease([], [], list(groupings), overall.forced_kept, overall.reason)
    by_grouping = {}
    for g in groupings:
        steps, pairs = _family_steps(by_definition, [g], overall.ends)
        kept = [f for f, ok in overall.forced_kept.items() if ok]
        merged = merge_steps(steps, threshold, kept, pairs, overall.ends[-1], one_way_tails)
        if merged.ok:
            by_grouping[g] = merged.ends
    return CurveRelease(overall.ends, list(by_grouping), [g for g in groupings if g not in by_grouping],
                        overall.forced_kept, "", by_grouping)


def starts_differ_safely(d_a: pd.DataFrame, d_b: pd.DataFrame, groupings: Sequence[str], threshold: int) -> bool:
    """Whether two origins' curves may both be published: the persons at risk at the start
    of each curve (``all`` and each level) differ by 0 or at least ``threshold`` (the persons
    with an inflow date but no start date would otherwise be a small published difference)."""
    sa, sb = curve_selections(d_a, groupings), curve_selections(d_b, groupings)
    diffs = [int(sa[c].sum()) - int(sb.get(c, np.zeros(0, bool)).sum()) for c in sa]
    diffs += [int(sb[c].sum()) for c in sb if c not in sa]
    return _safe(np.asarray(diffs), int(threshold))


IDENTITY = ("origin", "definition", "model", "term", "group_n")


def withhold_small_terms(table: pd.DataFrame, threshold: int, keep: Sequence[str] = IDENTITY) -> pd.DataFrame:
    """Model rows (hazard ratios) whose group has fewer than ``threshold`` persons, withheld:
    every value but the row's identity emptied, the note saying why (distinct from a value
    that is undefined, whose note starts "undefined")."""
    out = table.copy()
    hide = pd.to_numeric(out["group_n"], errors="coerce").fillna(0) < threshold
    cols = [c for c in out.columns if c not in keep and c != "note"]
    out[cols] = out[cols].astype(object).mask(hide.to_numpy()[:, None] & np.ones(len(cols), bool), None)
    out["note"] = out["note"].astype(object).where(~hide, f"withheld: disclosure control (group below {threshold} "
                                                          "persons)")
    return out


def released_curves(d: pd.DataFrame, rel: CurveRelease) -> pd.DataFrame:
    """The curves a page publishes for one definition: the overall curve at ``rel.ends`` and
    the levels of each grouping shown at that grouping's ends (column ``grouping``; empty
    for the overall curve)."""
    parts = [survival.published_curves(d, rel.ends, {"all": np.ones(len(d), dtype=bool)}).assign(grouping="")]
    for g, ends in rel.by_grouping.items():
        sel = {k: v for k, v in curve_selections(d, [g]).items() if k != "all"}
        parts.append(survival.published_curves(d, ends, sel).assign(grouping=g))
    return pd.concat(parts, ignore_index=True)


def common_ends(rel: CurveRelease, groupings: Sequence[str]) -> list[float]:
    """The ends every one of ``groupings`` shares (for a model of them together): each
    count on them is a sum of published counts of every grouping."""
    sets = [set(rel.by_grouping[g]) for g in groupings] or [set(rel.ends)]
    return sorted(set.intersection(*sets))


def beside(rel: CurveRelease, d_ref: pd.DataFrame, d_other: pd.DataFrame, threshold: int,
           ref_groupings: Sequence[str]) -> CurveRelease:
    """``rel`` (the curves of ``d_other``, another origin of the same persons) restricted to
    what may be published beside the curves of ``d_ref`` (shown by ``ref_groupings``): no
    curve whose starting number differs from its twin's by 1 to k - 1 (a grouping with such
    a level is withheld; the overall curve withholds everything, reason ``starts_differ``)."""
    if not rel.ends:
        return rel
    if not starts_differ_safely(d_ref, d_other, [], threshold):
        return CurveRelease([], [], list(dict.fromkeys([*rel.groupings, *rel.withheld])), rel.forced_kept,
                            "starts_differ")
    keep = {g: e for g, e in rel.by_grouping.items()
            if g in ref_groupings and starts_differ_safely(d_ref, d_other, [g], threshold)}
    return CurveRelease(rel.ends, list(keep), [g for g in [*rel.groupings, *rel.withheld] if g not in keep],
                        rel.forced_kept, rel.reason, keep)
