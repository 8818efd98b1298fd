"""Run discovery and configuration: which notebook runs exist (``notebooks/*.ipynb``
times the parameter sets in ``notebooks/report.yml``) and which parameters each may take."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
        from analysis.data.mapped import companion_files

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
    import yaml

    data = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    runs = data.get("runs", {})
    if not isinstance(runs, dict):
        raise ReportError(f"{config}: 'runs' must map notebook names to lists of runs")
    return runs


def discover_runs(notebooks_dir: Path, config: Path | None = None,
                  defaults: dict[str, Any] | None = None) -> list[NotebookRun]:
    """Every ``*.ipynb`` in ``notebooks_dir`` (not checkpoints), once per parameter set in
    ``config`` (default: once with the notebook's own defaults). ``defaults`` are applied to
    every run where the notebook declares them (e.g. ``language``)."""
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
            for k, v in (defaults or {}).items():
                params.setdefault(k, v)
            runs.append(NotebookRun(f"{nb.stem}{'-' + suffix if suffix else ''}", nb, params))
    names = [r.name for r in runs]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise ReportError(f"duplicate run names {sorted(dupes)}: give each run a unique 'suffix'")
    return runs


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


def keep_declared(run: NotebookRun, global_keys: set[str]) -> NotebookRun:
    """Drop command-line defaults (``-p``) that this notebook does not declare; parameters
    from ``report.yml`` are never dropped."""
    from papermill.inspection import inspect_notebook

    declared = set(inspect_notebook(str(run.notebook)))
    params = {k: v for k, v in run.parameters.items() if k in declared or k not in global_keys}
    return NotebookRun(run.name, run.notebook, params)


def as_list(value: Any) -> list[Any]:
    """A list parameter as a list: given as a list (the notebook default, ``report.yml``,
    ``-p 'power_ns=[30, 1000]'``) or as one comma-separated string (``-p power_ns=30,1000``)."""
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    if isinstance(value, list | tuple):
        return list(value)
    raise TypeError(f"expected a list or a comma-separated string, got {value!r}")
