"""Executing one notebook run with papermill into its staging folder, adding the
provenance cell and the HTML pages. Publishing the staged files is the runner's job (one
run at a time, all or nothing: :mod:`analysis.pipeline.journal`).

The kernel starts in the notebook's folder (nbclient's ``resources``), not through
papermill's ``cwd``, which changes the working folder of the whole process: with runs in
parallel threads, one run could restore another's folder and leave the runner elsewhere.

Kernels are started with their log level at CRITICAL: on success a kernel logs only noise
(ipykernel's "running over TCP without encryption" warning at start, "KeyboardInterrupt
caught in kernel" when it is shut down); a failing cell is reported from the notebook
itself, a dead kernel by nbclient.

Kernels start warm: forked from a process that has imported the libraries every notebook
needs (:mod:`analysis.pipeline.warm_kernels`), through nbclient's ``kernel_manager_class``."""

from __future__ import annotations

import errno
import json
import re
import shutil
import sys
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis import private_reads
from analysis.files import replace_atomically
from analysis.pipeline.invocation import rerun_command
from analysis.pipeline.journal import checkpoint, remove_staged, staging_dir
from analysis.pipeline.private_runs import is_private
from analysis.pipeline.provenance import Provenance
from analysis.pipeline.publish import staged_outputs
from analysis.pipeline.runs import NotebookRun
from analysis.private_data import PRIVATE_LABEL, key as private_key, private_dir, shown_parameter
from analysis.stats.output_tags import keep_tagged

KERNEL_NAME = "vwnw-evaluation"  # registered in the environment by `make env`, for the user by `make kernel`
# quiet, and no IPython history: a kernel keeps every executed cell in ~/.ipython's history.sqlite,
# the parameter cell of a private run with its input's name and dates too (intruder round 14)
# capture_fd_output off: what a C library writes on the kernel's file descriptor 1 (HiGHS prints a debug line
# during some integer programmes) is neither copied into the notebook nor echoed on the runner's terminal
KERNEL_QUIET = ["--log-level=CRITICAL", "--HistoryManager.enabled=False", "--IPKernelApp.capture_fd_output=False"]
KERNEL_START_TIMEOUT = 300  # seconds; a loaded 2-core machine took over papermill's 60 to start a kernel
MESSAGE_LINES = 200  # lines of an error shown on the console: the whole cause (an input error lists 20 problems)


@dataclass
class RunResult:
    run: NotebookRun
    status: str  # ok | failed | skipped
    duration: float = 0.0
    message: str = ""
    outputs: dict[str, str] = field(default_factory=dict)  # staged path -> sha256
    reason: str = ""  # why it ran (or "" when skipped)


def _provenance_cell(run: NotebookRun, duration: float) -> Any:
    import nbformat  # on use: the no-op rerun starts without nbformat

    prov = Provenance.collect(run.notebook.name, run.parameters,
                              {p.name: p for p in run.input_files()})
    cell = nbformat.v4.new_markdown_cell(prov.page_cell(run.name, duration, run.parameters.get("language", "nl")))
    cell.metadata["tags"] = ["provenance"]
    cell["id"] = "provenance"
    return cell


# failures of the machinery around a notebook, not of its cells or data (by class name: zmq and nbclient
# are not imported here), and what each means to the evaluator (found by the fifth hostile tester)
NOT_THE_NOTEBOOK = {
    "DeadKernelError": "its kernel died (out of memory, or stopped from outside)",
    "CellTimeoutError": "a cell ran longer than --timeout allows (raise it, or leave --timeout out)",
    "ZMQError": "its kernel could not open its connection (a port taken by another process at that moment)",
    "BrokenPipeError": "the runner lost its kernel server (stopped from outside, or out of memory)",
    "ConnectionResetError": "the runner lost its kernel server (stopped from outside, or out of memory)",
    "RuntimeError": "its kernel did not start or stopped answering",
    "TimeoutError": "its kernel did not start in time (the machine is busy)",
}


def _failure_message(run: NotebookRun, exc: BaseException, failed_nb: Path | None) -> str:
    from papermill.exceptions import PapermillExecutionError  # on use: the no-op rerun starts without papermill

    name = f"notebook {run.notebook.name} (run '{run.name}')"
    last_good = "  The reports folder still holds the last good outputs."
    if (full := space_failure(exc)) is not None:  # a cell's or the runner's write, the same to the evaluator
        return (f"{name}: {full} while writing its outputs or its executed notebook; nothing was published from "
                f"this run, and no executed notebook is kept (it would be cut off).{last_good} Free space (or "
                f"raise the limit), then rerun `{rerun_command()}`.")
    if isinstance(exc, PapermillExecutionError):
        lines = [*str(exc.evalue or "").splitlines(), *traceback_frames(exc.traceback)]
        where = f" at cell {exc.cell_index} (In [{exc.exec_count}]): {exc.ename}: "
    elif (cause := _not_the_notebook(exc)) is not None:
        first = next(iter(str(exc).strip().splitlines()), "")[:200]
        return (f"{name} could not be run: {cause} ({type(exc).__name__}{': ' + first if first else ''}). "
                f"This is no fault of the notebook or its data: rerun `{rerun_command()}`.\n{last_good}")
    else:
        lines = str(exc).splitlines()
        where = f": {type(exc).__name__}: "
    shown = [part for line in lines[:MESSAGE_LINES] for part in shown_line(line)]
    if len(lines) > MESSAGE_LINES:
        shown.append(f"... ({len(lines) - MESSAGE_LINES} more lines in the failed notebook)")
    where += "\n    ".join(shown)
    kept = (f"  The executed notebook is kept at {failed_nb} (open it in JupyterLab; the red banner links to the "
            "failing cell).\n") if failed_nb else ""
    return f"{name} failed{where}\n{kept}{last_good} Fix the cause, then rerun `{rerun_command()}`."


LINE_WIDTH, LINE_LIMIT = 150, 3000  # characters of a console line, and of one line of an error shown whole


def shown_line(line: str) -> list[str]:
    """One line of an error as the console shows it: wrapped at :data:`LINE_WIDTH`, whole up to
    :data:`LINE_LIMIT` characters (newpilot19: the ledger's refusal was cut at 300 characters,
    "Decide with your data owner whether the earlier", its advice only in the failed notebook)."""
    cut = len(line) > LINE_LIMIT
    text = line[:LINE_LIMIT] + (f" ... ({len(line) - LINE_LIMIT} more characters in the failed notebook)" if cut
                                else "")
    return textwrap.wrap(text, LINE_WIDTH, subsequent_indent="  ", break_long_words=True,
                         break_on_hyphens=False, drop_whitespace=True) or [""]


ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
FRAME = re.compile(r"^(Cell In\[|File |Input In \[)")  # a frame's place
ARROW = re.compile(r"^-+> +[0-9]+ ")  # the frame's line that ran


def traceback_frames(traceback: list[str] | None) -> list[str]:
    """Where a cell's error was raised, from the kernel's traceback (IPython's, colour codes
    removed): each frame's place (``Cell In[6], line 16``, ``File .../plots.py:186, in
    bar_counts(...)``) and its line marked ``-->``, under a heading; nothing when the
    traceback has no frames. The terminal then shows the whole cause, not only the error's
    last line (newpilot2's F4)."""
    lines = ANSI.sub("", "\n".join(traceback or ())).splitlines()
    out = [f"  {line.strip()}" for line in lines if FRAME.match(line.strip()) or ARROW.match(line.strip())]
    return ["where (innermost last):", *out] if out else []


SPACE_ERRORS = {errno.ENOSPC: "no space left on the device", errno.EFBIG: "the file size limit (ulimit -f) was reached",
                errno.EDQUOT: "the disk quota was used up"}


def space_failure(exc: BaseException) -> str | None:
    """What ran out when ``exc`` is a write that found no room (a full disk, the file size
    limit, a quota), raised in the runner or in a cell; None otherwise."""
    if isinstance(exc, OSError) and exc.errno in SPACE_ERRORS:
        return SPACE_ERRORS[exc.errno]
    if getattr(exc, "ename", None) in ("OSError", "IOError"):
        text = str(getattr(exc, "evalue", "") or "")
        return next((why for code, why in SPACE_ERRORS.items() if f"[Errno {code}]" in text), None)
    return None


KERNEL_STARTS = 2  # a kernel that died before its first reply is started once more (see kernel_never_started)
NEVER_STARTED = ("Kernel died before replying to kernel_info", "Address already in use")


def kernel_never_started(exc: BaseException) -> bool:
    """Whether ``exc`` is a kernel that died before it ran anything: before its first reply
    (jupyter_client's "Kernel died before replying to kernel_info"), or a connection port that
    another process took between its choice and its use (ZMQ's "Address already in use": two
    kernels started at once on a busy machine). No cell has run, so starting another kernel
    repeats nothing; seen in CI about once in three full runs, each failing a run that the
    evaluator had only to rerun."""
    return type(exc).__name__ in ("RuntimeError", "ZMQError") and any(m in str(exc) for m in NEVER_STARTED)


def _not_the_notebook(exc: BaseException) -> str | None:
    """What a failure of the machinery around the notebook means, or None (a cell's error)."""
    for cls in type(exc).__mro__:
        if cls.__name__ in NOT_THE_NOTEBOOK:
            return NOT_THE_NOTEBOOK[cls.__name__]
    return None


# a run on shipped (synthetic) inputs publishes on the public site: its kernel opens nothing in the
# private folder from its first cell on (analysis.private_reads; setup() alone left the cells above it open)
GUARD_FROM_THE_START = "from analysis import private_reads; private_reads.refuse_in_this_process()"


def kernel_arguments(run: NotebookRun, staging: Path | None = None) -> list[str]:
    """The kernel's command-line arguments for ``run``: quiet; the staging folder announced
    (the one ``output_dir`` the kernel accepts inside a reports folder:
    :func:`analysis.write_targets.announce_runner_output`); for a run on shipped inputs the
    read guard from the start. One exec line: the kernel runs it before any cell."""
    lines = [] if is_private(run) else [GUARD_FROM_THE_START]
    if staging is not None:
        lines.append(f"from analysis import write_targets; write_targets.announce_runner_output({str(staging)!r})")
    return KERNEL_QUIET + ([f"--IPKernelApp.exec_lines={'; '.join(lines)}"] if lines else [])


def execute_run(run: NotebookRun, reports: Path, timeout: float | None = None,
                failed_dir: Path | None = None) -> RunResult:
    """Execute one notebook into its staging folder; on success every output is staged
    (tables, figures, executed notebook, HTML) and listed with its hash. A failed run's
    executed notebook is kept in ``failed_dir`` (default ``reports/failed``; beside the
    private data for a private run: :mod:`analysis.pipeline.private_runs`)."""
    import nbformat  # on use, like papermill, jupyter_client and nbconvert: the no-op rerun stays under 1 s

    staging = staging_dir(reports, run.name)
    remove_staged(reports, run.name)
    executed = staging / "executed" / f"{run.name}.ipynb"
    executed.parent.mkdir(parents=True)
    params = dict(run.parameters, output_dir=str(staging))
    start = time.perf_counter()
    checkpoint(f"executing {run.name}")
    try:
        _execute(run, executed, params, staging, timeout)
    except BaseException as exc:  # noqa: BLE001 - any failure of a run is reported the same way
        if private_reads.REFUSED in str(getattr(exc, "evalue", "") or exc):  # its notebook names a private file
            failed_dir = private_dir() / "failed"
        failed_nb = None if space_failure(exc) else keep_failed(executed, (failed_dir or reports / "failed")
                                                                   / f"{run.name}.ipynb")
        remove_staged(reports, run.name)
        msg = _failure_message(run, exc, failed_nb)
        return RunResult(run, "failed", time.perf_counter() - start, msg)
    duration = time.perf_counter() - start

    private = is_private(run)  # (asks git whether each input is shipped: once per run)
    nb = nbformat.read(executed, as_version=4)
    _fixed_injected_id(nb)
    if private:
        _keep_released_outputs(nb, run.name)
    # The staging folder is an implementation detail; the executed notebook shows the
    # parameter as the interactive default would.
    nb.cells.insert(0, _provenance_cell(run, duration))
    _scrub_staging_paths(nb, staging, reports)
    _scrub_private_paths(nb, run.parameters)
    # the page names its inputs
    from analysis.pipeline import html_export  # on use (nbconvert): the no-op rerun starts without it

    html_export.export_html(nb, staging / "html", run.name, run.notebook.parent, run.parameters)
    _scrub_papermill_metadata(nb, run)
    nbformat.write(nb, executed)
    checkpoint(f"staged {run.name}")
    try:
        outputs = staged_outputs(staging, only_written=private)
    except ValueError as exc:  # a link or special file among the outputs, or one written by hand
        remove_staged(reports, run.name)
        return RunResult(run, "failed", duration, f"notebook {run.notebook.name} (run '{run.name}'): {exc}")
    return RunResult(run, "ok", duration, outputs=outputs)


def _execute(run: NotebookRun, executed: Path, params: dict, staging: Path, timeout: float | None) -> None:
    """papermill's run of ``run`` into ``executed``, with a second kernel when the first never
    started (:func:`kernel_never_started`)."""
    import papermill as pm  # on use: the no-op rerun starts without papermill

    from analysis.pipeline.warm_kernels import WarmKernelManager  # on use (jupyter_client): as papermill above

    for attempt in range(KERNEL_STARTS):
        try:
            pm.execute_notebook(
                str(run.notebook), str(executed), parameters=params, kernel_name=KERNEL_NAME,
                resources={"metadata": {"path": str(run.notebook.parent)}}, progress_bar=False,
                log_output=False, request_save_on_cell_execute=False, execution_timeout=timeout,
                extra_arguments=kernel_arguments(run, staging), start_timeout=KERNEL_START_TIMEOUT,
                kernel_manager_class=WarmKernelManager,
            )
            return
        except BaseException as exc:  # noqa: BLE001 - started again only when the kernel never started
            if attempt + 1 == KERNEL_STARTS or not kernel_never_started(exc):
                raise
            checkpoint(f"kernel of {run.name} did not start ({type(exc).__name__}); starting another")


def _fixed_injected_id(nb: Any) -> None:
    """The cell papermill inserts with the run's parameters gets a fixed id: papermill draws a
    random one (``nbformat.v4.new_code_cell``), and every page and the manifest's hashes changed
    on every build (review 8)."""
    for cell in nb.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"


def _keep_released_outputs(nb: Any, name: str) -> None:
    """Of a private run, only the outputs the release tagged reach the page and the executed
    notebook (:mod:`analysis.stats.output_tags`); the terminal says how many were left out."""
    if dropped := keep_tagged(nb, private_key()):
        print(f"{name}: {dropped} output(s) not made by the release (printed text, logs, warnings, "
              "untagged displays) left out of the page; show results with run.show, run.say or run.figure",
              file=sys.stderr)


def keep_failed(executed: Path, target: Path) -> Path | None:
    """Keep the executed notebook of a failed run for inspection; a failure to copy it (a
    full disk) leaves no partial file."""
    if not executed.is_file():
        return None
    try:  # a notebook cut off by a full disk is no notebook to open: not kept, not pointed at
        json.loads(executed.read_bytes())
    except (OSError, ValueError, RecursionError):
        return None
    try:
        replace_atomically(target, lambda tmp: shutil.copyfile(executed, tmp))
    except OSError:
        return None
    return target


def _scrub_papermill_metadata(nb: Any, run: NotebookRun) -> None:
    """No absolute path and no private file's name in the executed notebook's metadata."""
    meta = nb.metadata.get("papermill", {})
    meta.update(input_path=f"notebooks/{run.notebook.name}", output_path=f"executed/{run.name}.ipynb")
    if "parameters" in meta:
        meta["parameters"] = {k: "reports" if k == "output_dir" else shown_parameter(k, v)
                              for k, v in meta["parameters"].items()}
        study = meta["parameters"].get("study")
        if isinstance(study, str) and ("/" in study or "\\" in study):
            meta["parameters"]["study"] = Path(study).name


def _scrub_private_paths(nb: Any, parameters: dict[str, Any]) -> None:
    """Replace every private path parameter's value (the injected-parameters cell, any
    output that prints it) by ``private input``, and a study file's path by the study's id:
    a file name or folder can name a person."""
    for key, value in parameters.items():
        shown = shown_parameter(key, value)
        if shown == PRIVATE_LABEL and value != PRIVATE_LABEL:
            _replace_everywhere(nb, str(value), PRIVATE_LABEL)
        elif key == "study" and isinstance(value, str) and ("/" in value or "\\" in value):
            _replace_everywhere(nb, value, Path(value).name)  # a study file's folder can name a person


def _replace_everywhere(nb: Any, needle: str, shown: str) -> None:
    """``needle`` replaced by ``shown`` in every cell source and text output."""
    for cell in nb.cells:
        if needle in cell.source:
            cell.source = cell.source.replace(needle, shown)
        for out in cell.get("outputs", []):
            if "text" in out and needle in out["text"]:
                out["text"] = out["text"].replace(needle, shown)
            for mime, val in out.get("data", {}).items():
                if isinstance(val, str) and needle in val:
                    out["data"][mime] = val.replace(needle, shown)


def _scrub_staging_paths(nb: Any, staging: Path, reports: Path) -> None:
    """Replace the staging folder in cell sources and text outputs by ``reports``."""
    _replace_everywhere(nb, str(staging), "reports")
