"""Reproduction of the published DWSRA cells and the report's own arithmetic.

Two kinds of check:

- :func:`compare_with_published` puts every published cell next to the value the pipeline
  computes from the raw files, rounded to the printed precision. Cells that differ must be
  explained in :data:`KNOWN_DIFFERENCES` (and an explanation for a cell that does not differ
  is an error too), so the side-by-side table cannot silently drift.
- :func:`arithmetic_checks` tests the report against itself: totals against rows,
  percentages against counts, averages against sums, totals against the regulation's 60%
  ceiling. The claims are data (``data/raw/dwsra_report_claims.csv``: the printed cell, a rule,
  the cells it is recomputed from); the rules are a handful of interval functions here.
  Printed numbers are rounded, so each is taken as the interval it stands for (``20,8`` is
  [20.75, 20.85]) and a claim is inconsistent only if no unrounded values could produce it.
  Written by hand: interval arithmetic over four operations needs no library.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import paths
from analysis.data.loading import load_table
from analysis.dwsra import tables as t
from analysis.dwsra.schema import AVAILABLE_BUDGET_MLN, REPORT_CLAIMS

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


ROUNDED_TOTAL = (
    "Afronding, geen indeling: de 47 maxima tellen op tot € 30.545.648 = 30,5 mln; het rapport drukt 30,6 af, "
    "de 30,55 uit de tekst (paragraaf 2.1) nogmaals afgerond, of de som van de afgeronde rijen.",
    "Rounding, not classification: the 47 maxima sum to €30,545,648 = 30.5 mln; the report prints 30.6, the "
    "text's 30.55 (section 2.1) rounded again, or the sum of the rounded rows.")

# Published cells the register cannot reproduce, with the reason (Dutch, English). Keys:
# (table, row, column); "*" matches any row or column.
KNOWN_DIFFERENCES: dict[CellKey, tuple[str, str]] = {
    ("tabel_2_2", "beide", "avg_total_mln"): (
        "Fout in het rapport: de eigen cellen geven (14,1 + 2,1) / 13 = 1,25, afgedrukt als 1,4 (zie de "
        "rekenkundige controles).",
        "Report error: its own cells give (14.1 + 2.1) / 13 = 1.25, printed as 1.4 (see the arithmetic checks)."),
    ("tabel_2_2", "totaal", "max_subsidy_mln"): ROUNDED_TOTAL,
    ("tabel_2_3", "totaal", "max_subsidy_mln"): ROUNDED_TOTAL,
    ("tabel_2_3", "*", "*"): (
        "Het type aanvrager staat niet per project in het rapport; onze typering op naam (3 projecten met kennis "
        "van buiten het rapport, 2 onbekend) reproduceert de indeling van Ecorys niet, en ook een hertypering "
        "van alleen de twijfelgevallen doet dat niet.",
        "Applicant types are not given per project; our name-based typing (3 projects from outside knowledge, "
        "2 unknown) does not reproduce Ecorys' classification, which no re-typing of the doubtful applicants "
        "alone reproduces either."),
    ("tabel_2_4", "*", "*"): (
        "De codering van activiteiten per project door Ecorys is niet gepubliceerd; de onze is gecodeerd uit de "
        "beschrijvingen en wijkt af op elk type behalve SRA2: minder DW1 en DW3, meer DW2, SRA1 en SRA3, en meer "
        "projecten met meer dan één type.",
        "Ecorys' per-project activity coding is not published; ours is coded from the descriptions and "
        "differs on every type but SRA2: fewer DW1 and DW3, more DW2, SRA1 and SRA3, and more projects "
        "with more than one type."),
    ("tabel_3_2", "*", "*"): (
        "Regionale reikwijdte door ons gecodeerd uit de beschrijvingen; 6 beschrijvingen noemen geen regio "
        "(onbekend).",
        "Regional scope coded by us from the descriptions; 6 descriptions name no region (unknown)."),
    ("tabel_3_3", "*", "*"): (
        "Sectorale reikwijdte door ons gecodeerd uit de beschrijvingen; de codering van Ecorys is niet "
        "gepubliceerd.",
        "Sectoral scope coded by us from the descriptions; Ecorys' coding is not published."),
    ("tabel_3_4", "digitale_producten", "n_projects"): (
        "De 19 van het rapport komen uit de interviews; de teksten in de bijlagen noemen voor 15 projecten een "
        "digitaal product.",
        "The report's 19 come from the interviews; the appendix texts name a digital product for 15 projects."),
    ("tekst_2_1", "DW", "max_subsidy_pct"): (
        "Fout in het rapport: 20,8 van 30,55 mln is 68%, geen 65% (zie de rekenkundige controles).",
        "Report error: 20.8 of 30.55 mln is 68%, not 65% (see the arithmetic checks)."),
    ("tekst_2_1", "SRA", "max_subsidy_pct"): (
        "Fout in het rapport: 9,8 van 30,55 mln is 32%, geen 35% (zie de rekenkundige controles).",
        "Report error: 9.8 of 30.55 mln is 32%, not 35% (see the arithmetic checks)."),
}


# Why a published cell has no computed counterpart, by table (Dutch, English).
NOT_COMPUTABLE: dict[str, tuple[str, str]] = {
    "tekst_1_2": ("een regel van de regeling; de doorloop van de gedrukte getallen toetst het register eraan",
                  "a rule of the regulation; the number sweep checks the register against it"),
    "tekst_2_1": ("het budget van de regeling: geen gegevens per project", "the scheme's budget: no per-project data"),
    "tekst_2_2": ("aanvraagdata zijn niet gepubliceerd; het register begrenst het gemiddelde (Behandelduur)",
                  "application dates are not published; the register bounds the mean (Handling time)"),
    "tekst_4_2": ("uit de voortgangsrapportages, die niet openbaar zijn",
                  "from the progress reports, which are not public"),
    "*": ("uit interviews: geen gegevens per project", "interview-based: no per-project data"),
}

LANGS = ("nl", "en")


def _in(pair: tuple[str, str], lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"language must be one of {LANGS}, got {lang!r}")
    return pair[LANGS.index(lang)]


def explanation(table: str, row: str, column: str, lang: str = "en") -> str | None:
    """Why a published cell differs from the pipeline's, in ``lang`` (None: no reason known)."""
    for key in ((table, row, column), (table, row, "*"), (table, "*", column), (table, "*", "*")):
        if key in KNOWN_DIFFERENCES:
            return _in(KNOWN_DIFFERENCES[key], lang)
    return None


def compare_with_published(published: pd.DataFrame, computed: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Side by side: each published cell, the computed value at the printed precision, whether
    they agree and, where they do not, why (in ``lang``). Published cells the pipeline cannot
    compute (the interview-based text claims) are listed with an empty computed value. Rows in
    the report's order, by the line each cell is printed on (review 9: the text's cells of
    paragraaf 1.2 came after those of 3.3)."""
    merged = published.merge(computed, on=["table", "row", "column"], how="left")
    merged["digits"] = [printed_digits(v, u) for v, u in zip(merged["value"], merged["unit"])]
    merged["computed_printed"] = [t.round_half_up(c, d) for c, d in zip(merged["computed"], merged["digits"])]
    close = np.isclose(merged["computed_printed"], merged["value"], rtol=0, atol=1e-9)
    computable = merged["computed"].notna().to_numpy()
    merged["status"] = np.where(~computable, "not_computable", np.where(close, "reproduced", "differs"))
    no_data = {table: _in(pair, lang) for table, pair in NOT_COMPUTABLE.items()}
    merged["explanation"] = [
        "" if st == "reproduced" else no_data.get(a, no_data["*"]) if st == "not_computable"
        else (explanation(a, b, c, lang) or "UNEXPLAINED")
        for a, b, c, st in zip(merged["table"], merged["row"], merged["column"], merged["status"])]
    cols = ["table", "row", "column", "value", "computed", "computed_printed", "digits", "status", "explanation",
            "source_line"]
    return merged[cols].rename(columns={"value": "published"}).sort_values("source_line", kind="stable",
                                                                          ignore_index=True)


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


# The claims live in data/raw/dwsra_report_claims.csv, one row each: the printed cell it
# tests (table, row, column), a rule and its operands (cells written table/row/column,
# separated by ";") and a factor. The rules, on intervals:
#   sum        cell = sum of the operands
#   ratio      cell = operand 1 / operand 2 x factor
#   scale      cell = operand 1 x factor
#   average    cell = (operand 1 + operand 2) / operand 3
#   remainder  cell = factor - sum of the operands
#   equal      cell = operand 1
#   rate       cell = operand 1 / 100 x sum of the other operands (operand 1, a rate of the
#              regulation, is taken as exact)
#   ceiling    0 <= cell <= operand 1 / 100 x sum of the other operands
#   between    min(operands) <= cell <= max(operands)
#   at_most    cell <= sum of the operands + factor
#   at_least   cell >= sum of the operands + factor
def _total(values: list[Interval]) -> Interval:
    total = values[0]
    for v in values[1:]:
        total = total + v
    return total


def _mid(rate: Interval) -> float:
    """A printed rate of the regulation (60 procent) is exact: the middle of its interval."""
    return (rate.lo + rate.hi) / 2


_RULES: dict[str, Callable[[list[Interval], float], Interval]] = {
    "sum": lambda v, k: _total(v),
    "ratio": lambda v, k: (v[0] / v[1]) * k,
    "scale": lambda v, k: v[0] * k,
    "average": lambda v, k: (v[0] + v[1]) / v[2],
    "remainder": lambda v, k: Interval.exact(k) - _total(v),
    "equal": lambda v, k: v[0],
    "rate": lambda v, k: _total(v[1:]) * (_mid(v[0]) / 100.0),
    "ceiling": lambda v, k: Interval(0.0, (_total(v[1:]) * (_mid(v[0]) / 100.0)).hi),
    "between": lambda v, k: Interval(min(x.lo for x in v), max(x.hi for x in v)),
    "at_most": lambda v, k: Interval(-math.inf, _total(v).hi + k),
    "at_least": lambda v, k: Interval(_total(v).lo + k, math.inf),
}


def load_claims(path=None) -> pd.DataFrame:
    """The validated claims table (``data/raw/dwsra_report_claims.csv`` by default)."""
    return load_table(path or paths.DATA_RAW / "dwsra_report_claims.csv", REPORT_CLAIMS)


def _lines(operands: str, cells: dict) -> str:
    """The source lines of a claim's operands, distinct and sorted, as "958;960"."""
    lines = sorted({int(cells[_key(o)][2]) for o in str(operands).split(";")})
    return ";".join(str(n) for n in lines)


def _key(text: str) -> CellKey:
    table, row, column = text.split("/")
    return table, row, column


def recompute(claim, get: Callable[[CellKey], Interval]) -> Interval:
    """The interval the claim's operands allow for its cell."""
    if claim.rule not in _RULES:
        raise ValueError(f"claim {claim.id!r}: unknown rule {claim.rule!r} (known: {', '.join(_RULES)})")
    operands = [get(_key(o)) for o in str(claim.operands).split(";")]
    default = 0.0 if claim.rule in ("at_most", "at_least") else 1.0
    factor = float(claim.factor) if pd.notna(claim.factor) else default
    return _RULES[claim.rule](operands, factor)


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


PERCENT_OF_BASE = ("percentage = projecten / {base}", "percentage = projects / {base}")


def arithmetic_checks(published: pd.DataFrame, interview_counts: pd.DataFrame | None = None,
                      claims: pd.DataFrame | None = None, lang: str = "en") -> pd.DataFrame:
    """Every claim of :data:`claims` (default: ``dwsra_report_claims.csv``) with the printed
    value, the range the other printed cells allow, and whether they are consistent;
    interview tables' percentages are checked too. ``rule`` is the claim in words, in ``lang``."""
    cells = _cells(published)
    get = _printed_interval(cells)
    claims = load_claims() if claims is None else claims
    rows = []
    for claim in claims.itertuples(index=False):
        cell = (claim.table, claim.row, claim.column)
        missing = [k for k in [cell] + [_key(o) for o in str(claim.operands).split(";")] if k not in cells]
        if missing:
            raise KeyError(f"dwsra_report_claims.csv, claim {claim.id!r}: no published cell {missing[0]}")
        printed = get(cell)
        value, _, line = cells[cell]
        allowed = recompute(claim, get)
        words = _in((claim.description_nl, claim.description_en), lang)
        rows.append({"check": claim.id, "kind": claim.kind, "table": cell[0], "row": cell[1], "column": cell[2],
                     "rule": words, "printed": value, "allowed_from": allowed.lo, "allowed_to": allowed.hi,
                     "consistent": allowed.overlaps(printed), "source_line": int(line),
                     "other_lines": _lines(claim.operands, cells)})
    rows += _interview_checks(interview_counts, lang) if interview_counts is not None else []
    return pd.DataFrame(rows)


def _interview_checks(interview_counts: pd.DataFrame, lang: str) -> list[dict]:
    """The interview tables' printed percentages against their counts."""
    rows = []
    for r in interview_counts.itertuples(index=False):
        allowed = Interval.exact(100.0 * r.n_projects / r.base_projects)
        printed = Interval.printed(float(r.pct_published), 0)
        rows.append({"check": f"{r.table} {r.category} %", "kind": "arithmetic", "table": r.table,
                     "row": r.category,
                     "column": "pct", "rule": _in(PERCENT_OF_BASE, lang).format(base=r.base_projects),
                     "printed": float(r.pct_published), "allowed_from": allowed.lo, "allowed_to": allowed.hi,
                     "consistent": allowed.overlaps(printed), "source_line": int(r.source_line),
                     "other_lines": str(int(r.source_line))})
    return rows


def inconsistencies(checks: pd.DataFrame) -> pd.DataFrame:
    return checks[~checks["consistent"]].reset_index(drop=True)


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
