"""The models' design matrix (analysis.stats.models.design) on the column types the
frames carry (categorical, Arrow strings, plain objects, integers): the same dummies as
comparing each value's text with each level, written out here."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.stats import models


def dummies_by_hand(values: pd.Series, reference: str) -> dict[str, list[float]]:
    text = [str(v) for v in values]
    return {lev: [1.0 if t == lev else 0.0 for t in text] for lev in sorted(set(text)) if lev != reference}


@pytest.mark.parametrize("dtype", ["category", "string", "str", object])
def test_design_dummies_are_the_levels_as_text(dtype):
    rng = np.random.default_rng(11)
    frame = pd.DataFrame({"triage": rng.choice(["1", "2", "3"], 500), "opleiding": rng.choice(["laag", "middelbaar",
                                                                                               "hoog"], 500)},
                         index=np.arange(1000, 1500)).astype(dtype)
    X = models.design(frame, ["triage", "opleiding"])
    assert list(X.index) == list(frame.index) and (X["const"] == 1.0).all()
    want = {f"triage[{k}]": v for k, v in dummies_by_hand(frame["triage"], "2").items()}
    want |= {f"opleiding[{k}]": v for k, v in dummies_by_hand(frame["opleiding"], "laag").items()}
    assert list(X.columns) == ["const", *want]
    for col, values in want.items():
        assert X[col].tolist() == values


def test_design_of_integer_codes_and_a_missing_reference_level():
    frame = pd.DataFrame({"triage": pd.array([1, 3, 3, 1, 4], dtype="Int64")})
    X = models.design(frame, ["triage"])
    assert list(X.columns) == ["const", "triage[3]", "triage[4]"]  # reference 2 absent: the first level, 1
    assert X["triage[3]"].tolist() == [0.0, 1.0, 1.0, 0.0, 0.0] and X["triage[4]"].tolist() == [0, 0, 0, 0, 1.0]


def test_design_ignores_categories_nobody_has():
    frame = pd.DataFrame({"opleiding": pd.Categorical(["laag", "hoog", "laag"], categories=["laag", "middelbaar",
                                                                                            "hoog"])})
    assert list(models.design(frame, ["opleiding"]).columns) == ["const", "opleiding[hoog]"]
