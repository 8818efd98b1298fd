"""Rules on run parameters that the runner checks before any kernel starts.

- **Runner-owned names.** ``output_dir`` (the staging folder the runner gives each run) and
  ``joint_cutoffs`` (computed from the runs of the invocation: :func:`analysis.pipeline.runs.with_joint_cutoffs`)
  may not be set in ``report.yml`` or with ``-p``.
- **Ranges and choices.** :data:`RANGES` gives the documented range of each numeric
  parameter, :data:`CHOICES` the values of each coded one (a value outside would otherwise
  run for hours, e.g. ``power_sims=1000000000``, or fail deep inside a notebook).
- **Folders.** A path parameter (``*_path``, ``*_file``, ``*_dir``) may not point into a
  published folder (the reports folder of the invocation, ``reports/``, ``reports-private/``),
  so that no input, cache (``processed_dir``) or scratch location is ever published; a
  ``*_dir`` must not be an existing file. An input file that is a symbolic link (or an
  export whose mapping, or a mapping whose export, is one) is refused, as its reader refuses it.
- **Study.** ``study`` is the id of a study file of ``studies/``, or the path of a regular
  ``.yml`` file that validates as a study and lies outside every published folder.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from analysis import paths
from analysis.data.errors import excerpt, written
from analysis.data.file_pairs import linked_member
from analysis.pipeline.errors import ReportError
from analysis.pipeline.private_runs import PRIVATE_REPORTS
from analysis.strict_yaml import WrittenNull, YamlLimitError, as_written, load
from analysis.study.load import CODE, StudyError, load_study, quota_problem, study_ids, study_path, study_span
from analysis.study.model import latest_record
from analysis.system_paths import name_length_problem, system_folder, undecodable_problem
from analysis.write_targets import write_problem

RUNNER_OWNED = {
    "output_dir": "the runner writes each run into its own staging folder and publishes it into the reports "
                  "folder; choose that folder with --reports",
    "joint_cutoffs": "the runner computes it from the cut-off dates of the runs of this invocation",
}
# name: (lowest, highest, what it is); documented in docs/runner_safety.md
RANGES: dict[str, tuple[float, float, str]] = {
    "min_cell_count": (1, 1000, "the disclosure threshold (persons)"),
    "min_group_n": (1, 1000, "the smallest informative group (persons)"),
    "power_sims": (0, 100_000, "simulated outcomes per power point"),
    "synthetic_n": (0, 2_000_000, "participants generated in memory"),
}
LIST_RANGES: dict[str, tuple[float, float, str]] = {
    "power_ns": (2, 10_000_000, "programme sizes of the power analysis"),
}
# the most items a list of LIST_RANGES may hold: each item is a computation of its own (power_ns: 100 sizes
# took 10 s, 3,000 would take many minutes); a list of LIST_CHOICES is bounded by its choices, each once
MAX_ITEMS: dict[str, int] = {"power_ns": 12}
CHOICES: dict[str, tuple[str, ...]] = {
    "language": ("nl", "en"),
    "outcome_definition": ("work", "work_or_education"),
    "population": ("stayed", "all"),
}
LIST_CHOICES: dict[str, tuple[str, ...]] = {"predictors": ("triage", "opleiding", "leeftijd", "dienstjaren"),
                                            "definitions": ("work", "work_or_education"),
                                            "origins": ("start", "inflow"),
                                            "groupings": ("triage", "opleiding")}
DATE_NAMES = ("cutoff_date", "follow_up_end")
MAY_BE_EMPTY = {"status_history_path", "processed_dir"}  # no status history (docs/real-data.md); no cache kept
PATH_SUFFIXES = ("_path", "_file", "_dir")


def _error(text: str):
    return ReportError(text)


def refuse_runner_parameters(params: Mapping[str, Any], where: str) -> None:
    """``params`` (from ``where``: ``-p`` or a config file) must not set a runner-owned name."""
    for name in sorted(set(params) & set(RUNNER_OWNED)):
        raise _error(f"{where}: {name} cannot be set: {RUNNER_OWNED[name]}")


def number_text_problem(text: str, kind: str) -> str:
    """Why ``text`` is not read as a number of ``kind`` (``int``/``float``), with the fix."""
    shown = text if len(text) <= 40 else text[:40] + "..."
    if re.fullmatch(r"[+-]?0\d+", text):
        return (f"{written(shown)} has a leading zero, which some readers take as octal (012 = 10); write the number "
                f"without it ({int(text)})")
    if re.fullmatch(r"[+-]?\d+(:[0-5]?\d)+(\.\d*)?", text):
        return f"{written(shown)} is not a number (YAML 1.1 reads 1:30 as 90); write the {kind} in plain digits"
    if "#" in text:
        return f"{written(shown)} holds '#': a value has no comments; write only the {kind}"
    if re.fullmatch(r"[+-]?\d{1,3}([.,]\d{3})+", text):
        return f"{written(shown)} has a thousands separator; write the {kind} in plain digits"
    return f"expected {'a whole number' if kind == 'int' else 'a number'} in plain digits, got {written(shown)}"


def _number_problem(name: str, value: Any, bounds: tuple[float, float, str], whole: bool = False) -> str | None:
    low, high, what = bounds
    if isinstance(value, str):  # an item of a list written as text (-p power_ns=30,1000)
        text = value.strip()
        if not re.fullmatch(r"[+-]?(0|[1-9]\d*)", text):
            return f"{name} ({what}) must be whole numbers separated by commas; {number_text_problem(text, 'int')}"
        value = int(text)
        shown = text
    elif value is None or isinstance(value, WrittenNull):
        return f"{name} ({what}) must be whole numbers; got {written(as_written(value) or 'null')}, nothing"
    elif isinstance(value, bool) or not isinstance(value, (int, float)):
        return None  # the type check against the notebook's default speaks to this
    elif whole and not float(value).is_integer():
        return f"{name} ({what}) must be whole numbers; got {excerpt(as_written(value))}"
    else:
        shown = as_written(value)
    if not low <= value <= high:
        return f"{name} ({what}) must be between {low:,} and {high:,}; got {excerpt(shown)}"
    return None


def _twice(name: str, items: list) -> str | None:
    """An item listed twice (``power_ns=30,30``: one size computed twice, or a predictor twice)."""
    numbers = [int(v) if isinstance(v, str) and re.fullmatch(r"[+-]?\d+", v) else v for v in items]
    twice = next((items[i] for i, v in enumerate(numbers) if v in numbers[:i]), None)
    if twice is not None:
        return f"{name} lists {as_written(twice)} twice: list each item once"
    return None


def value_problem(name: str, value: Any) -> str | None:
    """The documented rule ``value`` of parameter ``name`` breaks, else None."""
    if name in RANGES:
        return _number_problem(name, value, RANGES[name])
    if name in LIST_RANGES and isinstance(value, str):
        if not value.strip() or value.strip().startswith("["):
            return (f"{name} must be numbers separated by commas, without brackets ({name}=30,1000); got "
                    f"{written(value[:60])}")
        value = value.split(",")
    if name in LIST_RANGES and isinstance(value, (list, tuple)):
        if len(value) > MAX_ITEMS[name]:
            return (f"{name} ({LIST_RANGES[name][2]}) may list at most {MAX_ITEMS[name]} items (each is computed on "
                    f"its own); got {len(value):,}")
        problem = next((p for v in value if (p := _number_problem(name, v, LIST_RANGES[name], whole=True))), None)
        return problem or _twice(name, [as_written(v).strip() if isinstance(v, str) else v for v in value])
    if name in CHOICES and isinstance(value, str) and value not in CHOICES[name]:
        return f"{name} must be one of {', '.join(CHOICES[name])}; got {written(value[:40])}"
    if name in LIST_CHOICES:
        if isinstance(value, str) and value.strip().startswith("["):
            return (f"{name}={value[:60]} is text: -p takes a list as names separated by commas, without brackets "
                    f"({name}={','.join(LIST_CHOICES[name])})")
        items = value.split(",") if isinstance(value, str) else value
        if isinstance(items, (list, tuple)):
            items = [str(v).strip() for v in items]
            bad = [v for v in items if v not in LIST_CHOICES[name]]
            if bad or not items:
                return (f"{name} must be a non-empty list of {', '.join(LIST_CHOICES[name])}; got "
                        f"{', '.join(written(b[:40]) for b in bad) or 'an empty list'}")
            return _twice(name, items)
    if name in DATE_NAMES and isinstance(value, str):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return f"{name} must be a date written YYYY-MM-DD; got {written(value[:40])}"
        if not 1900 <= day.year <= 2099 or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return f"{name} must be a date written YYYY-MM-DD between 1900 and 2099; got {written(value)}"
    return None


def published_folders(reports: Path) -> list[Path]:
    """Folders whose content is published (or may be): never an input, cache or scratch."""
    return [Path(reports).resolve(), paths.REPORTS.resolve(), (paths.PROJECT_ROOT / PRIVATE_REPORTS).resolve()]


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def path_problem(name: str, value: Any, reports: Path) -> str | None:
    """A path parameter pointing into a published folder, or a folder parameter naming a file;
    an input left empty (only :data:`MAY_BE_EMPTY` may be: no such input)."""
    if name.endswith(PATH_SUFFIXES) and name != "output_dir" and isinstance(value, str) and not value.strip() \
            and name not in MAY_BE_EMPTY:
        role = "a folder" if name.endswith("_dir") else "a file"
        return (f"{name}={written(value)} is empty: it must name {role}"
                + (f" (only {' and '.join(sorted(MAY_BE_EMPTY))} may be empty: no status history, no cache kept)"
                   if MAY_BE_EMPTY else ""))
    if not name.endswith(PATH_SUFFIXES) or name == "output_dir" or not isinstance(value, str) or not value:
        return None

    if problem := undecodable_problem(value):
        return f"{name}={excerpt(value)} {problem}"
    if value.startswith("~"):
        return (f"{name}={written(value)} starts with '~', which is expanded by a shell, not here (a value is taken "
                "as written; it would name a folder called '~'): write the full path")
    if not value.isprintable():
        return (f"{name}={written(value)} holds a character that does not show (a line break, a tab or another "
                "control character); no path needs one: rename the file or folder")
    if value != value.strip():
        return (f"{name}={written(value)} begins or ends with a space (shown between the quotes), which no file name "
                "this project reads has: remove the space, or rename the file")
    if too_long := name_length_problem(value):
        return f"{name}={written(value)} {too_long}"

    quoted = excerpt(value, 200)  # a path as written, cut when longer (never echoed whole)
    if system_folder(paths.resolve(value)) is not None:
        role = "a cache or scratch folder" if name.endswith("_dir") else "an input"
        return (f"{name}={quoted} is in a folder of the running system ({system_folder(paths.resolve(value))}): it "
                f"cannot be {role}; use a folder of the project or of your home")
    if not name.endswith("_dir") and (problem := link_problem(paths.resolve(value))):
        return f"{name}={quoted} {problem}"
    target = Path(paths.resolve(value)).resolve()
    for folder in published_folders(reports):
        if _inside(target, folder):
            role = "a cache or scratch folder" if name.endswith("_dir") else "an input"
            return (f"{name}={quoted} is inside {folder.name}/, a published folder: it cannot be {role} (everything "
                    f"there may be published); use a folder outside it, e.g. data/processed")
    if name.endswith("_dir") and target.exists() and not target.is_dir():
        return f"{name}={quoted} is a file; it must name a folder (it is created when missing)"
    if not name.endswith("_dir") and target.is_dir():
        return f"{name}={quoted} is a folder; it must name a file (an input)"
    if name.endswith("_dir") and _project_folder(target):
        return (f"{name}={quoted} is a folder of the project's own ({_project_folder(target)}/ or the project itself): "
                "a cache there would be committed with the code; use data/processed or a folder outside the project")
    if name.endswith("_dir") and (problem := write_problem(paths.resolve(value), "cache", reports)):
        return f"{name}={quoted} {problem}"
    return None


def link_problem(path: Path) -> str | None:
    """An input that is a symbolic link, or whose export or mapping is one (links are not
    followed: :func:`analysis.data.file_pairs.linked_member`)."""
    found = linked_member(path)
    if found is None:
        return None
    role, link = found
    what = "is a symbolic link" if role == "file" else f"has as its {role} {excerpt(link, 200)}, a symbolic link"
    return (f"{what} (to {excerpt(os.readlink(link), 200)}); links are not followed: name the file itself, or "
            "copy it into data/raw/private/")


def _project_folder(target: Path) -> str | None:
    """The project folder of code, configuration or documentation ``target`` lies in (or the
    project root itself), where no cache belongs."""
    root = paths.PROJECT_ROOT.resolve()
    if target == root or target in root.parents or target == Path("/"):
        return root.name
    own = ("src", "notebooks", "tests", "docs", "studies", "benchmarks", "tools", ".git", ".ci")
    return next((name for name in own if _inside(target, root / name)), None)


def study_problem(name: str, value: Any, reports: Path) -> str | None:
    """``study``: an id of ``studies/`` or the path of a file that validates as a study."""
    if name != "study" or not isinstance(value, str):
        return None

    known = study_ids(paths.PROJECT_ROOT / "studies")
    hint = f"give the id of a study of studies/ ({', '.join(known)}) or the path of a study file (.yml)"
    if not value.isprintable():
        return (f"study={written(value[:80])} holds a character that does not show (a line break, a tab or another "
                f"control character): {hint}")
    if value != value.strip():
        return (f"{name}={written(value)} begins or ends with a space (shown between the quotes), which no file name "
                "this project reads has: remove the space, or rename the file")
    if too_long := name_length_problem(value):
        return f"study={written(value)} {too_long}: {hint}"
    is_id = bool(CODE.match(value))
    if not is_id and not value.endswith((".yml", ".yaml")):
        return (f"study={written(value[:80])} is neither a study id (lower-case letters, digits, _) nor a .yml "
                f"file: {hint}")
    target = study_path(value)
    if not is_id:
        absolute = Path(paths.resolve(value)).resolve()
        for folder in published_folders(reports):
            if _inside(absolute, folder):
                return (f"study={value} is inside {folder.name}/, a published folder: a study file cannot be read "
                        f"from there; {hint}")
        if Path(paths.resolve(value)).is_symlink() or (target.exists() and not target.is_file()):
            return f"study={value} must be a regular study file (not a link, folder, pipe or device): {hint}"
        if system_folder(paths.resolve(value)) is not None:
            return f"study={value} is a file of the running system ({system_folder(paths.resolve(value))}): {hint}"
    if not target.is_file():
        return f"study={written(value[:80])}: no such study: {hint}"
    if target.stat().st_size > 1_000_000:
        return f"study={value}: the file is {target.stat().st_size:,} bytes, larger than any study file: {hint}"

    info = target.stat()
    return _study_file_problem(target, value, hint, info.st_mtime_ns, info.st_size)


@lru_cache(maxsize=64)
def _study_file_problem(target: Path, value: str, hint: str, _mtime_ns: int, _size: int) -> str | None:
    """What the study reader finds wrong with ``target``, once per version of the file (every run
    of a study read and parsed it again: most of the no-op rerun's YAML)."""
    try:
        load(target.read_text(encoding="utf-8"), f"study={value}")  # alias and size limits before the study reader
        load_study(target)
    except YamlLimitError as exc:
        return f"{exc}: {hint}"
    except StudyError as exc:
        return f"study={value} is not a valid study file ({exc}); fix the file or {hint}"
    except (OSError, UnicodeDecodeError, RecursionError) as exc:
        return f"study={value} cannot be read as a study file ({type(exc).__name__}): {hint}"
    return None


def missing_input_problem(name: str, value: Any) -> str | None:
    """An input file a run names that does not exist (an empty value is no input): said
    before any kernel starts (newpilot2's F9: six kernels started and five failed on the same
    missing file). Not for a dry run, which lists what a run would do with the files in place."""
    if not name.endswith(PATH_SUFFIXES) or name.endswith("_dir") or name == "output_dir":
        return None
    if not isinstance(value, str) or not value.strip() or Path(paths.resolve(value)).exists():
        return None
    return (f"{name}={excerpt(value, 200)} does not exist: put the file there (a real file in data/raw/private/, "
            "git-ignored) or name the file that holds the input")


def check_runs(runs: Iterable[Any], reports: Path, inputs: bool = True) -> None:
    """Every run's parameters against :data:`RANGES`, :data:`CHOICES`, dates and folders;
    every problem of every run in one :class:`~analysis.pipeline.runs.ReportError` naming the
    run (one at a time made a user fix, rerun and meet the next: hostile round 13); with
    ``inputs``, every named input file exists (a dry run does not ask). The
    studies folder is checked first: its quota generator needs exactly one study file that
    names it (:func:`analysis.study.load.quota_problem`), which the notebooks' kernels would
    otherwise find only after they started."""
    if problem := quota_problem():
        raise _error(f"{problem}. Nothing was run.")
    by_problem: dict[str, list[str]] = {}  # a -p value every run received: one problem, said once
    for run in runs:
        for problem in run_problems(run, reports, inputs):
            by_problem.setdefault(problem, []).append(run.name)
    found = [f"{_runs_named(names)}: {problem}" for problem, names in by_problem.items()]
    if len(found) == 1:
        raise _error(f"{found[0]}. Nothing was run.")
    if found:
        raise _error(f"{len(found)} problems in the runs' parameters; nothing was run:\n"
                     + "\n".join(f"  - {line}" for line in found))


def _runs_named(names: list[str]) -> str:
    others = len(names) - 1
    return f"run '{names[0]}'" + (f" (and {others} other run{'s' if others > 1 else ''})" if others else "")


ONE_VALUE = ("cutoff_date", "language", "min_cell_count", "study")  # besides every path and folder


def shape_problem(name: str, value: Any) -> str | None:
    """A parameter of one value given as a list or a mapping (recheck of hostile round 19:
    ``participants_path: [data/raw/private/x.xlsx]`` made the run count as synthetic, and its
    failed notebook, naming the private path, was kept in the public reports folder)."""
    if isinstance(value, (list, tuple, dict)) and (name.endswith(PATH_SUFFIXES) or name in ONE_VALUE):
        kind = "a list" if isinstance(value, (list, tuple)) else "a mapping"
        return f"{name} must be one value, not {kind} ({written(str(value)[:80])}): write it without brackets"
    return None


def run_problems(run: Any, reports: Path, inputs: bool = True) -> list[str]:
    """The problems of one run's parameters, in name order (a parameter's first problem);
    ``inputs``: a named input file must exist (:func:`missing_input_problem`)."""
    found = []
    for name, value in sorted(run.parameters.items()):
        if name == "joint_cutoffs":
            continue
        if problem := (shape_problem(name, value) or value_problem(name, value) or path_problem(name, value, reports)
                       or (inputs and missing_input_problem(name, value)) or study_problem(name, value, reports)):
            found.append(problem)
    if problem := default_date_problem(run) or cutoff_range_problem(run):
        found.append(problem)
    return found


def cutoff_range_problem(run: Any) -> str | None:
    """A ``cutoff_date`` outside the dates any status history of the run's study can cover:
    before the pilot's start (no participant has a status yet) or later than the study's
    ``dates.late_records_months`` (a year by default) after its follow-up date (no record may be
    dated so late: :func:`~analysis.study.model.latest_record`).
    Said by a dry run too, which reads no history (hostile round 16: a dry run accepted a
    cut-off the real run refused); the kernel checks the history's own span."""
    cutoff, study = run.parameters.get("cutoff_date"), run.parameters.get("study")
    if not isinstance(cutoff, str) or value_problem("cutoff_date", cutoff) is not None:
        return None  # not a date: value_problem says so
    try:
        span = study_span(study if isinstance(study, str) else None)
    except (OSError, ValueError):
        return None  # the study's own check says what is wrong
    if span is None:
        return None
    study_id, start, end, months = span
    day, last = date.fromisoformat(cutoff), latest_record(end, months)
    if start <= day <= last:
        return None
    return (f"cutoff_date {cutoff} is outside the dates a status history of study {study_id} can cover: from the "
            f"pilot's start {start} to {months} months after its follow-up date {end} ({last}; "
            "dates.late_records_months of the study file); choose a date in the study's span")


def default_date_problem(run: Any) -> str | None:
    """A run of another study than the default one that leaves ``cutoff_date`` to its
    notebook: the notebook's default is a date of the default study (newpilot2's F15: notebook
    04's 2021-04-16 was published jointly with a 2025 pilot's runs and failed every run of the
    invocation); said before any kernel starts, with the study's own dates to choose from."""
    study = run.parameters.get("study")
    if not isinstance(study, str) or "cutoff_date" in run.parameters:
        return None
    try:
        declared = run.declared()
        own = load_study(study)
    except (OSError, ValueError, AttributeError, StudyError):
        return None  # the notebook's or the study's own check says what is wrong
    if "cutoff_date" not in declared or own.id == load_study().id or str(declared["cutoff_date"]) in own.snapshots:
        return None  # the notebook's default is a snapshot date of this study (a copy of the default study)
    return (f"study={study} is not the default study, and cutoff_date is left to the notebook, whose default "
            f"{declared['cutoff_date']} is not a snapshot date of this study: set cutoff_date in the run's "
            f"parameters (this study's snapshot dates: {', '.join(own.snapshots)})")
