"""Where a command may write: one rule for every writer (issue 28).

Each writer names its role, and :func:`write_problem` says why the path it is about to write
may not be written, or None:

- ``cache``: a run's ``*_dir`` parameter (``processed_dir``, a folder of validated copies);
- ``reports``: the runner's ``--reports`` folder (published as it is);
- ``draft``: ``inspect --draft`` (a mapping draft, a file);
- ``synthetic``: ``synthetic --out/--export`` and the files written beside them;
- ``output``: a notebook's ``output_dir`` in a run the runner did not start (JupyterLab,
  papermill by hand). The runner's own staging folder is accepted only as the runner
  announces it to the kernel it starts (:func:`announce_runner_output`), never by its name: a
  hand run with ``output_dir reports/html/.staging`` wrote into the published site (hostile
  round 14).

The rule, for every role: not a folder of the running system
(:func:`analysis.system_paths.system_folder`); not in a folder of the project's code,
notebooks, studies, tests, documentation or history (``src/``, ``notebooks/``,
``studies/``, ``tests/``, ``docs/``, ``benchmarks/``, ``tools/``, ``.git/``, ``.ci/``, ``.venv/``);
no symbolic link on any component of the path below the project folder (a linked
``data/processed`` or draft folder would make the write land where the link points, as a
linked ``reports/.lock`` did). Then per role: a cache and a reports folder are never in the
read-only raw data (``data/raw/``; a cache of real data may lie in the private folder,
``data/raw/private/processed``, where they are kept protected); a cache, a draft and a synthetic
file are never in a published folder (``reports/``, ``reports-private/``, the invocation's
reports folder, and any folder a report run published: one holding the runner's state or
journal, found upwards from the path), and a reports folder is never inside another published
folder (``--reports reports/html`` would publish a site inside the site). A notebook's output
folder is never in ``data/raw/`` at all. A draft may lie beside its export in
``data/raw/private/``, never elsewhere in ``data/raw/`` (hostile round 14, H15: ``inspect`` of a
shipped file wrote its draft into the read-only raw folder); a synthetic file there only when
its name says so (checked by the command).

Written by hand: the standard library resolves paths, but which folder holds what is this
project's own layout.
"""

from __future__ import annotations

import os
from pathlib import Path

from analysis import paths
from analysis.private_data import in_private_folder
from analysis.system_paths import system_folder
from analysis.terminal_text import visible

ROLES = ("cache", "reports", "draft", "synthetic", "output")
OWN_FOLDERS = ("src", "notebooks", "studies", "tests", "docs", "benchmarks", "tools", ".git", ".ci", ".venv")
_WHAT = {"cache": "a cache or scratch folder", "reports": "the reports folder", "draft": "a mapping draft",
         "synthetic": "a synthetic file", "output": "a notebook's output folder"}
RUN_MARKS = (".runner-state.json", ".journal.json")  # what only a report run writes into its folder
_RUNNER_OUTPUT: list[Path] = []  # the staging folder the runner announced to this kernel (one run per kernel)


def announce_runner_output(folder: str | Path) -> None:
    """Record, in a kernel the runner started, the staging folder it passes as ``output_dir``
    (the runner's ``--IPKernelApp.exec_lines``: :func:`analysis.pipeline.execute.kernel_arguments`)."""
    _RUNNER_OUTPUT[:] = [Path(os.path.abspath(folder)).resolve()]


def is_runner_output(folder: str | Path) -> bool:
    """Whether ``folder`` is the staging folder the runner announced to this process."""
    return bool(_RUNNER_OUTPUT) and Path(os.path.abspath(folder)).resolve() == _RUNNER_OUTPUT[0]


def published_by_a_run(folder: Path, include_self: bool = True) -> Path | None:
    """The nearest folder, from ``folder`` (resolved) upwards, that a report run wrote (it
    holds the runner's state or journal), else None."""
    folder = Path(folder)
    for candidate in ([folder] if include_self else []) + list(folder.parents):
        if any((candidate / mark).is_file() for mark in RUN_MARKS):
            return candidate
    return None


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _roots() -> list[Path]:
    root = Path(os.path.abspath(paths.PROJECT_ROOT))
    return list(dict.fromkeys((root, root.resolve())))


def linked_component(target: str | Path) -> Path | None:
    """The first component of ``target`` (as written, made absolute without following links)
    below the project folder that is a symbolic link; None when there is none or ``target``
    lies outside the project."""
    absolute = Path(os.path.abspath(target))
    for root in _roots():
        if absolute == root or root not in absolute.parents:
            continue
        current = root
        for part in absolute.relative_to(root).parts:
            current = current / part
            if current.is_symlink():
                return current
        return None
    return None


def _published(reports: Path | None) -> list[Path]:
    folders = [paths.REPORTS, paths.REPORTS_PRIVATE] + ([Path(reports)] if reports else [])
    return list(dict.fromkeys(Path(os.path.abspath(f)).resolve() for f in folders))


def write_problem(target: str | Path, role: str, reports: Path | None = None) -> str | None:
    """Why ``target`` may not be written in ``role`` (:data:`ROLES`), as the end of a sentence
    that starts with the option and the path (``--draft x.yml``), or None. For a file role
    (draft, synthetic) the folder it lies in is judged; for a folder role the folder itself."""
    assert role in ROLES, role
    what = _WHAT[role]
    absolute = Path(os.path.abspath(target))
    if system_folder(absolute) is not None:
        return f"is in a folder of the running system ({system_folder(absolute)}): it cannot be {what}"
    link = linked_component(absolute)
    if link is not None:
        return (f"passes through a symbolic link ({shown(link)} -> {shown(os.readlink(link))}): a write would land "
                f"where the link points; name the folder itself, or remove the link (rm {shown(link)})")
    resolved = absolute.resolve()
    folder = resolved.parent if role in ("draft", "synthetic") else resolved
    root = paths.PROJECT_ROOT.resolve()
    own = next((name for name in OWN_FOLDERS if _inside(folder, root / name)), None)
    if own is not None:
        return (f"is inside the project's {own}/ folder (code, notebooks, studies, tests, documentation): it cannot "
                f"be {what}; write outside them")
    raw = (paths.PROJECT_ROOT / "data" / "raw").resolve()

    kept_private = role == "cache" and in_private_folder(resolved)  # real data's copies stay with them
    if role in ("cache", "reports", "output") and _inside(resolved, raw) and not kept_private:
        return (f"is inside data/raw/, where the raw inputs are kept read-only: it cannot be {what}; use "
                + {"cache": "data/processed", "reports": "a new folder outside data/",
                   "output": "a folder of your own, e.g. 'scratch'"}[role])
    if role == "draft" and _inside(folder, raw) and not in_private_folder(resolved):
        return (f"is inside data/raw/, where the raw inputs are kept read-only: it cannot be {what}; name one "
                "outside it with --draft, e.g. --draft scratch/<name>.mapping.draft.yml (the draft of a real "
                "export lies beside it in data/raw/private/)")
    run_folder = published_by_a_run(folder, include_self=role != "reports")
    for published in _published(reports if role != "reports" else None) + ([run_folder] if run_folder else []):
        if role == "reports" and resolved == published:
            continue
        if _inside(folder, published):
            return (f"is inside {shown(published.name)}/, a published folder: it cannot be {what} ("
                    + ("only `make report` writes there, all or nothing, with the manifest); use a folder of your "
                       "own, e.g. 'scratch'" if role == "output" else "everything there may be published)")
                    + ("; use data/processed or a folder outside it" if role == "cache" else ""))
    return None


def shown(path: str | Path) -> str:
    """A path as a message quotes it: what cannot be seen (a line break) escaped."""
    return visible(str(path))
