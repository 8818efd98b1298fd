"""A notebook run by hand (JupyterLab, papermill) checks its parameters as the runner does
before any kernel starts (hostile round 14: ``-p power_sims 1000000000`` by hand sat in the
power cell until papermill's timeout)."""

from __future__ import annotations

import pytest

from analysis.pipeline.runs import declared_parameters
from analysis.release.run import checked_parameters

PILOT_NOTEBOOKS = ("02_pilot_participants", "03_outcome_models", "04_time_to_work")


@pytest.mark.parametrize("notebook", PILOT_NOTEBOOKS)
def test_every_notebook_s_own_defaults_pass(notebook):
    from analysis import paths

    defaults = declared_parameters(paths.PROJECT_ROOT / "notebooks" / f"{notebook}.ipynb")
    assert checked_parameters(notebook, dict(defaults)) == defaults


@pytest.mark.parametrize(("name", "value", "fragment"), [
    ("power_sims", 1_000_000_000, "between 0 and 100,000"),
    ("min_cell_count", 0, "between 1 and 1,000"),
    ("power_ns", list(range(2, 40)), "at most 12 items"),
    ("language", "de", "one of nl, en"),
])
def test_a_value_out_of_its_range_is_refused_in_the_kernel_with_the_runner_s_rule(name, value, fragment):
    with pytest.raises(ValueError) as caught:
        checked_parameters("03_outcome_models", {"cutoff_date": "2021-04-16", name: value})
    assert fragment in str(caught.value) and "03_outcome_models" in str(caught.value)

