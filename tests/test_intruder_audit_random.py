"""Both intruder audits on 200 seeded random populations of 12 to 500 participants at
threshold 10: notebook 02's joint release (both cut-off dates) and notebook 03's model
release are computed once per population, then attacked by the hand-written model of
``test_intruder_audit`` and from the ledger's record of them (``release.audit``, issue 23).
About 1 s of CPU per population (the gate's and the intruders' integer programmes); in 4
chunks so that pytest's workers share it and a failure names fewer seeds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.pilot import tables as pt
from analysis.pilot.synthetic import generate_participants
from analysis.release import audit
from tests.test_intruder_audit import K, attack_by_hand
from tests.test_ledger_audit import entry

SEEDS = range(200)
PREDICTORS = ["triage", "opleiding"]


def _population(seed: int) -> pd.DataFrame:
    n = int(np.random.default_rng(seed).integers(12, 501))
    return generate_participants(n, seed=1000 + seed)


def _attacks(df: pd.DataFrame) -> list[str]:
    published, comparison, r02 = pt.joint_figure_tables(df, K)
    r03 = pt.model_release(df, PREDICTORS, "work", "2021-04-16", "stayed", K, published)
    recorded = [entry(r02), entry(r03)]  # as the ledger records them, before anything else reads them
    from_ledger = [f"ledger: {x}" for e in recorded for x in audit.attack_entry(e)]
    return from_ledger + attack_by_hand(df, K, (published, comparison, r02), r03, PREDICTORS)


@pytest.mark.slow
@pytest.mark.audit
@pytest.mark.parametrize("chunk", range(4))
def test_random_populations_withstand_both_attacks(chunk):
    failures = {}
    for seed in SEEDS[chunk::4]:
        df = _population(seed)
        bad = _attacks(df)
        if bad:
            failures[(seed, len(df))] = bad[:5]
    assert not failures, failures
