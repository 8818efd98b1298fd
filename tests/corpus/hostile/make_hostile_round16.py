"""Hostile inputs, round sixteen (H40n, issues 24 and 28): text dates with Dutch month names,
a status change dated far after the follow-up date (2042 typed for 2024), an inflow date after
the study's window, Excel's ``sep=;`` line above a CSV header, and the round's eight untested
new-pilot cases (a stop reason, two notes columns, Excel dates in the history, two statuses on
one day, repeated service sessions, a person who never started with a start date, a start
before the inflow, a gap before the first record).

Export cases named ``r16_np_*`` are the guide's export (``tests/new_pilot_export.py``, the
printing pilot of ``docs/new-pilot.md``) with the guide's completed mapping
(``tests/test_new_pilot_guide.py``), read under the guide's study, whose file is copied from
the guide into the case folder (route ``export_study``); each has one edit, named in its
docstring. The expected outcomes in ``expected.yml`` are written by hand from these edits
(the people are the guide's: ``new_pilot_export.people()``). Run from the project folder:
``.venv/bin/python tests/corpus/hostile/make_hostile_round16.py``."""

from __future__ import annotations

import re
import shutil
import sys
from datetime import datetime, timedelta
from pathlib import Path

import openpyxl

HOSTILE = Path(__file__).resolve().parent
ROOT = HOSTILE.parents[2]
sys.path.insert(0, str(HOSTILE))
sys.path.insert(0, str(ROOT / "tests"))
import new_pilot_export as npe  # noqa: E402
from make_hostile_round3 import export_case, normalised  # noqa: E402

GUIDE = (ROOT / "docs" / "new-pilot.md").read_text(encoding="utf-8")
STUDY = next(b for b in re.findall(r"```yaml\n(.*?)```", GUIDE, re.S) if b.startswith("id: "))
PEOPLE = npe.people()
P, H, S = "Deelnemers", "Statuswijzigingen", "Dienstverlening"
DUTCH = "januari februari maart april mei juni juli augustus september oktober november december".split()
DUTCH_SHORT = ("jan.", "Feb", "mrt.", "APR", "mei", "jun", "jul.", "aug", "sept.", "okt", "nov.", "dec")


def guide_mapping() -> str:
    """The guide's completed mapping, as its test writes it (read from the test's source: importing
    the test would need the package)."""
    source = (ROOT / "tests" / "test_new_pilot_guide.py").read_text(encoding="utf-8")
    return re.search(r'MAPPING = """\\\n(.*?)"""', source, re.S).group(1)


def guide_case(name: str, edit=None, mapping_edit=None) -> None:
    """``exports/<name>/``: the guide's export after ``edit(book)``, its mapping after
    ``mapping_edit(text)`` and the guide's study file."""
    folder = HOSTILE / "exports" / name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    npe.write_export(folder / "export.xlsx", PEOPLE)
    if edit is not None:
        book = openpyxl.load_workbook(folder / "export.xlsx")
        edit(book)
        book.save(folder / "export.xlsx")
    normalised(folder / "export.xlsx")
    text = guide_mapping()
    (folder / "export.mapping.yml").write_text(text if mapping_edit is None else mapping_edit(text), encoding="utf-8")
    (folder / "drukkerij_zwolle_2024.yml").write_text(STUDY, encoding="utf-8")


def column(ws, header: str) -> int:
    return next(c.column for c in ws[npe.HEADER_ROW] if c.value == header)


def person_row(ws, pid: str) -> int:
    return next(r for r in range(npe.HEADER_ROW + 1, ws.max_row + 1) if ws.cell(r, 1).value == pid)


def with_formats(*formats: str):
    def edit(text: str) -> str:
        return text.replace('date_formats: ["%d-%m-%Y"]', f"date_formats: [{', '.join(map(repr, formats))}]")
    return edit


def history_dates(write):
    """Every text date of the status changes rewritten by ``write(date, row)``."""
    def edit(book):
        for i, row in enumerate(book[H].iter_rows(min_row=2)):
            row[1].value = write(datetime.strptime(row[1].value, "%d-%m-%Y"), i)
    return edit


def dutch_full(day: datetime, _i: int) -> str:
    return f"{day.day} {DUTCH[day.month - 1]} {day.year}"


def dutch_short(day: datetime, i: int) -> str:
    """``07 mrt. 2024``, ``7 MEI 2024``...: the abbreviations of :data:`DUTCH_SHORT`, with and
    without a dot, in three cases, the day with and without its zero."""
    return f"{day.day:02d} {DUTCH_SHORT[day.month - 1]} {day.year}" if i % 2 else \
        f"{day.day} {DUTCH_SHORT[day.month - 1].rstrip('.').upper()} {day.year}"


def month_typo(book):
    """The status change on row 3 (K1000's second) written ``15 marz 2024`` among Dutch names."""
    history_dates(dutch_full)(book)
    book[H]["B3"] = "15 marz 2024"


def stopped_reason(book):
    """``Reden uitval`` = ``Gezondheid`` on the rows of the two persons who dropped out (K2517, K2554)."""
    ws = book[P]
    for pid in ("K2517", "K2554"):
        ws.cell(person_row(ws, pid), column(ws, "Reden uitval")).value = "Gezondheid"


def map_stop_reason(text: str) -> str:
    """The guide's mapping with ``Gezondheid`` mapped to the study's stop reason ``gezondheid``."""
    return text.replace("  gevonden_via: {map:",
                        "  reden_stoppen: {map: {Gezondheid: gezondheid}}\n  gevonden_via: {map:")


def notes_twice(book):
    """A second ``Opmerkingen`` column after the last one, with one note (row 5)."""
    ws = book[P]
    at = ws.max_column + 1
    ws.cell(npe.HEADER_ROW, at).value = "Opmerkingen"
    ws.cell(npe.HEADER_ROW + 1, at).value = "tweede notitie"


def history_excel_dates(book):
    """Every date of the status changes as an Excel date cell (format dd-mm-yyyy)."""
    for row in book[H].iter_rows(min_row=2):
        row[1].value = datetime.strptime(row[1].value, "%d-%m-%Y")
        row[1].number_format = "dd-mm-yyyy"


def two_statuses_one_day(book):
    """K1000's second status change (row 3) copied below with the status ``Afgehaakt``."""
    ws = book[H]
    ws.append([ws["A3"].value, ws["B3"].value, "Afgehaakt"])


def sessions_repeated(book):
    """The first service record (row 2) entered twice more: three sessions of one service."""
    ws = book[S]
    row = [c.value for c in ws[2]]
    ws.append(row)
    ws.append(row)


def not_started_with_start(book):
    """K2591 (never started) given a ``Start traject`` on its inflow date."""
    ws = book[P]
    person = next(p for p in PEOPLE if p["id"] == "K2591")
    ws.cell(person_row(ws, "K2591"), column(ws, "Start traject")).value = person["inflow"].strftime("%d-%m-%Y")


def start_before_inflow(book):
    """K1296 (inflow 7 February 2024) given the start 2 February 2024, after the pilot's start."""
    ws = book[P]
    person = next(p for p in PEOPLE if p["id"] == "K1296")
    ws.cell(person_row(ws, "K1296"), column(ws, "Start traject")).value = \
        (person["inflow"] - timedelta(days=5)).strftime("%d-%m-%Y")


def gap_before_first_record(book):
    """K1000's first status change moved ten days after its inflow (no status for ten days)."""
    row = next(r for r in book[H].iter_rows(min_row=2) if r[0].value == "K1000")
    row[1].value = (datetime.strptime(row[1].value, "%d-%m-%Y") + timedelta(days=10)).strftime("%d-%m-%Y")


def dated(text: str, status: str = "Zoekend"):
    """A status change of K1592 (back in the trajectory since August 2024) appended, dated ``text``."""
    def edit(book):
        book[H].append(["K1592", text, status])
    return edit


def inflow_after_window(book):
    """K1185's ``Datum aanmelding`` (row 10) set to 15 June 2024, after the inflow window (to 30 April)."""
    ws = book[P]
    ws.cell(10, column(ws, "Datum aanmelding")).value = datetime(2024, 6, 15)


def ended_job_kept(book):
    """K1592 (in work from 30 June, back to Zoekend on 4 August 2024) keeps the ended job's sector,
    contract and how it was found: Logistiek, Tijdelijk, Casemanager."""
    ws = book[P]
    r = person_row(ws, "K1592")
    for header, value in (("Sector nieuwe baan", "Logistiek"), ("Contractvorm", "Tijdelijk"),
                          ("Baan gevonden via", "Casemanager")):
        ws.cell(r, column(ws, header)).value = value


def synthetic_future_record(book):
    """SYN0001's first status record copied below the Statushistorie sheet dated 10 January 2042."""
    ws = book["Statushistorie"]
    row = [c.value for c in ws[2]]
    ws.append([row[0], datetime(2042, 1, 10), *row[2:]])
    ws.cell(ws.max_row, 2).number_format = ws.cell(2, 2).number_format


def sep_hint_file() -> None:
    """``files/r16_sep_hint.csv``: the synthetic participant file with ``;`` as separator and
    Excel's ``sep=;`` line above the header."""
    text = (ROOT / "data" / "raw" / "pilot_participants_synthetic.csv").read_text(encoding="utf-8")
    assert '"' not in text, "the shipped file gained quotes: update make_hostile_round16.py"
    (HOSTILE / "files" / "r16_sep_hint.csv").write_text("sep=;\n" + text.replace(",", ";"), encoding="utf-8")


def main() -> None:
    guide_case("r16_np_base")
    guide_case("r16_np_history_dutch_months", history_dates(dutch_full), with_formats("%d-%m-%Y", "%d %B %Y"))
    guide_case("r16_np_history_dutch_abbreviations", history_dates(dutch_short), with_formats("%d-%m-%Y", "%d %b %Y"))
    guide_case("r16_np_history_month_typo", month_typo, with_formats("%d-%m-%Y", "%d %B %Y"))
    guide_case("r16_np_history_month_name_unformatted", history_dates(dutch_full))
    guide_case("r16_np_history_2042", dated("10-01-2042"))
    guide_case("r16_np_history_just_after_follow_up", dated("10-01-2025"))
    guide_case("r16_np_inflow_after_window", inflow_after_window)
    guide_case("r16_np_stop_reason_mapped", stopped_reason, map_stop_reason)
    guide_case("r16_np_stop_reason_unmapped", stopped_reason)
    guide_case("r16_np_notes_twice", notes_twice)
    guide_case("r16_np_history_excel_dates", history_excel_dates)
    guide_case("r16_np_two_statuses_one_day", two_statuses_one_day)
    guide_case("r16_np_service_sessions_repeated", sessions_repeated)
    guide_case("r16_np_not_started_with_start", not_started_with_start)
    guide_case("r16_np_start_before_inflow", start_before_inflow)
    guide_case("r16_np_gap_before_first_record", gap_before_first_record)
    guide_case("r16_np_ended_job_kept", ended_job_kept)
    export_case("r16_exp_history_2042", synthetic_future_record)
    sep_hint_file()


if __name__ == "__main__":
    main()
