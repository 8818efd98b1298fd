"""Project folders. Every relative path in a notebook parameter is resolved against the
project root, so notebooks behave the same in any JupyterLab (cwd ``notebooks/``), under
the runner and in a test.

The root is the folder holding this project's ``pyproject.toml`` and ``notebooks/``. It is
taken from, in this order:

1. the environment variable ``VWNW_PROJECT_ROOT``;
2. the open notebook: the path Jupyter gives the kernel (``JPY_SESSION_NAME``), or, in a
   kernel, its working directory, which JupyterLab, papermill and nbclient set to the
   notebook's folder; the first folder upwards that is the project;
3. the installed package: an editable install or a source checkout (``src/analysis``), or an
   environment inside the project (``.venv/lib/.../site-packages/analysis``);
4. the working directory of a command-line call, searching upwards.

A non-editable install used from outside the project (``pip install .`` into a conda
environment) therefore still finds it from the notebook or the command's folder. When
nothing matches, the working directory is used with a warning that says how to set
``VWNW_PROJECT_ROOT``.
"""

from __future__ import annotations

import os
import sys
import tomllib
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path

PROJECT_NAME = "vwnw-analysis"  # [project] name in pyproject.toml


def is_project_root(folder: Path) -> bool:
    """``folder`` holds this project's pyproject.toml and a notebooks/ folder."""
    pyproject = folder / "pyproject.toml"
    if not (pyproject.is_file() and (folder / "notebooks").is_dir()):
        return False
    try:
        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    return project.get("name") == PROJECT_NAME


def _upwards(start: Path) -> Path | None:
    start = start.resolve()
    for folder in (start, *start.parents):
        if is_project_root(folder):
            return folder
    return None


def candidates(env: Mapping[str, str], package_file: Path, cwd: Path, in_kernel: bool) -> Iterable[tuple[str, Path]]:
    """Where to look, in order, each with its name (see the module docstring)."""
    notebook = env.get("JPY_SESSION_NAME", "")
    if notebook and Path(notebook).expanduser().exists():
        yield "notebook", Path(notebook).expanduser().parent
    if in_kernel:
        yield "notebook", cwd
    yield "package", package_file.parent
    yield "cwd", cwd


def find_root(env: Mapping[str, str], package_file: Path, cwd: Path, in_kernel: bool) -> tuple[Path, str]:
    """The project root and how it was found: ``env``, ``notebook``, ``package``, ``cwd`` or ``fallback``."""
    explicit = env.get("VWNW_PROJECT_ROOT")
    if explicit:
        root = Path(explicit).expanduser().resolve()
        if not root.is_dir():
            raise FileNotFoundError(f"VWNW_PROJECT_ROOT={explicit} is not a folder")
        return root, "env"
    for how, start in candidates(env, package_file, cwd, in_kernel):
        root = _upwards(start)
        if root is not None:
            return root, how
    warnings.warn(f"no {PROJECT_NAME} project (pyproject.toml and notebooks/) found from the notebook, the "
                  f"installed package or {cwd}; using {cwd}. Set VWNW_PROJECT_ROOT to the project folder.",
                  stacklevel=2)
    return cwd.resolve(), "fallback"


PROJECT_ROOT, FOUND_BY = find_root(os.environ, Path(__file__), Path.cwd(), in_kernel="ipykernel" in sys.modules)
NOTEBOOKS = PROJECT_ROOT / "notebooks"
DATA_RAW = PROJECT_ROOT / "data" / "raw"
DATA_PROCESSED = PROJECT_ROOT / "data" / "processed"
REPORTS = PROJECT_ROOT / "reports"
REPORTS_PRIVATE = PROJECT_ROOT / "reports-private"  # what runs on private inputs publish (pipeline.private_runs)
SRC = PROJECT_ROOT / "src" / "analysis"


def resolve(path: str | os.PathLike[str]) -> Path:
    """Resolve ``path`` against the project root unless it is absolute."""
    p = Path(path).expanduser()
    return p if p.is_absolute() else (PROJECT_ROOT / p)
