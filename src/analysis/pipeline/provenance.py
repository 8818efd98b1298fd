"""Provenance: git commit, parameters and input hashes that travel with every output.

One format and one writer: :meth:`Provenance.records` is the list of (key, value) pairs
every rendering shows (the XLSX ``provenance`` sheet, the notebook's provenance cell);
:meth:`Provenance.as_dict` is the same content structured for the JSON sidecar, and
:meth:`Provenance.write` is the only code that writes a sidecar."""

from __future__ import annotations

import hashlib
import json
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis import paths
from analysis.data.digests import sha256_of
from analysis.files import write_text_atomically
from analysis.private_data import PRIVATE_LABEL, keyed_hash, release_context, shown_identity, shown_parameter


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


def inputs_digest(parameters: Mapping[str, Any]) -> str:
    """The sha256 of every input file a run's parameters name (``*_path``), together: mixed
    into each private input's keyed hash (:func:`analysis.private_data.release_context`), so
    that a change to any input changes every published hash of the release."""
    digest = hashlib.sha256()
    for name, value in sorted(parameters.items()):
        if name.endswith("_path") and isinstance(value, str) and value.strip():
            p = paths.resolve(value)
            if p.is_file():
                digest.update(f"{name}\0{sha256_of(p)}\0".encode())
    return digest.hexdigest()


def display_path(path: str | Path) -> str:
    """A path as shown in outputs: relative to the project root when inside it, else
    a placeholder (absolute paths and names of private files never enter an output)."""
    p = Path(path).resolve()
    try:
        return p.relative_to(paths.PROJECT_ROOT).as_posix()
    except ValueError:
        return "<outside the project>"  # a file name can hold a person's name or number


# where a run writes, not what it was made from: no provenance of a result. The runner's staging
# folder (outside the project) was shown as "private input" on synthetic runs (review 14)
WHERE_WRITTEN = ("output_dir",)


@dataclass(frozen=True)
class Provenance:
    notebook: str
    parameters: Mapping[str, Any]
    inputs: Mapping[str, str] = field(default_factory=dict)  # shown name -> sha256 or keyed hash
    commit: str = "unknown"

    @classmethod
    def collect(cls, notebook: str, parameters: Mapping[str, Any],
                inputs: Mapping[str, str | Path] | None = None, private: bool = False) -> Provenance:
        """Provenance of a run. A shipped input is named by its path in the project with its
        sha256; any other input (or every input, when ``private``: the data are not
        synthetic) as ``private input (<role>)`` with a keyed hash
        (:mod:`analysis.private_data`), and a path parameter naming it as ``private input``. The
        output folder (:data:`WHERE_WRITTEN`) is left out: it is not an input."""
        hashed, hidden = {}, set()
        joint = inputs_digest(parameters)
        for role, path in (inputs or {}).items():
            name, digest = shown_identity(path, dict(parameters), joint)
            if private and name != PRIVATE_LABEL:
                name, digest = PRIVATE_LABEL, keyed_hash(path, release_context(dict(parameters), joint))
            if name == PRIVATE_LABEL:  # a role, never a file name
                name = f"{PRIVATE_LABEL} ({role})" if role.isidentifier() else f"{PRIVATE_LABEL} {len(hidden) + 1}"
                hidden.add(Path(path).resolve())
            hashed[name] = digest
        shown = {k: PRIVATE_LABEL if _names_private(v, hidden) else shown_parameter(k, v)
                 for k, v in parameters.items() if k not in WHERE_WRITTEN}
        return cls(notebook=notebook, parameters=shown, inputs=hashed, commit=git_commit())

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
        def key(k: str) -> str:  # the record's kind in words, its name as code (a parameter is not prose)
            kind, _, name = k.partition(":")
            return "git commit" if k == "git_commit" else f"{kind} `{name}`" if name else kind
        cells = [(key(k), v) for k, v in self.records()[1:]]
        return f"| {t['key']} | {t['value']} |\n|---|---|\n" + "\n".join(f"| {k} | `{v}` |" for k, v in cells)

    def page_cell(self, run_name: str, duration: float, lang: str = "en") -> str:
        """The markdown at the end of a run's page: which run made it, how, and this record,
        in the page's language."""
        t = PAGE_TEXT["nl" if lang == "nl" else "en"]
        from analysis.presentation import formats  # on use: the no-op rerun starts without pandas and matplotlib
        return t["cell"].format(run=run_name, notebook=self.notebook, seconds=formats.number(duration, lang, 1),
                                table=self.as_markdown(lang))


PAGE_TEXT = {
    "nl": {"cell": "**Herkomst.** Run `{run}` van `notebooks/{notebook}`, uitgevoerd met `python -m analysis report` "
                   "in {seconds} s.\n\n{table}", "key": "herkomst", "value": "waarde"},
    "en": {"cell": "**Provenance.** Run `{run}` of `notebooks/{notebook}`, executed by `python -m analysis report` "
                   "in {seconds} s.\n\n{table}", "key": "provenance", "value": "value"},
}


def _names_private(value: Any, hidden: set[Path]) -> bool:
    """Whether a parameter value is the path of a private input (or of any file outside the
    project: no absolute path is ever published)."""
    if not isinstance(value, (str, Path)) or not str(value).strip():
        return False
    try:
        p = paths.resolve(str(value)).resolve()
    except (OSError, ValueError):
        return False
    root = paths.PROJECT_ROOT.resolve()
    return p in hidden or (Path(str(value)).expanduser().is_absolute() and root not in p.parents) \
        or (p.exists() and root not in p.parents and p != root)


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
