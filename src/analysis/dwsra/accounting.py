"""How each printed number of the sweep is accounted for, checked.

Every row of ``dwsra_printed_numbers.csv`` that names a ``basis`` is recomputed here:

- ``cell t/r/c`` (``+ t/r/c`` for a sum): a published cell; ``share t/r/c N``: that cell as a
  percentage of N;
- ``interview t/category`` or ``interview t/category/pct``: a count of the interview tables,
  or its percentage recomputed from the count;
- ``fact id``: a quantity recomputed from the register (and the aggregate files) by
  :func:`register_facts`;
- ``claim id``: a claim of ``dwsra_report_claims.csv``; its verdict is the check;
- ``line N``: the same value is printed on line N (another row of the sweep);
- ``caption N``: a reference to the table, figure, chapter or appendix whose caption or
  heading is on line N.

:func:`check_numbers` returns, per row, the recomputed value and whether the printed one
agrees with it (within its rounding, or inside the range a verbal quantity stands for). A
row that disagrees must carry a ``finding``; :func:`findings` lists them with both lines.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from analysis.dwsra.checks import arithmetic_checks
from analysis.dwsra.schema import APPLICATION_WINDOWS, INDIRECT_RATE
from analysis.dwsra.sweep import coverage
from analysis.dwsra.tables import decision_day_bounds


@dataclass(frozen=True)
class Bound:
    """A rule the printed number sets for the register (a minimum or maximum): it holds when
    the printed value itself lies in [lo, hi]."""

    lo: float
    hi: float


def _share(mask: pd.Series) -> float:
    return 100.0 * float(mask.sum()) / len(mask)


def _applicant(register: pd.DataFrame, prefix: str, project_type: str | None = None) -> float:
    hit = register["applicant"].str.startswith(prefix)
    if project_type:
        hit &= register["project_type"] == project_type
    return float(hit.sum())


def register_facts(register: pd.DataFrame, applications: pd.DataFrame) -> dict[str, object]:
    """Quantities the text states that the register can recompute (a number, a (lo, hi)
    interval or an ISO date)."""
    r = register.assign(round=register["round"].astype(int))
    r1, r2 = r[r["round"] == 1], r[r["round"] == 2]
    ratio = r["max_subsidy_eur"] / (r["direct_costs_eur"] * (1 + INDIRECT_RATE))
    months = r["decision_date"].dt.to_period("M").astype(str)
    return {
        "subsidy_rate_pct": 100.0 * float(ratio.median()),
        "min_subsidy_rule": Bound(-math.inf, float(r["max_subsidy_eur"].min()) / 1e6),
        "max_subsidy_rule": Bound(float(r["max_subsidy_eur"].max()) / 1e6, math.inf),
        "started_2017_pct": _share(r["start_date"].dt.year == 2017),
        "median_term_years": float(((r["end_date"] - r["start_date"]).dt.days / 365.25).median()),
        "start_2017_01_01_pct": _share(r["start_date"] == pd.Timestamp("2017-01-01")),
        "round1_start_oct16_mar17_pct": _share(r1["start_date"].between("2016-10-01", "2017-03-31")),
        "round1_end_2018_pct": _share(r1["end_date"].between("2018-11-01", "2018-12-31")),
        "round1_latest_end": r1["end_date"].max().date().isoformat(),
        "round2_ending_before_2018_12_31": float((r2["end_date"] < pd.Timestamp("2018-12-31")).sum()),
        "round2_start_2017_01_01_pct": _share(r2["start_date"] == pd.Timestamp("2017-01-01")),
        "round2_effective_years": float(((pd.Timestamp("2018-12-31") - r2["decision_date"]).dt.days / 365.25).mean()),
        "round2_latest_end": r2["end_date"].max().date().isoformat(),
        "round2_decided_apr_jun_2017_pct": _share(months[r["round"] == 2].isin(["2017-04", "2017-05", "2017-06"])),
        "decided_jun_aug_2017": float(months.isin(["2017-06", "2017-07", "2017-08"]).sum()),
        "round1_decided_after_2017_07_01": float((r1["decision_date"] > pd.Timestamp("2017-07-01")).sum()),
        "start_before_decision_pct": _share(r["start_date"] < r["decision_date"]),
        "decision_days_round_1": decision_day_bounds(r, 1, APPLICATION_WINDOWS[1]),
        "decision_days_round_2": decision_day_bounds(r, 2, APPLICATION_WINDOWS[2]),
        "withdrawn_or_stopped": float(applications["granted"].astype(int).sum() - len(r)),
        "ca_ict": _applicant(r, "CA-ICT"), "ca_ict_dw": _applicant(r, "CA-ICT", "DW"),
        "ca_ict_sra": _applicant(r, "CA-ICT", "SRA"),
        "fnv": _applicant(r, "FNV"), "fnv_dw": _applicant(r, "FNV", "DW"), "fnv_sra": _applicant(r, "FNV", "SRA"),
        "vno_midden": _applicant(r, "VNO-NCW Midden"), "vno_midden_dw": _applicant(r, "VNO-NCW Midden", "DW"),
        "vno_midden_sra": _applicant(r, "VNO-NCW Midden", "SRA"),
    }


# --------------------------------------------------------------------------- printed ranges
def printed_range(value: str, text: str) -> tuple[float, float] | str:
    """The interval a printed number stands for: "lo..hi" as given (verbal quantities and
    qualified numbers), otherwise the number +- half a unit of its last printed digit; a
    date stays a string."""
    if re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", value):
        return value
    if ".." in value:
        lo, hi = value.split("..")
        return float(lo), float(hi)
    try:
        v = float(value)
    except ValueError:
        return value
    if re.search(r"\d\.\d{3}(?!\d)", text):  # an amount in euros, the value in millions
        return v - 0.5e-6, v + 0.5e-6
    digits = re.search(r",(\d+)\s*(?:%|miljoen|procent)?\s*$", text.replace(" ", ""))
    half = 0.5 * 10.0 ** -(len(digits.group(1)) if digits else 0)
    return v - half, v + half


def agrees(printed: tuple[float, float] | str, recomputed) -> bool:
    if isinstance(recomputed, Bound):
        return not isinstance(printed, str) and recomputed.lo <= (printed[0] + printed[1]) / 2 <= recomputed.hi
    if isinstance(printed, str) or isinstance(recomputed, str):
        return str(recomputed).startswith(str(printed)) or str(printed).startswith(str(recomputed))
    lo, hi = recomputed if isinstance(recomputed, tuple) else (recomputed, recomputed)
    return lo <= printed[1] + 1e-9 and printed[0] <= hi + 1e-9


# --------------------------------------------------------------------------- bases
def _cell_value(cells: pd.DataFrame, key: str) -> float:
    t, r, c = key.split("/")
    hit = cells[(cells["table"] == t) & (cells["row"] == r) & (cells["column"] == c)]
    if hit.empty:
        raise KeyError(f"no published cell {key}")
    return float(hit["value"].iloc[0])


def _interview_value(counts: pd.DataFrame, key: str) -> float:
    parts = key.split("/")
    hit = counts[(counts["table"] == parts[0]) & (counts["category"] == parts[1])]
    if hit.empty:
        raise KeyError(f"no interview count {key}")
    row = hit.iloc[0]
    return 100.0 * row["n_projects"] / row["base_projects"] if parts[2:] == ["pct"] else float(row["n_projects"])


def resolve(basis: str, ctx: dict):
    """The recomputed value a basis names (see the module docstring); None for ``caption``
    and ``claim`` bases, which are checked by their own tests."""
    word, _, rest = basis.partition(" ")
    if word == "cell":
        return sum(_cell_value(ctx["published"], k.strip()) for k in rest.split("+"))
    if word == "share":
        key, whole = rest.split()
        return 100.0 * _cell_value(ctx["published"], key) / float(whole)
    if word == "interview":
        return _interview_value(ctx["interview_counts"], rest)
    if word == "fact":
        if rest not in ctx["facts"]:
            raise KeyError(f"no register fact {rest!r}")
        return ctx["facts"][rest]
    if word == "claim":
        hit = ctx["claims"][ctx["claims"]["check"] == rest]
        if hit.empty:
            raise KeyError(f"no claim {rest!r}")
        return "consistent" if bool(hit["consistent"].iloc[0]) else "inconsistent"
    if word == "line":
        return ctx["by_line"].get(int(rest), [])
    if word == "caption":
        return None
    raise ValueError(f"unknown basis {basis!r}")


def check_numbers(numbers: pd.DataFrame, ctx: dict) -> pd.DataFrame:
    """Per row with a basis: the recomputed value and whether the printed number agrees."""
    ctx = {**ctx, "by_line": numbers.groupby("line")["value"].apply(list).to_dict()}
    rows = []
    for r in numbers[numbers["basis"].notna()].itertuples(index=False):
        got = resolve(r.basis, ctx)
        printed = printed_range(str(r.value), r.text)
        if got is None:
            ok = True
        elif isinstance(got, list):  # "line N": the same value printed there
            ok = any(_same(str(r.value), str(v)) for v in got)
        elif got in ("consistent", "inconsistent"):
            ok = got == "consistent"
        else:
            ok = agrees(printed, got)
        rows.append({"line": r.line, "text": r.text, "occurrence": r.occurrence, "value": r.value,
                     "basis": r.basis, "recomputed": _show(got), "agrees": ok, "finding": r.finding})
    return pd.DataFrame(rows)


def _same(a: str, b: str) -> bool:
    """Two printed values agree: equal, one date a prefix of the other, or equal numbers."""
    if a == b or a.startswith(b) or b.startswith(a):
        return True
    try:
        return float(a) == float(b)
    except ValueError:
        return False


def _show(got) -> str:
    if isinstance(got, Bound):
        return f">= {got.lo:.6g}" if math.isinf(got.hi) else f"<= {got.hi:.6g}"
    if isinstance(got, tuple):
        return f"{got[0]:.1f}..{got[1]:.1f}"
    if isinstance(got, float):
        return f"{got:.4g}"
    if isinstance(got, list):
        return "; ".join(map(str, got))
    return "" if got is None else str(got)


def unexplained_disagreements(checked: pd.DataFrame) -> pd.DataFrame:
    """Rows whose printed number disagrees with its basis and carry no finding."""
    return checked[~checked["agrees"] & checked["finding"].isna()]


def findings(numbers: pd.DataFrame, checked: pd.DataFrame) -> pd.DataFrame:
    """The inconsistencies the sweep found: each with its line, the basis (the other line or
    the register), the recomputed value, its kind and what it means."""
    rows = numbers[numbers["finding"].notna()]
    out = rows.merge(checked[["line", "text", "occurrence", "recomputed"]], how="left",
                     on=["line", "text", "occurrence"])
    out["recomputed"] = out["recomputed"].fillna("")
    cols = ["finding", "line", "text", "basis", "recomputed", "reason", "reason_nl"]
    return out[cols].sort_values(["line", "text"]).reset_index(drop=True)


def inconsistency_list(numbers: pd.DataFrame, checked: pd.DataFrame, claim_checks: pd.DataFrame,
                       lang: str = "en") -> pd.DataFrame:
    """Every inconsistency found: the sweep's findings, and the failed claims of
    ``dwsra_report_claims.csv`` that no finding already cites. One row each with the kind,
    the line of the number, the other line(s) it is compared with, the printed value (the
    report's words), the value recomputed and what it means (in ``lang``; a failed claim's
    words come from ``claim_checks``, evaluated in the same language)."""
    if lang not in ("nl", "en"):
        raise ValueError(f"language must be 'nl' or 'en', got {lang!r}")
    found = findings(numbers, checked)
    cited = set(found["basis"].str.removeprefix("claim ").tolist())
    by_claim = claim_checks.set_index("check")
    rows = []
    for f in found.itertuples():
        other, recomputed = _other(f.basis, f.reason), f.recomputed
        if f.basis.startswith("claim "):
            c = by_claim.loc[f.basis.removeprefix("claim ")]
            other = ";".join(x for x in str(c.other_lines).split(";") if x != str(f.line)) or str(f.line)
            recomputed = f"{c.allowed_from:.4g}..{c.allowed_to:.4g}"
        rows.append({"kind": f.finding, "line": int(f.line), "other_lines": other, "printed": f.text,
                     "recomputed": recomputed, "explanation": f.reason_nl if lang == "nl" else f.reason})
    failed = claim_checks[~claim_checks["consistent"] & ~claim_checks["check"].isin(cited)]
    for c in failed.itertuples():
        others = [x for x in str(c.other_lines).split(";") if x != str(c.source_line)] or [str(c.source_line)]
        rows.append({"kind": c.kind, "line": int(c.source_line), "other_lines": ";".join(others),
                     "printed": f"{c.printed:g}", "recomputed": f"{c.allowed_from:.4g}..{c.allowed_to:.4g}",
                     "explanation": c.rule})
    out = pd.DataFrame(rows).sort_values(["line", "kind"]).reset_index(drop=True)
    out.insert(1, "section", section_at(out["line"], numbers))  # where a reader finds it (review 13 item 4)
    return out


def section_at(lines: pd.Series, numbers: pd.DataFrame) -> list[str]:
    """The report's section (its number as printed, ``4.3.2``) that each of ``lines`` of the text
    stands in: the last section heading the sweep found (``numbers``, kind ``heading``) or chapter
    a reference locates (``hoofdstuk 5``, basis ``caption 2566``: chapter 5's heading, which the sweep
    reads as no number) at or above the line; empty above the first. A reviewer has the report's
    sections, not the lines of its text conversion (review 13 item 4: Tabel C.2 cited only those)."""
    heads = section_starts(numbers)
    starts, names = heads["line"].to_numpy(), heads["text"].to_numpy()
    at = starts.searchsorted(pd.Series(lines).astype(int).to_numpy(), side="right") - 1
    return [names[i] if i >= 0 else "" for i in at]


def section_starts(numbers: pd.DataFrame) -> pd.DataFrame:
    """(line, section number) of every section heading of the sweep's ``numbers``, and of each chapter
    a reference names with the line of its heading (``hoofdstuk 5``, ``caption 2566``), by line."""
    heads = numbers.loc[numbers["kind"] == "heading", ["line", "text"]]
    chapter = numbers["text"].astype(str).str.fullmatch(r"[Hh]oofdstuk \d+") & \
        numbers["basis"].astype(str).str.fullmatch(r"caption \d+")
    cited = pd.DataFrame({"line": numbers.loc[chapter, "basis"].astype(str).str.removeprefix("caption "),
                          "text": numbers.loc[chapter, "text"].astype(str).str.split().str[1]})
    out = pd.concat([heads, cited]).astype({"line": int, "text": str}).drop_duplicates("line")
    return out.sort_values("line", kind="stable").reset_index(drop=True)


def _other(basis: str, reason: str) -> str:
    """The other line(s) a finding compares with: from its basis, else from its reason."""
    if basis.startswith(("line ", "caption ")):
        return basis.split()[1]
    lines = re.findall(r"lines? (\d+)(?:-(\d+))?", reason)
    return ";".join(a + (f"-{b}" if b else "") for a, b in lines) or "register"


def coverage_counts(numbers: pd.DataFrame) -> pd.Series:
    return numbers["class"].value_counts().reindex(
        ["register", "aggregate", "printed", "not_checkable", "not_a_quantity"], fill_value=0).astype(int)


def account(data: dict[str, pd.DataFrame], numbers: pd.DataFrame, claims: pd.DataFrame,
            lang: str = "en") -> dict[str, pd.DataFrame]:
    """The sweep checked: ``claims`` (every claim evaluated), ``checked`` (every number with a
    basis, recomputed), ``inconsistencies`` (explained in ``lang``) and ``coverage`` (numbers
    per class and kind)."""
    claim_checks = arithmetic_checks(data["published"], data["interview_counts"], claims, lang)
    ctx = dict(published=data["published"], interview_counts=data["interview_counts"],
               facts=register_facts(data["register"], data["applications"]), claims=claim_checks)
    checked = check_numbers(numbers, ctx)
    return {"claims": claim_checks, "checked": checked,
            "inconsistencies": inconsistency_list(numbers, checked, claim_checks, lang), "coverage": coverage(numbers)}
