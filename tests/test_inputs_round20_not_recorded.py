"""Hostile round 20, finding 1: for an export without triage, a case manager's organisation or a
reason of stopping, the advice was ``participants.constants: {x: onbekend}``, which the column's
domain refuses, while a constant ``null`` (an empty triage: "never triaged") was taken silently.
The advice now follows the column's domain, a constant empty is refused where an empty cell states
a fact, and a label such as ``n.v.t.`` may be mapped to null (empty) where the column may be empty."""

from __future__ import annotations

import shutil

import openpyxl
import pytest
import yaml

from analysis import paths
from analysis.data.errors import InputError
from analysis.pilot import from_export

EXPORT = paths.DATA_RAW / "pilot_export_synthetic.xlsx"
MAPPING = paths.DATA_RAW / "pilot_export_synthetic.mapping.yml"


def _copy(tmp_path, edit_mapping, edit_book=None):
    export = tmp_path / "pilot_export_synthetic.xlsx"
    shutil.copyfile(EXPORT, export)
    if edit_book is not None:
        book = openpyxl.load_workbook(export)
        edit_book(book)
        book.save(export)
    mapping = yaml.safe_load(MAPPING.read_text(encoding="utf-8"))
    edit_mapping(mapping)
    (tmp_path / "pilot_export_synthetic.mapping.yml").write_text(yaml.safe_dump(mapping, allow_unicode=True),
                                                                 encoding="utf-8")
    return export


def _without(header: str, constant=...):
    def edit(m):
        m["participants"]["columns"].pop(header)
        m["participants"]["ignore"].append(header)
        if constant is not ...:
            m["participants"]["constants"].update(constant)
    return edit


def _error(export) -> str:
    with pytest.raises(InputError) as err:
        from_export.load_export_with_history(export)
    return str(err.value)


@pytest.mark.parametrize("header, column", [("Triage", "triage"), ("Reden stoppen", "reden_stoppen")])
def test_the_advice_for_a_column_the_export_lacks_follows_its_domain(tmp_path, header, column):
    text = _error(_copy(tmp_path, _without(header)))
    assert f"schema column {column} has no source" in text
    assert f"{{{column}: onbekend}}" not in text  # the domain has no code onbekend
    if column == "triage":
        assert "an empty cell says 'never triaged'" in text and "the export must hold it" in text
    else:
        assert f"{{{column}: null}}" in text


def test_the_advice_for_a_column_with_onbekend_is_onbekend(tmp_path):
    text = _error(_copy(tmp_path, _without("M/V")))
    assert "{geslacht: onbekend}" in text


def test_a_constant_empty_triage_is_refused_not_read_as_never_triaged(tmp_path):
    text = _error(_copy(tmp_path, _without("Triage", {"triage": None})))
    assert "participants.constants.triage" in text and "an empty triage says 'never triaged'" in text


def test_a_constant_empty_reason_of_stopping_is_not_recorded_and_read(tmp_path):
    df, _ = from_export.load_export_with_history(_copy(tmp_path, _without("Reden stoppen", {"reden_stoppen": None})))
    assert df["reden_stoppen"].isna().all() and len(df) == 30


def _nvt_in(header: str):
    def edit(book):
        for sheet in book.worksheets:
            heads = [c.value for c in sheet[2]]
            if header not in heads:
                continue
            col = heads.index(header) + 1
            for row in range(3, sheet.max_row + 1):
                if sheet.cell(row, 1).value and sheet.cell(row, col).value in (None, ""):
                    sheet.cell(row, col).value = "n.v.t."
    return edit


def test_n_v_t_mapped_to_null_is_an_empty_cell_where_the_column_may_be_empty(tmp_path):
    original, _ = from_export.load_export_with_history(EXPORT)

    def mapping(m):
        m["values"]["reden_stoppen"]["map"]["n.v.t."] = None
    df, _ = from_export.load_export_with_history(_copy(tmp_path, mapping, _nvt_in("Reden stoppen")))
    assert df["reden_stoppen"].equals(original["reden_stoppen"])


def test_a_label_mapped_to_null_in_a_column_that_must_be_filled_is_refused(tmp_path):
    def mapping(m):
        m["values"]["geslacht"]["map"]["n.v.t."] = None
    text = _error(_copy(tmp_path, mapping))
    assert "values.geslacht.map.n.v.t." in text and "geslacht must be filled" in text


def test_the_snapshot_rule_names_the_history_record_not_the_participant_row(tmp_path):
    """Finding 5 (part): a study whose follow-up moves only into work, a move into 'stopped'
    between the snapshot dates in the export's history (row 5 of Statushistorie)."""
    person = []

    def book(b):
        ws = b["Statushistorie"]
        assert ws.cell(5, 3).value == "Nieuwe baan"
        person.append(ws.cell(5, 1).value)  # read from the export, not written here (test_privacy)
        ws.cell(5, 3).value = "Gestopt"
    text = _error(_copy(tmp_path, lambda m: None, book))
    assert "sheet 'Statushistorie', row 5, column 'Status'" in text and "'Gestopt'" in text
    assert f"participant {person[0]}" in text and "follow_up_moves: into_work" in text
