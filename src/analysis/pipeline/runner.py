"""The report runner behind ``make report`` (``python -m analysis report``).

One Python process executes every notebook in ``notebooks/`` with papermill's API and
exports HTML with nbconvert's exporter classes (``html_export``), so the interpreter and nbconvert
start once
per run, not once per notebook. A notebook whose fingerprint (cell sources, parameters,
input files, ``src/analysis`` sources and the lock file) is unchanged is not rerun.

One run at a time per ``reports/`` (a lock). Outputs are staged: a notebook writes into
``reports/.staging/<run>/``. One invocation publishes all of its runs or none: only when
every run finished without error are their files, the state, the index and the manifest
published together, in one journal commit (:mod:`analysis.pipeline.journal`), with the
removal of runs no longer configured. A failed run leaves the previous publication exactly
as it was and keeps its executed notebook for inspection (``reports/failed/``, or beside the
private data for a run on private inputs: :mod:`analysis.pipeline.private_runs`). A run is
current only when its published files still have the hashes in the manifest.

Runs execute in parallel, one per core (os.cpu_count()), or one at a time when a run's input files are
large (:func:`resolve_workers`: each kernel holds its own copy of the data; at 2,000,000
participants one at a time is what keeps the report under 4 GiB); ``-j`` overrides.

Before any kernel starts the runner checks the parameters (:mod:`analysis.pipeline.parameter_rules`)
and the reports folder (no symbolic links: :mod:`analysis.pipeline.fs_safety`); Ctrl-C at any
point stops with one line and exit code 130, the last publication intact.

Heavy imports (papermill, nbconvert) happen inside the functions that need them so that a
no-op rerun only hashes files.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import threading
from collections.abc import Iterable
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

from analysis import ledger, paths
from analysis.data.digests import distrust_environment, shared_with_kernels
from analysis.data.errors import excerpt, written
from analysis.option_ranges import OneLineParser, ranged, workers
from analysis.pipeline import journal
from analysis.pipeline.execute import RunResult, execute_run
from analysis.pipeline.fs_safety import UnsafeFolder, refuse_links, refuse_special_files
from analysis.pipeline.invocation import rerun_command_without_only
from analysis.pipeline.kernel_zygote import skip_slow_optional_imports
from analysis.pipeline.parameter_rules import check_runs
from analysis.pipeline.private_runs import default_reports, failed_folder, is_private
from analysis.pipeline.publish import (
    manifest_problem,
    manifest_text,
    orphaned_files,
    published_files,
    stray_files,
    write_index,
    write_manifest,
)
from analysis.pipeline.runs import (
    NotebookRun,
    ReportError,
    analysis_problem,
    config_file_problem,
    declared_parameters,
    defaults_note,
    discover_runs,
    export_size_problem,
    history_problem,
    threshold_problem,
    typed_value,
    validate_parameters,
    with_joint_cutoffs,
    without_synthetic_beside_private,
)
from analysis.pipeline.state import (
    STATE_FILE,
    code_hash,
    fingerprint,
    read_state,
    stale_reason,
    state_damage,
    write_state,
)
from analysis.pipeline.tampering import keep_copies, left_alone, tamper_message, tampered_files
from analysis.private_data import (
    private_dir_path,
    private_dir_setting_problem,
    private_material_problem,
    shown_parameter,
)
from analysis.system_paths import system_folder


def longest_first(todo: list[tuple], state: dict[str, Any]) -> list[tuple]:
    """Runs ordered by their last recorded run time, longest first (never timed: first), so
    that a long notebook does not start last and run alone on an otherwise idle machine.
    Ties keep their order."""
    return sorted(todo, key=lambda item: -state.get(item[0].name, {}).get("duration", float("inf")))


POOL_PREFIX = "vwnw-run"  # the names of the threads that execute notebook runs
LARGE_INPUT = 400 * 2**20  # bytes of one run's input files: above this, ``auto`` runs one notebook at a time


def resolve_workers(workers: int | str, n_runs: int, input_bytes: int = 0) -> int:
    """The number of notebook runs executed at once, a pure function of the sizes.

    ``auto``: one run per core (``os.cpu_count()``; hostile round 20: two per core put four
    kernels on a two-core machine shared with other work), never more than
    there are runs; but one at a time when a run's input files (``input_bytes``, the
    largest of :func:`run_input_bytes`) exceed :data:`LARGE_INPUT`. Each kernel holds its
    own frames of its inputs, about 4.5 to 5.5 times their size on disk at its peak: the
    benchmark population of 1,000,000 participants (294 MiB of CSV) keeps its parallel
    runs (kernels of 1.1 to 1.6 GiB), that of 2,000,000 (589 MiB) runs one notebook at a
    time, which keeps the whole report under 4 GiB (3.03 GiB measured on 2026-12-06, 6.78 GiB with
    three at once; docs/performance.md). A number given with ``-j`` is taken as it is."""
    if workers == "auto":
        workers = 1 if input_bytes > LARGE_INPUT else (os.cpu_count() or 1)
    return max(1, min(int(workers), max(n_runs, 1)))


def run_input_bytes(runs) -> int:
    """The largest total size in bytes of one run's input files (0 when none exists)."""
    return max((sum(f.stat().st_size for f in set(run.input_files()) if f.is_file()) for run in runs), default=0)


def run_report(runs: Iterable[NotebookRun], reports: Path = paths.REPORTS, workers: int | str = "auto",
               force: bool = False, timeout: float | None = None, log=print, prune: bool = True,
               wait_for_lock: bool = True) -> list[RunResult]:
    """The steps of a report run, under the lock of ``reports``: finish what a killed run
    left half published, decide which runs are stale, execute those (in parallel), and when
    every one succeeded publish them all at once, with the removal of runs no longer
    configured (``prune``), the index and the manifest; then say where the results are."""
    runs = with_joint_cutoffs(list(runs))
    check_runs(runs, reports)
    if problem := (analysis_problem(runs) or history_problem(runs) or threshold_problem(runs)
                    or export_size_problem(runs)):
        raise ReportError(problem)
    failure = None
    try:
        with journal.exclusive(reports, wait_for_lock, log), journal.staging_removed_on_error(reports), \
                ledger.pending_releases() as releases:  # recorded in the ledger once published
            journal.recover(reports, lambda st: write_bookkeeping(reports, st), log)
            state = read_state(reports, log)
            refuse_damaged_manifest(reports)  # before any kernel starts
            orphans = orphaned_files(reports, state)
            if orphans and not prune:
                raise ReportError(orphans_message(reports, len(orphans)))
            if tampered := tampered_files(reports):  # said before the runs replace them
                alone = left_alone(tampered, state, {r.name for r in runs})
                log(tamper_message(tampered, shown_path(keep_copies(reports, tampered)), alone))
            refuse_stray_files(reports, state, before_run=True)  # placed there before this run: said before any kernel
            todo, results = plan(runs, state, reports, force)
            for run, _, _ in todo:
                validate_parameters(run)
            with shared_with_kernels(f for run, _, _ in todo for f in run.input_files() if f.is_file()):
                done, failure = execute_all(todo, reports, workers, timeout, log)  # (hashed once, here)
            results += done
            refuse_stray_files(reports, state)
            if failure is None:
                releases.commit()  # every run succeeded: recorded before anything is published
                known = {r.name for r in runs} if prune else None
                state = publish_all(reports, state, [(res, fp) for res, (_, fp, _) in zip(done, todo)], known,
                                    orphans)
                failure = next((r for r in done if r.status == "failed"), None)
            if failure is None:
                try:
                    refresh_bookkeeping(reports, state)
                except OSError as exc:
                    raise journal.bookkeeping_failure(exc, reports) from None
            else:
                shutil.rmtree(reports / journal.STAGING, ignore_errors=True)
    except OSError as exc:
        raise ReportError(str(journal.write_failure(exc, reports) or exc)) from None
    except (journal.PublishError, UnsafeFolder, ledger.ReleaseClash) as exc:
        raise ReportError(str(exc)) from None
    if failure:
        others = len(todo) - 1
        tail = (f"\n  None of the {others} other run(s) of this invocation was published either (all or nothing)."
                if others > 0 else "")
        raise ReportError(failure.message + tail)
    summary = "all {n} notebook run(s) up to date (nothing to do)" if not todo else "{k} of {n} run(s) done"
    log(f"report: {summary.format(n=len(runs), k=len(todo))}; open {shown_path(reports / 'html' / 'index.html')}")
    return results


def dry_run(runs: Iterable[NotebookRun], reports: Path = paths.REPORTS, force: bool = False,
            log=print) -> list[tuple[str, str]]:
    """What ``run_report`` would execute now, as (run, reason). A dry run changes nothing: it
    takes no lock, creates no folder, completes no interrupted publication (it says one is
    pending; the next real run completes it first) and sets aside no damaged state."""
    runs = with_joint_cutoffs(list(runs))
    check_runs(runs, reports, inputs=False)  # the files a real run needs may not be in place yet
    if problem := (analysis_problem(runs) or history_problem(runs) or threshold_problem(runs)
                    or export_size_problem(runs)):
        raise ReportError(problem)
    try:
        if reports.is_dir():
            refuse_links(reports)
            refuse_special_files(reports)
            refuse_damaged_manifest(reports)  # as the real run would
            pending = reports / journal.JOURNAL_FILE
            if pending.exists():
                log(f"report: {shown_path(pending)} holds an interrupted publication; the next report run completes "
                    "it first (this dry run leaves it as it is, so the list below is against the state before it)")
        if reports.is_dir() and (tampered := tampered_files(reports)):
            log(tamper_message(tampered, None, left_alone(tampered, read_state(reports), {r.name for r in runs})))
        if damage := state_damage(reports):
            log(f"report: {shown_path(reports / STATE_FILE)} is damaged ({damage}); the next report run sets it aside "
                "as .runner-state.damaged.json, so every run below would run again (this dry run leaves it as it is)")
        elif reports.is_dir():
            refuse_stray_files(reports, read_state(reports), before_run=True)  # as the real run would
            if orphans := orphaned_files(reports, read_state(reports)):
                log(f"report: {shown_path(reports / STATE_FILE)} is gone, so every run below runs again; the "
                    f"{len(orphans)} file(s) manifest.json lists for the last publication are replaced, or removed "
                    "when no run writes them again (a run with --only refuses: it would leave them unlisted)")
        todo, _ = plan(runs, read_state(reports), reports, force)
    except OSError as exc:
        raise ReportError(str(journal.write_failure(exc, reports) or exc)) from None
    except (journal.PublishError, UnsafeFolder, ledger.ReleaseClash) as exc:
        raise ReportError(str(exc)) from None
    return [(run.name, why) for run, _, why in todo]


def complete_pending(reports: Path, log=print) -> bool:
    """Complete a publication a killed run left half done, as every real run does first
    (a dry run does not); True when one was completed."""
    try:
        with journal.exclusive(reports, True, log):
            return journal.recover(reports, lambda st: write_bookkeeping(reports, st), log)
    except OSError as exc:
        raise ReportError(str(journal.write_failure(exc, reports) or exc)) from None
    except (journal.PublishError, UnsafeFolder, ledger.ReleaseClash) as exc:
        raise ReportError(str(exc)) from None


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
    return Path(run.notebook).is_file() and "min_cell_count" in declared_parameters(run.notebook)


def with_disclosure_group(todo, skipped, chash):
    """When one run that publishes person counts must run, every such run runs with it.

    Their disclosure control is joint: each run protects its counts together with what the
    others publish from the same file (for the pilot, the status at every cut-off date of the
    invocation: ``joint_cutoffs``). Runs made at different times could have been protected
    against different sets (say ``--only`` with another ``-p cutoff_date``), and differencing
    them could reveal a small cell; runs made together share one set."""
    leads = [run.name for run, _, _ in todo if publishes_person_counts(run)]
    if not leads:
        return todo, skipped
    lead = leads[0]
    joined = [r.run for r in skipped if publishes_person_counts(r.run)]
    todo = todo + [(run, fingerprint(run, chash), f"protected together with {lead}") for run in joined]
    return todo, [r for r in skipped if r.run not in joined]


def execute_all(todo, reports, workers, timeout, log) -> tuple[list[RunResult], RunResult | None]:
    """Execute the runs in parallel into their staging folders, in the order of ``todo``.
    After a failure, runs not yet started are cancelled; nothing is published here. On
    Ctrl-C the pool stops taking runs and the interrupt goes on (runs still executing are
    left to finish in their threads; their kernels stop with the runner)."""
    results: dict[int, RunResult] = {}
    failure: RunResult | None = None
    n_workers = resolve_workers(workers, len(todo), run_input_bytes(run for run, _, _ in todo))
    if todo:
        log(f"report: running {len(todo)} notebook run(s) with {n_workers} worker(s)")
    pool = ThreadPoolExecutor(max_workers=n_workers, thread_name_prefix=POOL_PREFIX)
    try:
        futures = {pool.submit(execute_run, run, reports, timeout, failed_folder(run, reports)): i
                   for i, (run, _, _) in enumerate(todo)}
        pending = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for fut in done:
                i = futures[fut]
                run, _, why = todo[i]
                res = fut.result() if not fut.cancelled() else RunResult(run, "cancelled")
                res.reason = why
                if res.status == "ok":
                    log(f"  ok      {run.name} ({res.duration:.1f} s; {why})")
                elif res.status == "failed":
                    log(f"  FAILED  {run.name}")
                    failure = failure or res
                    for f in pending:
                        f.cancel()
                results[i] = res
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    ordered = [results.get(i) or RunResult(todo[i][0], "cancelled", reason=todo[i][2]) for i in range(len(todo))]
    return ordered, failure


def publish_all(reports: Path, state: dict[str, Any], finished: list[tuple[RunResult, str]],
                known: set[str] | None, orphans: list[str] = ()) -> dict[str, Any]:
    """Publish every finished run, and drop runs not in ``known`` (None: keep all) and the
    ``orphans`` of a lost state (:func:`~analysis.pipeline.publish.orphaned_files`) no run
    published again, in one journal commit. Two runs writing the same file refuse the whole
    publication (the result of the first such run becomes ``failed``)."""
    new = dict(state)
    moves, remove = [], list(orphans)
    for res, fp in finished:
        name = res.run.name
        previous = state.get(name, {}).get("outputs") or {}
        remove += sorted(set(previous) - set(res.outputs)) + [f"failed/{name}.ipynb"]
        moves += [(name, rel) for rel in sorted(res.outputs)]
        new[name] = {"fingerprint": fp, "status": "ok", "duration": round(res.duration, 2),
                     "parameters": shown_parameters(res.run.parameters), "notebook": res.run.notebook.name,
                     "outputs": res.outputs}
    if known is not None:
        gone = sorted(set(new) - known)
        remove += sorted(rel for name in gone for rel in (new[name].get("outputs") or {}))
        new = {k: v for k, v in new.items() if k not in gone}
    clash = output_clash(new, {res.run.name for res, _ in finished})
    if clash:
        res = next(r for r, _ in finished if r.run.name == clash[0])
        res.status, res.message = "failed", clash[1]
        return state
    if not finished and new == state:
        return state
    published = {rel for _, rel in moves}
    remove = sorted(set(remove) - published)
    landing_page_check(new)
    journal.commit(reports, moves, remove, new, lambda st: write_bookkeeping(reports, st))
    return new


def landing_page_check(state: dict[str, Any]) -> None:
    """What the landing page reads of the runs' parameters (their studies, in both languages),
    read before anything is moved: the twelfth intruder's study file in the private folder made
    the landing page fail after the runs' files were published, half a publication."""
    from analysis.pipeline.site import studies_named  # on use: the no-op rerun starts without pandas

    for lang in ("nl", "en"):
        studies_named(state, lang)


def shown_parameters(parameters: dict[str, Any]) -> dict[str, Any]:
    """The parameters as the state (in the published folder) keeps them: a path naming a
    private input is ``private input`` (:func:`analysis.private_data.shown_parameter`), a
    ``*_file`` parameter likewise, and a study given by its file's path is its id (the path
    may name a private folder; a study file's id is its file name, checked on load); a shipped
    study file given by its relative path keeps it (the landing page reads its exhibits)."""
    def shown(name: str, value: Any) -> Any:
        if name == "study" and isinstance(value, str) and value.endswith((".yml", ".yaml")):
            # a shipped study file keeps its path; any other (data/raw/private/..., the eleventh intruder) its id
            return value if shown_parameter(name, value) == value and not Path(value).is_absolute() \
                else Path(value).stem
        return shown_parameter(name[: -len("_file")] + "_path" if name.endswith("_file") else name, value)

    return {k: shown(k, v) for k, v in parameters.items()}


def output_clash(state: dict[str, Any], fresh: set[str]) -> tuple[str, str] | None:
    """(run, message) for a run of ``fresh`` that writes a file another run of ``state`` writes."""
    owner: dict[str, str] = {}
    for name in sorted(state, key=lambda n: (n in fresh, n)):
        outputs = state[name].get("outputs") or {}
        clash = sorted(rel for rel in outputs if rel in owner)
        if clash:
            return name, (f"run '{name}' writes {clash[0]}, which run '{owner[clash[0]]}' "
                          f"{'also writes' if owner[clash[0]] in fresh else 'published'}"
                          f"{f' (and {len(clash) - 1} more)' if len(clash) > 1 else ''}: two runs must not share "
                          "an output name; put the parameter that differs between them into the name. Nothing "
                          "was published.")
        owner.update({rel: name for rel in outputs})
    return None


def refuse_stray_files(reports: Path, state: dict[str, Any], before_run: bool = False) -> None:
    """Stop before anything is published when the reports folder holds files no run published
    (see :func:`analysis.pipeline.publish.stray_files`), or when its manifest is damaged: then
    the landing pages it lists cannot be told from such files, and the message says so.
    ``before_run``: checked before any kernel starts, so that a file placed there by hand or
    by another program is said to be one (hostile round 13: it was blamed on a notebook cell);
    checked again after the runs, a new one is a cell's (or a program's meanwhile)."""
    refuse_damaged_manifest(reports)
    if stray := stray_files(reports, state):
        shown = ", ".join(written(f) for f in stray[:5]) + (f" and {len(stray) - 5} more" if len(stray) > 5 else "")
        if before_run:
            raise ReportError(f"{shown_path(reports)} holds {len(stray)} file(s) that no notebook run published: "
                              f"{shown}. They were there before this run started (placed by hand, copied in or "
                              "written by another program); everything in the folder may be published, and these "
                              "hold what nothing checked. Nothing was run or published: move them out of the "
                              "folder, then rerun.")
        raise ReportError(f"{shown_path(reports)} holds {len(stray)} file(s) that no notebook run published: {shown}. "
                          "They appeared while this run's notebooks ran: a notebook cell (or another program "
                          "meanwhile) wrote into the published folder directly (outputs go through run.table "
                          "and run.figure, which check them); they may hold counts nothing checked. Nothing was "
                          "published: remove them, then rerun.")


def orphans_message(reports: Path, n: int) -> str:
    """A lost run state met with ``--only``: the other runs' files could no longer be told
    apart; the whole configuration, run once, republishes them (the command that repairs it)."""
    return (f"{shown_path(reports / STATE_FILE)} is gone (deleted, or set aside as damaged), so the "
            f"{n} file(s) manifest.json lists for the last publication belong to no run the runner knows; "
            "--only would leave them unlisted. Nothing was run. Run every configured run once, which "
            f"republishes them: {rerun_command_without_only()}")


def refuse_damaged_manifest(reports: Path) -> None:
    """A ``manifest.json`` that exists but is damaged: one message naming it, with the repair."""
    if why := manifest_problem(reports):
        manifest = shown_path(reports / "manifest.json")
        raise ReportError(f"{manifest} is damaged ({why}): it lists the files of the last publication, and without "
                          f"it the landing pages cannot be told from files no run published. Nothing was run or "
                          f"published. Restore it from your backup, or publish afresh: move {shown_path(reports)} "
                          "aside (mv) and run the report again (every notebook runs again).")


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
    if not sep or not key.isidentifier():
        raise argparse.ArgumentTypeError(f"-p expects NAME=VALUE with NAME a parameter name, got {written(item)}")
    try:
        return key, typed_value(value)
    except ValueError:  # a number of more digits than Python converts (4,300): quoted as an excerpt, never whole
        raise argparse.ArgumentTypeError(f"-p {key}={excerpt(value)}: a number of {len(value):,} characters; no "
                                         "parameter takes one that long: write the value in plain digits within the "
                                         "parameter's documented range (docs/runner_safety.md)") from None


def workers_option(value: str) -> str:
    """``-j``: ``auto`` or a whole number of :data:`analysis.option_ranges.RANGES`."""
    return workers(value)


def add_arguments(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("-j", "--workers", default="auto", type=workers_option,
                    help="notebook runs executed in parallel: 1 to 64, or 'auto' (default: one per "
                         "core, os.cpu_count(), at most the number of runs; one when a run's input files exceed "
                         "400 MiB)")
    ap.add_argument("--force", action="store_true", help="rerun even if nothing changed")
    ap.add_argument("--only", action="append", default=[], metavar="RUN",
                    help="run only this run name (repeatable); a run that publishes person counts "
                         "brings the other such runs along (their disclosure control is joint)")
    ap.add_argument("--notebooks", type=Path, default=paths.NOTEBOOKS)
    ap.add_argument("--config", type=Path, default=None,
                    help="parameter sets (default: <notebooks>/report.yml)")
    ap.add_argument("--reports", type=Path, default=None,
                    help="output folder (default: reports/, or reports-private/ when a run reads an input "
                         "outside data/raw/ or under data/raw/private/)")
    ap.add_argument("-p", "--parameter", action="append", default=[], metavar="NAME=VALUE", type=parameter,
                    help="set a parameter for every run whose notebook declares it (e.g. language=en); wins over "
                         "notebooks/report.yml; typed as YAML (10 an int, true a bool); a name no "
                         "notebook declares is an error")
    ap.add_argument("--timeout", type=ranged("--timeout"), default=1800,
                    help="seconds per cell, 1 to 86,400 (default: %(default)s)")
    ap.add_argument("--dry-run", action="store_true", help="only list the runs that would run, and why")
    ap.add_argument("--no-wait", action="store_true",
                    help="stop at once if another report run is using the reports folder (default: wait)")


def selected_runs(args: argparse.Namespace) -> list[NotebookRun]:
    """The runs named by the command line: every configured run, or those of ``--only``;
    ``-p`` values override ``report.yml`` (see :func:`analysis.pipeline.runs.discover_runs`)."""
    overrides = dict(args.parameter)
    if twice := sorted({k for k, _ in args.parameter if sum(k == j for j, _ in args.parameter) > 1}):
        raise ReportError(f"-p {', '.join(twice)} given more than once; give each parameter once (the last would "
                          "have won silently); nothing was run and nothing was removed")
    for option, given in (("--config", args.config), ("--notebooks", args.notebooks)):
        if given is not None and system_folder(given) is not None:
            raise ReportError(f"{option} {given} is in a folder of the running system ({system_folder(given)}), not "
                              "a file of this project: name the project's file; nothing was run and nothing was "
                              "removed")
    if args.config is not None and (problem := config_file_problem(args.config)):
        raise ReportError(f"{problem}; nothing was run and nothing was removed")
    config = args.config or args.notebooks / "report.yml"
    runs = discover_runs(args.notebooks, config, overrides)
    if args.only:
        missing = set(args.only) - {r.name for r in runs}
        if missing:
            raise ReportError(f"unknown run(s) {', '.join(written(n) for n in sorted(missing))}; known: "
                              f"{', '.join(r.name for r in runs)}")
        chosen = [r for r in runs if r.name in args.only]
        if any(publishes_person_counts(r) for r in chosen):  # a disclosure group runs together
            chosen += [r for r in runs if r not in chosen and publishes_person_counts(r)]
        runs = chosen
    runs, note = without_synthetic_beside_private(runs)
    note = note or defaults_note(runs, config)  # runs a configuration left to their synthetic defaults: said
    if note:
        print(note, file=sys.stderr)
    return runs


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP (the terminal closed), raised in the main thread like Ctrl-C (a
    publication under way is finished first: :func:`analysis.pipeline.journal.signals_deferred`)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _terminate(signum, _frame) -> None:
    raise Terminated(signum)


def command(args: argparse.Namespace) -> int:
    """``python -m analysis report``."""
    skip_slow_optional_imports()
    distrust_environment()  # the digests it hands its kernels are its own
    handled = [signal.SIGTERM, *([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])]
    previous = ({sig: signal.signal(sig, _terminate) for sig in handled}
                if threading.current_thread() is threading.main_thread() else {})
    try:
        return _command(args)
    except Terminated as stop:
        name = signal.Signals(stop.signum).name
        return interrupted(f"terminated ({name})", 128 + stop.signum)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _command(args: argparse.Namespace) -> int:
    try:
        if problem := private_dir_setting_problem():  # before any run: the folder holds the key and the ledger
            raise ReportError(problem)
        runs = selected_runs(args)
        if any(is_private(r) for r in runs) and (problem := private_material_problem(private_dir_path())):
            raise ReportError(f"{problem}; nothing was run")
        reports = default_reports(runs, args.reports).resolve()
        if args.dry_run:
            todo = dry_run(runs, reports, force=args.force)
            print(f"report: {len(todo)} run(s) would run" + "".join(f"\n  {n} ({why})" for n, why in todo))
            return 0
        run_report(runs, reports, workers=args.workers, force=args.force,
                   timeout=args.timeout, prune=not args.only, wait_for_lock=not args.no_wait)
    except ReportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except Terminated:
        raise
    except KeyboardInterrupt:
        return interrupted()
    return 0


def interrupted(how: str = "interrupted (Ctrl-C)", code: int = 130) -> int:
    """Ctrl-C (exit code 130) or SIGTERM (143): one line. Runs still executing in worker
    threads are not waited for (their kernels stop when this process ends); the last
    publication is intact (a publication under way was completed first:
    :func:`analysis.pipeline.journal.signals_deferred`)."""
    print(f"report: {how}; the reports folder holds the last complete publication", file=sys.stderr)
    if any(t.is_alive() and t.name.startswith(POOL_PREFIX) for t in threading.enumerate()):  # runs still executing
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


def main(argv: list[str] | None = None) -> int:
    ap = OneLineParser(prog="python -m analysis report",
                                 description="Execute every notebook with papermill and publish HTML.")
    add_arguments(ap)
    return command(ap.parse_args(argv))
