"""Each input is validated once per run: parallel kernels wait for the one validating a file
and read its copy (analysis.data.validate_once), and the status history has a validated
copy of its own, made against the participant file it was checked with."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap

import pandas as pd
import pytest

from analysis import paths
from analysis.pilot import history as pilot_history, inputs as pilot_inputs
from analysis.pilot.inputs import load_participants

RAW = paths.PROJECT_ROOT / "data" / "raw"
PARTICIPANTS = RAW / "pilot_participants_synthetic.csv"
HISTORY = RAW / "pilot_status_history_synthetic.csv"

LOADER = textwrap.dedent("""
    import sys, time
    from analysis.data import loading
    real = loading.validate_frame
    def counted(*a, **k):
        with open(sys.argv[3], "a") as fh:
            fh.write("validated\\n")
        time.sleep(3.0)  # a slow validation: the other process arrives while it runs
        return real(*a, **k)
    loading.validate_frame = counted
    from analysis.pilot.schema import PARTICIPANTS
    loading.load_table(sys.argv[1], PARTICIPANTS, sys.argv[2])
""")


def test_two_processes_loading_one_file_validate_it_once(tmp_path):
    raw = tmp_path / "participants.csv"
    shutil.copyfile(PARTICIPANTS, raw)
    log = tmp_path / "validations.log"
    script = tmp_path / "load.py"
    script.write_text(LOADER)
    procs = [subprocess.Popen([sys.executable, str(script), str(raw), str(tmp_path / "processed"), str(log)])
             for _ in range(2)]
    assert [p.wait(timeout=300) for p in procs] == [0, 0]
    assert log.read_text().splitlines() == ["validated"]  # without the lock: two


def test_the_history_is_validated_once_and_read_from_its_copy(tmp_path, monkeypatch):
    processed = tmp_path / "processed"
    participants = load_participants(PARTICIPANTS, processed)
    first = pilot_inputs.load_history_for(PARTICIPANTS, HISTORY, participants, processed)
    pd.testing.assert_frame_equal(first, pilot_history.load_history(HISTORY, participants))

    def refuse(*_):
        raise AssertionError("validated again")

    monkeypatch.setattr(pilot_history, "load_history", refuse)
    again = pilot_inputs.load_history_for(PARTICIPANTS, HISTORY, participants, processed)
    pd.testing.assert_frame_equal(again, first)


def test_the_history_copy_is_not_used_with_another_participant_file(tmp_path, monkeypatch):
    processed = tmp_path / "processed"
    participants = load_participants(PARTICIPANTS, processed)
    pilot_inputs.load_history_for(PARTICIPANTS, HISTORY, participants, processed)
    other = tmp_path / "pilot_participants_synthetic.csv"  # same name, other bytes: one row fewer
    lines = PARTICIPANTS.read_text(encoding="utf-8").splitlines(keepends=True)
    other.write_text("".join(lines[:-1]), encoding="utf-8")
    fewer = load_participants(other, processed)
    with pytest.raises(Exception, match="every person in the status history must be a participant"):
        pilot_inputs.load_history_for(other, HISTORY, fewer, processed)
