"""Tabel 2.1-4.2 and the data of Figuur 2.1, 3.1, 4.1, 4.2 of the DWSRA interim evaluation.

Every function takes validated raw frames (see :mod:`analysis.dwsra.schema`) and returns a
DataFrame at full precision, indexed by the row keys and with the column keys that
``dwsra_published_cells.csv`` uses, so the same frame feeds the report table
(:func:`as_printed`), the reproduction check and the figure. Amounts are in millions of
euros, percentages in percent.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from analysis.dwsra.schema import (
    ACTIVITY_GROUPS,
    ACTIVITY_TYPES,
    APPLICANT_TYPES,
    EXTENDED_END,
    EXTENSION_DECISION_AFTER,
    INDIRECT_RATE,
    REGION_SCOPES,
    REGULAR_END,
    SECTOR_SCOPES,
)
from analysis.presentation import titles

MLN = 1_000_000
TOTAL = "totaal"

def title(name: str, lang: str = "nl") -> str:
    """The table's or figure's title from the label catalogue (:mod:`analysis.presentation.titles`)."""
    return titles.title(name, lang)


def round_half_up(value: float, digits: int = 0) -> float:
    """Round as a report does (0.25 -> 0.3), not to even."""
    if pd.isna(value):
        return np.nan
    q = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(float(value))).quantize(q, rounding=ROUND_HALF_UP))


def pct(part: float, whole: float) -> float:
    return 100.0 * part / whole if whole else np.nan


def _with_total(df: pd.DataFrame, total_key: str = TOTAL) -> pd.DataFrame:
    out = df.copy()
    out.loc[total_key] = df.sum(numeric_only=True)
    return out


# --------------------------------------------------------------------------- chapter 2
# Tabel 2.1's columns from the register (not in the report's table): the page shows the report's columns
# (received and granted per round, T/O %) under Tabel 2.1 and these in Bijlage D (review 12: the twelve
# columns together printed on a landscape page of their own)
RUNNING_COLUMNS = ("running_1", "running_2", "running", "withdrawn_or_stopped")


def applications_by_round(applications: pd.DataFrame, register: pd.DataFrame) -> pd.DataFrame:
    """Tabel 2.1, from the aggregate file, with the register's running projects per
    (inferred) round and the withdrawn/stopped difference."""
    a = applications.assign(round=applications["round"].astype(int))
    wide = a.pivot(index="project_type", columns="round", values=["received", "granted"])
    out = pd.DataFrame({
        "received_1": wide[("received", 1)], "granted_1": wide[("granted", 1)],
        "received_2": wide[("received", 2)], "granted_2": wide[("granted", 2)],
    }).astype(float)
    out["received"] = out["received_1"] + out["received_2"]
    out["granted"] = out["granted_1"] + out["granted_2"]
    running = (register.groupby(["project_type", register["round"].astype(int)]).size().unstack(fill_value=0)
               .reindex(index=out.index, columns=[1, 2], fill_value=0).astype(float))
    out["running_1"], out["running_2"] = running[1], running[2]
    out["running"] = out["running_1"] + out["running_2"]
    out["withdrawn_or_stopped"] = out["granted"] - out["running"]
    out = _with_total(out, "TOTAAL")
    out["granted_pct"] = [pct(g, r) for g, r in zip(out["granted"], out["received"])]
    out.index.name = "project_type"
    return out


def _costs(frame: pd.DataFrame) -> pd.Series:
    direct = frame["direct_costs_eur"].astype(float).sum() / MLN
    return pd.Series({"n_projects": float(len(frame)), "direct_mln": direct,
                      "indirect_mln": direct * INDIRECT_RATE,
                      "max_subsidy_mln": frame["max_subsidy_eur"].astype(float).sum() / MLN})


def costs_by(register: pd.DataFrame, column: str, order: tuple[str, ...]) -> pd.DataFrame:
    groups = {key: _costs(register[register[column] == key]) for key in order}
    out = pd.DataFrame(groups).T
    out = out[out["n_projects"] > 0]
    out.loc[TOTAL] = _costs(register)
    out.index.name = column
    return out


def costs_by_activity_group(register: pd.DataFrame) -> pd.DataFrame:
    """Tabel 2.2: number, direct and indirect costs, average total cost per project, maximum subsidy."""
    out = costs_by(register, "activity_group", ACTIVITY_GROUPS)
    out.insert(3, "avg_total_mln", (out["direct_mln"] + out["indirect_mln"]) / out["n_projects"])
    return out


def costs_by_applicant_type(register: pd.DataFrame) -> pd.DataFrame:
    """Tabel 2.3: as Tabel 2.2 by applicant type, with the share of the maximum subsidy."""
    out = costs_by(register, "applicant_type", APPLICANT_TYPES)
    out["max_subsidy_pct"] = 100.0 * out["max_subsidy_mln"] / out.loc[TOTAL, "max_subsidy_mln"]
    return out


def projects_per_activity_type(register: pd.DataFrame) -> pd.DataFrame:
    """Tabel 2.4: projects per activity type of the regulation (a project counts under each
    type it has), and the number with more than one type."""
    flags = register[list(ACTIVITY_TYPES)].astype(bool)
    n = float(len(register))
    counts = flags.sum().astype(float)
    counts.loc["meer_dan_een_type"] = float((flags.sum(axis=1) > 1).sum())
    out = pd.DataFrame({"n_projects": counts, "pct": 100.0 * counts / n})
    out.index.name = "activity_type"
    return out


def decision_months(register: pd.DataFrame) -> pd.DataFrame:
    """Figuur 2.1: grant decisions per calendar month and (inferred) round; every month
    from the first to the last decision is present, with zeros."""
    month = register["decision_date"].dt.to_period("M")
    counts = pd.crosstab(month, register["round"].astype(int)).reindex(columns=[1, 2], fill_value=0)
    full = pd.period_range(month.min(), month.max(), freq="M")
    counts = counts.reindex(full, fill_value=0)
    counts.index = counts.index.strftime("%Y-%m")
    counts.index.name = "maand_beschikking"
    counts.columns = ["ronde_1", "ronde_2"]
    counts.columns.name = "ronde"
    return counts.astype(int)


def _text_cells(published: pd.DataFrame, table: str) -> pd.DataFrame:
    """One text section's published cells as a row x column frame."""
    cells = published[published["table"] == table]
    if cells.empty:
        raise ValueError(f"no published cells for {table!r}")
    return cells.pivot(index="row", columns="column", values="value").astype(float)


# The report's tables shown as printed (its numbers under its number); the register's recount of
# each stands apart, in the page's appendix "Controle" (``<table>_register``). The index names are
# the recount's, so both are labelled alike; a cell the report prints in the text beside the table,
# not in it (Tabel 2.4's "38 van de 47"), is left out.
AS_PRINTED_INDEX = {"tabel_2_2": "activity_group", "tabel_2_3": "applicant_type", "tabel_2_4": "activity_type",
                    "tabel_3_2": "region_scope", "tabel_3_3": "sector_scope"}
TEXT_BESIDE_TABLE = {("tabel_2_4", "meer_dan_een_type")}


def report_table(published: pd.DataFrame, table: str) -> pd.DataFrame:
    """Report table ``table`` as printed: its published cells, rows and columns in the order of
    ``dwsra_published_cells.csv`` (the report's), values as printed."""
    if table not in AS_PRINTED_INDEX:
        raise ValueError(f"{table!r} is not a report table shown as printed; known: {sorted(AS_PRINTED_INDEX)}")
    cells = published[(published["table"] == table)
                      & ~published["row"].map(lambda r: (table, r) in TEXT_BESIDE_TABLE)]
    if cells.empty:
        raise ValueError(f"no published cells for {table!r} in dwsra_published_cells.csv")
    out = cells.pivot(index="row", columns="column", values="value").astype(float)
    out = out.loc[list(dict.fromkeys(cells["row"])), list(dict.fromkeys(cells["column"]))]
    out.index.name, out.columns.name = AS_PRINTED_INDEX[table], None
    return out


def budget_by_round(published: pd.DataFrame) -> pd.DataFrame:
    """The co-financing available per round and its split over DW and SRA (section 2.1,
    lines 971-981): round 1 after the re-split, round 2 as first divided; with the totals
    and the DW share. The report gives these as text only."""
    cells = _text_cells(published, "tekst_2_1").loc[["ronde_1", "ronde_2"], ["dw_mln", "sra_mln", "available_mln"]]
    out = cells.rename(columns={"available_mln": "total_mln"})
    out.loc[TOTAL] = out.sum()
    out["dw_pct"] = 100.0 * out["dw_mln"] / out["total_mln"]
    out.index.name = "ronde"
    return out


def decision_day_bounds(register: pd.DataFrame, rnd: int, window: tuple[str, str]) -> tuple[float, float]:
    """Mean days from application to decision the register allows for a round whose
    applications came in during ``window`` (opening, closing date)."""
    d = register.loc[register["round"].astype(int) == rnd, "decision_date"]
    opened, closed = (pd.Timestamp(x) for x in window)
    return float((d - closed).dt.days.mean()), float((d - opened).dt.days.mean())


def decision_days(published: pd.DataFrame, register: pd.DataFrame, windows: dict[int, tuple[str, str]]) -> pd.DataFrame:
    """Mean calendar days between application and decision by round as printed (line
    1123-1125), next to the range the register's decision dates allow: applications fall in
    the round's window (``windows``: round -> (opening, closing date)), so the mean lies
    between mean(decision) - closing and mean(decision) - opening."""
    printed = _text_cells(published, "tekst_2_2")["decision_days"]
    rows = []
    for rnd, window in windows.items():
        n = int((register["round"].astype(int) == rnd).sum())
        lo, hi = decision_day_bounds(register, rnd, window)
        rows.append({"ronde": f"ronde_{rnd}", "decision_days": printed[f"ronde_{rnd}"], "n_projects": float(n),
                     "register_from": lo, "register_to": hi})
    out = pd.DataFrame(rows).set_index("ronde")
    out["within"] = (out["decision_days"] >= out["register_from"]) & (out["decision_days"] <= out["register_to"])
    return out


def expected_spend(register: pd.DataFrame, reference_dates: tuple[str, ...]) -> pd.DataFrame:
    """The share of the budget an even spread would have spent by each reference date, per
    round (mean over the running projects), as section 4.2 computes it: from the decision
    date to the (extended) final end date. The report prints 49% and 36% (line 1796) without
    the date of the progress reports, so the register's value is shown for several dates."""
    decided = register["decision_date"]
    extended = (register["round"].astype(int) == 2) | (decided > pd.Timestamp(EXTENSION_DECISION_AFTER))
    end = pd.Series(pd.Timestamp(REGULAR_END), index=register.index).where(~extended, pd.Timestamp(EXTENDED_END))
    rows = {}
    for ref in reference_dates:
        share = ((pd.Timestamp(ref) - decided).dt.days / (end - decided).dt.days).clip(0, 1)
        rows[ref] = 100.0 * share.groupby(register["round"].astype(int)).mean()
    out = pd.DataFrame(rows).T
    out.columns = [f"ronde_{c}" for c in out.columns]
    out.index.name = "peildatum"
    return out


def financial_progress(published: pd.DataFrame) -> pd.DataFrame:
    """Section 4.2 as a table (lines 1768-1832): reports received, share of budgeted costs
    realised overall and by round against the share an even spread would give, and the
    projects expecting to spend less (or more) with the amounts. From the report's text:
    the progress reports are not public."""
    c = _text_cells(published, "tekst_4_2")
    rows = [
        ("voortgangsrapportages", "n_projects", c.loc["rapportages", "n_projects"]),
        ("gerealiseerd_totaal", "pct", c.loc["totaal", "realised_pct"]),
        ("gerealiseerd_ronde_1", "pct", c.loc["ronde_1", "realised_pct"]),
        ("verwacht_ronde_1", "pct", c.loc["ronde_1", "expected_pct"]),
        ("gerealiseerd_ronde_2", "pct", c.loc["ronde_2", "realised_pct"]),
        ("verwacht_ronde_2", "pct", c.loc["ronde_2", "expected_pct"]),
        ("minder_kosten_projecten", "n_projects", c.loc["minder", "n_projects"]),
        ("minder_kosten_mln", "eur_mln", c.loc["minder", "costs_mln"]),
        ("minder_subsidie_mln", "eur_mln", c.loc["minder", "subsidy_mln"]),
        ("maximale_toekenning_mln", "eur_mln", c.loc["lopend", "max_subsidy_mln"]),
        ("meer_kosten_projecten", "n_projects", c.loc["meer", "n_projects"]),
    ]
    out = pd.DataFrame(rows, columns=["item", "unit", "value"]).set_index("item")
    return out


# --------------------------------------------------------------------------- chapter 3-4
def spread(register: pd.DataFrame, column: str, order: tuple[str, ...]) -> pd.DataFrame:
    """Tabel 3.2 / 3.3: projects by regional or sectoral scope (``onbekend`` where the
    description does not say)."""
    counts = register[column].value_counts().reindex(list(order), fill_value=0).astype(float)
    counts = counts[(counts > 0) | (counts.index != "onbekend")]
    out = pd.DataFrame({"n_projects": counts, "pct": 100.0 * counts / len(register)})
    out.index.name = column
    return out


def regional_spread(register: pd.DataFrame) -> pd.DataFrame:
    return spread(register, "region_scope", REGION_SCOPES)


def sectoral_spread(register: pd.DataFrame) -> pd.DataFrame:
    return spread(register, "sector_scope", SECTOR_SCOPES)


def digital_products(register: pd.DataFrame) -> pd.DataFrame:
    """The register's count of projects whose description names a digital product (the
    report's 19 of Tabel 3.4 come from interviews)."""
    counts = register["digital_product"].value_counts().reindex(["ja", "mogelijk", "nee"], fill_value=0)
    out = pd.DataFrame({"n_projects": counts.astype(float)})
    out.loc["digitale_producten"] = counts["ja"]
    out.index.name = "digital_product"
    return out


def interview_table(counts: pd.DataFrame, table: str, lang: str = "nl") -> pd.DataFrame:
    """Tabel 3.1, 3.4, 4.1 or 4.2 from the interview-coded counts, with the percentage
    recomputed from the count next to the printed one."""
    rows = counts[counts["table"] == table]
    if rows.empty:
        raise ValueError(f"no rows for {table!r} in the interview counts")
    label = rows["label_nl"] if lang == "nl" else rows["label_en"]
    out = pd.DataFrame({
        "group": rows["group"].fillna("").to_numpy(),
        "category": label.to_numpy(),
        "n_projects": rows["n_projects"].astype(int).to_numpy(),
        "pct": [pct(n, b) for n, b in zip(rows["n_projects"], rows["base_projects"])],
        "pct_published": rows["pct_published"].astype(int).to_numpy(),
        "source_line": rows["source_line"].astype(int).to_numpy(),
    })
    if not out["group"].str.len().any():
        out = out.drop(columns="group")
    return out


GROUP_WORDS = {"bron": ("Bron", "Source"), "inhoud": ("Inhoud", "Content")}


def figure_counts(interview: pd.DataFrame, lang: str = "nl") -> pd.Series:
    """Counts of an :func:`interview_table` for Figuur 3.1/4.1/4.2 (all projects: the DW/SRA
    split is not published), most mentioned first. A table of two kinds of category (Tabel
    3.1: the source and the content of the problem analysis) keeps its kinds apart: each
    kind's bars together, in the table's order of kinds, each named by its kind."""
    df = interview.assign(_order=range(len(interview)))
    if "group" in df.columns and df["group"].str.len().any():
        kinds = list(dict.fromkeys(df["group"]))
        df = df.assign(_kind=df["group"].map(kinds.index)).sort_values(["_kind", "n_projects", "_order"],
                                                                      ascending=[True, False, True])
        side = 0 if lang == "nl" else 1
        names = [f"{GROUP_WORDS.get(g, (g, g))[side]}: {c}" for g, c in zip(df["group"], df["category"])]
    else:
        df = df.sort_values(["n_projects", "_order"], ascending=[False, True])
        names = df["category"].tolist()
    return pd.Series(df["n_projects"].to_numpy(), index=names, name="n_projects")


# --------------------------------------------------------------------------- presentation
def as_printed(df: pd.DataFrame, digits: dict[str, int] | None = None, default: int = 1) -> pd.DataFrame:
    """Round like the report: counts as integers, amounts to one decimal, percentages whole."""
    digits = digits or {}
    out = df.copy()
    for col in out.columns:
        if not pd.api.types.is_numeric_dtype(out[col]):
            continue
        d = digits.get(col, 0 if col.startswith(("n_", "received", "granted", "running", "withdrawn"))
                       or col.endswith("pct") or col == "pct" else default)
        rounded = out[col].map(lambda v, d=d: round_half_up(v, d))
        out[col] = rounded.astype("Int64") if d == 0 else rounded
    return out
