"""Outcome definitions for the pilot's uptake models, as parameters.

"To work" has two readings in the report (tensions T2-T3 of ``docs/pilot_published_facts.md``):

- ``work``: a new job, or work combined with education (the wording of both published
  rates);
- ``work_or_education``: also counting those who started an education programme.

Section 6.1's *64% of the 25* (1 April) is 16 of 25 and is reached only under
``work_or_education`` (under ``work`` it is 14 of 25, 56%). Footnote 11's *68%* (16
April) is 17 of 25. The synthetic file takes the reading under which **one** definition,
``work_or_education``, gives both published numbers: the three who found work between
1 and 16 April include both who had started an education programme, so on 16 April
nobody is in education only and the two definitions coincide (17 of 25).
:func:`published_rates` puts both definitions side by side for both numbers, so the
reading can be checked on the real file.

``population`` is ``all`` (everyone enrolled, 30) or ``stayed`` (the 25 who stayed in the
pilot: new job, work + education, education, or still in mediation on 1 April).

Any cut-off date (the status history gives the status on it, see
:mod:`analysis.pilot.history`): the outcome is the status on ``cutoff``; "stayed" is
:func:`stayed`: in one of the staying statuses on the cut-off date, or, for a cut-off
after the pilot's end (1 April 2021), on 1 April, as the report counts its 25. Before the
end a participant who stopped later still counts as having stayed at the cut-off.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.pilot import schema as ps


class _Definitions(Mapping):
    """The outcome definitions as the active study's statuses (read when looked up):
    ``work`` is its work statuses, ``work_or_education`` adds its education statuses."""

    def __getitem__(self, name: str) -> tuple:
        return {"work": ps.WORK_STATUSES, "work_or_education": (*ps.WORK_STATUSES, *ps.EDUCATION_STATUSES)}[name]

    def __iter__(self):
        return iter(("work", "work_or_education"))

    def __len__(self) -> int:
        return 2


DEFINITIONS = _Definitions()
POPULATIONS = ("all", "stayed")
AGE_GROUPS = ("t/m 45", "46+")
TENURE_GROUPS = ("t/m 10", "10+")


@dataclass(frozen=True)
class Outcome:
    definition: str
    cutoff: str
    population: str
    n: int
    events: int

    @property
    def rate(self) -> float:
        return self.events / self.n if self.n else float("nan")

    def describe(self, lang: str = "en") -> str:
        what = {"work": ("new job or work + education", "nieuwe baan of werk en scholing"),
                "work_or_education": ("new job, work + education or started education",
                                      "nieuwe baan, werk en scholing of gestart met opleiding")}[self.definition]
        pop = {"all": ("all enrolled participants", "alle ingestroomde deelnemers"),
               "stayed": ("participants who stayed in the pilot", "deelnemers die bleven meedoen")}[self.population]
        if lang == "en":
            return (f"{what[0]} on {self.cutoff}, among {pop[0]}: {self.events} of {self.n} "
                    f"({100 * self.rate:.0f}%)")
        return (f"{what[1]} op {self.cutoff}, onder {pop[1]}: {self.events} van {self.n} "
                f"({100 * self.rate:.0f}%)")


def _two_groups(values: pd.Series, cut: float, groups: tuple[str, str]) -> pd.Categorical:
    """Up to ``cut`` / above ``cut``; an unknown (empty) value is its own group, onbekend
    (a level exactly when a value is missing: :func:`analysis.pilot.schema.counted_levels`).
    Built from the codes (a million labels looked up in the levels took 0.9 s of CPU)."""
    levels = ps.counted_levels(groups, values)
    codes = values.astype("Float64").gt(cut).to_numpy(dtype=bool, na_value=False).astype(np.int8)
    missing = values.isna().to_numpy()
    if missing.any():
        codes[missing] = levels.index(ps.UNKNOWN)
    return pd.Categorical.from_codes(codes, levels)


def per_value(values: pd.Series, convert) -> pd.Series:
    """``convert(values)`` for a conversion of each value on its own, done once per distinct
    value (a missing value included) and spread over the rows: converting a million values
    to text one by one took most of :func:`analysis_frame`'s time."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    converted = convert(pd.Series(uniques, name=values.name))
    return pd.Series(converted.array.take(codes), index=values.index, name=converted.name)


def _triage_text(triage: pd.Series) -> pd.Series:
    """The triage path as text, ``geen`` for never triaged."""
    def text(values: pd.Series) -> pd.Series:
        codes = values.astype("Int64")
        return codes.astype(str).where(codes.notna(), "geen")

    return per_value(triage, text)


def stayed(df: pd.DataFrame, cutoff: str) -> pd.Series:
    """Who counts as having stayed in the pilot at ``cutoff``: a staying status (new job,
    work + education, education, in mediation) on ``cutoff``, or on 1 April 2021 (the
    pilot's end) when ``cutoff`` is later."""
    when = min(pd.Timestamp(cutoff), pd.Timestamp(ps.PILOT_END))
    return ps.status_on(df, str(when.date())).isin(ps.STAYED_STATUSES)


def outflow_groups(status: pd.Series) -> pd.Series:
    """The outflow categories of the multinomial view by the study's status kinds: werk
    (work, work and education), opleiding (education), bemiddeling (in progress), overig."""
    kinds = {**{s: "werk" for s in ps.WORK_STATUSES}, **{s: "opleiding" for s in ps.EDUCATION_STATUSES},
             **{s: "bemiddeling" for s in ps.STUDY.of_kind("in_progress")}}
    codes, levels = pd.factorize(status)  # each status named once, not once per person
    named = pd.Series(np.array([kinds.get(v, "overig") for v in levels] + ["overig"], dtype=object)).astype(str)
    return pd.Series(named.array.take(codes), index=status.index, name=status.name)  # code -1 (missing): overig


def analysis_frame(df: pd.DataFrame, definition: str = "work", cutoff: str | None = None,
                   population: str = "stayed") -> tuple[pd.DataFrame, Outcome]:
    """The rows of the chosen population with the binary outcome ``y`` and the predictors
    (triage, education, age group, tenure group) as categories; ``cutoff`` defaults to the
    study's second snapshot date."""
    cutoff = ps.CUTOFF_DATES[1] if cutoff is None else cutoff
    if definition not in DEFINITIONS:
        raise ValueError(f"definition must be one of {list(DEFINITIONS)}, got {definition!r}")
    if population not in POPULATIONS:
        raise ValueError(f"population must be one of {POPULATIONS}, got {population!r}")
    status = ps.status_on(df, cutoff)
    used = df[["triage", "opleidingsniveau", "leeftijd", "dienstjaren"]]  # filtered, not the file's every column
    rows = used if population == "all" else used[stayed(df, cutoff)]
    status = status.loc[rows.index]
    out = pd.DataFrame({
        "y": status.isin(DEFINITIONS[definition]).astype(int),
        "triage": _triage_text(rows["triage"]),
        "opleiding": pd.Categorical(rows["opleidingsniveau"],
                                    ps.counted_levels(ps.EDUCATION_LEVELS, rows["opleidingsniveau"])),
        "leeftijd": _two_groups(rows["leeftijd"], 45, AGE_GROUPS),
        "dienstjaren": _two_groups(rows["dienstjaren"], 10, TENURE_GROUPS),
        "uitstroom": per_value(status, lambda v: v.astype(str)),
        "uitstroom_groep": outflow_groups(status),
    }, index=rows.index)
    outcome = Outcome(definition, cutoff, population, len(out), int(out["y"].sum()))
    return out.reset_index(drop=True), outcome


def published_rates(df: pd.DataFrame) -> pd.DataFrame:
    """Each rate the active study's report publishes (its file's ``report.published_rates``:
    where, on which date, in which words, and which definition its number needs) next to the
    file's count under both definitions of uptake (among the participants who stayed in the
    pilot), and whether the definition the report's number needs (``definition_used``)
    reproduces it. No rows for a study without published rates."""
    rows = []
    for r in ps.STUDY.published_rates:
        source, cutoff, wording, events, n, used = (r["source"], str(r["cutoff"]), r["wording"], r["events"],
                                                    r["n"], r["definition"])
        row = {"source": source, "cutoff": cutoff, "report_wording": wording, "published_events": events,
               "published_n": n, "definition_used": used}
        for definition in DEFINITIONS:
            _, o = analysis_frame(df, definition, cutoff, "stayed")
            row[f"events_{definition}"] = o.events
            row[f"n_{definition}"] = o.n
        row["reproduced"] = (row[f"events_{used}"], row[f"n_{used}"]) == (events, n)
        rows.append(row)
    columns = ["source", "cutoff", "report_wording", "published_events", "published_n", "definition_used",
               *(f"{k}_{d}" for d in DEFINITIONS for k in ("events", "n")), "reproduced"]
    return pd.DataFrame(rows, columns=columns)


# Defaults of notebook 03's parameters that change its tables but not the output names'
# other parts; a run that sets any other value carries a digest of them in its names.
TAGGED_DEFAULTS = {"predictors": ["triage", "opleiding"], "power_ns": [30, 100, 1000, 10000], "power_sims": 400,
                   "min_group_n": 5}


def settings_digest(**settings) -> str:
    """``""`` when every setting has its default (:data:`TAGGED_DEFAULTS`), else ``_`` and
    8 hex digits of the SHA-256 of the non-default settings (sorted JSON): two runs that
    differ only in these get different output names, and the same settings the same name."""
    def norm(value):  # a list given as "30,1000" or [30, 1000] alike; numbers as text
        if isinstance(value, str) and "," in value:
            value = [v.strip() for v in value.split(",") if v.strip()]
        return [str(v) for v in value] if isinstance(value, (list, tuple)) else str(value)

    changed = {k: norm(v) for k, v in sorted(settings.items()) if norm(v) != norm(TAGGED_DEFAULTS.get(k))}
    if not changed:
        return ""
    return "_" + hashlib.sha256(json.dumps(changed, sort_keys=True).encode()).hexdigest()[:8]
