"""The synthetic participants written as a case managers' export would be, with its mapping.

:func:`messy_workbook` turns the clean synthetic frame (:func:`analysis.pilot.synthetic.
generate_participants`) into the kind of Excel file an administration exports: Dutch headers
of its own, a title line above them, one sheet per case manager (plus one for those who
never started), the case manager's organisation only in the sheet name, employers
anonymised, education as free text, yes/no as ``ja``/``x``/blank, Excel dates on some sheets
and ``DD-MM-YYYY`` text on others, a notes column, and the statuses and services as dated
records on sheets of their own. :data:`MAPPING_YAML` reads it back; the test suite checks
that this gives exactly the clean synthetic frame.

Everything is derived from the frame without randomness, and the workbook is written with
fixed document properties and zip timestamps: the same frame gives the same bytes.
"""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd

from analysis import synthetic_seal
from analysis.data.file_pairs import mapping_beside
from analysis.files import fixed_zip_bytes, replace_atomically, write_text_atomically
from analysis.pilot import schema as ps
from analysis.pilot.synthetic import quota_study, sealable, status_history

# The export of the quota study (its own names, not the names of whichever study is active at import).
_STUDY = quota_study()
EMPLOYER_LABELS = {e: f"Werkgever {chr(ord('A') + i)}" for i, e in enumerate(_STUDY.employers)}  # anonymised
# How the export writes the study's codes: its study file's ``synthetic.export_words`` section.
_EXPORT = _STUDY.synthetic["export_words"]
EDUCATION_TEXT = {level: tuple(texts) for level, texts in _EXPORT["education_text"].items()}
FUNCTION_LABELS = dict(_EXPORT["functions"])
SECTOR_LABELS = dict(_EXPORT["sectors"])
CONTRACT_LABELS = dict(_EXPORT["contracts"])
FOUND_VIA_LABELS = dict(_EXPORT["found_via"])
STATUS_LABELS = dict(_EXPORT["statuses"])
SERVICE_LABELS = dict(_EXPORT["services"])
# sheet -> (organisation of its case manager, dates written as Excel dates?)
# (the study's first two case-manager organisations: UWV and the municipality)
UWV, MUNICIPALITY = _STUDY.case_manager_orgs[:2]
PERSON_SHEETS = {"Jansen (UWV)": (UWV, True), "De Vries (gemeente)": (MUNICIPALITY, False),
                 "Bakker (gemeente)": (MUNICIPALITY, True), "Aanmeldingen": (None, False)}
TITLE = f"{_EXPORT['title']}, peildatum {_STUDY.follow_up_end:%d-%m-%Y}"
FIXED_TIME = datetime(_STUDY.follow_up_end.year, _STUDY.follow_up_end.month, _STUDY.follow_up_end.day)


def _sheet_of(df: pd.DataFrame) -> pd.Series:
    """Case-manager sheet per person: UWV to one, the municipality's split over two."""
    gemeente = df["casemanager_org"] == MUNICIPALITY
    second = gemeente & (gemeente.cumsum() % 2 == 0)
    out = pd.Series("Aanmeldingen", index=df.index)
    out[df["casemanager_org"] == UWV] = "Jansen (UWV)"
    out[gemeente] = "De Vries (gemeente)"
    out[second] = "Bakker (gemeente)"
    return out


def _yes(flag: object, word: str = "ja") -> str:
    return word if bool(flag) else ""


def _tenure(years: float) -> object:
    return int(years) if float(years).is_integer() else f"{years:.1f}".replace(".", ",")


def _date(value: object, excel: bool) -> object:
    if pd.isna(value):
        return None
    return pd.Timestamp(value).to_pydatetime() if excel else pd.Timestamp(value).strftime("%d-%m-%Y")


def person_rows(df: pd.DataFrame, excel_dates: bool) -> pd.DataFrame:
    """The person sheet's columns under their export headers."""
    counter = {level: 0 for level in EDUCATION_TEXT}
    education = []
    for level in df["opleidingsniveau"]:
        variants = EDUCATION_TEXT[level]
        education.append(variants[counter[level] % len(variants)])
        counter[level] += 1
    label = lambda col, labels: [labels.get(v, "") if pd.notna(v) else "" for v in df[col]]  # noqa: E731
    return pd.DataFrame({
        "Klantnr.": df["deelnemer_id"],
        "Latende werkgever": label("werkgever", EMPLOYER_LABELS),
        "Datum aanmelding": [_date(v, excel_dates) for v in df["instroomdatum"]],
        "Start traject": [_date(v, excel_dates) for v in df["startdatum"]],
        "M/V": df["geslacht"].map({"man": "M", "vrouw": "V"}),
        "Leeftijd": df["leeftijd"].astype(int),
        "Opleiding": education,
        "Dienstjaren": [_tenure(v) for v in df["dienstjaren"]],
        "Functie": label("functie", FUNCTION_LABELS),
        "Aanzegging ontvangen": [_yes(v) for v in df["ontslagaanzegging"]],
        "Triage": ["" if pd.isna(t) else f"Pad {int(t)}" for t in df["triage"]],
        "Sector nieuwe baan": label("sector_nieuw", SECTOR_LABELS),
        "Contract": label("contract_nieuw", CONTRACT_LABELS),
        "Baan gevonden via": label("gevonden_via", FOUND_VIA_LABELS),
        "Certificering": [_yes(v) for v in df["certificeringscursus"]],
        "Reden stoppen": ["Privéomstandigheden" if pd.notna(v) else "" for v in df["reden_stoppen"]],
        "Beschut werk aangevraagd": [_yes(v) for v in df["beschut_werk_aanvraag"]],
        "Geïnterviewd": [_yes(v, "x") for v in df["geinterviewd"]],
        "Opmerkingen": ["zie dossier" if i % 7 == 3 else "" for i in range(len(df))],
    })


def status_records(df: pd.DataFrame) -> pd.DataFrame:
    """The dated status history of the synthetic participants (the generator's, see
    :func:`analysis.pilot.synthetic.status_history`): the export holds the same history as
    the shipped history file."""
    return status_history(df)


def service_records(df: pd.DataFrame) -> pd.DataFrame:
    """One dated record per service received: the k-th service ten days after the
    previous one, from the start of the trajectory, not after 1 April."""
    rows = []
    for _, r in df.iterrows():
        begin = r["startdatum"] if pd.notna(r["startdatum"]) else r["instroomdatum"]
        got = [s for s in ps.SERVICES if bool(r[s])]
        for k, s in enumerate(got):
            rows.append((r["deelnemer_id"], s, min(pd.Timestamp(begin) + pd.Timedelta(days=10 * k),
                                                   pd.Timestamp(ps.PILOT_END))))
    return pd.DataFrame(rows, columns=["deelnemer_id", "dienst", "datum"])


def _append(ws, frame: pd.DataFrame) -> None:
    ws.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        ws.append([None if isinstance(v, str) and v == "" else v for v in row])


def messy_workbook(df: pd.DataFrame):
    """The export as an openpyxl workbook (see the module docstring)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    sheets = _sheet_of(df)
    for name, (_org, excel_dates) in PERSON_SHEETS.items():
        ws = book.create_sheet(name)
        ws.append([TITLE])
        _append(ws, person_rows(df[sheets == name].reset_index(drop=True), excel_dates))
        for row in ws.iter_rows(min_row=3):
            for cell in row:
                if isinstance(cell.value, datetime):
                    cell.number_format = "DD-MM-YYYY"
    history = status_records(df)
    ws = book.create_sheet("Statushistorie")
    _append(ws, pd.DataFrame({"Klantnr.": history["deelnemer_id"],
                              "Datum wijziging": list(history["datum"].dt.to_pydatetime()),
                              "Status": history["status"].map(STATUS_LABELS)}))
    services = service_records(df)
    ws = book.create_sheet("Dienstverlening")
    _append(ws, pd.DataFrame({"Klantnr.": services["deelnemer_id"], "Dienst": services["dienst"].map(SERVICE_LABELS),
                              "Startdatum dienst": list(services["datum"].dt.to_pydatetime())}))
    ws = book.create_sheet("Toelichting")
    ws.append(["Synthetische export: beschrijft geen echte personen. Gemaakt door python -m analysis synthetic."])
    props = book.properties
    props.created = props.modified = FIXED_TIME
    props.creator = props.lastModifiedBy = "vwnw-evaluation"
    return book


def workbook_bytes(book) -> bytes:
    """The workbook's bytes with fixed zip timestamps and document dates."""
    raw = io.BytesIO()
    book.save(raw)
    return fixed_zip_bytes(raw.getvalue(), FIXED_TIME)


def _yaml_map(labels: dict, indent: int) -> list[str]:
    pad = " " * indent
    return [f"{pad}{json.dumps(label, ensure_ascii=False)}: {json.dumps(code, ensure_ascii=False)}"
            for code, label in labels.items()]


def pattern_lines(patterns, indent: str) -> list[str]:
    """``patterns`` ((regular expression, code), ...) as the lines of a YAML list."""
    return [f"{indent}- {{match: {json.dumps(rx)}, value: {code}}}" for rx, code in patterns]


def mapping_text(source: str) -> str:
    """The mapping file that reads the export back into the participant schema."""
    sheets = [f'    "{name}": {{casemanager_org: {org or "null"}}}'
              + ("" if org else "  # never started: no case manager") for name, (org, _) in PERSON_SHEETS.items()]
    return "\n".join([
        "# Mapping of the SYNTHETIC case-manager export onto the participant schema.",
        "# Written by `python -m analysis synthetic` (make synthetic); the format is explained in data/raw/README.md",
        "# (\"Reading a case-manager export\"). A mapping of the real export lives beside it in data/raw/private/.",
        "mapping_version: 1",
        "schema: pilot_participants",
        f"source: {source}",
        'date_formats: ["%d-%m-%Y"]  # text dates; Excel date cells are read as dates',
        "ignore_sheets: [Toelichting]",
        "participants:",
        "  header_row: 2  # row 1 holds the title of the export",
        "  sheets:  # one sheet per case manager; their organisation is only in the sheet name",
        *sheets,
        "  columns:",
        '    "Klantnr.": deelnemer_id', '    "Latende werkgever": werkgever',
        '    "Datum aanmelding": instroomdatum', '    "Start traject": startdatum', '    "M/V": geslacht',
        '    "Leeftijd": leeftijd', '    "Opleiding": opleidingsniveau', '    "Dienstjaren": dienstjaren',
        '    "Functie": functie  # functietype follows from it', '    "Aanzegging ontvangen": ontslagaanzegging',
        '    "Triage": triage', '    "Sector nieuwe baan": sector_nieuw', '    "Contract": contract_nieuw',
        '    "Baan gevonden via": gevonden_via', '    "Certificering": certificeringscursus',
        '    "Reden stoppen": reden_stoppen', '    "Beschut werk aangevraagd": beschut_werk_aanvraag',
        '    "Geïnterviewd": geinterviewd',
        "  ignore: [Opmerkingen]",
        "  constants: {synthetisch: true}",
        "values:",
        "  werkgever:", "    map:", *_yaml_map(EMPLOYER_LABELS, 6),
        "  geslacht:", "    map: {M: man, V: vrouw}", "    blank: onbekend",
        "  opleidingsniveau:",
        "    patterns:  # searched in the label, case ignored; an exact label under map would override them",
        *pattern_lines(ps.EDUCATION_PATTERNS, "      "),
        "    default: onbekend  # the code of the labels listed under unmapped",
        "    unmapped: [onbekend, zie dossier]",
        "    blank: onbekend",
        "  functie:", "    map:", *_yaml_map(FUNCTION_LABELS, 6), "    blank: onbekend",
        "  triage:", '    map: {"Pad 1": 1, "Pad 2": 2, "Pad 3": 3}',
        "  sector_nieuw:", "    map:", *_yaml_map(SECTOR_LABELS, 6),
        "  contract_nieuw:", "    map:", *_yaml_map(CONTRACT_LABELS, 6),
        "  gevonden_via:", "    map:", *_yaml_map(FOUND_VIA_LABELS, 6),
        "  reden_stoppen:", '    map: {"Privéomstandigheden": privéomstandigheden}',
        "  # yes/no columns: an empty cell is no (say so: an empty yes/no cell is otherwise an error)",
        *(f"  {col}: {{map: {{{word}: true}}, blank: false}}" for col, word in
          (("ontslagaanzegging", "ja"), ("certificeringscursus", "ja"), ("beschut_werk_aanvraag", "ja"),
           ("geinterviewd", "x"))),
        "status_history:  # status on 1 and 16 April and the outflow date are derived from it",
        "  sheet: Statushistorie",
        '  columns: {"Klantnr.": deelnemer_id, "Datum wijziging": datum, "Status": status}',
        "  values:", "    status:", "      map:", *_yaml_map(STATUS_LABELS, 8),
        "services:  # the dv_* columns: yes when the person has a record of the service",
        "  sheet: Dienstverlening",
        '  columns: {"Klantnr.": deelnemer_id, "Dienst": dienst, "Startdatum dienst": datum}',
        "  values:", "    dienst:", "      map:", *_yaml_map(SERVICE_LABELS, 8),
    ]) + "\n"


def write_export(df: pd.DataFrame, path: str | Path) -> Path:
    """Write the messy export to ``path`` (``.xlsx``) and its mapping beside it
    (``<stem>.mapping.yml``); returns the mapping's path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = workbook_bytes(messy_workbook(df))
    replace_atomically(path, lambda tmp: tmp.write_bytes(data))
    if sealable(df):  # only the generator's frame (a typed-over file saved this way is not sealed)
        synthetic_seal.seal(path)
    mapping = mapping_beside(path)
    write_text_atomically(mapping, mapping_text(path.name))
    return mapping
