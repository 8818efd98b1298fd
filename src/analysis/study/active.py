"""The study the running process works with (a kernel runs one notebook, so one study per
process): :func:`analysis.pilot.schema.use_study` makes a study active; the presentation
layer reads its labels, exhibits and chapter titles from here, so it needs no import of the
pilot modules. Without an activation the default study is active."""

from __future__ import annotations

from analysis.study.load import load_study
from analysis.study.model import Study

_ACTIVE: list[Study] = []


def activate(study: Study) -> Study:
    """Make ``study`` the active study; returns it."""
    _ACTIVE[:] = [study]
    return study


def active_study() -> Study:
    """The active study (the default study until one is activated)."""
    return _ACTIVE[0] if _ACTIVE else activate(load_study())
