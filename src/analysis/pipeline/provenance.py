"""Provenance: git commit, parameters and input hashes that travel with every output."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis import paths
from analysis.files import sha256_file


def git_commit(root: Path | None = None) -> str:
    """``git describe``-style commit of the working tree, ``-dirty`` when uncommitted
    changes exist, ``unknown`` outside a checkout."""
    root = root or paths.PROJECT_ROOT
    try:
        out = subprocess.run(
            ["git", "describe", "--always", "--dirty", "--abbrev=12", "--exclude=*"],
            cwd=root, capture_output=True, text=True, timeout=10, check=True,
        )
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def display_path(path: str | Path) -> str:
    """A path as shown in outputs: relative to the project root when inside it, else
    only its file name (absolute paths of private data never enter an output)."""
    p = Path(path).resolve()
    try:
        return p.relative_to(paths.PROJECT_ROOT).as_posix()
    except ValueError:
        return f"<outside project>/{p.name}"


@dataclass(frozen=True)
class Provenance:
    notebook: str
    parameters: Mapping[str, Any]
    inputs: Mapping[str, str] = field(default_factory=dict)  # display path -> sha256
    commit: str = "unknown"

    @classmethod
    def collect(cls, notebook: str, parameters: Mapping[str, Any],
                inputs: Mapping[str, str | Path] | None = None) -> Provenance:
        hashed = {display_path(p): sha256_file(p) for p in (inputs or {}).values()}
        return cls(notebook=notebook, parameters=dict(parameters), inputs=hashed,
                   commit=git_commit())

    def as_dict(self) -> dict[str, Any]:
        return {"notebook": self.notebook, "git_commit": self.commit,
                "parameters": {k: _jsonable(v) for k, v in sorted(self.parameters.items())},
                "inputs_sha256": dict(sorted(self.inputs.items()))}

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"

    def as_markdown(self) -> str:
        rows = [f"| git commit | `{self.commit}` |"]
        rows += [f"| parameter `{k}` | `{_jsonable(v)}` |" for k, v in sorted(self.parameters.items())]
        rows += [f"| input `{k}` | sha256 `{v}` |" for k, v in sorted(self.inputs.items())]
        return "| provenance | value |\n|---|---|\n" + "\n".join(rows)


def _jsonable(v: Any) -> Any:
    if isinstance(v, (str, int, float, bool)) or v is None:
        return v
    if isinstance(v, Path):
        return display_path(v)
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, Mapping):
        return {str(k): _jsonable(x) for k, x in v.items()}
    return str(v)
