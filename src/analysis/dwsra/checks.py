"""Reproduction of the published DWSRA cells and the report's own arithmetic.

Two kinds of check:

- :func:`compare_with_published` puts every published cell next to the value the pipeline
  computes from the raw files, rounded to the printed precision. Cells that differ must be
  explained in :data:`KNOWN_DIFFERENCES` (and an explanation for a cell that does not differ
  is an error too), so the side-by-side table cannot silently drift.
- :func:`arithmetic_checks` tests the report against itself: totals against rows,
  percentages against counts, averages against sums. Printed numbers are rounded, so each is
  taken as the interval it stands for (``20,8`` is [20.75, 20.85]) and a claim is
  inconsistent only if no unrounded values could produce it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.dwsra import tables as t
from analysis.dwsra.schema import AVAILABLE_BUDGET_MLN, INDIRECT_RATE

CellKey = tuple[str, str, str]


# --------------------------------------------------------------------------- computed cells
def computed_cells(register: pd.DataFrame, applications: pd.DataFrame) -> pd.DataFrame:
    """Every cell the pipeline computes, long format (table, row, column, computed)."""
    frames = {
        "tabel_2_1": t.applications_by_round(applications, register),
        "tabel_2_2": t.costs_by_activity_group(register),
        "tabel_2_3": t.costs_by_applicant_type(register),
        "tabel_2_4": t.projects_per_activity_type(register),
        "tabel_3_2": t.regional_spread(register),
        "tabel_3_3": t.sectoral_spread(register),
        "tabel_3_4": t.digital_products(register),
    }
    long = [df.rename_axis("row").reset_index().melt(id_vars="row", var_name="column", value_name="computed")
            .assign(table=name) for name, df in frames.items()]
    by_type = t.costs_by(register, "project_type", ("DW", "SRA"))
    total = by_type.loc[t.TOTAL, "max_subsidy_mln"]
    text = [
        ("lopend", "n_projects", len(register)),
        ("lopend", "max_subsidy_mln", total),
        ("lopend", "budget_share_pct", t.pct(total, AVAILABLE_BUDGET_MLN)),
        ("DW", "n_projects", by_type.loc["DW", "n_projects"]),
        ("DW", "max_subsidy_mln", by_type.loc["DW", "max_subsidy_mln"]),
        ("DW", "max_subsidy_pct", t.pct(by_type.loc["DW", "max_subsidy_mln"], total)),
        ("SRA", "n_projects", by_type.loc["SRA", "n_projects"]),
        ("SRA", "max_subsidy_mln", by_type.loc["SRA", "max_subsidy_mln"]),
        ("SRA", "max_subsidy_pct", t.pct(by_type.loc["SRA", "max_subsidy_mln"], total)),
    ]
    long.append(pd.DataFrame(text, columns=["row", "column", "computed"]).assign(table="tekst_2_1"))
    out = pd.concat(long, ignore_index=True)[["table", "row", "column", "computed"]]
    out["computed"] = out["computed"].astype(float)
    return out


def printed_digits(value: float, unit: str) -> int:
    """Decimals the report printed a value with (30,55 -> 2; 20,8 -> 1; counts -> 0)."""
    if unit != "eur_mln":
        return 0
    text = repr(float(value))
    return max(1, len(text.split(".")[1].rstrip("0")))


# Published cells the register cannot reproduce, with the reason. Keys: (table, row, column);
# "*" matches any row or column.
KNOWN_DIFFERENCES: dict[CellKey, str] = {
    ("tabel_2_2", "beide", "avg_total_mln"):
        "Report error: its own cells give (14,1 + 2,1) / 13 = 1,25, printed as 1,4 (see the arithmetic checks).",
    ("tabel_2_2", "totaal", "max_subsidy_mln"):
        "The 47 maxima sum to EUR 30,545,648 = 30,5 mln; the report prints 30,6 (the rounded 30,55 of the "
        "text rounded again, or the sum of the rounded rows 16,2 + 4,5 + 9,9).",
    ("tabel_2_3", "*", "*"):
        "Applicant types are not given per project; our name-based typing (3 projects from outside "
        "knowledge, 2 unknown) does not reproduce Ecorys' classification, which no re-typing of the doubtful "
        "applicants alone reproduces either.",
    ("tabel_2_4", "*", "*"):
        "Ecorys' per-project activity coding is not published; ours is coded from the descriptions and is "
        "more generous for SRA1 and SRA3.",
    ("tabel_3_2", "*", "*"):
        "Regional scope coded by us from the descriptions; 6 descriptions name no region (onbekend).",
    ("tabel_3_3", "*", "*"):
        "Sectoral scope coded by us from the descriptions; Ecorys' coding is not published.",
    ("tabel_3_4", "digitale_producten", "n_projects"):
        "The report's 19 come from the interviews; the appendix texts name a digital product for 15 projects.",
    ("tekst_2_1", "DW", "max_subsidy_pct"):
        "Report error: 20,8 of 30,55 mln is 68%, not 65% (see the arithmetic checks).",
    ("tekst_2_1", "SRA", "max_subsidy_pct"):
        "Report error: 9,8 of 30,55 mln is 32%, not 35% (see the arithmetic checks).",
}


def explanation(table: str, row: str, column: str) -> str | None:
    for key in ((table, row, column), (table, row, "*"), (table, "*", column), (table, "*", "*")):
        if key in KNOWN_DIFFERENCES:
            return KNOWN_DIFFERENCES[key]
    return None


def compare_with_published(published: pd.DataFrame, computed: pd.DataFrame) -> pd.DataFrame:
    """Side by side: each published cell, the computed value at the printed precision, whether
    they agree and, where they do not, why. Published cells the pipeline cannot compute (the
    interview-based text claims) are listed with an empty computed value."""
    merged = published.merge(computed, on=["table", "row", "column"], how="left")
    merged["digits"] = [printed_digits(v, u) for v, u in zip(merged["value"], merged["unit"])]
    merged["computed_printed"] = [t.round_half_up(c, d) for c, d in zip(merged["computed"], merged["digits"])]
    close = np.isclose(merged["computed_printed"], merged["value"], rtol=0, atol=1e-9)
    computable = merged["computed"].notna().to_numpy()
    merged["status"] = np.where(~computable, "not computable", np.where(close, "reproduced", "differs"))
    fixed = {"reproduced": "", "not computable": "interview-based or external: no per-project data"}
    merged["explanation"] = [
        fixed[st] if st in fixed else (explanation(a, b, c) or "UNEXPLAINED")
        for a, b, c, st in zip(merged["table"], merged["row"], merged["column"], merged["status"])]
    cols = ["table", "row", "column", "value", "computed", "computed_printed", "status", "explanation",
            "source_line"]
    return merged[cols].rename(columns={"value": "published"})


def unexplained(comparison: pd.DataFrame) -> pd.DataFrame:
    """Cells that differ without an explanation."""
    return comparison[comparison["explanation"] == "UNEXPLAINED"]


def stale_explanations(comparison: pd.DataFrame) -> list[CellKey]:
    """Explanations in :data:`KNOWN_DIFFERENCES` that no longer match a differing cell."""
    differing = comparison[comparison["status"] == "differs"]
    stale = []
    for key in KNOWN_DIFFERENCES:
        table, row, column = key
        hit = differing[(differing["table"] == table) & ((differing["row"] == row) | (row == "*"))
                        & ((differing["column"] == column) | (column == "*"))]
        if hit.empty:
            stale.append(key)
    return stale


# --------------------------------------------------------------------------- report arithmetic
@dataclass(frozen=True)
class Interval:
    """The range of unrounded values a printed number stands for."""

    lo: float
    hi: float

    @classmethod
    def printed(cls, value: float, digits: int) -> Interval:
        half = 0.5 * 10.0 ** -digits if digits is not None else 0.0
        return cls(value - half, value + half)

    @classmethod
    def exact(cls, value: float) -> Interval:
        return cls(value, value)

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.lo + other.lo, self.hi + other.hi)

    def __sub__(self, other: Interval) -> Interval:
        return Interval(self.lo - other.hi, self.hi - other.lo)

    def __mul__(self, k: float) -> Interval:
        return Interval(self.lo * k, self.hi * k)

    def __truediv__(self, other: Interval) -> Interval:  # positive values only
        return Interval(self.lo / other.hi, self.hi / other.lo)

    def overlaps(self, other: Interval) -> bool:
        return self.lo <= other.hi + 1e-12 and other.lo <= self.hi + 1e-12


@dataclass(frozen=True)
class Claim:
    """A printed cell and how to recompute it from other printed cells."""

    id: str
    cell: CellKey
    description: str
    recompute: Callable[[Callable[[CellKey], Interval]], Interval]


def _sum(cells: list[CellKey]) -> Callable:
    def f(get):
        total = get(cells[0])
        for c in cells[1:]:
            total = total + get(c)
        return total
    return f


def _share(part: CellKey, whole: CellKey, k: float = 100.0) -> Callable:
    return lambda get: (get(part) / get(whole)) * k


def _share_of(part: CellKey, whole: float) -> Callable:
    return lambda get: get(part) * (100.0 / whole)


def claims(published: pd.DataFrame) -> list[Claim]:
    """The consistency claims the printed tables make about themselves."""
    keys = set(zip(published["table"], published["row"], published["column"]))
    out: list[Claim] = []

    def add(id_, cell, description, fn):
        if cell in keys:
            out.append(Claim(id_, cell, description, fn))

    # Tabel 2.1: totals and rates
    for col in ("received_1", "granted_1", "received_2", "granted_2", "received", "granted"):
        add(f"2.1 TOTAAL {col}", ("tabel_2_1", "TOTAAL", col), "total = DW + SRA",
            _sum([("tabel_2_1", "DW", col), ("tabel_2_1", "SRA", col)]))
    for r in ("DW", "SRA"):
        for what in ("received", "granted"):
            add(f"2.1 {r} {what}", ("tabel_2_1", r, what), "total = first + second round",
                _sum([("tabel_2_1", r, f"{what}_1"), ("tabel_2_1", r, f"{what}_2")]))
    for r in ("DW", "SRA", "TOTAAL"):
        add(f"2.1 {r} T/O", ("tabel_2_1", r, "granted_pct"), "T/O % = granted / received",
            _share(("tabel_2_1", r, "granted"), ("tabel_2_1", r, "received")))
    # Tabel 2.2 and 2.3: totals, indirect = 15% of direct, averages, shares
    groups = {"tabel_2_2": ("alleen_dw", "alleen_sra", "beide"),
              "tabel_2_3": ("werknemersorganisatie", "werkgeversorganisatie", "oo_fonds")}
    for table, rows in groups.items():
        for col in ("n_projects", "direct_mln", "indirect_mln", "max_subsidy_mln"):
            add(f"{table[6:].replace('_', '.')} totaal {col}", (table, "totaal", col), "total = sum of the rows",
                _sum([(table, r, col) for r in rows]))
        for r in rows + ("totaal",):
            add(f"{table[6:].replace('_', '.')} {r} indirect", (table, r, "indirect_mln"),
                "indirect costs = 15% of direct costs", lambda get, k=(table, r, "direct_mln"): get(k) * INDIRECT_RATE)
    for r in groups["tabel_2_2"] + ("totaal",):
        add(f"2.2 {r} average", ("tabel_2_2", r, "avg_total_mln"),
            "average total cost per project = (direct + indirect) / number of projects",
            lambda get, r=r: (get(("tabel_2_2", r, "direct_mln")) + get(("tabel_2_2", r, "indirect_mln")))
            / get(("tabel_2_2", r, "n_projects")))
    for r in groups["tabel_2_3"]:
        add(f"2.3 {r} share", ("tabel_2_3", r, "max_subsidy_pct"), "share of the total maximum subsidy",
            _share(("tabel_2_3", r, "max_subsidy_mln"), ("tabel_2_3", "totaal", "max_subsidy_mln")))
    # Tabel 2.4, 3.2, 3.3 and text: percentages of the 47 projects
    for table, row, column in sorted(keys):
        if column == "pct" and table in ("tabel_2_4", "tabel_3_2", "tabel_3_3", "tekst_3_3"):
            add(f"{table} {row} %", (table, row, column), "percentage = projects / 47",
                _share_of((table, row, "n_projects"), 47))
    for table in ("tabel_3_2", "tabel_3_3"):
        rows = sorted(r for (tb, r, c) in keys if tb == table and c == "n_projects")
        add(f"{table} sum", (table, rows[0], "n_projects"), "the categories add up to 47 projects",
            lambda get, table=table, rows=rows: Interval.exact(47.0) - _sum(
                [(table, r, "n_projects") for r in rows[1:]])(get))
    # Text of section 2.1
    add("2.1 text DW share", ("tekst_2_1", "DW", "max_subsidy_pct"), "DW share of the total maximum subsidy",
        _share(("tekst_2_1", "DW", "max_subsidy_mln"), ("tekst_2_1", "lopend", "max_subsidy_mln")))
    add("2.1 text SRA share", ("tekst_2_1", "SRA", "max_subsidy_pct"), "SRA share of the total maximum subsidy",
        _share(("tekst_2_1", "SRA", "max_subsidy_mln"), ("tekst_2_1", "lopend", "max_subsidy_mln")))
    add("2.1 text total", ("tekst_2_1", "lopend", "max_subsidy_mln"), "total = DW + SRA",
        _sum([("tekst_2_1", "DW", "max_subsidy_mln"), ("tekst_2_1", "SRA", "max_subsidy_mln")]))
    add("2.1 text budget", ("tekst_2_1", "lopend", "budget_share_pct"), "share of the EUR 37,5 mln budget",
        _share(("tekst_2_1", "lopend", "max_subsidy_mln"), ("tekst_2_1", "budget", "available_mln")))
    add("2.1 text projects", ("tekst_2_1", "lopend", "n_projects"), "47 = DW + SRA projects",
        _sum([("tekst_2_1", "DW", "n_projects"), ("tekst_2_1", "SRA", "n_projects")]))
    add("2.1 text vs 2.2", ("tabel_2_2", "totaal", "max_subsidy_mln"), "Tabel 2.2 total = the text's 30,55 mln",
        lambda get: get(("tekst_2_1", "lopend", "max_subsidy_mln")))
    return out


def _cells(published: pd.DataFrame) -> dict[CellKey, tuple[float, str, int]]:
    """Published cells by key: (value, unit, source line)."""
    return {(a, b, c): (v, u, ln) for a, b, c, v, u, ln in zip(
        published["table"], published["row"], published["column"], published["value"], published["unit"],
        published["source_line"])}


def _printed_interval(cells: dict[CellKey, tuple[float, str, int]]) -> Callable[[CellKey], Interval]:
    """Counts are exact; amounts and percentages stand for the interval their rounding allows."""
    def get(key: CellKey) -> Interval:
        value, unit, _ = cells[key]
        return Interval.exact(value) if unit == "count" else Interval.printed(value, printed_digits(value, unit))
    return get


def arithmetic_checks(published: pd.DataFrame, interview_counts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every claim with the printed value, the range the other printed cells allow, and
    whether they are consistent; interview tables' percentages are checked too."""
    cells = _cells(published)
    get = _printed_interval(cells)
    rows = []
    for claim in claims(published):
        printed = get(claim.cell)
        value, _, line = cells[claim.cell]
        allowed = claim.recompute(get)
        consistent = allowed.overlaps(printed)
        rows.append({"check": claim.id, "table": claim.cell[0], "row": claim.cell[1], "column": claim.cell[2],
                     "rule": claim.description, "printed": value, "allowed_from": allowed.lo,
                     "allowed_to": allowed.hi, "consistent": bool(consistent), "source_line": line})
    if interview_counts is not None:
        for r in interview_counts.itertuples(index=False):
            allowed = Interval.exact(100.0 * r.n_projects / r.base_projects)
            printed = Interval.printed(float(r.pct_published), 0)
            rows.append({"check": f"{r.table} {r.category} %", "table": r.table, "row": r.category,
                         "column": "pct", "rule": f"percentage = projects / {r.base_projects}",
                         "printed": float(r.pct_published), "allowed_from": allowed.lo, "allowed_to": allowed.hi,
                         "consistent": allowed.overlaps(printed), "source_line": int(r.source_line)})
    return pd.DataFrame(rows)


def inconsistencies(checks: pd.DataFrame) -> pd.DataFrame:
    return checks[~checks["consistent"]].reset_index(drop=True)


def side_by_side(comparison: pd.DataFrame, table: str) -> pd.DataFrame:
    """One table's published and computed cells next to each other, with the reason for
    each difference."""
    rows = comparison[comparison["table"] == table]
    return rows[["row", "column", "published", "computed_printed", "status", "explanation", "source_line"]] \
        .rename(columns={"computed_printed": "computed"}).reset_index(drop=True)


# --------------------------------------------------------------------------- source lines
_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
           "oktober", "november", "december")


def _normal(text: str) -> str:
    return " ".join(text.split())


def _date_forms(day: pd.Timestamp) -> list[str]:
    return [f"{day.day} {_MONTHS[day.month - 1]} {day.year}", day.strftime("%d-%m-%Y"), day.strftime("%d-%m-%y")]


def _amount(value: float) -> str:
    whole = f"{int(value):,}".replace(",", ".")
    cents = round(value % 1 * 100)
    return whole + (f",{cents:02d}" if cents else "")


def source_line_problems(data: dict[str, pd.DataFrame], source_lines: list[str]) -> list[str]:
    """Check every value that cites a line of the source text against that line: project
    codes, amounts, dates, published cells and counts. Returns one message per mismatch."""
    problems: list[str] = []

    def at(n: int) -> str:
        return _normal(source_lines[int(n) - 1]) if 0 < int(n) <= len(source_lines) else ""

    for r in data["register"].itertuples(index=False):
        where = f"dwsra_project_register.csv, {r.project_code}"
        short = r.project_code.removeprefix("2016")
        if short not in at(r.code_line):
            problems.append(f"{where}, code_line {r.code_line}: code not on the line")
        for col, value in (("direct_costs_line", r.direct_costs_eur), ("max_subsidy_line", r.max_subsidy_eur)):
            line = getattr(r, col)
            if _amount(value) not in at(line):
                problems.append(f"{where}, {col} {line}: {_amount(value)} not on the line")
        if not any(f in at(r.decision_date_line) for f in _date_forms(r.decision_date)):
            problems.append(f"{where}, decision_date_line {r.decision_date_line}: "
                            f"{r.decision_date.date()} not on the line")
        if pd.isna(r.term_note) and not any(f in at(r.term_line) for f in _date_forms(r.start_date)):
            problems.append(f"{where}, term_line {r.term_line}: start {r.start_date.date()} not on the line")
        if "Indiener" not in at(r.applicant_line):
            problems.append(f"{where}, applicant_line {r.applicant_line}: not the applicant line")
    for r in data["published"].itertuples(index=False):
        if _normal(r.as_printed) not in at(r.source_line):
            problems.append(f"dwsra_published_cells.csv, {r.table} {r.row} {r.column}, line {r.source_line}: "
                            f"{r.as_printed!r} not on the line")
    for r in data["interview_counts"].itertuples(index=False):
        printed = f"{r.label_nl} {r.n_projects} ({r.pct_published}%)"
        if _normal(printed) not in at(r.source_line):
            problems.append(f"dwsra_interview_counts.csv, {r.table} {r.category}, line {r.source_line}: "
                            f"{printed!r} not on the line")
    apps = data["applications"]
    for r in apps.itertuples(index=False):
        other = apps[(apps["project_type"] == r.project_type) & (apps["round"] != r.round)].iloc[0]
        first, second = (r, other) if int(r.round) == 1 else (other, r)
        printed = f"{r.project_type} {first.received} {first.granted} {second.received} {second.granted}"
        if printed not in at(r.source_line):
            problems.append(f"dwsra_applications_by_round.csv, {r.project_type} round {r.round}, line "
                            f"{r.source_line}: {printed!r} not on the line")
    return problems
