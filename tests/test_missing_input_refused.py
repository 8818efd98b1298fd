"""A missing input named in a run configuration is refused before any kernel starts
(newpilot2's F9: README's catering command without its file started six kernels, five of
which failed with the same missing file, after a minute)."""

from __future__ import annotations

import subprocess
import sys

from analysis import paths
from analysis.pipeline.parameter_rules import missing_input_problem, run_problems
from analysis.pipeline.runs import NotebookRun

MISSING = "data/raw/private/no_such_export_h37n.xlsx"


def test_a_missing_input_is_a_parameter_problem(tmp_path):
    assert not (paths.PROJECT_ROOT / MISSING).exists()
    problem = missing_input_problem("participants_path", MISSING)
    assert problem is not None and "does not exist" in problem and MISSING in problem
    run = NotebookRun("02_x", paths.NOTEBOOKS / "02_pilot_participants.ipynb", {"participants_path": MISSING})
    assert any("does not exist" in p for p in run_problems(run, tmp_path / "reports"))
    assert missing_input_problem("participants_path", "data/raw/pilot_participants_synthetic.csv") is None
    assert missing_input_problem("status_history_path", "") is None  # empty: no status history
    assert not any("does not exist" in p for p in run_problems(run, tmp_path / "reports", inputs=False))  # dry run


def test_the_report_command_refuses_it_before_any_kernel_starts(tmp_path):
    config = tmp_path / "runs.yml"
    config.write_text("runs:\n  02_pilot_participants:\n    - suffix: missing\n      parameters: "
                      f"{{participants_path: {MISSING}, status_history_path: \"\", min_cell_count: 10}}\n",
                      encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "analysis", "report", "--config", str(config), "--reports",
                           str(tmp_path / "reports")], cwd=paths.PROJECT_ROOT, capture_output=True, text=True,
                          timeout=300)
    text = done.stdout + done.stderr
    assert done.returncode != 0 and "does not exist" in text and "Nothing was run" in text, text
    assert "executing" not in text and "failed at cell" not in text


def test_a_run_of_another_study_that_leaves_its_cutoff_date_to_the_notebook_is_refused(tmp_path):
    """newpilot2's F15: notebook 04's default cutoff_date (a date of the default study) was
    published jointly with another study's runs and failed every run after a minute of kernels;
    it is said before any kernel starts, naming the study's own dates."""
    from analysis.study import load_study

    notebook = paths.NOTEBOOKS / "04_time_to_work.ipynb"
    other = load_study("schoonmaak_twente_2023")
    left = NotebookRun("04_x", notebook, {"study": other.id})
    problems = run_problems(left, tmp_path / "reports")
    assert any("cutoff_date is left to the notebook" in p and other.snapshots[1] in p for p in problems), problems
    own = NotebookRun("04_x", notebook, {"study": other.id, "cutoff_date": other.snapshots[1]})
    assert not any("cutoff_date" in p for p in run_problems(own, tmp_path / "reports"))
    default = NotebookRun("04_x", notebook, {})
    assert not any("cutoff_date" in p for p in run_problems(default, tmp_path / "reports"))
