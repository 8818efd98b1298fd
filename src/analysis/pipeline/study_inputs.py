"""A run of a study that leaves its input files to the notebook's defaults (the default
study's synthetic files) reads the study's own synthetic files instead
(:func:`analysis.pilot.schema.study_inputs`, in the kernel). The runner names those files in
the run's parameters before anything else reads them, so that the fingerprint, the page's
"made from" statement and the provenance name the files the kernel reads (hostile round 15,
H12: a page of the second study named the default study's file and its hash beside the 64
people of its own file)."""

from __future__ import annotations

from typing import Any

from analysis.study import DEFAULT_STUDY, synthetic_section

PATHS = (("participants_path", "participants"), ("status_history_path", "status_history"))


def own_inputs(parameters: dict[str, Any], declared: dict[str, Any]) -> dict[str, Any]:
    """``parameters`` with the study's own synthetic files as ``participants_path`` and
    ``status_history_path`` when the run's study is not the default study and both are left
    at the notebook's defaults (given as those, or not given) that name the default study's
    synthetic files; else ``parameters`` as they are (an unknown study is refused elsewhere)."""
    study = parameters.get("study", declared.get("study"))
    if "participants_path" not in declared or not isinstance(study, str) or not study:
        return parameters
    try:  # the files as written, not the validated study: its own check refuses a broken one
        (own_id, own), (default_id, default) = synthetic_section(study), synthetic_section(DEFAULT_STUDY)
    except (OSError, ValueError):
        return parameters
    if not own_id or own_id == default_id or "participants" not in own:
        return parameters
    named = [name for name, _ in PATHS if name in declared]
    if any(parameters.get(name, declared[name]) != (default.get(role) or "") for name, role in PATHS if name in named):
        return parameters
    return {**parameters, **{name: own.get(role) or "" for name, role in PATHS if name in named}}
