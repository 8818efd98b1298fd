"""The files a study file names beside itself (its published facts, its exhibits): where they
are and how they are read, with the project's strict YAML loader (bounded size and aliases),
each problem as (key, value, rule) like the study file's own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from analysis.strict_yaml import YamlLimitError, load


def side_path(study_file: Path, name: str) -> Path:
    """The file ``name`` relative to the study file's folder."""
    return (Path(study_file).parent / str(name)).resolve()


def read_side_yaml(path: Path, key: str, missing_rule: str, problems: list) -> tuple[bool, Any]:
    """``(True, document)`` of ``path``, or ``(False, None)`` with the problem appended: the
    file is missing (``key``, its name, ``missing_rule``) or not valid YAML."""
    if not path.is_file():
        problems.append((key, str(path.name), missing_rule))
        return False, None
    try:
        return True, load(path.read_text(encoding="utf-8"), path.name)
    except YamlLimitError as err:
        problems.append((f"{key} ({path.name})", None, f"must be valid YAML: {err}"))
        return False, None
