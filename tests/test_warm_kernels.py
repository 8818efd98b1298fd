"""Kernels forked from the pre-imported zygote behave as cold ones: the notebook's folder as
working folder and the same import path, the launcher's environment, the inline matplotlib
backend, the same results; they end when shut down; VWNW_COLD_KERNELS starts them cold."""

from __future__ import annotations

import os
import sys

import nbformat
import papermill as pm
import pytest

from analysis.pipeline import warm_kernels
from analysis.pipeline.execute import KERNEL_NAME

pytestmark = pytest.mark.slow

PROBE = """
import os, sys, matplotlib
print(os.getcwd())
print(",".join("<cwd>" if p in ("", os.getcwd()) else p for p in sys.path).replace(" ", "_"))
print(matplotlib.get_backend())
print(os.environ.get("VWNW_PROBE"))
print(os.getppid() == int(os.environ["JPY_PARENT_PID"]))
print(sum(range(10)))
"""


def _run(tmp_path, monkeypatch, cold: bool) -> list[str]:
    monkeypatch.setenv("VWNW_PROBE", "seen")
    if cold:
        monkeypatch.setenv("VWNW_COLD_KERNELS", "1")
    folder = tmp_path / ("cold" if cold else "warm")
    folder.mkdir()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(PROBE)])
    nbformat.write(nb, folder / "probe.ipynb")
    out = pm.execute_notebook(str(folder / "probe.ipynb"), str(folder / "out.ipynb"), kernel_name=KERNEL_NAME,
                              resources={"metadata": {"path": str(folder)}}, progress_bar=False,
                              kernel_manager_class=warm_kernels.WarmKernelManager)
    return "".join(o.get("text", "") for o in out.cells[0].outputs).split()


def test_a_warm_kernel_runs_like_a_cold_one(tmp_path, monkeypatch):
    before = {k: v for k, v in warm_kernels._ZYGOTES.items() if v is not None}
    warm = _run(tmp_path, monkeypatch, cold=False)
    assert any(v is not None for v in warm_kernels._ZYGOTES.values())  # it was forked, not started cold
    cold = _run(tmp_path, monkeypatch, cold=True)
    assert warm[0] == str(tmp_path / "warm") and cold[0] == str(tmp_path / "cold")
    assert warm[1] == cold[1]  # the import path, the notebook's folder where a cold kernel has it
    assert warm[2:] == cold[2:] == ["module://matplotlib_inline.backend_inline", "seen", "True", "45"]
    assert before == {} or before.keys() <= warm_kernels._ZYGOTES.keys()


def test_a_forked_kernel_is_watched_by_its_process_id():
    zygote, args = warm_kernels.zygote_for([sys.executable, "-m", "ipykernel_launcher", "-f", "x.json"]) or (None, None)
    if zygote is None:
        pytest.skip("no fork on this platform")
    assert args == ["-f", "x.json"]
    pid = zygote.fork(["--version"], dict(os.environ), os.getcwd())  # ipykernel prints its version, ends
    process = warm_kernels.Forked(pid)
    assert process.wait(timeout=120) == 0 and process.poll() == 0
