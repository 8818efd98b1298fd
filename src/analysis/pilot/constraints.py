"""The published facts of the active study as checkable constraints.

The facts live in the study's facts file (``report.facts`` of ``studies/<id>.yml``; its ids
are those of the document the study file names in ``report.published_facts``: C = hard, S =
soft reading); :mod:`analysis.study.facts` reads and evaluates them. Each :class:`Constraint`
carries the fact's id, its English and Dutch wording and a check on a participant frame.
:func:`check_all` returns a table of results in either language, which the pilot notebook
shows next to the figures and which the tests assert one id at a time. The facts are of the
report's file size; :func:`share_checks` compares the shares of a larger synthetic file with
those of a report-size file.

``CONSTRAINTS``, ``BY_ID`` and ``FACTS_NL`` are those of the active study (read on access).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from analysis.pilot import schema as ps
from analysis.study import fact_checks as sf


@dataclass(frozen=True)
class Constraint:
    id: str
    fact: str
    check: Callable[[pd.DataFrame], bool]
    hard: bool = True
    nl: str = ""


def _status() -> tuple[str, str]:
    return ps.STATUS_END, ps.STATUS_FOLLOW_UP


def constraints(study=None) -> tuple[Constraint, ...]:
    """The constraints of ``study`` (default: the active study); empty without facts."""
    facts = (study or ps.STUDY).facts
    if facts is None:
        return ()
    return tuple(Constraint(f.id, f.en, (lambda df, f=f: sf.fact_holds(df, f, _status())), f.hard, f.nl)
                 for f in facts.facts)


def __getattr__(name: str):
    if name == "CONSTRAINTS":
        return constraints()
    if name == "BY_ID":
        return {c.id: c for c in constraints()}
    if name == "FACTS_NL":  # the facts as a Dutch reader of the report words them
        return {c.id: c.nl for c in constraints()}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def check_all(df: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """One row per constraint: id, hard/soft, the fact in ``lang`` ("en" or "nl"), met
    (True/False)."""
    if lang not in ("nl", "en"):
        raise ValueError(f"language must be 'nl' or 'en', got {lang!r}")
    if not has_published_facts():
        return pd.DataFrame(columns=["id", "type", "fact", "met"]).astype({"met": bool})
    rows = [{"id": c.id, "type": "hard" if c.hard else "soft", "fact": c.nl if lang == "nl" else c.fact,
             "met": bool(c.check(df))} for c in constraints()]
    return pd.DataFrame(rows)


def has_published_facts() -> bool:
    """Whether the active study's report publishes facts to check (its file names them in
    ``report.facts``)."""
    return ps.STUDY.facts is not None



# --------------------------------------------------------------------------- large N
def pilot_shares(df: pd.DataFrame) -> pd.Series:
    """The shares behind the constraints, comparable across sizes of file: the persons of
    every check the facts file marks ``share: true``, as a share of the file."""
    out = {}
    for c in (ps.STUDY.facts.facts if ps.STUDY.facts else ()):
        for i, check in enumerate(c.checks):
            if check.share:
                out[f"{c.id}[{i}]"] = sf.count(df, check.where, _status()) / len(df)
    return pd.Series(out, dtype=float)


def share_checks(df: pd.DataFrame, reference: pd.DataFrame, tolerance: float = 0.02) -> pd.DataFrame:
    """Compare the shares of ``df`` with those of the report-size ``reference`` file."""
    a, b = pilot_shares(df), pilot_shares(reference)
    out = pd.DataFrame({"share": a, "pilot_share": b})
    out["difference"] = (out["share"] - out["pilot_share"]).abs()
    out["within_tolerance"] = out["difference"] <= tolerance
    return out
