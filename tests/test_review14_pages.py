"""Review 14 (pages, downloads): what an independent page review found, one test per class.

- A run's output folder is not an input: no provenance names it, and on a synthetic run it was
  shown as ``private input`` (the runner's staging folder lies outside the project).
- A table's notes sheet says what its shares hold: a percentage where the header names ``%`` as
  the unit, a fraction elsewhere (``Aandeel volgens het rapport`` 0.7 beside a note that said
  "Aandelen (%) met één decimaal, zoals op de pagina").
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from analysis import paths
from analysis.pipeline import xlsx_layout
from analysis.pipeline.export import ReportOutputs
from analysis.pipeline.provenance import Provenance
from analysis.private_data import PRIVATE_LABEL

TABLES = paths.PROJECT_ROOT / "reports" / "tables"
PERCENT_UNIT = re.compile(r"(^|[\s(])%($|[\s)])")  # "% van totaal", "Aandeel (%)", "T/O %"; not "95%-BI"


@pytest.mark.parametrize("folder", ["/tmp/vwnw-staging-abc/run", "scratch", "reports/html/.staging/x"])
def test_the_output_folder_is_no_parameter_of_the_provenance(tmp_path, folder):
    shipped = paths.PROJECT_ROOT / "data" / "raw" / "dwsra_project_register.csv"
    prov = Provenance.collect("04_time_to_work.ipynb", {"output_dir": folder, "language": "nl",
                                                        "register": "data/raw/dwsra_project_register.csv"},
                              {"register": shipped})
    assert "output_dir" not in prov.parameters and "output_dir" not in prov.to_json()
    assert not any(key == "parameter:output_dir" for key, _ in prov.records())
    assert prov.parameters["register"] == "data/raw/dwsra_project_register.csv"  # inputs still named


def test_a_private_path_parameter_stays_hidden_without_the_output_folder(tmp_path):
    private = tmp_path / "jansen_deelnemers.csv"
    private.write_text("x\n1\n", encoding="utf-8")
    prov = Provenance.collect("02.ipynb", {"output_dir": str(tmp_path), "participants_path": str(private)},
                              {"participants": private})
    assert prov.parameters == {"participants_path": PRIVATE_LABEL}
    assert "jansen" not in prov.to_json() and str(tmp_path) not in prov.to_json()


def test_a_written_table_has_no_output_folder_in_its_provenance(tmp_path):
    prov = Provenance.collect("nb.ipynb", {"output_dir": str(tmp_path), "language": "nl"})
    ReportOutputs(tmp_path, prov).table(pd.DataFrame({"Aandeel": [0.7]}), "t")
    sheet = openpyxl.load_workbook(tmp_path / "tables" / "t.xlsx")["provenance"]
    assert [r[0] for r in sheet.iter_rows(values_only=True)][1:] == ["notebook", "git_commit", "parameter:language"]
    assert "output_dir" not in (tmp_path / "tables" / "t.provenance.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang,fraction", [("nl", "0,7 is 70%"), ("en", "0.7 is 70%")])
def test_the_notes_say_a_share_without_a_percent_unit_is_a_fraction(lang, fraction):
    book = openpyxl.Workbook()
    xlsx_layout.add_notes(book, lang, "nb.ipynb; t")
    text = " ".join(row[0] for row in book[xlsx_layout.NOTES_SHEET[lang]].iter_rows(values_only=True))
    assert fraction in text and "één decimaal" not in text and "one decimal" not in text


def _published_xlsx() -> list[Path]:
    files = sorted(TABLES.glob("*.xlsx"))
    if not files:
        pytest.skip("no published tables: run `make report`")
    return files


def test_every_published_share_is_what_the_notes_say():
    """An independent reading of the notes' rule over every published XLSX: a column whose header
    names % as its unit holds percentages (some value above 1), a share ("Aandeel", "Share") without
    it a fraction (every value from 0 to 1)."""
    wrong = []
    for file in _published_xlsx():
        table = pd.read_excel(file, sheet_name="tabel")
        for column in table.columns:
            values = pd.to_numeric(table[column], errors="coerce").dropna()
            header = str(column)
            if values.empty or "(code)" in header:
                continue
            if PERCENT_UNIT.search(header) and values.abs().max() <= 1 and values.abs().max() > 0:
                wrong.append((file.name, header, "percent unit, fraction values"))
            elif not PERCENT_UNIT.search(header) and re.match(r"(aandeel|share)\b", header, re.IGNORECASE) \
                    and not values.between(0, 1).all():
                wrong.append((file.name, header, "fraction by the notes, values above 1"))
    assert not wrong


def test_the_time_to_work_download_reads_as_its_note_says():
    file = TABLES / "time_to_work_six_months_20210416_nl_k1.xlsx"
    if not file.exists():
        pytest.skip("no published tables: run `make report`")
    book = openpyxl.load_workbook(file)
    notes = " ".join(str(r[0]) for r in book["toelichting"].iter_rows(values_only=True))
    table = pd.read_excel(file, sheet_name="tabel")
    assert set(table["Aandeel volgens het rapport"].dropna()) == {0.7}  # the report's 70%
    assert "0,7 is 70%" in notes and "één decimaal" not in notes


def _cox_blocks(excluding: list[bool]) -> pd.DataFrame:
    origins = [("start", "work"), ("start", "work_or_education"), ("inflow", "work"), ("inflow", "work_or_education")]
    rows = [{"origin": o, "definition": d, "term": "triage[3]", "reference": "2", "estimate": 0.3,
             "ci_low": 0.1, "ci_high": 0.9 if ex else 1.5} for (o, d), ex in zip(origins, excluding, strict=True)]
    return pd.DataFrame(rows)


@pytest.mark.parametrize("lang,name", [("nl", "In het model van de uitstroomsnelheid (Tabel T3)"),
                                       ("en", "In the model of the rate of moving on (Table T3)")])
@pytest.mark.parametrize("excluding", [[False, False, True, True], [True, True, True, False], [True] * 4])
def test_the_time_to_work_summary_names_the_model_once(lang, name, excluding):
    from analysis.presentation import survival_findings  # the page's summary, as the notebook calls it

    sentences = survival_findings.cox_sentences(_cox_blocks(excluding), lang)
    assert len(sentences) == sum(excluding) + (not all(excluding))
    assert " ".join(sentences).count(name) == 1 and sentences[0].startswith(name)
    assert all(s.startswith("In het model vanaf" if lang == "nl" else "In the model from") for s in sentences[1:])


@pytest.mark.parametrize("lang,shown", [("nl", "log-aannemelijkheid \u221246,02"),
                                        ("en", "log-likelihood \u221246.02")])
def test_a_negative_number_in_a_model_note_has_a_minus_sign(lang, shown):
    from analysis.presentation import model_texts  # the translated model notes

    text = model_texts.translate("MNLogit log-likelihood -46.02, pseudo R2 0.011", lang)
    assert shown in text and "-46" not in text
    assert model_texts.translate("cut-off 2021-04-16, levels 1-3", lang).count("\u2212") == 0  # no hyphen made a minus


@pytest.mark.parametrize("names,joined", [
    (["gebalanceerd, N = 1.000, z-toets", "gebalanceerd, N = 10.000, z-toets"],
     "gebalanceerd, N = 1.000 en N = 10.000, z-toets"),
    (["gebalanceerd, N = 25", "waargenomen, triagepad 2"], "gebalanceerd, N = 25 en waargenomen, triagepad 2"),
    (["a, b", "a, b, c"], "a, b en a, b, c"),
])
def test_designs_drawn_as_one_line_are_named_once(names, joined):
    from analysis.presentation import model_figures  # the power figure's legend

    assert model_figures.joined_names(names, " en ") == joined
    assert "vallen samen" not in model_figures.COINCIDE["nl"][0] and "grootste" not in model_figures.OVERLAP["nl"]


def _rules(css: str) -> dict[str, str]:
    """selector -> declarations of the rules outside any @media block, and of the phone block
    under the key ``phone <selector>`` (a reading of the style sheet independent of the site)."""
    phone = re.search(r"@media \(max-width:640px\)\{(.*?)\}\}", css, re.S)
    outside = css.replace(phone[0], "") if phone else css
    rules = {}
    for prefix, block in (("", re.sub(r"@media[^{]*\{.*?\}\}", "", outside, flags=re.S)),
                          ("phone ", phone[1] + "}" if phone else "")):
        for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", block):
            for sel in selectors.split(","):
                rules[prefix + sel.strip()] = rules.get(prefix + sel.strip(), "") + body + ";"
    return rules


def test_the_landing_pages_number_column_does_not_wrap_and_a_phone_tells_h1_from_h2():
    from analysis.pipeline import site  # the landing page's style sheet

    rules = _rules(site.STYLE)
    assert "white-space:nowrap" in rules["table.items td:first-child"]  # "Figuur 2.1", not "Figuur / 2.1"
    size = {h: float(re.search(r"font-size:([\d.]+)em", rules.get(f"phone {h}", "font-size:1.5em"))[1])
            for h in ("h1", "h2")}  # a browser's own h2 is 1.5em
    assert size["h2"] < size["h1"]


def test_a_code_cell_that_never_ran_has_no_empty_prompt_on_a_full_page():
    import nbformat  # the full page's exporter reads a notebook node

    from analysis.pipeline import html_export

    nb = nbformat.v4.new_notebook()
    copy = nbformat.v4.new_code_cell("# De bevindingen: hier eerst getoond")  # never run: the findings' copy
    ran = nbformat.v4.new_code_cell("x = 1", execution_count=3)
    nb.cells = [copy, ran]
    html, _ = html_export.exporter(hide_code=False).from_notebook_node(nb)
    assert "In&nbsp;[&nbsp;]:" not in html and "In [ ]" not in html
    assert "In&nbsp;[3]:" in html  # a cell that ran keeps its number
