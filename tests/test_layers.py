"""The layer contract of docs/architecture.md, as import-linter contracts (``.importlinter``),
checked here and by ``make lint``. import-linter's graph library (grimp) reads every import
statement of a module, those inside functions included, so a function-local import cannot
carry a dependency the contracts forbid; the controls below show that on a small package of
their own (a function-local import of a higher layer, and a cycle between two modules)."""

from __future__ import annotations

import configparser
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / ".importlinter"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
LAYERS = ("data", "stats", "pilot", "dwsra", "presentation", "pipeline", "release", "study")


def lint_imports(config: Path, cwd: Path, extra_path: Path | None = None) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"}
    if extra_path is not None:
        env["PYTHONPATH"] = str(extra_path)
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--no-logo", str(config)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_project_keeps_its_layer_contracts():
    done = lint_imports(CONFIG, ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_the_contracts_cover_every_layer_and_forbid_cycles():
    text = CONFIG.read_text(encoding="utf-8")
    for layer in LAYERS:
        assert (ROOT / "src" / "analysis" / layer).is_dir()
        assert f"analysis.{layer}" in text
    assert "type = acyclic_siblings" in text and "include_external_packages = False" in text


def _package(tmp_path: Path, modules: dict[str, str]) -> Path:
    """A package ``analysis`` with every layer and ``modules`` (dotted name -> source) under
    ``tmp_path``."""
    packages = ["analysis", *(f"analysis.{layer}" for layer in LAYERS)]
    for name, source in {**dict.fromkeys(packages, ""), **modules}.items():
        parts = name.split(".")
        path = tmp_path.joinpath(*parts, "__init__.py") if name in packages else tmp_path.joinpath(*parts[:-1],
                                                                                                  parts[-1] + ".py")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("modules, broken", [
    ({"analysis.stats.x": "def f():\n    from analysis.pipeline import runner\n", "analysis.pipeline.runner": ""},
     "analysis.stats.x -> analysis.pipeline.runner"),
    ({"analysis.data.a": "def f():\n    from analysis.data import b\n",
      "analysis.data.b": "def g():\n    from analysis.data import a\n"}, "No cycles are allowed in analysis.data"),
])
def test_a_function_local_import_breaks_a_contract(tmp_path, modules, broken):
    """The controls: the project's own contracts, on a package whose only offending import
    sits inside a function, are broken and name it."""
    package = _package(tmp_path / "src", modules)
    project = configparser.ConfigParser()
    project.read(CONFIG, encoding="utf-8")
    control = configparser.ConfigParser()
    for section in ("importlinter", "importlinter:contract:data-stats-below", "importlinter:contract:acyclic"):
        control[section] = {k: v for k, v in project[section].items() if k != "ignore_imports"}
    config = tmp_path / ".importlinter"
    with open(config, "w", encoding="utf-8") as fh:
        control.write(fh)
    done = lint_imports(config, tmp_path, package)
    assert done.returncode == 1, done.stdout + done.stderr
    assert broken in done.stdout, done.stdout
