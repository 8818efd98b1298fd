"""Runs on private inputs: where they publish and where their failed notebooks go.

A run is *private* when one of its input path parameters (a name ending in ``_path`` or
``_file``) points into the private folder, or outside the repository's shipped data (outside
``data/raw/``, or a file there that is not the repository's own) to a file the project's
generator did not write (:func:`makes_run_private`). Then, unless ``--reports`` names a folder, the invocation
publishes into ``reports-private/`` (git-ignored) instead of ``reports/``, so synthetic and
real outputs never mix in one folder; the executed notebook of a failed private run (which
may quote a private value) is kept beside the private data, in a ``failed/`` folder next to
the first private input, never in a published folder."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from analysis import paths, synthetic_seal
from analysis.data.file_pairs import data_files
from analysis.pipeline.errors import ReportError
from analysis.private_data import in_private_folder, is_shipped, private_dir, private_dir_path
from analysis.system_paths import name_length_problem, system_folder
from analysis.write_targets import linked_component, shown, write_problem

INPUT_SUFFIXES = ("_path", "_file")
PERSON_INPUTS = ("participants_path", "status_history_path", "file_path")  # files about persons (file_path: inspect)
PRIVATE_REPORTS = paths.REPORTS_PRIVATE.name


def makes_run_private(path: str | Path, person: bool = False) -> bool:
    """Whether an input at ``path`` makes its run private (its own published folder, only
    the outputs the release made on its pages): it lies in the private folder, or it is not
    a file the project made (:func:`analysis.synthetic_seal.made_by_project`: shipped, a copy
    of a shipped file, or written by the generator) and lies outside the project's ``data/raw``
    or is a file there that is not one of the repository's own. The kernel believes a
    synthetic claim by the same seal (``analysis.release.run.believed_claim``): a generated file from
    elsewhere published empty pages while the runner judged it by its folder alone (it kept
    only the outputs of a release that the kernel, treating the file as synthetic, never tagged).
    A mapping is judged with the export it reads (and an export with the mapping beside it):
    the seventeenth intruder read a real export through a byte copy of the shipped mapping,
    which the runner judged alone (a copy of a shipped file) while the kernel judged the
    export (real); the run published into ``reports/`` and kept what the notebook printed.
    A mapping decides nothing by itself: the data files it reads do. With ``person`` (a file of
    participants or their statuses) a file is private unless the project made it, wherever it
    lies: the eighteenth intruder listed a real file in the project's folders, which the runner
    then took for one of the repository's own public inputs while the kernel took it for real."""
    if name_length_problem(paths.resolve(path)):  # no file can have it; the parameter check says so in one line
        return True
    return any(_private_file(f.resolve(), person) for f in data_files(paths.resolve(path).resolve()))


def _private_file(target: Path, person: bool = False) -> bool:
    """:func:`makes_run_private` of one resolved file, without its companions."""
    if in_private_folder(target):
        return True
    shipped = paths.DATA_RAW.resolve()
    if not person and shipped in target.parents and not (target.is_file() and not is_shipped(target)):
        return False
    return not (target.is_file() and synthetic_seal.made_by_project(target))


def private_inputs(parameters: dict[str, Any]) -> list[Path]:
    """The input paths of ``parameters`` that make the run private
    (:func:`makes_run_private`), in name order."""
    return [paths.resolve(value).resolve() for name, value in sorted(parameters.items())
            if name.endswith(INPUT_SUFFIXES) and isinstance(value, str) and value.strip()
            and makes_run_private(value, person=name in PERSON_INPUTS)]


def is_private(run: Any) -> bool:
    return bool(private_inputs(run.parameters))


# what only a report run leaves: a lock or staging folder alone does not make a reports folder (an
# empty `.lock` among a user's documents did: the fifth hostile tester)
WRITTEN_BY_A_RUN = (".runner-state.json", "manifest.json", ".journal.json")
RUNNER_FILES = (*WRITTEN_BY_A_RUN, ".lock", ".staging")  # a failed first run leaves its lock: rerun there
PROJECT_FOLDERS = ("data", "notebooks", "src", "studies", "tests", "docs", "benchmarks", ".git")


def reports_folder_problem(folder: Path) -> str | None:
    """Why ``--reports`` may not be ``folder``: a file of the running system, the project
    folder or a folder above it, a folder of the project's own (``data/``, ``notebooks/``, ...,
    where a run would write among the inputs and code), or an existing folder that holds other
    files and is not a reports folder (the runner would publish among them)."""
    absolute = Path(os.path.abspath(folder))
    resolved = absolute.resolve()
    root = paths.PROJECT_ROOT.resolve()
    hint = "name a new folder, or one an earlier report run wrote"

    if system_folder(absolute) is not None:
        return f"--reports {folder} is a folder of the running system ({system_folder(absolute)}); {hint}"

    if not str(folder).isprintable():
        return (f"--reports {shown(folder)} holds a character that does not show (a line break, a control "
                f"character); {hint}")
    if resolved == root or resolved in root.parents:
        return f"--reports {folder} is the project folder or a folder above it; {hint}"
    for name in PROJECT_FOLDERS:
        own = root / name
        if resolved == own or own in resolved.parents:
            return f"--reports {folder} is inside the project's {name}/ folder (inputs and code); {hint}"
    if (problem := write_problem(absolute, "reports")) is not None:
        return f"--reports {folder} {problem}"
    if resolved.exists() and not resolved.is_dir():
        return f"--reports {folder} is a file; {hint}"
    others = [f for f in resolved.iterdir() if f.name not in RUNNER_FILES] if resolved.is_dir() else []
    if others and not any((resolved / f).exists() for f in WRITTEN_BY_A_RUN):
        return f"--reports {folder} holds other files and is not a reports folder; {hint}"
    if not runner_lock(resolved / ".lock"):
        return (f"--reports {folder} holds a file .lock that the report runner did not write (it holds other text "
                f"than the runner's 'pid N'), which a run would write over; {hint}")
    return None


def runner_lock(lock: Path) -> bool:
    """Whether ``lock`` may be the runner's lock file: missing, not a regular file (the lock's
    own check refuses that), empty, or holding ``pid N`` as the runner writes it (or the bare
    number an earlier runner wrote). Another
    program's ``.lock`` in a folder named with ``--reports`` would be written over (hostile
    round 17: the runner may write only what it wrote before)."""
    if not lock.is_file() or lock.is_symlink():
        return True
    try:
        with open(lock, "rb") as fh:
            head = fh.read(40)
    except OSError:
        return True  # unreadable: the lock's own opening says why
    return head == b"" or re.fullmatch(rb"(pid )?\d{1,12}\n?", head) is not None  # a bare pid: an earlier runner


def default_reports(runs: Iterable[Any], asked: Path | None) -> Path:
    """The reports folder of an invocation: ``asked`` (``--reports``) when given, else
    ``reports-private/`` when any run is private, else ``reports/``. An ``asked`` folder must
    pass :func:`reports_folder_problem`."""
    private = any(is_private(r) for r in runs)
    if asked is not None:
        problem = reports_folder_problem(Path(asked))
        if problem:
            raise ReportError(f"{problem}; nothing was run")
        if private and Path(asked).resolve() == paths.REPORTS.resolve():
            raise ReportError("a run reads a private input: its outputs do not go into reports/, where the "
                              f"synthetic outputs are published; leave out --reports (default {PRIVATE_REPORTS}/) "
                              "or name a folder of your own")
        if not private and Path(asked).resolve() == (paths.PROJECT_ROOT / PRIVATE_REPORTS).resolve():
            # hostile round 18: synthetic runs were published over a real run's outputs
            raise ReportError(f"no run of this invocation reads a private input: its outputs do not go into "
                              f"{PRIVATE_REPORTS}/, where the runs on private inputs are published; leave out "
                              "--reports (default reports/) or name a folder of your own; nothing was run")
        return _not_over_private_folder(Path(asked))
    folder = paths.PROJECT_ROOT / PRIVATE_REPORTS if private else paths.REPORTS
    if (link := linked_component(Path(os.path.abspath(folder)))) is not None:  # hostile round 19
        raise ReportError(f"the reports folder {folder.name}/ passes through a symbolic link ({shown(link)}): a "
                          f"publication would land where it points; remove the link (rm {shown(link)}); nothing "
                          "was run")
    return _not_over_private_folder(folder) if private else folder


def _not_over_private_folder(reports: Path) -> Path:
    """``reports``, unless the private folder (ledger, key, checker's bundle) lies inside it:
    publishing would copy it out or clean it away."""
    private = private_dir_path()
    folder = reports.resolve()
    if private == folder or folder in private.parents:
        raise ReportError(f"the private folder {private} lies inside the reports folder {folder}: the ledger, the "
                          "key and the checker's bundle would be published or removed; set VWNW_PRIVATE_DIR to a "
                          "folder outside it; nothing was run")
    return reports


def failed_folder(run: Any, reports: Path) -> Path:
    """Where the executed notebook of a failed ``run`` is kept: for a run on private inputs
    the private folder's ``failed/`` (``VWNW_PRIVATE_DIR`` or ``data/raw/private``), never
    beside the input, which may lie in a folder git would commit (a decoy mapping beside a
    shipped export left its failed notebook in ``data/raw/failed/``)."""
    if private_inputs(run.parameters):
        return private_dir() / "failed"
    return Path(reports) / "failed"
