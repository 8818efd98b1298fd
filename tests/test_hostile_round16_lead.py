"""Hostile round 16's findings on the command line and the study file (issue 28):

- ``dwsra-sources`` read its argument whole with ``open().read()``: ``/dev/zero``, a pipe and a
  sparse file of gigabytes hung or filled memory; a binary file, a missing file and a folder
  gave tracebacks. Each is now one ``error:`` line and exit code 1, within seconds.
- A whole-number option written with hundreds of digits gave ``OverflowError`` (``-j``,
  ``synthetic --seed/--n/--movers-from-education``), as ``--timeout`` never did.
- A study could declare ``outcome_linked`` without the columns the participant file's own rules
  fill only for who is in work, so that the release would not refuse a crosstab of them by a
  model predictor on real data."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from analysis.cli import main
from tests.test_hostile_corpus import time_guard

STUDY = Path(__file__).parents[1] / "studies" / "catering_noordoost_brabant_2021.yml"


def _run(argv: list[str], capsys) -> tuple[int, str]:
    with time_guard(10):
        try:
            code = main(argv)
        except SystemExit as stop:  # argparse's refusal of an option
            code = stop.code
    out = capsys.readouterr()
    return code, out.out + out.err


def _source(kind: str, tmp_path: Path) -> str:
    target = tmp_path / "report.txt"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "sparse 3 GB":
        with open(target, "wb") as fh:
            fh.truncate(3 * 1024**3)
    elif kind == "binary":
        target.write_bytes(bytes(range(256)) * 64)
    elif kind == "folder":
        return str(tmp_path)
    elif kind == "device":
        return "/dev/zero"
    return str(target)  # "missing": never written


@pytest.mark.parametrize("kind, rule", [
    ("device", "file of the running system"), ("fifo", "regular file"), ("sparse 3 GB", "at most 20,000,000"),
    ("binary", "must be UTF-8"), ("missing", "must exist"), ("folder", "not a folder")])
def test_dwsra_sources_refuses_what_is_not_the_report_s_text_in_one_line(kind, rule, tmp_path, capsys):
    code, text = _run(["dwsra-sources", _source(kind, tmp_path)], capsys)
    assert code == 1 and "Traceback" not in text, text
    assert text.startswith("error: ") and rule in text, text


@pytest.mark.parametrize("argv", [
    ["report", "--dry-run", "-j", "1" + "0" * 400],
    ["synthetic", "--seed", "9" * 4001],
    ["synthetic", "--n", "1" + "0" * 5000],
    ["synthetic", "--movers-from-education", "2" * 400],
])
def test_a_whole_number_of_hundreds_of_digits_is_refused_by_its_range(argv, capsys):
    code, text = _run(argv, capsys)
    assert code == 2 and "Traceback" not in text and "Overflow" not in text, text
    said = r"must be a whole number from [\d,]+ to [\d,]+; got \d{1,40}\.\.\. \([\d,]+ characters\)"
    assert re.search(said, text), text


@pytest.mark.parametrize("after_outflow", ["[]", "[uitstroomdatum, sector_nieuw]", "[gevonden_via, reden_stoppen]"])
def test_a_study_must_declare_the_columns_filled_only_for_who_is_in_work(after_outflow, tmp_path):
    from analysis.pilot.schema import checked_spec
    from analysis.study.load import StudyError, load_study

    text = STUDY.read_text(encoding="utf-8")
    declared = re.search(r"  after_outflow: \[[^\]]*\]", text).group(0)
    path = tmp_path / STUDY.name
    for side in STUDY.parent.glob("*.yml"):  # its facts and exhibits files beside it
        (tmp_path / side.name).write_bytes(side.read_bytes())
    path.write_text(text.replace(declared, f"  after_outflow: {after_outflow}"), encoding="utf-8")
    study = load_study(path)  # the study file alone breaks no rule of its own
    with pytest.raises(StudyError, match=r"outcome_linked\.after_outflow.*must list .*contract_nieuw"):
        checked_spec(study)
    checked_spec(load_study(STUDY))  # control: the shipped study declares them
