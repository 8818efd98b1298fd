"""Hostile round 19, findings 1 and 2:
- the default reports folders (``reports/``, ``reports-private/``) and the private folder's
  ``releases/``, ``checking/`` and ``failed/`` were followed where they were symbolic links, so a
  run wrote the ledger, the checker's reasons and failed notebooks outside the project (a folder
  named with ``--reports`` was refused already);
- the provenance key file was read unchecked: a named pipe there hung every run, text that is no
  key gave a traceback, an empty file was taken as an empty key.
Each is now refused before anything runs, naming the path."""

from __future__ import annotations

import os

import pytest

from analysis import paths, private_data
from analysis.pipeline import private_runs
from analysis.pipeline.runs import ReportError


@pytest.mark.parametrize("private", [False, True])
def test_a_default_reports_folder_that_is_a_link_is_refused(tmp_path, monkeypatch, private):
    project, outside = tmp_path / "project", tmp_path / "outside"
    project.mkdir(), outside.mkdir()
    name = "reports-private" if private else "reports"
    (project / name).symlink_to(outside)
    monkeypatch.setattr(paths, "PROJECT_ROOT", project)
    monkeypatch.setattr(paths, "REPORTS", project / "reports")
    monkeypatch.setattr(private_runs, "is_private", lambda run: private)
    with pytest.raises(ReportError, match=f"rm {project / name}"):
        private_runs.default_reports([object()], None)


def test_a_default_reports_folder_that_is_a_folder_is_used(tmp_path, monkeypatch):
    project = tmp_path / "project"
    (project / "reports").mkdir(parents=True)
    monkeypatch.setattr(paths, "PROJECT_ROOT", project)
    monkeypatch.setattr(paths, "REPORTS", project / "reports")
    assert private_runs.default_reports([], None) == project / "reports"


@pytest.mark.parametrize("name", private_data.SUBFOLDERS)
def test_a_private_subfolder_that_is_a_link_or_a_file_is_refused(tmp_path, name):
    folder, outside = tmp_path / "private", tmp_path / "outside"
    folder.mkdir(), outside.mkdir()
    (folder / name).symlink_to(outside)
    assert "symbolic link" in private_data.private_material_problem(folder)
    (folder / name).unlink()
    (folder / name).write_text("x")
    assert "is a file" in private_data.private_material_problem(folder)


@pytest.mark.parametrize("content", [None, b"", b"  \n", b"00\n", b"not a key\n", b"\xef\xbb\xbf" + b"a" * 64,
                                     b"G" * 64, b"a" * 63, b"a" * 65])  # "A" * 64 is a key (round 20)
def test_a_provenance_key_that_is_no_key_is_refused_without_hanging(tmp_path, content):
    folder = tmp_path / "private"
    folder.mkdir()
    path = folder / private_data.KEY_FILE
    if content is None:
        os.mkfifo(path)  # a named pipe: reading it would wait for a writer
    else:
        path.write_bytes(content)
    problem = private_data.private_material_problem(folder)
    assert problem and str(path) in problem and "backup" in problem


def test_a_key_of_64_hexadecimal_digits_and_no_key_at_all_pass(tmp_path):
    folder = tmp_path / "private"
    folder.mkdir()
    assert private_data.private_material_problem(folder) is None
    (folder / private_data.KEY_FILE).write_text("0123456789abcdef" * 4 + "\n")
    assert private_data.private_material_problem(folder) is None


def test_a_study_id_too_long_for_a_file_name_is_refused_on_load(tmp_path):
    """Finding 3: an id of 235 characters passed the study's check and `inspect --check`; the
    report failed 40 s in with "File name too long"."""
    import shutil

    import yaml

    from analysis.study import SHIPPED, StudyError, load_study

    long_id = "drukkerij_" + "x" * 225
    for name in ("schoonmaak_twente_2023.yml", "schoonmaak_twente_2023.exhibits.yml"):
        shutil.copy(SHIPPED / name, tmp_path / name)
    doc = yaml.safe_load((tmp_path / "schoonmaak_twente_2023.yml").read_text(encoding="utf-8"))
    doc["id"] = long_id
    (tmp_path / f"{long_id[:200]}.yml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(StudyError, match="at most 60 characters"):
        load_study(tmp_path / f"{long_id[:200]}.yml")


@pytest.mark.parametrize("argv", [["report", "--config", "a.yml", "--config", "b.yml", "--dry-run"],
                                  ["report", "--config=a.yml", "--config", "b.yml", "--dry-run"],
                                  ["report", "-j1", "-j", "2", "--dry-run"],
                                  ["inspect", "x.xlsx", "--study", "a", "--study", "b"],
                                  ["report", "--config", "a.yml", "--conf", "b.yml", "--dry-run"],
                                  ["report", "--reports", "a", "--rep", "b", "--dry-run"],
                                  ["inspect", "x.xlsx", "--study", "a", "--stud", "b"]])
def test_an_option_of_one_value_given_twice_is_refused(argv, capsys):
    """Finding 7: the last of two --config (or --study) won silently."""
    from analysis import cli

    with pytest.raises(SystemExit) as stop:
        cli.parser().parse_args(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "give it once" in err or "unrecognized arguments" in err


def test_options_given_once_and_repeatable_ones_pass():
    from analysis import cli

    args = cli.parser().parse_args(["report", "--only", "a", "--only", "b", "-p", "x=1", "-p", "y=2", "-j", "1"])
    assert args.only == ["a", "b"]


def test_a_history_file_named_beside_an_export_is_refused(tmp_path):
    """Finding 6: on the export route a named status_history_path was ignored without a word."""
    import shutil

    from analysis.data.errors import InputError
    from analysis.pilot.inputs import load_history_for, load_participants

    export = paths.DATA_RAW / "pilot_export_synthetic.xlsx"
    for f in (export, export.with_name("pilot_export_synthetic.mapping.yml")):
        shutil.copy(f, tmp_path / f.name)
    mine = tmp_path / "mijn_historie.csv"
    shutil.copy(paths.DATA_RAW / "pilot_status_history_synthetic.csv", mine)
    people = load_participants(tmp_path / export.name)
    with pytest.raises(InputError, match="status_history_path is not read"):
        load_history_for(tmp_path / export.name, mine, people)
    shipped = paths.DATA_RAW / "pilot_status_history_synthetic.csv"  # the notebooks' default: no choice made
    assert load_history_for(tmp_path / export.name, shipped, people) is not None
    other = paths.DATA_RAW / "schoonmaak_twente_2023_status_history_synthetic.csv"  # shipped, another study's
    with pytest.raises(InputError, match="status_history_path is not read"):
        load_history_for(tmp_path / export.name, other, people)


@pytest.mark.parametrize(("name", "value"), [("participants_path", ["data/raw/private/export.xlsx"]),
                                             ("status_history_path", ["data/raw/private/h.csv"]),
                                             ("cutoff_date", ["2024-10-01", "2024-11-15"]), ("min_cell_count", [10]),
                                             ("language", ["nl"]), ("processed_dir", {"a": 1})])
def test_a_parameter_of_one_value_given_as_a_list_is_refused(name, value):
    """Recheck of round 19: a private path written as a one-item YAML list made the run count as
    synthetic; its failed notebook, naming the path, was kept in the public reports/failed/."""
    from analysis.pipeline.parameter_rules import shape_problem

    assert "must be one value" in shape_problem(name, value)


def test_lists_where_the_notebook_takes_them_pass():
    from analysis.pipeline.parameter_rules import shape_problem

    assert shape_problem("power_ns", [30, 1000]) is None and shape_problem("participants_path", "x.csv") is None
