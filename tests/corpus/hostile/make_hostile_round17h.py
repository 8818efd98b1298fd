"""Hostile inputs, round seventeen (H43n, issue 28's leftovers): on the guide's export (see
``make_hostile_round16.py``, whose helpers this uses), an inflow date 1900-02-28 (Excel's
serial-date edge: its dates before 1 March 1900 are a day off) was blamed on the birth date
and the date of employment counted up to it, not on the inflow date; an Excel error
(``#VALUE!``) or a formula without a computed value in a column the mapping ignores
(``Opmerkingen``) stopped the run. Controls: a birth date after the inflow date (blamed on the
birth date, naming the inflow column), and an Excel error in a column the mapping reads (still
refused), on the guide's export (header row found) and on the shipped synthetic export (header
row named in its mapping). The expected outcomes in ``expected.yml`` are written by hand from the edits. Run
from the project folder: ``.venv/bin/python tests/corpus/hostile/make_hostile_round17h.py``."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

HOSTILE = Path(__file__).resolve().parent
sys.path.insert(0, str(HOSTILE))
import make_hostile_round16 as r16  # noqa: E402
from make_hostile_round3 import cell as synthetic_cell, export_case  # noqa: E402


def cell(header: str, row: int, value):
    """Sheet row ``row`` of the participant sheet's column ``header`` set to ``value``."""
    def edit(book):
        ws = book[r16.P]
        ws.cell(row, r16.column(ws, header)).value = value
    return edit


def main() -> None:
    r16.guide_case("r17h_np_inflow_1900_02_28", cell("Datum aanmelding", 6, datetime(1900, 2, 28)))
    r16.guide_case("r17h_np_birth_after_inflow", cell("Geboortedatum", 7, datetime(2025, 6, 1)))
    r16.guide_case("r17h_np_ignored_column_excel_error_ok", cell("Opmerkingen", 10, "#VALUE!"))
    r16.guide_case("r17h_np_ignored_column_formula_without_value_ok", cell("Opmerkingen", 9, "=1+1"))
    r16.guide_case("r17h_np_read_column_excel_error", cell("Werkgever", 10, "#VALUE!"))
    # the shipped synthetic export, whose mapping names its header row (2): the same two cases
    export_case("r17h_exp_read_column_excel_error", synthetic_cell("Jansen (UWV)", "F3", "#N/A"))
    export_case("r17h_exp_ignored_column_excel_error_ok", synthetic_cell("Jansen (UWV)", "S3", "#N/A"))
    export_case("r17h_exp_read_column_formula_without_value", synthetic_cell("Jansen (UWV)", "F4", "=40+5"))


if __name__ == "__main__":
    main()
