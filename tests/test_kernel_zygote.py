"""The kernel zygote ends every kernel it forked when the runner is gone (CI once saw a
kernel outlive a runner killed with SIGKILL: it had been forked a moment before and had not
yet become the leader of its own session, so signalling its process group missed it)."""

import os
import signal
import time

import pytest

from analysis.pipeline import kernel_zygote


def _wait_for_end(pid: int, seconds: float = 10) -> int | None:
    """The wait status of ``pid`` once it has ended, or None when it still runs after ``seconds``."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        time.sleep(0.05)
    return None


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the zygote forks")
@pytest.mark.parametrize("own_session", [False, True], ids=["before_setsid", "after_setsid"])
def test_end_kernels_reaches_a_kernel_with_or_without_its_own_session(monkeypatch, own_session):
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the kernel: a session of its own or not yet, then it waits to be ended
        if own_session:
            os.setsid()
        os.write(write, b"1")
        time.sleep(30)
        os._exit(0)
    os.read(read, 1)
    monkeypatch.setattr(kernel_zygote, "LIVE", {pid})
    previous, status = signal.getsignal(signal.SIGCHLD), None
    try:
        kernel_zygote.end_kernels()
        status = _wait_for_end(pid)
    finally:
        signal.signal(signal.SIGCHLD, previous)
        if status is None:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    assert status is not None, "the kernel outlived end_kernels"
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, ended and not yet collected, does not)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            return next((line.split()[1] for line in fh if line.startswith("State:")), "Z") != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not os.path.isdir("/proc/self") or not hasattr(os, "fork"), reason="Linux: prctl")
def test_a_kernel_ends_with_its_zygote_even_when_the_zygote_is_killed():
    """Intruder round 10 (K1): a SIGKILL to the runner's process group ended the zygote before it
    could end its kernels; a kernel in a session of its own went on writing into the staging
    folder. A kernel now asks the system for SIGKILL when its zygote ends."""
    read, write = os.pipe()
    zygote = os.fork()
    if zygote == 0:  # the zygote: forks a kernel, reports its pid, then waits to be killed
        kernel = os.fork()
        if kernel == 0:
            os.setsid()
            kernel_zygote.die_with_parent()
            time.sleep(60)
            os._exit(0)
        os.write(write, f"{kernel}\n".encode())
        time.sleep(60)
        os._exit(0)
    kernel = int(os.read(read, 64).decode().split()[0])
    time.sleep(0.3)  # the kernel has called prctl
    try:
        assert _alive(kernel)
        os.kill(zygote, signal.SIGKILL)
        os.waitpid(zygote, 0)
        deadline = time.time() + 10
        while _alive(kernel) and time.time() < deadline:
            time.sleep(0.05)
        assert not _alive(kernel), "the kernel outlived its killed zygote"
    finally:
        if _alive(kernel):
            os.kill(kernel, signal.SIGKILL)
