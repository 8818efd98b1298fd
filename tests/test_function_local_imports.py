"""No import of the project's own modules hides inside a function (issue 25, "layers that
hold"): an import of a module of :mod:`analysis` sits at the top of its module, where the
layer contracts (``.importlinter``, tests/test_layers.py) and a reader see it, unless it is
listed below with its reason. A cycle is never a reason: import-linter counts the imports
inside functions too, so a listed one cannot carry a cycle either. The reasons are start-up
cost (the no-op ``make report`` stays under 1 s, and every command builds the whole parser)
and names a study switch rebinds."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"

PANDAS = "on use: loads pandas, which the runner's start never needs"
ALLOWED: dict[tuple[str, str], str] = {
    # (importing module, imported module): why the import stays inside a function
    ("analysis.cli", "analysis.pilot.synthetic"): "the synthetic command's generator: " + PANDAS,
    ("analysis.cli", "analysis.pilot.messy_export"): "the synthetic command's export writer: pandas and openpyxl",
    ("analysis.cli", "analysis.export_inspection"): "the inspect command's profiler: " + PANDAS,
    ("analysis.cli", "analysis.codebook"): "the codebook command's tables: " + PANDAS,
    ("analysis.cli", "analysis.ledger_records"): "the releases command's ledger view: the report command never "
                                                 "reads the ledger through it",
    ("analysis.cli", "analysis.dwsra.schema"): "the dwsra-sources command's files: " + PANDAS,
    ("analysis.cli", "analysis.dwsra.checks"): "the dwsra-sources command's checks: " + PANDAS,
    ("analysis.cli", "analysis.dwsra.source_text"): "the dwsra-sources command's reader: " + PANDAS,
    ("analysis.codebook", "analysis.pilot.schema"): "PARTICIPANTS and the cut-off columns are the active study's: "
                                                    "use_study rebinds them, so they are read at call",
    ("analysis.pipeline.execute", "analysis.pipeline.warm_kernels"): "jupyter_client, on use: not in a no-op report",
    ("analysis.pipeline.execute", "analysis.pipeline.html_export"): "nbconvert, on use: not in a no-op report",
    ("analysis.pipeline.provenance", "analysis.presentation.formats"): "pandas, on use: not in a no-op report",
    ("analysis.pipeline.runs", "analysis.data.workbook"): "the size check of an export before any kernel: " + PANDAS,
    ("analysis.pipeline.runner", "analysis.pipeline.site"): "pandas, matplotlib and nbconvert, on use (a publication's "
                                                            "landing-page check): not in a no-op report",
    ("analysis.pipeline.publish", "analysis.pipeline.site"): "pandas, matplotlib and nbconvert, on use: not in a "
                                                             "no-op report",
    ("analysis.presentation.model_texts", "analysis.pilot.schema"): "pandera, on use: the runner's pages import "
                                                                    "model_texts and never need it",
    ("analysis.presentation.survival_texts", "analysis.presentation.plots"): "seaborn, on use: the runner's pages "
                                                                             "import survival_texts and never need it",
    ("analysis.export_inspection", "analysis.exhibit_figures"): "seaborn and matplotlib, on use: only inspect "
                                                                  "--check draws the figures",
    ("analysis.export_inspection", "analysis.pipeline.export"): "the figure writer's resolution, with the figures "
                                                                "(inspect --check only)",
    ("analysis.export_inspection", "analysis.presentation.layout"): "matplotlib, on use: inspect --check only",
    ("analysis.export_inspection", "analysis.presentation.pilot_figures"): "matplotlib, on use: inspect --check only",
    ("analysis.release", "analysis.release.run"): "Run and setup on first use (PEP 562): a submodule of release "
                                                  "imports without the whole notebook API",
}


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    base = SRC.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def imported_modules(node: ast.Import | ast.ImportFrom, module: str, package: bool) -> list[str]:
    """The modules an import statement of ``module`` names: ``from analysis.x import y`` is
    ``analysis.x.y`` when that is a module, else ``analysis.x``; relative imports resolved."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        parts = module.split(".") if package else module.split(".")[:-1]
        parts = parts[:len(parts) - (node.level - 1)]
        base = ".".join([*parts, *([node.module] if node.module else [])])
    return [f"{base}.{a.name}" if is_module(f"{base}.{a.name}") else base for a in node.names]


def function_local_imports(source: str, module: str, package: bool = False) -> list[tuple[int, str]]:
    """(line, imported module) of every import of an ``analysis`` module inside a function
    or lambda of ``source`` (at any depth: methods, nested functions, branches)."""
    found = []

    def visit(node: ast.AST, inside: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if inside and isinstance(child, ast.Import | ast.ImportFrom):
                found.extend((child.lineno, name) for name in imported_modules(child, module, package)
                             if name.split(".")[0] == "analysis")
            visit(child, inside or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda))

    visit(ast.parse(source), False)
    return found


def project_imports() -> dict[tuple[str, str], list[str]]:
    out: dict[tuple[str, str], list[str]] = {}
    for path in sorted((SRC / "analysis").rglob("*.py")):
        module = module_name(path)
        for line, name in function_local_imports(path.read_text(encoding="utf-8"), module,
                                                 path.name == "__init__.py"):
            out.setdefault((module, name), []).append(f"{path.relative_to(ROOT)}:{line}")
    return out


def test_every_function_local_import_of_the_project_is_listed_with_its_reason():
    found = project_imports()
    unlisted = {pair: where for pair, where in found.items() if pair not in ALLOWED}
    assert not unlisted, (
        "imports of the project's modules inside functions: move each to the top of its module (a cycle it "
        "would make is removed by moving the function or constant to the module that owns its concern), or list "
        f"it in ALLOWED with its reason: {unlisted}")


def test_the_list_names_only_imports_that_exist_and_says_why():
    found = project_imports()
    stale = sorted(pair for pair in ALLOWED if pair not in found)
    assert not stale, f"listed but no longer inside a function (remove from ALLOWED): {stale}"
    assert all(len(reason.split()) >= 4 for reason in ALLOWED.values())


@pytest.mark.parametrize("source, module, package, expected", [
    ("def f():\n    from analysis.pipeline import runner\n", "analysis.cli", False,
     [(2, "analysis.pipeline.runner")]),
    ("class C:\n    def m(self):\n        if True:\n            import analysis.paths\n", "analysis.x", False,
     [(4, "analysis.paths")]),
    ("def f():\n    def g():\n        from . import tables\n", "analysis.dwsra.texts", False,
     [(3, "analysis.dwsra.tables")]),
    ("def f():\n    from .run import Run\n", "analysis.release", True, [(2, "analysis.release.run")]),
    ("g = lambda: __import__('x')\ndef f():\n    from analysis.paths import resolve\n", "analysis.x", False,
     [(3, "analysis.paths")]),
    ("from analysis import paths\nif True:\n    from analysis.pilot import schema\n"
     "def f():\n    import pandas\n    from collections import Counter\n", "analysis.x", False, []),
])
def test_the_finder_sees_imports_inside_functions_only(source, module, package, expected):
    """The control: imports inside functions, methods, nested functions and branches are
    found and resolved (a submodule by name, relative imports); module-level imports and
    imports of other packages are not."""
    assert function_local_imports(textwrap.dedent(source), module, package) == expected
