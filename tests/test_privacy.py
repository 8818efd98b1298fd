"""Personal data never leak into git: private data is ignored, and no tracked file other
than the synthetic raw file holds a participant record."""

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _git(*args):
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def tracked():
    try:
        return _git("ls-files").splitlines()
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")


def test_private_folder_is_ignored(tracked):
    assert [f for f in tracked if f.startswith("data/raw/private/")] == []
    probe = "data/raw/private/deelnemers.xlsx"
    assert _git("check-ignore", probe).strip() == probe


def test_reports_are_not_tracked(tracked):
    assert not [f for f in tracked if f.startswith("reports/")]


def test_no_tracked_file_holds_a_participant_record(tracked, pilot30):
    allowed = {"data/raw/pilot_participants_synthetic.csv", "data/raw/pilot_status_history_synthetic.csv"}
    rows = [line for line in (ROOT / "data/raw/pilot_participants_synthetic.csv").read_text().splitlines()[1:]]
    ids = list(pilot30["deelnemer_id"])
    for f in tracked:
        if f in allowed or f.startswith("tests/corpus/"):
            continue  # the corpus is derived from the synthetic file on purpose
        path = ROOT / f
        if not path.is_file() or path.stat().st_size > 5_000_000:
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        assert not any(r in text for r in rows), f"{f} contains a row of the participant file"
        assert not any(i in text for i in ids), f"{f} contains a participant id"


def test_committed_notebooks_hold_no_outputs(tracked):
    import nbformat

    for f in tracked:
        if f.startswith("notebooks/") and f.endswith(".ipynb"):
            nb = nbformat.read(ROOT / f, as_version=4)
            assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), f"{f} has outputs"


def test_codebook_is_up_to_date():
    from analysis.codebook import render

    assert (ROOT / "data/raw/README.md").read_text() == render() + "\n", "run `make codebook`"
