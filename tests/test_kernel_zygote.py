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
