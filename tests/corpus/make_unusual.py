"""Regenerate the corpus of malformed and unusual inputs in ``tests/corpus/unusual/`` from the
synthetic participant file (CSV, Excel, Parquet: encodings, sheets, dates, numbers,
structure).

    python tests/corpus/make_unusual.py

``unusual/expected.yml`` gives each file's expected outcome, written by hand from the edit
made here (not from the loader's output): ``ok`` (loads to the same data as the synthetic
file), ``onbekend`` (the same data but the cell ``column``, ``row`` (1-based data row)
read as onbekend) or ``error`` with the fragments the message must contain and the number of problems.
"""

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

HERE = Path(__file__).parent / "unusual"
SOURCE = Path(__file__).parents[2] / "data" / "raw" / "pilot_participants_synthetic.csv"


def typed(base: pd.DataFrame) -> pd.DataFrame:
    """The synthetic file with numbers, dates and yes/no as typed values (as Excel holds them)."""
    df = base.copy()
    for c in ("instroomdatum", "startdatum", "uitstroomdatum"):
        df[c] = pd.to_datetime(df[c].replace("", None))
    for c in df.columns:
        if set(df[c]) <= {"true", "false"}:
            df[c] = df[c] == "true"
    df["leeftijd"] = df["leeftijd"].astype(int)
    df["dienstjaren"] = df["dienstjaren"].astype(float)
    return df


def csv_text(df: pd.DataFrame, sep: str = ",") -> str:
    return df.to_csv(index=False, sep=sep, lineterminator="\n")


def write_csv_files(base: pd.DataFrame) -> None:
    def text(name, content):
        (HERE / name).write_text(content, encoding="utf-8")

    def edit(row, col, value, df=None):
        df = (base if df is None else df).copy()
        df.loc[row, col] = value
        return df

    nl = base.copy()
    nl["dienstjaren"] = nl["dienstjaren"].str.replace(".", ",", regex=False)
    text("semicolon_decimal_point.csv", csv_text(edit(3, "dienstjaren", "3.4", nl), ";"))
    text("empty_required_yes_no.csv", csv_text(edit(4, "dv_coaching", "")))
    text("ambiguous_slash_date.csv", csv_text(edit(5, "instroomdatum", "04/11/2020")))
    late = base.index[pd.to_datetime(base.instroomdatum).dt.day > 12]
    text("ok_unambiguous_slash_dates.csv", csv_text(base.assign(instroomdatum=base.instroomdatum.where(
        ~base.index.isin(late), pd.to_datetime(base.instroomdatum).dt.strftime("%d/%m/%Y")))))
    text("date_9999.csv", csv_text(edit(6, "uitstroomdatum", "31-12-9999")))
    text("date_1899.csv", csv_text(edit(6, "instroomdatum", "1899-12-31")))
    text("us_date.csv", csv_text(edit(7, "instroomdatum", "10/31/2020")))
    text("space_inside_number.csv", csv_text(edit(8, "leeftijd", "4 5")))
    text("decimal_comma_in_comma_file.csv", csv_text(edit(9, "dienstjaren", "3,5")))
    text("english_thousands.csv", csv_text(edit(9, "dienstjaren", "1,245")))
    text("age_with_decimals.csv", csv_text(edit(10, "leeftijd", "45.5")))
    text("triage_with_decimals.csv", csv_text(edit(11, "triage", "2.5")))
    text("negative_age.csv", csv_text(edit(12, "leeftijd", "-45")))
    text("blank_required_category.csv", csv_text(edit(13, "geslacht", "   ")))
    text("na_word_in_required.csv", csv_text(edit(14, "geslacht", "NA")))
    lines = csv_text(base).splitlines(keepends=True)
    text("extra_field_in_row.csv", "".join(lines[:5] + [lines[5].rstrip("\n") + ",extra\n"] + lines[6:]))
    text("missing_field_in_row.csv", "".join(lines[:7] + [lines[7].rsplit(",", 1)[0] + "\n"] + lines[8:]))
    text("unbalanced_quote.csv", "".join(lines[:9] + ['"' + lines[9]] + lines[10:]))
    text("title_above_header.csv", "Deelnemers pilot VWNW, stand april 2021\n" + csv_text(base))
    text("header_and_data_separators_differ.csv", ";".join(base.columns) + "\n" + "".join(lines[1:]))
    text("huge_field.csv", csv_text(edit(2, "functie", "x" * 100_000)))
    text("html_saved_as_csv.csv", "<html><body><table><tr><td>deelnemer_id</td></tr></table></body></html>\n")
    text("formula_text_in_number.csv", csv_text(edit(15, "leeftijd", "=40+5")))
    (HERE / "utf16_without_bom.csv").write_bytes(csv_text(base).encode("utf-16-le"))
    (HERE / "binary_garbage.csv").write_bytes(bytes(range(256)) * 4)
    (HERE / "ok_utf16_tab.csv").write_bytes(csv_text(base, "\t").encode("utf-16"))  # Excel "Unicode text"
    (HERE / "ok_crlf_blank_lines.csv").write_bytes(("\r\n".join(csv_text(base).splitlines()) + "\r\n\r\n\r\n").encode())
    (HERE / "ok_all_fields_quoted.csv").write_text(base.to_csv(index=False, quoting=1, lineterminator="\n"))


def write_format_mixups(base: pd.DataFrame) -> None:
    (HERE / "csv_named_xlsx.xlsx").write_text(csv_text(base))
    base.to_excel(HERE / "xlsx_named_csv.csv", index=False, engine="openpyxl")
    (HERE / "old_excel.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    base.to_parquet(HERE / "parquet_named_csv.csv", index=False)
    base.to_parquet(HERE / "parquet_named_xlsx.xlsx", index=False)


def write_excel_files(base: pd.DataFrame) -> None:
    t = typed(base)
    with pd.ExcelWriter(HERE / "excel_data_on_second_sheet.xlsx") as xw:
        pd.DataFrame().to_excel(xw, sheet_name="Blad1", index=False)
        t.to_excel(xw, sheet_name="deelnemers", index=False)
    t.head(0).to_excel(HERE / "excel_header_only.xlsx", index=False)
    t.astype(object).assign(leeftijd=[*t.leeftijd[:3], "vijftig", *t.leeftijd[4:]]).to_excel(
        HERE / "excel_text_in_number.xlsx", index=False)
    t.astype(object).assign(instroomdatum=["04/11/2020", *t.instroomdatum[1:]]).to_excel(
        HERE / "excel_ambiguous_text_date.xlsx", index=False)
    far = t.astype(object)
    far.loc[5, "uitstroomdatum"] = pd.Timestamp("2262-01-01").to_pydatetime().replace(year=9999)
    far.to_excel(HERE / "excel_date_9999.xlsx", index=False)
    t.astype(object).assign(dv_coaching=[True, None, *t.dv_coaching[2:]]).to_excel(
        HERE / "excel_empty_required_yes_no.xlsx", index=False)
    pd.concat([t, t[["leeftijd"]]], axis=1).to_excel(HERE / "excel_duplicate_column.xlsx", index=False)
    t.astype(object).assign(leeftijd=["#DIV/0!", *t.leeftijd[1:]]).to_excel(
        HERE / "excel_error_value.xlsx", index=False)
    t.to_excel(HERE / "ok_excel_typed.xlsx", index=False)
    data = (HERE / "ok_excel_typed.xlsx").read_bytes()
    (HERE / "excel_truncated.xlsx").write_bytes(data[: len(data) // 2])
    with pd.ExcelWriter(HERE / "ok_excel_two_sheets.xlsx") as xw:
        t.to_excel(xw, sheet_name="deelnemers", index=False)
        pd.DataFrame({"toelichting": ["codes: zie codeboek"]}).to_excel(xw, sheet_name="notities", index=False)


def write_parquet_files(base: pd.DataFrame) -> None:
    t = typed(base)
    tz = t.copy()
    tz["instroomdatum"] = tz["instroomdatum"].dt.tz_localize("Europe/Amsterdam")
    tz.to_parquet(HERE / "parquet_timezone_aware.parquet", index=False)
    t.to_parquet(HERE / "ok_parquet_typed.parquet", index=False)
    base.to_parquet(HERE / "ok_parquet_text.parquet", index=False)
    data = (HERE / "ok_parquet_typed.parquet").read_bytes()
    (HERE / "parquet_truncated.parquet").write_bytes(data[: len(data) // 2])
    table = pa.Table.from_pandas(t, preserve_index=False)
    dup = pa.Table.from_arrays(table.columns + [table.column("leeftijd")], names=table.schema.names + ["leeftijd"])
    pq.write_table(dup, HERE / "parquet_duplicate_field.parquet")
    t.assign(leeftijd=t.leeftijd.astype(str).where(t.index != 2, "vijftig")).to_parquet(
        HERE / "parquet_text_in_number.parquet", index=False)
    t.drop(columns=["triage"]).to_parquet(HERE / "parquet_missing_column.parquet", index=False)
    far = pa.Table.from_pandas(base, preserve_index=False)
    import datetime as dt

    dates = pa.array([dt.date(9999, 12, 31)] + [dt.date(2020, 10, 1)] * (len(base) - 1), pa.date32())
    far = far.set_column(far.schema.get_field_index("instroomdatum"), "instroomdatum", dates)
    pq.write_table(far, HERE / "parquet_date_9999.parquet")


def write_unrecorded(base: pd.DataFrame) -> None:
    """The first person in work on 16 April 2021 with an empty sector, and one with an empty
    contract: not recorded, read as onbekend (newpilot2, F14)."""
    working = base.index[base.status_20210416.isin(["nieuwe_baan", "werk_en_scholing"])]
    for name, row, column in (("worker_sector_not_recorded.csv", working[0], "sector_nieuw"),
                              ("worker_contract_not_recorded.csv", working[1], "contract_nieuw")):
        df = base.copy()
        df.loc[row, column] = ""
        df.to_csv(HERE / name, index=False, lineterminator="\n")


def main() -> None:
    HERE.mkdir(exist_ok=True)
    base = pd.read_csv(SOURCE, dtype=str, keep_default_na=False)
    write_csv_files(base)
    write_format_mixups(base)
    write_excel_files(base)
    write_parquet_files(base)
    write_unrecorded(base)


if __name__ == "__main__":
    main()
