"""Commands as written: every command line in a shell block (```sh, ```bash, ```console) of
README.md and docs/*.md works in a fresh clone as it is written. A command names
``.venv/bin/python`` or is a ``make`` target (a bare ``python`` works only where the block
has activated an environment first, as docs/environment.md's conda route does).

Cheap commands run: a report command with ``--dry-run`` added (it reads the configuration
and lists the runs). Expensive ones are checked as far as they can be without running them:
the make target exists and ``make -n`` expands it to a command of the package, every option
exists in that command's ``--help``, every file it names exists (a file under
data/raw/private/, the evaluator's own, or a study file the same page tells the reader to
write, excepted)."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SHELL = ("sh", "bash", "console", "shell")
PYTHON = ".venv/bin/python"
ENV_TOOLS = {"conda", "pip"}  # the conda route of docs/environment.md
USER_TOOLS = {"pre-commit"}  # a contributor's own tool, installed for the user (docs/environment.md's hooks)


def shell_commands(page: Path) -> list[tuple[str, bool]]:
    """(command, activated) for every command line of the page's shell blocks; ``activated``
    when an earlier line of the block activated an environment."""
    out = []
    text = page.read_text(encoding="utf-8")
    for block in re.finditer(r"^```(\w*)\n(.*?)^```", text, flags=re.M | re.S):
        if block.group(1) not in SHELL:
            continue
        activated = False
        for line in block.group(2).splitlines():
            line = re.sub(r"\s+#.*$", "", line.strip().removeprefix("$ "))
            if not line or line.startswith("#"):
                continue
            for part in line.split("&&"):
                out.append((part.strip(), activated))
                activated |= bool(re.search(r"\b(conda|source) activate\b|\bactivate\b", part))
    return out


ALL = [(page.relative_to(ROOT).as_posix(), cmd, act) for page in PAGES for cmd, act in shell_commands(page)]


@cache
def make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z][\w-]*)\s*:(?!=)", text, flags=re.M))


@cache
def options(command: str) -> set[str]:
    """The options ``python -m analysis <command> --help`` lists."""
    res = subprocess.run([sys.executable, "-m", "analysis", command, "--help"], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert res.returncode == 0, f"`python -m analysis {command} --help` failed: {res.stderr}"
    return set(re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", res.stdout))


def _allowed_missing(path: str, page: str) -> bool:
    """A path the reader makes: the evaluator's private files, or a study file the page itself
    introduces (its name appears on the page before or outside this command)."""
    if path.startswith("data/raw/private/"):
        return True
    text = (ROOT / page).read_text(encoding="utf-8")
    return path.startswith("studies/") and text.count(Path(path).name.split(".")[0]) > 1


def check_package_command(args: list[str], page: str) -> list[str]:
    """Problems of ``python -m analysis <command> args...`` (options and files)."""
    if args[:2] != ["-m", "analysis"]:
        module = args[1] if args[:1] == ["-m"] else args[0]
        path = ROOT / "src" / Path(*module.split(".")).with_suffix(".py") if args[:1] == ["-m"] else ROOT / module
        return [] if path.is_file() else [f"no module or script {module}"]
    problems = []
    command, rest = args[2], args[3:]
    known = options(command)
    for a in rest:
        opt, _, value = a.partition("=")
        if opt.startswith("-") and opt not in known:
            problems.append(f"`{command}` has no option {opt} (its --help lists {sorted(known)})")
        path = a if opt.startswith("-") or not value else value  # -p name=<path>
        if not path.startswith("-") and re.search(r"\.(ya?ml|xlsx|csv|parquet)$", path):
            if not (ROOT / path).exists() and not _allowed_missing(path, page):
                problems.append(f"names a file that does not exist: {path}")
    return problems


def make_expansion(words: list[str]) -> list[list[str]]:
    """The package commands ``make -n`` expands a make call to."""
    res = subprocess.run(["make", "-n", *words], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, f"`make -n {' '.join(words)}` failed: {res.stderr}"
    return [shlex.split(line)[1:] for line in res.stdout.splitlines() if line.startswith(PYTHON + " -m analysis")]


@pytest.mark.parametrize("page, command, activated", ALL, ids=[f"{p}: {c[:60]}" for p, c, _ in ALL])
def test_command_works_as_written(page, command, activated):
    words = shlex.split(command)
    program = words[0]
    if program in USER_TOOLS or (words[:2] == ["pip", "install"] and set(words[2:]) <= USER_TOOLS):
        return
    if program in ENV_TOOLS or (program == "python" and activated):
        assert activated or program == "conda", f"{page}: `{command}` needs an activated environment first"
        return
    assert program in ("make", PYTHON), (
        f"{page}: `{command}` must name {PYTHON} or be a make target (a bare `{program}` needs .venv "
        "activated, which the page does not do)")
    if program == "make":
        targets = [w for w in words[1:] if "=" not in w and not w.startswith("-")]
        assert all(t in make_targets() for t in targets), f"{page}: no make target among {targets}"
        expansions = make_expansion(words[1:])
    else:
        expansions = [words[1:]]
    for args in expansions:
        problems = check_package_command(args, page)
        assert not problems, f"{page}: `{command}`: " + "; ".join(problems)
        if args[:3] == ["-m", "analysis", "report"]:  # cheap: the runner reads the configuration and lists runs
            res = subprocess.run([sys.executable, *args, "--dry-run"], cwd=ROOT, capture_output=True, text=True,
                                 timeout=300)
            configured = [a for a in args if a.endswith(".report.yml")]
            if res.returncode and configured and not (ROOT / configured[0]).exists():
                continue  # a study file the page tells the reader to write first
            assert res.returncode == 0, f"{page}: `{command}` --dry-run failed:\n{res.stdout}\n{res.stderr}"


def test_the_extraction_finds_the_guides_commands():
    """The extraction itself: the README's real-data run and the guide's inspect are found."""
    found = {c for _, c, _ in ALL}
    assert any(c.startswith("make report ARGS=") and "--config studies/" in c for c in found)
    assert any(c.startswith(f"{PYTHON} -m analysis inspect") and "--check" in c for c in found)


def test_a_bare_python_is_refused(tmp_path):
    page = tmp_path / "x.md"
    page.write_text("```sh\npython -m analysis report\n```\n\n```sh\nconda activate x && python -m y\n```\n")
    assert shell_commands(page) == [("python -m analysis report", False), ("conda activate x", False),
                                    ("python -m y", True)]
    assert check_package_command(["-m", "analysis", "report", "--no-such-option"], "README.md")


def test_every_drafting_inspect_names_its_study():
    """newpilot2's F9: README's step 2 drafted without ``--study``, so a new pilot's draft
    came in the default (catering) study's vocabulary. Every ``inspect`` that drafts (no
    ``--check``) in README.md and docs/*.md, inline or in a block, names the study."""
    found = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        spans = [" ".join(s.split()) for s in re.findall(r"`([^`]+)`", text, flags=re.S)]
        spans += [cmd for cmd, _ in shell_commands(page)]
        found += [(page.name, s) for s in spans if s.startswith(f"{PYTHON} -m analysis inspect ")
                  and "--check" not in s and "--help" not in s and "--study" not in s]
    assert found == []


def test_no_page_advises_a_cutoff_date_for_every_run():
    """newpilot2's F13: docs/real-data.md advised ``python -m analysis report -p
    cutoff_date=...`` (bare python, and a date every run of notebooks/report.yml receives, the
    other study's too, which failed them all): a cut-off date is a run of a study's own run
    configuration."""
    found = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        spans = [" ".join(s.split()) for s in re.findall(r"`([^`]+)`", text, flags=re.S)]
        spans += [cmd for cmd, _ in shell_commands(page)]
        found += [(page.name, s) for s in spans if re.search(r"-m analysis report\b.*-p cutoff_date=", s)]
    assert found == []
