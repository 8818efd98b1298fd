"""Which files may call themselves synthetic (``analysis.synthetic_seal``): the hostile tester
of round five typed real records over a copy of the example export, kept the example mapping's
``synthetisch: true`` (and the workbook's document creator, the only check then), and a run at
``min_cell_count: 1`` published cells of 1 to 9. A claim is now believed only for a file the
project made: shipped, a copy of a shipped data file, or sealed by the generator when written."""

from __future__ import annotations

import shutil

import openpyxl
import pandas as pd
import pytest

from analysis import paths
from analysis.pilot.inputs import load_participants
from analysis.pilot.messy_export import write_export
from analysis.pilot.synthetic import generate_participants, history_path_beside, write_participants
from analysis.release.run import believed_claim
from analysis.stats.disclosure import DisclosureError
from analysis.synthetic_seal import made_by_project

SHIPPED = paths.DATA_RAW / "pilot_participants_synthetic.csv"


@pytest.fixture(autouse=True)
def seals(tmp_path, monkeypatch):
    monkeypatch.setenv("VWNW_SEAL_DIR", str(tmp_path / "seals"))


def test_the_generator_s_files_are_believed_and_one_changed_value_breaks_the_seal(tmp_path):
    path = tmp_path / "deelnemers.csv"
    write_participants(generate_participants(40, seed=5), path)
    assert made_by_project(path) and made_by_project(history_path_beside(path))
    path.write_bytes(path.read_bytes() + b" ")  # one byte changed, as a record typed over changes some

    assert not made_by_project(path)


def test_shipped_files_and_unchanged_copies_are_believed_an_edited_copy_is_not(tmp_path):
    assert made_by_project(SHIPPED)
    copy = tmp_path / "kopie.csv"
    shutil.copyfile(SHIPPED, copy)
    assert made_by_project(copy)
    copy.write_text(copy.read_text(encoding="utf-8").replace("true", "true ", 1), encoding="utf-8")
    assert not made_by_project(copy)


def test_an_export_typed_over_keeps_its_creator_and_claim_but_loses_the_seal(tmp_path):
    """The control: the old rule (the workbook's document creator) is beaten by typing over."""
    df = generate_participants(30, seed=8)
    mapping = write_export(df, tmp_path / "export.xlsx")
    export = tmp_path / "export.xlsx"
    frame = load_participants(mapping)
    inputs = {"participants": export, "participants_mapping": mapping}
    assert believed_claim(frame, inputs, 1) is frame  # the generator's export: synthetic, any threshold
    book = openpyxl.load_workbook(export)
    sheet = book.worksheets[0]
    sheet.cell(row=sheet.max_row, column=1).value = sheet.cell(row=sheet.max_row, column=1).value  # a save
    book.save(export)
    assert openpyxl.load_workbook(export).properties.creator == "vwnw-evaluation"  # what the old check read
    frame = load_participants(mapping)
    assert frame["synthetisch"].all()  # the file still says so
    with pytest.raises(DisclosureError, match="min_cell_count=1: .*neither a shipped file nor one the project"):
        believed_claim(frame, inputs, 1)
    with pytest.warns(UserWarning, match="treated as real data"):
        treated = believed_claim(frame, inputs, 10)
    assert not treated["synthetisch"].any() and len(treated) == len(frame)


def test_a_file_that_says_its_people_are_real_is_left_as_it_is(tmp_path):
    frame = pd.DataFrame({"deelnemer_id": ["A"], "synthetisch": [False]})
    assert believed_claim(frame, {"participants": tmp_path / "none.csv"}, 10) is frame


def _project(tmp_path, monkeypatch, git: bool):
    """A project in ``tmp_path`` with one shipped synthetic file, listed in its own list of
    shipped files; with ``git``, also committed in a repository of its own."""
    import subprocess

    from analysis import shipped_files

    root = tmp_path / "project"
    raw = root / "data" / "raw"
    raw.mkdir(parents=True)
    shipped = raw / "deelnemers_synthetic.csv"
    shipped.write_text("deelnemer_id,synthetisch\nS1,true\n", encoding="utf-8")
    manifest = tmp_path / "shipped_files.sha256"
    monkeypatch.setattr(paths, "PROJECT_ROOT", root)
    monkeypatch.setattr(paths, "DATA_RAW", raw)
    monkeypatch.setattr(shipped_files, "MANIFEST", manifest)
    run = None
    if git:
        cmd = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(root)]
        subprocess.run(["git", "init", "-q", str(root)], check=True)

        def run(*args):
            subprocess.run([*cmd, *args], check=True)
        run("add", "-A")
        run("commit", "-qm", "shipped")
        manifest.write_text(shipped_files.manifest_text(shipped_files.in_repository(root)), encoding="utf-8")
    else:
        manifest.write_text(shipped_files.manifest_text({"data/raw/deelnemers_synthetic.csv":
                                                         __import__("hashlib").sha256(shipped.read_bytes()).hexdigest()}),
                            encoding="utf-8")
    return shipped, run


def test_a_shipped_file_edited_in_place_or_a_new_file_only_added_to_git_is_not_shipped(tmp_path, monkeypatch):
    """Intruder round 9 (S1, S2): real records typed into the shipped synthetic file (still
    tracked, still in data/raw) and a new file added with `git add -N` counted as shipped, so
    their claim was believed and a run at min_cell_count 1 published cells of 1 and 3."""
    from analysis import private_data

    shipped, git = _project(tmp_path, monkeypatch, git=True)
    assert private_data.is_shipped(shipped) and made_by_project(shipped)
    shipped.write_text("deelnemer_id,synthetisch\nR1,true\n", encoding="utf-8")  # typed over in place
    assert not private_data.is_shipped(shipped) and not made_by_project(shipped)
    added = shipped.parent / "deelnemers_echt.csv"
    added.write_text("deelnemer_id,synthetisch\nR2,true\n", encoding="utf-8")
    git("add", "-N", str(added))
    assert not private_data.is_shipped(added)


@pytest.mark.parametrize("route", ["no git", "assume-unchanged", "skip-worktree", "committed locally"])
def test_a_shipped_file_typed_over_is_not_shipped_whatever_git_says(tmp_path, monkeypatch, route):
    """Intruder round 10 (S1, S2): the rule was git's (tracked, unchanged since HEAD). In a copy
    without git (``git archive``, a zip) it fell back to the folder alone; in a clone, a file
    marked unchanged in git's index, or the typed-over file committed locally, was unchanged
    since HEAD. Each time the typed-over file's claim was believed and cells of 1 were published
    on the public site. Shipped now means listed with its bytes."""
    from analysis import private_data

    shipped, git = _project(tmp_path, monkeypatch, git=route != "no git")
    assert private_data.is_shipped(shipped) and made_by_project(shipped)  # the control
    shipped.write_text("deelnemer_id,synthetisch\nR1,true\n", encoding="utf-8")  # real records typed over
    if route in ("assume-unchanged", "skip-worktree"):
        git("update-index", f"--{route}", str(shipped))
    elif route == "committed locally":
        git("commit", "-qam", "werkbestand")
    assert not private_data.is_shipped(shipped)
    assert not made_by_project(shipped)


def test_the_writers_seal_only_the_generator_s_frame_never_a_file_loaded_and_typed_over(tmp_path):
    """Intruder round 11 (S2): the shipped file loaded, real records typed over it and saved with
    the project's own writer was sealed (the writer sealed whatever it was given), so its claim
    to be synthetic was believed at a threshold of 1 on the public site."""
    typed = load_participants(SHIPPED)
    typed.loc[typed.index[0], "leeftijd"] = 61
    path = tmp_path / "gecorrigeerd.csv"
    write_participants(typed, path)
    assert not made_by_project(path)
    generated = generate_participants(30, seed=4)
    write_participants(generated, tmp_path / "gegenereerd.csv")
    assert made_by_project(tmp_path / "gegenereerd.csv")


@pytest.mark.parametrize("edit", ["columns assigned", "one cell", "a row dropped", "rows reordered"])
def test_a_generated_frame_edited_in_any_way_is_not_sealed(tmp_path, edit):
    """Attack 16 (F0): a generated frame whose every column was assigned real records kept the
    generator's mark (pandas keeps ``attrs`` through edits), so the writer sealed a real file:
    threshold 1 on the public site. The mark is the digest of what the generator made."""
    generated = generate_participants(60, seed=5)
    real = generate_participants(60, seed=6)  # other records, standing in for real ones
    edited = generated.copy()
    if edit == "columns assigned":
        for column in edited.columns:
            edited[column] = real[column].values
    elif edit == "one cell":
        edited.loc[edited.index[3], "leeftijd"] = int(edited.loc[edited.index[3], "leeftijd"]) + 1
    elif edit == "a row dropped":
        edited = edited.drop(index=edited.index[-1])
    else:
        edited = edited.iloc[::-1]
    assert edited.attrs == generated.attrs  # the mark survives the edit: the check is on the content
    write_participants(edited, tmp_path / "bewerkt.csv")
    assert not made_by_project(tmp_path / "bewerkt.csv")
    write_export(edited, tmp_path / "bewerkt.xlsx")
    assert not made_by_project(tmp_path / "bewerkt.xlsx")
    write_participants(generated.copy(), tmp_path / "kopie.csv")  # an unchanged copy is still the generator's
    assert made_by_project(tmp_path / "kopie.csv")


def test_a_seal_folder_that_is_a_file_is_refused_before_anything_is_written(tmp_path, monkeypatch, capsys):
    """Hostile round 13 (session 10): VWNW_SEAL_DIR naming a file ended the writer with a
    traceback after the file was written, unsealed."""
    from analysis.cli import main

    (tmp_path / "seals").write_text("")
    monkeypatch.setenv("VWNW_SEAL_DIR", str(tmp_path / "seals"))
    assert main(["synthetic", "--n", "30", "--out", str(tmp_path / "s.csv")]) == 1
    assert "is not a folder" in capsys.readouterr().err
    assert not (tmp_path / "s.csv").exists()
