"""The quota generator: a synthetic participant file for the study whose file says
``synthetic: {generator: quota}`` (the first shipped study, whose report publishes the facts
below; that study must be the active one), schema-identical to the case managers'
administration (:data:`analysis.pilot.schema.PARTICIPANTS`).

Every count the report publishes is a *quota* here, read from the study file's ``synthetic``
section (``status_quota``, ``sector_quota``, ...): the group sizes of the 30-person pilot,
which :func:`apportion` scales to any N by the largest-remainder method, so at N = 30 the
file meets every hard constraint (C1-C21) and the chosen reading of the soft ones (S1-S15)
exactly, and at larger N it keeps the same shares. Which rows receive a
quota is drawn from ``numpy.random.default_rng(seed)``; the generator is fully vectorised
(one million rows in a few seconds).

The quotas are data; the rules that place them (who moved into work in April, which
service goes with which triage path) still name that study's codes, as its report's facts do:
another study's synthetic data come from :mod:`analysis.pilot.study_synthetic`, drawn from
its study file alone.

No value in this file describes a real person.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import synthetic_seal
from analysis.data.text_csv import to_text_frame, write_text_csv
from analysis.pilot import schema as ps
from analysis.pilot.history import HISTORY
from analysis.study import SHIPPED, STATUS_KINDS, Study, load_study
from analysis.study.load import quota_problem, quota_studies


def quota_study() -> Study:
    """The shipped study whose synthetic data this generator makes (``generator: quota``);
    the runner refuses a folder with none or several before any kernel starts
    (:func:`analysis.study.load.quota_problem`)."""
    if problem := quota_problem(SHIPPED):
        raise ValueError(problem)
    return load_study(quota_studies(SHIPPED)[0])


def status_of_kind(study: Study) -> dict[str, str]:
    """Each status kind's one code in ``study`` (the generator's rules speak of kinds: who
    works, who is in mediation, ...); a study with two statuses of one kind is refused."""
    codes = {kind: study.of_kind(kind) for kind in STATUS_KINDS}
    wrong = {kind: list(c) for kind, c in codes.items() if len(c) != 1}
    if wrong:
        raise ValueError(f"{study.source}: the quota generator needs exactly one status of each kind; "
                         + "; ".join(f"kind {k}: {c or 'none'}" for k, c in wrong.items()))
    return {kind: c[0] for kind, c in codes.items()}


RULE_VOCABULARY = {  # each placement rule of the study file, and the study's codes it must name
    "mover_contract_quota": "contracts", "mover_found_via_quota": "found_via", "coaching": "services",
    "tests_for_triage_1": "services", "prefers_triage_3": "services", "work_ready": "services",
    "stop_reason": "stop_reasons"}


def placement_rules(study: Study) -> dict:
    """The study file's ``synthetic.placement_rules``: the codes the generator's rules name
    (contracts and channels of the April movers, which service goes to whom, the reason for
    stopping), each checked against the study's vocabulary."""
    rules = dict(study.synthetic.get("placement_rules") or {})
    need = {**RULE_VOCABULARY, "self_employed": None}
    problems = [f"synthetic.placement_rules.{k}: is required" for k in need if k not in rules]
    problems += [f"synthetic.placement_rules.{k}: unknown rule; the rules are {list(need)}" for k in rules
                 if k not in need]
    for key, vocabulary in RULE_VOCABULARY.items():
        named = rules.get(key, {})
        for code in named if isinstance(named, dict) else [named]:
            if code not in getattr(study, vocabulary):
                problems.append(f"synthetic.placement_rules.{key}: value {code} must be one of the study's "
                                f"{vocabulary} {list(getattr(study, vocabulary))}")
    own = rules.get("self_employed") or {}
    if own.get("contract") not in study.contracts or own.get("service") not in study.services:
        problems.append(f"synthetic.placement_rules.self_employed: value {own} must give a contract of the "
                        "study (contract) and a service of the study (service)")
    if problems:
        raise ValueError(f"{study.source}: " + "; ".join(problems))
    return rules


# The quotas: group sizes of the published pilot (N = 30), kept in its study file (the study
# whose synthetic generator is ``quota``); the fact ids are noted there.
_STUDY = quota_study()
_SYNTHETIC = _STUDY.synthetic
KIND = status_of_kind(_STUDY)  # kind -> the study's status code
RULES = placement_rules(_STUDY)
LATE_START = pd.Timestamp(_SYNTHETIC["late_start"])  # C15
DEFAULT_SEED = int(_SYNTHETIC["seed"])
STATUS_QUOTA = dict(_SYNTHETIC["status_quota"])  # C2-C6, S1
EDUCATION_QUOTA = {k: dict(v) for k, v in _SYNTHETIC["education_quota"].items()}  # C13, C14, S4
TRIAGE_QUOTA = {k: dict(v) for k, v in _SYNTHETIC["triage_quota"].items()}  # S6
SECTOR_QUOTA = dict(_SYNTHETIC["sector_quota"])  # C11
CONTRACT_QUOTA = dict(_SYNTHETIC["contract_quota"])  # C12
FOUND_VIA_QUOTA = dict(_SYNTHETIC["found_via_quota"])  # S10
EMPLOYER_QUOTA = dict(_SYNTHETIC["employer_quota"])  # C19
STAYED_WITH_EMPLOYER_AT = _SYNTHETIC["stayed_with_employer_at"]  # S2
OPERATIONAL_FUNCTION_QUOTA = dict(_SYNTHETIC["operational_function_quota"])  # S5
SERVICE_QUOTA = dict(_SYNTHETIC["service_quota"])  # S7, S8
N_PILOT = 30
N_TENURE_OVER_10 = 20  # C17
N_AGE_OVER_45 = 19  # C18 (>= 16)
N_STAFF = 5  # S5
N_INTERVIEWED = 12  # C21
N_WOMEN_INTERVIEWED = 7  # S13 (>= 3)
N_WOMEN_OTHER = 10
N_NOTICE = 18  # S14
N_MOVERS = 3  # C9
N_STARTED_2021 = 3  # C15 (of the 9 in mediation)
N_SHELTERED = 1  # C15
N_CERTIFICATION = 3  # S11 (of 14 working)
# How many of the three April movers came from education (S12, T3): with 2, the definition
# behind the 64% also gives the 68% (see analysis.pilot.outcomes).
DEFAULT_MOVERS_FROM_EDUCATION = 2


def apportion(total: int, weights: Mapping[object, float]) -> dict[object, int]:
    """Split ``total`` over ``weights`` by the largest-remainder (Hamilton) method; ties go
    to the earlier key. ``apportion(30, QUOTA)`` returns the quota itself when it sums to 30."""
    keys = list(weights)
    w = np.array([float(weights[k]) for k in keys])
    if total <= 0 or w.sum() <= 0:
        return {k: 0 for k in keys}
    exact = w / w.sum() * total
    base = np.floor(exact).astype(int)
    rest = total - base.sum()
    order = sorted(range(len(keys)), key=lambda i: (-(exact[i] - base[i]), i))
    for i in order[:rest]:
        base[i] += 1
    return {k: int(b) for k, b in zip(keys, base)}


def scaled(n_pilot_count: int, group_size: int, pilot_group_size: int) -> int:
    """A pilot count scaled to a group of another size, exact at the pilot's size."""
    return apportion(group_size, {"a": n_pilot_count, "b": pilot_group_size - n_pilot_count})["a"]


@dataclass
class _Draw:
    rng: np.random.Generator

    def pick(self, candidates: np.ndarray, k: int, prefer: np.ndarray | None = None) -> np.ndarray:
        """``k`` indices from ``candidates`` at random; with ``prefer`` (bool per candidate),
        preferred candidates come first."""
        if k <= 0 or candidates.size == 0:
            return candidates[:0]
        key = self.rng.random(candidates.size)
        if prefer is not None:
            key = key - prefer.astype(float)
        if k >= candidates.size:
            return candidates[np.argsort(key, kind="stable")]
        # the k smallest keys, in order: as a full argsort's first k (keys are distinct
        # random floats), without sorting a million keys to keep a few thousand
        first = np.argpartition(key, k - 1)[:k]
        return candidates[first[np.argsort(key[first], kind="stable")]]

    def labels(self, rows: np.ndarray, quota: Mapping[object, float], out: np.ndarray) -> None:
        """Give ``rows`` labels in proportion to ``quota`` (exact at the pilot's size)."""
        counts = apportion(rows.size, quota)
        values = np.repeat(np.array(list(counts), dtype=object), list(counts.values()))
        out[self.rng.permutation(rows)] = values


@dataclass(frozen=True)
class _Groups:
    """Row indices of the status groups on 1 April and of the April movers."""
    n: int
    status: np.ndarray
    by_status: dict[str, np.ndarray]
    movers: np.ndarray

    @property
    def idx(self) -> np.ndarray:
        return np.arange(self.n)

    @property
    def working(self) -> np.ndarray:
        return np.concatenate([self.by_status[KIND["work"]], self.by_status[KIND["work_and_education"]]])

    @property
    def started(self) -> np.ndarray:
        return self.idx[self.status != KIND["not_started"]]


def generate_participants(n: int = N_PILOT, seed: int = DEFAULT_SEED,
                          movers_from_education: int = DEFAULT_MOVERS_FROM_EDUCATION) -> pd.DataFrame:
    """Generate ``n`` synthetic participants. ``movers_from_education`` (0-2) says how many
    of the three who moved into work between 1 and 16 April came from education (S12,
    T3-T4); the rest come from mediation (the statuses of kind education and in_progress).
    The default (2) is the reading under which one definition of uptake gives both published rates (see
    :mod:`analysis.pilot.outcomes`). The steps below run in a fixed order: each draws
    from the same generator, so reordering them changes the file."""
    if n < 1:
        raise ValueError("n must be at least 1")
    if not 0 <= movers_from_education <= 2:
        raise ValueError("movers_from_education must be 0, 1 or 2")
    d = _Draw(np.random.default_rng(seed))
    g = _status_groups(d, n, movers_from_education)
    cols: dict[str, object] = {}
    late = _dates(d, g, cols)
    _education(d, g, cols)
    _triage(d, g, cols)
    _new_jobs(d, g, cols)
    _age_and_tenure(d, g, cols)
    _employer(d, g, cols)
    _function(d, g, cols)
    coached = _services(d, g, cols)
    _interviews_and_gender(d, g, coached, cols)
    _other_fields(d, g, late, cols)
    out = _assemble(d, g, cols)
    out.attrs[GENERATED] = content_digest(out)  # what the writers seal: this content, unchanged
    return out


GENERATED = "vwnw_generated"  # the digest of a frame as this generator made it: only that is sealed when written


def content_digest(df: pd.DataFrame) -> str:
    """A digest of ``df``'s columns, index and values (pandas' row hashes, in order)."""
    rows = pd.util.hash_pandas_object(df, index=True).to_numpy()
    return hashlib.sha256(b"\0".join([",".join(map(str, df.columns)).encode(), rows.tobytes()])).hexdigest()


def sealable(df: pd.DataFrame) -> bool:
    """Whether ``df`` is a frame :func:`generate_participants` made, unchanged: the writers seal
    only that. The eleventh intruder loaded the shipped synthetic file, typed real records over
    it and saved it with :func:`write_participants`, which sealed whatever it was given; the
    sixteenth assigned real records to the columns of a generated frame, whose mark pandas keeps
    through any edit (it was a flag, now the digest of the content the generator made)."""
    made = getattr(df, "attrs", {}).get(GENERATED)
    return isinstance(made, str) and made == content_digest(df)


def _status_groups(d: _Draw, n: int, movers_from_education: int) -> _Groups:
    """Status on 1 April by quota (C2-C6, S1) and the three who moved into work by 16 April
    (C9, S12)."""
    counts = apportion(n, STATUS_QUOTA)
    status = np.repeat(np.array(list(counts), dtype=object), list(counts.values()))
    by_status = {s: np.arange(n)[status == s] for s in counts}
    n_movers = scaled(N_MOVERS, n, N_PILOT)
    education, mediation = by_status[KIND["education"]], by_status[KIND["in_progress"]]
    from_edu = min(scaled(movers_from_education, n, N_PILOT), education.size)
    movers = np.concatenate([d.pick(education, from_edu), d.pick(mediation, n_movers - from_edu)])
    return _Groups(n, status, by_status, movers)


def _dates(d: _Draw, g: _Groups, cols: dict) -> np.ndarray:
    """Inflow, start and outflow dates (C15, C16, T1); returns the late starters (2021)."""
    n, grp = g.n, g.by_status
    inflow = pd.Timestamp(ps.PILOT_START) + pd.to_timedelta(
        d.rng.integers(0, (pd.Timestamp(ps.INFLOW_END) - pd.Timestamp(ps.PILOT_START)).days + 1, n), "D")
    start = inflow + pd.to_timedelta(d.rng.integers(5, 36, n), "D")
    start = start.where(start <= pd.Timestamp(ps.INFLOW_END), pd.Timestamp(ps.INFLOW_END))
    start = pd.Series(start.where(start >= inflow, inflow))
    mediation = grp[KIND["in_progress"]]
    late = d.pick(mediation, scaled(N_STARTED_2021, mediation.size, 9), prefer=~np.isin(mediation, g.movers))
    start.iloc[late] = LATE_START + pd.to_timedelta(d.rng.integers(0, 50, late.size), "D")
    start.iloc[grp[KIND["not_started"]]] = pd.NaT

    working = g.working
    outflow = pd.Series(pd.NaT, index=g.idx, dtype="datetime64[ns]")
    room = (pd.Timestamp(ps.PILOT_END) - start.iloc[working]).dt.days.clip(lower=1).to_numpy()
    outflow.iloc[working] = start.iloc[working] + pd.to_timedelta((d.rng.random(working.size) * room).astype(int), "D")
    after_end = pd.Timestamp(ps.PILOT_END) + pd.Timedelta(days=1)
    outflow.iloc[g.movers] = after_end + pd.to_timedelta(d.rng.integers(0, 15, g.movers.size), "D")
    cols.update(instroomdatum=pd.DatetimeIndex(inflow).as_unit("ns"), startdatum=start.to_numpy(),
                uitstroomdatum=outflow.to_numpy())
    return late


def _education(d: _Draw, g: _Groups, cols: dict) -> None:
    """Education level by status group (C13, C14, S4)."""
    education = np.empty(g.n, dtype=object)
    d.labels(g.working, EDUCATION_QUOTA["working"], education)
    mediation = KIND["in_progress"]
    d.labels(g.by_status[mediation], EDUCATION_QUOTA[mediation], education)
    other = np.concatenate([g.by_status[KIND[k]] for k in ("education", "old_employer", "stopped", "not_started")])
    d.labels(other, EDUCATION_QUOTA["other"], education)
    cols["opleidingsniveau"] = education


def _triage(d: _Draw, g: _Groups, cols: dict) -> None:
    """Triage path by status group (S6); participants who never started are not triaged."""
    triage = np.full(g.n, None, dtype=object)
    d.labels(g.working, TRIAGE_QUOTA["working"], triage)
    for s in (KIND[k] for k in ("in_progress", "education", "old_employer", "stopped")):
        d.labels(g.by_status[s], TRIAGE_QUOTA[s], triage)
    cols["triage"] = triage


def _new_jobs(d: _Draw, g: _Groups, cols: dict) -> None:
    """Sector, contract and channel of the new job (C11, C12, S10, S11); the 16 April
    movers get a job outside the pilot's own sector."""
    n, working, movers = g.n, g.working, g.movers
    sector, contract, found_via = (np.full(n, None, dtype=object) for _ in range(3))
    d.labels(working, SECTOR_QUOTA, sector)
    d.labels(working, CONTRACT_QUOTA, contract)
    d.labels(working, FOUND_VIA_QUOTA, found_via)
    others = [s for s in SECTOR_QUOTA if s != ps.SAME_SECTOR]
    d.labels(movers, {s: SECTOR_QUOTA[s] for s in others}, sector)
    d.labels(movers, dict(RULES["mover_contract_quota"]), contract)
    d.labels(movers, dict(RULES["mover_found_via_quota"]), found_via)
    certification = np.zeros(n, dtype=bool)
    certification[d.pick(working, scaled(N_CERTIFICATION, working.size, 14))] = True
    cols.update(sector_nieuw=sector, contract_nieuw=contract, gevonden_via=found_via,
                certificeringscursus=certification)


def _age_and_tenure(d: _Draw, g: _Groups, cols: dict) -> None:
    """Age and years of service (C17, C18); long tenure needs an age of at least 30."""
    n, idx = g.n, g.idx
    age = np.empty(n, dtype=int)
    older = np.zeros(n, dtype=bool)
    older[d.pick(idx, scaled(N_AGE_OVER_45, n, N_PILOT))] = True
    age[older] = d.rng.integers(46, 64, older.sum())
    age[~older] = d.rng.integers(26, 46, (~older).sum())
    long_tenure = np.zeros(n, dtype=bool)
    long_tenure[d.pick(idx, scaled(N_TENURE_OVER_10, n, N_PILOT), prefer=age >= 30)] = True
    hi = np.minimum(35.0, age - 18.0)
    tenure = np.where(long_tenure, 10.5 + d.rng.random(n) * np.maximum(hi - 10.5, 0.0),
                      0.5 + d.rng.random(n) * 9.5)
    cols.update(leeftijd=age, dienstjaren=np.round(tenure * 2) / 2)  # administrations record half years


def _employer(d: _Draw, g: _Groups, cols: dict) -> None:
    """Dismissing employer (C19; S2: everyone who stayed with the old employer was at one
    employer, the study file's ``stayed_with_employer_at``)."""
    employer = np.empty(g.n, dtype=object)
    old = KIND["old_employer"]
    employer[g.by_status[old]] = STAYED_WITH_EMPLOYER_AT
    quota = dict(EMPLOYER_QUOTA)
    quota[STAYED_WITH_EMPLOYER_AT] -= STATUS_QUOTA[old]
    d.labels(g.idx[g.status != old], quota, employer)
    cols["werkgever"] = employer


def _function(d: _Draw, g: _Groups, cols: dict) -> None:
    """Job at inflow and staff/operational type (S5)."""
    staff = np.zeros(g.n, dtype=bool)
    staff[d.pick(g.idx, scaled(N_STAFF, g.n, N_PILOT))] = True
    function = np.empty(g.n, dtype=object)
    d.labels(g.idx[staff], {f: 1 for f in ps.FUNCTIONS_STAFF}, function)
    d.labels(g.idx[~staff], OPERATIONAL_FUNCTION_QUOTA, function)
    cols.update(functie=function, functietype=np.where(staff, "staf", "uitvoerend"))


def _services(d: _Draw, g: _Groups, cols: dict) -> np.ndarray:
    """Services (S7, S8, F46, F53, F57): everyone who started is coached except triage 1.
    Returns the coached participants."""
    n, idx, triage = g.n, g.idx, cols["triage"]
    services = {s: np.zeros(n, dtype=bool) for s in ps.SERVICES}
    is_started = np.isin(idx, g.started)
    coached_idx = idx[is_started & (triage != 1)]
    services[RULES["coaching"]][coached_idx] = True
    n_coached_pilot = N_PILOT - STATUS_QUOTA[KIND["not_started"]] - 1
    for s, k in SERVICE_QUOTA.items():
        prefer = triage[coached_idx] == 3 if s == RULES["prefers_triage_3"] else None
        services[s][d.pick(coached_idx, scaled(k, coached_idx.size, n_coached_pilot), prefer=prefer)] = True
    services[RULES["tests_for_triage_1"]][idx[triage == 1]] = True  # F46: the triage-1 person got tests
    own = RULES["self_employed"]
    services[own["service"]][idx[cols["contract_nieuw"] == own["contract"]]] = True  # F53
    ready = RULES["work_ready"]
    services[ready][np.intersect1d(g.working, coached_idx)] = True  # F57: work-ready
    mediation = g.by_status[KIND["in_progress"]]
    services[ready][d.pick(mediation, scaled(4, mediation.size, 9))] = True
    services[ready] &= is_started
    cols.update(services)
    return coached_idx


def _interviews_and_gender(d: _Draw, g: _Groups, coached_idx: np.ndarray, cols: dict) -> None:
    """Interviews (C21, S13): 12 coached participants incl. the zzp starter, and sex."""
    n, idx = g.n, g.idx
    zzp = idx[cols["contract_nieuw"] == RULES["self_employed"]["contract"]]
    interviewed = np.zeros(n, dtype=bool)
    interviewed[d.pick(coached_idx, scaled(N_INTERVIEWED, n, N_PILOT), prefer=np.isin(coached_idx, zzp))] = True
    gender = np.empty(n, dtype=object)
    iv = idx[interviewed]
    iv_sorted = np.concatenate([iv[np.isin(iv, zzp)], d.rng.permutation(iv[~np.isin(iv, zzp)])])
    n_women_iv = scaled(N_WOMEN_INTERVIEWED, iv.size, N_INTERVIEWED)
    gender[iv_sorted[:n_women_iv]] = "vrouw"
    gender[iv_sorted[n_women_iv:]] = "man"
    d.labels(idx[~interviewed], {"vrouw": N_WOMEN_OTHER, "man": N_PILOT - N_INTERVIEWED - N_WOMEN_OTHER}, gender)
    cols.update(geinterviewd=interviewed, geslacht=gender)


def _other_fields(d: _Draw, g: _Groups, late: np.ndarray, cols: dict) -> None:
    """Dismissal notice (S14), sheltered-work application (C15), case manager (C20) and
    the reason for stopping (S3)."""
    n, idx = g.n, g.idx
    notice = np.zeros(n, dtype=bool)
    notice[d.pick(idx, scaled(N_NOTICE, n, N_PILOT))] = True
    sheltered = np.zeros(n, dtype=bool)
    sheltered[late[: scaled(N_SHELTERED, g.by_status[KIND["in_progress"]].size, 9)]] = True
    case_manager = np.full(n, None, dtype=object)
    d.labels(g.started, {org: 1 for org in ps.CASE_MANAGER_ORGS}, case_manager)
    reason = np.where(np.isin(g.status, [KIND["stopped"], KIND["not_started"]]), RULES["stop_reason"], None)
    cols.update(ontslagaanzegging=notice, beschut_werk_aanvraag=sheltered, casemanager_org=case_manager,
                reden_stoppen=reason)


def _assemble(d: _Draw, g: _Groups, cols: dict) -> pd.DataFrame:
    """The columns in schema order, rows in a random order, numbered in that order."""
    status_0416 = g.status.copy()
    status_0416[g.movers] = KIND["work"]
    cols.update({"deelnemer_id": None, "synthetisch": True, "triage": pd.array(cols["triage"], dtype="Int64"),
                 ps.STATUS_END: g.status, ps.STATUS_FOLLOW_UP: status_0416})
    names = [c.name for c in ps.PARTICIPANTS.columns]
    df = pd.DataFrame({name: cols[name] for name in names})
    df = df.iloc[d.rng.permutation(g.n)].reset_index(drop=True)
    width = max(4, len(str(g.n)))
    df["deelnemer_id"] = [f"SYN{i:0{width}d}" for i in range(1, g.n + 1)]
    return df


def status_history(df: pd.DataFrame) -> pd.DataFrame:
    """The dated status history (long format, :data:`analysis.pilot.history.HISTORY`) that
    gives each person's status on 1 and 16 April and outflow date: at inflow registration in
    mediation (or not started, then nothing else); before 1 April the status of 1 April for
    those not in mediation then (work on the outflow date; education, back to the old
    employer or stopped halfway between the start of the trajectory and 1 April); the April
    movers' move into work on their outflow date. A first change on the day of registration
    replaces the registration. Vectorised (the generator runs at a million rows); the
    snapshot columns of the participant file are this history's statuses on their dates."""
    ids = df["deelnemer_id"].to_numpy()
    inflow = pd.to_datetime(df["instroomdatum"]).to_numpy()
    s1, s2 = df[ps.STATUS_END].astype(object).to_numpy(), df[ps.STATUS_FOLLOW_UP].astype(object).to_numpy()
    outflow = pd.to_datetime(df["uitstroomdatum"]).to_numpy()
    begin = pd.Series(pd.to_datetime(df["startdatum"]).to_numpy()).fillna(pd.Series(inflow))
    end = pd.Timestamp(ps.PILOT_END)
    mid = (begin + (end - begin) / 2).clip(lower=pd.Series(inflow) + pd.Timedelta(days=1)).dt.normalize().to_numpy()
    not_started = s1 == KIND["not_started"]
    work1 = pd.Series(s1).isin(ps.WORK_STATUSES).to_numpy()
    mediation = KIND["in_progress"]
    other1 = ~work1 & ~not_started & (s1 != mediation)
    moved = ~not_started & (s2 != s1)
    second = pd.Series(outflow).where(work1 | ~other1, pd.Series(mid)).where(work1 | other1, pd.Series(outflow))
    keep_first = not_started | ~((work1 | other1 | moved) & (second.to_numpy() == inflow))
    parts = [(keep_first, inflow, np.where(not_started, s1, mediation)),
             (work1, outflow, s1), (other1, mid, s1), (moved, outflow, s2)]
    out = pd.concat([pd.DataFrame({"deelnemer_id": ids[m], "datum": d[m], "status": st[m]}) for m, d, st in parts],
                    ignore_index=True)
    out["datum"] = pd.to_datetime(out["datum"])
    return out.sort_values(["deelnemer_id", "datum"], kind="stable").reset_index(drop=True)


def history_path_beside(path):
    """The status history written beside a participant CSV: ``..._participants_...`` ->
    ``..._status_history_...`` (else ``<stem>.status_history.csv``)."""
    path = Path(path)
    name = path.name.replace("participants", "status_history")
    return path.with_name(name if name != path.name else f"{path.stem}.status_history.csv")


def write_participants(df: pd.DataFrame, path) -> None:
    """Write a participant frame as UTF-8 CSV (ISO dates, ``true``/``false``), or as
    Parquet when ``path`` ends in ``.parquet``; a CSV gets its status history beside it
    (:func:`status_history`, :func:`history_path_beside`). Sealed as the generator's
    (:mod:`analysis.synthetic_seal`) only when the frame is the generator's (:func:`sealable`)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".parquet":
        df.to_parquet(path, index=False)
        if sealable(df):
            synthetic_seal.seal(path)
        return
    write_text_csv(to_text_frame(df, ps.PARTICIPANTS), path)

    write_text_csv(to_text_frame(status_history(df), HISTORY), history_path_beside(path))
    if sealable(df):
        synthetic_seal.seal(path, history_path_beside(path))
