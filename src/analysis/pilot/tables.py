"""Figures 7-13 of the pilot report as count tables (codes as index, before labels and
disclosure control). Each function takes the validated participant frame and returns counts
of persons; :func:`figure_tables` returns all of them for a cut-off date.

Footnote 6 of the report: Figures 11-13 are as of 1 April 2021; the three who moved into
work by 16 April are not in them. With ``cutoff="2021-04-16"`` the tables use the later
status instead.
"""

from __future__ import annotations

import pandas as pd

from analysis.pilot import schema as ps

AGE_BINS = [0, 35, 45, 55, 200]
AGE_LABELS = ["t/m 35", "36-45", "46-55", "56+"]
TENURE_BINS = [-0.01, 5, 10, 20, 100]
TENURE_LABELS = ["t/m 5 jaar", "5-10 jaar", "10-20 jaar", "meer dan 20 jaar"]


status_column = ps.status_column  # one lookup, in the schema


def education_by_age(df: pd.DataFrame) -> pd.DataFrame:
    """Figuur 7: education level x age group."""
    age = pd.Series(pd.cut(df["leeftijd"].astype(float), AGE_BINS, labels=AGE_LABELS, right=True), dtype=object)
    rows, cols = (ps.counted_levels(ps.EDUCATION_LEVELS, df["opleidingsniveau"]), ps.counted_levels(AGE_LABELS, age))
    t = pd.crosstab(df["opleidingsniveau"].astype(object).fillna(ps.UNKNOWN), age.fillna(ps.UNKNOWN))
    t.index.name, t.columns.name = "opleidingsniveau", "leeftijd"
    return t.reindex(index=rows, columns=cols, fill_value=0).astype(int)


def _counts(values: pd.Series, order: list, name: str) -> pd.Series:
    """Counts in ``order``, plus ``onbekend`` (missing or unknown values) when there are any."""
    s = values.fillna(ps.UNKNOWN).value_counts().reindex(ps.counted_levels(order, values), fill_value=0).astype(int)
    s.index.name = name
    s.name = "aantal"
    return s


def years_of_service(df: pd.DataFrame) -> pd.Series:
    """Figuur 8: years of service with the dismissing employer."""
    binned = pd.cut(df["dienstjaren"].astype(float), TENURE_BINS, labels=TENURE_LABELS, right=True)
    return _counts(pd.Series(binned, dtype="object"), TENURE_LABELS, "dienstjaren")


def function_type(df: pd.DataFrame) -> pd.Series:
    """Figuur 9: staff versus operational functions at inflow."""
    return _counts(df["functietype"].astype(object), list(ps.FUNCTION_TYPES), "functietype")


def triage_path(df: pd.DataFrame) -> pd.Series:
    """Figuur 10: participants per triage path (never triaged shown separately)."""
    codes = ("triage_" + df["triage"].astype("Int64").astype("string")).fillna("geen_triage").astype(object)
    return _counts(codes, ["triage_1", "triage_2", "triage_3", "geen_triage"], "triage")


def services(df: pd.DataFrame, cutoff: str = "2021-04-01") -> pd.Series:
    """Figuur 11: services offered (multi-response: a person counts once per service).
    Every participant counts, at either cut-off: the three who found work between 1 and 16
    April received their services during the pilot. Footnote 6 keeps their *outflow* out of
    Figures 11-13, so Figures 12 and 13 count them under their 1 April status, and this
    figure, which shows no outflow, is the same at both cut-offs."""
    status_column(cutoff)
    s = df[list(ps.SERVICES)].sum().astype(int)
    s.index.name, s.name = "dienstverlening", "aantal"
    return s


def outflow(df: pd.DataFrame, cutoff: str = "2021-04-01") -> pd.Series:
    """Figuur 12: outflow status at the cut-off date."""
    return _counts(df[status_column(cutoff)].astype(object), list(ps.STATUSES), "uitstroom")


def outflow_by_sector(df: pd.DataFrame, cutoff: str = "2021-04-01") -> pd.Series:
    """Figuur 13: sector of the new job of those in work (new job or work + education)."""
    working = df[status_column(cutoff)].isin(ps.WORK_STATUSES)
    return _counts(df.loc[working, "sector_nieuw"].astype(object), list(ps.SECTORS), "sector")


def figure_tables(df: pd.DataFrame, cutoff: str = "2021-04-01") -> dict[str, pd.DataFrame | pd.Series]:
    status_column(cutoff)
    return {
        "figuur_07_opleiding_leeftijd": education_by_age(df),
        "figuur_08_dienstjaren": years_of_service(df),
        "figuur_09_functie": function_type(df),
        "figuur_10_triage": triage_path(df),
        "figuur_11_dienstverlening": services(df, cutoff),
        "figuur_12_uitstroom": outflow(df, cutoff),
        "figuur_13_uitstroom_sector": outflow_by_sector(df, cutoff),
    }


def published_comparison(df: pd.DataFrame) -> pd.DataFrame:
    """The counts the report prints in its text next to the pipeline's counts (1 April,
    except the 68% of footnote 11, which is 16 April)."""
    s, s2 = df[ps.STATUS_END], df[ps.STATUS_FOLLOW_UP]
    stayed = s.isin(ps.STAYED_STATUSES).sum()
    working = s.isin(ps.WORK_STATUSES)
    rows = [
        ("Figuur 12", "nieuwe baan", 12, (s == "nieuwe_baan").sum()),
        ("Figuur 12", "werk en scholing", 2, (s == "werk_en_scholing").sum()),
        ("Figuur 12", "gestart met opleiding", 2, (s == "opleiding").sum()),
        ("Figuur 12", "in bemiddeling", 9, (s == "in_bemiddeling").sum()),
        ("Hoofdstuk 6.1", "% van 25 naar werk/werk+scholing/opleiding (64%)", 64,
         round(100 * s.isin([*ps.WORK_STATUSES, "opleiding"]).sum() / stayed) if stayed else None),
        ("Voetnoot 11", "% van 25 naar werk of werk+scholing op 16 april (68%)", 68,
         round(100 * s2.isin(ps.WORK_STATUSES).sum() / stayed) if stayed else None),
        ("Figuur 13", "in een andere sector gaan werken", 13,
         (working & (df["sector_nieuw"] != ps.SAME_SECTOR)).sum()),
        ("Figuur 8", "langer dan 10 jaar in dienst (tweederde)", 20, (df["dienstjaren"] > 10).sum()),
    ]
    out = pd.DataFrame(rows, columns=["bron", "feit", "gepubliceerd", "pijplijn"])
    out["pijplijn"] = out["pijplijn"].astype("Int64")
    out["gelijk"] = out["gepubliceerd"] == out["pijplijn"]
    return out


def figure_title(name: str, lang: str = "nl", cutoff: str | None = None) -> str:
    """The figure's title from the label catalogue (:mod:`analysis.presentation.titles`)."""
    from analysis.presentation import titles

    return titles.title(name, lang, cutoff)
