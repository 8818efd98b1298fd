"""Issues 24 and 28 (H39n): inputs. An empty workbook refused by ``inspect`` (no draft, exit 1);
a date cell quoted as the sheet shows it; the sector of a job that ended read as that job's,
not refused; a person copied under a new id refused in the real file; 100,000 copied status
records refused within seconds. Reference values are written by hand from each edit."""

from __future__ import annotations

import sys
import time
import warnings
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from analysis import paths
from analysis.cli import main
from analysis.data.errors import InputError, written
from analysis.data.shown_dates import SheetDate, shown
from analysis.pilot import history_rules, schema as ps
from analysis.pilot.copies import copied_rows, copy_problems
from analysis.pilot.from_export import load_export
from analysis.pilot.history import load_history
from analysis.pilot.inputs import load_participants

sys.path.insert(0, str(Path(__file__).parent))
import new_pilot_export as npe  # noqa: E402
import test_new_pilot_guide as guide  # noqa: E402

RAW = paths.DATA_RAW


# --- an empty workbook: refused by inspect, no draft ----------------------------------------------------------------
@pytest.mark.parametrize("rows", [[], [["Klantnr.", "Leeftijd", "Functie"]]], ids=["blank", "header_only"])
def test_inspect_refuses_a_workbook_without_participant_rows_and_writes_no_draft(tmp_path, capsys, rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(tmp_path / "export.xlsx")
    code = main(["inspect", str(tmp_path / "export.xlsx")])
    text = capsys.readouterr().out
    assert code == 1, text
    assert not (tmp_path / "export.mapping.draft.yml").exists()
    assert "the workbook holds no participant rows" in text and "no draft written" in text
    assert "sheet 'Sheet': no data row below row 1" in text
    assert "0 data rows" not in text and "draft mapping written" not in text


# --- a date cell as the sheet shows it ---------------------------------------------------------------------------
@pytest.mark.parametrize(("code", "fid", "want"), [
    ("DD-MM-YYYY", 164, "05-12-1983"), ("d mmm yyyy", 164, "5 dec 1983"), ("d mmmm yyyy", 164, "5 december 1983"),
    ("[$-409]d mmm yyyy", 164, "5 Dec 1983"), ("mm-dd-yy", 14, "5-12-1983"), ("yyyy-mm-dd h:mm:ss", 164,
                                                                               "1983-12-05 0:00:00"),
    ("dd/mm/yy hh:mm", 164, "05/12/83 00:00"), ('dddd d"e" mmmm', 164, "maandag 5e december"),
])
def test_a_date_is_rendered_as_its_number_format_shows_it(code, fid, want):
    assert shown(datetime(1983, 12, 5), code, fid) == want


def test_a_date_cell_is_quoted_as_shown_with_its_cell_and_the_date_it_holds():
    cell = SheetDate.of(datetime(1983, 12, 5), "d mmm yyyy", 164, "G7")
    assert cell == datetime(1983, 12, 5)
    assert written(cell) == "5 dec 1983 (date cell G7, 1983-12-05)"
    assert written(SheetDate.of(datetime(1983, 12, 5, 8, 30), "dd-mm-yyyy", 164, "C3")) == \
        "05-12-1983 (date cell C3, 1983-12-05 08:30)"  # the format hides the time: both said
    assert written(SheetDate.of(datetime(1983, 12, 5), "yyyy-mm-dd", 164, "B2")) == "1983-12-05 (date cell B2)"


def test_a_date_rule_on_the_export_route_quotes_the_cell_the_user_sees(tmp_path):
    book = openpyxl.load_workbook(RAW / "pilot_export_synthetic.xlsx")
    ws = book["Jansen (UWV)"]
    ws["D3"] = datetime(2019, 12, 5)  # the first person's Start traject, before the pilot's start
    ws["D3"].number_format = "dd-mm-yyyy"
    book.save(tmp_path / "export.xlsx")
    text = (RAW / "pilot_export_synthetic.mapping.yml").read_text(encoding="utf-8")
    (tmp_path / "export.mapping.yml").write_text(text.replace("pilot_export_synthetic.xlsx", "export.xlsx"),
                                                 encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_export(tmp_path / "export.mapping.yml")
    assert "column 'Start traject': value 05-12-2019 (date cell D3, 2019-12-05)" in str(info.value)


# --- the sector of a job that ended (a study whose placements end) -------------------------------------------------
@pytest.fixture()
def guide_study(tmp_path):
    path = tmp_path / f"{npe.STUDY_ID}.yml"
    path.write_text(guide.STUDY_YAML, encoding="utf-8")
    before = ps.STUDY
    ps.use_study(str(path))
    yield
    ps.use_study(before)


def test_the_sector_of_an_ended_job_is_read_as_that_jobs_and_needs_no_edit(tmp_path, guide_study):
    persons = npe.people()
    ended = next(p for p in persons if p["sector"] is None and any(s in npe.WORK for _, s in p["records"])
                 and npe.status_on(p["records"], npe.SNAPSHOTS[1]) not in npe.WORK)
    ended["sector"], ended["contract"] = "grafisch", "Vast"  # left over from the job that ended
    npe.write_export(tmp_path / "export.xlsx", persons)
    (tmp_path / "export.mapping.yml").write_text(guide.MAPPING, encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        df = load_export(tmp_path / "export.mapping.yml")
    assert len(df) == npe.N
    row = df[df["deelnemer_id"] == ended["id"]].iloc[0]
    assert pd.isna(row["sector_nieuw"]) and pd.isna(row["contract_nieuw"]) and pd.notna(row["uitstroomdatum"])
    line = 5 + persons.index(ended)  # header on row 4
    notes = [str(w.message) for w in caught if "job ended" in str(w.message)]
    assert notes and f"sheet 'Deelnemers' row {line}" in notes[0] and "the export needs no edit" in notes[0]


# --- a person copied under a new id -------------------------------------------------------------------------------
def test_copied_rows_names_each_copy_and_its_first_row():
    df = pd.DataFrame({"deelnemer_id": ["A", "B", "C", "D", "E"], "x": [1, 2, 1, None, None],
                       "y": ["p", "q", "p", "r", "r"]})
    assert copied_rows(df) == [(2, 0), (4, 3)]  # empty cells are equal
    assert copied_rows(df.assign(synthetisch=False)) == [(2, 0), (4, 3)]
    assert copy_problems(df.assign(synthetisch=True), str) == []  # a generated population is not judged


def test_a_real_participant_file_with_a_copied_person_is_refused_naming_both_rows(tmp_path):
    df = pd.read_csv(RAW / "pilot_participants_synthetic.csv", dtype=str, keep_default_na=False)
    df["synthetisch"] = "false"
    df.to_csv(tmp_path / "ok.csv", index=False)
    assert len(load_participants(tmp_path / "ok.csv")) == 30
    copy = df.iloc[[4]].assign(deelnemer_id="SYN0777")
    pd.concat([df, copy]).to_csv(tmp_path / "copy.csv", index=False)
    with pytest.raises(InputError) as info:
        load_participants(tmp_path / "copy.csv")
    message = str(info.value)
    assert "data row 31 (line 32 of the file), column 'deelnemer_id': value 'SYN0777'" in message
    assert f"equals data row 5 (line 6 of the file) (id {df.at[4, 'deelnemer_id']})" in message


# --- 100,000 copied status records -------------------------------------------------------------------------------
def test_100000_copied_status_records_are_refused_within_seconds(tmp_path):
    history = (RAW / "pilot_status_history_synthetic.csv").read_text(encoding="utf-8")
    first = history.splitlines()[1]
    (tmp_path / "h.csv").write_text(history + (first + "\n") * 100_000, encoding="utf-8")
    participants = load_participants(RAW / "pilot_participants_synthetic.csv")
    start = time.process_time()
    with pytest.raises(InputError) as info:
        load_history(tmp_path / "h.csv", participants)
    assert time.process_time() - start < 4, "took 7 s of CPU before (89 s on the export route)"
    assert len(info.value.problems) == 100_000
    assert "this row repeats data row 1 (the same person, date and status)" in str(info.value)


def test_a_copied_record_names_its_original_once_per_original():
    calls = []
    frame = pd.DataFrame({"deelnemer_id": ["A"] * 5 + ["B"] * 5, "datum": ["2020-01-01"] * 10, "status": ["x"] * 10})
    issues = history_rules.duplicate_issues(frame, lambda r: calls.append(r) or f"row {r}")
    assert [(i.row, i.person) for i in issues] == [(1, "A"), (2, "A"), (3, "A"), (4, "A"), (6, "B"), (7, "B"),
                                                  (8, "B"), (9, "B")]
    assert all("repeats row 0" in i.rule for i in issues[:4]) and all("repeats row 5" in i.rule for i in issues[4:])
    assert sorted(calls) == [0, 5]  # 100,000 copies called it 100,000 times (the 89 s)
