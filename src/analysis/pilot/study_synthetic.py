"""A synthetic pilot drawn from its study file alone: participants and their dated status
history, seeded (``numpy.random.default_rng(seed)``), for a study without a report to
match (the quota generator, :mod:`analysis.pilot.synthetic`, meets a
report's published facts by quotas instead).

Each person's trajectory is drawn as a sequence of dated statuses and everything else
follows from it: the status on each snapshot date is the history's (the participant file's
status columns), the outflow date is the first work, a sector, contract and way of finding
the job exist exactly for those in work on the second snapshot date. Where the study lets an
outflow end (``outflow_can_end``), some placements end before the pilot's end and the person
goes back into the trajectory (some of them are placed again). Written by hand because the
trajectory rules are the study's own; the files pass the same validation as a real file.

Run ``python -m analysis.pilot.study_synthetic <study>`` to (re)write the study's files
named in its ``synthetic`` section.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd

from analysis import paths, synthetic_seal
from analysis.data.loading import validate_frame
from analysis.data.text_csv import to_text_frame, write_text_csv
from analysis.pilot import history, schema as ps
from analysis.pilot.synthetic import generate_participants
from analysis.study import SHIPPED, Study, load_study, study_ids

# Shares of the outcome on the first snapshot date, by kind (the rest: in progress).
KIND_SHARES = {"not_started": 0.05, "stopped": 0.05, "old_employer": 0.06, "education": 0.08,
               "work": 0.40, "work_and_education": 0.08}
LATE_MOVER_SHARE = 0.25  # of those in progress or education on the first date: work by the second
REENTRY_SHARE = 0.3  # of those in progress on the first date: a placement that ended (re-entry studies)


def _day(rng, start: pd.Timestamp, end: pd.Timestamp) -> pd.Timestamp:
    """A day from ``start`` to ``end`` (both included; ``start`` when the range is empty)."""
    days = max((end - start).days, 0)
    return start + pd.Timedelta(days=int(rng.integers(0, days + 1)))


def _first_kind(rng, study: Study) -> str:
    kinds = [k for k in KIND_SHARES if study.of_kind(k)]
    p = np.array([KIND_SHARES[k] for k in kinds])
    rest = 1 - p.sum()
    return str(rng.choice([*kinds, "in_progress"], p=[*p, rest]))


def _trajectory(rng, study: Study, inflow: pd.Timestamp) -> tuple[list, pd.Timestamp | None]:
    """One person's dated statuses and start date (None: never started)."""
    end, follow = pd.Timestamp(study.pilot_end), pd.Timestamp(study.follow_up_end)
    progress = study.of_kind("in_progress")[0]
    kind = _first_kind(rng, study)
    if kind == "not_started":
        return [(inflow, study.of_kind("not_started")[0])], None
    start = _day(rng, inflow, min(inflow + pd.Timedelta(days=30), end))
    records = [(inflow, progress)]
    day = _day(rng, start + pd.Timedelta(days=14), end - pd.Timedelta(days=20))
    if kind == "in_progress" and study.outflow_can_end and rng.random() < REENTRY_SHARE:
        records += [(day, str(rng.choice(study.work_statuses))),  # a placement that ended
                    (_day(rng, day + pd.Timedelta(days=7), end - pd.Timedelta(days=10)), progress)]
        day = records[-1][0] + pd.Timedelta(days=1)
    if kind != "in_progress":
        records.append((day, str(rng.choice(study.of_kind(kind)))))
    if kind in ("in_progress", "education") and rng.random() < LATE_MOVER_SHARE:
        records.append((_day(rng, end + pd.Timedelta(days=1), follow), str(rng.choice(study.work_statuses))))
    return _one_per_day(records), start


def _one_per_day(records: list) -> list:
    """The last status of each day, in date order (a change on the day of registration
    replaces the registration)."""
    by_day = {}
    for day, status in records:
        by_day[day] = status
    return sorted(by_day.items())


def generate_study(study: Study, n: int | None = None, seed: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The participant frame (validated columns of ``study``) and its status history."""
    n = int(n or study.synthetic.get("n", 50))
    rng = np.random.default_rng(int(seed if seed is not None else study.synthetic.get("seed", 1)))
    start, inflow_end = pd.Timestamp(study.pilot_start), pd.Timestamp(study.inflow_end)
    width = max(4, len(str(n)))
    prefix = str(study.synthetic.get("id_prefix", "SYN"))  # ids of its own: no file shares another's
    rows, history = [], []
    for i in range(n):
        pid = f"{prefix}{i + 1:0{width}d}"
        inflow = _day(rng, start, inflow_end)
        records, begun = _trajectory(rng, study, inflow)
        history += [(pid, d, s) for d, s in records]
        rows.append(_person(rng, study, pid, inflow, begun, records))
    participants = pd.DataFrame(rows)
    hist = pd.DataFrame(history, columns=["deelnemer_id", "datum", "status"])
    return participants[[c.name for c in ps.participants_spec(study).columns]], hist


def _status_on(records: list, day: str) -> str:
    return [s for d, s in records if d <= pd.Timestamp(day)][-1]


def _person(rng, study: Study, pid: str, inflow, begun, records) -> dict:
    s1, s2 = (_status_on(records, d) for d in study.snapshots)
    work = [d for d, s in records if s in study.work_statuses]
    working = s2 in study.work_statuses
    started = begun is not None
    function = str(rng.choice(study.functions))
    age = int(rng.integers(21, 64))
    services = {s: bool(started and rng.random() < (0.85 if s == "dv_coaching" else 0.35)) for s in study.services}
    stopped = s1 in study.of_kind("stopped", "not_started")
    return {
        "deelnemer_id": pid, "synthetisch": True, "werkgever": str(rng.choice(study.employers)),
        "instroomdatum": inflow, "startdatum": begun if started else pd.NaT,
        "casemanager_org": str(rng.choice(study.case_manager_orgs)) if started else None,
        "geslacht": str(rng.choice(["man", "vrouw"])), "leeftijd": age,
        "opleidingsniveau": str(rng.choice(ps.EDUCATION_LEVELS, p=[0.5, 0.4, 0.1])),
        "dienstjaren": float(rng.integers(0, max(age - 18, 1))), "functie": function,
        "functietype": "staf" if function in study.functions_staff else "uitvoerend",
        "ontslagaanzegging": bool(rng.random() < 0.6),
        "triage": int(rng.choice(study.triage_paths)) if started else None, **services,
        ps.status_column(study.snapshots[0]): s1, ps.status_column(study.snapshots[1]): s2,
        "uitstroomdatum": work[0] if work else pd.NaT,
        "sector_nieuw": str(rng.choice(study.sectors)) if working else None,
        "contract_nieuw": str(rng.choice(study.contracts)) if working else None,
        "gevonden_via": str(rng.choice(study.found_via)) if working else None,
        "certificeringscursus": bool(working and rng.random() < 0.2),
        "reden_stoppen": str(rng.choice(study.stop_reasons)) if stopped and study.stop_reasons else None,
        "beschut_werk_aanvraag": False, "geinterviewd": bool(started and rng.random() < 0.3),
    }


def write_study_data(study: Study) -> list[str]:
    """Write the study's synthetic participant file and status history (the paths of its
    ``synthetic`` section) as validated CSV; returns the paths written."""
    ps.use_study(study)
    participants, hist = generate_study(study)
    out = []
    for key, frame, spec in (("participants", participants, ps.PARTICIPANTS),
                             ("status_history", hist, history.history_spec())):
        path = paths.resolve(study.synthetic[key])
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_csv(to_text_frame(frame, spec), path)
        synthetic_seal.seal(path)
        out.append(str(study.synthetic[key]))
    return out


def _own_generator_studies() -> list[str]:
    """The shipped studies whose synthetic data this module draws (``generator: study``)."""
    return [sid for sid in study_ids(SHIPPED) if load_study(sid).synthetic.get("generator") == "study"]


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    for name in args or _own_generator_studies():
        for path in write_study_data(load_study(name)):
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


def generate_for_active_study(n: int) -> pd.DataFrame:
    """A synthetic participant frame of ``n`` rows for the active study (notebook 03's
    ``synthetic_n``): the quota generator for the study whose synthetic generator is
    ``quota``, else this module's generator from the study file."""
    if ps.STUDY.synthetic.get("generator") == "quota":
        return generate_participants(n)
    return _validated(generate_study(ps.STUDY, n)[0])


def _validated(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as a load would give it (types of the spec), through the text route."""
    return validate_frame(to_text_frame(frame, ps.PARTICIPANTS), ps.PARTICIPANTS, file="(synthetic)")
