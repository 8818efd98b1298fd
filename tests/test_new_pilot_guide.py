"""docs/new-pilot.md followed step by step in a temporary project folder, with an export of
another pilot written the case managers' way (tests/new_pilot_export.py): write the study
file, inspect the export, complete the mapping, check it, run, read the outputs. Every
count the run publishes must equal a count of the export made here with openpyxl and plain
Python, not with the package."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from collections import Counter
from datetime import date, datetime

import new_pilot_export as npe
import pytest
import yaml

from analysis import paths
from tests.read_download import read_counts

ROOT = paths.PROJECT_ROOT
EXPORT = "data/raw/private/export.xlsx"
RUN = "02_pilot_participants-drukkerij"
CUTOFF = "2024-10-01"
MAPPING = """\
mapping_version: 1
schema: pilot_participants
study: drukkerij_zwolle_2024
source: export.xlsx
date_formats: ["%d-%m-%Y"]
ignore_sheets: []
participants:
  header_row: auto
  skip_rows: ["^totaal"]
  sheets: {Deelnemers: {}}
  columns:
    Klantnummer: deelnemer_id
    Werkgever: werkgever
    Datum aanmelding: instroomdatum
    Start traject: startdatum
    Organisatie casemanager: casemanager_org
    M/V: geslacht
    Opleiding: opleidingsniveau
    Functie: functie
    Aanzegging ontvangen: ontslagaanzegging
    Triagepad: triage
    Sector nieuwe baan: sector_nieuw
    Contractvorm: contract_nieuw
    Baan gevonden via: gevonden_via
    Certificering: certificeringscursus
    Beschut werk aangevraagd: beschut_werk_aanvraag
    Geïnterviewd: geinterviewd
    Reden uitval: reden_stoppen
  ignore: [Intern nr, Contract oude werkgever, Opmerkingen]
  constants: {synthetisch: false}
  derive:
    leeftijd: {from: Geboortedatum, years_until: instroomdatum}
    dienstjaren: {from: In dienst sinds, years_until: instroomdatum}
values:
  geslacht: {map: {M: man, V: vrouw}, blank: onbekend}
  opleidingsniveau:
    map: {vmbo: laag, mbo 1: laag, geen diploma: laag, mbo 2 drukker: middelbaar, mbo 3: middelbaar,
          havo: middelbaar, hbo: hoog}
  functie: {map: {Drukker: drukker, Operator: operator, Afwerker: afwerker, Planner: planner,
                  Calculator: calculator}}
  ontslagaanzegging: {map: {ja: true, nee: false}}
  certificeringscursus: {map: {ja: true, nee: false}}
  beschut_werk_aanvraag: {map: {ja: true, nee: false}}
  geinterviewd: {map: {ja: true, nee: false}}
  sector_nieuw: {map: {Grafisch: grafisch, Media: media, Logistiek: logistiek, Zorg: zorg, Techniek: techniek,
                       Onbekend: onbekend}}
  contract_nieuw: {map: {Vast: vast, Tijdelijk: tijdelijk, Uitzend: uitzend}}
  gevonden_via: {map: {Eigen netwerk: eigen_netwerk, Casemanager: casemanager, Uitzendbureau: uitzendbureau}}
status_history:
  sheet: Statuswijzigingen
  header_row: auto
  columns: {Klantnummer: deelnemer_id, Datum wijziging: datum, Nieuwe status: status}
  values:
    status:
      map: {Aan het werk: aan_het_werk, Werk met opleiding: werk_met_opleiding, Scholing: scholing,
            Terug bij werkgever: bij_werkgever, Zoekend: zoekend, Afgehaakt: afgehaakt, Niet begonnen: niet_begonnen}
services:
  sheet: Dienstverlening
  columns: {Klantnummer: deelnemer_id, Dienst: dienst, Datum: datum}
  values: {dienst: {map: {Coaching: dv_coaching, CV-training: dv_cv_training, Omscholing: dv_omscholing,
                          Netwerkbijeenkomst: dv_netwerk}}}
"""
GUIDE = (ROOT / "docs" / "new-pilot.md").read_text(encoding="utf-8")


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", GUIDE, re.S)


STUDY_YAML = next(b for b in _blocks("yaml") if b.startswith("id: "))  # the guide's study file
RUNS = next(b for b in _blocks("yaml") if b.startswith("runs:"))  # the guide's run configuration
COMMANDS = [line for b in _blocks("sh") for line in b.splitlines() if line.startswith(".venv/bin/python -m analysis")]


def _guide_command(project, word: str) -> subprocess.CompletedProcess:
    """The guide's command whose arguments include ``word``, as written (the project's
    Python is this test's)."""
    command = next(c for c in COMMANDS if word in c.split())
    return _run(project, *shlex.split(command)[3:])


def _run(project, *args) -> subprocess.CompletedProcess:
    env = {**os.environ, "VWNW_PROJECT_ROOT": str(project)}
    return subprocess.run([sys.executable, "-m", "analysis", *args], cwd=project, env=env, capture_output=True,
                          text=True, timeout=900)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A project folder as the guide's reader has it, the steps of the guide done in it."""
    project = tmp_path_factory.mktemp("guide")
    shutil.copy(ROOT / "pyproject.toml", project)
    (project / "notebooks").mkdir()
    for notebook in ("02_pilot_participants.ipynb", "03_outcome_models.ipynb"):
        shutil.copy(ROOT / "notebooks" / notebook, project / "notebooks")
    shutil.copytree(ROOT / "studies", project / "studies")
    # step 1: the study file
    (project / "studies" / f"{npe.STUDY_ID}.yml").write_text(STUDY_YAML, encoding="utf-8")
    # step 2: the export, in the git-ignored private folder
    (project / "data" / "raw" / "private").mkdir(parents=True)
    npe.write_export(project / EXPORT, npe.people())
    return project


@pytest.fixture(scope="module")
def inspected(project):
    """Step 3: inspect drafts the mapping in the study's vocabulary."""
    done = _guide_command(project, "--study")
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout, yaml.safe_load((project / "data/raw/private/export.mapping.draft.yml").read_text("utf-8"))


def _codes(study: dict) -> set[str]:
    """Every code and name a study file gives: employers, municipality, organisations,
    statuses, services, sectors, functions, contracts, ways of finding work, stop reasons."""
    out = {*study["employers"], *study["case_manager_orgs"], *([study["municipality"]] if study.get("municipality")
                                                               else [])}
    out |= {*study["statuses"], *study["services"], *study["sectors"]}
    out |= {f for group in study["functions"].values() for f in group}
    return out | {*study["contracts"], *study["found_via"], *study["stop_reasons"]}


def test_the_draft_holds_no_code_of_another_study(project, inspected):
    """docs/new-pilot.md step 3: the draft is written in the study's vocabulary, so no code or
    name of the default (catering) study that the guide's study does not share appears in it
    (newpilot2's F1: the draft listed the catering employers, municipality, functions,
    sectors and services)."""
    catering = yaml.safe_load((ROOT / "studies" / "catering_noordoost_brabant_2021.yml").read_text("utf-8"))
    import openpyxl

    book = openpyxl.load_workbook(project / EXPORT, read_only=True)
    export_text = " ".join(str(v) for ws in book for row in ws.iter_rows(values_only=True) for v in row if v)

    def has(text: str, code: str) -> bool:
        return re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text, re.I) is not None

    # a word of the export's own text (its label "Werk met opleiding") is no code of another study
    foreign = {c for c in _codes(catering) - _codes(yaml.safe_load(STUDY_YAML)) if not has(export_text, c)}
    draft = (project / "data/raw/private/export.mapping.draft.yml").read_text("utf-8")
    found = sorted(code for code in foreign if has(draft, code))
    assert not found, f"codes of the catering study in {npe.STUDY_ID}'s draft: {found}"


def test_inspect_drafts_in_the_study_vocabulary_with_evidence(inspected):
    profile, draft = inspected
    assert draft["study"] == npe.STUDY_ID
    columns = draft["participants"]["columns"]
    assert columns["Contract oude werkgever"] == "TODO"  # the old employer's, not contract_nieuw
    assert columns["Contractvorm"] == "contract_nieuw" and columns["Klantnummer"] == "deelnemer_id"
    assert set(draft["participants"]["derive"]) == {"leeftijd", "dienstjaren"}
    assert draft["participants"]["derive"]["leeftijd"]["from"] == "Geboortedatum"
    assert draft["participants"]["header_row"] == npe.HEADER_ROW and draft["participants"]["skip_rows"]
    status_codes = set(draft["status_history"]["values"]["status"]["map"].values())
    assert status_codes <= {*yaml.safe_load(STUDY_YAML)["statuses"], "TODO"}
    assert "Hidden" in profile and "column B" in profile  # the hidden column is reported
    assert "another concept" in (inspected[0] + str(draft)) or "TODO" in str(columns)


@pytest.fixture(scope="module")
def checked(project, inspected):
    """Step 4: the completed mapping beside the export; inspect --check passes."""
    (project / "data/raw/private/export.mapping.yml").write_text(MAPPING, encoding="utf-8")
    done = _guide_command(project, "--check")
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def test_check_applies_the_report_rules(checked):
    assert "45 participants read and validated" in checked
    assert "every rule of the report run passed" in checked and npe.STUDY_ID in checked
    # the hidden column is a note in the evaluator's words, not a Python warning with its source line
    assert "note: sheet 'Deelnemers' has hidden parts" in checked
    assert "UserWarning" not in checked and "export_inspection.py" not in checked


@pytest.fixture(scope="module")
def published(project, checked):
    """Step 5: the study's own run configuration, run with one command."""
    config = project / "studies" / f"{npe.STUDY_ID}.report.yml"
    config.write_text(RUNS, encoding="utf-8")
    done = _guide_command(project, "report")
    assert done.returncode == 0, done.stdout + done.stderr
    tables = project / "reports-private" / "tables"
    tag = f"_{npe.STUDY_ID}_{CUTOFF.replace('-', '')}_nl_k10.csv"
    out = {}
    for path in sorted(tables.glob(f"pilot_figuur_*{tag}")):
        table = read_counts(path, ("totaal", "aantal", "onbekend"))  # by code, as a program reads the download
        out[path.name[len("pilot_"):-len(tag)]] = [["", *table.columns]] + [
            [row, *cells] for row, cells in zip(table.index, table.to_numpy().tolist(), strict=True)]
    return out


# -- the independent count of the export -----------------------------------------------------

def _export_counts(path) -> dict[str, Counter]:
    """Every figure's counts from the workbook itself (openpyxl, plain Python)."""
    import openpyxl

    book = openpyxl.load_workbook(path, data_only=True)
    rows = list(book["Deelnemers"].iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r and r[0] == "Klantnummer")
    names = list(rows[head])
    people = [dict(zip(names, r)) for r in rows[head + 1:] if r[0] and not str(r[0]).startswith("Totaal")]
    words = {v: k for k, v in npe.STATUS_WORDS.items()}
    history: dict[str, list] = {}
    for pid, day, word in list(book["Statuswijzigingen"].iter_rows(values_only=True))[1:]:
        history.setdefault(pid, []).append((datetime.strptime(day, "%d-%m-%Y").date(), words[word]))
    cutoff = date.fromisoformat(CUTOFF)
    status = {p["Klantnummer"]: npe.status_on(sorted(history[p["Klantnummer"]]), cutoff) for p in people}
    levels = {w: level for level, ws in npe.EDUCATION_WORDS.items() for w in ws}
    services = {(pid, s) for pid, s, _ in list(book["Dienstverlening"].iter_rows(values_only=True))[1:]}

    def age_band(p) -> str:
        years = npe.completed_years(p["Geboortedatum"].date() if p["Geboortedatum"] else None,
                                    p["Datum aanmelding"].date())
        return "onbekend" if years is None else next(b for b, top in (("t/m 35", 35), ("36-45", 45),
                                                                      ("46-55", 55), ("56+", 999)) if years <= top)

    def tenure_band(p) -> str:
        start = p["In dienst sinds"]
        years = npe.completed_years(start.date() if isinstance(start, datetime) else start,
                                    p["Datum aanmelding"].date())
        return next(b for b, top in (("t/m 5 jaar", 5), ("5-10 jaar", 10), ("10-20 jaar", 20),
                                     ("meer dan 20 jaar", 999)) if years <= top)

    working = [p for p in people if status[p["Klantnummer"]] in npe.WORK]
    offered = yaml.safe_load(STUDY_YAML)["services"]  # a service the export never records: onbekend for all
    sector_codes = {v: k for k, v in npe.SECTOR_WORDS.items()}
    return {
        "figuur_12_uitstroom": Counter(status.values()) + Counter({"totaal": len(people)}),
        "figuur_13_uitstroom_sector": Counter(sector_codes[p["Sector nieuwe baan"]] for p in working)
        + Counter({"totaal": len(working)}),
        "figuur_10_triage": Counter(f"triage_{p['Triagepad']}" if p["Triagepad"] else "geen_triage" for p in people)
        + Counter({"totaal": len(people)}),
        "figuur_11_dienstverlening": Counter(code for code, word in npe.SERVICE_WORDS.items()
                                             for p in people if (p["Klantnummer"], word) in services),
        "figuur_11_dienstverlening|onbekend": Counter({code: len(people) for code in offered
                                                       if code not in npe.SERVICE_WORDS}),
        "figuur_09_functie": Counter("staf" if p["Functie"].lower() in npe.STAFF else "uitvoerend" for p in people)
        + Counter({"totaal": len(people)}),
        "figuur_08_dienstjaren": Counter(tenure_band(p) for p in people) + Counter({"totaal": len(people)}),
        "figuur_07_opleiding_leeftijd": Counter((levels[p["Opleiding"]], age_band(p)) for p in people),
    }


def test_every_published_count_equals_the_export_count(project, published):
    counts = _export_counts(project / EXPORT)
    assert set(published) == {name for name in counts if "|" not in name}, sorted(published)
    # the study offers a service the export never records (docs/new-pilot.md): Figuur 11 counts it apart
    assert published["figuur_11_dienstverlening"][0][1:] == ["aantal", "onbekend"]
    shown = 0
    for name, table in published.items():
        header, body = table[0], table[1:]
        for row in body:
            for column, cell in zip(header[1:], row[1:]):
                if cell == "x":  # withheld by disclosure control
                    continue
                if name == "figuur_07_opleiding_leeftijd":
                    want = sum(n for (lev, band), n in counts[name].items()
                               if (row[0] == "totaal" or lev == row[0]) and (column == "totaal" or band == column))
                elif column == "onbekend":
                    want = counts[f"{name}|onbekend"][row[0]]
                else:
                    want = counts[name][row[0]]
                assert int(cell) == want, f"{name} {row[0]} {column}: published {cell}, export {want}"
                shown += 1
    assert shown >= 15  # enough shown cells that the comparison means something (zeros are withheld on real data)


def test_pages_speak_of_the_study_and_never_say_synthetic(project, published):
    page = (project / "reports-private" / "html" / "reviewer" / f"{RUN}.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", " ", page)
    statuses = yaml.safe_load(STUDY_YAML)["statuses"]
    assert all(code in text or entry["nl"] in text for code, entry in statuses.items())  # its own statuses
    assert "SYNTHETISCHE" not in text and "pilot_participants_synthetic" not in text
    assert "Hutten" not in text and "Meierijstad" not in text
    models = (project / "reports-private" / "html" / "reviewer" / "03_outcome_models-drukkerij.html").read_text("utf-8")
    assert "SYNTHETISCHE" not in models and "pilot_participants_synthetic" not in models
