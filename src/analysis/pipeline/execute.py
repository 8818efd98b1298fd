"""Executing one notebook run with papermill into its staging folder, adding the
provenance cell and the HTML pages, and promoting the outputs on success."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.pipeline.publish import promote
from analysis.pipeline.runs import NotebookRun

KERNEL_NAME = "vwnw-evaluation"  # registered in the environment by `make env`, for the user by `make kernel`


@dataclass
class RunResult:
    run: NotebookRun
    status: str  # ok | failed | skipped
    duration: float = 0.0
    message: str = ""
    outputs: list[str] = field(default_factory=list)


def _provenance_cell(run: NotebookRun, duration: float) -> Any:
    import nbformat

    from analysis.pipeline.provenance import Provenance

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
    from analysis.pipeline.html_export import export_html

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
