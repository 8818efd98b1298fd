"""A new pilot's export written the case managers' way, for the guide's test
(``tests/test_new_pilot_guide.py``): a printing company's pilot of 45 people in Zwolle (the
study file is the guide's, ``docs/new-pilot.md``), and the export as a case-management
system writes it -- note rows above the headers, a totals row below them, a hidden column,
birth dates instead of ages, the start of employment as a date or a year alone, statuses in
words on a sheet of changes (with placements that ended in the probation period), services
on a sheet of their own, and a column about the old employer's contract next to the new
job's.

Nothing here uses the package: the test counts this file with openpyxl and plain Python.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

STUDY_ID = "drukkerij_zwolle_2024"
SNAPSHOTS = (date(2024, 10, 1), date(2024, 11, 15))
PILOT_START, INFLOW_END, PILOT_END = date(2024, 1, 15), date(2024, 4, 30), date(2024, 10, 1)
STATUS_WORDS = {"aan_het_werk": "Aan het werk", "werk_met_opleiding": "Werk met opleiding", "scholing": "Scholing",
                "bij_werkgever": "Terug bij werkgever", "zoekend": "Zoekend", "afgehaakt": "Afgehaakt",
                "niet_begonnen": "Niet begonnen"}
WORK = ("aan_het_werk", "werk_met_opleiding")
SERVICE_WORDS = {"dv_coaching": "Coaching", "dv_cv_training": "CV-training", "dv_omscholing": "Omscholing",
                 "dv_netwerk": "Netwerkbijeenkomst"}
SECTOR_WORDS = {"grafisch": "Grafisch", "media": "Media", "logistiek": "Logistiek", "zorg": "Zorg",
                "techniek": "Techniek", "onbekend": "Onbekend"}
EDUCATION_WORDS = {"laag": ("vmbo", "mbo 1", "geen diploma"), "middelbaar": ("mbo 2 drukker", "mbo 3", "havo"),
                   "hoog": ("hbo",)}
FUNCTION_WORDS = {"drukker": "Drukker", "operator": "Operator", "afwerker": "Afwerker", "planner": "Planner",
                  "calculator": "Calculator"}
STAFF = ("planner", "calculator")
HEADERS = ("Klantnummer", "Intern nr", "Werkgever", "Datum aanmelding", "Start traject", "Organisatie casemanager",
           "M/V", "Geboortedatum", "Opleiding", "In dienst sinds", "Functie", "Aanzegging ontvangen", "Triagepad",
           "Sector nieuwe baan", "Contractvorm", "Baan gevonden via", "Contract oude werkgever", "Certificering",
           "Beschut werk aangevraagd", "Geïnterviewd", "Reden uitval", "Opmerkingen")
HEADER_ROW = 4  # two note rows and an empty row above the headers
N = 45


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max((end - start).days, 0)))


def _trajectory(rng: random.Random, i: int, inflow: date) -> list[tuple[date, str]]:
    """Dated statuses (codes): placements first, some ended in the probation period."""
    kind = ["work"] * 16 + ["work_ended"] * 5 + ["work_ended_again"] * 3 + ["search"] * 8 + ["late"] * 4 \
        + ["training"] * 3 + ["employer"] * 2 + ["stop"] * 2 + ["none"] * 2
    k = kind[i]
    if k == "none":
        return [(inflow, "niet_begonnen")]
    out = [(inflow, "zoekend")]
    d1 = _day(rng, inflow + timedelta(days=20), PILOT_END - timedelta(days=60))
    if k == "work":
        out.append((d1, rng.choice(WORK)))
    elif k in ("work_ended", "work_ended_again"):
        out += [(d1, "aan_het_werk"), (d1 + timedelta(days=rng.randint(10, 40)), "zoekend")]
        if k == "work_ended_again":
            out.append((out[-1][0] + timedelta(days=rng.randint(5, 15)), "aan_het_werk"))
    elif k == "late":
        out.append((_day(rng, PILOT_END + timedelta(days=1), SNAPSHOTS[1]), "aan_het_werk"))
    elif k == "training":
        out.append((d1, "scholing"))
    elif k == "employer":
        out.append((d1, "bij_werkgever"))
    elif k == "stop":
        out.append((d1, "afgehaakt"))
    return out


def status_on(records: list[tuple[date, str]], day: date) -> str:
    return [s for d, s in records if d <= day][-1]


def people(seed: int = 2024) -> list[dict]:
    """The 45 persons, with their dated statuses and services."""
    rng = random.Random(seed)
    out = []
    for i in range(N):
        inflow = _day(rng, PILOT_START, INFLOW_END)
        records = _trajectory(rng, i, inflow)
        started = records[0][1] != "niet_begonnen"
        working = status_on(records, SNAPSHOTS[1]) in WORK
        level = rng.choice(["laag"] * 5 + ["middelbaar"] * 4 + ["hoog"])
        function = rng.choice(list(FUNCTION_WORDS))
        birth = None if i == 7 else date(rng.randint(1962, 1998), rng.randint(1, 12), rng.randint(1, 28))
        tenure = rng.choice([date(rng.randint(1985, 2020), rng.randint(1, 12), rng.randint(1, 28)),
                             str(rng.randint(1985, 2020)), rng.randint(1985, 2020)])
        out.append({
            "id": f"K{1000 + 37 * i}", "employer": rng.choice(["Drukkerij De Pers", "Grafisch Bedrijf Noord"]),
            "inflow": inflow, "start": _day(rng, inflow, inflow + timedelta(days=14)) if started else None,
            "org": rng.choice(["UWV", "Gemeente Zwolle"]) if started else None,
            "sex": None if i == 11 else rng.choice(["M", "V"]), "birth": birth,
            "education": rng.choice(EDUCATION_WORDS[level]), "level": level, "tenure": tenure,
            "function": function, "notice": rng.random() < 0.7, "triage": rng.choice([1, 2, 3]) if started else None,
            "sector": ("onbekend" if i == 3 else rng.choice(list(SECTOR_WORDS)[:5])) if working else None,
            "contract": rng.choice(["Vast", "Tijdelijk", "Uitzend"]) if working else None,
            "found": rng.choice(["Eigen netwerk", "Casemanager", "Uitzendbureau"]) if working else None,
            "old_contract": rng.choice(["Vast", "Tijdelijk"]),
            "records": records,
            "services": sorted({s for s in SERVICE_WORDS if started and rng.random() < (0.9 if s == "dv_coaching"
                                                                                         else 0.45)}),
        })
    return out


def write_export(path, persons: list[dict]) -> None:
    """The export as the case-management system writes it (see the module docstring)."""
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Deelnemers"
    ws.append(["Export cliëntvolgsysteem VWNW grafisch, vertrouwelijk"])
    ws.append(["Peildatum: 15-11-2024; status zie tabblad Statuswijzigingen"])
    ws.append([])
    ws.append(list(HEADERS))
    for p in persons:
        ws.append([p["id"], f"INT-{p['id'][1:]}", p["employer"], datetime.combine(p["inflow"], datetime.min.time()),
                   p["start"].strftime("%d-%m-%Y") if p["start"] else None, p["org"], p["sex"],
                   datetime.combine(p["birth"], datetime.min.time()) if p["birth"] else None, p["education"],
                   datetime.combine(p["tenure"], datetime.min.time()) if isinstance(p["tenure"], date)
                   else p["tenure"], FUNCTION_WORDS[p["function"]], "ja" if p["notice"] else "nee", p["triage"],
                   SECTOR_WORDS[p["sector"]] if p["sector"] else None, p["contract"], p["found"], p["old_contract"],
                   "nee", "nee", "nee", None, "zie dossier" if p["id"].endswith("7") else None])
    ws.append(["Totaal", None, None, None, None, None, None, None, None, None, None, None, None, None, None, None,
               None, None, None, None, None, f"{len(persons)} deelnemers"])
    ws.column_dimensions["B"].hidden = True
    changes = book.create_sheet("Statuswijzigingen")
    changes.append(["Klantnummer", "Datum wijziging", "Nieuwe status"])
    for p in persons:
        for d, s in p["records"]:
            changes.append([p["id"], d.strftime("%d-%m-%Y"), STATUS_WORDS[s]])
    services = book.create_sheet("Dienstverlening")
    services.append(["Klantnummer", "Dienst", "Datum"])
    for p in persons:
        for s in p["services"]:
            services.append([p["id"], SERVICE_WORDS[s], None])
    book.properties.created = book.properties.modified = datetime(2024, 11, 15)
    book.save(path)


def completed_years(start, until: date) -> int | None:
    """Completed years from a date, or whole years from a year alone (the guide's rule)."""
    if start is None:
        return None
    if not isinstance(start, date):
        return until.year - int(start)
    return until.year - start.year - ((until.month, until.day) < (start.month, start.day))
