"""The intruder audit of ``test_intruder_audit`` on 200 seeded random populations of 12 to
500 participants at threshold 10: both runs of notebook 02 attacked together, and notebook
03's uptake rates. About 1 s of CPU per population (the gate's and the intruder's integer
programmes; 200 populations took 3 to 5 minutes of CPU on a shared 2-core machine); in its
own file so that pytest's workers run it beside the other audits."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.pilot.synthetic import generate_participants
from tests.test_intruder_audit import K, run_both

SEEDS = range(200)


def _population(seed: int) -> pd.DataFrame:
    n = int(np.random.default_rng(seed).integers(12, 501))
    return generate_participants(n, seed=1000 + seed)


@pytest.mark.slow
@pytest.mark.audit
@pytest.mark.parametrize("chunk", range(4))
def test_random_populations_withstand_the_attack(chunk):
    """200 seeded populations of 12 to 500 participants (about 1 s of CPU each: the gate's
    and the intruder's integer programmes), in 4 chunks so a failure names fewer seeds."""
    failures = {}
    for seed in SEEDS[chunk::4]:
        df = _population(seed)
        bad = run_both(df, K)
        if bad:
            failures[(seed, len(df))] = bad[:5]
    assert not failures, failures
