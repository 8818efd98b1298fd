"""Downloads in their page's language and readable in a Dutch spreadsheet (review 13, items 1-2 and 6):
a CSV in UTF-8 with a byte-order mark, every header of a Dutch file in Dutch (the time-to-work curves'
``surv``, ``n_risk``, the tests' ``p_upper_bound``, the legends' ``meaning``), the provenance sheet's two
columns in the file's language, and the pilot's citation note in the page's language. Each test fails on
the files and code before this change."""

import re

import openpyxl
import pandas as pd
import pytest
from read_download import read

from analysis import paths
from analysis.pipeline import pages
from analysis.pipeline.exhibits import report_sources
from analysis.pipeline.export import ReportOutputs
from analysis.pipeline.provenance import Provenance
from analysis.presentation.downloads import for_download

TABLES = paths.REPORTS / "tables"
BOM = b"\xef\xbb\xbf"
# headers the Dutch downloads showed as codes before (review 13 item 1), each with the Dutch words a reader
# of the time-to-work and models pages knows them by (written here by hand, not taken from the catalogue)
CODES_NL = {"p_upper_bound": "p is een bovengrens", "p_holm_upper_bound": "p (Holm) is een bovengrens",
            "surv": "Aandeel nog zonder uitstroom", "n_risk": "Nog zonder uitstroom", "chi2": "Chi-kwadraat",
            "df": "Vrijheidsgraden", "meaning": "Betekenis", "origin": "Begin van de tijd",
            "censored": "Gecensureerd", "cif_low": "Cumulatieve incidentie, 95%-BI onder"}
CODE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")  # a machine name: snake_case


def test_a_csv_starts_with_a_byte_order_mark_and_reads_back_alike(tmp_path):
    frame = pd.DataFrame({"n_projects": [7, 23], "bedrag": ["€ 1,4", "é"]}, index=pd.Index(["a", "b"], name="table"))
    for run in ("a", "b"):
        ReportOutputs(tmp_path / run, Provenance("nb.ipynb", {"language": "nl"})).table(frame, "t")
    data = (tmp_path / "a/tables/t.csv").read_bytes()
    assert data.startswith(BOM) and data.count(BOM) == 1  # Excel reads UTF-8 only after a BOM
    assert data == (tmp_path / "b/tables/t.csv").read_bytes()  # reruns stay byte-identical
    back = pd.read_csv(tmp_path / "a/tables/t.csv")
    assert list(back.columns) == ["Tabel", "Aantal projecten", "bedrag"]  # no "\ufeffTabel"
    assert list(back["bedrag"]) == ["€ 1,4", "é"]


@pytest.mark.parametrize(("code", "dutch"), sorted(CODES_NL.items()))
def test_a_dutch_download_writes_the_header_in_dutch(code, dutch):
    frame = pd.DataFrame({code: [1.5, 2.5]})
    assert list(for_download(frame, "nl").columns) == [dutch]
    english = list(for_download(frame, "en").columns)[0]
    assert english != code and english != dutch


def test_the_provenance_sheet_names_its_columns_in_the_files_language(tmp_path):
    for lang, columns in (("nl", ("gegeven", "waarde")), ("en", ("key", "value"))):
        ReportOutputs(tmp_path / lang, Provenance("nb.ipynb", {"language": lang})).table(
            pd.DataFrame({"n": [1, 2]}), "t")
        sheet = openpyxl.load_workbook(tmp_path / lang / "tables" / "t.xlsx")["provenance"]
        assert next(sheet.iter_rows(max_row=1, values_only=True)) == columns


def test_the_pilot_citation_note_is_in_the_pages_language():
    nl, en = dict(report_sources("nl")), dict(report_sources("en"))
    study = "catering_noordoost_brabant_2021"
    assert nl[study].endswith("Eindrapport van de pilot (na 16 april 2021).")
    assert en[study].endswith("Final report of the pilot (after 16 April 2021).")
    cited = pages.citation((study, nl[study]), "en")
    assert "Eindrapport" not in cited and "Final report" in cited and '<em lang="nl">' in cited
    assert "Final report" not in pages.citation((study, nl[study]), "nl")


def published(pattern: str) -> list:
    found = sorted(TABLES.glob(pattern))
    if not found:
        pytest.skip(f"no published {pattern}: run make report")
    return found


def test_every_published_csv_starts_with_a_byte_order_mark():
    assert [p.name for p in published("*.csv") if not p.read_bytes().startswith(BOM)] == []


def test_no_published_dutch_csv_of_the_pages_named_in_review_13_has_a_machine_name_as_header():
    stems = ("time_to_work_curves_", "time_to_work_cox_", "time_to_work_logrank_", "time_to_work_six_months_",
             "models_coefficients_",
             "models_exact_tests_", "dwsra_published_vs_pipeline_nl", "dwsra_sweep_checked_nl")
    files = [p for p in published("*.csv") if p.name.startswith(stems) and re.search(r"_nl(_|\.)", p.name)]
    assert files
    coded = {p.name: [c for c in pd.read_csv(p, nrows=0).columns if CODE.match(str(c))] for p in files}
    assert {k: v for k, v in coded.items() if v} == {}


def test_a_program_still_reads_a_dutch_curve_by_its_codes():
    path = published("time_to_work_curves_*_nl_*.csv")[0]
    curves = read(path, ("origin", "definition", "curve", "n_risk", "surv", "events"))
    assert {"origin", "definition", "n_risk", "surv", "events"} <= set(curves.columns)
    assert curves["surv"].between(0, 1).all() and (curves["n_risk"] >= 0).all()


def test_the_site_publishes_each_runs_provenance_record_and_links_it(tmp_path):
    from test_site import fake_reports

    from analysis.pipeline import site

    reports, state = fake_reports(tmp_path)
    index = site.write_site(reports, state).read_text(encoding="utf-8")
    record = reports / "html" / "files" / "provenance" / "01_dwsra_portfolio.provenance.json"
    assert record.read_text(encoding="utf-8") == "tables/dwsra_tabel_3_4.provenance.json"  # the run's record
    assert 'href="files/provenance/01_dwsra_portfolio.provenance.json"' in index


def test_a_published_page_links_its_provenance_record_where_the_site_has_it():
    found = sorted((paths.REPORTS / "html" / "reviewer").glob("*.html"))
    if not found:
        pytest.skip("no published pages: run make report")
    for flavour in ("reviewer", "full"):
        for page in sorted((paths.REPORTS / "html" / flavour).glob("*.html")):
            text = page.read_text(encoding="utf-8")
            link = f'href="../files/provenance/{page.stem}.provenance.json"'
            assert link in text, page
            assert (paths.REPORTS / "html" / "files" / "provenance" / f"{page.stem}.provenance.json").is_file()
            assert "beside every download" not in text and "bij elke download" not in text


def test_on_a_phone_each_heading_level_is_smaller_than_the_one_above():
    css = (paths.PROJECT_ROOT / "src/analysis/pipeline/templates/vwnw_offline.html.j2").read_text(encoding="utf-8")
    phone = css[css.index("@media only screen and (max-width: 760px)"):]
    sizes = {level: float(re.search(rf"\.jp-RenderedHTMLCommon h{level} {{ font-size: ([0-9.]+)em", phone).group(1))
             for level in (1, 2, 3, 4)}
    # JupyterLab's own sizes, which the phone's rules override: h2 1.728em, h3 1.44em, h4 1.2em
    assert sizes[1] > sizes[2] > sizes[3] > sizes[4] >= 1.0
