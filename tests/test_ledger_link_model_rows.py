"""Issue 23 (b): model rows built on a column an evaluator added to the analysis frame.

The ledger records notebook 03's release as its block of predictors by outcome
(:func:`analysis.ledger.describe`); a model fitted with one more column (``geslacht`` added to
``frame``) was gated by its terms of the release's predictors, which were shown: estimates
adjusted for a variable whose table the release neither protected nor recorded. Every row of
such a model is withheld now; the control shows the old gate passing those rows and, with
statsmodels, that they differ from the model on the recorded predictors alone (they carry the
unrecorded table)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm

from analysis import ledger
from analysis.stats import output_gate


def _frame() -> pd.DataFrame:
    """Two recorded predictors g, h and an added column k, every cell large (no other reason to
    withhold), the outcome depending on k."""
    rng = np.random.default_rng(7)
    n = 400
    f = pd.DataFrame({"g": rng.choice(["a", "b"], n), "h": rng.choice(["u", "v"], n), "k": rng.choice(["x", "z"], n)})
    f["y"] = (rng.random(n) < np.where(f["k"] == "z", 0.8, 0.3)).astype(int)
    return f


def _fit(f: pd.DataFrame, predictors: list[str]) -> pd.DataFrame:
    """An ML logit with statsmodels, as a table of the notebook's shape (model, term, coef)."""
    x = pd.get_dummies(f[predictors], drop_first=True).astype(float)
    x.insert(0, "const", 1.0)
    fit = sm.Logit(f["y"].astype(float), x).fit(disp=0)
    terms = ["const", *(c.replace("_", "[", 1) + "]" for c in x.columns[1:])]
    return pd.DataFrame({"model": "ML logit", "term": terms, "coef": fit.params.to_numpy(), "group_n": 100,
                         "n": len(f), "note": ""})


def test_rows_of_a_model_with_a_column_the_release_does_not_record_are_withheld():
    f = _frame()
    r = output_gate.group_release(f, ["g", "h"], {"g": ["a", "b"], "h": ["u", "v"]}, 10)
    assert not any("k" in b["columns"] for b in ledger.describe(r)["blocks"].values())  # not in the ledger
    recorded = output_gate.gate_terms(_fit(f, ["g", "h"]), r, ["g", "h"])
    assert recorded["coef"].notna().all()  # the model of the recorded predictors is shown
    added = output_gate.gate_terms(_fit(f, ["g", "h", "k"]), r, ["g", "h"])
    assert added["coef"].isna().all() and (added["note"] == output_gate.WITHHELD_NOTE).all()
    assert "does not protect" in r.log[-1]["rule"]  # the reason, for the output checker only
    separation = output_gate.gate_terms(pd.DataFrame({"term": ["const", "g[b]", "k[z]"], "ml_finite": True}), r,
                                        ["g", "h"])
    assert separation["ml_finite"].isna().all()


def test_control_the_old_gate_showed_them_and_they_carry_the_unrecorded_table(monkeypatch):
    f = _frame()
    r = output_gate.group_release(f, ["g", "h"], {"g": ["a", "b"], "h": ["u", "v"]}, 10)
    monkeypatch.setattr(output_gate, "_foreign_models",
                        lambda table, factor, predictors: pd.Series(False, index=table.index))  # the gate before
    added = _fit(f, ["g", "h", "k"])
    old = output_gate.gate_terms(added, r, ["g", "h"])
    shown = old[old["coef"].notna()]
    assert set(shown["term"]) == {"const", "g[b]", "h[v]"}  # the recorded predictors' rows went out
    alone = _fit(f, ["g", "h"]).set_index("term")["coef"]
    assert abs(shown.set_index("term").at["const", "coef"] - alone["const"]) > 0.1  # adjusted for k
