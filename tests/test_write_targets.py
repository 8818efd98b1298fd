"""Where a command may write (``analysis.write_targets``, issue 28), per caller: ``inspect
--draft``, ``synthetic --out``, ``report --reports``, ``-p processed_dir`` and the processed
cache itself each refuse a project folder of code or studies, the raw data, a published
folder and a symbolic link on the way; and nothing private or multi-line reaches a state file
or a message."""

import contextlib
import io
import os
import uuid
from pathlib import Path

import pandas as pd
import pytest

from analysis import paths
from analysis.cli import main
from analysis.data.errors import InputError, Problem
from analysis.write_targets import linked_component, write_problem

ROOT = paths.PROJECT_ROOT
EXPORT = "data/raw/pilot_export_synthetic.xlsx"


@pytest.fixture()
def linked_folder(tmp_path):
    """A folder of the project (``data/<random>``) that is a symbolic link to ``tmp_path``."""
    link = ROOT / "data" / f".linked-{uuid.uuid4().hex[:8]}"
    link.symlink_to(tmp_path, target_is_directory=True)
    try:
        yield link
    finally:
        link.unlink()


def run(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            try:
                code = main(argv)
            except SystemExit as stop:
                code = stop.code
    finally:
        os.chdir(cwd)
    return code, out.getvalue()


@pytest.mark.parametrize("role", ["cache", "reports", "draft", "synthetic"])
@pytest.mark.parametrize("folder", ["studies", "notebooks", "src/analysis", "tests", "docs"])
def test_no_writer_writes_into_a_folder_of_code_or_studies(role, folder):
    target = ROOT / folder / ("x.yml" if role in ("draft", "synthetic") else "out")
    assert f"inside the project's {folder.split('/')[0]}/ folder" in write_problem(target, role)


@pytest.mark.parametrize("role,allowed", [("cache", False), ("reports", False), ("draft", False), ("synthetic", True)])
def test_raw_data_take_only_a_synthetic_file(role, allowed):
    """A draft is no longer written into data/raw/ (hostile round 14, H15), only beside a real
    export in data/raw/private/."""
    target = ROOT / "data" / "raw" / ("x.yml" if role in ("draft", "synthetic") else "out")
    problem = write_problem(target, role)
    assert (problem is None) == allowed, problem
    if role == "draft":
        assert write_problem(ROOT / "data" / "raw" / "private" / "x.yml", role) is None


def test_a_reports_folder_is_never_inside_another_published_folder():
    assert "inside reports/, a published folder" in write_problem(ROOT / "reports" / "html", "reports")
    assert write_problem(ROOT / "reports", "reports") is None
    assert "a published folder" in write_problem(ROOT / "reports" / "html" / "data", "cache")


def test_a_link_on_the_way_is_found_below_the_project_only(linked_folder, tmp_path):
    assert linked_component(linked_folder / "a" / "b.yml") == linked_folder
    assert linked_component(ROOT / "data" / "processed" / "x") is None
    outside = tmp_path / "real"
    outside.mkdir()
    (tmp_path / "alias").symlink_to(outside)
    assert linked_component(tmp_path / "alias" / "x") is None  # outside the project: not its folders


def test_inspect_draft_through_a_linked_folder_is_refused(linked_folder):
    code, text = run(["inspect", EXPORT, "--draft", str(linked_folder.relative_to(ROOT) / "draft.yml")])
    assert code == 1 and "passes through a symbolic link" in text and f"rm {linked_folder}" in text
    assert not any(Path(os.readlink(linked_folder)).iterdir())


def test_synthetic_out_through_a_linked_folder_is_refused(linked_folder):
    code, text = run(["synthetic", "--out", str(linked_folder / "p_synthetic.csv"), "--export="])
    assert code == 1 and "passes through a symbolic link" in text and "nothing was written" in text
    assert not any(Path(os.readlink(linked_folder)).iterdir())


def test_reports_through_a_linked_folder_is_refused(linked_folder):
    code, text = run(["report", "--dry-run", "--reports", str(linked_folder / "site")])
    assert code == 1 and "passes through a symbolic link" in text


def test_processed_dir_through_a_linked_folder_is_refused(linked_folder):
    code, text = run(["report", "--dry-run", "-p", f"processed_dir={linked_folder.relative_to(ROOT)}"])
    assert code == 1 and "passes through a symbolic link" in text and "Nothing was run" in text


def test_the_cache_writer_itself_refuses_a_linked_folder(linked_folder):
    from analysis.data import processed

    with pytest.raises(InputError, match="passes through a symbolic link"):
        processed.write(pd.DataFrame({"a": [1]}), ROOT / EXPORT, "key", linked_folder / "processed")
    assert not any(Path(os.readlink(linked_folder)).iterdir())


def test_a_study_given_by_its_path_is_its_id_in_the_run_state(tmp_path):
    from analysis.pipeline.runner import shown_parameters

    private = tmp_path / "Jansen_P_BSN123456782" / "schoonmaak_twente_2023.yml"
    shown = shown_parameters({"study": str(private), "language": "nl", "notes_file": str(private)})
    assert shown["study"] == "schoonmaak_twente_2023"
    assert "Jansen" not in repr(shown) and "BSN" not in repr(shown)
    assert shown_parameters({"study": "studies/schoonmaak_twente_2023.yml"})["study"] == \
        "studies/schoonmaak_twente_2023.yml"  # a file of the project: its path names no one


def test_the_exhibit_list_of_a_run_with_a_study_outside_the_project_is_empty_not_a_crash():
    from analysis.pipeline.exhibits import declared_items

    assert declared_items({"parameters": {"study": "drukkerij_elders_2024"}, "notebook": "02_pilot_participants"}) == {}


def test_a_line_break_in_a_file_name_or_header_stays_on_its_line():
    error = InputError("data/raw/a\nb.csv", [Problem("column 'x\ny' appears more than once", "x\ny"),
                                            Problem("rule", "c", 0, "v\r\nfake: line")])
    lines = str(error).split("\n")
    assert len(lines) == 3 and lines[0].startswith("data/raw/a\\nb.csv: 2 problem(s)")
    assert "fake: line" in lines[2] and "\\r\\n" in lines[2]


def test_the_lock_beside_the_cache_is_not_written_through_a_linked_folder(linked_folder):
    from analysis.data.validate_once import one_at_a_time

    with pytest.raises(InputError, match="passes through a symbolic link"), one_at_a_time(ROOT / EXPORT,
                                                                                          linked_folder / "p"):
        pass
    assert not any(Path(os.readlink(linked_folder)).iterdir())
