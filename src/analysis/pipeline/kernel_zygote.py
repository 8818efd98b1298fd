"""A process that imports the kernels' heavy libraries once and forks a kernel per run
(started by :mod:`analysis.pipeline.warm_kernels`; not a command of its own).

Every notebook kernel spent 2 to 8 s importing the same libraries (pandas, SciPy,
statsmodels, matplotlib, seaborn, pandera, IPython) before its first cell
(docs/performance.md). This process imports them once, then reads one JSON request a line
on stdin (``{"args": [...], "env": {...}, "cwd": "..."}``: the ``ipykernel_launcher``
arguments, environment and working folder jupyter_client would have started the kernel
with) and answers with the forked kernel's ``{"pid": n}``. The child becomes what
``python -m ipykernel_launcher ARGS`` in ``cwd`` with ``env`` would be: a session of its
own (jupyter_client signals the process group), ``sys.path[0]`` the working folder,
``sys.argv`` the launcher's, ``JPY_PARENT_PID`` this process (ipykernel's parent poller
ends the kernel when this process ends, which it does when the runner closes its stdin or
dies). Only third-party libraries are imported here, never :mod:`analysis` (its
``paths`` find the project from the working folder and the kernel): the notebooks import
the project's own modules in their kernel, as before.

Written by hand because jupyter_client has no forking launcher; the standard library's
``multiprocessing`` forkserver cannot hand a process to jupyter_client's provisioner.
"""

from __future__ import annotations

import ctypes
import importlib
import json
import os
import random
import runpy
import signal
import sys
import traceback

# what every notebook's imports cell pulls in (measured with python -X importtime), minus the project
PRELOAD = ("numpy", "pandas", "pyarrow", "pyarrow.parquet", "pyarrow.dataset", "pyarrow.csv", "pyarrow.json",
           "pyarrow.feather", "pyarrow.ipc", "pyarrow.orc", "scipy.stats", "scipy.optimize", "statsmodels.api",
           "matplotlib", "matplotlib.pyplot", "seaborn", "pandera", "IPython", "ipykernel.kernelapp",
           "ipykernel.ipkernel", "nbformat",
           # what the project's modules pull in beyond those (0.3 s of CPU per kernel)
           "firthmodels", "sklearn.metrics", "openpyxl", "jinja2", "yaml", "defusedxml", "rich",
           "pandas.io.formats.style", "xml.etree.ElementTree", "tomllib", "mimetypes")
INLINE = "module://matplotlib_inline.backend_inline"  # what ipykernel sets before the notebook's imports
# optional imports left out: jsonschema (through nbformat) imports its IRI format checker
# ``rfc3987_syntax`` when installed (jupyter-events pulls it in), which builds a grammar at
# import: 1.8 s of the preload's 4.9 s. Neither nbformat's schema nor the project checks IRIs.
SKIPPED = ("rfc3987_syntax",)


def skip_slow_optional_imports() -> None:
    """Make the modules of :data:`SKIPPED` unimportable in this process (their importers
    treat them as not installed)."""
    for name in SKIPPED:
        sys.modules.setdefault(name, None)


def preload() -> None:
    os.environ.setdefault("MPLBACKEND", INLINE)  # matplotlib reads it at import, as in a kernel
    skip_slow_optional_imports()

    for name in PRELOAD:
        importlib.import_module(name)


def child(request: dict) -> None:
    """Become the kernel of ``request`` (never returns)."""
    code = 1
    try:
        os.setsid()
        die_with_parent()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a new Python (the zygote ignores it)
        devnull = os.open(os.devnull, os.O_RDWR)
        os.dup2(devnull, 0)
        os.dup2(devnull, 1)  # C libraries' chatter (HiGHS's debug line: hostile round 20) on no terminal; Python's
        # prints reach the notebook through ipykernel, errors the runner's stderr (fd 2)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"], JPY_PARENT_PID=str(os.getppid()))
        os.environ.setdefault("MPLBACKEND", INLINE)
        sys.path[0] = os.getcwd()
        sys.argv = ["ipykernel_launcher", *request["args"]]

        random.seed()  # not the zygote's state, shared by every child

        runpy.run_module("ipykernel_launcher", run_name="__main__", alter_sys=True)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:  # noqa: BLE001 - a kernel that cannot start is reported by jupyter_client

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def die_with_parent() -> None:
    """Linux: this process gets SIGKILL when the zygote ends, whatever ends it. The zygote ends
    its kernels when the runner's pipe closes, but a SIGKILL to the runner's process group ends
    the zygote too, before it can: the tenth intruder's kernel, left running in a session of its
    own, went on writing figures of a release the ledger never recorded into the private site's
    staging folder. ``prctl(PR_SET_PDEATHSIG)`` by ctypes (the standard library has no call)."""
    parent = os.getppid()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return  # not Linux: the runner's pipe remains the only way
    if os.getppid() != parent:  # the zygote ended before the call took effect
        os._exit(1)


def reap(*_) -> None:
    """Collect every ended kernel: its CPU time then counts in this process's children's, and
    in the runner's when it collects this process (the benchmarks' CPU figures)."""
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        LIVE.discard(pid)  # ended and collected: its id may be reused, never signalled again


LIVE: set[int] = set()  # the kernels forked and not yet collected


def serve(requests, answers) -> None:
    """Fork a kernel per request; when the runner is gone (its pipe closed, also after a
    SIGKILL), end every kernel still running: none outlives the runner."""
    signal.signal(signal.SIGCHLD, reap)
    try:
        for line in requests:
            request = json.loads(line)
            pid = os.fork()
            if pid == 0:
                child(request)
            LIVE.add(pid)
            answers.write(json.dumps({"pid": pid}) + "\n")
            answers.flush()
    finally:
        end_kernels()


def end_kernels() -> None:
    """Send SIGKILL to each live kernel's process group (a kernel leads its own session) and to
    the kernel itself: a kernel forked a moment before the runner ended may not have called
    ``setsid`` yet, so its group does not exist and only the process id reaches it."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    for pid in sorted(LIVE):
        for kill in (os.killpg, os.kill):
            try:
                kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                continue


def main() -> int:
    # Ctrl-C in the terminal reaches the runner's whole process group: the runner handles it,
    # and this process ends when the runner closes its stdin
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        preload()
        sys.stdout.write(json.dumps({"ready": os.getpid()}) + "\n")
        sys.stdout.flush()
        serve(sys.stdin, sys.stdout)
    except BrokenPipeError:  # the runner ended first (Ctrl-C, SIGTERM): end quietly, nothing to tell
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit's flush
    return 0


if __name__ == "__main__":
    sys.exit(main())
