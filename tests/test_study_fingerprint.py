"""An edited study file reruns its runs (newpilot2, F11: after the evaluator changed the study
file the runner said "up to date (nothing to do)" and kept the old pages)."""

from __future__ import annotations

import shutil

from analysis import paths
from analysis.pipeline.runs import NotebookRun
from analysis.pipeline.state import fingerprint

NOTEBOOK = paths.PROJECT_ROOT / "notebooks" / "02_pilot_participants.ipynb"
CATERING = "catering_noordoost_brabant_2021"


def _copy_of_the_study(tmp_path):
    for name in (f"{CATERING}.yml", f"{CATERING}.facts.yml", "vwnw_pilot.exhibits.yml"):
        shutil.copyfile(paths.PROJECT_ROOT / "studies" / name, tmp_path / name)
    return tmp_path / f"{CATERING}.yml"


def test_the_study_file_and_the_files_it_names_are_in_the_fingerprint(tmp_path):
    study = _copy_of_the_study(tmp_path)
    run = NotebookRun("02", NOTEBOOK, {"study": str(study)})
    assert run.study_files() == [study, tmp_path / "vwnw_pilot.exhibits.yml", tmp_path / f"{CATERING}.facts.yml"]
    before = fingerprint(run, "code")
    assert fingerprint(run, "code") == before  # deterministic
    for edited in run.study_files():
        edited.write_text(edited.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
        after = fingerprint(run, "code")
        assert after != before, edited.name
        before = after


def test_a_run_without_a_study_parameter_reads_the_notebook_s_default_study():
    run = NotebookRun("02", NOTEBOOK, {})
    assert run.study_files()[0] == paths.PROJECT_ROOT / "studies" / f"{CATERING}.yml"


def test_a_notebook_without_a_study_has_none():
    run = NotebookRun("01", paths.PROJECT_ROOT / "notebooks" / "01_dwsra_portfolio.ipynb", {})
    assert run.study_files() == []
