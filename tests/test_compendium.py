"""The conventions of a citable research compendium: licence, citation, data statement,
pre-commit hooks, and the README's list of every table and figure with its files."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
import yaml

from analysis import paths

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _lock_version(name: str) -> str:
    m = re.search(rf"^{re.escape(name)}==([^\s;\\]+)", (ROOT / "requirements.lock").read_text(), re.M)
    assert m, f"{name} is not pinned in requirements.lock"
    return m.group(1)


def test_licence_is_the_mit_licence_pyproject_declares():
    assert _pyproject()["project"]["license"] == {"text": "MIT"}
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "Permission is hereby granted, free of charge" in text


def test_citation_file_describes_this_release_and_cites_both_reports():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    for key in ("message", "title", "authors", "version", "license", "type"):
        assert cff.get(key), f"CITATION.cff has no {key}"
    assert cff["version"] == _pyproject()["project"]["version"]
    assert cff["license"] == "MIT"
    refs = {(r["year"], r["authors"][0]["name"]) for r in cff["references"]}
    assert refs == {(2018, "Ecorys"), (2021, "Tilburg University")}, refs


def test_data_statement_names_sources_rights_and_both_reports():
    text = (ROOT / "DATA_STATEMENT.md").read_text(encoding="utf-8")
    for needle in ("Ecorys (2018)", "Tilburg University and PON & Telos (2021)", "data/raw/private/",
                   "pilot_participants_synthetic.csv", "dwsra_project_register.csv", "MIT", "copyright"):
        assert needle in text, f"DATA_STATEMENT.md does not mention {needle!r}"
    assert "DATA_STATEMENT.md" in README.read_text(encoding="utf-8")


def test_pre_commit_strips_notebook_outputs_and_lints_with_the_locked_ruff():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    assert hooks["nbstripout"]["entry"].startswith("nbstripout") and hooks["nbstripout"]["types"] == ["jupyter"]
    assert hooks["ruff-check"]["entry"].startswith("ruff check")
    assert "jupyter" in hooks["ruff-check"]["types_or"]
    assert hooks["ruff-check"]["additional_dependencies"] == [f"ruff=={_lock_version('ruff')}"], \
        "the hook's ruff differs from the ruff make lint uses"


def _readme_exhibit_names() -> set[str]:
    text = (ROOT / "docs" / "outputs.md").read_text(encoding="utf-8")
    section = text.split("## Tables and figures: where each is made", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"`((?:dwsra|pilot|models)_[a-z0-9_]+)`", section))


@pytest.mark.slow
def test_readme_lists_every_table_and_figure_make_report_writes():
    manifest = paths.REPORTS / "manifest.json"
    if not manifest.is_file():
        pytest.fail(f"{manifest} missing: run `make report` first (make test does)")
    files = json.loads(manifest.read_text(encoding="utf-8"))["files"]
    written = {Path(f).name.split(".", 1)[0] for f in files if f.split("/", 1)[0] in ("tables", "figures")}
    listed = _readme_exhibit_names()
    assert not written - listed, f"README's table of tables and figures misses {sorted(written - listed)}"
    assert not listed - written, f"README names outputs make report does not write: {sorted(listed - written)}"


@pytest.mark.slow
def test_the_generated_exhibit_list_is_what_make_report_published():
    """docs/exhibits.md is made by `make exhibits` from the runs' record: a table a notebook
    cell adds is listed without editing a list by hand."""
    from analysis.pipeline.exhibits import listing
    from analysis.pipeline.state import read_state

    state = read_state(paths.REPORTS)
    if not state:
        pytest.fail("reports/ has no runs: run `make report` first (make test does)")
    assert (ROOT / "docs" / "exhibits.md").read_text(encoding="utf-8") == listing(state), "run `make exhibits`"
