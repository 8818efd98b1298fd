"""The repository's shape: it stands alone (no path outside it), functions stay short, and the
source hash behind the processed cache and the runner fingerprint covers every subpackage."""

from __future__ import annotations

import ast
import shutil
import subprocess

import pytest

from analysis import files, paths

MAX_FUNCTION_LINES = 60
OUTSIDE = ("../shared", "shared/seeds", "shared/reference", "/work/")
BINARY = (".png", ".xlsx", ".parquet", ".lock")


def tracked_text_files() -> list:
    out = subprocess.run(["git", "ls-files"], cwd=paths.PROJECT_ROOT, capture_output=True, text=True, check=True)
    found = []
    for rel in out.stdout.split("\n"):
        p = paths.PROJECT_ROOT / rel
        if rel and p.is_file() and p.suffix not in BINARY:
            found.append(p)
    return found


@pytest.mark.skipif(not (paths.PROJECT_ROOT / ".git").exists(), reason="needs a git checkout to list tracked files")
def test_nothing_refers_to_a_path_outside_the_repository():
    offenders = []
    for p in tracked_text_files():
        if p == paths.PROJECT_ROOT / "tests" / "test_repository_shape.py":
            continue
        if p == paths.PROJECT_ROOT / ".ci" / "run":  # the one file allowed to find the report's text beside
            continue                                  # the checkout (DWSRA_SOURCE_TEXT, the source-text tests)
        text = p.read_text(encoding="utf-8", errors="replace")
        offenders += [f"{p.relative_to(paths.PROJECT_ROOT)}: {needle}" for needle in OUTSIDE if needle in text]
    assert offenders == []


def test_no_function_in_src_is_longer_than_the_limit():
    long = []
    for f in sorted(paths.SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long.append(f"{f.relative_to(paths.SRC)}:{node.lineno} {node.name} ({length} lines)")
    assert long == []


def test_source_hash_changes_with_a_module_in_any_subpackage(tmp_path):
    copy = tmp_path / "analysis"
    shutil.copytree(paths.SRC, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = files.source_hash(copy)
    for module in sorted(copy.rglob("*.py")):
        original = module.read_bytes()
        module.write_bytes(original + b"\n# changed\n")
        files.source_hash.cache_clear()
        assert files.source_hash(copy) != before, module.relative_to(copy)
        module.write_bytes(original)
    files.source_hash.cache_clear()
    assert files.source_hash(copy) == before
