"""A proposed faster validation of the status history, measured against the current one
(docs/performance.md, proposed change 2; not used by the report).

    python benchmarks/proposed_history_validation.py --n 10000 1000000

:func:`fast_problems` finds the same issues as
:func:`analysis.pilot.history.history_problems` (and the statuses on the snapshot dates that
:func:`analysis.pilot.history.agreement_problems` compares) on integer person codes, with the
history sorted once: ``Index.get_indexer`` once instead of factorizing the Arrow string ids
in every group-by and ``isin``, ``np.lexsort`` once instead of a sort per cut-off, the status
at each cut-off written into an array, same-day conflicts and statuses after a final one by
comparing neighbours. ``--corrupt`` checks the equality of the issues on a small history with
one problem of each kind. Prints the CPU time of both.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.data.loading import load_table
from analysis.pilot import schema as ps
from analysis.pilot.history import HISTORY, Issue, agreement_problems, history_problems
from analysis.pilot.schema import FINAL_STATUSES, load_participants

sys.path.insert(0, str(Path(__file__).resolve().parent))
import population  # noqa: E402


def fast_problems(history: pd.DataFrame, participants: pd.DataFrame, cutoffs=ps.CUTOFF_DATES):
    """The issues of ``history_problems`` and each person's status at each cut-off."""
    ids = participants["deelnemer_id"].to_numpy(dtype=object)
    persons = history["deelnemer_id"].to_numpy(dtype=object)
    person = pd.Index(ids).get_indexer(persons)  # -1: not a participant
    out = [Issue(int(i), persons[i], "deelnemer_id", "every person in the status history must be a participant")
           for i in np.flatnonzero(person < 0)]
    day = history["datum"].to_numpy("datetime64[ns]")
    status = history["status"].astype(object).to_numpy()
    order = np.lexsort((np.arange(len(person)), day, person))  # stable by person, then date
    p, d, s = person[order], day[order], status[order]
    same_day = (p[1:] == p[:-1]) & (d[1:] == d[:-1])
    group = np.r_[0, np.cumsum(~same_day)] if len(p) else np.array([], dtype=int)
    differs = same_day & (s[1:] != s[:-1])
    bad = np.isin(group, np.unique(group[1:][differs]))
    out += [Issue(int(i), persons[i], "status", "one status per person per date (this person has another "
                                                "status on the same date)") for i in np.sort(order[bad])]
    before = np.r_[None, s[:-1]]
    after_final = np.r_[False, p[1:] == p[:-1]] & pd.Series(before).isin(FINAL_STATUSES).to_numpy() & (before != s)
    out += [Issue(int(order[j]), persons[order[j]], "status",
                  f"an outflow status ({before[j]}) is final in this study ({ps.STUDY.id}, outflow_can_end: "
                  "false): no other status may follow it")
            for j in np.flatnonzero(after_final)]
    at = {}
    for cutoff in cutoffs:
        last = np.full(len(ids), -1)
        k = np.flatnonzero((d <= np.datetime64(pd.Timestamp(cutoff))) & (p >= 0))
        last[p[k]] = k  # later records overwrite earlier ones: the last on or before the cut-off
        at[cutoff] = np.where(last >= 0, s[np.maximum(last, 0)], None)
        out += [Issue(None, ids[i], "status", f"every participant needs a status on or before {cutoff}")
                for i in np.flatnonzero(last < 0)]
    return out, at


def _same(a, b) -> bool:
    return sorted(map(tuple, a), key=str) == sorted(map(tuple, b), key=str)


def measure(n: int, folder: Path) -> str:
    p_path, h_path = population.write_population(n, folder)
    participants = load_participants(p_path)
    history = load_table(h_path, HISTORY)
    c0 = time.process_time()
    old = history_problems(history, participants["deelnemer_id"])
    agree = agreement_problems(history, participants)
    c1 = time.process_time()
    new, at = fast_problems(history, participants)
    disagree = sum(int((participants[col].astype(object).to_numpy() != at[cut]).sum())
                   for cut, col in ps.STATUS_COLUMNS.items())
    c2 = time.process_time()
    return (f"N = {n:,}: current {c1 - c0:.2f} s CPU ({len(old)} issues, {len(agree)} disagreements), proposed "
            f"{c2 - c1:.2f} s CPU ({len(new)} issues, {disagree} disagreements); same issues: {_same(old, new)}")


def corrupted() -> str:
    participants, history = population.population(300)
    extra = pd.DataFrame({"deelnemer_id": ["NOPE1", history["deelnemer_id"][0], history["deelnemer_id"][5]],
                          "datum": [history["datum"][0], history["datum"][0], pd.Timestamp("2021-03-30")],
                          "status": ["gestopt", "opleiding", "in_bemiddeling"]})
    h = pd.concat([history, extra], ignore_index=True)
    h = h[h["deelnemer_id"] != participants["deelnemer_id"][7]].reset_index(drop=True)
    old, (new, _) = history_problems(h, participants["deelnemer_id"]), fast_problems(h, participants)
    return f"corrupted history of 300: {len(old)} issues now, {len(new)} proposed; same issues: {_same(old, new)}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, nargs="+", default=[10_000, 1_000_000])
    ap.add_argument("--corrupt", action="store_true")
    args = ap.parse_args(argv)
    if args.corrupt:
        print(corrupted())
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.n:
            print(measure(n, Path(tmp) / str(n)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
