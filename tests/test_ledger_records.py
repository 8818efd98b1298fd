"""The data owner's decision after a refusal: list the recorded releases and withdraw one that never
left this machine (`python -m analysis releases`). The refusals said "decide with your data owner
whether the earlier release is withdrawn" while nothing could withdraw it but editing the private
ledger by hand."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import ledger, ledger_records

ROOT = Path(__file__).resolve().parents[1]


def _entry(n: int) -> ledger.Entry:
    return ledger.Entry("study", f"data:{n:064x}", "02", 10, ("2021-04-01",), {f"t|{n}": 10 + n})


@pytest.fixture
def three(tmp_path, monkeypatch):
    monkeypatch.setenv("VWNW_PRIVATE_DIR", str(tmp_path / "private"))
    for n in range(3):
        assert ledger.record(_entry(n))
    return tmp_path / "private"


def test_a_withdrawn_release_leaves_the_ledger_and_is_kept_with_its_reason(three):
    when = dt.datetime(2026, 12, 8, 1, 30, tzinfo=dt.UTC)
    gone = ledger_records.withdraw(2, "trial run on the wrong file, never shared", now=when)
    assert gone == _entry(1)
    assert ledger.read() == [_entry(0), _entry(2)]
    kept = [json.loads(x) for x in (three / "releases" / "withdrawn.jsonl").read_text().splitlines()]
    assert len(kept) == 1 and kept[0]["reason"] == "trial run on the wrong file, never shared"
    assert kept[0]["withdrawn_at"] == "2026-12-08T01:30:00+00:00" and kept[0]["record"]["inputs"] == _entry(1).inputs
    assert oct(os.stat(three / "releases" / "ledger.jsonl").st_mode & 0o777) == "0o600"
    assert oct(os.stat(three / "releases" / "withdrawn.jsonl").st_mode & 0o777) == "0o600"


@pytest.mark.parametrize("number, reason, says", [(4, "wrong file", "holds 3 release(s), numbered 1 to 3"),
                                                  (0, "wrong file", "numbered 1 to 3"),
                                                  (1, "  ", "why the release is withdrawn")])
def test_a_wrong_number_or_no_reason_withdraws_nothing(three, number, reason, says):
    before = (three / "releases" / "ledger.jsonl").read_bytes()
    with pytest.raises(ValueError, match=re.escape(says)):
        ledger_records.withdraw(number, reason)
    assert (three / "releases" / "ledger.jsonl").read_bytes() == before
    assert not (three / "releases" / "withdrawn.jsonl").exists()


def test_the_command_lists_and_withdraws(three):
    env = {**os.environ, "VWNW_PRIVATE_DIR": str(three), "PYTHONPATH": str(ROOT / "src")}

    def run(*args):
        return subprocess.run([sys.executable, "-m", "analysis", "releases", *args], capture_output=True, text=True,
                              env=env, cwd=ROOT, timeout=120)

    listed = run()
    assert listed.returncode == 0 and len(listed.stdout.splitlines()) == 3
    assert listed.stdout.splitlines()[1].split()[:3] == ["2", "study", "02"]
    assert run("--reason", "x").returncode == 1  # a reason without a release to withdraw
    done = run("--withdraw", "1", "--reason", "never shared")
    assert done.returncode == 0 and "withdrawn: release 1" in done.stdout, done.stderr
    assert len(run().stdout.splitlines()) == 2
