"""Hostile inputs, what hostile round 13 left open (issue 28, H36h): a committed publication
that cannot be completed, an invisible or look-alike character in a label matched by a
pattern, messages that quote a value whole, advise what does not exist or blame the wrong
cause, and an oversized export refused only inside a kernel. Each test fails on main as it
was (4f77e40)."""

from __future__ import annotations

import errno
import json
import os

import pytest

from analysis.pipeline import journal, state as run_state

# --- a publication that stops part way ------------------------------------------------------------------------------

def _staged(reports, files: dict[str, str]) -> dict:
    """A committed-to-be publication of run 'a' staging ``files`` (path: text); its state."""
    import hashlib

    for rel, text in files.items():
        (reports / journal.STAGING / "a" / rel).parent.mkdir(parents=True, exist_ok=True)
        (reports / journal.STAGING / "a" / rel).write_text(text)
    return {"a": {"status": "ok", "outputs": {rel: hashlib.sha256(text.encode()).hexdigest()
                                             for rel, text in files.items()}}}


def _refusing(monkeypatch, name: str, code: int) -> None:
    """``os.replace`` fails with ``code`` on a destination called ``name`` (an immutable file,
    ``chattr +i``, or one in a read-only folder: what root and a user meet alike)."""
    real = os.replace

    def replace(src, dest, *args, **kwargs):
        if os.path.basename(dest) == name:
            raise OSError(code, os.strerror(code), str(src), None, str(dest))
        return real(src, dest, *args, **kwargs)

    monkeypatch.setattr(journal.os, "replace", replace)


@pytest.mark.parametrize(("code", "remedy"), [(errno.EPERM, "chattr -i"), (errno.EACCES, "chmod u+w"),
                                              (errno.ENOSPC, "Free space")])
def test_a_file_that_cannot_be_replaced_mid_publication_is_said_as_half_published(tmp_path, monkeypatch, code,
                                                                                  remedy):
    """Round 13: ``chattr +i`` on a published file gave "nothing was published from this run"
    while the journal was half applied (the other run's table was already new)."""
    reports = tmp_path / "reports"
    (reports / "tables").mkdir(parents=True)
    (reports / "tables" / "t.csv").write_text("old t\n")
    (reports / "tables" / "u.csv").write_text("old u\n")
    state = _staged(reports, {"tables/t.csv": "new t\n", "tables/u.csv": "new u\n"})
    _refusing(monkeypatch, "u.csv", code)
    with pytest.raises(journal.PublishError) as caught:
        journal.commit(reports, [("a", "tables/t.csv"), ("a", "tables/u.csv")], [], state,
                       lambda st: run_state.write_state(reports, st))
    message = str(caught.value)
    assert (reports / "tables" / "t.csv").read_text() == "new t\n"  # the half that was applied
    assert "nothing was published" not in message.lower()
    for fragment in ("stopped part way", "tables/u.csv", "cannot be replaced", remedy, "rerun `make report`",
                     "completes this publication first"):
        assert fragment in message
    assert "\n" not in message and (reports / journal.JOURNAL_FILE).is_file()


def test_the_half_published_journal_stays_until_the_cause_is_removed_then_completes(tmp_path, monkeypatch):
    reports = tmp_path / "reports"
    (reports / "tables").mkdir(parents=True)
    state = _staged(reports, {"tables/t.csv": "new t\n"})
    entry = {"version": 2, "moves": [["a", "tables/t.csv"]], "remove": [], "state": state}
    (reports / journal.JOURNAL_FILE).write_text(json.dumps(entry))
    _refusing(monkeypatch, "t.csv", errno.EPERM)
    lines: list[str] = []
    with pytest.raises(journal.PublishError, match="stopped part way"):
        journal.recover(reports, lambda st: run_state.write_state(reports, st), lines.append)
    assert (reports / journal.JOURNAL_FILE).is_file() and not (reports / ".journal.failed.json").exists()
    monkeypatch.undo()
    assert journal.recover(reports, lambda st: run_state.write_state(reports, st), lines.append) is True
    assert (reports / "tables" / "t.csv").read_text() == "new t\n" and run_state.read_state(reports) == state
