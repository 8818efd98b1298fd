"""A failed run prints the whole cause in the terminal and its advice repeats the invocation
that failed (newpilot2's F4: only the error's last line was shown, and the advice said
``make report`` for a run started with ``--config``)."""

from __future__ import annotations

import sys

import pytest
from IPython.core.ultratb import AutoFormattedTB
from papermill.exceptions import PapermillExecutionError

from analysis.pipeline import runs as run_config
from analysis.pipeline.execute import _failure_message
from analysis.pipeline.invocation import rerun_command

CONFIG = ["report", "--config", "studies/klantcontact_parkstad_2025.report.yml", "--only", "02_x-k"]


@pytest.mark.parametrize("argv, environ, said", [
    (CONFIG, {}, ".venv/bin/python -m analysis report --config studies/klantcontact_parkstad_2025.report.yml "
                 "--only 02_x-k"),
    (["report", "-j", "2", "--config", "studies/a b.yml", "--force"], {"MAKELEVEL": "1"},
     "make report ARGS='--config '\"'\"'studies/a b.yml'\"'\"' --force'"),
    (["report", "-j", "2"], {"MAKELEVEL": "1"}, "make report"),
    (["report", "--config", "x.yml"], {"MAKELEVEL": "1"}, ".venv/bin/python -m analysis report --config x.yml"),
])
def test_the_advice_repeats_the_invocation(argv, environ, said):
    assert rerun_command(argv, environ) == said


def _kernel_traceback() -> tuple[str, str, list[str]]:
    """An error's traceback as an IPython kernel sends it (colour codes and all)."""
    def draw_bars(counts):
        return len(counts["x"])

    def cell():
        return draw_bars([1, 2])

    try:
        cell()
    except TypeError as err:
        return type(err).__name__, str(err), AutoFormattedTB(mode="Context").structured_traceback(*sys.exc_info())
    raise AssertionError("no error")


def test_a_cell_error_shows_where_it_was_raised_and_the_command_to_rerun(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["analysis", *CONFIG])
    monkeypatch.delenv("MAKELEVEL", raising=False)
    ename, evalue, traceback = _kernel_traceback()
    error = PapermillExecutionError(19, 6, "fig = draw(...)", ename, evalue, traceback)
    message = _failure_message(run_config.NotebookRun("02_x", tmp_path / "02_x.ipynb"), error, None)
    assert f"at cell 19 (In [6]): TypeError: {evalue}" in message
    assert "draw_bars(counts)" in message and 'return len(counts["x"])' in message  # the innermost frame
    assert "cell()" in message and message.index("cell()\n") < message.index("draw_bars(counts)")
    assert "\x1b[" not in message  # no colour codes
    assert "rerun `.venv/bin/python -m analysis report --config studies/klantcontact_parkstad_2025.report.yml " \
           "--only 02_x-k`" in message and "`make report`" not in message
