"""The mapping route: a case-manager export read through its YAML mapping gives exactly the
clean participant frame, and every way an export or a mapping can be wrong is an error that
names sheet, row, column and value (or the mapping key)."""

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml

from analysis import paths
from analysis.data.errors import InputError
from analysis.data.mapping import MappingError
from analysis.pilot import inputs as pilot_inputs, schema as ps, tables
from analysis.pilot.inputs import load_participants

EXPORT = paths.DATA_RAW / "pilot_export_synthetic.xlsx"
MAPPING = paths.DATA_RAW / "pilot_export_synthetic.mapping.yml"


@pytest.fixture()
def export(tmp_path):
    """A private copy of the shipped export and its mapping."""
    shutil.copyfile(EXPORT, tmp_path / EXPORT.name)
    shutil.copyfile(MAPPING, tmp_path / MAPPING.name)
    return tmp_path / EXPORT.name


def edit_mapping(export: Path, change) -> None:
    path = export.with_name(MAPPING.name)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def edit_cell(export: Path, sheet: str, header: str, person: str | None, value) -> int:
    """Set the cell under ``header`` in ``person``'s row (the first data row when None);
    returns its spreadsheet row number."""
    book = openpyxl.load_workbook(export)
    ws = book[sheet]
    header_row = 2 if sheet not in ("Statushistorie", "Dienstverlening") else 1
    headers = [c.value for c in ws[header_row]]
    col = headers.index(header) + 1
    for row in range(header_row + 1, ws.max_row + 1):
        if person is None or ws.cell(row, 1).value == person:
            ws.cell(row, col).value = value
            book.save(export)
            return row
    raise AssertionError(f"{person} not in {sheet}")


def problems(export) -> str:
    with pytest.raises(InputError) as err:
        load_participants(export)
    return str(err.value)


def test_messy_export_loads_to_exactly_the_clean_synthetic_frame(pilot30):
    pd.testing.assert_frame_equal(load_participants(EXPORT), pilot30)


def test_the_mapping_file_itself_can_be_given_as_the_participant_path(pilot30):
    pd.testing.assert_frame_equal(load_participants(MAPPING), pilot30)


def test_shipped_export_and_mapping_are_the_writers_output(tmp_path):
    from analysis.pilot.messy_export import write_export
    from analysis.pilot.synthetic import generate_participants

    mapping = write_export(generate_participants(), tmp_path / EXPORT.name)
    assert (tmp_path / EXPORT.name).read_bytes() == EXPORT.read_bytes(), "run `make synthetic`"
    assert mapping.read_bytes() == MAPPING.read_bytes(), "run `make synthetic`"


def test_export_has_the_messiness_it_claims():
    book = openpyxl.load_workbook(EXPORT, read_only=True)
    assert [ws.title for ws in book.worksheets][:4] == ["Jansen (UWV)", "De Vries (gemeente)",
                                                        "Bakker (gemeente)", "Aanmeldingen"]
    uwv = list(book["Jansen (UWV)"].iter_rows(values_only=True))
    headers = uwv[1]
    assert "Opleiding" in headers and "deelnemer_id" not in headers
    education = {r[headers.index("Opleiding")] for r in uwv[2:]}
    assert education - set(ps.EDUCATION_LEVELS) == education  # free text, never the codes
    assert any(r[headers.index("Sector nieuwe baan")] is None for r in uwv[2:])  # blanks
    history = list(book["Statushistorie"].iter_rows(values_only=True))
    assert len(history) - 1 > 30  # more records than persons: a dated history


def test_unknown_column_names_sheet_row_and_header(export):
    book = openpyxl.load_workbook(export)
    ws = book["Bakker (gemeente)"]
    ws.cell(2, ws.max_column + 1).value = "Telefoon"
    book.save(export)
    text = problems(export)
    assert "sheet 'Bakker (gemeente)', row 2, column 'Telefoon'" in text and "unknown column" in text


def test_unmapped_label_names_sheet_row_column_and_value(export):
    row = edit_cell(export, "Jansen (UWV)", "Opleiding", None, "buitenlands diploma")
    text = problems(export)
    assert f"sheet 'Jansen (UWV)', row {row}, column 'Opleiding': value 'buitenlands diploma'" in text
    assert "not mapped for 'opleidingsniveau'" in text


def test_a_label_listed_as_unmapped_becomes_onbekend_and_is_counted(export, pilot30):
    edit_cell(export, "De Vries (gemeente)", "Opleiding", None, "Buitenlands  Diploma")
    edit_mapping(export, lambda m: m["values"]["opleidingsniveau"]["unmapped"].append("buitenlands diploma"))
    df = load_participants(export)
    assert (df["opleidingsniveau"] == ps.UNKNOWN).sum() == 1
    fig7 = tables.education_by_age(df)
    assert list(fig7.index) == [*ps.EDUCATION_LEVELS, ps.UNKNOWN]
    assert fig7.loc[ps.UNKNOWN].sum() == 1 and fig7.to_numpy().sum() == 30
    assert ps.UNKNOWN not in tables.education_by_age(pilot30).index  # complete data: no empty row


def test_blank_cells_become_onbekend_where_the_mapping_says_so(export):
    edit_cell(export, "Jansen (UWV)", "Functie", None, None)
    edit_cell(export, "Jansen (UWV)", "Dienstjaren", None, None)
    df = load_participants(export)
    assert (df["functie"] == ps.UNKNOWN).sum() == 1 and (df["functietype"] == ps.UNKNOWN).sum() == 1
    assert df["dienstjaren"].isna().sum() == 1
    assert tables.years_of_service(df).loc[ps.UNKNOWN] == 1
    assert tables.function_type(df).loc[ps.UNKNOWN] == 1


def test_identifiers_stay_required(export):
    row = edit_cell(export, "Jansen (UWV)", "Klantnr.", None, None)
    assert f"sheet 'Jansen (UWV)', row {row}, column 'Klantnr.'" in problems(export)


def test_schema_rule_broken_after_mapping_names_the_export_cell(export):
    row = edit_cell(export, "Bakker (gemeente)", "Leeftijd", None, 12)
    text = problems(export)
    assert f"sheet 'Bakker (gemeente)', row {row}, column 'Leeftijd': value 12" in text and ">= 16" in text


def test_text_date_in_another_format_names_the_cell(export):
    row = edit_cell(export, "De Vries (gemeente)", "Datum aanmelding", None, "2020/10/05")
    text = problems(export)
    assert f"sheet 'De Vries (gemeente)', row {row}, column 'Datum aanmelding': value '2020/10/05'" in text
    assert "%d-%m-%Y" in text


def test_conflicting_patterns_are_an_error_naming_the_cell(export):
    row = edit_cell(export, "Jansen (UWV)", "Opleiding", None, "mbo 1")
    edit_mapping(export, lambda m: m["values"]["opleidingsniveau"]["patterns"].append(
        {"match": "^mbo", "value": "middelbaar"}))
    text = problems(export)
    assert f"row {row}, column 'Opleiding': value 'mbo 1'" in text and "conflicting rules" in text


@pytest.mark.parametrize("change, key, words", [
    (lambda m: m["values"]["werkgever"]["map"].update({"werkgever a": "Hotel Central"}),
     "values.werkgever.map", "conflicting rules"),
    (lambda m: m["values"]["opleidingsniveau"].update(unmapped=["hbo"], map={"HBO": "hoog"}),
     "values.opleidingsniveau.unmapped", "both mapped and listed as unmapped"),
    (lambda m: m["values"]["geslacht"]["map"].update(X="anders"), "values.geslacht.map.X", "must be one of"),
    (lambda m: m["participants"]["columns"].update({"Leeftijd": "leeftijdd"}), "participants.columns.Leeftijd",
     "did you mean 'leeftijd'"),
    (lambda m: m["participants"].update(colums={}), "participants.colums", "unknown key"),
    (lambda m: m["participants"]["constants"].update(geslacht="man"), "participants.constants.geslacht",
     "both read from the export and set as a constant"),
    (lambda m: m["values"]["opleidingsniveau"].pop("default"), "values.opleidingsniveau.default",
     "is required"),
])
def test_mapping_mistakes_name_the_key(export, change, key, words):
    edit_mapping(export, change)
    with pytest.raises(MappingError) as err:
        load_participants(export)
    assert f"key '{key}" in str(err.value) and words in str(err.value)


def test_unknown_and_missing_sheets_are_errors(export):
    book = openpyxl.load_workbook(export)
    book.create_sheet("Blad1").append(["x", "y"])
    book.save(export)
    assert "sheet 'Blad1' breaks rule: unknown sheet" in problems(export)
    edit_mapping(export, lambda m: m.update(ignore_sheets=["Toelichting", "Blad1"]))
    load_participants(export)
    edit_mapping(export, lambda m: m["status_history"].update(sheet="Historie"))
    assert "sheet 'Historie' breaks rule: the sheet must exist" in problems(export)


def test_two_statuses_on_one_day_are_a_conflict_naming_the_record(export):
    book = openpyxl.load_workbook(export)
    ws = book["Statushistorie"]
    person, day = ws.cell(2, 1).value, ws.cell(2, 2).value
    ws.append([person, day, "Gestopt"])
    book.save(export)
    text = problems(export)
    assert f"sheet 'Statushistorie', row {ws.max_row}, column 'Status'" in text
    assert "one status per person per date" in text


def test_person_without_a_status_by_the_cut_off_names_the_person_row(export):
    book = openpyxl.load_workbook(export)
    ws = book["Statushistorie"]
    person = ws.cell(2, 1).value
    for row in range(ws.max_row, 1, -1):
        if ws.cell(row, 1).value == person:
            ws.delete_rows(row)
    book.save(export)
    text = problems(export)
    assert f"value '{person}' breaks rule: every participant needs a status on or before 2021-04-01" in text


def test_processed_copy_is_keyed_on_export_and_mapping(export, tmp_path, pilot30):
    processed = tmp_path / "processed"
    first = load_participants(export, processed)
    assert (processed / f"{export.stem}.parquet").is_file()
    pd.testing.assert_frame_equal(first, pilot30)
    edit_mapping(export, lambda m: m["values"]["geslacht"]["map"].update(M="vrouw"))
    changed = load_participants(export, processed)
    assert (changed["geslacht"] == "vrouw").all(), "a changed mapping must not reuse the processed copy"


def test_participant_inputs_name_export_and_mapping(export):
    inputs = pilot_inputs.participant_inputs(export)
    assert inputs == {"participants": export, "participants_mapping": export.with_name(MAPPING.name)}
    assert pilot_inputs.participant_inputs(paths.DATA_RAW / "pilot_participants_synthetic.csv") == {
        "participants": paths.DATA_RAW / "pilot_participants_synthetic.csv"}


def test_an_export_without_a_mapping_is_read_as_a_clean_file(tmp_path):
    shutil.copyfile(EXPORT, tmp_path / "x.xlsx")
    with pytest.raises(InputError) as err:
        load_participants(tmp_path / "x.xlsx")
    rules = [p.rule for p in err.value.problems]
    assert ".venv/bin/python -m analysis inspect " in rules[0] and "x.xlsx --study" in rules[0]
    assert "x.mapping.yml" in rules[0]
    assert len(rules) >= 2  # then the problems of the file read as a clean file


def test_the_documented_format_is_a_valid_mapping(tmp_path):
    from analysis.data.mapping import FORMAT
    from analysis.pilot.from_export import read_participant_mapping

    path = tmp_path / "export.mapping.yml"
    path.write_text(FORMAT, encoding="utf-8")
    mapping = read_participant_mapping(path)
    assert mapping.source == tmp_path / "export.xlsx" and set(mapping.records) == {"status_history", "services"}
    assert mapping.recodes["opleidingsniveau"].code("VMBO-BB") == ("laag", None)
    assert mapping.recodes["opleidingsniveau"].code("Zie  dossier") == ("onbekend", None)


def test_status_history_of_the_export_for_any_cut_off_date(pilot30):
    from analysis.pilot.from_export import load_status_history
    from analysis.pilot.history import status_at
    from analysis.pilot.messy_export import status_records

    records = load_status_history(EXPORT)
    pd.testing.assert_frame_equal(records, status_records(pilot30), check_dtype=False)
    on_first_of_march = status_at(records, "2021-03-01")
    assert len(on_first_of_march) == 30 and set(on_first_of_march) <= set(ps.STATUSES)


def test_a_label_written_twice_in_the_mapping_is_a_conflict(export):
    path = export.with_name(MAPPING.name)
    text = path.read_text(encoding="utf-8")
    twice = text.replace('    map: {M: man, V: vrouw}', '    map: {M: man, V: vrouw, M: vrouw}')
    path.write_text(twice, encoding="utf-8")
    line = 1 + path.read_text(encoding="utf-8").split("\n").index("    map: {M: man, V: vrouw, M: vrouw}")
    with pytest.raises(MappingError) as err:
        load_participants(export)
    assert f"at line {line}" in str(err.value) and "key 'M' is written twice" in str(err.value)


def test_a_duplicate_person_names_both_places(export):
    book = openpyxl.load_workbook(export)
    first = book["Jansen (UWV)"].cell(3, 1).value
    book["Bakker (gemeente)"].cell(3, 1).value = first
    book.save(export)
    text = problems(export)
    assert "sheet 'Jansen (UWV)', row 3" in text and "must be unique" in text
    assert f"sheet 'Bakker (gemeente)', row 3, column 'Klantnr.': value '{first}'" in text


@pytest.mark.parametrize("label, level", [
    ("vmbo-bb", "laag"), ("VMBO-TL", "laag"), ("mavo", "laag"), ("lbo", "laag"), ("mbo 1", "laag"),
    ("MBO niveau 1", "laag"), ("entree", "laag"), ("geen diploma", "laag"), ("basisonderwijs", "laag"),
    ("praktijkonderwijs", "laag"), ("mbo 2 kok", "middelbaar"), ("mbo-3", "middelbaar"),
    ("MBO 4 horeca", "middelbaar"), ("havo", "middelbaar"), ("vwo", "middelbaar"), ("hbo", "hoog"),
    ("HBO bedrijfskunde", "hoog"), ("wo", "hoog"), ("universiteit", "hoog"),
    ("mbo", None), ("geen opgave", None), ("onbekend", None), ("buitenlands diploma", None),
    ("woonbegeleiding", None),
])
def test_education_patterns_follow_the_usual_classification(label, level):
    """laag up to vmbo/mbo-1, middelbaar mbo-2 to 4 and havo/vwo, hoog hbo/wo; a bare 'mbo'
    or 'geen opgave' (not stated) is left for the evaluator."""
    from analysis.data.mapping import Recode

    assert Recode("opleidingsniveau", patterns=ps.EDUCATION_PATTERNS).code(label)[0] == level


@pytest.mark.parametrize("n, seed, movers", [(30, 1, 0), (30, 2, 2), (120, 4, 1)])
def test_any_synthetic_file_round_trips_through_the_export(tmp_path, n, seed, movers):
    from analysis.pilot.messy_export import write_export
    from analysis.pilot.synthetic import generate_participants, write_participants

    frame = generate_participants(n, seed, movers)
    write_participants(frame, tmp_path / "clean.csv")
    write_export(frame, tmp_path / "export.xlsx")
    clean = load_participants(tmp_path / "clean.csv")
    pd.testing.assert_frame_equal(load_participants(tmp_path / "export.xlsx"), clean)
