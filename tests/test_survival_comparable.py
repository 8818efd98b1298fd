"""Comparisons by triage path on the time-to-work page compare those who have a path. The
page reviewer found the log-rank test "from inflow, by triage path" called significant while
it carried a level "geen" (never triaged: the two who never started, who cannot reach
outflow) and a note that its variance was singular; the Cox model already left them out."""

import numpy as np
import pandas as pd

from analysis.release.survival import comparable
from analysis.stats import survival


def _durations() -> pd.DataFrame:
    rng = np.random.default_rng(5)
    rows = [{"time": float(rng.integers(10, 300)), "status": int(rng.random() < 0.7), "triage": str(1 + i % 3),
             "opleiding": "laag"} for i in range(60)]
    rows += [{"time": 0.0, "status": 2, "triage": "geen", "opleiding": "laag"} for _ in range(2)]  # never started
    return pd.DataFrame(rows)


def test_the_never_triaged_are_left_out_of_a_comparison_by_triage_only():
    d = _durations()
    assert set(comparable(d, ["triage"])["triage"]) == {"1", "2", "3"}
    assert len(comparable(d, ["opleiding"])) == len(d)


def test_with_them_the_log_rank_variance_is_singular_without_them_it_is_not():
    d = _durations()
    with_them, without = survival.logrank(d, "triage"), survival.logrank(comparable(d, ["triage"]), "triage")
    assert "singular" in with_them["note"] and with_them["df"] == 2  # four levels, df of three
    assert without["note"] == "" and without["df"] == 2  # three levels, df of three: the test of the paths
