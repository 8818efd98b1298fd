"""The runner's error: the lowest module of the pipeline, so that the modules that check a
run configuration (:mod:`analysis.pipeline.config_shape`, :mod:`analysis.pipeline.parameter_rules`)
raise it without importing the module that builds the runs (:mod:`analysis.pipeline.runs`,
which imports them and keeps the name)."""

from __future__ import annotations


class ReportError(RuntimeError):
    """A run failed; the message tells which notebook, where and what to do."""
