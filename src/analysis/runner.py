"""The report runner behind ``make report`` (``python -m analysis report``).

One Python process executes every notebook in ``notebooks/`` with papermill's API and
exports HTML with nbconvert's exporter classes (``html_export``), so the interpreter and nbconvert start once
per run, not once per notebook. A notebook whose fingerprint (cell sources, parameters,
input files, ``src/analysis`` sources and the lock file) is unchanged is not rerun.

Outputs are staged: a notebook writes into ``reports/.staging/<run>/`` and only a run that
finished without error is promoted into ``reports/``. A failed run leaves ``reports/``
untouched and keeps the failed executed notebook in ``reports/failed/`` for inspection.

Heavy imports (papermill, nbconvert) happen inside the functions that need them so that a
no-op rerun only hashes files.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import os
import shutil
import sys
import time
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from . import paths

STATE_FILE = ".runner-state.json"
KERNEL_NAME = "python3"
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
        found = []
        for key, value in sorted(self.parameters.items()):
            if key.endswith(INPUT_SUFFIXES) and isinstance(value, str):
                p = paths.resolve(value)
                if p.is_file():
                    found.append(p)
        return found


# --------------------------------------------------------------------------- discovery
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


# --------------------------------------------------------------------------- fingerprints
def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def notebook_source_hash(nb_path: Path) -> str:
    """Hash of what a notebook *does*: cell types, sources and tags, not outputs, so a
    notebook saved from JupyterLab with outputs does not count as changed."""
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    cells = [(c.get("cell_type"), "".join(c.get("source", "")),
              sorted(c.get("metadata", {}).get("tags", []))) for c in nb.get("cells", [])]
    return _sha(json.dumps(cells, sort_keys=True).encode())


def code_hash(src_dir: Path = paths.SRC, lock: Path = paths.PROJECT_ROOT / "requirements.lock") -> str:
    h = hashlib.sha256()
    for f in sorted(p for p in src_dir.rglob("*") if p.suffix in (".py", ".j2")):
        h.update(f.relative_to(src_dir).as_posix().encode())
        h.update(f.read_bytes())
    if lock.is_file():
        h.update(lock.read_bytes())
    return h.hexdigest()


def fingerprint(run: NotebookRun, shared_code_hash: str) -> str:
    from .provenance import sha256_file

    parts = {
        "notebook": notebook_source_hash(run.notebook),
        "parameters": json.dumps(run.parameters, sort_keys=True, default=str),
        "inputs": {p.as_posix(): sha256_file(p) for p in run.input_files()},
        "code": shared_code_hash,
    }
    return _sha(json.dumps(parts, sort_keys=True).encode())


# --------------------------------------------------------------------------- state
def read_state(reports: Path) -> dict[str, Any]:
    f = reports / STATE_FILE
    if not f.is_file():
        return {}
    try:
        return json.loads(f.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return {}


def write_state(reports: Path, state: dict[str, Any]) -> None:
    _atomic_write(reports / STATE_FILE, json.dumps(state, indent=2, sort_keys=True) + "\n")


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def is_current(run: NotebookRun, fp: str, state: dict[str, Any], reports: Path) -> bool:
    entry = state.get(run.name)
    if not entry or entry.get("fingerprint") != fp or entry.get("status") != "ok":
        return False
    return all((reports / rel).is_file() for rel in entry.get("outputs", []))


# --------------------------------------------------------------------------- parameters
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


# --------------------------------------------------------------------------- execution
@dataclass
class RunResult:
    run: NotebookRun
    status: str  # ok | failed | skipped
    duration: float = 0.0
    message: str = ""
    outputs: list[str] = field(default_factory=list)


def _provenance_cell(run: NotebookRun, duration: float) -> Any:
    import nbformat

    from .provenance import Provenance

    prov = Provenance.collect(run.notebook.name, run.parameters,
                              {p.name: p for p in run.input_files()})
    text = (f"**Provenance.** Run `{run.name}` of `notebooks/{run.notebook.name}`, "
            f"executed by `python -m analysis report` in {duration:.1f} s.\n\n{prov.as_markdown()}")
    cell = nbformat.v4.new_markdown_cell(text)
    cell.metadata["tags"] = ["provenance"]
    cell["id"] = "provenance"
    return cell


def _failure_message(run: NotebookRun, exc: BaseException, failed_nb: Path) -> str:
    from papermill.exceptions import PapermillExecutionError

    where = ""
    if isinstance(exc, PapermillExecutionError):
        where = (f" at cell {exc.cell_index} (In [{exc.exec_count}]): {exc.ename}: "
                 f"{str(exc.evalue).splitlines()[0] if exc.evalue else ''}")
    else:
        where = f": {type(exc).__name__}: {exc}"
    return (f"notebook {run.notebook.name} (run '{run.name}') failed{where}\n"
            f"  The executed notebook is kept at {failed_nb} (open it in JupyterLab; the red "
            f"banner links to the failing cell).\n"
            f"  reports/ still holds the last good outputs. Fix the cause, then rerun `make report`.")


def execute_run(run: NotebookRun, reports: Path, timeout: float | None = None) -> RunResult:
    """Execute one notebook into a staging folder and promote its outputs on success."""
    import nbformat
    import papermill as pm

    staging = reports / ".staging" / run.name
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    executed = staging / "executed" / f"{run.name}.ipynb"
    executed.parent.mkdir(parents=True)
    params = dict(run.parameters, output_dir=str(staging))
    start = time.perf_counter()
    try:
        pm.execute_notebook(
            str(run.notebook), str(executed), parameters=params, kernel_name=KERNEL_NAME,
            cwd=str(run.notebook.parent), progress_bar=False, log_output=False,
            request_save_on_cell_execute=False, execution_timeout=timeout,
        )
    except BaseException as exc:  # noqa: BLE001 - any failure of a run is reported the same way
        failed_dir = reports / "failed"
        failed_dir.mkdir(parents=True, exist_ok=True)
        failed_nb = failed_dir / f"{run.name}.ipynb"
        if executed.is_file():
            shutil.copyfile(executed, failed_nb)
        shutil.rmtree(staging, ignore_errors=True)
        msg = _failure_message(run, exc, failed_nb if failed_nb.is_file() else Path("(none)"))
        return RunResult(run, "failed", time.perf_counter() - start, msg)
    duration = time.perf_counter() - start

    nb = nbformat.read(executed, as_version=4)
    # The staging folder is an implementation detail; the executed notebook shows the
    # parameter as the interactive default would.
    nb.cells.insert(0, _provenance_cell(run, duration))
    _scrub_staging_paths(nb, staging, reports)
    nbformat.write(nb, executed)
    from .html_export import export_html

    export_html(nb, staging / "html", run.name, run.notebook.parent)

    outputs = promote(staging, reports)
    shutil.rmtree(staging, ignore_errors=True)
    (reports / "failed" / f"{run.name}.ipynb").unlink(missing_ok=True)
    return RunResult(run, "ok", duration, outputs=outputs)


def _scrub_staging_paths(nb: Any, staging: Path, reports: Path) -> None:
    """Replace the staging folder in cell sources and text outputs by ``reports``."""
    needle = str(staging)
    shown = "reports"
    for cell in nb.cells:
        if needle in cell.source:
            cell.source = cell.source.replace(needle, shown)
        for out in cell.get("outputs", []):
            if "text" in out and needle in out["text"]:
                out["text"] = out["text"].replace(needle, shown)
            for mime, val in out.get("data", {}).items():
                if isinstance(val, str) and needle in val:
                    out["data"][mime] = val.replace(needle, shown)


def promote(staging: Path, reports: Path) -> list[str]:
    """Move every staged file to the same relative place under ``reports`` (each file is
    replaced atomically) and return the relative paths."""
    moved = []
    for f in sorted(p for p in staging.rglob("*") if p.is_file()):
        rel = f.relative_to(staging)
        dest = reports / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(f, dest)
        moved.append(rel.as_posix())
    return moved


# --------------------------------------------------------------------------- index + manifest
def write_index(reports: Path, state: dict[str, Any]) -> Path:
    rows = []
    for name in sorted(state):
        e = state[name]
        params = html.escape(json.dumps(e.get("parameters", {}), sort_keys=True, ensure_ascii=False))
        status = html.escape(e.get("status", "?"))
        links = (f'<a href="reviewer/{html.escape(name)}.html">reviewer</a> · '
                 f'<a href="full/{html.escape(name)}.html">full</a>') if status == "ok" else "–"
        rows.append(f"<tr><td>{html.escape(name)}</td><td>{links}</td><td><code>{params}</code></td>"
                    f"<td>{e.get('duration', 0):.1f} s</td><td class='{status}'>{status}</td></tr>")
    body = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>VWNW evaluation: rendered notebooks</title><link rel="icon" href="data:,">
<style>body{{font-family:sans-serif;max-width:70em;margin:2em auto}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:.3em .6em;text-align:left}}.ok{{color:#060}}.failed{{color:#b00}}</style>
</head><body>
<h1>VWNW evaluation: rendered notebooks</h1>
<p>Produced by <code>make report</code>. <em>Reviewer</em> pages hide code; <em>full</em> pages show it.
Participant figures are computed from the <strong>synthetic</strong> participant file unless a run's
parameters name another file. Every output file and its sha256 is listed in
<a href="../manifest.json">manifest.json</a>.</p>
<table><thead><tr><th>run</th><th>HTML</th><th>parameters</th><th>run time</th><th>status</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
</body></html>
"""
    out = reports / "html" / "index.html"
    _atomic_write(out, body)
    return out


def write_manifest(reports: Path) -> Path:
    from .provenance import sha256_file

    files = sorted(p for p in reports.rglob("*") if p.is_file()
                   and not any(part.startswith(".") for part in p.relative_to(reports).parts)
                   and p.name != "manifest.json")
    manifest = {p.relative_to(reports).as_posix(): sha256_file(p) for p in files}
    out = reports / "manifest.json"
    _atomic_write(out, json.dumps({"files": manifest}, indent=2, sort_keys=True) + "\n")
    return out


# --------------------------------------------------------------------------- driver
def longest_first(todo: list[tuple[NotebookRun, str]], state: dict[str, Any]) -> list[tuple[NotebookRun, str]]:
    """Runs ordered by their last recorded run time, longest first (never timed: first), so
    that a long notebook does not start last and run alone on an otherwise idle machine.
    Ties keep their order."""
    return sorted(todo, key=lambda item: -state.get(item[0].name, {}).get("duration", float("inf")))


def resolve_workers(workers: int | str, n_runs: int) -> int:
    """``auto``: two notebook runs per core (a kernel spends part of its start-up waiting,
    so one per core leaves cores idle; measured in ``benchmarks/report_run.py``), never
    more than there are runs."""
    if workers == "auto":
        workers = 2 * (os.cpu_count() or 1)
    return max(1, min(int(workers), max(n_runs, 1)))


def skip_slow_optional_imports() -> None:
    """nbformat imports jsonschema, which imports its optional IRI format checker
    ``rfc3987_syntax`` when installed (jupyter-events pulls it in); that module builds a
    grammar at import and costs 1.6 s per process. The notebook schema has no IRI formats,
    so the runner process goes without it. Kernels are not affected."""
    sys.modules.setdefault("rfc3987_syntax", None)


def run_report(runs: Iterable[NotebookRun], reports: Path = paths.REPORTS, workers: int | str = "auto",
               force: bool = False, timeout: float | None = None,
               log=print) -> list[RunResult]:
    runs = list(runs)
    reports.mkdir(parents=True, exist_ok=True)
    state = read_state(reports)
    chash = code_hash()
    todo, results = [], []
    for run in runs:
        fp = fingerprint(run, chash)
        if not force and is_current(run, fp, state, reports):
            results.append(RunResult(run, "skipped"))
        else:
            todo.append((run, fp))
    for run, _ in todo:
        validate_parameters(run)

    todo = longest_first(todo, state)
    workers = resolve_workers(workers, len(todo))
    if todo:
        log(f"report: running {len(todo)} of {len(runs)} notebook run(s) with {workers} worker(s)")
    failure: RunResult | None = None
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = {pool.submit(execute_run, run, reports, timeout): (run, fp) for run, fp in todo}
        pending = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for fut in done:
                run, fp = futures[fut]
                res = fut.result()
                results.append(res)
                if res.status == "ok":
                    log(f"  ok      {run.name} ({res.duration:.1f} s)")
                    # outputs this run made before but no longer makes are stale
                    for rel in set(state.get(run.name, {}).get("outputs", [])) - set(res.outputs):
                        (reports / rel).unlink(missing_ok=True)
                    state[run.name] = {"fingerprint": fp, "status": "ok", "duration": round(res.duration, 2),
                                       "parameters": run.parameters, "notebook": run.notebook.name,
                                       "outputs": res.outputs}
                else:
                    log(f"  FAILED  {run.name}")
                    failure = failure or res
                    prev = state.get(run.name, {})
                    # keep the last good outputs listed; mark the run as failed so it reruns
                    state[run.name] = dict(prev, status="failed", parameters=run.parameters,
                                           notebook=run.notebook.name, duration=round(res.duration, 2))
                    for f in pending:
                        f.cancel()
                write_state(reports, state)
    known = {r.name for r in runs}
    for stale in set(state) - known:
        del state[stale]
    write_state(reports, state)
    write_index(reports, state)
    write_manifest(reports)
    shutil.rmtree(reports / ".staging", ignore_errors=True)
    if failure:
        raise ReportError(failure.message)
    if not todo:
        log(f"report: all {len(runs)} notebook run(s) up to date (nothing to do)")
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m analysis report",
                                 description="Execute every notebook with papermill and publish HTML.")
    ap.add_argument("-j", "--workers", default="auto",
                    help="notebook runs executed in parallel: a number, or 'auto' (default: two per "
                         "core, at most the number of runs; use 1 for very large input files)")
    ap.add_argument("--force", action="store_true", help="rerun even if nothing changed")
    ap.add_argument("--only", action="append", default=[], metavar="RUN",
                    help="run only this run name (repeatable)")
    ap.add_argument("--notebooks", type=Path, default=paths.NOTEBOOKS)
    ap.add_argument("--config", type=Path, default=None,
                    help="parameter sets (default: <notebooks>/report.yml)")
    ap.add_argument("--reports", type=Path, default=paths.REPORTS, help="output folder")
    ap.add_argument("-p", "--parameter", action="append", default=[], metavar="NAME=VALUE",
                    help="set a parameter for every run whose notebook declares it (e.g. language=en)")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per cell")
    args = ap.parse_args(argv)
    if args.workers != "auto" and not str(args.workers).isdigit():
        ap.error(f"-j expects a number or 'auto', got {args.workers!r}")
    skip_slow_optional_imports()
    defaults = {}
    for item in args.parameter:
        key, sep, value = item.partition("=")
        if not sep:
            ap.error(f"-p expects NAME=VALUE, got {item!r}")
        defaults[key] = value
    config = args.config or args.notebooks / "report.yml"
    try:
        runs = discover_runs(args.notebooks, config, defaults)
        if defaults:
            runs = [_keep_declared(r, set(defaults)) for r in runs]
        if args.only:
            missing = set(args.only) - {r.name for r in runs}
            if missing:
                raise ReportError(f"unknown run(s) {sorted(missing)}; known: {[r.name for r in runs]}")
            runs = [r for r in runs if r.name in args.only]
        run_report(runs, args.reports.resolve(), workers=args.workers, force=args.force,
                   timeout=args.timeout)
    except ReportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def _keep_declared(run: NotebookRun, global_keys: set[str]) -> NotebookRun:
    """Drop command-line defaults (``-p``) that this notebook does not declare; parameters
    from ``report.yml`` are never dropped."""
    from papermill.inspection import inspect_notebook

    declared = set(inspect_notebook(str(run.notebook)))
    params = {k: v for k, v in run.parameters.items() if k in declared or k not in global_keys}
    return NotebookRun(run.name, run.notebook, params)
