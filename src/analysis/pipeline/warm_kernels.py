"""Kernels that start warm: jupyter_client's kernel manager with a provisioner that asks a
pre-imported process (:mod:`analysis.pipeline.kernel_zygote`) to fork the kernel, instead
of starting ``python -m ipykernel_launcher`` and importing every library again.

Plugged in behind papermill's engine API: :func:`analysis.pipeline.execute.execute_run`
passes :class:`WarmKernelManager` as nbclient's ``kernel_manager_class``. The provisioner
is jupyter_client's own :class:`~jupyter_client.provisioning.LocalProvisioner` (ports,
connection file, command line and environment exactly as for a cold kernel) except for
the launch, which hands the command's arguments, environment and working folder to the
zygote. The forked kernel is not the runner's child: it is watched and signalled by its
process id and group (:class:`Forked`), and the zygote collects it when it ends (so its CPU
time counts in the runner's children's once the zygote has ended).

One zygote per Python command (the kernel spec's ``python -Xfrozen_modules=off``), started
at the first kernel and ended when the runner exits (it reads its requests from a pipe the
runner holds). Where fork does not exist (Windows), the kernel spec is not a
``-m ipykernel_launcher`` command, ``VWNW_COLD_KERNELS`` is set, or the zygote cannot
start, kernels start cold as before.
"""

from __future__ import annotations

import atexit
import json
import os
import signal
import subprocess
import threading
import time
import uuid
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner

LAUNCHER = ["-m", "ipykernel_launcher"]


class Forked:
    """The part of :class:`subprocess.Popen` jupyter_client's provisioner uses, for a kernel
    forked by the zygote (which reaps it: a process that is gone has ended)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = 0  # its exit status went to the zygote
            except PermissionError:  # the id was reused by another user's process: ours has ended
                self.returncode = 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        end = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if end is not None and time.monotonic() > end:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class Zygote:
    """A running :mod:`analysis.pipeline.kernel_zygote` for one Python command."""

    def __init__(self, python: list[str]):
        self.proc = subprocess.Popen([*python, "-m", "analysis.pipeline.kernel_zygote"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, bufsize=1)
        ready = self.proc.stdout.readline()
        if not ready.startswith('{"ready"'):
            self.proc.kill()
            raise OSError(f"the kernel zygote did not start ({ready.strip() or 'no answer'})")
        self.lock = threading.Lock()

    def fork(self, args: list[str], env: dict[str, str], cwd: str) -> int:
        with self.lock:  # one request and its answer at a time (runs start in parallel threads)
            self.proc.stdin.write(json.dumps({"args": args, "env": env, "cwd": cwd}) + "\n")
            self.proc.stdin.flush()
            answer = self.proc.stdout.readline()
        if not answer:
            raise OSError("the kernel zygote has ended")
        return int(json.loads(answer)["pid"])

    def close(self) -> None:
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()


_ZYGOTES: dict[tuple[str, ...], Zygote | None] = {}
_ZYGOTES_LOCK = threading.Lock()


def zygote_for(cmd: list[str]) -> tuple[Zygote, list[str]] | None:
    """The zygote that can fork ``cmd`` (a ``python [options] -m ipykernel_launcher ARGS``
    command) and the launcher's ARGS; ``None`` when the kernel must start cold."""
    if not hasattr(os, "fork") or os.environ.get("VWNW_COLD_KERNELS"):
        return None
    at = next((i for i in range(len(cmd) - 1) if cmd[i:i + 2] == LAUNCHER), None)
    if at is None:
        return None
    python = tuple(cmd[:at])
    with _ZYGOTES_LOCK:
        if python not in _ZYGOTES:
            try:
                _ZYGOTES[python] = Zygote(list(python))
                atexit.register(_ZYGOTES[python].close)
            except OSError:
                _ZYGOTES[python] = None
        zygote = _ZYGOTES[python]
    return None if zygote is None else (zygote, cmd[at + 2:])


class WarmProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, launching through the zygote when it can."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any):
        found = zygote_for(cmd)
        if found is None:
            return await super().launch_kernel(cmd, **kwargs)
        zygote, args = found
        env = dict(kwargs.get("env") or os.environ)
        cwd = str(kwargs.get("cwd") or os.getcwd())
        self.process = Forked(zygote.fork(args, env, cwd))
        self.pid = self.pgid = self.process.pid  # the kernel leads a session of its own
        self.cwd = cwd
        return self.connection_info


class WarmKernelManager(AsyncKernelManager):
    """nbclient's kernel manager with :class:`WarmProvisioner`."""

    async def _async_pre_start_kernel(self, **kw: Any):
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = WarmProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
        return await super()._async_pre_start_kernel(**kw)
