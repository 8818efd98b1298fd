"""The ledger's files in the private folder are regular files of one name, each refused in one
line otherwise, at once and before anything is written (hostile round 14)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("kind", ["fifo lock", "hard-linked lock", "hard-linked ledger"])
def test_the_ledger_s_lock_and_file_are_regular_files_of_one_name(tmp_path, monkeypatch, kind):
    """Hostile round 14 (H21): a named pipe as ``releases/ledger.lock`` kept a real-data run
    waiting for ever after its notebook finished; a hard link as the ledger would append the
    records to a file outside the private folder."""
    import os

    from analysis import ledger

    monkeypatch.setenv("VWNW_PRIVATE_DIR", str(tmp_path / "private"))
    path = ledger.ledger_path()
    path.parent.mkdir(parents=True)
    outside = tmp_path / "outside.txt"
    outside.write_text("")
    if kind == "fifo lock":
        os.mkfifo(path.with_suffix(".lock"))
    elif kind == "hard-linked lock":
        os.link(outside, path.with_suffix(".lock"))
    else:
        os.link(outside, path)
    entry = ledger.Entry("s", "hmac:a", "02", 10, ("2021-04-16",), {"c": 12}, {}, ())
    with pytest.raises(ValueError, match="rm |hard link") as caught:
        ledger.record(entry)  # refused at once (a pipe opened without blocking)
    assert "\n" not in str(caught.value) and outside.read_text() == ""
