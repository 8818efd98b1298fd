"""The exact Fisher-Freeman-Halton test where the tables number millions (enumerated in
chunks, analysis.stats.models.ffh_exact) against an enumeration written out here level by
level, and the choice of exact enumeration up to FFH_MAX_TABLES tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.special import gammaln

from analysis.stats import models


def ffh_by_loops(events, persons) -> tuple[float, int]:
    """Three levels: every (x1, x2) with x3 = m - x1 - x2, no more probable than observed."""
    (e1, e2, e3), (n1, n2, n3) = events, persons
    m, total = e1 + e2 + e3, n1 + n2 + n3

    def log_c(n, x):
        return gammaln(n + 1) - gammaln(x + 1) - gammaln(n - x + 1)

    observed = log_c(n1, e1) + log_c(n2, e2) + log_c(n3, e3)
    log_all = log_c(total, m)
    p, tables = 0.0, 0
    for x1 in range(0, min(n1, m) + 1):
        x2 = np.arange(0, min(n2, m - x1) + 1)
        x3 = m - x1 - x2
        x2, x3 = x2[(x3 >= 0) & (x3 <= n3)], x3[(x3 >= 0) & (x3 <= n3)]
        lp = log_c(n1, x1) + log_c(n2, x2) + log_c(n3, x3)
        keep = lp <= observed + np.log1p(models.FFH_TIE)
        p += float(np.exp(lp[keep] - log_all).sum())
        tables += len(lp)
    return p, tables


@pytest.mark.parametrize("events,persons", [((1700, 1200, 900), (5000, 4000, 3500)), ((30, 41, 29), (90, 80, 70))])
def test_chunked_enumeration_is_the_enumeration_by_loops(events, persons):
    want_p, want_tables = ffh_by_loops(events, persons)
    for chunk in (None, 997, 50_000):
        p, tables = models.ffh_exact(np.array(events), np.array(persons), chunk=chunk)
        assert tables == want_tables == models.ffh_table_count(persons, sum(events))
        assert p == pytest.approx(want_p, rel=1e-10)


def test_millions_of_tables_are_enumerated_not_approximated():
    persons, events = (5000, 4000, 3500), (1700, 1200, 900)  # 7.2 million tables
    frame = pd.DataFrame({"g": np.repeat(["a", "b", "c"], persons),
                          "y": np.concatenate([np.repeat([1, 0], [e, n - e]) for e, n in zip(events, persons)])})
    assert 2_000_000 < models.ffh_table_count(persons, sum(events)) <= models.FFH_MAX_TABLES
    row = models.exact_tests(frame, "g").set_index("test").filter(like="Fisher-Freeman-Halton", axis=0).iloc[0]
    assert row.name.endswith("exact (every table enumerated)")
    assert row["p_value"] == pytest.approx(ffh_by_loops(events, persons)[0], rel=1e-10)
    assert not row["p_upper_bound"]
