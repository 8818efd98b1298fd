"""`verify` on a folder of private runs says what to do in one line (newpilot2, F12: a
traceback), and the folder it advises is one git ignores."""

from __future__ import annotations

import json
import subprocess

from analysis import paths
from analysis.cli import main
from analysis.private_data import PRIVATE_LABEL


def test_verify_of_a_private_run_is_one_line_with_advice_git_follows(tmp_path, capsys):
    reports = tmp_path / "reports-private"
    (reports / "tables").mkdir(parents=True)
    state = {"02": {"notebook": "02_pilot_participants.ipynb", "status": "ok",
                    "parameters": {"participants_path": PRIVATE_LABEL}}}
    (reports / ".runner-state.json").write_text(json.dumps(state), encoding="utf-8")
    assert main(["verify", "--reports", str(reports)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: run '02' read a private input") and "Traceback" not in err
    advised = err.split("--reports ", 1)[1].split()[0]
    ignored = subprocess.run(["git", "check-ignore", "-q", f"{advised}/tables/x.csv"], cwd=paths.PROJECT_ROOT)
    assert ignored.returncode == 0, f"{advised} is not ignored by git"
