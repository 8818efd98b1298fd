"""Large consistent pilot populations for the benchmarks: N participants and the status
history that goes with them, written as the two raw CSV files the report reads
(``participants_path``, ``status_history_path``) and passing the project's own validation
(:func:`analysis.pilot.inputs.load_participants`, :func:`analysis.pilot.history.load_history`).

    python benchmarks/population.py --n 30 10000 1000000 --out /tmp/populations [--check]

The participants are the project's synthetic generator
(:func:`analysis.pilot.synthetic.generate_participants`: every quota of the 30-person pilot
scaled to N, vectorised) and the history starts from its companion
(:func:`analysis.pilot.synthetic.status_history`: registration in mediation, the status of 1
April from its date, the April movers' move into work). To that, :func:`with_episodes` adds
what a real administration also records and the companion leaves out: a training episode
(``opleiding``, then back to ``in_bemiddeling``) for a share of the participants who are in
mediation on 1 April, entirely before the pilot's end. It changes no status on a snapshot
date and no outflow date (``opleiding`` is neither work nor final), so the participant file
still agrees with the history; it makes the history longer and gives the status on dates
other than the snapshot dates something to read. Written by hand because no library makes
histories under this codebook's rules; vectorised (two million participants in seconds).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.pilot import schema as ps
from analysis.pilot.synthetic import DEFAULT_SEED, generate_participants, status_history

EPISODE_SHARE = 1 / 3  # of those in mediation on 1 April (and on the day before): one training episode
EPISODE_END = pd.Timestamp(ps.PILOT_END) - pd.Timedelta(days=1)  # back in mediation by 31 March


def participants_name(n: int) -> str:
    return f"pilot_participants_n{n}.csv"


def history_name(n: int) -> str:
    return f"pilot_status_history_n{n}.csv"


def with_episodes(history: pd.DataFrame, share: float = EPISODE_SHARE, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """``history`` plus, for ``share`` of the persons whose only records are in mediation
    up to 1 April, an ``opleiding`` record on a day after their last record and an
    ``in_bemiddeling`` record on a later day, both before :data:`EPISODE_END`. Persons are
    drawn with ``numpy.random.default_rng(seed)``; the result is sorted by person and date."""
    rng = np.random.default_rng(seed)
    last = history.groupby("deelnemer_id", sort=True).agg(
        datum=("datum", "max"), statuses=("status", "nunique"), status=("status", "first"))
    room = (EPISODE_END - last["datum"]).dt.days.to_numpy()
    eligible = np.flatnonzero(((last["statuses"] == 1) & (last["status"] == "in_bemiddeling")).to_numpy()
                              & (room >= 2))
    chosen = np.sort(rng.choice(eligible, size=round(share * eligible.size), replace=False))
    if chosen.size == 0:
        return history
    room = room[chosen]
    start = last["datum"].to_numpy()[chosen] + pd.to_timedelta(1 + rng.integers(0, room - 1), "D").to_numpy()
    back = start + pd.to_timedelta(1 + rng.integers(0, (EPISODE_END - pd.DatetimeIndex(start)).days), "D")
    ids = last.index.to_numpy()[chosen]
    extra = pd.DataFrame({"deelnemer_id": np.concatenate([ids, ids]),
                          "datum": np.concatenate([start, back.to_numpy()]),
                          "status": np.repeat(np.array(["opleiding", "in_bemiddeling"], dtype=object), ids.size)})
    out = pd.concat([history, extra.astype({"datum": history["datum"].dtype})], ignore_index=True)
    return out.sort_values(["deelnemer_id", "datum"], kind="stable").reset_index(drop=True)


def population(n: int, seed: int = DEFAULT_SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``n`` synthetic participants and their status history (with training episodes)."""
    participants = generate_participants(n, seed)
    return participants, with_episodes(status_history(participants), seed=seed)


def write_population(n: int, folder: Path, seed: int = DEFAULT_SEED) -> tuple[Path, Path]:
    """Write the population of ``n`` as raw CSV files in ``folder`` (UTF-8, ISO dates,
    ``true``/``false``: the writer of the shipped synthetic file); returns the participant
    and history paths."""
    from analysis.data.text_csv import to_text_frame, write_text_csv
    from analysis.pilot.history import HISTORY
    from analysis.synthetic_seal import seal

    participants, history = population(n, seed)
    folder.mkdir(parents=True, exist_ok=True)
    p_path, h_path = folder / participants_name(n), folder / history_name(n)
    write_text_csv(to_text_frame(participants, ps.PARTICIPANTS), p_path)
    write_text_csv(to_text_frame(history, HISTORY), h_path)
    seal(p_path, h_path)  # the generator's: may call itself synthetic (analysis.synthetic_seal)
    return p_path, h_path


def validate_population(participants_path: Path, history_path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both files through the project's loaders (every rule, the history against the
    participants); raises :class:`analysis.data.errors.InputError` on any problem."""
    from analysis.pilot.history import load_history
    from analysis.pilot.inputs import load_participants

    participants = load_participants(participants_path)
    return participants, load_history(history_path, participants)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, nargs="+", default=[30, 10_000, 1_000_000, 2_000_000])
    ap.add_argument("--out", type=Path, required=True, help="folder for the CSV files")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--check", action="store_true", help="validate each population with the project's loaders")
    args = ap.parse_args(argv)
    for n in args.n:
        t0 = time.perf_counter()
        p_path, h_path = write_population(n, args.out, args.seed)
        line = f"N = {n:,}: {p_path.name}, {h_path.name} in {time.perf_counter() - t0:.1f} s"
        if args.check:
            t0 = time.perf_counter()
            _, history = validate_population(p_path, h_path)
            line += f"; valid ({len(history):,} history records) in {time.perf_counter() - t0:.1f} s"
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
