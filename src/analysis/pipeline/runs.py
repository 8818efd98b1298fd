"""Run discovery and configuration: which notebook runs exist (``notebooks/*.ipynb``
times the parameter sets in ``notebooks/report.yml``) and which parameters each may take."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from analysis import paths

# Names the runner injects itself; notebooks must declare them in their parameters cell.
RUNNER_PARAMETERS = ("output_dir",)
INPUT_SUFFIXES = ("_path", "_file")


class ReportError(RuntimeError):
    """A run failed; the message tells which notebook, where and what to do."""


@dataclass(frozen=True)
class NotebookRun:
    name: str
    notebook: Path
    parameters: dict[str, Any] = field(default_factory=dict)

    def input_files(self) -> list[Path]:
        """Files named by parameters ending in ``_path``/``_file`` (hashed into the
        fingerprint and into the provenance)."""
        from analysis.data.file_pairs import companion_files

        found = []
        for key, value in sorted(self.parameters.items()):
            if key.endswith(INPUT_SUFFIXES) and isinstance(value, str):
                p = paths.resolve(value)
                if p.is_file():
                    found += [p, *companion_files(p)]  # an export and its mapping count together
        return found


def load_config(config: Path) -> dict[str, list[dict[str, Any]]]:
    if not config.is_file():
        return {}
    data = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    runs = data.get("runs", {})
    if not isinstance(runs, dict):
        raise ReportError(f"{config}: 'runs' must map notebook names to lists of runs")
    return runs


def discover_runs(notebooks_dir: Path, config: Path | None = None,
                  overrides: dict[str, Any] | None = None) -> list[NotebookRun]:
    """Every ``*.ipynb`` in ``notebooks_dir`` (not checkpoints), once per parameter set in
    ``config`` (default: once with the notebook's own defaults).

    Precedence: notebook default < ``report.yml`` entry < ``overrides`` (``-p`` on the
    command line). An override applies to every run whose notebook declares the name and is
    typed against the notebook's default (:func:`apply_overrides`); a name that no notebook
    declares is an error."""
    cfg = load_config(config) if config else {}
    notebooks = sorted(p for p in notebooks_dir.glob("*.ipynb"))
    unknown = set(cfg) - {p.stem for p in notebooks}
    if unknown:
        raise ReportError(f"{config}: runs configured for notebooks that do not exist: "
                          f"{', '.join(sorted(unknown))}")
    runs: list[NotebookRun] = []
    for nb in notebooks:
        for entry in cfg.get(nb.stem) or [{}]:
            suffix = entry.get("suffix", "")
            params = dict(entry.get("parameters") or {})
            runs.append(NotebookRun(f"{nb.stem}{'-' + suffix if suffix else ''}", nb, params))
    names = [r.name for r in runs]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise ReportError(f"duplicate run names {sorted(dupes)}: give each run a unique 'suffix'")
    return apply_overrides(runs, overrides) if overrides else runs


class _NoDatesLoader(yaml.SafeLoader):
    """YAML's safe rules without the timestamp rule: ``2021-04-01`` stays text, as the
    notebooks take dates as strings."""


_NoDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def typed_value(text: str) -> Any:
    """A ``-p NAME=VALUE`` value typed by YAML's rules (``10`` an int, ``true`` a bool,
    ``0.5`` a float, ``null`` None); dates, lists and mappings stay text, and an empty value
    is the empty string (``-p processed_dir=``)."""
    if text == "":
        return ""
    try:
        value = yaml.load(text, Loader=_NoDatesLoader)  # noqa: S506 (safe loader subclass)
    except yaml.YAMLError:
        return text
    return value if isinstance(value, (str, int, float, bool)) or value is None else text


def _typed_for(name: str, value: Any, default: Any, notebook: str) -> Any:
    """``value`` checked against the type of the notebook's default: text where the
    notebook expects text, an int (not a bool) where it expects an int, a number where it
    expects a float."""
    if isinstance(default, str) or default is None:
        return value if isinstance(value, str) or default is None else _as_written(value)
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(default, float):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    else:
        ok = True
    if not ok:
        raise ReportError(f"-p {name}={_as_written(value)}: {notebook} declares {name} as "
                          f"{type(default).__name__} (default {default!r}); got {type(value).__name__}")
    return float(value) if isinstance(default, float) else value


def _as_written(value: Any) -> str:
    return "true" if value is True else "false" if value is False else "" if value is None else str(value)


def declared_parameters(notebook: Path) -> dict[str, Any]:
    """The notebook's parameters and their default values, as papermill reads the
    ``parameters`` cell (a default papermill cannot evaluate is ``None``: not type-checked)."""
    from papermill.inspection import inspect_notebook

    out = {}
    for name, info in inspect_notebook(str(notebook)).items():
        try:
            out[name] = ast.literal_eval(info["default"] or "None")
        except (ValueError, SyntaxError):
            out[name] = None  # an expression, not a literal
    return out


def apply_overrides(runs: list[NotebookRun], overrides: dict[str, Any]) -> list[NotebookRun]:
    """Command-line parameters win over ``report.yml``: each is set on every run whose
    notebook declares it, typed against that notebook's default. A name no notebook declares
    is an error (a typo would otherwise be silently ignored)."""
    declared = {nb: declared_parameters(nb) for nb in {r.notebook for r in runs}}
    unused = sorted(set(overrides) - {k for d in declared.values() for k in d})
    if unused:
        raise ReportError(f"-p {', '.join(unused)}: no notebook declares "
                          f"{'this parameter' if len(unused) == 1 else 'these parameters'} in its "
                          f"'parameters' cell (declared: {sorted({k for d in declared.values() for k in d})})")
    out = []
    for run in runs:
        params = dict(run.parameters)
        for name, value in overrides.items():
            if name in declared[run.notebook]:
                params[name] = _typed_for(name, value, declared[run.notebook][name], run.notebook.name)
        out.append(NotebookRun(run.name, run.notebook, params))
    return out


def validate_parameters(run: NotebookRun) -> None:
    """A passed parameter the notebook does not declare is an error (papermill only
    warns). A notebook without a ``parameters`` cell is an error too."""
    import nbformat

    nb = nbformat.read(run.notebook, as_version=4)
    if not any("parameters" in c.metadata.get("tags", []) for c in nb.cells):
        raise ReportError(f"{run.notebook.name}: no cell tagged 'parameters'. Tag the cell "
                          "that holds the notebook's parameters (JupyterLab: property inspector).")
    from papermill.inspection import inspect_notebook

    declared = set(inspect_notebook(str(run.notebook)))
    passed = set(run.parameters) | set(RUNNER_PARAMETERS)
    undeclared = sorted(passed - declared)
    if undeclared:
        raise ReportError(
            f"{run.notebook.name} (run '{run.name}'): parameter(s) {undeclared} are not declared in "
            f"its 'parameters' cell (declared: {sorted(declared)}). Fix notebooks/report.yml or "
            "add them to the notebook.")


def as_list(value: Any) -> list[Any]:
    """A list parameter as a list: given as a list (the notebook default, ``report.yml``,
    ``-p 'power_ns=[30, 1000]'``) or as one comma-separated string (``-p power_ns=30,1000``)."""
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    if isinstance(value, list | tuple):
        return list(value)
    raise TypeError(f"expected a list or a comma-separated string, got {value!r}")
