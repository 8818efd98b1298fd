"""Hostile round 20, finding 6: a C library's line on a kernel's file descriptor 1 (HiGHS's debug
line) reached the runner's terminal; ``-j auto`` ran two kernels per core; a full page showed the
default study's values in the parameters cell of another study's run."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import nbformat
import pytest

from analysis import paths
from analysis.pipeline import runner
from analysis.pipeline.parameter_cell import defaults_in_effect

PROBE = textwrap.dedent("""
    import nbformat, papermill as pm, sys
    from analysis.pipeline import warm_kernels
    from analysis.pipeline.execute import KERNEL_NAME, KERNEL_QUIET
    cell = ("import os, ctypes\\nos.write(1, b'NATIVE-FD1\\\\n')\\n"
            "ctypes.CDLL(None).printf(b'NATIVE-PRINTF\\\\n'); ctypes.CDLL(None).fflush(None)\\nprint('PY-PRINT')")
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(cell)]), sys.argv[1] + "/p.ipynb")
    out = pm.execute_notebook(sys.argv[1] + "/p.ipynb", sys.argv[1] + "/o.ipynb", kernel_name=KERNEL_NAME,
                              progress_bar=False, kernel_manager_class=warm_kernels.WarmKernelManager,
                              resources={"metadata": {"path": sys.argv[1]}}, extra_arguments=KERNEL_QUIET)
    print("CELL:" + "".join(o.get("text", "") for o in out.cells[0].outputs).replace("\\n", "|"))
""")


@pytest.mark.slow
def test_a_native_line_of_a_kernel_reaches_neither_terminal_nor_notebook(tmp_path):
    script = tmp_path / "probe.py"
    script.write_text(PROBE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "VWNW_COLD_KERNELS"}
    done = subprocess.run([sys.executable, str(script), str(tmp_path)], capture_output=True, text=True,
                          timeout=300, cwd=paths.PROJECT_ROOT, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "NATIVE" not in done.stderr and "CELL:PY-PRINT|" in done.stdout and "NATIVE" not in done.stdout


def test_auto_runs_one_kernel_per_core():
    cores = os.cpu_count() or 1
    assert runner.resolve_workers("auto", 50) == cores
    assert runner.resolve_workers("auto", 50) != 2 * cores


def test_the_parameters_cell_shows_only_the_defaults_the_run_kept():
    source = ('# Parameters\nstudy = "catering_noordoost_brabant_2021"  # the pilot\n'
              'cutoff_date = "2021-04-01"  # the report: end of pilot\nlanguage = "nl"  # or "en"')
    shown = defaults_in_effect(source, {"study", "cutoff_date", "joint_cutoffs"})
    assert "catering" not in shown and "2021-04-01" not in shown
    assert 'language = "nl"  # or "en"' in shown
    assert shown.endswith("# set by this run in the next cell (its defaults not shown): study, cutoff_date")
    assert defaults_in_effect(source, set()) == source


def test_a_full_page_of_another_study_does_not_show_the_default_study(tmp_path):
    from analysis.pipeline import html_export

    executed = paths.REPORTS / "executed" / "03_outcome_models-schoonmaak.ipynb"
    if not executed.is_file():
        pytest.skip("make report has not run")
    nb = nbformat.read(executed, as_version=4)
    pages = html_export.export_html(nb, tmp_path, executed.stem, paths.NOTEBOOKS, nb.metadata.papermill.parameters)
    full = next(p for p in pages if p.parent.name == "full").read_text(encoding="utf-8")
    assert "catering_noordoost_brabant_2021" not in full and "set by this run in the next cell" in full
