"""What a private run says and publishes of its folders: `verify` on private runs is one line
with advice git follows (newpilot2, F12: a traceback); a cache folder in the private folder is
never named (hostile round 14, H19)."""

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


def test_a_cache_folder_in_the_private_folder_is_never_published_by_name():
    """Hostile round 14 (H19): processed_dir = data/raw/private/proc_Jansen_BSN123456782 was
    published in plain on every provenance file and page of a private run."""
    from analysis.private_data import shown_parameter

    assert shown_parameter("processed_dir", "data/raw/private/proc_Jansen_BSN123456782") == PRIVATE_LABEL
    assert shown_parameter("processed_dir", "data/processed") == "data/processed"  # the project's own cache
