"""A run of another study that leaves cutoff_date at the notebook's default (the default study's
date) is refused before any kernel starts, naming the run and the study's own follow-up end
(newpilot2, F15: every kernel failed with a message blaming an earlier release)."""

from __future__ import annotations

from analysis import paths
from analysis.pipeline.runs import NotebookRun, study_date_problem
from analysis.study.load import load_study

NOTEBOOKS = paths.PROJECT_ROOT / "notebooks"


def test_another_study_without_its_own_cut_off_date_is_refused_with_its_follow_up_end():
    run = NotebookRun("04_time_to_work-schoonmaak", NOTEBOOKS / "04_time_to_work.ipynb",
                      {"study": "schoonmaak_twente_2023", "min_cell_count": 10})
    message = study_date_problem([run])
    end = load_study("schoonmaak_twente_2023").follow_up_end.isoformat()  # read from the study file
    assert message is not None and "04_time_to_work-schoonmaak" in message and f'cutoff_date: "{end}"' in message
    assert message.endswith("Nothing was run.")


def test_a_run_with_its_own_date_or_of_the_default_study_passes():
    own = NotebookRun("a", NOTEBOOKS / "04_time_to_work.ipynb",
                      {"study": "schoonmaak_twente_2023", "cutoff_date": "2024-01-15"})
    default = NotebookRun("b", NOTEBOOKS / "04_time_to_work.ipynb", {"study": "catering_noordoost_brabant_2021"})
    dwsra = NotebookRun("c", NOTEBOOKS / "01_dwsra_portfolio.ipynb", {"study": "schoonmaak_twente_2023"})
    assert study_date_problem([own, default, dwsra]) is None
