"""How a table's XLSX reads in a spreadsheet (review 12, downloads): the header row frozen, each
column as wide as its longest cell (within ``MAX_WIDTH``), whole numbers with the number format
``0`` and numbers with one decimal ``0.0`` (Excel shows the reader's own decimal mark), and a
sheet ``toelichting`` (Dutch file) or ``notes`` (English file) saying what ``x`` and an empty
cell mean and where the table comes from. The cells themselves are not changed: a program reads
the sheet ``tabel`` from its first row as before. Pure on the workbook given."""

from __future__ import annotations

from openpyxl.utils import get_column_letter

MIN_WIDTH, MAX_WIDTH = 6, 60
NOTES_SHEET = {"nl": "toelichting", "en": "notes"}
NOTES = {
    "nl": ("x: niet getoond, minder dan de drempel aan personen (of af te leiden uit zo'n cel)",
           "leeg: niet van toepassing of niet berekend",
           "Een aandeel met '%' als eenheid in de kop (zoals '% van totaal' of 'Aandeel (%)') is een percentage; "
           "elk ander aandeel, ook een grens van een 95%-BI, is een fractie: 0,7 is 70% op de pagina",
           "Getallen met ten hoogste zes significante cijfers (de pagina rondt af)",
           "Codes staan in de kolommen '(code)', voor programma's; het blad 'provenance' noemt de bron"),
    "en": ("x: not shown, fewer persons than the threshold (or derivable from such a cell)",
           "empty: not applicable or not computed",
           "A share with '%' as the unit in its header (as '% of total' or 'Share (%)') is a percentage; "
           "every other share, a bound of a 95% CI included, is a fraction: 0.7 is 70% on the page",
           "Numbers with at most six significant digits (the page rounds them)",
           "Codes are in the '(code)' columns, for programs; the sheet 'provenance' names the source"),
}


def number_format(values: list) -> str | None:
    """The format of a column's numbers: ``0`` for whole numbers, ``0.0`` for numbers with one
    decimal at most, None (General) for anything else or a column with text."""
    numbers = [v for v in values if v is not None and v != ""]
    if not numbers or any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in numbers):
        return None
    if all(float(v).is_integer() for v in numbers):
        return "0"
    return "0.0" if all(round(float(v), 1) == float(v) for v in numbers) else None


def width(values: list) -> int:
    """A column's width in characters: its longest cell's text plus two, within the bounds."""
    longest = max((len(str(v)) for v in values if v is not None), default=0)
    return max(MIN_WIDTH, min(MAX_WIDTH, longest + 2))


def lay_out(sheet, header_rows: int = 1) -> None:
    """Freeze the header, size the columns and give their numbers a format (see the module)."""
    sheet.freeze_panes = f"A{header_rows + 1}"
    for index, column in enumerate(sheet.iter_cols(), start=1):
        values = [c.value for c in column]
        sheet.column_dimensions[get_column_letter(index)].width = width(values)
        fmt = number_format(values[header_rows:])
        if fmt is not None:
            for cell in column[header_rows:]:
                cell.number_format = fmt


def add_notes(book, lang: str, source: str, person_counts: bool = True) -> None:
    """The sheet of notes (``toelichting``/``notes``) after the table: the legend (what ``x`` means
    only in a table of person counts, the only one with withheld cells), then the source."""
    lang = lang if lang in NOTES else "nl"
    sheet = book.create_sheet(NOTES_SHEET[lang], index=1)
    legend = NOTES[lang] if person_counts else NOTES[lang][1:]
    for line in (*legend, ("Bron: " if lang == "nl" else "Source: ") + source):
        sheet.append([line])
    sheet.column_dimensions["A"].width = MAX_WIDTH + 40
