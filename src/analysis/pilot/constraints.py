"""The published facts about the 30 pilot participants as checkable constraints.

Each :class:`Constraint` carries the id used in ``docs/pilot_published_facts.md``
(C = hard, S = soft reading), the fact it encodes (in English; :data:`FACTS_NL` holds the
Dutch wording) and a check on a participant frame. :func:`check_all` returns a table of
results in either language, which the pilot notebook shows next to the figures and which
the tests assert one id at a time. The checks are written for the pilot's
size; :func:`share_checks` compares the shares of a larger synthetic file with the pilot's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from analysis.pilot import schema as ps

WORK = list(ps.WORK_STATUSES)  # the catering pilot's: these are its published facts


@dataclass(frozen=True)
class Constraint:
    id: str
    fact: str
    check: Callable[[pd.DataFrame], bool]
    hard: bool = True


def _n(mask: pd.Series) -> int:
    return int(mask.fillna(False).sum())


def _s(df):
    return df[ps.STATUS_END]


def _working(df):
    return _s(df).isin(WORK)


def _april_movers(df):
    return df[ps.STATUS_END] != df[ps.STATUS_FOLLOW_UP]


def _listed(names, lang: str, word: str = "and") -> str:
    """``a, b and c`` (``en``, en ``nl``; ``or``: of)."""
    joiner = {("nl", "and"): "en", ("nl", "or"): "of"}.get((lang, word), word)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" {joiner} {names[-1]}"


CONSTRAINTS: tuple[Constraint, ...] = (
    Constraint("C1", "30 participants", lambda df: len(df) == 30),
    Constraint("C2", "12 found a new job by 1 April", lambda df: _n(_s(df) == "nieuwe_baan") == 12),
    Constraint("C3", "2 combine work and education", lambda df: _n(_s(df) == "werk_en_scholing") == 2),
    Constraint("C4", "2 started an education programme", lambda df: _n(_s(df) == "opleiding") == 2),
    Constraint("C5", "9 still in mediation", lambda df: _n(_s(df) == "in_bemiddeling") == 9),
    Constraint("C6", "stayed with old employer + stopped + never started = 5",
               lambda df: _n(_s(df).isin(["oude_werkgever", "gestopt", "niet_gestart"])) == 5),
    Constraint("C7", "25 stayed in the pilot (job, work+education, education, mediation)",
               lambda df: _n(_s(df).isin(ps.STAYED_STATUSES)) == 25),
    Constraint("C8", "16 of 25 (64%) into work, work+education or education",
               lambda df: _n(_s(df).isin(WORK + ["opleiding"])) == 16),
    Constraint("C9", "exactly 3 moved into work between 1 and 16 April, from mediation or education",
               lambda df: _n(_april_movers(df)) == 3
               and _s(df)[_april_movers(df)].isin(["in_bemiddeling", "opleiding"]).all()
               and df.loc[_april_movers(df), ps.STATUS_FOLLOW_UP].isin(WORK).all()),
    Constraint("C10", "17 of 25 (68%) in work or work+education on 16 April",
               lambda df: _n(df[ps.STATUS_FOLLOW_UP].isin(WORK)) == 17),
    Constraint("C11", "13 of the 14 working on 1 April work in another sector",
               lambda df: _n(_working(df) & (df["sector_nieuw"] != ps.SAME_SECTOR)
                             & df["sector_nieuw"].notna()) == 13
               and _n(_working(df) & df["sector_nieuw"].isna()) == 0),
    Constraint("C12", "among those working: exactly 1 permanent contract and 1 self-employed (zzp)",
               lambda df: _n(_working(df) & (df["contract_nieuw"] == "vast")) == 1
               and _n(_working(df) & (df["contract_nieuw"] == "zzp")) == 1),
    Constraint("C13", "half (7) of the 14 working are low-educated",
               lambda df: _n(_working(df) & (df["opleidingsniveau"] == "laag")) == 7),
    Constraint("C14", "more than half (>= 5) of the 9 in mediation are low-educated",
               lambda df: _n((_s(df) == "in_bemiddeling") & (df["opleidingsniveau"] == "laag")) >= 5),
    Constraint("C15", "of those in mediation, 3 started in 2021 and 1 has a sheltered-work application",
               lambda df: _n((_s(df) == "in_bemiddeling") & (df["startdatum"] >= "2021-01-01")) == 3
               and _n((_s(df) != "in_bemiddeling") & (df["startdatum"] >= "2021-01-01")) == 0
               and _n((_s(df) == "in_bemiddeling") & df["beschut_werk_aanvraag"]) == 1
               and _n(df["beschut_werk_aanvraag"]) == 1),
    Constraint("C16", "registration between 1 September and 31 December 2020",
               lambda df: df["instroomdatum"].between(str(ps.PILOT_START), str(ps.INFLOW_END)).all()),
    Constraint("C17", "two-thirds (20) worked more than 10 years for the employer",
               lambda df: _n(df["dienstjaren"] > 10) == 20),
    Constraint("C18", "most (>= 16) are older than 45", lambda df: _n(df["leeftijd"] > 45) >= 16),
    Constraint("C19", f"employers {_listed(ps.EMPLOYERS, 'en')}, each at least once",
               lambda df: set(df["werkgever"].unique()) == set(ps.EMPLOYERS)),
    Constraint("C20", f"everyone who started has a case manager of {_listed(ps.CASE_MANAGER_ORGS, 'en', 'or')}; "
               "both used",
               lambda df: df.loc[df["startdatum"].notna(), "casemanager_org"].isin(ps.CASE_MANAGER_ORGS).all()
               and set(df["casemanager_org"].dropna().unique()) == set(ps.CASE_MANAGER_ORGS)),
    Constraint("C21", "12 interviewed participants, all coached",
               lambda df: _n(df["geinterviewd"]) == 12 and bool(df.loc[df["geinterviewd"], "dv_coaching"].all())),
    Constraint("S1", "stayed with old employer >= 2; stopped >= 1; never started >= 1",
               lambda df: _n(_s(df) == "oude_werkgever") >= 2 and _n(_s(df) == "gestopt") >= 1
               and _n(_s(df) == "niet_gestart") >= 1, hard=False),
    Constraint("S2", "everyone who stayed with the old employer comes from one employer",
               lambda df: df.loc[_s(df) == "oude_werkgever", "werkgever"].nunique() == 1, hard=False),
    Constraint("S3", "stopping or not starting was for private circumstances",
               lambda df: (df.loc[_s(df).isin(["gestopt", "niet_gestart"]), "reden_stoppen"]
                           == "privéomstandigheden").all(), hard=False),
    Constraint("S4", "mainly practically educated: low + intermediate >= 16; low >= 12",
               lambda df: _n(df["opleidingsniveau"].isin(["laag", "middelbaar"])) >= 16
               and _n(df["opleidingsniveau"] == "laag") >= 12, hard=False),
    Constraint("S5", "several (>= 2) staff functions; operational staff the majority",
               lambda df: _n(df["functietype"] == "staf") >= 2
               and _n(df["functietype"] == "uitvoerend") > _n(df["functietype"] == "staf"), hard=False),
    Constraint("S6", "one participant in triage 1; triage 2 + 3 the large majority",
               lambda df: _n(df["triage"] == 1) == 1 and _n(df["triage"].isin([2, 3])) >= 20, hard=False),
    Constraint("S7", "most but not all (16-29) were coached by their case manager",
               lambda df: 16 <= _n(df["dv_coaching"]) < 30, hard=False),
    Constraint("S8", "triage-1 person got tests; self-employment support >= 1; grief counselling >= 2; "
                     "video pitch >= 2; tests the majority",
               lambda df: bool(df.loc[df["triage"] == 1, "dv_loopbaantest"].fillna(False).all())
               and _n(df["dv_zzp_ondersteuning"]) >= 1 and _n(df["dv_rouwverwerking"]) >= 2
               and _n(df["dv_videopitch"]) >= 2
               and _n(df["dv_talentenscan"] | df["dv_loopbaantest"]) >= 16, hard=False),
    Constraint("S10", "own network >= 2 and case-manager vacancies >= 2 among those working",
               lambda df: _n(_working(df) & (df["gevonden_via"] == "eigen_netwerk")) >= 2
               and _n(_working(df) & (df["gevonden_via"] == "vacature_casemanager")) >= 2, hard=False),
    Constraint("S11", "a few (>= 2) of those working follow a certification course",
               lambda df: _n(_working(df) & df["certificeringscursus"]) >= 2, hard=False),
    Constraint("S12", "at least one of the 3 April movers came from education (inclusive rate 68-72%)",
               lambda df: _n(_april_movers(df) & (_s(df) == "opleiding")) >= 1, hard=False),
    Constraint("S13", "among the interviewed: >= 3 women, including the one who became self-employed",
               lambda df: _n(df["geinterviewd"] & (df["geslacht"] == "vrouw")) >= 3
               and bool(df.loc[df["contract_nieuw"] == "zzp", ["geinterviewd"]].all(axis=None))
               and bool((df.loc[df["contract_nieuw"] == "zzp", "geslacht"] == "vrouw").all()), hard=False),
    Constraint("S14", "a mix of participants with and without a dismissal notice",
               lambda df: 0 < _n(df["ontslagaanzegging"]) < len(df), hard=False),
)
BY_ID = {c.id: c for c in CONSTRAINTS}

# The facts as a Dutch reader of the report words them (the page of a Dutch run shows these).
FACTS_NL: dict[str, str] = {
    "C1": "30 deelnemers",
    "C2": "12 vonden vóór 1 april een nieuwe baan",
    "C3": "2 combineren werk en scholing",
    "C4": "2 zijn met een opleiding begonnen",
    "C5": "9 zijn nog in bemiddeling",
    "C6": "bij oude werkgever gebleven + gestopt + niet gestart = 5",
    "C7": "25 bleven in de pilot (baan, werk en scholing, opleiding, bemiddeling)",
    "C8": "16 van de 25 (64%) naar werk, werk en scholing of opleiding",
    "C9": "precies 3 vonden tussen 1 en 16 april werk, vanuit bemiddeling of opleiding",
    "C10": "17 van de 25 (68%) op 16 april aan het werk of in werk en scholing",
    "C11": "13 van de 14 werkenden op 1 april werken in een andere sector",
    "C12": "onder de werkenden: precies 1 vast contract en 1 zzp'er",
    "C13": "de helft (7) van de 14 werkenden is laagopgeleid",
    "C14": "meer dan de helft (>= 5) van de 9 in bemiddeling is laagopgeleid",
    "C15": "van wie in bemiddeling is, zijn er 3 in 2021 gestart en heeft er 1 beschut werk aangevraagd",
    "C16": "aanmelding tussen 1 september en 31 december 2020",
    "C17": "tweederde (20) werkte langer dan 10 jaar bij de werkgever",
    "C18": "de meesten (>= 16) zijn ouder dan 45",
    "C19": f"werkgevers {_listed(ps.EMPLOYERS, 'nl')}, elk minstens één keer",
    "C20": f"wie gestart is, heeft een casemanager van {_listed(ps.CASE_MANAGER_ORGS, 'nl', 'or')}; beide komen voor",
    "C21": "12 geïnterviewde deelnemers, allen gecoacht",
    "S1": "bij oude werkgever gebleven >= 2; gestopt >= 1; niet gestart >= 1",
    "S2": "wie bij de oude werkgever bleef, komt van één en dezelfde werkgever",
    "S3": "gestopt of niet gestart om privéomstandigheden",
    "S4": "vooral praktisch opgeleid: laag + middelbaar >= 16; laag >= 12",
    "S5": "enkele (>= 2) stafmedewerkers; uitvoerende medewerkers in de meerderheid",
    "S6": "één deelnemer in triage 1; triage 2 en 3 de grote meerderheid",
    "S7": "de meesten, maar niet allen (16-29), zijn door hun casemanager gecoacht",
    "S8": "de deelnemer in triage 1 kreeg testen; zzp-ondersteuning >= 1; rouwverwerking >= 2; videopitch >= 2; "
          "testen voor de meerderheid",
    "S10": "eigen netwerk >= 2 en vacatures via de casemanager >= 2 onder de werkenden",
    "S11": "enkele (>= 2) werkenden volgen een certificeringscursus",
    "S12": "minstens één van de 3 die in april werk vonden, kwam uit een opleiding (inclusief percentage 68-72%)",
    "S13": "onder de geïnterviewden: >= 3 vrouwen, onder wie de zzp-starter",
    "S14": "zowel deelnemers met als zonder ontslagaanzegging",
}


def check_all(df: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """One row per constraint: id, hard/soft, the fact in ``lang`` ("en" or "nl"), met
    (True/False)."""
    if lang not in ("nl", "en"):
        raise ValueError(f"language must be 'nl' or 'en', got {lang!r}")
    if not has_published_facts():
        return pd.DataFrame(columns=["id", "type", "fact", "met"]).astype({"met": bool})
    rows = [{"id": c.id, "type": "hard" if c.hard else "soft", "fact": FACTS_NL[c.id] if lang == "nl" else c.fact,
             "met": bool(c.check(df))} for c in CONSTRAINTS]
    return pd.DataFrame(rows)


def has_published_facts() -> bool:
    """Whether the active study's report publishes facts to check (its file names them in
    ``report.published_facts``); these constraints are the catering report's."""
    return ps.STUDY.published_facts is not None



# --------------------------------------------------------------------------- large N
def pilot_shares(df: pd.DataFrame) -> pd.Series:
    """The shares behind the constraints, comparable across sizes of file."""
    w = _working(df)
    bem = _s(df) == "in_bemiddeling"
    return pd.Series({
        **{f"{ps.STATUS_END}={k}": _n(_s(df) == k) / len(df) for k in ps.STATUSES},
        f"{ps.STATUS_FOLLOW_UP} in work": _n(df[ps.STATUS_FOLLOW_UP].isin(WORK)) / len(df),
        "other sector | working": _n(w & (df["sector_nieuw"] != ps.SAME_SECTOR)) / max(_n(w), 1),
        "laag | working": _n(w & (df["opleidingsniveau"] == "laag")) / max(_n(w), 1),
        "laag | in mediation": _n(bem & (df["opleidingsniveau"] == "laag")) / max(_n(bem), 1),
        "dienstjaren > 10": _n(df["dienstjaren"] > 10) / len(df),
        "leeftijd > 45": _n(df["leeftijd"] > 45) / len(df),
        "staf": _n(df["functietype"] == "staf") / len(df),
        "coached": _n(df["dv_coaching"]) / len(df),
        "interviewed": _n(df["geinterviewd"]) / len(df),
    })


def share_checks(df: pd.DataFrame, reference: pd.DataFrame, tolerance: float = 0.02) -> pd.DataFrame:
    """Compare the shares of ``df`` with those of the pilot-size ``reference`` file."""
    a, b = pilot_shares(df), pilot_shares(reference)
    out = pd.DataFrame({"share": a, "pilot_share": b})
    out["difference"] = (out["share"] - out["pilot_share"]).abs()
    out["within_tolerance"] = out["difference"] <= tolerance
    return out
