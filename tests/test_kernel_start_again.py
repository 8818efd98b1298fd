"""A kernel that died before it ran anything is started once more (CI: 'Kernel died before
replying to kernel_info' failed a module's runs on a quiet machine); a cell's error, or a
second kernel that does not start either, is reported as before."""

from pathlib import Path
from unittest import mock

import papermill
import pytest

from analysis.pipeline import execute

RUN = mock.MagicMock(notebook=Path("nb.ipynb"), parameters={})
RUN.name = "nb"


def _calls(*outcomes):
    """papermill's execute_notebook replaced: each call raises the next outcome (None: returns)."""
    todo = list(outcomes)

    def fake(*_a, **_k):
        outcome = todo.pop(0)
        if outcome is not None:
            raise outcome
    return mock.MagicMock(side_effect=fake)


def _execute(monkeypatch, fake):
    monkeypatch.setattr(papermill, "execute_notebook", fake)
    monkeypatch.setattr(execute, "kernel_arguments", lambda *a: [])
    execute._execute(RUN, Path("out.ipynb"), {}, Path("staging"), None)


def test_a_kernel_that_died_before_its_first_reply_is_started_again(monkeypatch):
    fake = _calls(RuntimeError("Kernel died before replying to kernel_info"), None)
    _execute(monkeypatch, fake)
    assert fake.call_count == 2


@pytest.mark.parametrize("error", [RuntimeError("Kernel didn't respond in 60 seconds"), ValueError("a cell's error"),
                                   KeyboardInterrupt()])
def test_any_other_failure_is_not_run_again(monkeypatch, error):
    fake = _calls(error, None)
    with pytest.raises(type(error)):
        _execute(monkeypatch, fake)
    assert fake.call_count == 1


def test_a_second_kernel_that_does_not_start_either_is_reported(monkeypatch):
    died = RuntimeError("Kernel died before replying to kernel_info")
    fake = _calls(died, died, None)
    with pytest.raises(RuntimeError):
        _execute(monkeypatch, fake)
    assert fake.call_count == execute.KERNEL_STARTS == 2
