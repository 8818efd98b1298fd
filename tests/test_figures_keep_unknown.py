"""Every figure keeps what was not recorded as ``onbekend`` (newpilot2's F5): a person whose
value was not recorded is a row of the figure, so that its rows add up to its total. A new
job's sector recorded as ``onbekend`` had no row in Figuur 13 (its total counted the person,
its rows did not). Checked by plain sums of the released tables, every count shown."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import paths
from analysis.pilot import inputs as pilot_inputs, schema as ps, tables as pt

K = 1  # every count shown
TOTAL = "totaal"


@pytest.fixture(scope="module")
def figures():
    ps.use_study(ps.DEFAULT_STUDY)
    df = pilot_inputs.load_participants(paths.DATA_RAW / "pilot_participants_synthetic.csv")
    working = df.index[df[ps.STATUS_END].isin(ps.WORK_STATUSES) & df[ps.STATUS_FOLLOW_UP].isin(ps.WORK_STATUSES)]
    df.loc[working[0], "sector_nieuw"] = ps.UNKNOWN  # in work at both dates, the new job's sector not recorded
    df.loc[df.index[1], "opleidingsniveau"] = ps.UNKNOWN
    df.loc[df.index[2], "functietype"] = ps.UNKNOWN
    return pt.joint_figure_tables(df, K, TOTAL)[0], df


def test_every_one_way_figure_adds_up_to_its_total(figures):
    by_date, df = figures
    for date, tables in by_date.items():
        for name, table in tables.items():
            if not isinstance(table, pd.Series) or TOTAL not in table.index:
                continue
            rows = table.drop(TOTAL)
            assert int(rows.sum()) == int(table[TOTAL]), f"{name} at {date}: rows {rows.to_dict()}"


def test_figure_13_has_an_onbekend_row_and_figure_7_an_onbekend_level(figures):
    by_date, df = figures
    for date, tables in by_date.items():
        assert int(tables["figuur_13_uitstroom_sector"][ps.UNKNOWN]) == 1, date
        assert int(tables["figuur_07_opleiding_leeftijd"].loc[ps.UNKNOWN, TOTAL]) == 1
        assert int(tables["figuur_09_functie"][ps.UNKNOWN]) == 1
