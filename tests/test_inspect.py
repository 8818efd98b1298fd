"""``python -m analysis inspect``: the profile of an export suppresses small counts, and the
draft mapping suggests the schema column a person wrote for each header."""

import re
import shutil

import pytest
import yaml

from analysis import export_inspection as inspect, paths
from analysis.cli import main
from analysis.data.mapping import MappingError
from analysis.pilot.from_export import read_participant_mapping
from analysis.pilot.schema import PARTICIPANTS

EXPORT = paths.DATA_RAW / "pilot_export_synthetic.xlsx"
MAPPING = paths.DATA_RAW / "pilot_export_synthetic.mapping.yml"


@pytest.fixture(scope="module")
def profiled():
    return inspect.profile_file(EXPORT, PARTICIPANTS)


def test_sheets_header_rows_and_roles_are_found(profiled):
    roles = {s.sheet: (s.role, s.header_row) for s in profiled}
    assert roles["Jansen (UWV)"] == ("participants", 2)  # a title line above the headers
    assert roles["Statushistorie"] == ("status_history", 1)
    assert roles["Dienstverlening"] == ("services", 1)
    assert roles["Toelichting"][0] == "ignore"


def test_profile_shows_no_count_below_the_threshold(profiled, pilot30):
    text = inspect.render_profile(EXPORT, profiled, threshold=10)
    counts = [int(n) for n in re.findall(r"`[^`]*` (\d+)", text)]  # "`label` n" pairs
    rows = re.findall(r"^\| `.*$", text, re.M)  # column table: "text 14", "date <10", ...
    counts += [int(n) for row in rows for n in re.findall(r"(?:text|date|number|yes/no) (\d+)", row)]
    assert counts and all(n >= 10 for n in counts)
    assert "`In bemiddeling` 28" in text  # a count above the threshold is shown
    assert "`Gestopt` <10" in text
    assert not any(i in text for i in pilot30["deelnemer_id"])  # identifiers are not listed
    assert "zie dossier" not in text  # nor free text without a schema column


def test_date_formats_found(profiled):
    by_sheet = {s.sheet: {c.header: c for c in s.columns} for s in profiled}
    assert set(by_sheet["De Vries (gemeente)"]["Datum aanmelding"].date_formats) == {"%d-%m-%Y"}
    assert set(by_sheet["Jansen (UWV)"]["Datum aanmelding"].date_formats) == {"Excel date"}


def test_draft_suggests_the_columns_of_the_hand_written_mapping(profiled):
    """The shipped mapping was written by hand; the draft's suggestions must agree with it
    for every header, and leave the notes column open."""
    draft = yaml.safe_load(inspect.draft_mapping(EXPORT, profiled, PARTICIPANTS))
    shipped = yaml.safe_load(MAPPING.read_text(encoding="utf-8"))
    assert draft["participants"]["columns"] == {**shipped["participants"]["columns"], "Opmerkingen": inspect.TODO}
    for kind in ("status_history", "services"):
        assert draft[kind]["columns"] == shipped[kind]["columns"]
    assert draft["values"]["triage"]["map"] == shipped["values"]["triage"]["map"]
    for yes_no in ("ontslagaanzegging", "certificeringscursus", "beschut_werk_aanvraag", "geinterviewd"):
        assert draft["values"][yes_no] == shipped["values"][yes_no]
    sectors = draft["values"]["sector_nieuw"]["map"]  # the labels found, each with the code chosen by hand
    assert len(sectors) == 8 and all(shipped["values"]["sector_nieuw"]["map"][k] == v for k, v in sectors.items())
    assert draft["ignore_sheets"] == ["Toelichting"] and draft["participants"]["header_row"] == 2


def test_a_draft_does_not_load_until_its_todos_are_resolved(tmp_path, profiled):
    path = tmp_path / "x.mapping.yml"
    path.write_text(inspect.draft_mapping(EXPORT, profiled, PARTICIPANTS), encoding="utf-8")
    with pytest.raises(MappingError) as err:
        read_participant_mapping(path)
    assert "key 'participants.columns.Opmerkingen'" in str(err.value)
    assert "key 'values.werkgever.map.Werkgever A'" in str(err.value)


def test_command_writes_the_draft_beside_the_file_and_never_overwrites(tmp_path, capsys):
    export = tmp_path / "export.xlsx"
    shutil.copyfile(EXPORT, export)
    assert main(["inspect", str(export)]) == 0
    assert (tmp_path / "export.mapping.draft.yml").is_file()
    assert "# Profile of `export.xlsx`" in capsys.readouterr().out
    assert main(["inspect", str(export)]) == 1
    assert "not overwritten" in capsys.readouterr().out


def test_check_reads_through_the_mapping_and_reports_problems(tmp_path, capsys):
    assert main(["inspect", str(EXPORT), "--check"]) == 0
    assert "30 participants read and validated" in capsys.readouterr().out
    shutil.copyfile(EXPORT, tmp_path / EXPORT.name)
    text = MAPPING.read_text(encoding="utf-8").replace('"Leeftijd": leeftijd', '"Leeftijd": leeftijdd')
    (tmp_path / MAPPING.name).write_text(text, encoding="utf-8")
    assert main(["inspect", str(tmp_path / EXPORT.name), "--check"]) == 1
    assert "key 'participants.columns.Leeftijd'" in capsys.readouterr().out


def test_draft_of_a_file_already_in_the_schema_loads_unchanged(tmp_path, pilot30, capsys):
    import pandas as pd

    from analysis.pilot.inputs import load_participants

    clean = tmp_path / "clean.csv"
    shutil.copyfile(paths.DATA_RAW / "pilot_participants_synthetic.csv", clean)
    assert main(["inspect", str(clean)]) == 0
    (tmp_path / "clean.mapping.draft.yml").rename(tmp_path / "clean.mapping.yml")
    pd.testing.assert_frame_equal(load_participants(clean), pilot30)


def test_each_guess_has_its_evidence_and_another_concept_is_not_guessed(tmp_path):
    """A small export of another pilot's kind: the old employer's contract is not the new
    job's, a birth date and a year of employment are proposed as derived columns, a totals
    row is proposed for skipping; every header line of the draft says why."""
    export = tmp_path / "export.csv"
    rows = ["Export clientvolgsysteem;;;;;", "Klantnummer;Geboortedatum;In dienst sinds;Contract;"
            "Contract oude werkgever;Datum aanmelding"]
    rows += [f"K{i};0{1 + i % 9}-05-1970;{1990 + i};{'Tijdelijk' if i % 3 == 0 else ''};Vast;01-10-2020"
             for i in range(12)]  # a new job's contract only for those who found one
    rows.append("Totaal;;;;;12 deelnemers")
    export.write_text("\n".join(rows) + "\n", encoding="utf-8")
    sheets = inspect.profile_file(export, PARTICIPANTS)
    text = inspect.draft_mapping(export, sheets, PARTICIPANTS)
    draft = yaml.safe_load(text)
    columns = draft["participants"]["columns"]
    assert columns["Contract"] == "contract_nieuw" and columns["Contract oude werkgever"] == inspect.TODO
    assert "another concept" in next(line for line in text.splitlines() if '"Contract oude werkgever"' in line)
    assert draft["participants"]["derive"] == {
        "leeftijd": {"from": "Geboortedatum", "years_until": "instroomdatum"},
        "dienstjaren": {"from": "In dienst sinds", "years_until": "instroomdatum"}}
    assert draft["participants"]["skip_rows"] and draft["participants"]["header_row"] == 2
    header_lines = [line for line in text.splitlines() if line.startswith('    "') and line.split('"')[1] in columns]
    assert header_lines and all("#" in line for line in header_lines)


def test_a_contract_every_row_has_is_not_guessed_as_the_new_jobs_and_each_label_guess_says_why(tmp_path):
    """A header "Contract" with a value in every row (the job they had: a new job's contract
    is filled only for those who found work) is not proposed as contract_nieuw; the reason is
    in the draft. Every label guessed for a code carries its reason too."""
    export = tmp_path / "export.csv"
    rows = ["Klantnummer;Contract;Sector nieuwe baan;Datum aanmelding"]
    rows += [f"K{i};{'Vast' if i % 2 else 'Tijdelijk'};{'Zorg' if i % 4 == 0 else ''};01-10-2020" for i in range(12)]
    export.write_text("\n".join(rows) + "\n", encoding="utf-8")
    text = inspect.draft_mapping(export, inspect.profile_file(export, PARTICIPANTS), PARTICIPANTS)
    columns = yaml.safe_load(text)["participants"]["columns"]
    assert columns["Contract"] == inspect.TODO and columns["Sector nieuwe baan"] == "sector_nieuw"
    line = next(line for line in text.splitlines() if line.startswith('    "Contract"'))
    assert "12 of 12 rows have a value" in line and "the job they had" in line
    label_lines = [line for line in text.splitlines() if line.startswith('      "')]
    assert label_lines and all(" # " in line for line in label_lines)
    assert any('"Zorg": zorg  # the same word' in line for line in label_lines)
    for key in ("date_formats:", "ignore_sheets:", "  header_row:"):  # the file-wide guesses say why too
        line = next(line for line in text.splitlines() if line.startswith(key))
        assert " # " in line, line


def test_the_new_jobs_function_is_not_guessed_as_the_function_they_had(tmp_path):
    """"Functie nieuwe baan" and "Nieuwe functie" resemble functie (the job they had) but say
    new job: TODO, with the reason; "Functie" beside them is the function they had."""
    export = tmp_path / "export.csv"
    rows = ["Klantnummer;Functie;Functie nieuwe baan;Nieuwe functie;Datum aanmelding"]
    rows += [f"K{i};Kok;{'Chauffeur' if i % 3 == 0 else ''};{'Chauffeur' if i % 3 == 0 else ''};01-10-2020"
             for i in range(12)]
    export.write_text("\n".join(rows) + "\n", encoding="utf-8")
    text = inspect.draft_mapping(export, inspect.profile_file(export, PARTICIPANTS), PARTICIPANTS)
    columns = yaml.safe_load(text)["participants"]["columns"]
    assert columns["Functie"] == "functie"
    assert columns["Functie nieuwe baan"] == columns["Nieuwe functie"] == inspect.TODO
    lines = [line for line in text.splitlines() if line.startswith(('    "Functie nieuwe', '    "Nieuwe functie"'))]
    assert len(lines) == 2 and all(" # " in line for line in lines), lines


def test_the_new_employer_is_not_guessed_as_the_dismissing_one(tmp_path):
    """"Nieuwe werkgever" resembles werkgever (the employer that dismissed them, 0.80) but says
    new: TODO with the reason, not the old employer's column (here no other header is closer)."""
    export = tmp_path / "export.csv"
    rows = ["Klantnummer;Nieuwe werkgever;Datum aanmelding"]
    rows += [f"K{i};{'Bakkerij Jansen' if i % 3 == 0 else ''};01-10-2020" for i in range(12)]
    export.write_text("\n".join(rows) + "\n", encoding="utf-8")
    text = inspect.draft_mapping(export, inspect.profile_file(export, PARTICIPANTS), PARTICIPANTS)
    columns = yaml.safe_load(text)["participants"]["columns"]
    assert columns["Nieuwe werkgever"] == inspect.TODO
    line = next(line for line in text.splitlines() if line.startswith('    "Nieuwe werkgever"'))
    assert "the header says 'nieuwe'" in line and "the job they had" in line


def test_the_draft_writes_characters_that_do_not_show_as_escapes_and_reads_them_back(tmp_path):
    """A label with a right-to-left override, a zero-width space or an escape code is written
    in the draft as YAML escapes (nothing an editor or terminal would obey) and loads back as
    the label the export holds."""
    labels = ["\u202eKok", "Kok\u200b", "\x1b[2JKok", "Gastvrouw\u00a0"]
    for label in labels:
        line = inspect._q(label)
        assert line.isprintable() and "\x1b" not in line, line
        assert yaml.safe_load(line) == label


def test_no_suppressed_count_follows_by_subtraction(profiled, tmp_path):
    """Attack 19's C3: ``M <10; V 10`` beside "14 data rows" said M = 4, and ``text <10``
    beside ``empty 11`` said 3. Within every group of counts that adds up to a known number
    (a column's kinds of cells and its empty cells: the sheet's rows; its labels; its date
    formats) the counts shown as ``<10`` or ``x`` add up to 10 or more (or every count of the
    group is hidden), from the profile's own counts; and a file written here with those
    numbers shows neither 4 nor 3 by subtraction."""
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Deelnemers"
    ws.append(["Klantnummer", "M/V", "Certificering"])
    for i in range(14):
        ws.append([f"K{i:03d}", "M" if i < 4 else "V", "ja" if i < 3 else None])
    book.save(tmp_path / "export.xlsx")
    small = inspect.profile_file(tmp_path / "export.xlsx", PARTICIPANTS)
    text = inspect.render_profile(tmp_path / "export.xlsx", small, threshold=10)
    assert "14 data rows" in text
    assert "`M` <10; `V` x" in text  # V shown as 10 gave M = 14 - 10
    row = next(line for line in text.splitlines() if line.startswith("| `Certificering`"))
    assert "text <10" in row and "| x |" in row  # empty shown as 11 gave 3 = 14 - 11
    for sp in [*profiled, *small]:
        for c in sp.columns:
            groups = [{**{("kind", k): n for k, n in c.kinds.items()}, "empty": c.blank}, dict(c.values),
                      dict(c.date_formats)]
            for counts in groups:
                shown = inspect.protected_counts(counts, 10)
                hidden = [counts[k] for k, v in shown.items() if v in ("<10", "x")]
                # nothing left to hide
                every = all(v in ("<10", "x") for k, v in shown.items() if counts[k])
                assert not hidden or sum(hidden) >= 10 or every, (sp.sheet, c.header, counts, shown)
                assert all(v == str(counts[k]) for k, v in shown.items() if v not in ("<10", "x"))


@pytest.mark.parametrize("name", ["pilot_participants_synthetic.csv", "pilot_export_synthetic.xlsx"])
def test_inspect_of_a_shipped_raw_file_writes_no_draft_into_data_raw(name, capsys):
    """Hostile round 14, H15: the draft of a file in data/raw/ went beside it, into the
    read-only raw folder. It is refused (rc 1, the option to use named) and nothing is written."""
    before = sorted(p.name for p in paths.DATA_RAW.iterdir())
    assert main(["inspect", str(paths.DATA_RAW / name)]) == 1
    err = capsys.readouterr().err
    assert "is inside data/raw/, where the raw inputs are kept read-only" in err and "--draft" in err, err
    assert sorted(p.name for p in paths.DATA_RAW.iterdir()) == before


def test_a_draft_beside_a_real_export_in_the_private_folder_stays_allowed(tmp_path, capsys):
    from analysis.write_targets import write_problem

    assert write_problem(paths.DATA_RAW / "private" / "export.mapping.draft.yml", "draft") is None
    assert "read-only" in write_problem(paths.DATA_RAW / "export.mapping.draft.yml", "draft")
    draft = tmp_path / "x.mapping.draft.yml"
    assert main(["inspect", str(paths.DATA_RAW / "pilot_export_synthetic.xlsx"), "--draft", str(draft)]) == 0
    assert draft.is_file()
