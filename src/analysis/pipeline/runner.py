"""The report runner behind ``make report`` (``python -m analysis report``).

One Python process executes every notebook in ``notebooks/`` with papermill's API and
exports HTML with nbconvert's exporter classes (``html_export``), so the interpreter and nbconvert
start once
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
import os
import shutil
import sys
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any, Iterable

from analysis import paths
from analysis.pipeline.execute import RunResult, execute_run
from analysis.pipeline.publish import write_index, write_manifest
from analysis.pipeline.runs import NotebookRun, ReportError, discover_runs, typed_value, validate_parameters
from analysis.pipeline.state import code_hash, fingerprint, is_current, read_state, write_state


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


def parameter(item: str) -> tuple[str, Any]:
    """``NAME=VALUE`` from the command line, the value typed by YAML's rules
    (:func:`analysis.pipeline.runs.typed_value`: ``10`` an int, ``true`` a bool, dates text)."""
    key, sep, value = item.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"-p expects NAME=VALUE, got {item!r}")
    return key, typed_value(value)


def workers_option(value: str) -> str:
    if value != "auto" and not value.isdigit():
        raise argparse.ArgumentTypeError(f"-j expects a number or 'auto', got {value!r}")
    return value


def add_arguments(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("-j", "--workers", default="auto", type=workers_option,
                    help="notebook runs executed in parallel: a number, or 'auto' (default: two per "
                         "core, at most the number of runs; use 1 for very large input files)")
    ap.add_argument("--force", action="store_true", help="rerun even if nothing changed")
    ap.add_argument("--only", action="append", default=[], metavar="RUN",
                    help="run only this run name (repeatable)")
    ap.add_argument("--notebooks", type=Path, default=paths.NOTEBOOKS)
    ap.add_argument("--config", type=Path, default=None,
                    help="parameter sets (default: <notebooks>/report.yml)")
    ap.add_argument("--reports", type=Path, default=paths.REPORTS, help="output folder")
    ap.add_argument("-p", "--parameter", action="append", default=[], metavar="NAME=VALUE", type=parameter,
                    help="set a parameter for every run whose notebook declares it (e.g. language=en); wins over "
                         "notebooks/report.yml; typed as YAML (10 an int, true a bool); a name no "
                         "notebook declares is an error")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per cell")


def selected_runs(args: argparse.Namespace) -> list[NotebookRun]:
    """The runs named by the command line: every configured run, or those of ``--only``;
    ``-p`` values override ``report.yml`` (see :func:`analysis.pipeline.runs.discover_runs`)."""
    overrides = dict(args.parameter)
    config = args.config or args.notebooks / "report.yml"
    runs = discover_runs(args.notebooks, config, overrides)
    if args.only:
        missing = set(args.only) - {r.name for r in runs}
        if missing:
            raise ReportError(f"unknown run(s) {sorted(missing)}; known: {[r.name for r in runs]}")
        runs = [r for r in runs if r.name in args.only]
    return runs


def command(args: argparse.Namespace) -> int:
    """``python -m analysis report``."""
    skip_slow_optional_imports()
    try:
        run_report(selected_runs(args), args.reports.resolve(), workers=args.workers, force=args.force,
                   timeout=args.timeout)
    except ReportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m analysis report",
                                 description="Execute every notebook with papermill and publish HTML.")
    add_arguments(ap)
    return command(ap.parse_args(argv))
