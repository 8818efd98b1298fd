"""Intruder audit of everything one run publishes, in the spirit of sdcTable's ``attack()``
and tau-ARGUS's audit, written independently of ``analysis.stats.output_gate``.

The intruder knows the codebook (values and row rules), the population size, and every
number the runs publish from one file (both runs of notebook 02, one per cut-off date, are
attacked together; notebook 03 on its own, see "Not covered" below). From these the test
builds its own integer programme over the counts of the finest classification it can reason
about (for notebook 02: status on 1 April x status on 16 April x sector, and each service x "moved into work in April";
education x age; tenure; function type; triage. For notebook 03: the predictors x outcome
table), with every published cell, total, percentage (as the two inequalities of its
rounding) and cross-table identity as a constraint, and maximises every count that truly
holds 1 to k-1 persons: a hidden table cell, a count behind a percentage, or a cell of the
intruder's own classification.

Protection rule (the same one the gate promises, checked here by other code): a count of 1
to k-1 persons is protected when the intruder's largest feasible value for it is at least
k, i.e. the published numbers never let anyone say "this group has fewer than k persons".

Notebook 03 is attacked with notebook 02's Figuur 10 (triage, everyone) and the education
totals of Figuur 7 as constraints (notebook 03 counts those who stayed: the difference is a
group too). Not covered: notebook 03 with age or tenure as predictors against Figuren 7-8,
and model coefficients are taken to reveal no more than their predictor's uptake table
(the gate withholds a predictor's rows unless that whole table is shown).

The test-statistic attack enumerates, for every published exact-test p-value, the 2 x 2
tables consistent with the published n, events and group counts (unknown ones over their
whole range) and the p-value as printed; a hidden count is pinned when every consistent
table puts it below k.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from scipy import sparse, stats
from scipy.optimize import Bounds, LinearConstraint, milp

from analysis.pilot import outcomes, schema as ps, tables as pt
from analysis.stats import models, output_gate

K = 10
WORK, STAYED = list(ps.WORK_STATUSES), list(ps.STAYED_STATUSES)
AGE, TENURE = pt.AGE_LABELS, pt.TENURE_LABELS


class Programme:
    """Unknown counts (named tuples of codes) with equality and inequality rows."""

    def __init__(self, atoms: list[tuple], truth: np.ndarray):
        self.atoms, self.truth = atoms, truth
        self.rows, self.lo, self.hi = [], [], []

    def sel(self, pred) -> np.ndarray:
        return np.array([1.0 if pred(a) else 0.0 for a in self.atoms])

    def eq(self, row: np.ndarray, value: float) -> None:
        self.rows.append(row), self.lo.append(value), self.hi.append(value)

    def between(self, row: np.ndarray, lo: float, hi: float) -> None:
        self.rows.append(row), self.lo.append(lo), self.hi.append(hi)

    def feasible(self, x: np.ndarray) -> bool:
        v = np.array(self.rows) @ x
        return bool((x >= 0).all() and (v >= np.array(self.lo) - 1e-9).all() and (v <= np.array(self.hi) + 1e-9).all())

    def moved(self, target: np.ndarray, k: int) -> np.ndarray | None:
        """A candidate solution without a solver: persons moved from atoms outside the target
        into atoms inside it whose columns in every row are the same (checked afterwards)."""
        cols = np.array(self.rows).T
        x = self.truth.copy()
        for i in np.flatnonzero(target > 0):
            for j in np.flatnonzero((target == 0) & (cols == cols[i]).all(axis=1)):
                step = min(x[j], k - target @ x)
                x[j] -= step
                x[i] += step
                if target @ x >= k:
                    return x
        return None

    def max_reaches(self, target: np.ndarray, k: int) -> bool:
        """Is there an integer solution with ``target @ x >= k``?"""
        x = self.moved(target, k)
        if x is not None and self.feasible(x) and target @ x >= k:
            return True
        A = sparse.csr_array(np.vstack([*self.rows, target]))
        cons = LinearConstraint(A, np.r_[self.lo, k], np.r_[self.hi, np.inf])
        res = milp(np.zeros(len(self.atoms)), constraints=cons, integrality=np.ones(len(self.atoms)),
                   bounds=Bounds(0, self.truth.sum()))  # the population size is known
        return res.status == 0

    def copy(self) -> Programme:
        p = Programme(self.atoms, self.truth)
        p.rows, p.lo, p.hi = list(self.rows), list(self.lo), list(self.hi)
        return p

    def unprotected(self, targets: dict[str, np.ndarray], k: int, before: Programme | None = None) -> list[str]:
        """Names of targets truly holding 1..k-1 persons that cannot reach k (and, with
        ``before``, the public knowledge alone, could: what the source report already
        printed is not a leak of the outputs)."""
        assert self.feasible(self.truth), "the true counts must satisfy what was published"
        bad = []
        for name, row in targets.items():
            v = row @ self.truth
            if 0 < v < k and not self.max_reaches(row, k) and (before is None or before.max_reaches(row, k)):
                bad.append(f"{name} (true {v:.0f})")
        return bad


def _family(df: pd.DataFrame, cols: list[str], domains: list[list], allowed=None) -> Programme:
    atoms = [a for a in itertools.product(*domains) if allowed is None or allowed(a)]
    counts = df.groupby(cols, dropna=False).size()
    truth = np.array([counts.get(a if len(a) > 1 else a[0], 0) for a in atoms], float)
    assert truth.sum() == len(df), f"{cols}: rows outside the codebook"
    p = Programme(atoms, truth)
    p.eq(np.ones(len(atoms)), len(df))  # population size: conceded to the intruder
    return p


def _shown(v) -> bool:
    return v is not None and not pd.isna(v)


def _one_way_targets(p: Programme, table: pd.Series, where) -> dict[str, np.ndarray]:
    """Constraints for a published one-way table; its cells as targets."""
    targets = {}
    for label, v in table.items():
        row = p.sel(lambda a, label=label: where(a, label))
        targets[f"{table.name}:{label}"] = row
        if _shown(v):
            p.eq(row, float(v))
    return targets


def audit_notebook_02(df: pd.DataFrame, published: dict[str, dict], comparison: pd.DataFrame, k: int) -> list[str]:
    """Every unprotected count of the notebook-02 runs (``published``: cut-off date ->
    tables of that run; the runs publish from one file, so they are attacked together).
    An empty list: the runs are safe."""
    total = "Totaal"
    tables = next(iter(published.values()))  # Figuren 7-10 do not depend on the date
    bad = []
    # education x age
    f = pd.DataFrame({"e": df["opleidingsniveau"].astype(object),
                      "a": pd.cut(df["leeftijd"].astype(float), pt.AGE_BINS, labels=AGE).astype(object)})
    p = _family(f, ["e", "a"], [list(ps.EDUCATION_LEVELS), AGE])
    t7 = tables["figuur_07_opleiding_leeftijd"]
    targets = {}
    for i in t7.index:
        for j in t7.columns:
            row = p.sel(lambda a, i=i, j=j: (i == total or a[0] == i) and (j == total or a[1] == j))
            targets[f"fig7:{i}/{j}"] = row
            if _shown(t7.loc[i, j]):
                p.eq(row, float(t7.loc[i, j]))
    targets.update({f"fig7 atom {a}": np.eye(len(p.atoms))[n] for n, a in enumerate(p.atoms)})
    bad += p.unprotected(targets, k)
    # tenure (Figuur 8 and the comparison's "more than 10 years")
    ten = pd.DataFrame({"t": pd.cut(df["dienstjaren"].astype(float), pt.TENURE_BINS, labels=TENURE).astype(object)})
    p = _family(ten, ["t"], [TENURE])
    targets = _one_way_targets(p, tables["figuur_08_dienstjaren"], lambda a, lab: lab == total or a[0] == lab)
    tenure_row = p.sel(lambda a: a[0] in TENURE[2:])
    targets["comparison:tenure>10"] = tenure_row
    if _shown(comparison["pijplijn"].iloc[7]):
        p.eq(tenure_row, float(comparison["pijplijn"].iloc[7]))
    bad += p.unprotected(targets, k)
    # function type, triage
    for name, col, values in [("figuur_09_functie", df["functietype"].astype(object), list(ps.FUNCTION_TYPES)),
                              ("figuur_10_triage", ("triage_" + df["triage"].astype("Int64").astype("string"))
                               .fillna("geen_triage").astype(object),
                               ["triage_1", "triage_2", "triage_3", "geen_triage"])]:
        p = _family(pd.DataFrame({"v": col}), ["v"], [values])
        bad += p.unprotected(_one_way_targets(p, tables[name], lambda a, lab: lab == total or a[0] == lab), k)
    bad += _audit_status_family(df, published, comparison, k)
    return bad


def _status_dates(published) -> list[str]:
    """The intruder's status variables: 1 April, 16 April, then every other published date."""
    return ["2021-04-01", "2021-04-16", *sorted(set(published) - {"2021-04-01", "2021-04-16"})]


def _status_of(df: pd.DataFrame, date: str) -> pd.Series:
    """The status column of ``date`` (the participant file's, or the one the status history
    added for another date)."""
    return df["status_" + date.replace("-", "")]


def _audit_status_family(df, published, comparison, k) -> list[str]:
    """Statuses (at 1 April, 16 April and every other published date), sectors, services and
    the published-versus-pipeline counts, jointly. The codebook's rules bind 1 and 16 April
    and the sector; nothing is assumed between other dates."""
    n = len(df)
    st = list(ps.STATUSES)
    sectors = [*ps.SECTORS, None]
    dates = _status_dates(published)

    final = [*WORK, "oude_werkgever", "gestopt", "niet_gestart"]  # the codebook: outflow statuses are final
    by_date = sorted(range(len(dates)), key=lambda i: dates[i])

    def rules(a):
        s1, s2, sec = a[0], a[1], a[-1]
        ok = s1 == s2 or (s1 in ("in_bemiddeling", "opleiding") and s2 in WORK)
        ok = ok and all(a[i] == a[j] or a[i] not in final for i, j in zip(by_date, by_date[1:]))
        return ok and ((sec is not None) == (s2 in WORK))

    status_atoms = [("S", *a) for a in itertools.product(*[st] * len(dates), sectors) if rules(a)]
    service_atoms = [(s, yes, mover) for s in ps.SERVICES for yes in (True, False) for mover in (True, False)]
    atoms = status_atoms + service_atoms
    sec = df["sector_nieuw"].astype(object).where(df["sector_nieuw"].notna(), None)
    mover = (df["status_20210401"] != df["status_20210416"]).to_numpy()
    truth = np.zeros(len(atoms))
    index = {a: i for i, a in enumerate(atoms)}
    for key in zip(*[_status_of(df, d) for d in dates], sec):
        truth[index[("S", *key)]] += 1
    for s in ps.SERVICES:
        for yes, m in zip(df[s].astype(bool), mover):
            truth[index[(s, bool(yes), bool(m))]] += 1
    p = Programme(atoms, truth)
    is_status = p.sel(lambda a: a[0] == "S")
    p.eq(is_status, n)
    movers = p.sel(lambda a: a[0] == "S" and a[1] != a[2])
    for s in ps.SERVICES:
        p.eq(p.sel(lambda a, s=s: a[0] == s), n)
        p.eq(p.sel(lambda a, s=s: a[0] == s and a[2]) - movers, 0)  # the same movers
    before = p.copy()
    for row, value in _report_facts(p):  # what the report prints, where true of this file: known to all
        if row @ p.truth == value:
            p.eq(row, value)
            before.eq(row, value)
    targets = {}
    for cutoff, tables in published.items():
        targets.update(_status_constraints(p, 1 + dates.index(cutoff), cutoff, tables))
    counts = [p.sel(lambda a, x=x: a[0] == "S" and a[1] == x) for x in ("nieuwe_baan", "werk_en_scholing",
                                                                          "opleiding", "in_bemiddeling")]
    den = p.sel(lambda a: a[0] == "S" and a[1] in STAYED)
    num64 = p.sel(lambda a: a[0] == "S" and a[1] in [*WORK, "opleiding"])
    num68 = p.sel(lambda a: a[0] == "S" and a[1] in STAYED and a[2] in WORK)
    other = p.sel(lambda a: a[0] == "S" and a[1] in WORK and a[-1] not in (None, ps.SAME_SECTOR))
    shown = comparison["pijplijn"].tolist()
    for i, row in enumerate([*counts, None, None, other]):
        if row is not None:
            targets[f"comparison row {i}"] = row
            if _shown(shown[i]):
                p.eq(row, float(shown[i]))
    for i, num in ((4, num64), (5, num68)):
        targets[f"comparison row {i} numerator"], targets["comparison denominator"] = num, den
        if _shown(shown[i]):  # round(100 num / den) == shown: two linear inequalities
            p.between(100 * num - (shown[i] - 0.5) * den, 0, np.inf)
            p.between(100 * num - (shown[i] + 0.5) * den, -np.inf, 0)
    targets.update({f"status atom {a}": np.eye(len(atoms))[i] for i, a in enumerate(atoms)})
    return p.unprotected(targets, k, before)


def _report_facts(p: Programme) -> list[tuple[np.ndarray, float]]:
    """The pilot report's printed counts (Figuur 12 on 1 April: 12 new job, 2 work and
    education, 2 education, 9 in mediation; 25 stayed; 64% of 25 = 16 in work or education;
    68% = 17 of the 25 in work on 16 April; 13 in another sector; the 5 others: back with the
    old employer, stopped or never started, 30 - 25), read from the report."""
    status = lambda *s: p.sel(lambda a: a[0] == "S" and a[1] in s)  # noqa: E731
    return [(status("nieuwe_baan"), 12), (status("werk_en_scholing"), 2), (status("opleiding"), 2),
            (status("in_bemiddeling"), 9), (status(*STAYED), 25), (status(*WORK, "opleiding"), 16),
            (status("oude_werkgever", "gestopt", "niet_gestart"), 5),
            (p.sel(lambda a: a[0] == "S" and a[1] in STAYED and a[2] in WORK), 17),
            (p.sel(lambda a: a[0] == "S" and a[1] in WORK and a[-1] not in (None, ps.SAME_SECTOR)), 13)]


def _status_constraints(p: Programme, pos: int, cutoff: str, tables: dict) -> dict[str, np.ndarray]:
    """Figuren 11-13 of one cut-off date (its status at position ``pos`` of the atoms) as
    constraints; their cells as targets (Figuur 11 counts every participant at every date)."""
    total, targets = "Totaal", {}
    for lab, v in tables["figuur_12_uitstroom"].items():
        row = p.sel(lambda a, lab=lab: a[0] == "S" and (lab == total or a[pos] == lab))
        targets[f"fig12@{cutoff}:{lab}"] = row
        if _shown(v):
            p.eq(row, float(v))
    for lab, v in tables["figuur_13_uitstroom_sector"].items():
        row = p.sel(lambda a, lab=lab: a[0] == "S" and a[pos] in WORK and (lab == total or a[-1] == lab))
        targets[f"fig13@{cutoff}:{lab}"] = row
        if _shown(v):
            p.eq(row, float(v))
    for s, v in tables["figuur_11_dienstverlening"].items():  # everyone, at either date
        row = p.sel(lambda a, s=s: a[0] == s and a[1])
        targets[f"fig11@{cutoff}:{s}"] = row
        if _shown(v):
            p.eq(row, float(v))
    return targets


def audit_notebook_03(df: pd.DataFrame, predictors: list[str], rates: pd.DataFrame, k: int,
                      events_shown: bool, nb02: dict, cutoff: str = "2021-04-16") -> list[str]:
    """The uptake rates among those who stayed (and everything the gate derives from
    them) against the joint predictors x outcome x stayed table of the whole file, with
    notebook 02's Figuur 10 and Figuur 7 totals (over everyone) as constraints."""
    everyone, _ = outcomes.analysis_frame(df, "work", cutoff, "all")
    # stayed: a staying status on the cut-off date, or on 1 April for a later date (stated rule)
    stayed = _status_of(df, min(cutoff, "2021-04-01")).isin(STAYED).to_numpy()
    f = everyone[predictors].astype(str).assign(y=np.where(stayed, everyone["y"], 0), s=stayed)
    domains = [pt.model_domains()[p] for p in predictors]
    p = _family(f, [*predictors, "y", "s"], [*domains, [0, 1], [True, False]], allowed=lambda a: a[-1] or a[-2] == 0)
    targets = {"events": p.sel(lambda a: a[-1] and a[-2] == 1), "non-events": p.sel(lambda a: a[-1] and a[-2] == 0)}
    if events_shown:  # the sentence "events of n" states both
        p.eq(targets["events"], float(f.loc[f["s"], "y"].sum()))
        p.eq(targets["events"] + targets["non-events"], float(f["s"].sum()))
    for _, r in rates.iterrows():
        j = predictors.index(r["group"])
        n_row = p.sel(lambda a, j=j, lev=r["level"]: a[j] == lev and a[-1])
        e_row = p.sel(lambda a, j=j, lev=r["level"]: a[j] == lev and a[-1] and a[-2] == 1)
        targets.update({f"{r['group']}={r['level']} n": n_row, f"{r['group']}={r['level']} events": e_row,
                        f"{r['group']}={r['level']} non-events": n_row - e_row})
        if _shown(r["n"]):
            p.eq(n_row, float(r["n"]))
        if _shown(r["events"]):
            p.eq(e_row, float(r["events"]))
    published = {("triage", "geen" if c == "geen_triage" else c[7:]): v
                 for c, v in nb02["figuur_10_triage"].items() if c != "Totaal"}
    published.update({("opleiding", lev): v for lev, v in nb02["figuur_07_opleiding_leeftijd"]["Totaal"].items()
                      if lev != "Totaal"})
    for (pred, level), v in published.items():
        if pred not in predictors:
            continue
        j = predictors.index(pred)
        row = p.sel(lambda a, j=j, lev=level: a[j] == lev)
        if row is not None:
            targets[f"notebook 02: {pred}={level}"] = row
            targets[f"{pred}={level} outside the population"] = row - p.sel(
                lambda a, j=j, lev=level: a[j] == lev and a[-1])
            if _shown(v):
                p.eq(row, float(v))
    targets.update({f"atom {a}": np.eye(len(p.atoms))[i] for i, a in enumerate(p.atoms)})
    return p.unprotected(targets, k)


def fisher_attack(tests: pd.DataFrame, n: int, events: int | None, group_n: dict, group_events: dict,
                  truth: dict, k: int) -> list[str]:
    """For each published level-vs-rest Fisher p-value: the (persons, events) of the level
    consistent with it and with what else is published; a true count of 1..k-1 (persons,
    events or non-events of the level) is pinned when every consistent table puts it below k."""
    bad = []
    pcol = "p_value" if "p_value" in tests.columns else "fisher_p"
    for _, r in tests.iterrows():
        if "test" in tests.columns and not str(r["test"]).startswith("Fisher exact"):
            continue
        if not str(r["comparison"]).endswith(" vs rest") or not _shown(r[pcol]):
            continue
        level = str(r["comparison"])[: -len(" vs rest")]
        ns = [group_n[level]] if _shown(group_n.get(level)) else range(n + 1)
        es = [events] if _shown(events) else range(n + 1)
        found = []
        for nl in ns:
            for ev in es:
                for a in range(max(0, nl - (n - ev)), min(nl, ev) + 1):
                    if _shown(group_events.get(level)) and a != group_events[level]:
                        continue
                    p = stats.fisher_exact([[a, nl - a], [ev - a, n - nl - ev + a]]).pvalue
                    if float(f"{p:.6g}") == float(f"{float(r[pcol]):.6g}"):
                        found.append((nl, a, nl - a))
        true = truth[level]
        for idx, what in enumerate(("persons", "events", "non-events")):
            if 0 < true[idx] < k and max(f[idx] for f in found) < k:
                bad.append(f"{r['group']}={level} {what} (true {true[idx]}) pinned by its Fisher p-value")
    return bad


# -- the runs ----------------------------------------------------------------------------------

def run_both(df: pd.DataFrame, k: int, predictors=("triage", "opleiding")) -> list[str]:
    """Both runs of notebook 02 (one per cut-off date) and notebook 03 (its default
    population: those who stayed, work on 16 April), published from one file and attacked
    together."""
    published, comparison, release = pt.joint_figure_tables(df, k)
    r03 = pt.model_release(df, list(predictors), "work", "2021-04-16", "stayed", k, published)
    return attack_by_hand(df, k, (published, comparison, release), r03, predictors)


def attack_by_hand(df: pd.DataFrame, k: int, nb02_release, r03, predictors) -> list[str]:
    """The hand-written attack on notebook 02's joint release (its tables by date, the
    comparison, the release) and notebook 03's model release ``r03``."""
    published, comparison, release = nb02_release
    release.check()
    bad = audit_notebook_02(df, published, comparison, k)
    predictors = list(predictors)
    frame, _ = outcomes.analysis_frame(df)
    nb02 = published["2021-04-01"]
    rates = output_gate.gate_rates(pd.concat([models.rates_by_group(frame, g) for g in predictors],
                                             ignore_index=True), r03)
    return bad + audit_notebook_03(df, predictors, rates, k, output_gate.outcome_shown(r03), nb02)


def test_shipped_data_at_threshold_10_withstands_the_attack(pilot30):
    assert run_both(pilot30, K) == []


def test_the_attack_finds_the_leaks_of_unprotected_tables(pilot30):
    """The audit can fail: the tables as they were published before the gate (each table
    protected on its own, totals from the raw counts, the comparison unprotected) leak."""
    from analysis.stats import disclosure

    cutoff = "2021-04-16"  # the report prints Figuur 12 of 1 April: those counts are public anyway
    raw = pt.figure_tables(pilot30, cutoff)
    tables = {}
    for name, counts in raw.items():
        shown = _with_raw_totals(disclosure.protect(counts, K), counts, "Totaal")
        tables[name] = shown.drop("Totaal") if name == "figuur_11_dienstverlening" else shown
    tables["figuur_07_opleiding_leeftijd"] = tables["figuur_07_opleiding_leeftijd"].reindex(
        index=[*ps.EDUCATION_LEVELS, "Totaal"])
    leaks = audit_notebook_02(pilot30, {cutoff: tables}, pt.published_comparison(pilot30), K)
    assert any("status atom" in x for x in leaks), leaks


def test_fisher_p_values_pin_the_small_triage_group_when_published(pilot30):
    frame, outcome = outcomes.analysis_frame(pilot30)
    tests = models.exact_tests(frame, "triage").drop(columns="table")
    # the attack's own knowledge
    tests = tests.drop(columns=[c for c in ("group_n", "n", "events") if c in tests.columns])
    truth = {lev: (int((frame["triage"] == lev).sum()), int(frame.loc[frame["triage"] == lev, "y"].sum()),
                   int(((frame["triage"] == lev) & (frame["y"] == 0)).sum())) for lev in ["1", "2", "3"]}
    # the intruder knows n, events and the group sizes (as the old notebook published them)
    leaks = fisher_attack(tests, outcome.n, outcome.events, {lev: t[0] for lev, t in truth.items()}, {}, truth, K)
    assert any(x.startswith("triage=1") for x in leaks), leaks
    gated = output_gate.gate_tests(tests, pt.model_release(pilot30, ["triage"], "work", "2021-04-16", "stayed", K))
    assert fisher_attack(gated, outcome.n, None, {}, {}, truth, K) == []


def _with_raw_totals(protected: pd.DataFrame | pd.Series, counts: pd.DataFrame | pd.Series,
                total_label: str = "Totaal") -> pd.DataFrame | pd.Series:
    """The helper the project once offered, kept here for the control. Add margins
    computed from the *unprotected* counts, hiding a margin whose line has a
    single hidden cell (so it cannot reveal that cell) and a margin that is itself a small
    count (``0 < total < threshold``)."""
    k = protected.attrs.get("disclosure_threshold", K)
    if isinstance(counts, pd.Series):
        out = protected.copy()
        hidden = out.isna()
        total = int(counts.sum())
        total = pd.NA if hidden.sum() == 1 or 0 < total < k else total
        out.loc[total_label] = total
        return out
    out = protected.copy()
    row_tot = counts.sum(axis=1).astype("Int64")
    row_tot = row_tot.mask((out.isna().sum(axis=1) == 1) | ((row_tot > 0) & (row_tot < k)))
    col_tot = counts.sum(axis=0).astype("Int64")
    col_tot = col_tot.mask((out.isna().sum(axis=0) == 1) | ((col_tot > 0) & (col_tot < k)))
    out[total_label] = row_tot
    grand = int(counts.to_numpy().sum())
    col_tot[total_label] = pd.NA if 0 < grand < k else grand
    out.loc[total_label] = col_tot
    return out
