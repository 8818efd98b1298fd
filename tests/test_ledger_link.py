"""Issue 23, intruder round 21 (F1): the ledger audit links the cells of one recorded release to
the finest atoms of another recorded block of the same file.

Notebook 02's crosstab of triage by education (released before c279202 refused a crosstab of two
model predictors on real data) and notebook 03's logit of the same file were each protected
alone, and each alone withstands the audit; the model's joint table of those who stayed (which
its coefficients give) subtracted from the crosstab of everyone is the table of those who left.
The control writes the releases with the refusal switched off and the audit reports exactly the
leavers' counts that an independent integer programme (scipy's MILP over the published numbers,
written here) pins below the threshold, with the true counts counted here with pandas; with the
refusal in place it reports nothing. A ledger that already holds such a crosstab refuses the
later model release (ledger.jsonl written before the refusal)."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from analysis import ledger
from analysis.pilot.inputs import load_participants
from analysis.pilot.synthetic import generate_participants
from analysis.release import audit, links
from analysis.release.run import Run
from analysis.stats import released
from tests.test_real_data_kinds import as_file, models_publish

pytestmark = pytest.mark.slow

K = 10
DATES = ["2021-04-01", "2021-04-16"]
TRIAGE = ("1", "2", "3", "geen")
EDUCATION = ("laag", "middelbaar", "hoog")
STAYING = ("nieuwe_baan", "werk_en_scholing", "opleiding", "in_bemiddeling")  # the pilot's staying statuses


@pytest.fixture(scope="module")
def participants(tmp_path_factory):
    """Round 21's shape: a non-synthetic file of 3,000 where every group is large enough for
    notebook 03 to publish its models (tests/test_real_data_kinds.py's ``models_publish``)."""
    path = tmp_path_factory.mktemp("link") / "deelnemers.csv"
    as_file(models_publish(generate_participants(3000, seed=3020))).to_csv(path, index=False)
    return load_participants(path)


def _run(df, notebook: str) -> Run:
    out = SimpleNamespace(private=True, min_cell_count=K)
    return Run(notebook, {"cutoff_date": DATES[1], "language": "nl"}, df, out, DATES, "t")


def _entry(run: Run, scope: str, r) -> ledger.Entry:
    return ledger.Entry(run.study, run.inputs_id, scope, K, tuple(DATES), r.shown_cells(), ledger.describe(r))


def _releases(df, old_rule: bool):
    """Notebook 02's release (with the crosstab when ``old_rule``: the refusal switched off) and
    notebook 03's, as their ledger records; the crosstab as published."""
    run2 = _run(df, "02_pilot_participants")
    table = None
    if old_rule:
        refuse = Run._refuse_model_links
        Run._refuse_model_links = lambda self, index, columns: None  # the rule before c279202
        try:
            table = run2.crosstab("triage", "opleiding")
        finally:
            Run._refuse_model_links = refuse
    else:
        with pytest.raises(released.UnreleasedOutput, match="both are predictors"):
            run2.crosstab("triage", "opleiding")
    run3 = _run(df, "03_outcome_models")
    model = run3.model_release(["triage", "opleiding"], "work", "stayed")
    return [_entry(run2, "02", run2.release), _entry(run3, run3._scope["03"], model)], table, model


@pytest.fixture(scope="module")
def old(participants):
    return _releases(participants, old_rule=True)


def _leavers(df) -> dict[tuple[str, str], int]:
    """Who left the pilot (not in a staying status at its end, 1 April), by triage path and
    education, counted with pandas."""
    left = ~df["status_20210401"].astype(str).isin(STAYING)
    triage = df["triage"].map(lambda v: "geen" if pd.isna(v) else str(int(v)))
    counts = pd.crosstab(triage[left], df.loc[left, "opleidingsniveau"].astype(str))
    return {(t, e): int(counts.at[t, e]) if t in counts.index and e in counts.columns else 0
            for t in TRIAGE for e in EDUCATION}


def _pinned_by_milp(table: pd.DataFrame, model_cells: dict[str, int]) -> dict[tuple[str, str], int]:
    """The leavers' cells an intruder pins from the published numbers alone: the crosstab's
    shown cells, and the model's shown rates and joint table (its coefficients give it); an
    integer programme over triage x education x (stayed without work, stayed in work, left)."""
    cells = list(itertools.product(TRIAGE, EDUCATION))
    index = {(c, s): i for i, (c, s) in enumerate(itertools.product(cells, ("y0", "y1", "out")))}

    def row(pick) -> np.ndarray:
        out = np.zeros(len(index))
        out[[i for key, i in index.items() if pick(*key)]] = 1.0
        return out

    rows, values = [], []
    for t, e in itertools.product([*TRIAGE, "Totaal"], [*EDUCATION, "Totaal"]):
        label = "Totaal" if t == "Totaal" else "geen_triage" if t == "geen" else f"triage_{t}"
        v = table.at[label, e]
        if pd.notna(v):
            rows.append(row(lambda c, s, t=t, e=e: t in ("Totaal", c[0]) and e in ("Totaal", c[1])))
            values.append(float(v))
    for key, v in model_cells.items():  # "joint|1|laag|y=0", "triage=1|n", "opleiding=hoog|events", "n", "events"
        parts = key.split("|")
        if parts[0] == "joint":
            rows.append(row(lambda c, s, p=parts: c == (p[1], p[2]) and s == f"y{p[3][-1]}"))
        elif parts[-1] in ("n", "events"):
            inside = ("y0", "y1") if parts[-1] == "n" else ("y1",)
            var, level = parts[0].split("=") if len(parts) == 2 else ("", "")
            pos = {"triage": 0, "opleiding": 1}.get(var)
            rows.append(row(lambda c, s, pos=pos, level=level, inside=inside:
                            s in inside and (pos is None or c[pos] == level)))
        else:
            continue
        values.append(float(v))
    system = LinearConstraint(np.array(rows), values, values)
    pinned = {}
    for c in cells:
        goal = row(lambda cc, s, c=c: cc == c and s == "out")
        ends = [sign * milp(sign * goal, constraints=[system], integrality=np.ones(len(index)),
                            bounds=Bounds(0, 3000)).fun for sign in (1.0, -1.0)]
        if ends[0] == ends[1]:
            pinned[c] = round(ends[0])
    return pinned


def test_control_each_release_alone_withstands_the_audit_and_the_link_finds_the_leavers(participants, old):
    """The old behaviour: notebook 02's crosstab and notebook 03's models, each recorded in its
    own blocks. Alone each passes (what the audit saw before); linked, the audit reports the
    leavers' counts below 10 that the independent programme pins, with their true counts."""
    entries, table, model = old
    assert all(audit.attack_entry(e) == [] for e in entries)  # the gap: blocks never linked
    leaks = audit.attack_ledger(entries)
    truth = _leavers(participants)
    pinned = _pinned_by_milp(table, model.shown_cells())
    assert all(pinned[c] == truth[c] for c in pinned)  # the intruder's values are the truth
    expected = {f"outside|{t}|{e} (true {n})" for (t, e), n in pinned.items() if 0 < n < K}
    assert expected, (pinned, truth)  # round 21's leak is there to find (this file: path 1's leavers)
    found = {x.split(": ", 1)[1] for x in leaks if ": outside|" in x}
    assert found == expected
    assert all(x.startswith(entries[1].notebook) for x in leaks)  # found in the model's block


def test_with_the_refusal_in_place_the_linked_audit_reports_nothing(participants):
    entries, _, _ = _releases(participants, old_rule=False)
    assert audit.attack_ledger(entries) == []


def test_a_ledger_holding_the_crosstab_refuses_the_later_model_release(participants, old):
    """(a) A ledger written before the refusal holds notebook 02's crosstab of triage by education;
    notebook 03 of the same file, later, is refused before anything is written, naming cells but
    no count; beside a notebook 02 release without the crosstab it is released."""
    entries, _, _ = old
    run3 = _run(participants, "03_outcome_models")
    run3.entries = [entries[0]]
    with pytest.raises(released.UnreleasedOutput, match="recorded earlier") as refused:
        run3.model_release(["triage", "opleiding"], "work", "stayed")
    message = str(refused.value)
    assert "outside|1|" in message and not any(f"true {n}" in message for n in range(K))
    later = _run(participants, "03_outcome_models")
    run2 = _run(participants, "02_pilot_participants")
    run2.figure_tables()
    later.entries = [_entry(run2, "02", run2.release)]
    assert later.model_release(["triage", "opleiding"], "work", "stayed").shown_cells()


def test_cells_are_written_over_the_model_block_in_the_release_s_codes():
    """Notebook 03's block codes triage paths without their prefix and Figuur 7's classes as
    ``leeftijdsklasse``; its two age groups, outcome and population are its own. A cell of
    triage_2 by laag over everyone is the sum of that path's and level's model atoms, inside
    and outside the population; a cell of a part that leaves persons out is not linked."""
    model = {"columns": ["triage", "opleiding", "leeftijd", "leeftijdsklasse", "y", "inpop"],
             "atoms": [["2", "laag", "t/m 45", "t/m 35", "0", "True"], ["2", "laag", "t/m 45", "t/m 35", "1", "True"],
                       ["2", "laag", "t/m 45", "t/m 35", "0", "False"], ["geen", "laag", "46+", "56+", "0", "False"]],
             "counts": [3, 4, 5, 6]}
    coded = links.coded_atoms(model, "03:work:x", "study")
    assert coded[0][1] == {"triage": "triage_2", "opleiding": "laag", "leeftijd@03:work:x": "t/m 45",
                           "leeftijd": "t/m 35", "y@03:work:x": "0", "inpop@03:work:x": "True"}
    assert coded[3][1]["triage"] == "geen_triage"
    crosstab = {"columns": ["triage", "opleiding"], "atoms": [["triage_2", "laag"], ["geen_triage", "laag"]],
                "counts": [12, 6]}
    mine = links.coded_atoms(crosstab, "02", "study")
    meaning = links.selection(mine, [0, 1], [0])
    assert meaning == (("triage",), {("triage_2",)})  # education does not restrict it here
    assert links.onto(meaning, coded, [0, 1, 2, 3]) == [0, 1, 2]
    subset = {"columns": ["part", "s1", "sector"], "atoms": [["E", "nieuwe_baan", "zorg"], ["E", "opleiding", None]],
              "counts": [5, 5]}
    assert links.whole_parts(subset, links.coded_atoms(subset, "02", "study")) == {}
