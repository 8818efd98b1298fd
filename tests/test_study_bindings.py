"""No module binds a name of the active study at import.

``analysis.pilot.schema``'s study names (its dates, employers, statuses, services, sectors,
``PARTICIPANTS``, ...) are rebound by ``use_study``; a module that copies one at import
(``from analysis.pilot.schema import PARTICIPANTS``, a module-level ``X = ps.EMPLOYERS``, a
default argument ``cutoffs=ps.CUTOFF_DATES``) keeps the default study's value after another
study is made active (newpilot2's F1: ``inspect --study <new study>`` drafted the mapping in
the catering pilot's vocabulary). The names are found from ``schema.vocabulary`` itself, and
the source is read with ``ast``, not with the package's own checks.
"""

from __future__ import annotations

import ast

import pytest

from analysis import paths
from analysis.pilot import schema as ps
from analysis.study import load_study

SCHEMA = "analysis.pilot.schema"
STUDY_NAMES = frozenset(ps.vocabulary(load_study(ps.DEFAULT_STUDY))) | {"PARTICIPANTS"}


def _schema_aliases(tree: ast.Module) -> set[str]:
    """The names the module gives ``analysis.pilot.schema`` (``from analysis.pilot import schema as ps``)."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "analysis.pilot":
            out |= {a.asname or a.name for a in node.names if a.name == "schema"}
        elif isinstance(node, ast.Import):
            out |= {a.asname for a in node.names if a.name == SCHEMA and a.asname}
    return out


def _at_import(tree: ast.Module):
    """The nodes evaluated when the module is imported: everything but function bodies
    (their defaults and decorators are evaluated at import)."""
    stack = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            stack += [*node.args.defaults, *(d for d in node.args.kw_defaults if d), *node.decorator_list]
            continue
        if isinstance(node, ast.Lambda):
            stack += [*node.args.defaults, *(d for d in node.args.kw_defaults if d)]
            continue
        yield node
        stack += list(ast.iter_child_nodes(node))


def stale_bindings(source: str) -> list[str]:
    """Where ``source`` copies a study name of the schema at import (line: text)."""
    tree = ast.parse(source)
    aliases = _schema_aliases(tree)
    found = []
    for node in _at_import(tree):
        if isinstance(node, ast.ImportFrom) and node.module == SCHEMA:
            found += [f"{node.lineno}: from {SCHEMA} import {a.name}" for a in node.names if a.name in STUDY_NAMES]
        elif (isinstance(node, ast.Attribute) and node.attr in STUDY_NAMES and isinstance(node.value, ast.Name)
              and node.value.id in aliases):
            found.append(f"{node.lineno}: {node.value.id}.{node.attr}")
    return found


def test_the_detector_finds_each_kind_of_stale_binding():
    assert stale_bindings("from analysis.pilot.schema import PARTICIPANTS, UNKNOWN\n") == [
        f"1: from {SCHEMA} import PARTICIPANTS"]
    assert stale_bindings("from analysis.pilot import schema as ps\nX = ps.EMPLOYERS\n") == ["2: ps.EMPLOYERS"]
    assert stale_bindings("from analysis.pilot import schema as ps\ndef f(c=ps.CUTOFF_DATES):\n    return c\n") \
        == ["2: ps.CUTOFF_DATES"]
    # looked up at call, or a constant of every study: not stale
    assert stale_bindings("from analysis.pilot import schema as ps\ndef f():\n    return ps.SECTORS\n") == []
    assert stale_bindings("def f():\n    from analysis.pilot.schema import PARTICIPANTS\n    return PARTICIPANTS\n") \
        == []
    assert stale_bindings("from analysis.pilot import schema as ps\nU = ps.UNKNOWN\n") == []


@pytest.mark.parametrize("path", sorted((paths.PROJECT_ROOT / "src" / "analysis").rglob("*.py")),
                         ids=lambda p: str(p.relative_to(paths.PROJECT_ROOT / "src")))
def test_no_module_binds_a_study_name_at_import(path):
    if path.name == "schema.py" and path.parent.name == "pilot":
        return  # the module that holds them
    assert stale_bindings(path.read_text(encoding="utf-8")) == []

