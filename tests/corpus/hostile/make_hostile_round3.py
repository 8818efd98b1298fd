"""Regenerate the third round of the hostile-input corpus (issue 28): used ranges stretched to
XFD1048576, files in two encodings, and case-manager exports read through their mapping
(``exports/<case>/export.xlsx`` with ``export.mapping.yml``) with ambiguous or mixed date
formats, times of day, ids outside the schema's characters, patterns that backtrack
catastrophically, mapping files that are no mapping, and sources that are no file.

    python tests/corpus/hostile/make_hostile_round3.py

Each export case is the shipped synthetic export (``data/raw/pilot_export_synthetic.xlsx``)
with one edit, made here with openpyxl and written with fixed zip times and properties (the
same bytes on every regeneration). ``expected.yml`` gives each case's expected outcome,
written by hand from the edit made here, never from the loader's output.
"""

import io
import re
import shutil
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl

sys.path.insert(0, str(Path(__file__).parent))
from make_hostile import HERE, SOURCE, STAMP, participant_rows, write_xlsx  # noqa: E402

ROOT = Path(__file__).parents[3]
EXPORT = ROOT / "data" / "raw" / "pilot_export_synthetic.xlsx"
MAPPING = ROOT / "data" / "raw" / "pilot_export_synthetic.mapping.yml"
STRETCHED = b'<dimension ref="A1:XFD1048576"/>'


def normalised(path: Path, edit_part=None) -> None:
    """Rewrite ``path`` with fixed zip times and the shipped export's document properties;
    ``edit_part(name, data)`` may change a part's bytes."""
    with zipfile.ZipFile(EXPORT) as zf:
        core = zf.read("docProps/core.xml")
    with zipfile.ZipFile(path) as zf:
        parts = [(i.filename, zf.read(i.filename)) for i in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in parts:
            data = core if name == "docProps/core.xml" else data
            if edit_part is not None:
                data = edit_part(name, data)
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data, compresslevel=9)


def stretch(data: bytes) -> bytes:
    """A sheet's used range stated as the whole grid, A1:XFD1048576."""
    if b"<dimension " in data:
        return re.sub(rb"<dimension [^>]*/>", STRETCHED, data)
    return data.replace(b"<sheetData", STRETCHED + b"<sheetData", 1)


def export_case(name: str, edit=None, mapping_edit=None, part_edit=None) -> Path:
    """``exports/<name>/``: the synthetic export after ``edit(book)`` and its mapping after
    ``mapping_edit(text)``."""
    folder = HERE / "exports" / name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    export = folder / "export.xlsx"
    if edit is None:
        shutil.copyfile(EXPORT, export)
        if part_edit is not None:
            normalised(export, part_edit)
    else:
        book = openpyxl.load_workbook(EXPORT)
        edit(book)
        book.save(export)
        normalised(export, part_edit)
    text = MAPPING.read_text(encoding="utf-8").replace("source: pilot_export_synthetic.xlsx", "source: export.xlsx")
    if mapping_edit is not None:
        text = mapping_edit(text)
    if isinstance(text, bytes):
        (folder / "export.mapping.yml").write_bytes(text)
    else:
        (folder / "export.mapping.yml").write_text(text, encoding="utf-8")
    return folder


def cell(sheet: str, ref: str, value):
    def edit(book):
        book[sheet][ref] = value
    return edit


def formats(*fmts: str):
    listed = ", ".join(f'"{f}"' for f in fmts)
    return lambda text: text.replace('date_formats: ["%d-%m-%Y"]', f"date_formats: [{listed}]")


def extra_pattern(rx: str):
    """A fourth pattern under values.opleidingsniveau.patterns (index 3)."""
    anchor = '      - {match: "^(hbo|wo\\\\b|universiteit|bachelor|master)", value: hoog}\n'

    def edit(text):
        assert anchor in text, "the shipped mapping changed: update make_hostile_round3.py"
        return text.replace(anchor, anchor + f"      - {{match: '{rx}', value: laag}}\n")
    return edit


def exports() -> None:
    # De Vries (gemeente): Datum aanmelding is text (C3..C9); Jansen (UWV): Excel dates (C3..C16)
    def ambiguous(book):
        ws = book["De Vries (gemeente)"]
        for row, text in zip(range(3, 10), ["03-11-2020", "05-11-2020", "10-10-2020", "01-12-2020", "11-11-2020",
                                            "02-10-2020", "12-11-2020"]):
            ws[f"C{row}"] = text
    export_case("exp_dates_ambiguous", ambiguous, formats("%d-%m-%Y", "%m-%d-%Y"))
    export_case("exp_dates_two_formats_in_one_column", cell("De Vries (gemeente)", "C3", "2020-10-13"),
                formats("%d-%m-%Y", "%Y-%m-%d"))
    export_case("exp_dates_formats_reordered_ok", None, formats("%Y-%m-%d", "%m-%d-%Y", "%d-%m-%Y"))
    export_case("exp_date_format_two_digit_year", None, formats("%d-%m-%y"))
    export_case("exp_date_format_without_year", None, formats("%d-%m-%Y", "%d-%m"))
    export_case("exp_time_of_day_text", cell("De Vries (gemeente)", "C3", "13-10-2020 08:30"))
    export_case("exp_time_of_day_excel", cell("Jansen (UWV)", "C3", datetime(2020, 9, 12, 8, 30)))
    export_case("exp_long_date_text", cell("De Vries (gemeente)", "C3", "1 " * 20_000 + "08:30"))
    export_case("exp_midnight_text_ok", cell("De Vries (gemeente)", "C3", "13-10-2020 00:00"))
    export_case("exp_history_time_of_day", cell("Statushistorie", "B3", datetime(2020, 10, 26, 9, 15)))
    export_case("exp_services_time_of_day", cell("Dienstverlening", "C2", datetime(2020, 9, 23, 14, 0)))
    export_case("exp_id_bad_characters", cell("Jansen (UWV)", "A3", "SYN0001;DROP"))
    export_case("exp_id_zero_width_space", cell("Jansen (UWV)", "A3", "SYN0001\u200b"))
    export_case("exp_id_case_variant", cell("De Vries (gemeente)", "A3", "syn0001"))
    export_case("exp_id_nbsp_ok", cell("Jansen (UWV)", "A3", "SYN0001\u00a0"))
    export_case("exp_history_id_bad_characters", cell("Statushistorie", "A2", "SYN0001<b>"))
    export_case("exp_services_id_inner_space", cell("Dienstverlening", "A2", "SYN 0001"))
    export_case("exp_redos_nested", None, extra_pattern("^(a+)+$"))
    export_case("exp_redos_alternation", None, extra_pattern("^(vmbo|vmbo-bb)*$"))
    export_case("exp_redos_polynomial", None, extra_pattern(".*v.*m.*b"))
    export_case("exp_redos_skip_rows", None, lambda t: t.replace(
        "  header_row: 2  # row 1", "  skip_rows: ['^(\\s*totaal)+']\n  header_row: 2  # row 1"))
    export_case("exp_long_label", cell("Jansen (UWV)", "G3", "a" * 250 + "!"))
    export_case("exp_dimension_stretched_ok", None, None,
                lambda name, data: stretch(data) if name.startswith("xl/worksheets/") else data)
    export_case("exp_mapping_latin1", None, lambda t: t.encode("latin-1"))
    export_case("exp_mapping_huge", None, lambda t: t + "#" + " " * 1_100_000 + "\n")
    bomb = "".join(f"{n}: &{n} [{', '.join([f'*{m}'] * 10)}]\n" for m, n in zip("abcde", "bcdef"))
    export_case("exp_mapping_alias_bomb", None,
                lambda t: "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + bomb + t.replace(
                    "    unmapped: [onbekend, zie dossier]", "    unmapped: *f"))
    export_case("exp_source_dev_zero", None, lambda t: t.replace("source: export.xlsx", "source: /dev/zero"))
    export_case("exp_source_proc", None, lambda t: t.replace("source: export.xlsx", "source: /proc/self/environ"))
    export_case("exp_source_folder", None, lambda t: t.replace("source: export.xlsx", "source: ."))

    def archive_bomb(book):
        book.create_sheet("Archief")["A1"] = "oud"

    def pad_archive(name, data):
        if name == "xl/worksheets/sheet8.xml":
            return data.replace(b"<sheetData", b"<!--" + b" " * 60_000_000 + b"--><sheetData", 1)
        return data
    export_case("exp_ignored_sheet_bomb_ok", archive_bomb,
                lambda t: t.replace("ignore_sheets: [Toelichting]", "ignore_sheets: [Toelichting, Archief]"),
                pad_archive)


def files() -> None:
    out = HERE / "files"
    base = participant_rows()
    write_xlsx(out / "px_dimension_stretched.xlsx", [dict(name="deelnemers", rows=base)])
    normalised_sheet(out / "px_dimension_stretched.xlsx")
    write_xlsx(out / "px_far_cell.xlsx", [dict(name="deelnemers", rows=base)])
    normalised_sheet(out / "px_far_cell.xlsx", far=True)
    wide = [list(r) for r in base]
    wide[3] = wide[3] + [None, "zie dossier"]  # sheet row 4: a note two columns right of the last header
    write_xlsx(out / "px_cell_right_of_table.xlsx", [dict(name="deelnemers", rows=wide)])
    header = ["Klantnr.", "Leeftijd", "Opleiding", "Status"]
    data = [["K1", 45, "mbo 2", "werk"], ["K2", 51, "hbo", "werk"], ["K3", 38, "vmbo", "zoekend"]]
    write_xlsx(out / "ex_dimension_stretched.xlsx", [dict(name="data", rows=[header, *data])])
    normalised_sheet(out / "ex_dimension_stretched.xlsx")
    write_xlsx(out / "ex_far_cell.xlsx", [dict(name="data", rows=[header, *data])])
    normalised_sheet(out / "ex_far_cell.xlsx", far=True)  # and a filled cell at XFD1048576
    raw = SOURCE.read_bytes()
    last = raw.rfind("é".encode())  # the last é of the file (line 16) in Windows-1252, the others UTF-8
    (out / "mixed_encoding.csv").write_bytes(raw[:last] + "é".encode("cp1252") + raw[last + 2:])
    (out / "ok_cp1252.csv").write_bytes(raw.decode("utf-8").encode("cp1252"))
    text = "Klantnr.;Opleiding;Geïnterviewd\nK1;mbo 2;ja\nK2;hbo;nee\n"
    lines = text.splitlines(keepends=True)
    (out / "ex_mixed_encoding.csv").write_bytes(lines[0].encode("cp1252") + "".join(lines[1:]).encode("utf-8")
                                                + "K3;basisschool één;ja\n".encode())


FAR_ROW = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>einde</t></is></c></row>'


def texts() -> None:
    out = HERE / "files"
    (out / "ex_csv_huge_field.csv").write_text("Klantnr.;Opmerkingen\nK1;" + "x" * 200_000 + "\n", encoding="utf-8")
    (out / "ex_csv_nul.csv").write_bytes(b"Klantnr.;Leeftijd\nK1;4\x005\n")
    raw = SOURCE.read_bytes()
    last = raw.rfind("é".encode())
    (out / "bom_then_cp1252.csv").write_bytes(b"\xef\xbb\xbf" + raw[:last] + "é".encode("cp1252") + raw[last + 2:])
    (HERE / "config" / "huge.yml").write_text("runs:\n  p:\n    - {}\n#" + " " * 1_100_000 + "\n", encoding="utf-8")


def studies() -> None:
    """Study files given as ``-p study=<path>``."""
    out = HERE / "studies"
    out.mkdir(exist_ok=True)
    shipped = (ROOT / "studies" / "catering_noordoost_brabant_2021.yml").read_text(encoding="utf-8")
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [{', '.join([f'*{m}'] * 10)}]\n" for m, n in zip("abcdefg", "bcdefgh"))
    (out / "alias_bomb.yml").write_text(bomb + "employers: *h\n", encoding="utf-8")
    (out / "wrong_id.yml").write_text(shipped, encoding="utf-8")  # its id is not its file name
    (out / "latin1.yml").write_bytes(shipped.replace("id: catering", "# caf\xe9\nid: catering").encode("latin-1"))


def normalised_sheet(path: Path, far: bool = False) -> None:
    """The first sheet's used range stretched to A1:XFD1048576 (rewritten in place); with
    ``far`` a filled cell in that last cell too."""
    with zipfile.ZipFile(path) as zf:
        parts = [(i, zf.read(i.filename)) for i in zf.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for info, data in parts:
            if info.filename == "xl/worksheets/sheet1.xml":
                data = stretch(data)
                if far:
                    data = data.replace(b"</sheetData>", FAR_ROW + b"</sheetData>")
            zf.writestr(info, data, compresslevel=9)
    path.write_bytes(buffer.getvalue())


def main() -> None:
    (HERE / "exports").mkdir(exist_ok=True)
    exports()
    files()
    texts()
    studies()


if __name__ == "__main__":
    main()
