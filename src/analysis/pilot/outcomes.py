"""Outcome definitions for the pilot's uptake models, as parameters.

The report uses two definitions on two denominators (tensions T2-T3 of the facts file):

- ``work``: new job or work + education (footnote 11: 17 of 25 = 68% on 16 April);
- ``work_or_education``: also counting those who started an education programme
  (section 6.1: 16 of 25 = 64% on 1 April).

``population`` is ``all`` (everyone enrolled, 30) or ``stayed`` (the 25 who stayed in the
pilot: new job, work + education, education, or still in mediation on 1 April).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.pilot import schema as ps

DEFINITIONS = {
    "work": ps.WORK_STATUSES,
    "work_or_education": (*ps.WORK_STATUSES, "opleiding"),
}
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
        i = 0 if lang == "en" else 1
        return (f"{what[i]} on {self.cutoff}, among {pop[i]}: {self.events} of {self.n} "
                f"({100 * self.rate:.0f}%)")


def _two_groups(values: pd.Series, cut: float, groups: tuple[str, str]) -> pd.Categorical:
    """Up to ``cut`` / above ``cut``; an unknown (empty) value is its own group, onbekend."""
    labels = values.astype("Float64").gt(cut).map({False: groups[0], True: groups[1]}).astype(object)
    labels = labels.where(values.notna(), ps.UNKNOWN)
    return pd.Categorical(labels, ps.counted_levels(groups, values))


def analysis_frame(df: pd.DataFrame, definition: str = "work", cutoff: str = "2021-04-16",
                   population: str = "stayed") -> tuple[pd.DataFrame, Outcome]:
    """The rows of the chosen population with the binary outcome ``y`` and the predictors
    (triage, education, age group, tenure group) as categories."""
    if definition not in DEFINITIONS:
        raise ValueError(f"definition must be one of {list(DEFINITIONS)}, got {definition!r}")
    if population not in POPULATIONS:
        raise ValueError(f"population must be one of {POPULATIONS}, got {population!r}")
    status = df[ps.STATUS_COLUMNS[cutoff]] if cutoff in ps.STATUS_COLUMNS else None
    if status is None:
        raise ValueError(f"cutoff must be one of {list(ps.STATUS_COLUMNS)}, got {cutoff!r}")
    rows = df if population == "all" else df[df["status_20210401"].isin(ps.STAYED_STATUSES)]
    status = status.loc[rows.index]
    out = pd.DataFrame({
        "y": status.isin(DEFINITIONS[definition]).astype(int),
        "triage": rows["triage"].astype("Int64").map(lambda t: "geen" if pd.isna(t) else str(t)),
        "opleiding": pd.Categorical(rows["opleidingsniveau"],
                                    ps.counted_levels(ps.EDUCATION_LEVELS, rows["opleidingsniveau"])),
        "leeftijd": _two_groups(rows["leeftijd"], 45, AGE_GROUPS),
        "dienstjaren": _two_groups(rows["dienstjaren"], 10, TENURE_GROUPS),
        "uitstroom": status.astype(str),
    }, index=rows.index)
    outcome = Outcome(definition, cutoff, population, len(out), int(out["y"].sum()))
    return out.reset_index(drop=True), outcome
