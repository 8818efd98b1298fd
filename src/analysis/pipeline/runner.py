"""The report runner behind ``make report`` (``python -m analysis report``).

One Python process executes every notebook in ``notebooks/`` with papermill's API and
exports HTML with nbconvert's exporter classes (``html_export``), so the interpreter and nbconvert
start once
per run, not once per notebook. A notebook whose fingerprint (cell sources, parameters,
input files, ``src/analysis`` sources and the lock file) is unchanged is not rerun.

One run at a time per ``reports/`` (a lock). Outputs are staged: a notebook writes into
``reports/.staging/<run>/`` and only a run that finished without error is published, all
or nothing, with its state, as soon as it finishes (:mod:`analysis.pipeline.journal`).
A failed run leaves its last good outputs published and keeps the failed executed notebook
in ``reports/failed/`` for inspection. A run is current only when its published files still
have the hashes in the manifest.

Heavy imports (papermill, nbconvert) happen inside the functions that need them so that a
no-op rerun only hashes files.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Iterable
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

from analysis import paths
from analysis.pipeline import journal
from analysis.pipeline.execute import RunResult, execute_run
from analysis.pipeline.publish import manifest_text, published_files, write_index, write_manifest
from analysis.pipeline.runs import NotebookRun, ReportError, discover_runs, typed_value, validate_parameters
from analysis.pipeline.state import STATE_FILE, code_hash, fingerprint, read_state, stale_reason, write_state


def longest_first(todo: list[tuple], state: dict[str, Any]) -> list[tuple]:
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
               force: bool = False, timeout: float | None = None, log=print, prune: bool = True,
               wait_for_lock: bool = True) -> list[RunResult]:
    """The steps of a report run, under the lock of ``reports``: finish what a killed run
    left half published, decide which runs are stale, execute those (in parallel) and publish
    each one as it finishes, drop runs no longer configured (``prune``), bring the index and
    manifest up to date, and say where the results are."""
    runs = list(runs)
    try:
        with journal.exclusive(reports, wait_for_lock, log), journal.staging_removed_on_error(reports):
            journal.recover(reports, lambda st: write_bookkeeping(reports, st), log)
            state = read_state(reports)
            todo, results = plan(runs, state, reports, force)
            for run, _, _ in todo:
                validate_parameters(run)
            state, done, failure = execute_and_publish(todo, state, reports, workers, timeout, log)
            results += done
            if prune:
                state = drop_unknown_runs(reports, state, {r.name for r in runs})
            refresh_bookkeeping(reports, state)
    except OSError as exc:
        raise ReportError(str(journal.write_failure(exc, reports) or exc)) from None
    except journal.PublishError as exc:
        raise ReportError(str(exc)) from None
    if failure:
        raise ReportError(failure.message)
    summary = "all {n} notebook run(s) up to date (nothing to do)" if not todo else "{k} of {n} run(s) done"
    log(f"report: {summary.format(n=len(runs), k=len(todo))}; open {shown_path(reports / 'html' / 'index.html')}")
    return results


def dry_run(runs: Iterable[NotebookRun], reports: Path = paths.REPORTS, force: bool = False,
            log=print) -> list[tuple[str, str]]:
    """What ``run_report`` would execute now, as (run, reason), after finishing a publication
    a killed run left half done (as every run does first)."""
    try:
        with journal.exclusive(reports, True, log):
            journal.recover(reports, lambda st: write_bookkeeping(reports, st), log)
            todo, _ = plan(list(runs), read_state(reports), reports, force)
    except OSError as exc:
        raise ReportError(str(journal.write_failure(exc, reports) or exc)) from None
    return [(run.name, why) for run, _, why in todo]


def plan(runs: list[NotebookRun], state: dict[str, Any], reports: Path,
         force: bool) -> tuple[list[tuple[NotebookRun, str, str]], list[RunResult]]:
    """Runs to execute (with fingerprint and the reason), longest first, and the skipped ones."""
    chash = code_hash()
    todo, skipped = [], []
    for run in runs:
        fp = fingerprint(run, chash)
        reason = "forced" if force else stale_reason(run, fp, state, reports)
        if reason is None:
            skipped.append(RunResult(run, "skipped"))
        else:
            todo.append((run, fp, reason))
    todo, skipped = with_disclosure_group(todo, skipped, chash)
    return longest_first(todo, state), skipped


def publishes_person_counts(run: NotebookRun) -> bool:
    """Whether ``run``'s notebook publishes counts of persons under disclosure control (it
    declares ``min_cell_count``)."""
    from analysis.pipeline.runs import declared_parameters

    return "min_cell_count" in declared_parameters(run.notebook)


def with_disclosure_group(todo, skipped, chash):
    """When one run that publishes person counts must run, every such run runs with it.

    Their disclosure control is joint: each run protects its counts together with what the
    others publish from the same file (for the pilot, the status at every published cut-off
    date, read from ``report.yml`` and the run's own ``cutoff_date``). Runs made at different
    times could have been protected against different sets (say ``--only`` with another
    ``-p cutoff_date``), and differencing them could reveal a small cell; runs made together
    share one set."""
    leads = [run.name for run, _, _ in todo if publishes_person_counts(run)]
    if not leads:
        return todo, skipped
    lead = leads[0]
    joined = [r.run for r in skipped if publishes_person_counts(r.run)]
    todo = todo + [(run, fingerprint(run, chash), f"protected together with {lead}") for run in joined]
    return todo, [r for r in skipped if r.run not in joined]


def execute_and_publish(todo, state, reports, workers, timeout, log):
    """Execute the runs in parallel; publish each (or record its failure) as it finishes.
    After a failure, runs not yet started are cancelled."""
    results: list[RunResult] = []
    failure: RunResult | None = None
    n_workers = resolve_workers(workers, len(todo))
    if todo:
        log(f"report: running {len(todo)} notebook run(s) with {n_workers} worker(s)")
    with ThreadPoolExecutor(max_workers=n_workers) as pool:
        futures = {pool.submit(execute_run, run, reports, timeout): (run, fp, why) for run, fp, why in todo}
        pending = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for fut in done:
                run, fp, why = futures[fut]
                res = fut.result()
                res.reason = why
                if res.status == "ok":
                    state = publish_run(reports, state, res, fp)  # may refuse it: status "failed"
                if res.status == "ok":
                    log(f"  ok      {run.name} ({res.duration:.1f} s; {why})")
                else:
                    log(f"  FAILED  {run.name}")
                    failure = failure or res
                    state = record_failure(reports, state, res)
                    for f in pending:
                        f.cancel()
                results.append(res)
    return state, results, failure


def publish_run(reports: Path, state: dict[str, Any], res: RunResult, fp: str) -> dict[str, Any]:
    """Publish one finished run all-or-nothing, with its state. An output another run
    already published is refused (two runs must never share a file name)."""
    name = res.run.name
    taken = {rel: other for other, e in state.items() if other != name
             for rel in (e.get("outputs") or {})}
    clash = sorted(rel for rel in res.outputs if rel in taken)
    if clash:
        res.status = "failed"
        res.message = (f"run '{name}' writes {clash[0]}, which run '{taken[clash[0]]}' published"
                       f"{f' (and {len(clash) - 1} more)' if len(clash) > 1 else ''}: two runs must not share an "
                       "output name; put the parameter that differs between them into the name.")
        shutil.rmtree(journal.staging_dir(reports, name), ignore_errors=True)
        return state
    previous = state.get(name, {}).get("outputs") or {}
    remove = sorted(set(previous) - set(res.outputs)) + [f"failed/{name}.ipynb"]
    new = dict(state)
    new[name] = {"fingerprint": fp, "status": "ok", "duration": round(res.duration, 2),
                 "parameters": res.run.parameters, "notebook": res.run.notebook.name, "outputs": res.outputs}
    journal.commit(reports, name, sorted(res.outputs), remove, new, lambda st: write_bookkeeping(reports, st))
    return new


def record_failure(reports: Path, state: dict[str, Any], res: RunResult) -> dict[str, Any]:
    """A failed run keeps its last good outputs published and is marked to run again."""
    new = dict(state)
    new[res.run.name] = dict(state.get(res.run.name, {}), status="failed", parameters=res.run.parameters,
                             notebook=res.run.notebook.name, duration=round(res.duration, 2))
    journal.commit(reports, None, [], [], new, lambda st: write_bookkeeping(reports, st))
    return new


def drop_unknown_runs(reports: Path, state: dict[str, Any], known: set[str]) -> dict[str, Any]:
    """Runs no longer configured leave the state, the index and ``reports/`` together."""
    gone = sorted(set(state) - known)
    if not gone:
        return state
    remove = sorted(rel for name in gone for rel in (state[name].get("outputs") or {}))
    new = {k: v for k, v in state.items() if k not in gone}
    journal.commit(reports, None, [], remove, new, lambda st: write_bookkeeping(reports, st))
    return new


def write_bookkeeping(reports: Path, state: dict[str, Any]) -> None:
    """State, index and manifest, in that order (the manifest lists the index)."""
    write_state(reports, state)
    journal.checkpoint("state written")
    write_index(reports, state)
    journal.checkpoint("index written")
    write_manifest(reports, state, site_files(reports, state))
    journal.checkpoint("manifest written")


def site_files(reports: Path, state: dict[str, Any]) -> list[Path]:
    """Files the index writes beside the runs' outputs (the landing page, its copies of the
    downloads, its own manifest): listed in ``manifest.json`` too."""
    published = set(published_files(state))
    return sorted(p for p in (reports / "html").rglob("*")
                  if p.is_file() and p.relative_to(reports).as_posix() not in published)


def refresh_bookkeeping(reports: Path, state: dict[str, Any]) -> None:
    """Rewrite index and manifest when missing or out of date (cheap to check: the manifest
    is made from the state; only the index is hashed)."""
    index = reports / "html" / "index.html"
    manifest = reports / "manifest.json"
    if (not index.is_file() or not manifest.is_file() or not (reports / STATE_FILE).is_file()
            or manifest.read_text(encoding="utf-8") != manifest_text(reports, state, site_files(reports, state))):
        write_bookkeeping(reports, state)


def shown_path(path: Path) -> str:
    """``path`` relative to the current folder when inside it (what a user can paste)."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


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
                    help="run only this run name (repeatable); a run that publishes person counts "
                         "brings the other such runs along (their disclosure control is joint)")
    ap.add_argument("--notebooks", type=Path, default=paths.NOTEBOOKS)
    ap.add_argument("--config", type=Path, default=None,
                    help="parameter sets (default: <notebooks>/report.yml)")
    ap.add_argument("--reports", type=Path, default=paths.REPORTS, help="output folder")
    ap.add_argument("-p", "--parameter", action="append", default=[], metavar="NAME=VALUE", type=parameter,
                    help="set a parameter for every run whose notebook declares it (e.g. language=en); wins over "
                         "notebooks/report.yml; typed as YAML (10 an int, true a bool); a name no "
                         "notebook declares is an error")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per cell")
    ap.add_argument("--dry-run", action="store_true", help="only list the runs that would run, and why")
    ap.add_argument("--no-wait", action="store_true",
                    help="stop at once if another report run is using the reports folder (default: wait)")


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
        chosen = [r for r in runs if r.name in args.only]
        if any(publishes_person_counts(r) for r in chosen):  # a disclosure group runs together
            chosen += [r for r in runs if r not in chosen and publishes_person_counts(r)]
        runs = chosen
    return runs


def command(args: argparse.Namespace) -> int:
    """``python -m analysis report``."""
    skip_slow_optional_imports()
    try:
        if args.dry_run:
            todo = dry_run(selected_runs(args), args.reports.resolve(), force=args.force)
            print(f"report: {len(todo)} run(s) would run" + "".join(f"\n  {n} ({why})" for n, why in todo))
            return 0
        run_report(selected_runs(args), args.reports.resolve(), workers=args.workers, force=args.force,
                   timeout=args.timeout, prune=not args.only, wait_for_lock=not args.no_wait)
    except ReportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m analysis report",
                                 description="Execute every notebook with papermill and publish HTML.")
    add_arguments(ap)
    return command(ap.parse_args(argv))
