"""notebook 03's analysis frame built once per distinct value (analysis.pilot.outcomes) is the
frame built value by value, as before, to the dtype: on the shipped file and on a copy with
missing triage, ages, years of service and statuses."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import paths
from analysis.pilot import outcomes, schema as ps
from analysis.pilot.inputs import load_participants


def reference_two_groups(values, cut, groups):
    above = values.astype("Float64").gt(cut).to_numpy(dtype=bool, na_value=False)
    labels = np.where(above, groups[1], groups[0]).astype(object)
    labels[values.isna().to_numpy()] = ps.UNKNOWN
    return pd.Categorical(labels, ps.counted_levels(groups, values))


def reference_triage(triage):
    codes = triage.astype("Int64")
    return codes.astype(str).where(codes.notna(), "geen")


def reference_outflow(status):
    kinds = {**{s: "werk" for s in ps.WORK_STATUSES}, **{s: "opleiding" for s in ps.EDUCATION_STATUSES},
             **{s: "bemiddeling" for s in ps.STUDY.of_kind("in_progress")}}
    codes, levels = pd.factorize(status)
    named = np.array([kinds.get(v, "overig") for v in levels] + ["overig"], dtype=object)
    return pd.Series(named[codes], index=status.index, name=status.name).astype(str)


@pytest.fixture(scope="module")
def frames():
    df = load_participants(paths.PROJECT_ROOT / "data" / "raw" / "pilot_participants_synthetic.csv")
    holes = df.copy()
    for col, rows in (("triage", [0, 3]), ("leeftijd", [1]), ("dienstjaren", [2, 5]), (ps.STATUS_FOLLOW_UP, [4])):
        holes[col] = holes[col].astype(object)
        holes.loc[rows, col] = None
        holes[col] = holes[col].astype(df[col].dtype)
    return {"shipped": df, "with missing values": holes}


@pytest.mark.parametrize("which", ["shipped", "with missing values"])
def test_the_columns_are_those_built_value_by_value(frames, which):
    df = frames[which]
    for col, cut, groups in (("leeftijd", 45, outcomes.AGE_GROUPS), ("dienstjaren", 10, outcomes.TENURE_GROUPS)):
        got, want = outcomes._two_groups(df[col], cut, groups), reference_two_groups(df[col], cut, groups)
        pd.testing.assert_extension_array_equal(got, want)
    pd.testing.assert_series_equal(outcomes._triage_text(df["triage"]), reference_triage(df["triage"]))
    status = df[ps.STATUS_FOLLOW_UP]
    pd.testing.assert_series_equal(outcomes.outflow_groups(status), reference_outflow(status))
    pd.testing.assert_series_equal(outcomes.per_value(status, lambda v: v.astype(str)), status.astype(str))
    if which == "with missing values":
        assert outcomes._two_groups(df["leeftijd"], 45, outcomes.AGE_GROUPS).isna().sum() == 0
        assert (reference_triage(df["triage"]) == "geen").sum() >= 2
