"""Run discovery and configuration: which notebook runs exist (``notebooks/*.ipynb``
times the parameter sets in ``notebooks/report.yml``) and which parameters each may take."""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from analysis import paths
from analysis.data.file_pairs import companion_files
from analysis.pipeline.config_shape import read_config
from analysis.pipeline.errors import ReportError
from analysis.pipeline.parameter_rules import number_text_problem, refuse_runner_parameters
from analysis.strict_yaml import StrictLoader

__all__ = ["ReportError"]  # raised by the runner's modules; defined in analysis.pipeline.errors

# Names the runner injects itself; notebooks must declare them in their parameters cell.
RUNNER_PARAMETERS = ("output_dir",)
INPUT_SUFFIXES = ("_path", "_file")


@dataclass(frozen=True)
class NotebookRun:
    name: str
    notebook: Path
    parameters: dict[str, Any] = field(default_factory=dict)

    def input_files(self) -> list[Path]:
        """Files named by parameters ending in ``_path``/``_file`` (hashed into the
        fingerprint and into the provenance)."""
        found = []
        for key, value in sorted(self.parameters.items()):
            if key.endswith(INPUT_SUFFIXES) and isinstance(value, str):
                p = paths.resolve(value)
                if p.is_file():
                    found += [p, *companion_files(p)]  # an export and its mapping count together
        return found


def notebook_problem(notebook: Path) -> None:
    """A notebook file that is not a readable notebook (not JSON, not UTF-8, a link, a
    folder) is one :class:`ReportError` naming it."""
    if notebook.is_symlink() or not notebook.is_file():
        raise ReportError(f"{notebook}: a notebook must be a regular file (not a link or a folder)")
    try:
        data = json.loads(notebook.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ReportError(f"{notebook}: not a readable notebook ({type(exc).__name__}: {str(exc)[:100]}); restore it "
                          "from git (git checkout -- <file>) or save it again from JupyterLab") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise ReportError(f"{notebook}: not a notebook (no list of cells); restore it from git or save it again "
                          "from JupyterLab")


def load_config(config: Path, required: bool = False) -> dict[str, list[dict[str, Any]]]:
    """The runs of ``config`` by notebook name, checked for shape (:mod:`analysis.pipeline.config_shape`).
    A missing file is ``{}`` (every notebook once with its defaults) unless ``required``
    (a ``--config`` named on the command line must exist)."""
    if not Path(config).is_file():
        if required:
            raise ReportError(f"--config {config}: no such file (the default is <notebooks>/report.yml)")
        return {}
    return read_config(Path(config))


def discover_runs(notebooks_dir: Path, config: Path | None = None,
                  overrides: dict[str, Any] | None = None) -> list[NotebookRun]:
    """Every ``*.ipynb`` in ``notebooks_dir`` (not checkpoints), once per parameter set in
    ``config`` (default: once with the notebook's own defaults).

    Precedence: notebook default < ``report.yml`` entry < ``overrides`` (``-p`` on the
    command line). An override applies to every run whose notebook declares the name and is
    typed against the notebook's default (:func:`apply_overrides`); a name that no notebook
    declares is an error."""
    if not Path(notebooks_dir).is_dir():
        raise ReportError(f"--notebooks {notebooks_dir}: no such folder (the default is notebooks/)")
    cfg = load_config(config) if config else {}
    notebooks = sorted(p for p in notebooks_dir.glob("*.ipynb"))
    for nb in notebooks:
        notebook_problem(nb)
    if not notebooks:
        raise ReportError(f"--notebooks {notebooks_dir}: the folder holds no notebooks (*.ipynb); nothing was run "
                          "and nothing was removed")
    unknown = set(cfg) - {p.stem for p in notebooks}
    if unknown:
        raise ReportError(f"{config}: runs configured for notebooks that do not exist: "
                          f"{', '.join(sorted(unknown))}")
    runs: list[NotebookRun] = []
    for nb in notebooks:
        declared = declared_parameters(nb) if cfg.get(nb.stem) else {}
        for entry in cfg.get(nb.stem) or [{}]:
            suffix = entry.get("suffix", "")
            params = {name: _typed_for(name, value, declared[name], nb.name, f"{config}:")
                      if name in declared and not isinstance(value, list) else value
                      for name, value in (entry.get("parameters") or {}).items()}
            runs.append(NotebookRun(f"{nb.stem}{'-' + suffix if suffix else ''}", nb, params))
    names = [r.name for r in runs]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise ReportError(f"duplicate run names {sorted(dupes)}: give each run a unique 'suffix'")
    return apply_overrides(runs, overrides) if overrides else runs


def typed_value(text: str) -> Any:
    """A ``-p NAME=VALUE`` value typed by YAML 1.2's plain-scalar rules
    (:mod:`analysis.strict_yaml`): ``10`` an int, ``true`` a bool, ``0.5`` a float, ``null``
    None; everything else is the text as written, whole (``012``, ``1:30``, dates, lists,
    ``a.csv #2``: no comment is cut off); an empty value is the empty string."""
    if text == "" or text != text.strip() or "\n" in text or re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+", text):
        return text  # 1.000: a Dutch thousand or one with three decimals? kept as text, refused as a number
    for tag, pattern in StrictLoader.yaml_implicit_resolvers.get(text[0], []):
        if pattern.match(text):
            return {"tag:yaml.org,2002:bool": lambda t: t.lower() == "true",
                    "tag:yaml.org,2002:int": int, "tag:yaml.org,2002:float": float,
                    "tag:yaml.org,2002:null": lambda t: None}[tag](text)
    return text


def _typed_for(name: str, value: Any, default: Any, notebook: str, where: str = "-p") -> Any:
    """``value`` checked against the type of the notebook's default: text where the
    notebook expects text, an int (not a bool) where it expects an int, a number where it
    expects a float."""
    if isinstance(default, str) or default is None:
        return value if isinstance(value, str) or default is None else _as_written(value)
    if isinstance(value, str) and isinstance(default, (int, float)) and not isinstance(default, bool):

        raise ReportError(f"{where} {name}={value}: {notebook} declares {name} as {type(default).__name__} "
                          f"(default {default!r}); {number_text_problem(value, type(default).__name__)}")
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(default, float):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    else:
        ok = True
    if not ok:
        raise ReportError(f"{where} {name}={_as_written(value)}: {notebook} declares {name} as "
                          f"{type(default).__name__} (default {default!r}); got {type(value).__name__}")
    return float(value) if isinstance(default, float) else value


def _as_written(value: Any) -> str:
    return "true" if value is True else "false" if value is False else "" if value is None else str(value)


def declared_parameters(notebook: Path) -> dict[str, Any]:
    """The notebook's parameters and their default values: the names assigned in the cell
    tagged ``parameters``, as papermill reads them (a default that is not a literal is
    ``None``: not type-checked). Read with ``ast`` from the notebook's JSON rather than with
    papermill's inspection, which imports papermill (a second of every no-op rerun)."""
    return dict(_declared(str(notebook), Path(notebook).stat().st_mtime_ns))


@lru_cache(maxsize=64)
def _declared(notebook: str, _mtime: int) -> tuple[tuple[str, Any], ...]:
    cells = json.loads(Path(notebook).read_text(encoding="utf-8")).get("cells", [])
    out: dict[str, Any] = {}
    for cell in cells:
        if cell.get("cell_type") != "code" or "parameters" not in cell.get("metadata", {}).get("tags", []):
            continue
        source = "".join(cell.get("source", ""))
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
                node, ast.AnnAssign) and node.value is not None else []
            for target in targets:
                if isinstance(target, ast.Name):
                    try:
                        out[target.id] = ast.literal_eval(node.value)
                    except (ValueError, SyntaxError, TypeError):
                        out[target.id] = None  # an expression, not a literal
        break
    return tuple(out.items())


def apply_overrides(runs: list[NotebookRun], overrides: dict[str, Any]) -> list[NotebookRun]:
    """Command-line parameters win over ``report.yml``: each is set on every run whose
    notebook declares it, typed against that notebook's default. A name no notebook declares
    is an error (a typo would otherwise be silently ignored)."""

    refuse_runner_parameters(overrides, "-p")
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
    declared = set(declared_parameters(run.notebook))
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


def with_joint_cutoffs(runs: list[NotebookRun]) -> list[NotebookRun]:
    """Each run whose notebook declares both ``cutoff_date`` and ``joint_cutoffs`` gets the
    parameter ``joint_cutoffs``: the sorted distinct ``cutoff_date`` of every such run of this
    invocation that reads the same data (the same ``study``, ``participants_path`` and
    ``status_history_path``, given or the notebook's default). Their disclosure control
    protects exactly the dates this configuration publishes from that file (not those of
    ``notebooks/report.yml``), and a run is stale when that set changes (it is part of its
    parameters)."""
    declared = {nb: declared_parameters(nb) for nb in {r.notebook for r in runs}}
    joint = [r for r in runs if {"cutoff_date", "joint_cutoffs"} <= set(declared[r.notebook])]

    def value(r: NotebookRun, name: str) -> str:
        return str(r.parameters.get(name, declared[r.notebook].get(name)))

    def data(r: NotebookRun) -> tuple[str, ...]:
        return tuple(value(r, n) for n in ("study", "participants_path", "status_history_path"))

    dates = {}
    for r in joint:
        dates.setdefault(data(r), set()).add(value(r, "cutoff_date"))
    return [NotebookRun(r.name, r.notebook, dict(r.parameters, joint_cutoffs=sorted(dates[data(r)])))
            if r in joint else r for r in runs]
