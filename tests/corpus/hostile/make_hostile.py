"""Regenerate the hostile-input corpus in ``tests/corpus/hostile/`` (issue 28): workbooks with
formulas without a computed value, external links, error cells, merged cells, hidden rows
and sheets, zip bombs; binaries named like CSV; ids that differ only by case or spaces; times
of day in date columns; broken and mis-shaped configuration files.

    python tests/corpus/hostile/make_hostile.py

Workbooks are written here byte by byte (a minimal SpreadsheetML package with inline
strings) rather than with openpyxl, which cannot write a cached formula value, an error
cell or a hidden row exactly as Excel does. ``expected.yml`` gives each case's expected
outcome, written by hand from the edit made here, never from the loader's output.
"""

import csv
import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).parent
SOURCE = Path(__file__).parents[3] / "data" / "raw" / "pilot_participants_synthetic.csv"
HISTORY = Path(__file__).parents[3] / "data" / "raw" / "pilot_status_history_synthetic.csv"
STAMP = (2021, 4, 16, 0, 0, 0)  # fixed zip times: the same bytes on every regeneration

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
{sheets}{extra}</Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def col(index: int) -> str:
    out = ""
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def cell_xml(ref: str, value) -> str:
    """A cell: text (inline string), a number, None (no cell), or a dict with ``f``
    (formula), ``v`` (cached value or None) and ``t`` (``e`` for an error, ``str``)."""
    if value is None:
        return ""
    if isinstance(value, dict):
        f = f"<f>{escape(value['f'])}</f>" if "f" in value else ""
        v = value.get("v")
        t = value.get("t")
        attr = f' t="{t}"' if t else ""
        cached = "" if v is None else f"<v>{escape(str(v))}</v>"
        return f'<c r="{ref}"{attr}>{f}{cached}</c>'
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def sheet_xml(rows, merges=(), hidden_rows=(), padding=0) -> bytes:
    body = []
    for r, row in enumerate(rows, start=1):
        hidden = ' hidden="1"' if r in hidden_rows else ""
        cells = "".join(cell_xml(f"{col(c)}{r}", v) for c, v in enumerate(row, start=1))
        body.append(f'<row r="{r}"{hidden}>{cells}</row>')
    merge = (f'<mergeCells count="{len(merges)}">' + "".join(f'<mergeCell ref="{m}"/>' for m in merges)
             + "</mergeCells>") if merges else ""
    pad = "<!--" + " " * padding + "-->" if padding else ""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}" xmlns:r="{REL}">'
            f'{pad}<sheetData>{"".join(body)}</sheetData>{merge}</worksheet>').encode()


def write_xlsx(path: Path, sheets: list[dict], shared_padding: int = 0, external_link: bool = False,
               binary: bool = False) -> None:
    """``sheets``: dicts with ``name``, ``rows`` and optional ``merges``, ``hidden_rows``,
    ``hidden`` (the sheet), ``padding`` (bytes of blank XML comment: a zip bomb)."""
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\n'
                        for i in range(1, len(sheets) + 1))
    extra = ""
    entries = []
    hidden = ' state="hidden"'
    book_sheets = "".join(
        f'<sheet name="{escape(s["name"])}" sheetId="{i}" r:id="rId{i}"{hidden if s.get("hidden") else ""}/>'
        for i, s in enumerate(sheets, start=1))
    rels = "".join(f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                   for i in range(1, len(sheets) + 1))
    if shared_padding:
        extra += ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                  'officedocument.spreadsheetml.sharedStrings+xml"/>\n')
        rels += f'<Relationship Id="rIdS" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
        entries.append(("xl/sharedStrings.xml", (f'<?xml version="1.0"?><sst xmlns="{MAIN}" count="1" '
                                                 f'uniqueCount="1"><!--{" " * shared_padding}--><si><t>x</t></si>'
                                                 "</sst>").encode()))
    if external_link:
        extra += ('<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType="application/vnd.'
                  'openxmlformats-officedocument.spreadsheetml.externalLink+xml"/>\n')
        rels += f'<Relationship Id="rIdX" Type="{REL}/externalLink" Target="externalLinks/externalLink1.xml"/>'
        entries.append(("xl/externalLinks/externalLink1.xml",
                        f'<?xml version="1.0"?><externalLink xmlns="{MAIN}"><externalBook r:id="rId1" '
                        f'xmlns:r="{REL}"/></externalLink>'.encode()))
    book = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{MAIN}" xmlns:r="{REL}">'
            f'<sheets>{book_sheets}</sheets></workbook>')
    if binary:
        entries.append(("xl/workbook.bin", b"\x83\x01\x00binary workbook"))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        def put(name, data):
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data, compresslevel=9)

        put("[Content_Types].xml", CONTENT_TYPES.format(sheets=overrides, extra=extra))
        put("_rels/.rels", ROOT_RELS)
        if not binary:
            put("xl/workbook.xml", book)
        put("xl/_rels/workbook.xml.rels", f'<?xml version="1.0"?><Relationships '
                                          f'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                                          f"{rels}</Relationships>")
        for i, s in enumerate(sheets, start=1):
            put(f"xl/worksheets/sheet{i}.xml", sheet_xml(s["rows"], s.get("merges", ()), s.get("hidden_rows", ()),
                                                         s.get("padding", 0)))
        for name, data in entries:
            put(name, data)


def participant_rows() -> list[list[str]]:
    with open(SOURCE, encoding="utf-8", newline="") as fh:
        return [list(r) for r in csv.reader(fh)]


def write_csv(path: Path, rows: list[list[str]]) -> None:
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    path.write_text(text.getvalue(), encoding="utf-8")


def edited(rows, row: int, column: str, value):
    """A copy of ``rows`` with the cell of data row ``row`` (1-based) in ``column`` replaced."""
    out = [list(r) for r in rows]
    out[row][out[0].index(column)] = value
    return out


def participant_workbooks(out: Path, base: list[list[str]]) -> None:
    age = base[0].index("leeftijd")
    first_age = int(base[2][age])

    def book(name, rows, **sheet):
        write_xlsx(out / name, [dict(name="deelnemers", rows=rows, **sheet)])

    book("px_formula_no_cache.xlsx", edited(base, 2, "leeftijd", {"f": f"{first_age - 5}+5"}))
    book("px_formula_cached.xlsx", edited(base, 2, "leeftijd", {"f": f"{first_age - 5}+5", "v": first_age}))
    book("px_external_link.xlsx", edited(base, 2, "leeftijd", {"f": "[1]Blad1!A1", "v": first_age}))
    book("px_error_na.xlsx", edited(base, 4, "dienstjaren", {"v": "#N/A", "t": "e"}))
    book("px_formula_div0.xlsx", edited(base, 5, "leeftijd", {"f": "1/0", "v": "#DIV/0!", "t": "e"}))
    merged = [list(r) for r in base]
    level = base[0].index("opleidingsniveau")
    merged[3][level] = merged[4][level] = None  # sheet rows 4 and 5: the merged part below I3
    book("px_merged_vertical.xlsx", merged, merges=[f"{col(level + 1)}3:{col(level + 1)}5"])
    book("px_hidden_row.xlsx", base, hidden_rows=[7])
    book("px_time_of_day_text.xlsx", edited(base, 3, "instroomdatum", base[3][3] + " 08:30"))
    write_xlsx(out / "px_hidden_first_sheet.xlsx", [dict(name="deelnemers", rows=base, hidden=True),
                                                    dict(name="Blad2", rows=[["x"]])])
    write_xlsx(out / "px_bomb_second_sheet.xlsx", [dict(name="deelnemers", rows=base),
                                                   dict(name="archief", rows=[["x"]], padding=40_000_000)])
    write_xlsx(out / "px_bomb_first_sheet.xlsx", [dict(name="deelnemers", rows=base, padding=40_000_000)])
    write_xlsx(out / "px_xlsb_inside.xlsx", [dict(name="deelnemers", rows=base)], binary=True)


def participant_texts(out: Path, base: list[list[str]]) -> None:
    write_csv(out / "ids_case.csv", edited(base, 2, "deelnemer_id", base[1][0].lower()))
    write_csv(out / "ids_inner_space.csv", edited(base, 3, "deelnemer_id", base[1][0][:3] + " " + base[1][0][3:]))
    write_csv(out / "ids_trailing_space.csv", edited(base, 2, "deelnemer_id", " " + base[1][0] + " "))
    write_csv(out / "date_time_of_day.csv", edited(base, 2, "instroomdatum", base[2][3] + " 08:30"))  # line 3
    write_csv(out / "date_iso_t.csv", edited(base, 1, "startdatum", base[1][4] + "T10:00:00"))
    out_date = base[1][base[0].index("uitstroomdatum")]
    write_csv(out / "date_time_seconds.csv", edited(base, 1, "uitstroomdatum", out_date + " 23:59:59"))
    midnight = [list(r) for r in base]
    for r in midnight[1:]:
        for c in ("instroomdatum", "startdatum"):
            i = base[0].index(c)
            r[i] = r[i] + " 00:00:00" if r[i] else r[i]
    write_csv(out / "ok_dates_at_midnight.csv", midnight)
    write_xlsx(out / "xlsb_named_csv.csv", [dict(name="deelnemers", rows=base)], binary=True)
    write_xlsx(out / "binary_workbook.xlsb", [dict(name="deelnemers", rows=base)], binary=True)
    with zipfile.ZipFile(out / "spreadsheet.ods", "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype", STAMP), "application/vnd.oasis.opendocument.spreadsheet")


def export_workbooks(out: Path) -> None:
    header = ["Klantnr.", "Leeftijd", "Opleiding", "Status"]
    data = [["K1", 45, "mbo 2", "werk"], ["K2", 51, "hbo", "werk"], ["K3", 38, "vmbo", "zoekend"]]
    rows = [header, *data]

    def book(name, sheet_rows, **kw):
        write_xlsx(out / name, [dict(name="data", rows=sheet_rows, **kw), dict(name="Toelichting", rows=[["x"]])])

    book("ex_formula_no_cache.xlsx", [header, ["K1", {"f": "40+5"}, "mbo 2", "werk"], *data[1:]])
    book("ex_formula_cached.xlsx", [header, ["K1", {"f": "40+5", "v": 45}, "mbo 2", "werk"], *data[1:]])
    book("ex_error_ref.xlsx", [header, ["K1", 45, {"f": "#REF!A1", "v": "#REF!", "t": "e"}, "werk"], *data[1:]])
    book("ex_error_na_plain.xlsx", [header, *data[:2], ["K3", {"v": "#N/A", "t": "e"}, "vmbo", "zoekend"]])
    book("ex_external_link.xlsx", [header, ["K1", {"f": "'[2]Lijst'!B7", "v": 45}, "mbo 2", "werk"], *data[1:]])
    book("ex_merged_rows.xlsx", [header, data[0], ["K2", 51, None, "werk"], data[2]], merges=["C2:C3"])
    book("ex_merged_columns.xlsx", [header, data[0], ["K2", 51, "hbo", None], data[2]], merges=["C3:D3"])
    book("ex_title_merged.xlsx", [["Export casemanagers"], header, *data], merges=["A1:D1"])
    book("ex_hidden_row_with_data.xlsx", rows, hidden_rows=[3])
    book("ex_hidden_empty_row.xlsx", [header, data[0], [], *data[1:]], hidden_rows=[3])
    write_xlsx(out / "ex_hidden_sheet_read.xlsx", [dict(name="data", rows=rows, hidden=True),
                                                   dict(name="Toelichting", rows=[["x"]])])
    write_xlsx(out / "ex_hidden_sheet_ignored.xlsx", [dict(name="data", rows=rows),
                                                      dict(name="oud", rows=rows, hidden=True)])
    write_xlsx(out / "ex_bomb_ignored_sheet.xlsx", [dict(name="data", rows=rows),
                                                    dict(name="archief", rows=[["x"]], padding=60_000_000)])
    write_xlsx(out / "ex_bomb_read_sheet.xlsx", [dict(name="data", rows=rows, padding=60_000_000)])
    write_xlsx(out / "ex_shared_strings_bomb.xlsx", [dict(name="data", rows=rows)], shared_padding=60_000_000)
    write_xlsx(out / "ex_external_link_part.xlsx", [dict(name="data", rows=rows)], external_link=True)
    with zipfile.ZipFile(out / "ex_no_workbook_index.xlsx", "w") as zf:
        zf.writestr(zipfile.ZipInfo("[Content_Types].xml", STAMP), "<Types/>")
    (out / "ex_text_named_xlsx.xlsx").write_text("Klantnr.;Leeftijd\nK1;45\n", encoding="utf-8")
    write_xlsx(out / "ex_zip_named_csv.csv", [dict(name="data", rows=rows)])


def history_texts(out: Path) -> None:
    with open(HISTORY, encoding="utf-8", newline="") as fh:
        rows = [list(r) for r in csv.reader(fh)]
    write_csv(out / "hist_time_of_day.csv", edited(rows, 2, "datum", rows[2][1] + " 08:30"))
    same_day = [list(r) for r in rows] + [[rows[1][0], rows[1][1] + " 17:00", rows[2][2]]]
    same_day[1][1] = rows[1][1] + " 09:00"
    write_csv(out / "hist_two_times_one_day.csv", same_day)
    write_csv(out / "ok_hist_midnight.csv", [rows[0]] + [[r[0], r[1] + " 00:00:00", r[2]] for r in rows[1:]])


CONFIGS = {
    "unclosed_brace.yml": "runs:\n  p:\n    - parameters: {language: nl\n",
    "string_entry.yml": "runs:\n  p:\n    - \"language=en\"\n",
    "list_of_parameters.yml": "runs:\n  p:\n    - parameters: [language, en]\n",
    "top_level_list.yml": "- runs\n- p\n",
    "runs_is_text.yml": "runs: p\n",
    "runs_of_notebook_is_mapping.yml": "runs:\n  p: {parameters: {language: en}}\n",
    "unknown_top_key.yml": "run:\n  p:\n    - {}\n",
    "unknown_entry_key.yml": "runs:\n  p:\n    - parameter: {language: en}\n",
    "suffix_with_slash.yml": "runs:\n  p:\n    - suffix: \"../../etc\"\n",
    "suffix_number.yml": "runs:\n  p:\n    - suffix: 20210416\n",
    "nested_value.yml": "runs:\n  p:\n    - parameters: {language: {nl: 1}}\n",
    "list_of_lists.yml": "runs:\n  p:\n    - parameters: {power_ns: [[30], [100]]}\n",
    "tab_indentation.yml": "runs:\n\tp:\n\t\t- {}\n",
    "alias_bomb.yml": "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [{', '.join([f'*{m}'] * 10)}]\n" for m, n in zip("abcde", "bcdef"))
    + "runs:\n  p:\n    - parameters: {power_ns: *f}\n",
    "many_aliases.yml": "x: &x 1\nruns:\n  p:\n" + "".join(f"    - {{suffix: s{i}, parameters: {{power_sims: *x}}}}\n"
                                                          for i in range(120)),
    "self_reference.yml": "runs: &r\n  p:\n    - parameters: {power_ns: *r}\n",
    "output_dir_set.yml": "runs:\n  p:\n    - parameters: {output_dir: ../..}\n",
    "joint_cutoffs_set.yml": "runs:\n  p:\n    - parameters: {joint_cutoffs: [\"2021-01-01\"]}\n",
    "octal_threshold.yml": "runs:\n  p:\n    - parameters: {min_cell_count: 012}\n",
    "sexagesimal_sims.yml": "runs:\n  p:\n    - parameters: {power_sims: 1:30}\n",
    "bool_threshold.yml": "runs:\n  p:\n    - parameters: {min_cell_count: true}\n",
    "yes_language.yml": "runs:\n  p:\n    - parameters: {language: yes}\n",
    "huge_power_sims.yml": "runs:\n  p:\n    - parameters: {power_sims: 1000000000}\n",
    "processed_in_site.yml": "runs:\n  p:\n    - parameters: {processed_dir: reports/html/data}\n",
    "input_in_reports.yml": "runs:\n  p:\n    - parameters: {participants_path: reports/tables/x.csv}\n",
    "unknown_notebook.yml": "runs:\n  p_typo:\n    - {}\n",
    "duplicate_suffix.yml": "runs:\n  p:\n    - {suffix: en}\n    - {suffix: en}\n",
    "date_typed.yml": "runs:\n  p:\n    - parameters: {cutoff_date: 2021-04-01}\n",
    "ok_empty.yml": "",
    "ok_comment_only.yml": "# nothing configured\n",
    "ok_two_runs.yml": "runs:\n  p:\n    - {}\n    - {suffix: en, parameters: {language: en, min_cell_count: 10}}\n",
}


def configs(out: Path) -> None:
    out.mkdir(exist_ok=True)
    for name, text in CONFIGS.items():
        (out / name).write_text(text, encoding="utf-8")
    (out / "latin1.yml").write_bytes("runs:\n  p:\n    - suffix: caf\xe9\n".encode("latin-1"))


def main() -> None:
    files = HERE / "files"
    files.mkdir(exist_ok=True)
    base = participant_rows()
    participant_workbooks(files, base)
    participant_texts(files, base)
    export_workbooks(files)
    history_texts(files)
    configs(HERE / "config")


if __name__ == "__main__":
    main()
