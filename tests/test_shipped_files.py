"""The list of the repository's own inputs (``analysis.shipped_files``) is the repository's:
every file git tracks in data/raw, studies and tests (code aside) with its bytes, nothing else.
A shipped input changed without the list fails here, with the command that rewrites it."""

from __future__ import annotations

import hashlib
import subprocess

import pytest

from analysis import paths, shipped_files


def _git_files() -> list[str]:
    try:
        out = subprocess.run(["git", "ls-files", "-z", "--", *shipped_files.FOLDERS], cwd=paths.PROJECT_ROOT,
                             capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return sorted(n for n in out.stdout.decode().split("\0") if n and not n.endswith(".py"))


def test_the_list_of_shipped_files_is_the_repository_s():
    expected = {n: hashlib.sha256((paths.PROJECT_ROOT / n).read_bytes()).hexdigest() for n in _git_files()}
    listed = shipped_files.listed()
    stale = sorted(n for n in set(expected) | set(listed) if expected.get(n) != listed.get(n))
    assert not stale, (f"{len(stale)} shipped inputs differ from src/analysis/shipped_files.sha256 (first: "
                       f"{stale[:3]}); after changing a shipped input run "
                       "`.venv/bin/python -m analysis.shipped_files --write`")
    assert shipped_files.main(["--check"]) == 0


def test_each_shipped_input_is_shipped_and_a_copy_elsewhere_or_a_changed_byte_is_not(tmp_path):
    from analysis import private_data

    some = paths.DATA_RAW / "pilot_participants_synthetic.csv"
    assert private_data.is_shipped(some)
    copy = tmp_path / some.name
    copy.write_bytes(some.read_bytes())
    assert not private_data.is_shipped(copy)  # not at its place (its claim is still believed as a copy)
    assert hashlib.sha256(copy.read_bytes()).hexdigest() in shipped_files.digests()
