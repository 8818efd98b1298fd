"""The status history's validation, measured against the group-by version it replaced
(docs/performance.md), which is kept here as the independent reference.

    python benchmarks/history_validation.py --n 10000 1000000 [--corrupt]

:func:`reference_problems` and :func:`reference_agreement` are the group-by validation the
project used until 2026-12-05 (each rule a pandas group-by or ``isin`` on the string ids, a
sort per cut-off); :func:`analysis.pilot.history.history_problems` and
:func:`~analysis.pilot.history.agreement_problems` now sort once on integer person codes and
compare neighbours. Both must report the same issues: ``--corrupt`` checks that on small
histories with problems of every kind (the smoke test runs it). Prints the CPU time of both.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.data.loading import load_table
from analysis.pilot import schema as ps
from analysis.pilot.history import HISTORY, Issue, agreement_problems, final_rule, history_problems, may_follow
from analysis.pilot.inputs import load_participants

sys.path.insert(0, str(Path(__file__).resolve().parent))
import population  # noqa: E402


def _status_at(history: pd.DataFrame, cutoff) -> pd.Series:
    known = history[history["datum"] <= pd.Timestamp(cutoff)]
    last = known.sort_values(["deelnemer_id", "datum"], kind="stable").groupby("deelnemer_id", sort=True).tail(1)
    return last.set_index("deelnemer_id")["status"]


def reference_problems(history: pd.DataFrame, ids: Iterable[str], cutoffs=ps.CUTOFF_DATES) -> list[Issue]:
    """The group-by validation of the history's own rules (the project's until 2026-12-05)."""
    ids = list(ids)
    persons = history["deelnemer_id"].to_numpy()
    out = [Issue(int(i), persons[i], "deelnemer_id", "every person in the status history must be a participant")
           for i in (~history["deelnemer_id"].isin(ids)).to_numpy().nonzero()[0]]
    per_day = history.groupby(["deelnemer_id", "datum"])["status"].transform("nunique")
    out += [Issue(int(i), persons[i], "status", "one status per person per date (this person has another "
                                                "status on the same date)")
            for i in (per_day > 1).to_numpy().nonzero()[0]]
    order = history.reset_index(drop=True).sort_values(["deelnemer_id", "datum"], kind="stable")
    before = order.groupby("deelnemer_id")["status"].shift()
    after_final = before.notna() & ~may_follow(before.fillna(""), order["status"])
    # the rows are found here independently; the rule's words are the project's (final_rule)
    out += [Issue(int(i), persons[i], "status", final_rule(ps.STUDY, before[i]))
            for i in order.index[after_final.to_numpy()]]
    for cutoff in cutoffs:
        known = set(_status_at(history, cutoff).index)
        out += [Issue(None, i, "status", f"every participant needs a status on or before {cutoff}")
                for i in ids if i not in known]
    return out


def reference_agreement(history: pd.DataFrame, participants: pd.DataFrame) -> list[Issue]:
    """The group-by check of the participant file against its history (until 2026-12-05)."""
    ids = participants["deelnemer_id"].tolist()
    out = []
    for cutoff, col in ps.STATUS_COLUMNS.items():
        want = _status_at(history, cutoff).reindex(ids).to_numpy()
        out += [Issue(int(i), ids[i], col, f"must be the status history's status on {cutoff} ({want[i]})")
                for i in (participants[col].astype(object).to_numpy() != want).nonzero()[0]]
    work = history[history["status"].isin(list(ps.WORK_STATUSES))]
    first = work.groupby("deelnemer_id")["datum"].min().reindex(ids).to_numpy()
    have = participants["uitstroomdatum"].to_numpy()
    differ = ~((pd.isna(first) & pd.isna(have)) | (first == have))
    out += [Issue(int(i), ids[i], "uitstroomdatum", "must be the date of the first work status in the status "
                                                    f"history ({'none' if pd.isna(first[i]) else str(first[i])[:10]})")
            for i in differ.nonzero()[0]]
    return out


def _plain(issues: list[Issue]) -> list[tuple]:
    return [(i.row, str(i.person), i.column, i.rule) for i in issues]


def measure(n: int, folder: Path) -> str:
    p_path, h_path = population.write_population(n, folder)
    participants = load_participants(p_path)
    history = load_table(h_path, HISTORY)
    c0 = time.process_time()
    old = reference_problems(history, participants["deelnemer_id"]) + reference_agreement(history, participants)
    c1 = time.process_time()
    new = history_problems(history, participants["deelnemer_id"]) + agreement_problems(history, participants)
    c2 = time.process_time()
    return (f"N = {n:,}: group-by {c1 - c0:.2f} s CPU, sorted arrays {c2 - c1:.2f} s CPU "
            f"({len(new)} issues); same issues in the same order: {_plain(old) == _plain(new)}")


def corrupted(n: int = 300, seed: int = 0) -> tuple[list[tuple], list[tuple]]:
    """A history of ``n`` with an unknown person, a same-day conflict, a status after a final
    one, a person without records and (``seed`` > 0) random records moved, changed and
    duplicated; and a participant file with a changed status and outflow date. The issues of
    both versions (history rules, then agreement)."""
    participants, history = population.population(n)
    rng = np.random.default_rng(seed)
    ids = history["deelnemer_id"]
    extra = pd.DataFrame({"deelnemer_id": ["NOPE1", ids[0], ids[5], "NOPE0", "NOPE1"],
                          "datum": [history["datum"][0], history["datum"][0], pd.Timestamp("2021-03-30"),
                                    history["datum"][3], history["datum"][1]],
                          "status": ["gestopt", "opleiding", "in_bemiddeling", "nieuwe_baan", "gestopt"]})
    if seed:
        pick = rng.choice(len(history), size=max(3, n // 20), replace=False)
        moved = history.iloc[pick].copy()
        moved["datum"] = moved["datum"] + pd.to_timedelta(rng.integers(-20, 20, len(moved)), unit="D")
        moved["status"] = rng.choice(np.asarray(ps.STATUSES, dtype=object), len(moved))
        extra = pd.concat([extra, moved], ignore_index=True)
    h = pd.concat([history, extra.astype({"datum": history["datum"].dtype})], ignore_index=True)
    h = h[h["deelnemer_id"] != participants["deelnemer_id"][7]]
    h = h.iloc[rng.permutation(len(h))].reset_index(drop=True) if seed else h.reset_index(drop=True)
    p = participants.copy()
    p.loc[11, "status_20210416"] = "gestopt" if p.loc[11, "status_20210416"] != "gestopt" else "in_bemiddeling"
    p.loc[12, "uitstroomdatum"] = pd.Timestamp("2021-04-09")
    old = _plain(reference_problems(h, p["deelnemer_id"]) + reference_agreement(h, p))
    new = _plain(history_problems(h, p["deelnemer_id"]) + agreement_problems(h, p))
    return old, new


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, nargs="+", default=[10_000, 1_000_000])
    ap.add_argument("--corrupt", action="store_true")
    args = ap.parse_args(argv)
    if args.corrupt:
        for seed in range(4):
            old, new = corrupted(300, seed)
            print(f"corrupted history of 300 (seed {seed}): {len(old)} issues by group-by, {len(new)} by sorted "
                  f"arrays; same issues in the same order: {old == new}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.n:
            print(measure(n, Path(tmp) / str(n)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
