"""The real notebooks, executed through the runner: reproduction of the published numbers,
and no row-level record in anything published. The runs are those of ``reports/`` when it is
complete and current for this code, data and configuration (``make test`` runs ``make
report`` first: running them again would test the same thing twice), otherwise a fresh run
into a temporary reports folder."""

import re

import pandas as pd
import pytest

from analysis import paths
from analysis.pipeline import journal, runner, runs as run_config
from tests import read_download
from tests.read_download import read_counts

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    runs = run_config.discover_runs(paths.NOTEBOOKS, paths.NOTEBOOKS / "report.yml")
    if (paths.REPORTS / "html" / "index.html").is_file() and not (paths.REPORTS / journal.JOURNAL_FILE).exists() \
            and runner.dry_run(runs, paths.REPORTS, log=lambda _: None) == []:
        return paths.REPORTS
    reports = tmp_path_factory.mktemp("reports")
    runner.run_report(runs, reports, workers=2)
    return reports


def test_every_notebook_run_succeeded(published):
    index = (published / "html" / "index.html").read_text()
    assert "failed" not in re.sub(r"\.failed\{[^}]*\}", "", index)
    for nb in paths.NOTEBOOKS.glob("*.ipynb"):
        assert list((published / "html" / "reviewer").glob(f"{nb.stem}*.html")), nb.name


def test_pilot_reproduces_the_published_counts(published):
    table = read_download.read(published / "tables" / "pilot_published_vs_pipeline_20210401_nl_k1.csv",
                               ("gepubliceerd", "pijplijn"))
    wrong = table[table["gepubliceerd"] != table["pijplijn"]]
    assert wrong.empty, "published vs pipeline differ:\n" + wrong.to_string()


def test_pilot_figure_12_counts_at_threshold_1(published):
    # the CSV writes labels, its codes in a column of their own (read by code: tests/read_download.py)
    t = read_counts(published / "tables" / "pilot_figuur_12_uitstroom_20210401_nl_k1.csv", ("aantal",))
    expected = {"nieuwe_baan": 12, "werk_en_scholing": 2, "opleiding": 2, "in_bemiddeling": 9}
    for cat, n in expected.items():
        assert int(t.loc[cat, "aantal"]) == n, f"Figuur 12, cell {cat!r}: {t.loc[cat, 'aantal']} != {n}"


def test_no_row_level_record_in_any_output(published, pilot30):
    ids = set(pilot30["deelnemer_id"])
    # a record's distinctive combination: dates as written in the raw file
    combos = {f"{r.instroomdatum:%Y-%m-%d}" for r in pilot30.itertuples()} | \
             {f"{r.startdatum:%Y-%m-%d}" for r in pilot30.itertuples() if pd.notna(r.startdatum)}
    for f in published.rglob("*"):
        if f.suffix not in (".csv", ".html", ".json", ".ipynb", ".svg"):
            continue
        text = f.read_text(encoding="utf-8", errors="replace")
        leaked = [i for i in ids if i in text]
        assert not leaked, f"{f.relative_to(published)} contains participant ids {leaked[:3]}"
        dates = [d for d in combos if d in text]
        assert not dates, f"{f.relative_to(published)} contains record-level dates {dates[:3]}"


def test_models_notebook_runs_at_n_100000(tmp_path):
    from analysis.pilot import outcomes

    run = run_config.NotebookRun("03_outcome_models-n100000", paths.NOTEBOOKS / "03_outcome_models.ipynb",
                             {"synthetic_n": 100000, "power_ns": [30, 1000], "power_sims": 100})
    runner.run_report([run], tmp_path, workers=1)
    digest = outcomes.settings_digest(power_ns=[30, 1000], power_sims=100)  # non-default settings are in the name
    name = f"models_coefficients_work_20210416_stayed_nl_k10_n100000{digest}.csv"
    coef = read_download.read(tmp_path / "tables" / name, ("model", "estimate", "n"))
    firth = coef[coef.model == "Firth logit"]
    assert firth["estimate"].notna().all() and (firth["n"] > 80000).all()


def test_dwsra_notebook_publishes_every_table_with_its_differences_explained(published):
    for name in ("2_1", "2_2", "2_3", "2_4", "3_1", "3_2", "3_3", "3_4", "4_1", "4_2"):
        assert (published / "tables" / f"dwsra_tabel_{name}_nl.csv").exists(), f"Tabel {name} missing"
        assert (published / "tables" / f"dwsra_tabel_{name}_en.xlsx").exists(), f"Table {name} (en) missing"
    for name in ("2_1", "3_1", "4_1", "4_2"):
        for ext in ("png", "svg"):
            assert (published / "figures" / f"dwsra_figuur_{name}_nl.{ext}").exists()
    cmp = read_download.read(published / "tables" / "dwsra_published_vs_pipeline_nl.csv", ("explanation",))
    assert not (cmp["explanation"] == "UNEXPLAINED").any()
    # each language's words in its file, the codes beside them, costs at full precision (the page rounds as
    # the report prints)
    names = ("activity_group", "n_projects", "direct_mln")
    t22 = read_download.read(published / "tables" / "dwsra_tabel_2_2_nl.csv", names).set_index("activity_group")
    assert round(t22.loc["alleen_dw", "direct_mln"], 1) == 23.4, "Tabel 2.2, DW only, direct costs"
    en = read_download.read(published / "tables" / "dwsra_tabel_2_2_en.csv", names).set_index("activity_group")
    assert en[list(names[1:])].equals(t22[list(names[1:])]), "the English run writes the same numbers"
    assert (published / "tables" / "dwsra_tabel_2_2_en.csv").read_bytes() != \
        (published / "tables" / "dwsra_tabel_2_2_nl.csv").read_bytes(), "each file in its own language"


def test_provenance_names_no_output_folder(published):
    """Provenance is about inputs and parameters that change results; where a run happened
    to write (a staging folder, a temporary folder) must not enter it, or the same
    analysis rerun elsewhere would give different XLSX bytes."""
    sidecars = list(published.glob("*/*.provenance.json"))
    assert sidecars
    leaks = [p.name for p in sidecars if ".staging" in p.read_text() or str(published) in p.read_text()]
    assert not leaks, f"provenance with an output folder: {leaks}"
