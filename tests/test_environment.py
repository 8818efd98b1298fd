"""Where the project runs: the universal lock, the conda/Binder environment.yml generated from it,
the Python finder, the project kernel, the project root of an installed package, and the search
for Chromium. Reference values are parsed here independently of tools/lock_tools.py."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import chromium
import pytest
import yaml

from analysis import paths
from analysis.pipeline.execute import KERNEL_NAME

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.lock"


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ ;\[]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _lock_pins() -> dict[str, tuple[str, str]]:
    """name -> (version, marker) from the lock's requirement lines."""
    pins = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if not line or line[0] in " #-":
            continue
        req, _, marker = line.rstrip(" \\").partition(";")
        name, _, version = req.strip().partition("==")
        pins[name.lower()] = (version, marker.strip())
    return pins


def _environment() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_lock_pins_every_dependency_of_pyproject():
    project = _pyproject()["project"]
    specs = project["dependencies"] + sum(project["optional-dependencies"].values(), [])
    missing = [_name(s) for s in specs if _name(s) not in _lock_pins()]
    assert not missing, f"requirements.lock does not pin {missing}; run `make lock`"


def test_lock_is_universal_for_python_3_11_to_3_13():
    header = LOCK.read_text(encoding="utf-8").splitlines()[1]
    assert "--universal" in header and "--generate-hashes" in header, header
    assert _pyproject()["project"]["requires-python"] == ">=3.11,<3.14"
    markers = {marker for _, marker in _lock_pins().values()}
    # platform-specific packages are kept under their markers, not resolved away for Linux
    assert any("win32" in m or "os_name == 'nt'" in m for m in markers), markers
    assert any("darwin" in m for m in markers), markers


def test_every_lock_pin_has_hashes():
    text = LOCK.read_text(encoding="utf-8")
    blocks = re.split(r"\n(?=[a-z0-9])", text.split("\n", 2)[2])
    unhashed = [b.split()[0] for b in blocks if b.strip() and "--hash=sha256:" not in b]
    assert not unhashed, unhashed


def test_environment_yml_pins_exactly_the_lock():
    env = _environment()
    deps = env["dependencies"]
    assert any(isinstance(d, str) and re.fullmatch(r"python=3\.1[123]", d) for d in deps), deps
    pip = next(d["pip"] for d in deps if isinstance(d, dict))
    from_env = {}
    for spec in pip:
        req, _, marker = spec.partition(";")
        name, _, version = req.strip().partition("==")
        from_env[name.lower()] = (version, marker.strip())
    lock = _lock_pins()
    differ = {n: (from_env.get(n), lock.get(n)) for n in set(lock) | set(from_env) if from_env.get(n) != lock.get(n)}
    assert not differ, f"environment.yml and requirements.lock differ (env, lock): {differ}; run `make lock`"


def test_environment_yml_is_what_make_lock_writes():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import lock_tools
    finally:
        sys.path.remove(str(ROOT / "tools"))
    assert (ROOT / "environment.yml").read_text(encoding="utf-8") == lock_tools.environment_yml(), \
        "environment.yml is out of date: run `make lock`"


def test_uv_is_pinned_by_hash():
    text = (ROOT / "tools" / "uv-requirements.txt").read_text(encoding="utf-8")
    assert re.search(r"^uv==\d+\.\d+\.\d+ \\$", text, re.M) and text.count("--hash=sha256:") >= 5


def test_binder_post_build_installs_the_package_and_registers_the_kernel():
    post = ROOT / "postBuild"
    assert os.access(post, os.X_OK), "postBuild must be executable"
    text = post.read_text(encoding="utf-8")
    assert re.search(r"pip install [^\n]*--no-deps[^\n]* \.", text), text
    assert f"ipykernel install --user --name {KERNEL_NAME}" in text


# --- Python 3.11-3.13 -------------------------------------------------------------------------


def _find_python(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["sh", str(ROOT / "tools" / "find-python"), *args], capture_output=True, text=True)


def test_find_python_accepts_this_interpreter_and_refuses_others():
    ok = _find_python(sys.executable)
    assert ok.returncode == 0 and Path(ok.stdout.strip()).exists(), ok.stderr
    for wrong in ("3.10", "2.7"):
        refused = _find_python(wrong)
        assert refused.returncode == 1 and "3.11, 3.12 or 3.13" in refused.stderr, refused.stderr
    missing = _find_python("/nonexistent/python3")
    assert missing.returncode == 1 and "does not run" in missing.stderr


def test_find_python_finds_a_supported_version_on_the_path():
    found = _find_python()
    assert found.returncode == 0, found.stderr
    version = subprocess.run([found.stdout.strip(), "-c", "import sys; print(sys.version_info[:2])"],
                             capture_output=True, text=True).stdout.strip()
    assert version in ("(3, 11)", "(3, 12)", "(3, 13)"), version


# --- the project kernel ------------------------------------------------------------------------


def test_notebooks_and_runner_name_the_project_kernel():
    assert KERNEL_NAME == "vwnw-evaluation"
    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
        spec = json.loads(nb.read_text(encoding="utf-8"))["metadata"]["kernelspec"]
        assert spec["name"] == KERNEL_NAME, f"{nb.name} asks for kernel {spec['name']!r}"
    assert re.search(rf"^KERNEL\s*:=\s*{KERNEL_NAME}$", (ROOT / "Makefile").read_text(), re.M)


def test_the_project_kernel_runs_this_environment():
    """The runner starts KERNEL_NAME; it must resolve to this interpreter (the environment's own
    kernel wins over one registered for the user from another environment)."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    except NoSuchKernel:
        pytest.fail(f"kernel {KERNEL_NAME!r} not registered in {sys.prefix}: run `make env`")
    exe = spec.argv[0]
    assert exe in ("python", "python3") or Path(exe).resolve() == Path(sys.executable).resolve(), \
        f"kernel {KERNEL_NAME} runs {exe}, the tests run {sys.executable}"


def test_make_lab_allows_root_only_as_root():
    dry = subprocess.run(["make", "-n", "lab"], cwd=ROOT, capture_output=True, text=True)
    line = next(x for x in dry.stdout.splitlines() if "jupyter lab" in x)
    assert ("--allow-root" in line) == (os.getuid() == 0), line


# --- the project root --------------------------------------------------------------------------


def _project(tmp: Path) -> Path:
    (tmp / "notebooks").mkdir(parents=True)
    (tmp / "pyproject.toml").write_text(f'[project]\nname = "{paths.PROJECT_NAME}"\n')
    return tmp


def test_root_from_environment_variable_wins(tmp_path):
    root, how = paths.find_root({"VWNW_PROJECT_ROOT": str(tmp_path)}, Path("/x/analysis/paths.py"), Path("/"), False)
    assert (root, how) == (tmp_path.resolve(), "env")


def test_root_from_the_notebook_when_the_package_is_installed_elsewhere(tmp_path):
    project = _project(tmp_path / "project")
    installed = tmp_path / "site-packages" / "analysis" / "paths.py"
    notebook = project / "notebooks" / "03_outcome_models.ipynb"
    notebook.write_text("{}")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert paths.find_root({"JPY_SESSION_NAME": str(notebook)}, installed, elsewhere, False) == (project, "notebook")
    # a kernel started by papermill or JupyterLab works in the notebook's folder
    assert paths.find_root({}, installed, project / "notebooks", True) == (project, "notebook")
    # a command-line call from inside the project
    assert paths.find_root({}, installed, project / "notebooks", False) == (project, "cwd")


def test_root_from_an_environment_inside_the_project(tmp_path):
    project = _project(tmp_path / "project")
    installed = project / ".venv" / "lib" / "python3.12" / "site-packages" / "analysis" / "paths.py"
    assert paths.find_root({}, installed, tmp_path, False) == (project, "package")


def test_a_folder_without_this_project_is_not_a_root(tmp_path):
    other = tmp_path / "other"
    (other / "notebooks").mkdir(parents=True)
    (other / "pyproject.toml").write_text('[project]\nname = "something-else"\n')
    with pytest.warns(UserWarning, match="VWNW_PROJECT_ROOT"):
        root, how = paths.find_root({}, tmp_path / "site" / "analysis" / "paths.py", other / "notebooks", True)
    assert how == "fallback"


def test_non_editable_install_finds_the_project_from_the_notebook_folder(tmp_path):
    """A copy of the package outside the project (as `pip install .` leaves it) imported in a
    kernel-like process whose working directory is notebooks/."""
    import shutil

    site = tmp_path / "site-packages"
    shutil.copytree(ROOT / "src" / "analysis", site / "analysis", ignore=shutil.ignore_patterns("__pycache__"))
    code = ("import analysis, analysis.paths as p; "
            "print(analysis.__file__); print(p.PROJECT_ROOT); print(p.FOUND_BY)")
    env = {k: v for k, v in os.environ.items() if k not in ("VWNW_PROJECT_ROOT", "JPY_SESSION_NAME")}
    env["PYTHONPATH"] = str(site)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT / "notebooks", env=env,
                         capture_output=True, text=True, check=True).stdout.splitlines()
    assert out[0].startswith(str(site)), out
    assert out[1:] == [str(ROOT), "cwd"]
    env["JPY_SESSION_NAME"] = str(ROOT / "notebooks" / "02_pilot_participants.ipynb")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                         capture_output=True, text=True, check=True).stdout.splitlines()
    assert out[1:] == [str(ROOT), "notebook"]


@pytest.mark.slow
def test_a_kernel_opened_on_a_notebook_takes_the_notebooks_project(tmp_path):
    """Jupyter starts the project kernel in the notebook's folder: a notebook of another copy of
    the project resolves paths against that copy, not against where the package is installed."""
    from jupyter_client.manager import start_new_kernel

    project = _project(tmp_path / "other-clone")
    env = {k: v for k, v in os.environ.items() if k not in ("VWNW_PROJECT_ROOT", "JPY_SESSION_NAME")}
    km, kc = start_new_kernel(kernel_name=KERNEL_NAME, cwd=str(project / "notebooks"), env=env)
    try:
        out = []
        kc.execute_interactive("from analysis import paths; print(paths.PROJECT_ROOT, paths.FOUND_BY)", timeout=60,
                               output_hook=lambda m: out.append(m["content"].get("text", ""))
                               if m["msg_type"] == "stream" else None)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    assert "".join(out).split() == [str(project.resolve()), "notebook"], out


# --- Chromium for the browser test -------------------------------------------------------------


def _fake_exe(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    exe = folder / name
    exe.write_text("#!/bin/sh\nexit 0\n")
    exe.chmod(0o755)
    return exe


def test_chromium_found_on_the_path(tmp_path, monkeypatch):
    browser, driver = _fake_exe(tmp_path, "chromium"), _fake_exe(tmp_path, "chromedriver")
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("VWNW_CHROMIUM", raising=False)
    monkeypatch.delenv("VWNW_CHROMEDRIVER", raising=False)
    assert chromium.find(download=False) == chromium.Chromium(str(browser), str(driver), "PATH")


def test_chromium_from_environment_variables(tmp_path, monkeypatch):
    monkeypatch.setenv("VWNW_CHROMIUM", "/opt/c/chrome")
    monkeypatch.setenv("VWNW_CHROMEDRIVER", "/opt/c/chromedriver")
    assert chromium.find(download=False).browser == "/opt/c/chrome"


def test_no_chromium_is_reported_not_installed_with_sudo(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("VWNW_CHROMIUM", raising=False)
    monkeypatch.delenv("VWNW_CHROMEDRIVER", raising=False)
    if sys.platform == "darwin":
        monkeypatch.setattr(chromium, "MACOS_APPS", ())
    assert chromium.find(download=False) is None
    assert "sudo" not in chromium.HOW_TO_INSTALL.replace("without sudo", "")


@pytest.mark.slow
@pytest.mark.parametrize("ci", ["", "1"])
def test_browser_test_skips_without_chromium_but_fails_in_ci(tmp_path, ci):
    """Outside CI a missing Chromium skips the browser test with the install hint; with CI set it
    fails. Selenium Manager is kept offline so it cannot download a browser here."""
    env = dict(os.environ, PATH=str(Path(sys.executable).parent), CI=ci, SE_OFFLINE="true",
               SE_CACHE_PATH=str(tmp_path / "selenium"), VWNW_REPORTS=str(tmp_path))
    for key in ("VWNW_CHROMIUM", "VWNW_CHROMEDRIVER", "PYTEST_XDIST_WORKER"):
        env.pop(key, None)
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider", "-q",
                           "-rsE", str(ROOT / "tests" / "test_browser.py")], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    assert "no Chromium with chromedriver found" in done.stdout, done.stdout[-2000:]
    if ci:
        assert done.returncode == 1 and "CI is set" in done.stdout, done.stdout[-2000:]
    else:
        assert done.returncode == 0 and " skipped" in done.stdout and " passed" not in done.stdout, done.stdout[-2000:]
