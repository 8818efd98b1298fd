"""The shape of ``report.yml`` (or a ``--config`` file), checked before anything runs.

A configuration is a mapping with one key, ``runs``, that maps notebook names (file stems)
to lists of run entries; an entry is a mapping with an optional ``suffix`` (text of letters,
digits, ``-`` and ``_``) and optional ``parameters`` (a mapping of names to values: text,
numbers, booleans, null, or lists of those). Anything else (an unclosed brace, a string where
an entry belongs, a list of parameters, a top-level list, an alias bomb) is one
:class:`~analysis.pipeline.runs.ReportError` naming the file, the place and the rule, with an
example of the right form. Read with :mod:`analysis.strict_yaml` (YAML 1.2 plain scalars,
alias limits). Written by hand: pandera checks frames, not nested documents, and the lock
file has no JSON-schema-for-YAML validator that gives messages of this kind."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from analysis.data.errors import MAX_SHOWN, excerpt, written
from analysis.near_miss import did_you_mean
from analysis.pipeline.errors import ReportError
from analysis.pipeline.parameter_rules import refuse_runner_parameters
from analysis.strict_yaml import MAX_BYTES, TextKeepingLoader, WrittenNull, YamlLimitError, load

EXAMPLE = ("runs:\n  02_pilot_participants:\n    - parameters: {cutoff_date: \"2021-04-01\"}\n"
           "    - suffix: \"en\"\n      parameters: {language: \"en\"}")
SUFFIX = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
ENTRY_KEYS = ("suffix", "parameters")
MAX_RUNS = 200  # runs one configuration lists (the shipped report.yml lists 12; each run starts a kernel)
SCALARS = (str, int, float, bool, type(None), WrittenNull)


def _error(config: Path, where: str, rule: str):
    place = f" ({where})" if where else ""
    return ReportError(f"{config}{place}: {rule}. The form is:\n{EXAMPLE}")


def _nothing(value: Any) -> bool:
    """YAML's null (``~``, ``null`` or nothing written)."""
    return value is None or isinstance(value, WrittenNull)


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false", type(None): "nothing",
            WrittenNull: "nothing"}.get(type(value), "a number" if isinstance(value, (int, float)) else
                                        type(value).__name__)


def shape_problem(data: Any) -> tuple[str, str] | None:
    """``(where, rule)`` for the first part of ``data`` that breaks the shape, else None."""
    problems = shape_problems(data)
    return problems[0] if problems else None


def shape_problems(data: Any) -> list[tuple[str, str]]:
    """``(where, rule)`` for every part of ``data`` that breaks the shape: the file's own shape
    first (then nothing below it can be read), else each notebook and run that breaks a rule
    (hostile round 13: the first hid the others, found one run at a time)."""
    if data is None or isinstance(data, WrittenNull):
        return []
    if not isinstance(data, dict):
        return [("", f"the file must be a mapping with the key 'runs', not {_kind(data)}")]

    unknown = sorted(excerpt(str(k)) for k in data if k != "runs")
    if unknown:
        return [("", f"unknown top-level key(s) {', '.join(unknown)}: only 'runs' is read")]
    runs = data.get("runs")
    if _nothing(runs) or runs == {}:  # "runs:" alone ran every notebook with its defaults (hostile round 5)
        return [("runs", "'runs' names no notebook; name each notebook with its list of runs (a notebook not "
                         "named runs once with its defaults), or leave the whole file empty")]
    if not isinstance(runs, dict):
        return [("runs", f"'runs' must map notebook names to lists of runs, not {_kind(runs)}")]
    if (n := sum(len(e) for e in runs.values() if isinstance(e, list))) > MAX_RUNS:
        return [("runs", f"the file lists {n:,} runs; a configuration lists at most {MAX_RUNS:,} (each run starts "
                         "a notebook kernel and publishes its pages): split the runs over several configurations")]
    problems = []
    for notebook, entries in runs.items():
        problems += _notebook_problems(notebook, entries)
    return problems


def _notebook_problems(notebook: Any, entries: Any) -> list[tuple[str, str]]:
    if not isinstance(notebook, str):
        return [(f"runs: {excerpt(str(notebook))}", "a notebook name must be text (the file name without .ipynb)")]
    if not notebook.isprintable():
        return [(f"runs: {excerpt(notebook)}", "a notebook name is a file name without .ipynb: it holds no line "
                 "break, tab or other control character")]
    if _nothing(entries) or entries == []:  # ran once with the defaults: "no runs" was meant, or "- {}"
        return [(f"runs: {excerpt(notebook)}", "a notebook named here needs at least one run ('- {}' for one "
                 "run with its defaults); to run it with its defaults, leave it out")]
    if not isinstance(entries, list):
        return [(f"runs: {excerpt(notebook)}",
                 f"the runs of a notebook must be a list ('- ...' items), not {_kind(entries)}")]
    return [(f"runs: {excerpt(notebook)}: run {i}", problem)
            for i, entry in enumerate(entries, 1) if (problem := entry_problem(entry))]


def entry_problem(entry: Any) -> str | None:
    if not isinstance(entry, dict):
        return f"a run must be a mapping with 'suffix' and 'parameters', not {_kind(entry)}"
    unknown = sorted(excerpt(str(k)) for k in entry if k not in ENTRY_KEYS)
    if unknown:
        hints = "".join(did_you_mean(k, ENTRY_KEYS) for k in unknown)
        return f"unknown key(s) {', '.join(unknown)} in a run: {hints}a run has only 'suffix' and 'parameters'"
    suffix = entry.get("suffix", "")
    if isinstance(suffix, WrittenNull):
        suffix = None
    if suffix is not None and suffix != "" and not (isinstance(suffix, str) and SUFFIX.match(suffix)):
        return (f"'suffix' must be text of letters, digits, '-' and '_' (at most 64, quoted when it is a number), "
                f"not {written(suffix)}"[:200])
    params = entry.get("parameters")
    if params is None or isinstance(params, WrittenNull):
        return None
    if not isinstance(params, dict):
        return f"'parameters' must be a mapping of names to values ({{name: value, ...}}), not {_kind(params)}"
    for name, value in params.items():
        if not isinstance(name, str) or not name.isidentifier():
            return f"parameter name {written(str(name)[:40])} must be a Python name (letters, digits, '_')"
        if isinstance(value, list):
            if not all(isinstance(v, SCALARS) for v in value):
                return f"parameter '{excerpt(name)}' may be a list of plain values only, not of lists or mappings"
        elif not isinstance(value, SCALARS):
            return f"parameter '{excerpt(name)}' must be a plain value or a list of plain values, not {_kind(value)}"
    return None


def read_config(config: Path) -> dict[str, list[dict[str, Any]]]:
    """The checked ``runs`` of ``config`` (``{}`` for an empty file)."""
    if config.is_symlink() or not config.is_file():
        raise _error(config, "", "the configuration must be a regular file (not a link, folder, pipe or device)")
    if config.stat().st_size > MAX_BYTES:
        raise _error(config, "", f"the file is {config.stat().st_size:,} bytes; a configuration is at most "
                                 f"{MAX_BYTES:,} bytes")
    try:
        text = config.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _error(config, "", f"the file cannot be read as UTF-8 text ({type(exc).__name__})") from None
    try:
        data = load(text, str(config), TextKeepingLoader)  # numbers keep their text for the messages
    except YamlLimitError as exc:
        raise ReportError(f"{exc}. Fix the file; the form is:\n{EXAMPLE}") from None
    problems = shape_problems(data)
    if len(problems) == 1:
        raise _error(config, *problems[0])
    if problems:
        listed = "\n  ".join(f"({where}) {rule}" for where, rule in problems[:MAX_SHOWN])
        more = f"\n  ... and {len(problems) - MAX_SHOWN} more" if len(problems) > MAX_SHOWN else ""
        raise ReportError(f"{config}: {len(problems)} problems\n  {listed}{more}\nThe form is:\n{EXAMPLE}")
    runs = (data or {}).get("runs") or {}
    runs = {notebook: [{k: (None if isinstance(v, WrittenNull) and k != "parameters" else v) for k, v in e.items()}
                       for e in entries] for notebook, entries in runs.items()}
    for entries in runs.values():
        for entry in entries or []:
            refuse_runner_parameters(entry.get("parameters") or {}, str(config))
    return runs
