"""A run of a study that leaves its input files to the notebook's defaults reads the study's
own synthetic files; the runner and the kernel's provenance name those files (hostile round
15, H12: the page of the cleaning study said "made from" the catering file and its hash while
it showed the cleaning file's 64 people). Reference paths are read from the study files with
plain YAML, not through the code under test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from analysis.pipeline import runner, runs as run_config
from analysis.pipeline.study_inputs import own_inputs

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "02_pilot_participants.ipynb"


def synthetic_of(study: str) -> dict:
    return yaml.safe_load((ROOT / "studies" / f"{study}.yml").read_text(encoding="utf-8"))["synthetic"]


CLEANING = synthetic_of("schoonmaak_twente_2023")
CATERING = synthetic_of("catering_noordoost_brabant_2021")


def test_a_study_run_without_paths_names_the_studys_own_files():
    declared = run_config.declared_parameters(NOTEBOOK)
    assert (declared["participants_path"], declared["status_history_path"]) == \
        (CATERING["participants"], CATERING["status_history"]), "the notebook's defaults are the catering files"
    got = own_inputs({"study": "schoonmaak_twente_2023"}, declared)
    assert (got["participants_path"], got["status_history_path"]) == (CLEANING["participants"],
                                                                       CLEANING["status_history"])
    written_out = {"study": "schoonmaak_twente_2023", "participants_path": CATERING["participants"],
                   "status_history_path": CATERING["status_history"]}  # the defaults written out: the same
    assert own_inputs(written_out, declared)["participants_path"] == CLEANING["participants"]


@pytest.mark.parametrize("params", [
    {},  # the default study
    {"study": "catering_noordoost_brabant_2021"},
    {"study": "schoonmaak_twente_2023", "participants_path": "data/raw/private/x.csv"},  # a file of its own
    {"study": "schoonmaak_twente_2023", "status_history_path": ""},  # no history: as given (the kernel does too)
    {"study": "no_such_study"},  # refused elsewhere, with its message
])
def test_a_run_that_names_its_files_or_runs_the_default_study_is_left_as_it_is(params):
    assert own_inputs(params, run_config.declared_parameters(NOTEBOOK)) == params


def test_the_kernel_names_the_files_it_read_in_its_parameters():
    from analysis.pilot.schema import use_study
    from analysis.release import loading

    use_study("schoonmaak_twente_2023")
    try:
        got = loading.paths_read({"participants_path": CATERING["participants"],
                                  "status_history_path": CATERING["status_history"]})
    finally:
        use_study("catering_noordoost_brabant_2021")
    assert got == {"participants_path": CLEANING["participants"], "status_history_path": CLEANING["status_history"]}


@pytest.mark.slow
def test_the_page_and_provenance_of_such_a_run_name_the_file_read(tmp_path):
    config = tmp_path / "c17.yml"
    config.write_text('runs:\n  02_pilot_participants:\n    - suffix: "schoonmaak"\n      parameters: '
                      '{study: schoonmaak_twente_2023, cutoff_date: "2023-12-01", min_cell_count: 1}\n')
    reports = tmp_path / "reports"
    runs = [r for r in run_config.discover_runs(ROOT / "notebooks", config) if r.notebook == NOTEBOOK]
    runner.run_report(runs, reports, log=lambda _: None)
    page = (reports / "html" / "full" / "02_pilot_participants-schoonmaak.html").read_text(encoding="utf-8")
    statement = page[page.index('class="vwnw-data"'):].split("</p>")[0]
    assert CLEANING["participants"] in statement and CATERING["participants"] not in statement
    records = sorted((reports / "tables").glob("*.provenance.json"))
    assert records
    for f in records:
        record = json.loads(f.read_text(encoding="utf-8"))
        assert record["parameters"]["participants_path"] == CLEANING["participants"]
        assert CLEANING["participants"] in record["inputs_sha256"]


def test_naming_a_study_s_own_files_validates_no_study(monkeypatch):
    """The runner names the files for every run of every invocation, the no-op rerun too: it reads
    the study file's id and synthetic section (once per version of the file), never the whole
    study with its facts and exhibits (that took 0.9 s of a 1.3 s no-op rerun); the study's own
    check validates the file."""
    from analysis.study import load as study_load

    def no_validation(*_args, **_kwargs):
        raise AssertionError("a study was validated to name its input files")

    monkeypatch.setattr(study_load, "load_study", no_validation)
    monkeypatch.setattr(study_load, "_load", no_validation)
    got = own_inputs({"study": "schoonmaak_twente_2023"}, run_config.declared_parameters(NOTEBOOK))
    assert got["participants_path"] == CLEANING["participants"]


@pytest.mark.parametrize("body", [
    "id: s\nsynthetic:\n  generator: study\n  generator: quota\n",  # a key written twice
    "id: s\na: &a [1, 1, 1]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
    "f: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
    "synthetic:\n  generator: study\n",  # aliases that expand past the loader's limit
])
def test_the_runner_reads_a_study_s_synthetic_section_as_strictly_as_the_study_s_own_check(tmp_path, body):
    """What the runner reads of a study file (:func:`synthetic_section`) is read by the strict
    loader: a file the study's check refuses names no input files (yaml.safe_load kept the
    last of two keys and expanded aliases)."""
    from analysis.study.load import synthetic_section

    path = tmp_path / "s.yml"
    path.write_text(body, encoding="utf-8")
    assert yaml.safe_load(body)["synthetic"]["generator"] in ("study", "quota")  # control: safe_load reads it
    assert synthetic_section(path) == ("", {})


def test_the_cut_off_date_check_validates_no_study(monkeypatch):
    """The parameter check of a cut-off date runs for every run of every invocation, the no-op
    rerun too: it reads the study file's dates (once per version of the file), never the whole
    study with its facts (validating two studies took 0.7 s of a 1.2 s no-op rerun)."""
    from types import SimpleNamespace

    from analysis.pipeline import parameter_rules
    from analysis.study import load as study_load

    def no_validation(*_args, **_kwargs):
        raise AssertionError("a study was validated to check a cut-off date")

    monkeypatch.setattr(study_load, "_load", no_validation)
    monkeypatch.setattr(parameter_rules, "load_study", no_validation)
    run = SimpleNamespace(parameters={"cutoff_date": "2031-01-01", "study": "schoonmaak_twente_2023"})
    assert "outside the dates a status history of study schoonmaak_twente_2023" in \
        parameter_rules.cutoff_range_problem(run)
    run.parameters["cutoff_date"] = "2023-11-01"
    assert parameter_rules.cutoff_range_problem(run) is None
