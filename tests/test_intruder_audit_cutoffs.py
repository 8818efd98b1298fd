"""The intruder audit (``tests/test_intruder_audit.py``) of a report that publishes a cut-off
date other than the two snapshot dates: notebook 02 at 1 March 2021 next to its two standard
runs (1 and 16 April), and notebook 03 at 1 March, attacked together at threshold 10 on a copy
of the shipped file marked as real (``synthetisch`` false). The statuses on 1 March come from
the shipped status history, read here with plain pandas.

The control switches the joint protection off: the 1 March run is protected by a gate that
knows only its own date (as a run that protected itself alone would be), the standard runs as
they are; differencing them must then reveal a small group, or the audit could not tell."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.pilot import tables as pt
from analysis.stats import models, output_gate
from tests.conftest import ROOT
from tests.test_intruder_audit import K, audit_notebook_02, audit_notebook_03

MARCH = "2021-03-01"
HISTORY_CSV = ROOT / "data" / "raw" / "pilot_status_history_synthetic.csv"
PREDICTORS = ["triage", "opleiding"]


def _status_on(history: pd.DataFrame, ids: pd.Series, day: str) -> list:
    """Plain pandas: the last status dated on or before ``day``, per person."""
    known = history[history["datum"] <= day]  # ISO dates: text order is date order
    known = known.sort_values(["deelnemer_id", "datum"], kind="stable")
    return known.groupby("deelnemer_id")["status"].last().reindex(ids).tolist()


@pytest.fixture(scope="module")
def real_copy(pilot30) -> pd.DataFrame:
    history = pd.read_csv(HISTORY_CSV, dtype=str)
    df = pilot30.copy()
    df["synthetisch"] = False
    df["status_20210301"] = _status_on(history, df["deelnemer_id"], MARCH)
    df.attrs["published_cutoffs"] = [MARCH]
    return df


def _notebook_03(df: pd.DataFrame, by_date: dict) -> list[str]:
    from analysis.pilot import outcomes

    frame, _ = outcomes.analysis_frame(df, "work", MARCH, "stayed")
    r03 = pt.model_release(df, PREDICTORS, "work", MARCH, "stayed", K, by_date)
    nb02 = by_date["2021-04-01"]
    rates = output_gate.gate_rates(pd.concat([models.rates_by_group(frame, g) for g in PREDICTORS],
                                             ignore_index=True), r03)
    return audit_notebook_03(df, PREDICTORS, rates, K, output_gate.outcome_shown(r03), nb02, cutoff=MARCH)


def test_a_report_with_a_march_cut_off_withstands_the_attack(real_copy):
    published, comparison, release = pt.joint_figure_tables(real_copy, K, cutoffs=[MARCH])
    release.check()
    assert set(published) == {"2021-04-01", "2021-04-16", MARCH}
    bad = audit_notebook_02(real_copy, published, comparison, K)
    assert bad + _notebook_03(real_copy, published) == []


def _protected_alone(df: pd.DataFrame, day: str) -> dict:
    """Figuren 7-13 at ``day`` from a gate that knows no other date: the status of ``day`` put
    in both snapshot columns (and the sector kept only for those working on ``day``), so the
    gate sees one date."""
    alone = df.copy()
    status = alone["status_" + day.replace("-", "")]
    alone["status_20210401"] = alone["status_20210416"] = status
    alone["sector_nieuw"] = alone["sector_nieuw"].where(status.isin(["nieuwe_baan", "werk_en_scholing"]))
    alone.attrs = {}
    return pt.joint_figure_tables(alone, K)[0]["2021-04-01"]


def _generated(n: int, seed: int) -> pd.DataFrame:
    """A generated population (marked real) with its statuses on 1 March from its history."""
    from analysis.pilot.synthetic import generate_participants, status_history

    df = generate_participants(n, seed)
    history = status_history(df).astype({"datum": str})
    df["synthetisch"] = False
    df["status_20210301"] = _status_on(history, df["deelnemer_id"], MARCH)
    return df


def test_the_attack_finds_a_leak_when_cut_offs_are_protected_apart(real_copy):
    """On the 30 shipped participants too few counts reach 10 for differencing to matter; on
    150 generated ones it does: Figuur 13 on 1 March, protected apart, next to Figuur 13 on 1
    April pins those who found work in March per sector (an outflow status is final, so the
    March workers are among the April ones). Jointly protected, the same report is safe."""
    df = _generated(150, 2)
    standard, comparison, _ = pt.joint_figure_tables(df, K, cutoffs=())
    leaks = audit_notebook_02(df, {**standard, MARCH: _protected_alone(df, MARCH)}, comparison, K)
    assert any(x.startswith("status atom") and "'in_bemiddeling'" in x for x in leaks), leaks
    joint, comparison, release = pt.joint_figure_tables(df, K, cutoffs=[MARCH])
    release.check()
    assert audit_notebook_02(df, joint, comparison, K) == []


def test_a_cut_off_outside_the_protected_set_is_refused(real_copy):
    with pytest.raises(ValueError, match="not among the jointly protected"):
        pt.protected_figure_tables(real_copy, "2021-03-15", K, cutoffs=[MARCH])


@pytest.fixture(scope="module")
def march_tables(real_copy) -> dict:
    """Notebook 02's tables by cut-off date, 1 March protected jointly with the two snapshot
    dates: made once for the twelve cases below (each made the same tables again, 80 % of its
    time); every case gets its own copy."""
    return pt.joint_figure_tables(real_copy, K, cutoffs=[MARCH])[0]


@pytest.fixture
def nb02(march_tables) -> dict:
    return {day: {name: table.copy() for name, table in tables.items()} for day, tables in march_tables.items()}


@pytest.mark.parametrize("population", ["all", "stayed"])
@pytest.mark.parametrize("definition", ["work", "work_or_education"])
@pytest.mark.parametrize("day", [MARCH, "2021-04-01", "2021-04-16"])
def test_notebook_03_states_no_outcome_that_figure_12_would_reveal_a_small_group_by(real_copy, nb02, day, definition,
                                                                                    population):
    """Notebook 03's sentence "events of n" minus the status counts Figuur 12 shows at the same
    date is the sum of the withheld ones: a sum of 1..9 persons (true counts from the file
    with plain pandas) would be disclosed. Its tests never say how many tables they enumerated
    (that number depends on the group sizes)."""
    from analysis.pilot import outcomes

    r03 = pt.model_release(real_copy, PREDICTORS, definition, day, population, K, nb02)
    figure_12 = nb02[day]["figuur_12_uitstroom"]
    status = real_copy["status_" + day.replace("-", "")]
    withheld = [s for s in outcomes.DEFINITIONS[definition] if pd.isna(figure_12.get(s))]
    hidden_sum = int(status.isin(withheld).sum())
    if output_gate.outcome_shown(r03):
        assert hidden_sum == 0 or hidden_sum >= K, (day, definition, population, withheld, hidden_sum)
    frame, _ = outcomes.analysis_frame(real_copy, definition, day, population)
    assert not models.exact_tests(frame, PREDICTORS)["test"].str.contains(r"\d+ tables", regex=True).any()
