"""A missing input named in a run configuration is refused before any kernel starts
(newpilot2's F9: README's catering command without its file started six kernels, five of
which failed with the same missing file, after a minute)."""

from __future__ import annotations

import subprocess
import sys

from analysis import paths
from analysis.pipeline.parameter_rules import path_problem, run_problems
from analysis.pipeline.runs import NotebookRun

MISSING = "data/raw/private/no_such_export_h37n.xlsx"


def test_a_missing_input_is_a_parameter_problem(tmp_path):
    assert not (paths.PROJECT_ROOT / MISSING).exists()
    problem = path_problem("participants_path", MISSING, tmp_path / "reports")
    assert problem is not None and "does not exist" in problem and MISSING in problem
    run = NotebookRun("02_x", paths.NOTEBOOKS / "02_pilot_participants.ipynb", {"participants_path": MISSING})
    assert any("does not exist" in p for p in run_problems(run, tmp_path / "reports"))
    assert path_problem("participants_path", "data/raw/pilot_participants_synthetic.csv", tmp_path / "reports") is None
    assert path_problem("status_history_path", "", tmp_path / "reports") is None  # empty: no status history


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
