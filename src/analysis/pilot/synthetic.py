"""A synthetic participant file for the catering pilot, schema-identical to the case
managers' administration (:data:`analysis.pilot.schema.PARTICIPANTS`).

Every count the report publishes is a *quota* here: ``QUOTAS`` gives the group sizes of the
30-person pilot and :func:`apportion` scales them to any N by the largest-remainder method,
so at N = 30 the file meets every hard constraint (C1-C21) and the chosen reading of the
soft ones (S1-S15) exactly, and at larger N it keeps the same shares. Which rows receive a
quota is drawn from ``numpy.random.default_rng(seed)``; the generator is fully vectorised
(one million rows in a few seconds).

No value in this file describes a real person.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.pilot import schema as ps

DEFAULT_SEED = 20210401

# Group sizes of the published pilot (N = 30); keys are fact/constraint ids.
STATUS_QUOTA = {  # C2-C6, S1 (oude_werkgever 2, gestopt 1, niet_gestart 2)
    "nieuwe_baan": 12, "werk_en_scholing": 2, "opleiding": 2, "in_bemiddeling": 9,
    "oude_werkgever": 2, "gestopt": 1, "niet_gestart": 2,
}
EDUCATION_QUOTA = {  # C13 (7 of 14 working laag), C14 (>= 5 of 9 in mediation laag), S4
    "working": {"laag": 7, "middelbaar": 5, "hoog": 2},
    "in_bemiddeling": {"laag": 6, "middelbaar": 3},
    "other": {"laag": 2, "middelbaar": 4, "hoog": 1},
}
TRIAGE_QUOTA = {  # S6: exactly one triage-1 participant (working); 2/3 the bulk
    "working": {1: 1, 2: 9, 3: 4},
    "in_bemiddeling": {2: 2, 3: 7},
    "opleiding": {2: 1, 3: 1},
    "oude_werkgever": {2: 1, 3: 1},
    "gestopt": {3: 1},
}
SECTOR_QUOTA = {ps.SAME_SECTOR: 1, "zorg": 4, "logistiek": 2, "detailhandel": 2, "schoonmaak": 1,
                "onderwijs": 1, "techniek": 1, "zakelijke_dienstverlening": 2}  # C11: 13 of 14 elsewhere
CONTRACT_QUOTA = {"vast": 1, "zzp": 1, "tijdelijk": 8, "uitzend": 4}  # C12
FOUND_VIA_QUOTA = {"eigen_netwerk": 5, "vacature_casemanager": 5, "uitzendbureau": 2, "team_match": 2}  # S10
EMPLOYER_QUOTA = {"Hutten": 13, "Maison van den Boer": 13, "Hotel Central": 4}  # C19
SERVICE_QUOTA = {  # counts among the 27 coached participants (S7, S8)
    "dv_talentenscan": 18, "dv_loopbaantest": 16, "dv_rouwverwerking": 3, "dv_social_media": 10,
    "dv_sollicitatietraining": 14, "dv_videopitch": 3,
}
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


def generate_participants(n: int = N_PILOT, seed: int = DEFAULT_SEED,
                          movers_from_education: int = 1) -> pd.DataFrame:
    """Generate ``n`` synthetic participants. ``movers_from_education`` (0-2) says how many
    of the three who moved into work between 1 and 16 April came from ``opleiding`` (S12,
    T3-T4); the rest come from ``in_bemiddeling``."""
    if n < 1:
        raise ValueError("n must be at least 1")
    if not 0 <= movers_from_education <= 2:
        raise ValueError("movers_from_education must be 0, 1 or 2")
    d = _Draw(np.random.default_rng(seed))
    counts = apportion(n, STATUS_QUOTA)
    status = np.repeat(np.array(list(counts), dtype=object), list(counts.values()))
    idx = np.arange(n)
    grp = {s: idx[status == s] for s in counts}
    working = np.concatenate([grp["nieuwe_baan"], grp["werk_en_scholing"]])
    started = idx[status != "niet_gestart"]

    # --- 16 April: movers into work (C9, S12)
    status_0416 = status.copy()
    n_movers = scaled(N_MOVERS, n, N_PILOT)
    from_edu = min(scaled(movers_from_education, n, N_PILOT), grp["opleiding"].size)
    movers = np.concatenate([d.pick(grp["opleiding"], from_edu),
                             d.pick(grp["in_bemiddeling"], n_movers - from_edu)])
    status_0416[movers] = "nieuwe_baan"

    # --- dates (C15, C16, T1)
    inflow = pd.Timestamp(ps.PILOT_START) + pd.to_timedelta(
        d.rng.integers(0, (pd.Timestamp(ps.INFLOW_END) - pd.Timestamp(ps.PILOT_START)).days + 1, n), "D")
    start = inflow + pd.to_timedelta(d.rng.integers(5, 36, n), "D")
    start = start.where(start <= pd.Timestamp(ps.INFLOW_END), pd.Timestamp(ps.INFLOW_END))
    start = pd.Series(start.where(start >= inflow, inflow))
    late = d.pick(grp["in_bemiddeling"], scaled(N_STARTED_2021, grp["in_bemiddeling"].size, 9),
                  prefer=~np.isin(grp["in_bemiddeling"], movers))
    start.iloc[late] = pd.Timestamp("2021-01-04") + pd.to_timedelta(d.rng.integers(0, 50, late.size), "D")
    start.iloc[grp["niet_gestart"]] = pd.NaT

    outflow = pd.Series(pd.NaT, index=idx, dtype="datetime64[ns]")
    w_start = start.iloc[working]
    room = (pd.Timestamp(ps.PILOT_END) - w_start).dt.days.clip(lower=1).to_numpy()
    outflow.iloc[working] = w_start + pd.to_timedelta((d.rng.random(working.size) * room).astype(int), "D")
    outflow.iloc[movers] = pd.Timestamp("2021-04-02") + pd.to_timedelta(d.rng.integers(0, 15, movers.size), "D")

    # --- education (C13, C14, S4)
    education = np.empty(n, dtype=object)
    d.labels(working, EDUCATION_QUOTA["working"], education)
    d.labels(grp["in_bemiddeling"], EDUCATION_QUOTA["in_bemiddeling"], education)
    other = np.concatenate([grp[s] for s in ("opleiding", "oude_werkgever", "gestopt", "niet_gestart")])
    d.labels(other, EDUCATION_QUOTA["other"], education)

    # --- triage (S6); never-started participants are not triaged
    triage = np.full(n, None, dtype=object)
    d.labels(working, TRIAGE_QUOTA["working"], triage)
    for s in ("in_bemiddeling", "opleiding", "oude_werkgever", "gestopt"):
        d.labels(grp[s], TRIAGE_QUOTA[s], triage)

    # --- new job (C11, C12, S10, S11); the 16 April movers get a job outside catering
    sector = np.full(n, None, dtype=object)
    contract = np.full(n, None, dtype=object)
    found_via = np.full(n, None, dtype=object)
    d.labels(working, SECTOR_QUOTA, sector)
    d.labels(working, CONTRACT_QUOTA, contract)
    d.labels(working, FOUND_VIA_QUOTA, found_via)
    others = [s for s in SECTOR_QUOTA if s != ps.SAME_SECTOR]
    d.labels(movers, {s: SECTOR_QUOTA[s] for s in others}, sector)
    d.labels(movers, {"tijdelijk": 2, "uitzend": 1}, contract)
    d.labels(movers, {"vacature_casemanager": 2, "eigen_netwerk": 1}, found_via)
    certification = np.zeros(n, dtype=bool)
    certification[d.pick(working, scaled(N_CERTIFICATION, working.size, 14))] = True

    # --- age and tenure (C17, C18); long tenure needs an age of at least 30
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
    tenure = np.round(tenure * 2) / 2  # administrations record half years

    # --- employer (C19, S2: everyone who stayed with the old employer worked at Hutten)
    employer = np.empty(n, dtype=object)
    employer[grp["oude_werkgever"]] = "Hutten"
    rest = idx[status != "oude_werkgever"]
    quota = dict(EMPLOYER_QUOTA, Hutten=EMPLOYER_QUOTA["Hutten"] - STATUS_QUOTA["oude_werkgever"])
    d.labels(rest, quota, employer)

    # --- function (S5)
    staff = np.zeros(n, dtype=bool)
    staff[d.pick(idx, scaled(N_STAFF, n, N_PILOT))] = True
    function = np.empty(n, dtype=object)
    d.labels(idx[staff], {f: 1 for f in ps.FUNCTIONS_STAFF}, function)
    d.labels(idx[~staff], {"kok": 3, "souschef": 1, "cateringmedewerker": 5, "gastvrouw": 2}, function)

    # --- services (S7, S8): everyone started is coached except triage 1
    services = {s: np.zeros(n, dtype=bool) for s in ps.SERVICES}
    is_started = np.isin(idx, started)
    coached = is_started & (triage != 1)
    services["dv_coaching"][coached] = True
    coached_idx = idx[coached]
    n_coached_pilot = N_PILOT - STATUS_QUOTA["niet_gestart"] - 1
    for s, k in SERVICE_QUOTA.items():
        prefer = None
        if s == "dv_rouwverwerking":
            prefer = triage[coached_idx] == 3
        services[s][d.pick(coached_idx, scaled(k, coached_idx.size, n_coached_pilot), prefer=prefer)] = True
    services["dv_loopbaantest"][idx[triage == 1]] = True  # F46: the triage-1 person got tests
    zzp = idx[contract == "zzp"]
    services["dv_zzp_ondersteuning"][zzp] = True  # F53
    services["dv_team_match"][np.intersect1d(working, coached_idx)] = True  # F57: work-ready
    services["dv_team_match"][d.pick(grp["in_bemiddeling"], scaled(4, grp["in_bemiddeling"].size, 9))] = True
    services["dv_team_match"] &= is_started

    # --- interviews (C21, S13): 12 coached participants incl. the zzp starter
    interviewed = np.zeros(n, dtype=bool)
    prefer = np.isin(coached_idx, zzp)
    interviewed[d.pick(coached_idx, scaled(N_INTERVIEWED, n, N_PILOT), prefer=prefer)] = True
    gender = np.empty(n, dtype=object)
    iv = idx[interviewed]
    iv_sorted = np.concatenate([iv[np.isin(iv, zzp)], d.rng.permutation(iv[~np.isin(iv, zzp)])])
    n_women_iv = scaled(N_WOMEN_INTERVIEWED, iv.size, N_INTERVIEWED)
    gender[iv_sorted[:n_women_iv]] = "vrouw"
    gender[iv_sorted[n_women_iv:]] = "man"
    d.labels(idx[~interviewed], {"vrouw": N_WOMEN_OTHER, "man": N_PILOT - N_INTERVIEWED - N_WOMEN_OTHER}, gender)

    notice = np.zeros(n, dtype=bool)
    notice[d.pick(idx, scaled(N_NOTICE, n, N_PILOT))] = True
    sheltered = np.zeros(n, dtype=bool)
    sheltered[late[: scaled(N_SHELTERED, grp["in_bemiddeling"].size, 9)]] = True
    case_manager = np.full(n, None, dtype=object)
    d.labels(started, {"UWV": 1, "Gemeente Meierijstad": 1}, case_manager)
    reason = np.where(np.isin(status, ["gestopt", "niet_gestart"]), "privéomstandigheden", None)

    df = pd.DataFrame({
        "deelnemer_id": None,
        "synthetisch": True,
        "werkgever": employer,
        "instroomdatum": pd.DatetimeIndex(inflow).as_unit("ns"),
        "startdatum": start.to_numpy(),
        "casemanager_org": case_manager,
        "geslacht": gender,
        "leeftijd": age,
        "opleidingsniveau": education,
        "dienstjaren": tenure,
        "functie": function,
        "functietype": np.where(staff, "staf", "uitvoerend"),
        "ontslagaanzegging": notice,
        "triage": pd.array(triage, dtype="Int64"),
        **services,
        "status_20210401": status,
        "status_20210416": status_0416,
        "uitstroomdatum": outflow.to_numpy(),
        "sector_nieuw": sector,
        "contract_nieuw": contract,
        "gevonden_via": found_via,
        "certificeringscursus": certification,
        "reden_stoppen": reason,
        "beschut_werk_aanvraag": sheltered,
        "geinterviewd": interviewed,
    })
    # rows in a random order, numbered in that order
    df = df.iloc[d.rng.permutation(n)].reset_index(drop=True)
    width = max(4, len(str(n)))
    df["deelnemer_id"] = [f"SYN{i:0{width}d}" for i in range(1, n + 1)]
    return df[[c.name for c in ps.PARTICIPANTS.columns]]


def write_participants(df: pd.DataFrame, path) -> None:
    """Write a participant frame as UTF-8 CSV (ISO dates, ``true``/``false``), or as
    Parquet when ``path`` ends in ``.parquet``."""
    from pathlib import Path

    from analysis.data.text_csv import to_text_frame, write_text_csv

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".parquet":
        df.to_parquet(path, index=False)
        return
    write_text_csv(to_text_frame(df, ps.PARTICIPANTS), path)
