"""Figures 7-13 of the pilot report as count tables (codes as index, before labels and
disclosure control). Each function takes the validated participant frame and returns counts
of persons; :func:`figure_tables` returns all of them for a cut-off date.

The first shipped study's report (its footnote 6): Figures 11-13 are as of the end of the pilot (the study's
first snapshot date, the default cut-off); those who moved into work by the follow-up date
are not in them. With the second snapshot date as ``cutoff`` the tables use the later
status instead, and with any other date the status on that date from the status history
(:func:`analysis.pilot.history.with_cutoffs` adds its column; :func:`analysis.pilot.schema.
status_on` reads it).

Disclosure control across cut-off dates: every cut-off the report publishes is protected
jointly with the others (:func:`joint_figure_tables`): the finest status cells carry the
status at each published date, so differencing two runs' Figuur 12 reveals nothing the
gate has not checked. :func:`published_cutoffs` is that set: the two snapshot dates, the
``cutoff_date`` of every run of notebooks 02 and 03 in ``notebooks/report.yml`` (or their
defaults), and the run's own; :func:`protected_figure_tables` refuses a cut-off outside
the set it is given.
"""

from __future__ import annotations

import itertools
import re

import numpy as np
import pandas as pd

from analysis.pilot import outcomes, schema as ps
from analysis.pilot.history import may_follow
from analysis.stats import released
from analysis.stats.output_gate import Release, group_release
from analysis.study import fact_checks as study_facts

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


def services(df: pd.DataFrame, cutoff: str | None = None) -> pd.Series:
    """Figuur 11: services offered (multi-response: a person counts once per service).
    Every participant counts, at either cut-off: those who found work between the two
    snapshot dates received their services during the pilot. The first shipped study's report
    (footnote 6) keeps their *outflow* out of Figures 11-13, so Figures 12 and 13 count them under their
    first status, and this figure, which shows no outflow, is the same at both cut-offs."""
    status_column(cutoff or ps.CUTOFF_DATES[0])
    s = df[list(ps.SERVICES)].fillna(False).astype(bool).sum().astype(int)
    s.index.name, s.name = "dienstverlening", "aantal"
    unknown = df[list(ps.SERVICES)].isna().sum().astype(int)
    if not unknown.any():
        return s
    return pd.DataFrame({"aantal": s, ps.UNKNOWN: unknown}).rename_axis("dienstverlening")  # never 0 or false


def outflow(df: pd.DataFrame, cutoff: str | None = None) -> pd.Series:
    """Figuur 12: outflow status at the cut-off date."""
    return _counts(ps.status_on(df, cutoff or ps.CUTOFF_DATES[0]).astype(object), list(ps.STATUSES), "uitstroom")


def outflow_by_sector(df: pd.DataFrame, cutoff: str | None = None) -> pd.Series:
    """Figuur 13: sector of the new job of those in work (new job or work + education). On a
    date where the job may be another than the follow-up date's (whose sector the file holds:
    :func:`~analysis.pilot.schema.job_may_differ`), who then held another job counts as
    ``onbekend``."""
    cutoff = cutoff or ps.CUTOFF_DATES[0]
    working = ps.status_on(df, cutoff).isin(ps.WORK_STATUSES)
    sector = df["sector_nieuw"].astype(object)
    if ps.job_may_differ(cutoff):
        sector = sector.where(ps.same_job(df, cutoff), ps.UNKNOWN)
    return _counts(sector[working], list(ps.SECTORS), "sector")


def figure_tables(df: pd.DataFrame, cutoff: str | None = None) -> dict[str, pd.DataFrame | pd.Series]:
    cutoff = cutoff or ps.CUTOFF_DATES[0]
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
    """The counts the report prints in its text next to the pipeline's counts: the rows of
    the active study's facts file (``comparison``; a percentage is the file's numerator over
    its denominator); no rows for a study whose report publishes no facts."""
    rows = ps.STUDY.facts.comparison if ps.STUDY.facts is not None else ()
    status = (ps.STATUS_END, ps.STATUS_FOLLOW_UP)

    def pipeline(row):
        if row.where is not None:
            return study_facts.count(df, row.where, status)
        den = study_facts.count(df, row.denominator[1], status)
        return round(100 * study_facts.count(df, row.numerator[1], status) / den) if den else None

    out = pd.DataFrame({"bron": [r.source for r in rows], "feit": [r.text for r in rows],
                        "gepubliceerd": [r.published for r in rows],
                        "pijplijn": pd.array([pipeline(r) for r in rows], dtype="Int64")})
    out["gelijk"] = (out["gepubliceerd"] == out["pijplijn"]).astype("boolean")
    return out


# -- disclosure control across the run's tables (analysis.stats.output_gate) ---------------

SECTOR_NONE = "geen"


def job_var(cutoff: str) -> str:
    """The release's variable for :func:`~analysis.pilot.schema.same_job` at ``cutoff``
    (``j1``, ``j_<yyyymmdd>``; none on the follow-up date)."""
    return "j" + status_var(cutoff)[1:]


def job_dates(cutoffs=None) -> list[str]:
    """The dates of :func:`joint_cutoffs` where the job may differ from the follow-up date's."""
    return [c for c in joint_cutoffs(cutoffs) if ps.job_may_differ(c)]


def status_var(cutoff: str) -> str:
    """The release's variable for the status at ``cutoff`` (``s1``: the study's first
    snapshot date, ``s2``: its second, else ``s_<yyyymmdd>``)."""
    return {ps.CUTOFF_DATES[0]: "s1", ps.CUTOFF_DATES[1]: "s2"}.get(cutoff, "s_" + cutoff.replace("-", ""))


def joint_cutoffs(cutoffs=None) -> list[str]:
    """The snapshot dates first (their tables are released first, as without other dates),
    then the other published cut-offs in date order. ``None`` (every function's default
    here): the active study's snapshot dates alone, looked up at call, not at import
    (a study made active later has other dates)."""
    extra = sorted({str(pd.Timestamp(c).date()) for c in (cutoffs or ())} - set(ps.CUTOFF_DATES))
    return [*ps.CUTOFF_DATES, *extra]


def published_cutoffs(own: str | None = None, others=()) -> list[str]:
    """The cut-off dates a report publishes from one participant file, protected jointly
    (:func:`joint_figure_tables`): the snapshot dates, ``own`` (the run's) and ``others``
    (the runner passes every run's date of the invocation as the parameter
    ``joint_cutoffs``; no configuration file is read here)."""
    return joint_cutoffs([*others, *([own] if own else [])])


def _release_frame(df: pd.DataFrame, cutoffs=None) -> pd.DataFrame:
    """The participant frame in the codes of the release's blocks (a value never recorded is
    :data:`~analysis.pilot.schema.UNKNOWN`, a level of its own); one status variable per
    cut-off date (:func:`status_var`). Python objects, as tables of it are made with them
    (crosstabs, the curves' codes); the gate counts :func:`release_codes`, the same values."""
    codes = release_codes(df, cutoffs)
    arrays = {*(status_var(c) for c in joint_cutoffs(cutoffs)), *ps.SERVICES}  # as arrays: text is inferred as str

    def objects(name: str, values: pd.Series):
        if not isinstance(values.dtype, pd.CategoricalDtype):
            return values
        return values.to_numpy(dtype=object) if name in arrays else values.astype(object)

    return pd.DataFrame({c: objects(c, v) for c, v in codes.items()}, index=df.index)


def release_codes(df: pd.DataFrame, cutoffs=None) -> pd.DataFrame:
    """:func:`_release_frame` with its text and yes/no/unknown columns as categories: each
    distinct value of the participant column is coded once (a million rows have a few dozen),
    so the release's blocks are counted on integer codes rather than on a million Python
    strings per column. Its values as objects are :func:`_release_frame`'s (tested)."""
    def known(values: pd.Series) -> pd.Series:
        return values.astype(object).where(values.notna(), ps.UNKNOWN)

    def triage(values: pd.Series) -> pd.Series:
        return ("triage_" + values.astype("Int64").astype("string")).fillna("geen_triage").astype(object)

    def sector(values: pd.Series) -> pd.Series:
        return values.astype(object).where(values.notna(), SECTOR_NONE)

    return pd.DataFrame({
        "opleiding": per_distinct(df["opleidingsniveau"], known),
        "leeftijd": per_distinct(binned(df["leeftijd"], AGE_BINS, AGE_LABELS), known),
        "dienstjaren": per_distinct(binned(df["dienstjaren"], TENURE_BINS, TENURE_LABELS), known),
        "functietype": per_distinct(df["functietype"], known),
        "triage": per_distinct(df["triage"], triage),
        "gestart": ~df[ps.STATUS_END].isin(ps.NOT_STARTED).to_numpy(),  # who never started has no triage
        **{status_var(c): per_distinct(ps.status_on(df, c), lambda v: v.astype(object)).array
           for c in joint_cutoffs(cutoffs)},
        "sector": per_distinct(df["sector_nieuw"], sector),
        **{job_var(c): ps.same_job(df, c) for c in job_dates(cutoffs)},
        "mover": (df[ps.STATUS_END] != df[ps.STATUS_FOLLOW_UP]).to_numpy(),
        **{s: per_distinct(df[s], known).array for s in ps.SERVICES},
    }, index=df.index)


def binned(values: pd.Series, bins, labels) -> pd.Series:
    """``values`` in the classes of Figuur 7 or 8 (right-closed bins; missing where missing)."""
    return pd.Series(pd.cut(values.astype(float), bins, labels=labels, right=True), index=values.index)


def per_distinct(values: pd.Series, code) -> pd.Series:
    """``code(values)`` as a categorical Series, with ``code`` applied to each distinct value
    once (missing among them) instead of to every row: the same values (a missing result is
    missing), categories in order of first appearance."""
    rows, distinct = pd.factorize(values, use_na_sentinel=False)
    coded = pd.Series(code(pd.Series(distinct, dtype=values.dtype)).to_numpy(dtype=object))
    present = coded.notna().to_numpy()
    codes_of_distinct, categories = pd.factorize(coded[present].to_numpy(dtype=object))
    of_distinct = np.full(len(coded), -1, dtype=np.int64)
    of_distinct[present] = codes_of_distinct
    codes = of_distinct[rows] if len(rows) else np.empty(0, dtype=np.int64)
    return pd.Series(pd.Categorical.from_codes(codes, categories=pd.Index(categories, dtype=object)),
                     index=values.index, name=values.name)


def _status_rules(atoms: pd.DataFrame) -> pd.Series:
    """The codebook's rules on (status at each date, sector): a sector exactly for those
    working on the second snapshot date, :func:`transitions_allowed`, and the follow-up job
    held on a date (``j1``, ``j_<date>``) only by who works then and on the follow-up date."""
    has_sector = atoms["sector"] != SECTOR_NONE
    ok = (has_sector == atoms["s2"].isin(ps.WORK_STATUSES)) & transitions_allowed(atoms)
    for job in (c for c in atoms.columns if re.fullmatch(r"j1|j_\d{8}", str(c))):
        works = atoms["s" + job[1:]].isin(ps.WORK_STATUSES) & atoms["s2"].isin(ps.WORK_STATUSES)
        ok &= works | ~atoms[job].astype(bool)
    return ok


def transitions_allowed(atoms: pd.DataFrame) -> pd.Series:
    """The codebook's rules on the status at each date (columns ``s1``, ``s2``, ``s_<date>``):
    between the snapshot dates only from the mover statuses into work, and between
    consecutive dates no change after a final status (:func:`analysis.pilot.history.may_follow`).
    An intruder knows them: they are the structural zeros of every table by status at two
    dates."""
    ok = ps.snapshot_change_allowed(atoms["s1"], atoms["s2"])
    snapshots = {"s1": ps.CUTOFF_DATES[0].replace("-", ""), "s2": ps.CUTOFF_DATES[1].replace("-", "")}
    dates = sorted((c for c in atoms.columns if re.fullmatch(r"s[12]|s_\d{8}", str(c))),
                   key=lambda v: snapshots.get(v, v[2:]))
    for earlier, later in zip(dates, dates[1:]):
        ok &= may_follow(atoms[earlier], atoms[later])
    return ok


def real_data(df: pd.DataFrame) -> bool:
    """Whether a participant frame holds real data (not every row marked synthetic): its
    release protects zeros too."""
    return not ("synthetisch" in df.columns and len(df) > 0 and bool(df["synthetisch"].astype(bool).all()))


def pilot_release(df: pd.DataFrame, threshold: int, cutoffs=None, frame: pd.DataFrame | None = None):
    """The blocks an intruder reasons with for notebook 02 (see output_gate's docstring):
    the status block crosses the status at every published cut-off date with the sector.
    ``frame``: :func:`release_codes` of ``df`` and ``cutoffs`` where the caller made it."""
    f = release_codes(df, cutoffs) if frame is None else frame
    levels = release_levels(f)
    r = Release(threshold, zeros_disclosive=real_data(df))
    r.block("A", f, {"opleiding": levels["opleiding"], "leeftijd": levels["leeftijd"]})
    r.block("B", f, {"dienstjaren": levels["dienstjaren"]})
    r.block("C", f, {"functietype": levels["functietype"]})
    d = r.block("D", f, {"triage": TRIAGE_CODES, "gestart": [True, False]},
                allowed=lambda a: a["gestart"].astype(bool) | (a["triage"] == "geen_triage"))
    statuses = {status_var(c): ps.STATUSES for c in joint_cutoffs(cutoffs)}
    sectors = [*levels["sector"], SECTOR_NONE]  # onbekend where it occurs
    jobs = {job_var(c): [True, False] for c in job_dates(cutoffs)}  # the follow-up job held on that date
    e = r.block("status", f, {**statuses, **jobs, "sector": sectors}, allowed=_status_rules)
    services = [r.block(s, f, {s: ps.counted_levels([True, False], f[s]), "mover": [True, False]})
                for s in ps.SERVICES]  # onbekend where the administration does not record a service
    movers = {"s1": list(ps.MOVER_STATUSES), "s2": list(ps.WORK_STATUSES)}
    never = {status_var(joint_cutoffs(cutoffs)[0]): list(ps.NOT_STARTED)}
    # Figuur 10 and the statuses in one programme: those who never started are among geen_triage
    # (found by the fourth independent intruder: with the two apart, a count of 5 was bounded)
    r.merge("E", [e, d, *services], [(b, {"mover": True}, e, movers) for b in services]
            + [(d, {"gestart": False}, e, never)])
    return r


TRIAGE_CODES = ["triage_1", "triage_2", "triage_3", "geen_triage"]


def release_levels(f: pd.DataFrame) -> dict[str, list]:
    """The levels each one- or two-way table shows: the codebook's, plus ``onbekend`` when
    it occurs."""
    return {"opleiding": ps.counted_levels(ps.EDUCATION_LEVELS, f["opleiding"]),
            "leeftijd": ps.counted_levels(AGE_LABELS, f["leeftijd"]),
            "dienstjaren": ps.counted_levels(TENURE_LABELS, f["dienstjaren"]),
            "functietype": ps.counted_levels(ps.FUNCTION_TYPES, f["functietype"]),
            "sector": ps.counted_levels(ps.SECTORS, f["sector"])}  # a new job's sector not recorded: onbekend


def _one_way(r, name: str, block: str, var: str, order, total: str, **where):
    """Register a one-way table's cells (and its total unless ``total`` is empty); return
    the plan entry (name, keys, build)."""
    b = r.blocks[block]
    keys = [r.cell(f"{name}|{v}", b, **{var: v}, **where).key for v in order]
    labels = list(order)
    if total:
        keys.append(r.cell(f"{name}|{total}", b, **where).key)
        labels.append(total)
    return _one_way_entry(r, name, keys, labels)


def _one_way_entry(r, name: str, keys: list, labels: list):
    """The plan entry (name, keys, build) of a one-way table of ``keys`` under ``labels``."""
    def build(shown):
        return pd.Series([r.cells[k].value if shown[k] else pd.NA for k in keys], index=pd.Index(labels),
                         dtype="Int64", name="aantal")
    return name, keys, build


def _two_way(r, name: str, total: str, levels: dict[str, list]):
    """Figuur 7 with row, column and grand totals (plan entry)."""
    b = r.blocks["A"]
    rows, cols = [*levels["opleiding"], total], [*levels["leeftijd"], total]
    keys = {}
    for i in rows:
        for j in cols:
            where = {**({"opleiding": i} if i != total else {}), **({"leeftijd": j} if j != total else {})}
            keys[(i, j)] = r.cell(f"{name}|{i}|{j}", b, **where).key

    def build(shown):
        out = pd.DataFrame({j: [r.cells[keys[(i, j)]].value if shown[keys[(i, j)]] else pd.NA for i in rows]
                            for j in cols}, index=rows, dtype="Int64")
        out.columns.name = "leeftijd"
        return out
    return name, list(keys.values()), build


INDEX_NAMES = {"figuur_07_opleiding_leeftijd": "opleidingsniveau", "figuur_08_dienstjaren": "dienstjaren",
               "figuur_09_functie": "functietype", "figuur_10_triage": "triage",
               "figuur_11_dienstverlening": "dienstverlening", "figuur_12_uitstroom": "uitstroom",
               "figuur_13_uitstroom_sector": "sector"}


def protected_figure_tables(df: pd.DataFrame, cutoff: str, threshold: int, total: str = "Totaal",
                            cutoffs=None):
    """Figures 7-13 and the published-versus-pipeline table at ``cutoff``: a dict of name ->
    table with totals (hidden cells ``<NA>``; Figuur 11, a multi-response table, has no
    total), the comparison table, and the :class:`~analysis.stats.output_gate.Release` (its
    ``log`` is the output-checking log). Protected jointly with the tables of the other
    published cut-off dates ``cutoffs`` (:func:`joint_figure_tables`); a ``cutoff`` not
    among them is refused: its tables were not protected against the others. Default
    ``cutoffs``: the frame's ``attrs["published_cutoffs"]``
    (:func:`analysis.pilot.history.with_cutoffs`), else the two snapshot dates."""
    dates = joint_cutoffs(df.attrs.get("published_cutoffs", ps.CUTOFF_DATES) if cutoffs is None else cutoffs)
    if str(cutoff) not in dates:
        raise ValueError(f"disclosure control: cutoff_date {cutoff} is not among the jointly protected cut-off "
                         f"dates {dates}; publishing it would let its tables be differenced with theirs unchecked. "
                         "Add a run with this cutoff_date to notebooks/report.yml (or pass it with -p).")
    by_date, comparison, r = joint_figure_tables(df, threshold, total, dates)
    return by_date[str(cutoff)], comparison, r


def joint_figure_tables(df: pd.DataFrame, threshold: int, total: str = "Totaal", cutoffs=None,
                        prior: dict | None = None):
    """The tables of every run of notebook 02 (one per published cut-off date, the two
    snapshot dates always among them; they publish from the same file, and Figuren 12-13 at
    two dates would reveal who moved in between), released together in one fixed order
    (:func:`joint_cutoffs`), so that every run makes the same decisions: a dict of cut-off
    date -> tables, the comparison table and the release. ``df`` needs a status column for
    every date (:func:`analysis.pilot.history.with_cutoffs`). ``prior``: cells an earlier
    release of the same file showed (the release ledger), shown from the start."""
    dates = joint_cutoffs(cutoffs)
    frame = release_codes(df, dates)
    r = pilot_release(df, threshold, dates, frame)
    report_facts(r)
    levels = release_levels(frame)
    plan = [_two_way(r, "figuur_07_opleiding_leeftijd", total, levels),
            _one_way(r, "figuur_08_dienstjaren", "B", "dienstjaren", levels["dienstjaren"], total),
            _one_way(r, "figuur_09_functie", "C", "functietype", levels["functietype"], total),
            _one_way(r, "figuur_10_triage", "E", "triage", TRIAGE_CODES, total, part="D"),
            _services(r)]
    for date in dates:
        plan += _status_tables(r, date, total, levels["sector"])
    plan.append(_comparison(r, df))
    _watch_moves(r, dates, levels["sector"])
    r.prior(prior or {})
    r.prepare([k for _, keys, _ in plan for k in keys])
    by_date = {date: {} for date in dates}
    comparison = None
    for name, keys, build in plan:
        table = released.mark(build(r.release(name, keys)))
        base, _, date = name.partition("@")
        table.index.name = INDEX_NAMES.get(base, table.index.name)
        if base == "pilot_published_vs_pipeline":
            comparison = table
            continue
        for d in ([date] if date else dates):
            by_date[d][base] = table
    return by_date, comparison, r


def _watch_moves(r, dates, sectors) -> None:
    """The moves between every two published dates that no table shows: into and out of each
    status, and into work in each sector. On real data a zero of one must not be pinned by the
    tables (:meth:`~analysis.stats.output_gate.Release.watch_zero`): equal counts of a final
    status at two dates said that none of those who moved went there, and equal counts of a
    status no one can enter in between say that everyone in it stayed."""
    b = r.blocks["E"]
    for early, late in itertools.combinations(sorted(dates), 2):
        before, after = status_var(early), status_var(late)
        for status in ps.STATUSES:
            others = [s for s in ps.STATUSES if s != status]
            r.watch_zero(f"move|{early}|{late}|status={status}", b, part="status", **{before: others, after: status})
            r.watch_zero(f"move|{early}|{late}|from={status}", b, part="status", **{before: status, after: others})
        for sector in sectors:  # whoever changed status and has this sector (a new job's; onbekend too)
            moved = [{"part": "status", "sector": sector, before: status,
                      after: [s for s in ps.STATUSES if s != status]} for status in ps.STATUSES]
            r.watch_zero(f"move|{early}|{late}|sector={sector}", b, *moved)


def release_where(where: dict) -> tuple[str, dict] | None:
    """A facts file's ``where`` (:mod:`analysis.study.facts`) on the release's variables:
    (block, where) for counts of statuses and the sector (block E), of education and age
    groups (block A: a cut at one of Figuur 7's bin edges), years of service (block B: a cut
    at one of Figuur 8's), function types (block C) or triage paths (block E, part D); None
    where the release has no such cell."""
    if not where:
        return None
    domains = {"status_1": ("s1", ps.STATUSES), "status_2": ("s2", ps.STATUSES), "sector_nieuw": ("sector", ps.SECTORS)}
    if set(where) <= set(domains):
        return _coded_where(where, domains, "E", {"part": "status"})
    if len(where) != 1:
        return None
    (name, cond), = where.items()
    cuts = {"dienstjaren": ("B", TENURE_BINS, TENURE_LABELS), "leeftijd": ("A", AGE_BINS, AGE_LABELS)}
    if name in cuts and isinstance(cond, dict):
        block, bins, labels = cuts[name]
        chosen = _cut(cond, bins, labels)
        return None if chosen is None else (block, {name: chosen})
    levels = {"opleidingsniveau": ("A", "opleiding", ps.EDUCATION_LEVELS, {}),
              "functietype": ("C", "functietype", ps.FUNCTION_TYPES, {}),
              "triage": ("E", "triage", TRIAGE_CODES, {"part": "D"})}
    if name not in levels:
        return None
    block, var, domain, part = levels[name]
    if name == "triage":  # the file's path number, the release's code
        cond = {"not_in": [f"triage_{v}" for v in cond["not_in"]]} if isinstance(cond, dict) and "not_in" in cond \
            else [f"triage_{v}" for v in (cond if isinstance(cond, list) else [cond])]
    return _coded_where({name: cond}, {name: (var, domain)}, block, part)


def _coded_where(where: dict, domains: dict, block: str, base: dict) -> tuple[str, dict] | None:
    """``where`` of single values, lists and ``not_in`` on coded variables ``domains``
    (file column -> (release variable, its levels)) as (block, where)."""
    out = dict(base)
    for name, cond in where.items():
        var, domain = domains[name]
        if isinstance(cond, dict) and set(cond) == {"not_in"}:
            out[var] = [v for v in domain if v not in cond["not_in"]]
        elif isinstance(cond, dict):
            return None
        else:
            out[var] = list(cond) if isinstance(cond, list) else [cond]
    return block, out


def _cut(cond: dict, bins, labels) -> list | None:
    """The classes of a right-closed binning that ``{">": edge}`` or ``{"<=": edge}`` selects,
    when ``edge`` is one of its bin edges; else None."""
    if len(cond) != 1:
        return None
    (op, edge), = cond.items()
    if op not in (">", "<=") or edge not in bins:
        return None
    above = [lab for lo, lab in zip(bins, labels) if lo >= edge]
    return above if op == ">" else [lab for lab in labels if lab not in above]


def _report_counts() -> list[tuple[int, dict]]:
    """The persons the report prints (count, where), each once, in the facts file's order."""
    out: list = []
    for row in ps.STUDY.facts.comparison if ps.STUDY.facts is not None else ():
        parts = [(row.published, row.where)] if row.where is not None else [row.numerator, row.denominator]
        out += [p for p in parts if p not in out]
    return out


def _stated_bounds() -> list[tuple[float, float, dict, dict | None]]:
    """Every check of the facts file as (low, high, where, less): the report states that the
    count of ``where`` (minus that of ``less``, for "more than") lies in [low, high]. A count
    of distinct values states no count of persons."""
    out = []
    for fact in ps.STUDY.facts.facts if ps.STUDY.facts is not None else ():
        for check in fact.checks:
            if check.distinct is not None:
                continue
            if check.more_than is not None:
                out.append((1, np.inf, check.where, check.more_than))
                continue
            low = check.equals if check.equals is not None else check.at_least
            high = check.equals if check.equals is not None else check.at_most
            if low is not None or high is not None:
                out.append((-np.inf if low is None else low, np.inf if high is None else high, check.where, None))
    return out


def report_facts(r) -> list[int]:
    """Register everything the source report states about the persons (the active study's
    facts file: the comparison's printed counts and every fact's checks) as public knowledge
    of the release ``r``, on whichever block its persons lie (attack 22: the report's
    "tweederde ... langer dan 10 jaar" is on Figuur 8's block, and with Figuur 8 it pinned
    the group of over 20 years). Only what is true of the data is registered (see
    :meth:`analysis.stats.output_gate.Release.public`). A printed count is registered only
    where the file reproduces it: public knowledge also exempts the counts it alone bounds
    below the threshold from protection, so knowledge assumed beyond what was printed (a count
    "one either side" of the report's, registered from attack 22 until the 200 random
    populations' hand-written attack found five outflow counts of 1 and 2 left unprotected
    by it) would leave counts open to an intruder who knows only the report. Returns the
    indexes of :func:`_report_counts` registered."""
    registered = []
    for i, (value, where) in enumerate(_report_counts()):
        on = release_where(where)
        if on is not None and r.public(r.blocks[on[0]], value, **on[1]):
            registered.append(i)
    for low, high, where, less in _stated_bounds():
        on, minus = release_where(where), release_where(less) if less is not None else None
        if on is None or (less is not None and (minus is None or minus[0] != on[0])):
            continue
        b = r.blocks[on[0]]
        coef = b.mask(**on[1]).astype(float) - (b.mask(**minus[1]).astype(float) if minus else 0)
        r.public_bounds(b, coef, low, high)
    return registered


def _services(r):
    """Figuur 11 (plan entry): one person count per service, never summed (multi-response);
    every participant counts, at either cut-off date (:func:`services`)."""
    name = "figuur_11_dienstverlening"
    keys = [r.cell(f"{name}|{s}", r.blocks["E"], part=s, **{s: True}).key for s in ps.SERVICES]
    unknown = [s for s in ps.SERVICES if ps.UNKNOWN in r.blocks["E"].atoms[s].tolist()]
    if not unknown:
        return (name, keys, lambda shown: pd.Series([r.cells[k].value if shown[k] else pd.NA for k in keys],
                                                    index=list(ps.SERVICES), dtype="Int64", name="aantal"))
    more = {s: r.cell(f"{name}|{s}|{ps.UNKNOWN}", r.blocks["E"], part=s, **{s: ps.UNKNOWN}).key for s in unknown}

    def build(shown):  # received (aantal, as without onbekend), and not recorded (onbekend), per service
        def value(k):
            return r.cells[k].value if shown[k] else pd.NA
        return pd.DataFrame({"aantal": pd.array([value(k) for k in keys], dtype="Int64"),
                             ps.UNKNOWN: pd.array([value(more[s]) if s in more else 0 for s in ps.SERVICES],
                                                  dtype="Int64")},
                            index=pd.Index(list(ps.SERVICES), name="dienstverlening"))
    return (name, [*keys, *more.values()], build)


def _status_tables(r, cutoff: str, total: str, sectors) -> list:
    """Figuren 12-13 at ``cutoff`` (plan entries named ``<figure>@<cutoff>``); ``sectors``:
    Figuur 13's rows, the release's levels of the sector (``onbekend`` where a new job's sector
    was not recorded: its row, never left out of the table while counted in its total)."""
    sc = status_var(cutoff)
    figure_12 = _one_way(r, f"figuur_12_uitstroom@{cutoff}", "E", sc, list(ps.STATUSES), total, part="status")
    if not ps.job_may_differ(cutoff):
        return [figure_12, _one_way(r, f"figuur_13_uitstroom_sector@{cutoff}", "E", "sector", list(sectors), total,
                                    part="status", **{sc: list(ps.WORK_STATUSES)})]
    return [figure_12, _sectors_then(r, cutoff, total, sectors)]


def _sectors_then(r, cutoff: str, total: str, sectors) -> tuple:
    """Figuur 13 on a date where the job may be another than the follow-up date's (plan
    entry): the recorded sector for who held the follow-up job then, ``onbekend`` for who
    held another (newpilot2, F5: the follow-up job's sector was applied to it); the row
    ``onbekend`` where it occurs, as in every table."""
    name, b, sc = f"figuur_13_uitstroom_sector@{cutoff}", r.blocks["E"], status_var(cutoff)
    working = {"part": "status", sc: list(ps.WORK_STATUSES)}
    order = [s for s in sectors if s != ps.UNKNOWN]
    keys = [r.cell(f"{name}|{v}", b, **working, **{job_var(cutoff): True, "sector": v}).key for v in order]
    unknown = r.cell(f"{name}|{ps.UNKNOWN}", b, {**working, job_var(cutoff): False},
                     **working, **{job_var(cutoff): True, "sector": ps.UNKNOWN})
    if unknown.value or ps.UNKNOWN in sectors:
        keys.append(unknown.key)
        order.append(ps.UNKNOWN)
    labels = list(order)
    if total:
        keys.append(r.cell(f"{name}|{total}", b, **working).key)
        labels.append(total)
    return _one_way_entry(r, name, keys, labels)


def _comparison(r, df: pd.DataFrame):
    """:func:`published_comparison` as a plan entry of the release ``r``: a pipeline count
    (or either term of a percentage) that the release withholds, or has no cell for, shows
    as ``<NA>``, and so does its ``gelijk`` (equality with a published number would reveal
    it)."""
    cells: dict = {}  # where (as text) -> the release's cell, or None

    def cell(where: dict):
        key = repr(where)
        if key not in cells:
            on = release_where(where)
            cells[key] = None if on is None else r.cell(f"vgl|{len(cells)}", r.blocks[on[0]], **on[1])
        return cells[key]

    rows = ps.STUDY.facts.comparison if ps.STUDY.facts is not None else ()
    terms = [(cell(row.where),) if row.where is not None else (cell(row.numerator[1]), cell(row.denominator[1]))
             for row in rows]

    def build(shown):
        def value(c):
            return None if c is None or not shown[c.key] else c.value

        def pipeline(term):
            if len(term) == 1:
                return value(term[0])
            num, den = value(term[0]), value(term[1])
            return None if num is None or not den else round(100 * num / den)

        table = published_comparison(df)
        table["pijplijn"] = pd.array([pipeline(t) for t in terms], dtype="Int64")
        table["gelijk"] = (table["gepubliceerd"] == table["pijplijn"]).astype("boolean")
        return table
    return "pilot_published_vs_pipeline", [c.key for c in cells.values() if c is not None], build


def model_domains(frame: pd.DataFrame | None = None) -> dict[str, list[str]]:
    """Codebook values of the model predictors of :mod:`analysis.pilot.outcomes` (the
    intruder knows them), for :func:`analysis.stats.output_gate.group_release`; with the
    analysis ``frame``, ``onbekend`` is a level of each predictor where it occurs."""
    domains = {"triage": [*(str(t) for t in ps.TRIAGE_PATHS), "geen"], "opleiding": list(ps.EDUCATION_LEVELS),
               "leeftijd": list(outcomes.AGE_GROUPS), "dienstjaren": list(outcomes.TENURE_GROUPS)}
    if frame is None:
        return domains
    return {k: ps.counted_levels(v, frame[k]) if k in frame.columns else v for k, v in domains.items()}


def model_release(df: pd.DataFrame, predictors, definition: str, cutoff: str, population: str, threshold: int,
                  published: dict | None = None, prior: dict | None = None):
    """The release of notebook 03 (:func:`analysis.stats.output_gate.group_release`) for the
    analysis population, linked to what notebook 02 publishes from the same file: the
    triage counts of Figuur 10 and the education totals of Figuur 7 (over everyone).
    ``published``: notebook 02's tables by cut-off date, if already made (the first item
    :func:`joint_figure_tables` returns, for the frame's published cut-offs)."""
    frame, _ = outcomes.analysis_frame(df, definition, cutoff, population)
    everyone, _ = outcomes.analysis_frame(df, definition, cutoff, "all")
    inside = outcomes.stayed(df, cutoff).to_numpy() if population == "stayed" else np.ones(len(df), bool)
    if inside.sum() != len(frame):
        raise ValueError("model_release: the analysis population does not match its definition")
    by_date = published or joint_figure_tables(df, threshold,
                                               cutoffs=df.attrs.get("published_cutoffs", ps.CUTOFF_DATES))[0]
    tables = by_date[ps.CUTOFF_DATES[0]]
    known = {}
    if "triage" in predictors:
        for code, v in tables["figuur_10_triage"].items():
            if code.startswith("triage_") or code == "geen_triage":
                if pd.notna(v):
                    known[("triage", "geen" if code == "geen_triage" else code[len("triage_"):])] = int(v)
    if "opleiding" in predictors:
        totals = tables["figuur_07_opleiding_leeftijd"].iloc[:-1, -1]  # the education totals (over all ages)
        known.update({("opleiding", lev): int(v) for lev, v in totals.items() if pd.notna(v)})
    bins, bin_domains, bin_known = _bin_links(df, tables, predictors)
    known.update(bin_known)
    # On real data a zero is protected like a small count: a level's rate of 0% or 100% (its zero
    # events or non-events), a level no one in the population has (intruder round 11), a cell of
    # the joint table (all 18 of a triage x education group in work: round 14), the persons
    # without a triage path who started (12 of 12 in work: round 14). A zero that the counts
    # notebook 02 published already imply (everyone without a triage path never started) is not
    # this release's to protect (output_gate: bounded before the release)
    started = ~df[ps.STATUS_END].isin(ps.NOT_STARTED).to_numpy()
    figure_12 = tables["figuur_12_uitstroom"]
    if all(pd.notna(figure_12.get(s)) for s in ps.NOT_STARTED):  # who never started: Figuur 12 at the pilot's end
        known[("gestart", False)] = int(sum(figure_12[s] for s in ps.NOT_STARTED))
    extra = {"gestart": [True, False], **bin_domains}
    columns = bins.assign(gestart=started)
    r = group_release(frame.assign(**{c: columns[c].to_numpy()[inside] for c in columns}), list(predictors),
                      model_domains(everyone), threshold,
                      everyone[~inside].assign(**{c: columns[c].to_numpy()[~inside] for c in columns}), known, prior,
                      zeros_disclosive=real_data(df), extra=extra,
                      rule=_with_bins(_never_started_rule(population), bin_domains))
    return r if threshold <= 1 or outcome_stated_by_figure_12(by_date, definition, cutoff, population) \
        else withhold_outcome(r)


def _never_started_rule(population: str):
    """The codebook's rule on who never started, as notebook 03's block states it: no
    triage path, no outcome, and (a status that is not a staying one) outside the stayed
    population (intruder round 12: with Figuur 10's persons without triage equal to Figuur
    12's who never started, an intruder knows the former had no work, which the block did
    not)."""
    def rule(a: pd.DataFrame) -> pd.Series:
        never = (a["y"] == 0) & ((a["triage"] == "geen") if "triage" in a.columns else True)
        if population == "stayed" and "inpop" in a.columns:
            never &= ~a["inpop"].astype(bool)
        return a["gestart"].astype(bool) | never
    return rule


# a model predictor grouped from the classes a figure of notebook 02 shows: (its class column in the
# model's block, the classes' bins and labels in the figure's order, the model's two groups; the first
# group holds the first half of the classes)
BINNED = {"leeftijd": ("leeftijdsklasse", AGE_BINS, AGE_LABELS, outcomes.AGE_GROUPS),
          "dienstjaren": ("dienstjarenklasse", TENURE_BINS, TENURE_LABELS, outcomes.TENURE_GROUPS)}


def _bin_links(df: pd.DataFrame, tables: dict, predictors) -> tuple[pd.DataFrame, dict, dict]:
    """What links notebook 03's age and tenure groups to Figuur 7 and 8: each participant's
    class (a column per grouped predictor), the classes' domains, and every cell of the
    figures that notebook 02 shows as a count the intruder knows (intruder round 14: with
    only the figures' totals linked, the models' education x age table of those who stayed,
    subtracted from Figuur 7's inner cells, gave the 3 highly educated aged 45 or younger who
    left). Keys of the counts: ((variable, level), ...)."""
    def classes(predictor: str) -> np.ndarray:
        _, bins, labels, _ = BINNED[predictor]
        values = binned(df[predictor], bins, labels).astype(object)
        return values.where(values.notna(), ps.UNKNOWN).astype(str).to_numpy()

    columns, domains, known = {}, {}, {}
    if "leeftijd" in predictors:
        column, figure_7 = BINNED["leeftijd"][0], tables["figuur_07_opleiding_leeftijd"]
        columns[column] = classes("leeftijd")
        domains[column] = [str(c) for c in figure_7.columns[:-1]]
        known.update(_figure_7_cells(figure_7, column, by_education="opleiding" in predictors))
    if "dienstjaren" in predictors:
        column, figure_8 = BINNED["dienstjaren"][0], tables["figuur_08_dienstjaren"]
        columns[column] = classes("dienstjaren")
        domains[column] = [str(c) for c in figure_8.index[:-1]]
        known.update({((column, str(c)),): int(v) for c, v in figure_8.iloc[:-1].items() if pd.notna(v)})
    return pd.DataFrame(columns, index=df.index), domains, known


def _figure_7_cells(figure_7: pd.DataFrame, column: str, by_education: bool) -> dict:
    """Figuur 7's shown counts per age class (its total row), and with ``by_education`` per
    education level and age class too."""
    total = figure_7.index[-1]
    out = {}
    for lev in (figure_7.index if by_education else [total]):
        for c in figure_7.columns[:-1]:
            v = figure_7.at[lev, c]
            if pd.notna(v):
                out[((column, str(c)),) if lev == total else (("opleiding", lev), (column, str(c)))] = int(v)
    return out


def _with_bins(rule, bin_domains: dict):
    """``rule`` and: each participant's class lies in their model group (the first half of the
    classes in the first group, the rest in the second, onbekend in onbekend)."""
    pairs = [(p, spec[0]) for p, spec in BINNED.items() if spec[0] in bin_domains]
    if not pairs:
        return rule

    def group_of(p: str, classes: pd.Series) -> pd.Series:
        _, _, labels, groups = BINNED[p]
        first = set(labels[:len(labels) // 2])
        return classes.map(lambda c: ps.UNKNOWN if c == ps.UNKNOWN else groups[0] if c in first else groups[1])

    def allowed(a: pd.DataFrame) -> pd.Series:
        ok = rule(a)
        for p, col in pairs:
            ok &= group_of(p, a[col]) == a[p]
        return ok
    return allowed


def outcome_stated_by_figure_12(by_date: dict, definition: str, cutoff: str, population: str) -> bool:
    """Whether notebook 02's released Figuur 12 already states the persons and events of
    notebook 03's population ("17 of 25"), so that stating them again adds nothing.

    Notebook 03's gate sees predictors and the outcome, not the statuses, so a count it
    states could be differenced with Figuur 12 at the same date (the events minus a shown
    status count is a withheld status count). Events are the outcome's statuses at
    ``cutoff`` (every one of them a staying status); the stayed population is the staying
    statuses (or, with the total, the others) on its reference date."""
    def shown(date: str, statuses) -> bool:
        figure = by_date[date]["figuur_12_uitstroom"]
        return all(pd.notna(figure.get(s)) for s in statuses)

    events = shown(cutoff, outcomes.DEFINITIONS[definition])
    if population == "all":
        return events
    ref = str(min(pd.Timestamp(cutoff), pd.Timestamp(ps.PILOT_END)).date())
    rest = [s for s in ps.STATUSES if s not in ps.STAYED_STATUSES]
    return events and (shown(ref, ps.STAYED_STATUSES) or shown(ref, rest))


def withhold_outcome(r):
    """``r`` with nothing of the population shown: its persons and events, and so every rate,
    model and test (which the notebook shows only with them), recorded in its log. Every
    cell is marked withheld, so the ledger records only what was published."""
    for c in r.cells.values():
        c.shown = False
    r.log.append({"output": "outcome", "threshold": r.threshold, "cells": len(r.cells), "primary_suppressed": 0,
                  "secondary_suppressed": len(r.cells), "shown": 0,
                  "rule": "persons and events of the population only where notebook 02's Figuur 12 at the same "
                          "date states them", "outcome": "pass"})
    return r
