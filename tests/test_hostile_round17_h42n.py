"""Hostile round 17 (issue 28, H42n): ``synthetic`` over the raw data, and a recode map whose
keys differ only by spacing. Expected values are written by hand from the cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import paths
from analysis.cli import main
from analysis.data.mapping import _Checker, parse_recode


@pytest.fixture
def raw(tmp_path, monkeypatch) -> Path:
    """A data/raw/ folder outside git (as in a copy of the project) holding a raw table."""
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "dwsra_project_register.csv").write_text("project_id\nP01\n", encoding="utf-8")
    monkeypatch.setattr(paths, "DATA_RAW", folder)
    return folder


def test_synthetic_refuses_an_existing_raw_file_not_tracked_by_git(raw, capsys):
    target = raw / "dwsra_project_register.csv"
    code = main(["synthetic", "--out", str(target), "--export="])
    assert code == 1
    assert target.read_text(encoding="utf-8") == "project_id\nP01\n"
    err = capsys.readouterr().err
    assert "is an existing file in data/raw/, where the raw data are kept (read-only)" in err
    assert err.count("\n") == 1 and "nothing was written" in err


def test_synthetic_refuses_the_history_named_as_the_participant_file(raw, capsys):
    """A synthetic file of data/raw/ that is not the default run's participant file (a copy in a
    folder outside git: on the old code a test never writes over the repository's file)."""
    history = raw / "pilot_status_history_synthetic.csv"
    history.write_bytes((paths.PROJECT_ROOT / "data" / "raw" / history.name).read_bytes())
    before = history.read_bytes()
    assert main(["synthetic", "--out", str(history), "--export="]) == 1
    assert history.read_bytes() == before
    assert "existing file in data/raw/" in capsys.readouterr().err


def test_synthetic_writes_a_new_file_in_raw(raw, capsys):
    """Control: a file that does not exist yet is written (with its history beside it)."""
    target = raw / "new_synthetic.csv"
    assert main(["synthetic", "--n", "12", "--out", str(target), "--export="]) == 0
    assert len(target.read_text(encoding="utf-8").splitlines()) == 13


def test_the_default_run_may_regenerate_its_own_files():
    """Control: the default run's own files (participants, history beside, export, mapping) pass."""
    from analysis.cli import DEFAULT_SYNTHETIC_EXPORT, DEFAULT_SYNTHETIC_OUT, raw_data_problem, synthetic_targets
    from analysis.pilot.synthetic import history_path_beside

    targets = synthetic_targets(DEFAULT_SYNTHETIC_OUT, DEFAULT_SYNTHETIC_EXPORT, history_path_beside)
    regenerated = {(option, target.resolve()) for target, _, option in targets}
    assert len(targets) == 4 and all(target.exists() for target, _, _ in targets)
    assert [raw_data_problem(target, option, regenerated) for target, _, option in targets] == [None] * 4
    export = paths.DATA_RAW / "pilot_export_synthetic.xlsx"
    assert raw_data_problem(export, "--out", regenerated) is not None  # the export named as --out


@pytest.mark.parametrize("other", ["Zoekend ", "Zoekend\u00a0", " Zoekend", "Zoekend\t"])
def test_recode_keys_differing_only_by_spacing_are_refused(other):
    c = _Checker()
    parse_recode(c, {"map": {"Zoekend": "zoekend", other: "scholing"}}, "status_history.values.status",
                 "status", None)
    assert len(c.problems) == 1
    problem = c.problems[0]
    assert problem.rule.startswith(f"the keys 'Zoekend' and {other!r} differ only by spacing")
    assert problem.key == "status_history.values.status.map.Zoekend"


def test_recode_keys_differing_by_a_word_are_read():
    """Control: two labels that differ by more than spacing are two rules."""
    c = _Checker()
    recode = parse_recode(c, {"map": {"Zoekend": "zoekend", "Zoekend werk": "scholing"}}, "k", "status", None)
    assert c.problems == []
    assert recode.exact == {"zoekend": "zoekend", "zoekend werk": "scholing"}


# --- VWNW_PRIVATE_DIR: a relative path, a folder the runner refuses ------------------------------------------------

def test_a_relative_private_dir_is_resolved_from_the_project_root(monkeypatch):
    """The kernel works in notebooks/: the same setting names the same folder there."""
    from analysis.private_data import in_private_folder, private_dir_path

    monkeypatch.setenv("VWNW_PRIVATE_DIR", "data/raw/private/sub")
    monkeypatch.chdir(paths.NOTEBOOKS)
    expected = (paths.PROJECT_ROOT / "data" / "raw" / "private" / "sub").resolve()
    assert private_dir_path() == expected
    assert in_private_folder(expected / "deelnemers.csv")


def test_an_absolute_private_dir_is_kept(monkeypatch, tmp_path):
    """Control: an absolute setting is the folder it names, from any working folder."""
    from analysis.private_data import private_dir_path

    monkeypatch.setenv("VWNW_PRIVATE_DIR", str(tmp_path / "priv"))
    monkeypatch.chdir(paths.NOTEBOOKS)
    assert private_dir_path() == (tmp_path / "priv").resolve()


def test_a_private_dir_outside_the_project_is_no_problem(monkeypatch, tmp_path):
    """Control: the runner's up-front check passes a folder outside the project."""
    from analysis.private_data import private_dir_setting_problem

    monkeypatch.setenv("VWNW_PRIVATE_DIR", str(tmp_path / "priv"))
    assert private_dir_setting_problem() is None


@pytest.mark.parametrize(("setting", "fragment"), [
    ("reports/priv", "lies inside the published folder"),
    ("studies/priv", "lies inside the project where git does not ignore it"),
])
def test_the_runner_refuses_a_private_dir_it_cannot_use_in_one_line(monkeypatch, capsys, setting, fragment):
    monkeypatch.setenv("VWNW_PRIVATE_DIR", setting)
    monkeypatch.chdir(paths.PROJECT_ROOT)
    assert main(["report", "--dry-run"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: VWNW_PRIVATE_DIR='{setting}': the private folder ") and fragment in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not (paths.PROJECT_ROOT / setting).exists()


# --- a run state holding an integer of 5,000 digits -----------------------------------------------------------------

def test_a_state_with_a_huge_integer_is_damaged_state(tmp_path):
    from analysis.pipeline.state import STATE_FILE, state_damage

    (tmp_path / STATE_FILE).write_text('{"01_dwsra_portfolio": {"n": ' + "7" * 5000 + "}}\n", encoding="utf-8")
    assert state_damage(tmp_path) == "it is not valid JSON"


def test_a_state_with_a_long_but_readable_integer_is_read(tmp_path):
    """Control: 4,000 digits are within int's limit: the JSON is read (and judged as state)."""
    from analysis.pipeline.bookkeeping_limits import read_bounded_json

    (tmp_path / "s.json").write_text('{"n": ' + "7" * 4000 + "}\n", encoding="utf-8")
    assert read_bounded_json(tmp_path / "s.json") == {"n": int("7" * 4000)}


# --- an exhibit title with a bidirectional override ------------------------------------------------------------------

def _study_with_title(tmp_path: Path, exhibit: str, lang: str, title: str) -> Path:
    """The default study and its exhibits file in ``tmp_path``, ``exhibit``'s title in ``lang`` replaced."""
    import shutil

    import yaml

    from analysis.study import DEFAULT_STUDY, SHIPPED

    declaration = "vwnw_pilot.exhibits.yml"  # the default study's (its `exhibits:`)
    for name in (f"{DEFAULT_STUDY}.yml", f"{DEFAULT_STUDY}.facts.yml", declaration):
        shutil.copy(SHIPPED / name, tmp_path / name)
    doc = yaml.safe_load((tmp_path / declaration).read_text(encoding="utf-8"))
    doc["exhibits"][exhibit]["title"][lang] = title
    (tmp_path / declaration).write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return tmp_path / f"{DEFAULT_STUDY}.yml"


@pytest.mark.parametrize(("char", "name"), [("\u202e", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
                                            ("\u2067", "U+2067 (RIGHT-TO-LEFT ISOLATE)"),
                                            ("\u200f", "U+200F (RIGHT-TO-LEFT MARK)")])
def test_a_bidirectional_control_in_an_exhibit_title_is_refused(tmp_path, char, name):
    from analysis.study import StudyError, load_study

    with pytest.raises(StudyError) as err:
        load_study(_study_with_title(tmp_path, "figuur_09_functie", "nl", f"Functie {char}knil"))
    text = str(err.value)
    assert "'exhibits.figuur_09_functie.title.nl'" in text and name in text


def test_a_title_with_accents_and_dashes_is_read(tmp_path):
    """Control: letters with accents, an en dash and quotes are plain words."""
    from analysis.study import load_study

    load_study(_study_with_title(tmp_path, "figuur_09_functie", "nl", "Functie – ‘één’ naar café (%)"))


# --- min_cell_count below 10 on a file in the private folder ----------------------------------------------------------

def _pilot_runs(participants: Path, k: int):
    from analysis.pipeline import runs as run_config

    runs = [r for r in run_config.discover_runs(paths.NOTEBOOKS) if r.name == "02_pilot_participants"]
    return run_config.apply_overrides(runs, {"participants_path": str(participants), "min_cell_count": k})


@pytest.fixture
def shipped_copy(tmp_path, monkeypatch) -> tuple[Path, Path]:
    """The shipped synthetic participant file copied into a private folder and beside it."""
    private, other = tmp_path / "priv", tmp_path / "other"
    for folder in (private, other):
        folder.mkdir()
        (folder / "deelnemers.csv").write_bytes((paths.DATA_RAW / "pilot_participants_synthetic.csv").read_bytes())
    monkeypatch.setenv("VWNW_PRIVATE_DIR", str(private))
    return private / "deelnemers.csv", other / "deelnemers.csv"


def test_a_low_threshold_on_a_file_in_the_private_folder_is_refused_before_any_kernel(shipped_copy):
    """The shipped synthetic file, copied into the private folder, is real data there: the plan
    says so (the kernel refused it a minute later, with traceback frames)."""
    from analysis.pipeline.runs import threshold_problem

    problem = threshold_problem(_pilot_runs(shipped_copy[0], 1))
    assert problem is not None
    assert problem.startswith("run '02_pilot_participants': min_cell_count=1 is below 10; its participant file "
                              "deelnemers.csv is in the private folder")
    assert problem.endswith("Nothing was run.")


def test_the_same_file_outside_the_private_folder_or_at_10_passes(shipped_copy):
    """Controls: the project's own file elsewhere may have a low threshold; 10 passes anywhere."""
    from analysis.pipeline.runs import threshold_problem

    assert threshold_problem(_pilot_runs(shipped_copy[1], 1)) is None
    assert threshold_problem(_pilot_runs(shipped_copy[0], 10)) is None


# --- a header written twice on a sheet with skip_rows -----------------------------------------------------------------

GRID = [("Klantnr.", "Werkgever", "Werkgever"), ("K1", "De Pers", "planner"), ("Totaal", None, 1)]


def test_skip_rows_keeps_what_the_sheet_reader_knows_of_a_repeated_header():
    """The export's copied header was said as a missing column only where skip_rows was set."""
    from analysis.data.mapped import repeated_header_problems, skip_rows
    from analysis.data.workbook import sheet_table

    table = skip_rows(sheet_table("Deelnemers", GRID, 1), ("^totaal",))
    assert table.repeated == {"Werkgever": ("B", "C")}
    assert [p.rule.split(":")[0] for p in repeated_header_problems(table)] == [
        "the header 'Werkgever' is written twice (columns B and C)"]


def test_skip_rows_still_drops_the_rows_it_names():
    """Control: the total row is left out, the person's row read (its first Werkgever)."""
    from analysis.data.mapped import skip_rows
    from analysis.data.workbook import sheet_table

    table = skip_rows(sheet_table("Deelnemers", GRID, 1), ("^totaal",))
    assert table.rows["Klantnr."].tolist() == ["K1"] and table.rows["Werkgever"].tolist() == ["De Pers"]


def test_a_mapped_header_twice_is_refused_an_ignored_one_is_not_read():
    """The copy of a mapped header is named; the copy of an ignored one is not read, as the
    column itself (exports/r16_np_notes_twice reads as its base)."""
    from analysis.data.mapped import check_headers, skip_rows
    from analysis.data.workbook import sheet_table

    grid = [("Klantnr.", "Werkgever", "Opmerkingen", "Werkgever", "Opmerkingen"), ("K1", "De Pers", "x", "y", "z")]
    table = skip_rows(sheet_table("Deelnemers", grid, 1), ("^totaal",))
    problems = check_headers(table, {"Klantnr.": "deelnemer_id", "Werkgever": "werkgever"}, ("Opmerkingen",),
                             "participants")
    assert [p.header for p in problems] == ["Werkgever"]
