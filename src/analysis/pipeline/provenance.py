"""Provenance: git commit, parameters and input hashes that travel with every output.

One format and one writer: :meth:`Provenance.records` is the list of (key, value) pairs
every rendering shows (the XLSX ``provenance`` sheet, the notebook's provenance cell);
:meth:`Provenance.as_dict` is the same content structured for the JSON sidecar, and
:meth:`Provenance.write` is the only code that writes a sidecar."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis import paths
from analysis.files import sha256_file, write_text_atomically


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

    def records(self) -> list[tuple[str, str]]:
        """(key, value) rows: ``notebook``, ``git_commit``, ``parameter:<name>``, ``sha256:<input>``."""
        rows = [("notebook", self.notebook), ("git_commit", self.commit)]
        rows += [(f"parameter:{k}", _text(v)) for k, v in sorted(self.parameters.items())]
        rows += [(f"sha256:{k}", v) for k, v in sorted(self.inputs.items())]
        return rows

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"

    def write(self, path: Path) -> Path:
        """The JSON sidecar ``path`` (replaced atomically)."""
        write_text_atomically(Path(path), self.to_json())
        return Path(path)

    def as_markdown(self, lang: str = "en") -> str:
        t = PAGE_TEXT["nl" if lang == "nl" else "en"]
        cells = [("git commit" if k == "git_commit" else k.replace(":", " ", 1), v) for k, v in self.records()[1:]]
        return f"| {t['key']} | {t['value']} |\n|---|---|\n" + "\n".join(f"| {k} | `{v}` |" for k, v in cells)

    def page_cell(self, run_name: str, duration: float, lang: str = "en") -> str:
        """The markdown at the end of a run's page: which run made it, how, and this record,
        in the page's language."""
        from analysis.presentation import formats

        t = PAGE_TEXT["nl" if lang == "nl" else "en"]
        return t["cell"].format(run=run_name, notebook=self.notebook, seconds=formats.number(duration, lang, 1),
                                table=self.as_markdown(lang))


PAGE_TEXT = {
    "nl": {"cell": "**Herkomst.** Run `{run}` van `notebooks/{notebook}`, uitgevoerd met `python -m analysis report` "
                   "in {seconds} s.\n\n{table}", "key": "herkomst", "value": "waarde"},
    "en": {"cell": "**Provenance.** Run `{run}` of `notebooks/{notebook}`, executed by `python -m analysis report` "
                   "in {seconds} s.\n\n{table}", "key": "provenance", "value": "value"},
}


def _text(v: Any) -> str:
    value = _jsonable(v)
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


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
