"""The runner killed (SIGKILL, from outside) at seeded random points: afterwards reports/, the
state, the manifest and the index agree, and the next run reruns exactly the runs whose
published outputs are not those of the current notebooks.

Kill points are of two kinds: a named step of the runner (``VWNW_PAUSE_AT=k``: the runner
stops at its k-th step and the test kills it there, which reaches the narrow windows of
publication) and a random moment (a delay after the start, mostly while kernels run). The
notebooks are tiny; each iteration changes the value some of them write, so the expected
state of every run is known independently of the runner: a run is current exactly when its
published table holds the value its notebook now writes."""

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_runner import make_notebook

from analysis.pipeline import journal, publish, runner, runs as run_config, state as run_state

pytestmark = [pytest.mark.slow, pytest.mark.heavy]  # make test-audit

NAMES = ("a", "b", "c")
KILLS = 12  # kill points (each a SIGKILL of a runner that had not finished)
STEPS = 16  # a changed run passes 11 steps (execute, stage, journal, 4 moves, 3 files, done); two runs more
SEED = 14


def start(nbs: Path, reports: Path, env_extra: dict[str, str]) -> subprocess.Popen:
    env = dict(os.environ, **env_extra)
    cmd = [sys.executable, "-m", "analysis", "report", "--notebooks", str(nbs), "--reports", str(reports), "-j", "3"]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def kill(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGKILL)  # the runner and its kernels
    proc.wait()


def run_and_kill(nbs: Path, reports: Path, rng: random.Random, tmp: Path, steps: list[int]) -> str:
    """One runner process, killed at the next of the shuffled ``steps`` or at a random
    moment; returns where."""
    pause = tmp / "paused"
    pause.unlink(missing_ok=True)
    if rng.random() < 0.75:
        k = steps.pop() if steps else rng.randint(1, STEPS)  # distinct steps first
        proc = start(nbs, reports, {"VWNW_PAUSE_AT": str(k), "VWNW_PAUSE_FILE": str(pause)})
        while proc.poll() is None and not pause.exists():
            time.sleep(0.02)
        if proc.poll() is not None:
            return f"step {k}: finished before it"
        kill(proc)
        return f"step {pause.read_text().strip()}"
    delay = rng.uniform(0.3, 3.0)
    proc = start(nbs, reports, {})
    try:
        proc.wait(timeout=delay)
        return f"{delay:.1f} s: finished before it"
    except subprocess.TimeoutExpired:
        kill(proc)
        return f"{delay:.1f} s"


def published_value(reports: Path, name: str) -> int | None:
    f = reports / "tables" / f"{name}.csv"
    return int(f.read_text().splitlines()[1]) if f.is_file() else None


def assert_agree(reports: Path) -> None:
    """Every file the state lists exists with its hash; the manifest lists exactly those
    and the index; nothing else is published; the index links exactly the runs in the state."""
    state = run_state.read_state(reports)
    listed = publish.published_files(state)
    for rel, digest in listed.items():
        assert (reports / rel).is_file(), f"state lists missing {rel}"
        assert run_state.sha256_file(reports / rel) == digest, f"{rel} differs from the state"
    manifest = json.loads((reports / "manifest.json").read_text())["files"]
    site = {p.relative_to(reports).as_posix() for p in (reports / "html").rglob("*") if p.is_file()} - set(listed)
    assert "html/index.html" in site and set(manifest) == set(listed) | site
    assert all(manifest[rel] == digest for rel, digest in listed.items())
    assert all(manifest[rel] == run_state.sha256_file(reports / rel) for rel in site)
    on_disk = {p.relative_to(reports).as_posix() for p in reports.rglob("*") if p.is_file()
               and not p.relative_to(reports).parts[0].startswith(".") and p.parts[-2:-1] != ("failed",)}
    assert on_disk == set(manifest) | {"manifest.json"}, on_disk ^ (set(manifest) | {"manifest.json"})
    index = (reports / "html" / "index.html").read_text()
    linked = set(re.findall(r'href="reviewer/([^"]+)\.html"', index))
    assert linked == {n for n, e in state.items() if e.get("status") == "ok"}


def test_killed_runner_leaves_reports_consistent_and_the_next_run_redoes_exactly_what_is_stale(tmp_path):
    nbs, reports = tmp_path / "notebooks", tmp_path / "reports"
    nbs.mkdir()
    values = {name: 1 for name in NAMES}

    def write_notebooks():
        for name in NAMES:
            make_notebook(nbs / f"{name}.ipynb", params=f'value = {values[name]}\nname = "{name}"\noutput_dir = "x"')

    write_notebooks()
    first = start(nbs, reports, {})
    assert first.wait(timeout=300) == 0, first.stderr.read().decode()
    rng = random.Random(SEED)
    steps = rng.sample(range(1, STEPS + 1), STEPS)
    kills, where = 0, []
    for _ in range(3 * KILLS):
        if kills >= KILLS:
            break
        for name in rng.sample(NAMES, 1 if rng.random() < 0.7 else 2):  # few kernels: a short test
            values[name] += 1
        write_notebooks()
        point = run_and_kill(nbs, reports, rng, tmp_path, steps)
        where.append(point)
        kills += "finished" not in point
        if not (reports / journal.JOURNAL_FILE).exists():
            assert_agree(reports)  # consistent as left by the kill
        runs = run_config.discover_runs(nbs)
        runner.complete_pending(reports, log=lambda _: None)  # what the next real run does first (a dry run does not)
        planned = runner.dry_run(runs, reports, log=lambda _: None)
        todo = {name for name, _ in planned}
        assert_agree(reports)
        stale = {name for name in NAMES if published_value(reports, name) != values[name]}
        assert todo == stale, f"after kill at {point}: would rerun {sorted(planned)}, stale are {sorted(stale)}"
    assert kills >= KILLS, where
    last = start(nbs, reports, {})
    assert last.wait(timeout=300) == 0
    assert {name: published_value(reports, name) for name in NAMES} == values
    assert_agree(reports)
    assert runner.dry_run(run_config.discover_runs(nbs), reports, log=lambda _: None) == []
