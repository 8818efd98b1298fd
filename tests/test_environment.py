"""The conda/Binder environment.yml and pyproject.toml must list the same packages."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject() -> dict[str, str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    specs = data["project"]["dependencies"] + sum(data["project"]["optional-dependencies"].values(), [])
    return {_name(s): s.replace(" ", "") for s in specs}


def _environment() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    out = {}
    for dep in env["dependencies"]:
        items = dep["pip"] if isinstance(dep, dict) else [dep]
        for spec in items:
            name = _name(spec)
            if name in ("python", "pip", "-e"):
                continue
            out[name] = spec.replace(" ", "")
    return out


def test_environment_yml_lists_the_same_packages_as_pyproject():
    py, env = _pyproject(), _environment()
    assert set(env) == set(py), (f"only in environment.yml: {sorted(set(env) - set(py))}; "
                                 f"only in pyproject.toml: {sorted(set(py) - set(env))}")


def test_environment_yml_uses_the_same_lower_bounds():
    py, env = _pyproject(), _environment()
    differ = {k: (env[k], py[k]) for k in py if k in env and env[k] != py[k]}
    assert not differ, f"version specifiers differ (environment.yml, pyproject.toml): {differ}"


def test_lock_file_pins_every_dependency():
    lock = (ROOT / "requirements.lock").read_text().lower()
    missing = [n for n in _pyproject() if f"\n{n}==" not in lock]
    assert not missing, f"requirements.lock does not pin {missing}; run `make lock`"
