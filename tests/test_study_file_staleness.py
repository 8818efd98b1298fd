"""An edited study file makes its runs stale (newpilot2's F11: after a study file gained a
service, the runner said "all 4 notebook run(s) up to date" and kept the old pages). The
fingerprint hashes the study file, its exhibits file and its facts file."""

from __future__ import annotations

import os
import shutil

from analysis import paths
from analysis.pipeline.runs import NotebookRun
from analysis.pipeline.state import fingerprint
from analysis.study.load import study_files

STUDIES = paths.PROJECT_ROOT / "studies"


def test_the_study_files_are_the_study_its_exhibits_and_its_facts():
    files = {p.name for p in study_files("catering_noordoost_brabant_2021")}
    assert files == {"catering_noordoost_brabant_2021.yml", "vwnw_pilot.exhibits.yml",
                     "catering_noordoost_brabant_2021.facts.yml"}
    assert {p.name for p in study_files(None)} == files  # a run without study: the default study's


def test_an_edited_study_file_changes_the_fingerprint(tmp_path):
    study = tmp_path / "schoonmaak_twente_2023.yml"
    shutil.copyfile(STUDIES / "schoonmaak_twente_2023.yml", study)
    run = NotebookRun("02_x", paths.NOTEBOOKS / "02_pilot_participants.ipynb", {"study": str(study)})
    before = fingerprint(run, "code")
    assert fingerprint(run, "code") == before
    text = study.read_text(encoding="utf-8")
    study.write_text(text.replace("region:", "# a label changed\nregion:", 1), encoding="utf-8")
    os.utime(study, ns=(1, 1))  # another identity than the first read's, whatever the clock
    assert fingerprint(run, "code") != before
