"""The layer contract of docs/architecture.md, on every import (module level and inside
functions alike): a function-local import may not carry a dependency the layers forbid.
Written as an AST scan rather than with import-linter, which sees only module-level
imports and is not in the lock."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "analysis"
HIGHER = {"pilot", "dwsra", "presentation", "pipeline", "release", "study"}
FORBIDDEN = {
    "data": HIGHER,
    "stats": HIGHER,
    "presentation": {"pipeline", "release"},
    "pilot": {"presentation", "pipeline", "release"},
    "dwsra": {"pipeline", "release"},
}


def imports(path: Path) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
    return out


def violations(src: Path = SRC) -> list[str]:
    found = []
    for path in sorted(src.rglob("*.py")):
        layer = path.relative_to(src).parts[0]
        for line, module in imports(path):
            parts = module.split(".")
            if parts[0] == "analysis" and len(parts) > 1 and parts[1] in FORBIDDEN.get(layer, ()):
                found.append(f"{path.relative_to(src)}:{line} imports {module}")
    return found


def test_no_layer_imports_a_layer_above_it():
    assert violations() == []


def test_the_scan_sees_function_local_imports(tmp_path):
    """The control: a function-local import of a higher layer is found."""
    fake = tmp_path / "analysis" / "stats"
    fake.mkdir(parents=True)
    (fake / "x.py").write_text("def f():\n    from analysis.pipeline import runner\n", encoding="utf-8")
    assert violations(tmp_path / "analysis") == ["stats/x.py:2 imports analysis.pipeline"]


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_every_layer_exists(layer):
    assert (SRC / layer).is_dir()
