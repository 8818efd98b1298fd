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

from analysis import paths, synthetic_seal
from analysis.data.digests import sha256_of
from analysis.data.errors import InputError, excerpt, written
from analysis.data.file_pairs import companion_files, is_mapping_file, mapped_sheets, mapping_beside, source_path
from analysis.pipeline.config_shape import read_config
from analysis.pipeline.errors import ReportError
from analysis.pipeline.parameter_rules import number_text_problem, refuse_runner_parameters, value_problem
from analysis.pipeline.private_runs import is_private
from analysis.pipeline.study_inputs import own_inputs
from analysis.private_data import in_private_folder
from analysis.strict_yaml import StrictLoader, WrittenFloat, WrittenInt, WrittenNull, as_written

__all__ = ["ReportError"]  # raised by the runner's modules; defined in analysis.pipeline.errors

# Names the runner injects itself; notebooks must declare them in their parameters cell.
RUNNER_PARAMETERS = ("output_dir",)
INPUT_SUFFIXES = ("_path", "_file")


@dataclass(frozen=True)
class NotebookRun:
    name: str
    notebook: Path
    parameters: dict[str, Any] = field(default_factory=dict)

    def declared(self) -> dict[str, Any]:
        """The notebook's parameters and their defaults (:func:`declared_parameters`)."""
        return declared_parameters(self.notebook)

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


NOTEBOOK_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


def notebook_problem(notebook: Path) -> None:
    """A notebook file that is not a readable notebook (not JSON, not UTF-8, a link, a
    folder) is one :class:`ReportError` naming it."""
    if notebook.is_symlink() or not notebook.is_file():
        raise ReportError(f"{notebook}: a notebook must be a regular file (not a link or a folder)")
    if not NOTEBOOK_NAME.fullmatch(notebook.stem):  # hostile round 12: '01 <img src=x ...>.ipynb' became an href
        raise ReportError(f"{written(str(notebook))}: a notebook's name becomes the name of its runs, pages and links: "
                          "write it with letters, digits, - and _ only (at most 64, e.g. 05_my_analysis.ipynb)")
    try:
        data = json.loads(notebook.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ReportError(f"{notebook}: not a readable notebook ({type(exc).__name__}: {str(exc)[:100]}); restore it "
                          "from git (git checkout -- <file>) or save it again from JupyterLab") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise ReportError(f"{notebook}: not a notebook (no list of cells); restore it from git or save it again "
                          "from JupyterLab")


def config_file_problem(config: Path) -> str | None:
    """Why ``--config`` names no configuration file: nothing there, a folder (hostile round 13:
    a folder was said to be "no such file"), or no regular file. None for a file."""
    config = Path(config)
    if config.is_file():
        return None
    if config.is_dir():
        inside = config / "report.yml"
        example = f" ({excerpt(str(inside), 200)} is one)" if inside.is_file() else ""
        return (f"--config {excerpt(str(config), 200)} is a folder; it must name a configuration file (a .yml with "
                f"'runs:'){example}")
    if config.exists():
        return (f"--config {excerpt(str(config), 200)} is not a regular file (a device, pipe or socket); it must name "
                "a configuration file (a .yml with 'runs:')")
    return f"--config {excerpt(str(config), 200)}: no such file (the default is <notebooks>/report.yml)"


def load_config(config: Path, required: bool = False) -> dict[str, list[dict[str, Any]]]:
    """The runs of ``config`` by notebook name, checked for shape (:mod:`analysis.pipeline.config_shape`).
    A missing file is ``{}`` (every notebook once with its defaults) unless ``required``
    (a ``--config`` named on the command line must exist)."""
    if not Path(config).is_file():
        if required:
            raise ReportError(config_file_problem(config))
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
                          f"{', '.join(excerpt(n) for n in sorted(unknown))} (the notebooks of {notebooks_dir}: "
                          f"{', '.join(p.stem for p in notebooks)})")
    runs: list[NotebookRun] = []
    for nb in notebooks:
        declared = declared_parameters(nb) if cfg.get(nb.stem) else {}
        for entry in cfg.get(nb.stem) or [{}]:
            suffix = entry.get("suffix", "")
            undeclared = sorted(set(entry.get("parameters") or {}) - set(declared))
            if undeclared:  # as -p refuses it, before anything runs (a dry run too): a typo would keep the default
                raise ReportError(
                    f"{config}: run '{nb.stem}{'-' + suffix if suffix else ''}' sets "
                    f"{', '.join(excerpt(n) for n in undeclared)}, which {nb.name} does not declare in its "
                    f"'parameters' cell (declared: {sorted(declared)}): a misspelt name would leave the notebook's "
                    f"default in place. Fix {config}, or add the parameter to the notebook.")
            params = {name: _checked(name, _typed_for(name, value, declared[name], nb.name, f"{config}:")
                                     if name in declared and not isinstance(value, list) else value, f"{config}:")
                      for name, value in (entry.get("parameters") or {}).items()}
            runs.append(NotebookRun(f"{nb.stem}{'-' + suffix if suffix else ''}", nb, params))
    names = [r.name for r in runs]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise ReportError(f"duplicate run names {sorted(dupes)}: give each run a unique 'suffix'")
    folded: dict[str, str] = {}
    for n in names:  # p-en and p-EN: one file name where case is ignored (macOS, Windows)
        if n.casefold() in folded:
            raise ReportError(f"run names {folded[n.casefold()]} and {n} differ only by case: their outputs would "
                              "overwrite each other on a file system that ignores case (macOS, Windows); give each "
                              "run a 'suffix' that differs in more than case")
        folded[n.casefold()] = n
    runs = apply_overrides(runs, overrides) if overrides else runs
    return [NotebookRun(r.name, r.notebook, own_inputs(r.parameters, declared_parameters(r.notebook))) for r in runs]


def typed_value(text: str) -> Any:
    """A ``-p NAME=VALUE`` value typed by YAML 1.2's plain-scalar rules
    (:mod:`analysis.strict_yaml`): ``10`` an int, ``true`` a bool, ``0.5`` a float, ``null``
    a :class:`~analysis.strict_yaml.WrittenNull`; everything else is the text as written,
    whole (``012``, ``1:30``, dates, lists, ``a.csv #2``: no comment is cut off); an empty
    value is the empty string. A number keeps the text it was written as (``1e1``, ``+10``),
    so that a message quotes it as written."""
    if text == "" or text != text.strip() or "\n" in text or re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+", text):
        return text  # 1.000: a Dutch thousand or one with three decimals? kept as text, refused as a number
    for tag, pattern in StrictLoader.yaml_implicit_resolvers.get(text[0], []):
        if pattern.match(text):
            return {"tag:yaml.org,2002:bool": lambda t: t.lower() == "true",
                    "tag:yaml.org,2002:int": WrittenInt, "tag:yaml.org,2002:float": WrittenFloat,
                    "tag:yaml.org,2002:null": WrittenNull}[tag](text)
    return text


def plain(value: Any) -> Any:
    """A value as a notebook receives it: a number that kept its text as the plain int or
    float, a null as None (in a list too)."""
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, WrittenNull):
        return None
    if isinstance(value, WrittenInt):
        return int(value)
    if isinstance(value, WrittenFloat):
        return float(value)
    return value


def _checked(name: str, value: Any, where: str, shown: str | None = None) -> Any:
    """``value`` as :func:`plain` gives it, after the documented rules of its name
    (:func:`analysis.pipeline.parameter_rules.value_problem`) while a number still has the
    text it was written as (``-0``, ``1e2``): the message quotes that text."""
    items = value if isinstance(value, list) else [value]
    if any(hasattr(v, "written") for v in items) and (problem := value_problem(name, value)):
        if shown is None:
            shown = ("[" + ", ".join(as_written(v) for v in value) + "]" if isinstance(value, list)
                     else as_written(value))
        raise ReportError(f"{where} {name}={excerpt(shown)}: {problem}")
    return plain(value)


def _kind_of(default: Any) -> str:
    return "a list" if isinstance(default, list | tuple) else type(default).__name__


def _typed_for(name: str, value: Any, default: Any, notebook: str, where: str = "-p") -> Any:
    """``value`` checked against the type of the notebook's default: text where the
    notebook expects text (a null on the command line is the text written, in a configuration
    the empty text), an int (not a bool) where it expects an int, a number where it expects a
    float, a list (or text of items separated by commas, or one item) where it expects a list.
    Every message quotes the value as it was written."""
    text = as_written(value)
    head = f"{where} {name}={excerpt(text)}: {notebook} declares {name} as {_kind_of(default)} (default {default!r})"
    if isinstance(value, WrittenNull):
        if default is None:
            return None
        if isinstance(default, str) and name.endswith(("_path", "_file", "_dir")) and where == "-p":
            raise ReportError(f"{head}; got {written(text)}, YAML's null: write the path, or nothing after '=' "
                              f"where the input may be left out ({name}=)")
        if isinstance(default, str):  # the text written on the command line; in a file, the empty text
            return text if where == "-p" else ""
        raise ReportError(f"{head}; got {written(text)}, YAML's null (nothing): write the value")
    if isinstance(default, str) or default is None:
        return value if isinstance(value, str) or default is None else as_written(value)
    if isinstance(default, list | tuple):
        if value is None:
            raise ReportError(f"{head}; got null (nothing): write the items separated by commas")
        return value if isinstance(value, list | str) else [value]
    if isinstance(value, str) and isinstance(default, (int, float)) and not isinstance(default, bool):
        raise ReportError(f"{head}; {number_text_problem(value, type(default).__name__)}")
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(default, float):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    else:
        ok = True
    if not ok:
        if isinstance(default, bool):
            rule = f"write true or false, got {written(text)}"
        elif isinstance(value, bool):
            rule = f"got {text}, a yes/no value: write the number"
        elif value is None:
            rule = "got null (nothing): write the number"
        else:  # a float where a whole number is declared
            rule = number_text_problem(text, "int")
        raise ReportError(f"{head}; {rule}")
    return WrittenFloat(text) if isinstance(default, float) and not isinstance(value, float) else value


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
        raise ReportError(f"-p {', '.join(excerpt(n) for n in unused)}: no notebook declares "
                          f"{'this parameter' if len(unused) == 1 else 'these parameters'} in its "
                          f"'parameters' cell (declared: {sorted({k for d in declared.values() for k in d})})")
    out = []
    for run in runs:
        params = dict(run.parameters)
        for name, value in overrides.items():
            if name in declared[run.notebook]:
                params[name] = _checked(name, _typed_for(name, value, declared[run.notebook][name],
                                                         run.notebook.name), "-p", as_written(value))
        out.append(NotebookRun(run.name, run.notebook, params))
    return out


def validate_parameters(run: NotebookRun) -> None:
    """A passed parameter the notebook does not declare is an error (papermill only
    warns). A notebook without a ``parameters`` cell is an error too."""
    import nbformat  # on use: the no-op rerun starts without nbformat

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
            f"its 'parameters' cell (declared: {sorted(declared)}). Fix the run configuration that sets them "
            "(--config; notebooks/report.yml by default) or add them to the notebook.")


def defaults_note(runs: list[NotebookRun], config: Path | None) -> str | None:
    """A note for the runs of ``runs`` whose notebook ``config`` does not name while it names
    others: they run with the notebook's own defaults, so a notebook that reads a participant
    file reads the shipped synthetic one beside a configuration for another file (hostile
    round 6: a configuration of notebook 02 on real data ran 03 and 04 on the synthetic file
    without a word). None when there are none."""
    if config is None or not Path(config).is_file():
        return None
    named = set(load_config(config))
    if not named:
        return None
    left = [r for r in runs if r.notebook.stem not in named
            and "participants_path" in declared_parameters(r.notebook) and not r.parameters.get("participants_path")]
    if not left:
        return None
    file = declared_parameters(left[0].notebook).get("participants_path")
    names = ", ".join(r.name for r in left)
    return (f"note: {names} {'is' if len(left) == 1 else 'are'} not named in {config}: "
            f"{'it runs' if len(left) == 1 else 'they run'} with the notebook's own defaults "
            f"(participants_path={file}); name the notebook there with its runs to read your file, or leave it out "
            "with --only")


def without_synthetic_beside_private(runs: list[NotebookRun]) -> tuple[list[NotebookRun], str | None]:
    """In an invocation with a run on a private file, the runs that would read the shipped
    synthetic participant file are left out, with a note naming them: the invocation publishes
    into the private reports folder, and synthetic pages there would stand beside (or replace)
    real ones under the same names (intruder round 12). Other runs are kept."""
    if not any(is_private(r) for r in runs):
        return runs, None
    left = [r for r in runs if not is_private(r) and "participants_path" in declared_parameters(r.notebook)]
    if not left:
        return runs, None
    names = ", ".join(r.name for r in left)
    return [r for r in runs if r not in left], (
        f"note: {names} would read the shipped synthetic participant file beside your private one and "
        f"{'is' if len(left) == 1 else 'are'} left out of this invocation (synthetic and real outputs never "
        "share a folder); name the notebook in the configuration with your file to publish it")


def as_list(value: Any) -> list[Any]:
    """A list parameter as a list: given as a list (the notebook default, ``report.yml``) or
    as one comma-separated string (``-p power_ns=30,1000``; brackets are refused by
    :func:`analysis.pipeline.parameter_rules.value_problem`)."""
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


# The parameters that make a notebook's release one analysis of a file (a model's outcome and
# population, the curves' censoring and groups). Notebook 02's cut-off dates are protected
# together (``joint_cutoffs``); these releases are not, so on a private file every run of the
# notebook in one invocation must agree on them, and every run that publishes person counts of
# the file on one threshold (languages may differ; the release ledger refuses a later invocation
# that publishes another analysis of the file, and protects one at another threshold).
ONE_ANALYSIS = {"03_outcome_models": ("outcome_definition", "cutoff_date", "population", "predictors"),
                "04_time_to_work": ("cutoff_date", "definitions", "origins", "groupings")}


NEEDS_HISTORY = ("04_time_to_work",)  # notebooks that cannot run without a status history


def history_problem(runs: list[NotebookRun]) -> str | None:
    """A run of a notebook of :data:`NEEDS_HISTORY` with no status history to read: an empty
    ``status_history_path``, no ``synthetic_n``, and a participant file that is no export with
    a mapping (whose status-history sheet the notebook would read). Said before any kernel
    starts (hostile round 12: the kernel said it after 96 s)."""
    for r in runs:
        if Path(r.notebook).stem not in NEEDS_HISTORY:
            continue
        declared = declared_parameters(r.notebook)
        value = {n: r.parameters.get(n, declared.get(n)) for n in ("status_history_path", "synthetic_n",
                                                                   "participants_path")}
        if str(value["status_history_path"] or "").strip() or value["synthetic_n"]:
            continue
        participants = str(value["participants_path"] or "")
        resolved = paths.resolve(participants) if participants else None
        if resolved is not None and (is_mapping_file(resolved) or mapping_beside(resolved).exists()):
            continue  # an export: its mapping may name a status-history sheet (the notebook checks)
        return (f"run '{r.name}': {Path(r.notebook).name} needs a status history, and this run has none: "
                "status_history_path is empty and the participant file is no export with a mapping. Set "
                "status_history_path to the file of dated statuses (docs/real-data.md), or leave this notebook "
                "out of the configuration. Nothing was run.")
    return None


LOWEST_REAL_THRESHOLD = 10  # analysis.stats.disclosure.DEFAULT_THRESHOLD: below it only the project's own data


def data_files(run: NotebookRun) -> list[tuple[str, Path]]:
    """The files whose people a run counts, with their role: the participant file (an export
    when it is read through a mapping) and the status history; those that exist."""
    declared = declared_parameters(run.notebook)
    found = []
    for name, role in (("participants_path", "participant file"), ("status_history_path", "status history")):
        text = str(run.parameters.get(name, declared.get(name)) or "").strip()
        if not text:
            continue
        path = paths.resolve(text)
        if is_mapping_file(path):
            path, role = source_path(path), "export"
        if path.is_file():
            found.append((role, path))
    return found


def threshold_problem(runs: list[NotebookRun]) -> str | None:
    """A run asking for a threshold below 10 on a data file the project did not make (not
    shipped, not written by the generator: :mod:`analysis.synthetic_seal`): the kernel would
    refuse it after it started, and named the status history as if it carried the participant
    file's column ``synthetisch`` (hostile round 13). A file in the private folder is real data
    whatever it is (the kernel refused it, with traceback frames: hostile round 17). Said before
    any kernel starts (a dry run too), naming the file by its role, with what to do for that role."""
    for r in runs:
        declared = declared_parameters(r.notebook)
        k = r.parameters.get("min_cell_count", declared.get("min_cell_count"))
        if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k < LOWEST_REAL_THRESHOLD:
            continue
        for role, path in data_files(r):
            if in_private_folder(path):  # hostile round 17: a shipped synthetic file copied there passed
                return (f"run '{r.name}': min_cell_count={k} is below {LOWEST_REAL_THRESHOLD}; its {role} "
                        f"{excerpt(path.name, 80)} is in the private folder, where real data are kept, so its "
                        "people are treated as real whatever it says of itself: keep min_cell_count at "
                        f"{LOWEST_REAL_THRESHOLD} or more. Nothing was run.")
            if synthetic_seal.made_by_project(path):
                continue
            remedy = synthetic_seal.REMEDIES[role]
            return (f"run '{r.name}': min_cell_count={k} is below {LOWEST_REAL_THRESHOLD}, which only data the "
                    f"project made may have (a shipped file, or one `.venv/bin/python -m analysis synthetic` wrote "
                    f"unchanged); its {role} {excerpt(path.name, 80)} is not such a file, so its people are real. "
                    f"{remedy[0].upper() + remedy[1:]}. "
                    "Nothing was run.")
    return None


def export_size_problem(runs: list[NotebookRun]) -> str | None:
    """A run whose participant file is an export read through a mapping, and the export (or
    the sheets its mapping reads) is larger than the reader reads: refused before any kernel
    starts, with the reader's own message (hostile round 13: the kernel refused it after it
    started). Each export is checked once, from its size and zip directory alone."""
    seen: set[Path] = set()
    for r in runs:
        declared = declared_parameters(r.notebook)
        text = str(r.parameters.get("participants_path", declared.get("participants_path")) or "").strip()
        if not text:
            continue
        given = paths.resolve(text)
        mapping = given if is_mapping_file(given) else mapping_beside(given)
        if not mapping.is_file():
            continue
        export = source_path(mapping)
        if export in seen or not export.is_file():
            continue
        seen.add(export)
        from analysis.data.workbook import guard_export_size  # pandas, on use: only for a run that reads an export

        try:
            guard_export_size(export, mapped_sheets(mapping))
        except InputError as err:
            return f"run '{r.name}': {err}\nNothing was run."
    return None


def _as_text(value: Any) -> str:
    return ",".join(str(v).strip() for v in as_list(value)) if isinstance(value, list | tuple) or (
        isinstance(value, str) and "," in value) else str(value)


def file_identity(value: Any) -> str:
    """An input file as the check of one analysis per file knows it: by its content (a copy, a
    link or another spelling of its path is the same file: attack 16 published notebooks 03 and
    04 of one file through ``data/raw/private/./deelnemers.csv``); a path that names no file, as
    written."""
    text = "" if value is None else str(value)
    target = paths.resolve(text).resolve() if text.strip() else None
    return f"sha256:{sha256_of(target)}" if target is not None and target.is_file() else text


def analysis_problem(runs: list[NotebookRun]) -> str | None:
    """Two runs of a notebook of :data:`ONE_ANALYSIS` on one private file with different
    analysis parameters (intruder round 12: notebook 03 for the population "stayed" and
    "all", or notebook 04's curves at two cut-off dates, differenced, gave counts of 3 and 0),
    or two runs that publish person counts of one private file at different thresholds
    (intruder round 13: notebook 04 at 10 and 13 published what 10 alone withheld)."""
    seen: dict[tuple, tuple[str, tuple[str, ...]]] = {}
    for r in runs:
        if not is_private(r):
            continue
        declared = declared_parameters(r.notebook)
        if "min_cell_count" not in declared:
            continue
        data = (str(r.parameters.get("study", declared.get("study"))),
                *(file_identity(r.parameters.get(n, declared.get(n))) for n in ("participants_path",
                                                                                  "status_history_path")))
        stem = Path(r.notebook).stem
        family = "03+04" if stem in ONE_ANALYSIS else r.notebook  # one analysis of a file by 03 or 04 (round 15)
        for key, names in ((("threshold", data), ("min_cell_count",)),
                           ((family, data), ("notebook", *ONE_ANALYSIS.get(stem, ())))):
            values = tuple(stem if n == "notebook" else _as_text(r.parameters.get(n, declared.get(n))) for n in names)
            first, before = seen.setdefault(key, (r.name, values))
            if names[0] == "notebook" and before[0] != values[0]:
                return (f"runs '{first}' and '{r.name}' would publish notebook {before[0][:2]} and notebook "
                        f"{values[0][:2]} of one private file; the two are not protected together (their difference "
                        "could reveal persons). A file publishes the models (notebook 03) or the time to work "
                        "(notebook 04), not both: keep the runs of one of them in the configuration. Nothing was run.")
            if before != values:
                differ = "; ".join(f"{n} {a} and {b}" for n, a, b in zip(names, before, values) if a != b)
                return (f"runs '{first}' and '{r.name}' would publish two analyses of one private file ({differ}). "
                        "Runs of one invocation are protected one by one against what was published before, not "
                        "against each other, so the difference between two could reveal persons (another "
                        "threshold suppresses other cells). Keep one of them in the configuration (runs in "
                        "another language may stay). Nothing was run.")
    return None
