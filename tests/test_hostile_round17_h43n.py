"""Hostile round 17 (issue 28, H43n): a linked input refused before any kernel starts, a
private folder whose name holds a line break, and the mapping route's cell problems in a
column it ignores. Expected messages are written by hand from the cases; the export cases are
in the corpus (``exports/r17h_*``, ``param_path:*`` of ``tests/corpus/hostile/expected.yml``)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from analysis import paths
from analysis.data.errors import InputError, Problem
from analysis.data.mapped import UntilColumn, refuse_read_cells
from analysis.pipeline import runner
from analysis.pipeline.errors import ReportError
from analysis.pipeline.parameter_rules import path_problem
from analysis.pipeline.runs import NotebookRun
from analysis.private_data import private_dir_problem, private_dir_setting_problem

SYNTHETIC = paths.DATA_RAW / "pilot_participants_synthetic.csv"
NOTEBOOK = paths.NOTEBOOKS / "02_pilot_participants.ipynb"


@pytest.fixture
def link(tmp_path) -> Path:
    """``deelnemers.csv``, a symbolic link to a copy of the synthetic participant file."""
    real = tmp_path / "echt.csv"
    shutil.copyfile(SYNTHETIC, real)
    (tmp_path / "deelnemers.csv").symlink_to(real)
    return tmp_path / "deelnemers.csv"


def test_a_linked_participant_file_is_refused_by_the_dry_run(link, tmp_path):
    """The kernel refused it after about 146 s, leaving a failed notebook (hostile round 17)."""
    run = NotebookRun("02_pilot_participants-x", NOTEBOOK, {"participants_path": str(link)})
    with pytest.raises(ReportError) as info:
        runner.dry_run([run], tmp_path / "reports", log=lambda *_: None)
    message = str(info.value)
    assert message == (f"run '02_pilot_participants-x': participants_path={link} is a symbolic link (to "
                       f"{tmp_path / 'echt.csv'}); links are not followed: name the file itself, or copy it into "
                       "data/raw/private/. Nothing was run.")


def test_the_file_a_link_points_to_passes(link, tmp_path):
    """Control: the same file named itself."""
    assert path_problem("participants_path", str(tmp_path / "echt.csv"), tmp_path / "reports") is None


def test_an_export_whose_mapping_is_a_link_is_refused(tmp_path):
    export = paths.DATA_RAW / "pilot_export_synthetic.xlsx"
    shutil.copyfile(export, tmp_path / "export.xlsx")
    text = export.with_name("pilot_export_synthetic.mapping.yml").read_text(encoding="utf-8")
    (tmp_path / "real.yml").write_text(text.replace("pilot_export_synthetic.xlsx", "export.xlsx"), encoding="utf-8")
    (tmp_path / "export.mapping.yml").symlink_to(tmp_path / "real.yml")
    problem = path_problem("participants_path", str(tmp_path / "export.xlsx"), tmp_path / "reports")
    assert problem == (f"participants_path={tmp_path / 'export.xlsx'} has as its mapping "
                       f"{tmp_path / 'export.mapping.yml'}, a symbolic link (to {tmp_path / 'real.yml'}); links are "
                       "not followed: name the file itself, or copy it into data/raw/private/")
    (tmp_path / "export.mapping.yml").unlink()
    (tmp_path / "real.yml").rename(tmp_path / "export.mapping.yml")  # control: the mapping itself
    assert path_problem("participants_path", str(tmp_path / "export.xlsx"), tmp_path / "reports") is None


@pytest.mark.parametrize("name", ["a\nb", "a\tb", "a\x1bb"])
def test_a_private_folder_name_with_a_control_character_is_refused_up_front(name, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("VWNW_PRIVATE_DIR", str(tmp_path / name))
    assert runner.main(["--dry-run", "--only", "01_dwsra_portfolio"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "VWNW_PRIVATE_DIR='" in err, err
    assert "has a character that does not show in its name" in err
    assert not (tmp_path / name).exists()


def test_a_private_folder_with_a_plain_name_is_accepted(tmp_path, monkeypatch):
    """Control: a name without a control character (a space and a non-ASCII letter are shown)."""
    monkeypatch.setenv("VWNW_PRIVATE_DIR", str(tmp_path / "privé map"))
    assert private_dir_setting_problem() is None
    assert private_dir_problem(tmp_path / "a\nb").startswith(f"the private folder {tmp_path}/a\\nb has")


class Grids(dict):
    """Sheets as :func:`analysis.data.workbook.read_sheets` gives them with ``defer_cells``."""

    def __init__(self, grid, problems):
        super().__init__(data=grid)
        self.problems = problems

    def cell_problems(self, name):
        return self.problems


GRID = [("Lijst",), (), ("Klantnummer", "Opmerkingen"), ("K1", "x"), ("K2", "#VALUE!")]
ERROR = "the cell must hold a value, not an Excel error"


@pytest.mark.parametrize(("column", "row", "refused"), [
    ("B", 5 - 2, False),  # an ignored column below the header: never read
    ("A", 5 - 2, True),  # a column the mapping reads
    ("B", 1 - 2, True),  # the title above the header row
])
def test_a_cell_problem_stops_the_run_only_where_the_mapping_reads(column, row, refused):
    grids = Grids(GRID, [Problem(ERROR, value="#VALUE!", column=column, row=row)])
    if not refused:
        assert refuse_read_cells(grids, "data", 3, ["Opmerkingen"], Path("x.xlsx")) is None
        return
    with pytest.raises(InputError) as info:
        refuse_read_cells(grids, "data", 3, ["Opmerkingen"], Path("x.xlsx"))
    assert info.value.problems[0].column == {"A": "Klantnummer", "B": "Opmerkingen"}[column]


def test_a_date_outside_the_column_it_is_counted_up_to_is_not_counted():
    until = UntilColumn("Datum aanmelding", None, None)
    assert until.allows("1900-02-28") and until.allows("")
    bounded = UntilColumn("Datum aanmelding", "2024-01-15", "2024-06-30")
    assert [bounded.allows(d) for d in ("1900-02-28", "2024-01-15", "2024-06-30", "2024-07-01")] == [
        False, True, True, False]


EXPORT = paths.DATA_RAW / "pilot_export_synthetic.xlsx"


def test_a_draft_outside_the_project_never_replaces_a_file_of_another_kind(tmp_path, capsys):
    """Hostile round 17: ``inspect --draft`` outside the project with ``--force`` wrote over a
    configuration file there."""
    from analysis.cli import main

    other = tmp_path / "config.yml"
    other.write_text("keep: me\n", encoding="utf-8")
    assert main(["inspect", str(EXPORT), "--draft", str(other), "--force"]) == 1
    assert other.read_text(encoding="utf-8") == "keep: me\n"
    err = capsys.readouterr().err
    assert err == (f"error: --draft {other} is an existing file that is not a mapping draft (its first line is not "
                   "the '# DRAFT mapping of ...' inspect writes); a draft is never written over another file, --force "
                   "or not: name a new file\n")


def test_a_draft_outside_the_project_is_written_and_replaced_with_force(tmp_path, capsys):
    """Control: a new draft there is written (what the evaluator may want), and an earlier
    draft replaced with --force."""
    from analysis.cli import main

    draft = tmp_path / "mijn.mapping.draft.yml"
    assert main(["inspect", str(EXPORT), "--draft", str(draft)]) == 0
    assert draft.read_text(encoding="utf-8").startswith("# DRAFT mapping of pilot_export_synthetic.xlsx")
    draft.write_text(draft.read_text(encoding="utf-8") + "# mijn aantekening\n", encoding="utf-8")
    assert main(["inspect", str(EXPORT), "--draft", str(draft)]) == 1  # not without --force
    assert draft.read_text(encoding="utf-8").endswith("# mijn aantekening\n")
    assert main(["inspect", str(EXPORT), "--draft", str(draft), "--force"]) == 0
    assert not draft.read_text(encoding="utf-8").endswith("# mijn aantekening\n")


def test_a_draft_is_never_written_into_a_published_folder_outside_the_project(tmp_path, capsys):
    """A folder a report run published (its state), outside the project."""
    from analysis.cli import main

    (tmp_path / "site" / "html").mkdir(parents=True)
    (tmp_path / "site" / ".runner-state.json").write_text("{}", encoding="utf-8")
    assert main(["inspect", str(EXPORT), "--draft", str(tmp_path / "site" / "html" / "d.yml")]) == 1
    assert "a published folder" in capsys.readouterr().err
    assert not (tmp_path / "site" / "html" / "d.yml").exists()


def test_synthetic_outside_the_project_never_replaces_a_file_it_did_not_write(tmp_path, capsys):
    """Hostile round 17: ``synthetic --out`` outside the project wrote over a CSV file there."""
    from analysis.cli import main

    mine = tmp_path / "mine.csv"
    mine.write_text("a,b\n1,2\n", encoding="utf-8")
    assert main(["synthetic", "--out", str(mine), "--export="]) == 1
    assert mine.read_text(encoding="utf-8") == "a,b\n1,2\n"
    err = capsys.readouterr().err
    assert err == (f"error: --out {mine} is an existing file the project's generator did not write (not shipped, "
                   "not written by `synthetic` unchanged); synthetic never writes over another file: name a new "
                   "file; nothing was written\n")


def test_synthetic_never_replaces_a_mapping_beside_an_export_it_did_not_write(tmp_path, capsys):
    from analysis.cli import main

    (tmp_path / "e.mapping.yml").write_text("mine: true\n", encoding="utf-8")
    assert main(["synthetic", "--out", str(tmp_path / "s.csv"), "--export", str(tmp_path / "e.xlsx")]) == 1
    assert "--export (its mapping beside it)" in capsys.readouterr().err
    assert (tmp_path / "e.mapping.yml").read_text(encoding="utf-8") == "mine: true\n"
    assert not (tmp_path / "s.csv").exists() and not (tmp_path / "e.xlsx").exists()


def test_synthetic_outside_the_project_replaces_its_own_files(tmp_path, capsys):
    """Control: the files synthetic wrote there (sealed) are written again, export and mapping too."""
    from analysis.cli import main

    args = ["synthetic", "--out", str(tmp_path / "s.csv"), "--export", str(tmp_path / "e.xlsx")]
    assert main(args) == 0
    assert main([*args, "--n", "20"]) == 0
    assert len((tmp_path / "s.csv").read_text(encoding="utf-8").splitlines()) == 21


def test_reports_outside_the_project_holding_other_files_is_refused(tmp_path, capsys):
    """``--reports`` outside the project: a new or empty folder, or one a report run wrote; never
    a folder of other files, even beside a manifest.json of another program (then nothing is
    deleted or overwritten: nothing runs)."""
    folder = tmp_path / "web"
    folder.mkdir()
    (folder / "index.html").write_text("<p>mine</p>", encoding="utf-8")
    assert runner.main(["--reports", str(folder), "--only", "01_dwsra_portfolio", "--dry-run"]) == 1
    assert "holds other files and is not a reports folder" in capsys.readouterr().err
    (folder / "manifest.json").write_text('{"name": "my app"}', encoding="utf-8")
    assert runner.main(["--reports", str(folder), "--only", "01_dwsra_portfolio"]) == 1
    assert "manifest.json is damaged" in capsys.readouterr().err
    assert (folder / "index.html").read_text(encoding="utf-8") == "<p>mine</p>"
    assert (folder / "manifest.json").read_text(encoding="utf-8") == '{"name": "my app"}'
    assert sorted(p.name for p in folder.iterdir()) == [".lock", "index.html", "manifest.json"]
    assert re.fullmatch(rb"pid \d+", (folder / ".lock").read_bytes())  # the runner's lock, new: nothing of the
    # user's written over


def test_reports_outside_the_project_with_another_programs_lock_is_refused(tmp_path, capsys):
    """A ``.lock`` the runner did not write was truncated and written over (its 'pid N')."""
    folder = tmp_path / "app"
    folder.mkdir()
    (folder / ".lock").write_text("owner: sync tool\n", encoding="utf-8")
    assert runner.main(["--reports", str(folder), "--only", "01_dwsra_portfolio"]) == 1
    err = capsys.readouterr().err
    assert err == (f"error: --reports {folder} holds a file .lock that the report runner did not write (it holds "
                   "other text than the runner's 'pid N'), which a run would write over; name a new folder, or one "
                   "an earlier report run wrote; nothing was run\n")
    assert (folder / ".lock").read_text(encoding="utf-8") == "owner: sync tool\n"
    (folder / ".lock").write_text("pid 4242", encoding="utf-8")  # control: the runner's own lock
    assert runner.main(["--reports", str(folder), "--only", "01_dwsra_portfolio", "--dry-run"]) == 0


def test_a_new_reports_folder_outside_the_project_is_accepted(tmp_path, capsys):
    """Control: a dry run into a new folder there lists the run and creates nothing."""
    assert runner.main(["--reports", str(tmp_path / "nieuw"), "--only", "01_dwsra_portfolio", "--dry-run"]) == 0
    assert "01_dwsra_portfolio" in capsys.readouterr().out and not (tmp_path / "nieuw").exists()
