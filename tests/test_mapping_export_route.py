"""The export as it is written: a header row below note rows (``header_row: auto``), totals
and note rows below the data (``skip_rows``), age and years of service derived from a birth
date and a start of employment or a year alone (``derive``), a mapping naming its study, and
messages that quote the cell as the file writes it."""

import shutil
from datetime import datetime, timedelta

import openpyxl
import pandas as pd
import pytest
import yaml

from analysis import paths
from analysis.data.errors import InputError
from analysis.data.mapped import completed_years
from analysis.pilot.inputs import load_participants

EXPORT = paths.DATA_RAW / "pilot_export_synthetic.xlsx"
MAPPING = paths.DATA_RAW / "pilot_export_synthetic.mapping.yml"
PERSON_SHEETS = ("Jansen (UWV)", "De Vries (gemeente)", "Bakker (gemeente)", "Aanmeldingen")


@pytest.fixture()
def export(tmp_path):
    shutil.copyfile(EXPORT, tmp_path / EXPORT.name)
    shutil.copyfile(MAPPING, tmp_path / MAPPING.name)
    return tmp_path / EXPORT.name


def edit_mapping(export, change) -> None:
    path = export.with_name(MAPPING.name)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def message(export) -> str:
    with pytest.raises(InputError) as err:
        load_participants(export)
    return str(err.value)


def _sheets(export, change) -> None:
    book = openpyxl.load_workbook(export)
    for name in PERSON_SHEETS:
        change(book[name])
    book.save(export)


def _column(ws, header: str, row: int = 2) -> int:
    return [c.value for c in ws[row]].index(header) + 1


def test_header_row_auto_finds_the_headers_below_note_rows(export, pilot30):
    def notes(ws):
        ws.insert_rows(1, 3)
        ws.cell(1, 1).value = "Let op: vertrouwelijk"
        ws.cell(2, 1).value = "Peildatum 16-04-2021"
    _sheets(export, notes)
    assert "breaks rule" in message(export)  # header_row 2 is now a note row
    edit_mapping(export, lambda m: m["participants"].update(header_row="auto"))
    pd.testing.assert_frame_equal(load_participants(export), pilot30)


def test_skip_rows_leaves_out_totals_and_notes(export, pilot30):
    def totals(ws):
        ws.append(["Totaal", f"{ws.max_row - 2} deelnemers"])
        ws.append(["Noot: stand per peildatum"])
    _sheets(export, totals)
    text = message(export)
    assert "deelnemers'" in text  # read as a person until skipped, its cells quoted as written
    edit_mapping(export, lambda m: m["participants"].update(skip_rows=["^totaal", "^noot"]))
    pd.testing.assert_frame_equal(load_participants(export), pilot30)


def _birth_date(inflow: datetime, age: int) -> datetime:
    """A birth date that makes ``age`` the completed years at ``inflow``."""
    return inflow.replace(year=inflow.year - age) - timedelta(days=3)


def _inflow(ws, row: int) -> datetime:
    value = ws.cell(row, _column(ws, "Datum aanmelding")).value
    return value if isinstance(value, datetime) else datetime.strptime(value, "%d-%m-%Y")


def test_derive_age_from_birth_dates_and_tenure_from_dates_and_years(export, pilot30):
    """Birth dates instead of ages, and the start of employment as a date, a year written as
    text and a year as a number; the derived columns equal the file's own."""
    def rewrite(ws):
        age, tenure = _column(ws, "Leeftijd"), _column(ws, "Dienstjaren")
        ws.cell(2, age).value, ws.cell(2, tenure).value = "Geboortedatum", "In dienst sinds"
        for r in range(3, ws.max_row + 1):
            inflow = _inflow(ws, r)
            if ws.cell(r, age).value is not None:
                ws.cell(r, age).value = _birth_date(inflow, int(ws.cell(r, age).value))
            years = ws.cell(r, tenure).value
            if years is not None:
                whole = int(float(str(years).replace(",", ".")))
                ws.cell(r, tenure).value = [str(inflow.year - whole), inflow.year - whole,
                                            _birth_date(inflow, whole)][r % 3]
    _sheets(export, rewrite)

    def derive(m):
        columns = m["participants"]["columns"]
        del columns["Leeftijd"], columns["Dienstjaren"]
        m["participants"]["derive"] = {
            "leeftijd": {"from": "Geboortedatum", "years_until": "instroomdatum"},
            "dienstjaren": {"from": "In dienst sinds", "years_until": "instroomdatum"}}
    edit_mapping(export, derive)
    got = load_participants(export)
    pd.testing.assert_series_equal(got["leeftijd"], pilot30["leeftijd"])
    # years of service: whole years (the synthetic file's are half years)
    want = pilot30["dienstjaren"].map(lambda v: float(int(v)) if pd.notna(v) else v)
    pd.testing.assert_series_equal(got["dienstjaren"], want.astype(got["dienstjaren"].dtype))


def test_a_bad_birth_date_is_quoted_as_written(export):
    book = openpyxl.load_workbook(export)
    ws = book["Jansen (UWV)"]
    age = _column(ws, "Leeftijd")
    ws.cell(2, age).value = "Geboortedatum"
    for r in range(3, ws.max_row + 1):
        ws.cell(r, age).value = datetime(1970, 5, 1)
    ws.cell(3, age).value = datetime(2030, 1, 5)  # after the inflow date
    ws.cell(4, age).value = "5 mei '83"  # not a date
    book.save(export)
    for name in PERSON_SHEETS[1:]:
        book[name].cell(2, _column(book[name], "Leeftijd")).value = "Geboortedatum"
    book.save(export)

    def derive(m):
        del m["participants"]["columns"]["Leeftijd"]
        m["participants"]["derive"] = {"leeftijd": {"from": "Geboortedatum", "years_until": "instroomdatum"}}
    edit_mapping(export, derive)
    text = message(export)
    assert "sheet 'Jansen (UWV)', row 3, column 'Geboortedatum': value 2030-01-05" in text
    assert "row 4, column 'Geboortedatum': value '5 mei '83'" in text
    assert "datetime" not in text  # never a Python repr


@pytest.mark.parametrize("value, until, years", [
    (datetime(1983, 12, 5), "2020-12-04", 36), (datetime(1983, 12, 5), "2020-12-05", 37),
    ("2001", "2020-10-01", 19), (2001, "2020-10-01", 19), ("05-12-1983", "2020-12-05", 37), (None, "2020-01-01", None),
])
def test_completed_years(value, until, years):
    got, why = completed_years(value, until, ("%d-%m-%Y",))
    assert why is None and got == ("" if years is None else str(years))


def test_derive_needs_a_date_column_or_a_date(export):
    edit_mapping(export, lambda m: m["participants"].update(
        derive={"leeftijd": {"from": "Leeftijd", "years_until": "triage"}}))
    text = message(export)
    assert "key 'participants.derive.leeftijd.years_until'" in text and "date column of the schema" in text


def test_a_mapping_of_another_study_is_refused_naming_it(export):
    edit_mapping(export, lambda m: m.update(study="schoonmaak_twente_2023"))
    text = message(export)
    assert "key 'study'" in text and "schoonmaak_twente_2023" in text and "catering_noordoost_brabant_2021" in text


def test_hidden_parts_of_the_export_are_warned_about_and_hidden_rows_of_data_refused(export, pilot30):
    book = openpyxl.load_workbook(export)
    book["Jansen (UWV)"].column_dimensions["B"].hidden = True
    book.save(export)
    with pytest.warns(UserWarning, match=r"hidden parts.*sheet 'Jansen \(UWV\)': column B"):
        got = load_participants(export)
    pd.testing.assert_frame_equal(got, pilot30)  # a hidden column is read like the rest, and said
    book["Jansen (UWV)"].row_dimensions[3].hidden = True
    book.save(export)
    assert "row 3 breaks rule: the row is hidden" in message(export)  # a hidden row of data nobody checked


def test_a_status_after_a_final_one_quotes_the_status_as_written(export):
    """The catering study: an outflow is final. The message quotes the status cell (not the
    client number) and names the participant."""
    book = openpyxl.load_workbook(export)
    ws = book["Statushistorie"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    person = next(r[0] for r in rows if r[2] == "Nieuwe baan")
    ws.append([person, "20-04-2021", "In bemiddeling"])
    book.save(export)
    text = message(export)
    assert f"sheet 'Statushistorie', row {ws.max_row}, column 'Status': value 'In bemiddeling'" in text
    assert "is final in this study" in text and f"participant {person}" in text


def test_a_service_the_export_does_not_record_is_never_set_to_false(export):
    """Without the services sheet the dv_* columns have no source; the advice is to leave the
    service out of the study, never a constant false."""
    def drop_services(m):
        del m["services"]
        m["ignore_sheets"].append("Dienstverlening")
    edit_mapping(export, drop_services)
    text = message(export)
    assert "schema column dv_talentenscan has no source" in text
    assert "set it to onbekend" in text and "constant false" in text


def test_a_service_not_recorded_is_onbekend_on_the_export_route(export, pilot30):
    """Issue 24: a service the services sheet never names is not recorded for anyone (empty,
    onbekend); a service named as a constant onbekend likewise; the others keep true/false."""
    book = openpyxl.load_workbook(export)
    ws = book["Dienstverlening"]
    dienst = _column(ws, "Dienst", 1)
    words = {ws.cell(r, dienst).value for r in range(2, ws.max_row + 1)} - {None}
    dropped = sorted(words)[0]
    for r in range(ws.max_row, 1, -1):  # the sheet no longer records this service for anyone
        if ws.cell(r, dienst).value == dropped:
            ws.delete_rows(r)
    book.save(export)
    got = load_participants(export)
    unknown = [c for c in got.columns if c.startswith("dv_") and got[c].isna().all()]
    assert len(unknown) == 1, unknown
    assert all(got[c].notna().all() for c in got.columns if c.startswith("dv_") and c not in unknown)
    pd.testing.assert_frame_equal(got.drop(columns=unknown), pilot30.drop(columns=unknown))

    def constant(m):
        m.setdefault("participants", {}).setdefault("constants", {})[unknown[0]] = "onbekend"
    edit_mapping(export, constant)
    again = load_participants(export)
    assert again[unknown[0]].isna().all() and str(again[unknown[0]].dtype) == "boolean"


def test_a_real_export_read_with_the_example_mappings_synthetic_claim_is_treated_as_real(export, monkeypatch, tmp_path):
    """Hostile tester round 3 (S3): a real export, read with a copy of the example mapping
    (``constants: {synthetisch: true}``), was published as synthetic data, without disclosure
    control. The claim is believed only for an export the project made (the shipped one, an
    unchanged copy, or one its generator sealed: tests/test_synthetic_seal.py)."""
    from analysis.release.run import believed_claim

    monkeypatch.setenv("VWNW_SEAL_DIR", str(tmp_path / "seals"))
    inputs = {"participants": export, "participants_mapping": export.with_name(MAPPING.name)}
    frame = load_participants(export)
    assert believed_claim(frame, inputs, 5) is frame  # an unchanged copy of the shipped export: believed
    book = openpyxl.load_workbook(export)
    book.properties.creator = "Casemanagement Systeem"  # as a case-management system writes it
    book.save(export)
    with pytest.warns(UserWarning, match="treated as real data"):
        treated = believed_claim(load_participants(export), inputs, 10)
    assert not treated["synthetisch"].astype(bool).any()
    edit_mapping(export, lambda d: d["participants"]["constants"].update(synthetisch="nee"))
    frame = load_participants(export)
    assert not frame["synthetisch"].astype(bool).any()


def test_a_totals_row_without_skip_rows_is_told_to_be_skipped_not_edited_into_an_id(export):
    """newpilot2's F10 (hostile round 14's e24): a totals row whose first cell is in the id
    column broke the id rule, whose advice was to write the totals text as an id. The message
    names the row and the mapping key that leaves it out; the advice, followed, reads the file."""
    book = openpyxl.load_workbook(export)
    ws = book["Jansen (UWV)"]
    ws.append(["Totaal: 14 deelnemers"])
    row = ws.max_row
    book.save(export)
    text = message(export)
    assert f"sheet 'Jansen (UWV)', row {row}" in text and "'Totaal: 14 deelnemers'" in text
    assert 'participants.skip_rows: ["^totaal"]' in text and "write the id without" not in text
    edit_mapping(export, lambda m: m["participants"].update(skip_rows=["^totaal"]))
    assert len(load_participants(export)) > 0  # the advice works
