"""Attack 19 (issue 23): what the nineteenth intruder found, each reproduced as it attacked and
checked with the old behaviour as control.

C1/C2: a corrected file's release withheld a cell the first release showed ("oude werkgever
10" became x at both dates) while every other shown cell stayed: the corrected person had left
that status and 9 remained. The ledger compared only cells both releases showed."""

from __future__ import annotations

import copy

import pandas as pd
import pytest

from analysis import ledger
from analysis.pilot import tables as pt
from analysis.pilot.synthetic import generate_participants

K = 10
DATES = ["2021-04-01", "2021-04-16"]
STATUSES = [f"status_{d.replace('-', '')}" for d in DATES]
MOVED = ["sector_nieuw", "contract_nieuw", "gevonden_via", "uitstroomdatum"]


@pytest.fixture(scope="module")
def first_and_corrected() -> tuple[pd.DataFrame, pd.DataFrame]:
    """200 real people with exactly 10 back with the old employer at both dates (attack 19's
    file D1), and the same file with one of them corrected to 'stopped' (D2)."""
    df = generate_participants(200, seed=3).assign(synthetisch=False)
    back = df.index[df[STATUSES[1]] == "oude_werkgever"]
    assert (df[STATUSES[0]] == "oude_werkgever").sum() == len(back) > K
    donor = df.index[df[STATUSES[0]] == "nieuwe_baan"][0]
    for i in back[: len(back) - K]:
        df.loc[i, STATUSES] = "nieuwe_baan"
        df.loc[i, MOVED] = df.loc[donor, MOVED].to_numpy()
    corrected = df.copy()
    person = df.index[df[STATUSES[1]] == "oude_werkgever"][5]
    corrected.loc[person, STATUSES] = "gestopt"
    corrected.loc[person, "reden_stoppen"] = "privéomstandigheden"
    return df, corrected


@pytest.fixture(scope="module")
def made(first_and_corrected) -> tuple:
    """The joint release of notebook 02's figure tables of each file, made once for the four
    tests below (they made them seven times)."""
    return tuple(pt.joint_figure_tables(df, K, cutoffs=DATES)[2] for df in first_and_corrected)


@pytest.fixture
def releases(made) -> tuple:
    """:func:`made`'s releases of the first and the corrected file, a copy for each test."""
    return copy.deepcopy(made)


def _entry(release, inputs: str) -> ledger.Entry:
    cells = release.shown_cells()
    return ledger.Entry("study", inputs, "02", K, tuple(DATES), cells, ledger.describe(release))


def _withheld(release) -> dict[str, int]:
    return {k: int(c.value) for k, c in release.cells.items() if not c.shown}


def test_a_cell_shown_in_the_first_release_and_withheld_in_the_corrected_one_is_a_difference(releases):
    first, second = releases
    recorded = [_entry(first, "hmac:first")]
    flipped = [k for k, c in second.cells.items() if not c.shown and first.cells.get(k) is not None
               and first.cells[k].shown and c.value != first.cells[k].value]
    assert flipped, "the attack's precondition: a cell shown first and withheld after the correction"
    assert all(first.cells[k].value - second.cells[k].value < K for k in flipped)
    # the control: the shown cells alone (the old comparison) find nothing to refuse
    assert ledger.differences(recorded, "hmac:second", second.shown_cells(), K) == []
    current = ledger.meanings(ledger.describe(second), {**second.shown_cells(), **_withheld(second)})
    clash = ledger.differences(recorded, "hmac:second", second.shown_cells(), K, current, _withheld(second))
    assert set(flipped) <= set(clash)


def test_the_reverse_order_a_withheld_cell_shown_after_a_correction_is_a_difference_too(releases):
    """9 shown as x, then 10 shown after a correction, tells that the first file counted 9."""
    later, earlier = releases  # 10 back with the old employer in the first file, 9 in the corrected one
    recorded = [_entry(earlier, "hmac:earlier")]
    assert ledger.differences(recorded, "hmac:later", later.shown_cells(), K,
                              withheld=_withheld(later)) != []


def test_the_ledger_audit_and_the_check_of_recorded_releases_see_it_as_well(releases):
    from analysis.release import audit

    entries = [_entry(release, f"hmac:{i}") for i, release in enumerate(releases)]
    assert any("differs by 1 to 9" in leak for leak in audit.attack_ledger(entries))
    assert ledger.clashes(entries)


def test_an_unchanged_cell_withheld_for_another_reason_is_no_difference(releases):
    """Equal counts tell nothing of the correction, shown or withheld."""
    r = releases[0]
    recorded = [_entry(r, "hmac:a")]
    everything = {k: int(c.value) for k, c in r.cells.items()}
    assert ledger.differences(recorded, "hmac:b", {}, K, withheld=everything) == []


def _models_file() -> pd.DataFrame:
    """Attack 19's M600: 600 real people shaped so that notebook 03 publishes (every triage x
    education group at least 10), in which no one of triage path 1 left the population."""
    from test_real_data_kinds import models_publish

    df = models_publish(generate_participants(600, seed=626)).assign(synthetisch=False)
    in_path_1 = (df["triage"] == 1).fillna(False).to_numpy(bool)
    leavers = df.index[in_path_1 & ~pt.outcomes.stayed(df, "2021-04-01").to_numpy()]
    df.loc[leavers, "triage"] = 2  # the attack's file: no one of path 1 left
    return df


def _zero_leavers_shown(release, figure_10) -> list[str]:
    """The attack: a level's n in the population, shown, equal to Figuur 10's count of it."""
    found = []
    for code, count in figure_10.items():
        if not str(code).startswith("triage_") or pd.isna(count):
            continue
        cell = release.cells.get(f"triage={code[len('triage_'):]}|n")
        if cell is not None and cell.shown and cell.value == int(count):
            found.append(code)
    return found


@pytest.mark.parametrize("control", [False, True])
def test_a_level_whose_persons_all_stayed_is_not_told_by_the_rates_beside_figuur_10(control, monkeypatch):
    """C4: notebook 03's n 55 of triage path 1 (population: stayed on 1 April) beside Figuur
    10's 55 said that no one of path 1 had gone back to the old employer or stopped. The
    persons of a level outside the population are a target now, protected like a small count
    when they are none (the control: without that target the attack finds the zero)."""
    from analysis.stats import output_gate

    df = _models_file()
    stayed = pt.outcomes.stayed(df, "2021-04-01")
    left_by_path = df.loc[~stayed.to_numpy(), "triage"].value_counts()
    assert 1 not in left_by_path.index and (df["triage"] == 1).sum() >= K  # the truth the attack found
    if control:
        real = output_gate.Release.cell

        def cell(self, key, *args, **kwargs):
            return None if "outside" in key else real(self, key, *args, **kwargs)
        monkeypatch.setattr(output_gate.Release, "cell", cell)
    published = pt.joint_figure_tables(df, K, cutoffs=pt.ps.CUTOFF_DATES)[0]
    r = pt.model_release(df, ["triage", "opleiding"], "work", "2021-04-16", "stayed", K, published)
    found = _zero_leavers_shown(r, published["2021-04-01"]["figuur_10_triage"])
    assert found == (["triage_1"] if control else [])


def _joint_file() -> tuple[pd.DataFrame, str, str]:
    """Attack 20's J600: the models file in which no one of middle education aged 45 or less
    left the population (the 7 who had are in mediation at both dates)."""
    df = generate_participants(600, seed=626)
    from test_real_data_kinds import models_publish

    df = models_publish(df).assign(synthetisch=False)
    young = (df["leeftijd"] <= 45).to_numpy() & (df["opleidingsniveau"] == "middelbaar").to_numpy()
    chosen = young & ~pt.outcomes.stayed(df, "2021-04-16").to_numpy()
    df.loc[df.index[chosen], STATUSES] = "in_bemiddeling"
    df.loc[df.index[chosen], [*MOVED, "reden_stoppen"]] = None
    return df, "middelbaar", "leeftijd"


@pytest.mark.parametrize("control", [False, True])
def test_a_combination_of_predictors_whose_persons_all_stayed_is_not_told_by_the_models(control, monkeypatch):
    """E2 (attack 20): with education and age as predictors the models give the joint table's
    n's back; beside Figuur 7's education x age counts, n 70 of middle education aged 45 or
    less said that no one of them had left. Each combination's persons outside the population
    are a target now (the control: without them the joint cells of that combination show)."""
    from analysis.stats import output_gate

    df, level, predictor = _joint_file()
    if control:
        real = output_gate.Release.cell

        def cell(self, key, *args, **kwargs):
            return None if key.startswith("outside|") else real(self, key, *args, **kwargs)
        monkeypatch.setattr(output_gate.Release, "cell", cell)
    published = pt.joint_figure_tables(df, K, cutoffs=pt.ps.CUTOFF_DATES)[0]
    r = pt.model_release(df, ["opleiding", predictor], "work", "2021-04-16", "stayed", K, published)
    young = [k for k in r.cells if k.startswith(f"joint|{level}|") and "45" in k]
    assert len(young) == 2, sorted(r.cells)  # y=0 and y=1 of (middelbaar, the age group up to 45)
    both_shown = all(r.cells[k].shown for k in young)
    assert both_shown == control
