"""The intruder audit reads the exhibit declaration (issue 25): every declared exhibit that
says what it counts is attacked from its published file, at every cut-off date published
with the file, without naming it in the audit. An exhibit added to a copy of the declaration
is attacked as it is, and an unprotected variant of it is found leaking."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import yaml

from analysis import paths
from analysis.pilot import history, inputs as pilot_inputs, schema as ps, tables as pt
from analysis.pipeline.export import write_csv
from analysis.presentation.downloads import for_download
from analysis.release import loading
from analysis.release.crosstab import protected_crosstab
from analysis.stats import disclosure
from analysis.study.exhibits import load_exhibits
from tests import read_download
from tests.declared_audit import attack_declared
from tests.read_download import read_counts

K = 10
NOTEBOOK = "02_pilot_participants"
DECLARATION = paths.PROJECT_ROOT / "studies" / "vwnw_pilot.exhibits.yml"
NEW = {"figuur_14_uitstroom_geslacht": {  # the entry of docs/adding-an-analysis.md, "declare it"
    "notebook": NOTEBOOK, "kind": "figure", "number": "14", "title": {"nl": "Uitstroom naar geslacht",
                                                                      "en": "Outflow by gender"},
    "dated": True, "crosstab": ["geslacht", "status"], "drawing": "grouped", "n": "table_total",
    "output": "pilot_figuur_14_uitstroom_geslacht"}}


@pytest.fixture(scope="module")
def frame(pilot30):
    hist = history.load_history(paths.DATA_RAW / "pilot_status_history_synthetic.csv", pilot30)
    dates = loading.joint_dates({"cutoff_date": "2021-04-16"}, hist)
    return loading.with_dates(pilot30, hist, dates), dates


def declaration(tmp_path, extra: dict | None = None):
    """The shipped declaration, or a copy of it with ``extra`` exhibits added."""
    doc = yaml.safe_load(DECLARATION.read_text(encoding="utf-8"))
    doc["exhibits"].update(extra or {})
    path = tmp_path / "copy.exhibits.yml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    problems: list = []
    exhibits = load_exhibits(path, problems)
    assert problems == [], problems
    return exhibits


def publish(frame, exhibits, tmp_path, unprotected: str | None = None) -> dict:
    """Every run of notebook 02 on the file, as the notebook does it (:func:`released`), each
    table written to its CSV as the exporter writes it, in Dutch and English by turns (the audit
    reads either by code). ``unprotected``: that exhibit is written as the plain ``pd.crosstab``
    of the file instead (the control)."""
    return write_all(released(frame, exhibits), tmp_path, unprotected)


def released(frame, exhibits) -> dict:
    """The tables of every run of notebook 02 on the file: the figure tables of the joint
    release, then each declared crosstab through the release, in declaration order. By cut-off
    date and exhibit: (output, protected table, the plain ``pd.crosstab`` of the file or None).
    The release is the same whichever table is written, so one call serves both."""
    df, dates = frame
    by_date, _, release = pt.joint_figure_tables(df, K, "totaal", dates)
    extra = pt._release_frame(df, dates).assign(geslacht=df["geslacht"].astype(object).fillna("onbekend"))
    out = {}
    for cutoff in dates:
        tables = {}
        for e in exhibits.of(NOTEBOOK):
            if e.crosstab:
                rows, cols = (pt.status_var(cutoff) if v == "status" else v for v in e.crosstab)
                tables[e.name] = (e.output, protected_crosstab(release, extra, rows, cols, f"{e.name}_{cutoff}"),
                                  pd.crosstab(extra[rows], extra[cols], margins=True, margins_name=e.total))
            elif e.cells and e.output:
                tables[e.name] = (e.output, by_date[cutoff][e.cells], None)
        out[cutoff] = tables
    return out


def write_all(tables: dict, tmp_path, unprotected: str | None = None) -> dict:
    """:func:`released`'s tables written to ``tmp_path/<cut-off>/<output>.csv``, the languages
    by turns; ``unprotected``'s plain crosstab instead of its protected table."""
    published = {}
    for i, (cutoff, by_name) in enumerate(tables.items()):
        lang, files = ("nl", "en")[i % 2], {}
        for name, (output, protected, plain) in by_name.items():
            path = tmp_path / cutoff / f"{output}.csv"
            path.parent.mkdir(parents=True, exist_ok=True)
            write_published(plain if name == unprotected else protected, path, lang)
            files[output] = path
        published[cutoff] = files
    return published


@pytest.fixture(scope="module")
def added(frame, tmp_path_factory):
    """The shipped declaration with Figuur 14 added, and its runs' tables (:func:`released`),
    made once for the three tests that publish them (each made the same release again)."""
    exhibits = declaration(tmp_path_factory.mktemp("added"), NEW)
    return exhibits, released(frame, exhibits)


def write_published(table, path, lang: str) -> None:
    """``table`` written as the exporter writes a person-count table in ``lang`` (withheld cells x,
    labels, codes in a ``(code)`` column), with the sidecar that names the run's language."""
    write_csv(for_download(disclosure.display(table), lang), path)
    path.with_name(f"{path.stem}.provenance.json").write_text(json.dumps({"parameters": {"language": lang}}))


def test_the_shipped_exhibits_withstand_the_declared_attack(frame, tmp_path):
    exhibits = declaration(tmp_path)
    leaks, attacked = attack_declared(frame[0], exhibits, NOTEBOOK, publish(frame, exhibits, tmp_path), K)
    assert attacked == ["figuur_07_opleiding_leeftijd", "figuur_08_dienstjaren", "figuur_09_functie",
                        "figuur_10_triage", "figuur_12_uitstroom"]
    assert leaks == []


def test_an_exhibit_added_to_the_declaration_is_attacked(frame, added, tmp_path):
    exhibits, tables = added
    leaks, attacked = attack_declared(frame[0], exhibits, NOTEBOOK, write_all(tables, tmp_path), K)
    assert "figuur_14_uitstroom_geslacht" in attacked
    assert leaks == []


def test_an_unprotected_variant_of_the_added_exhibit_is_found_leaking(frame, added, tmp_path):
    """The control: the same declaration, the new figure's table published as pd.crosstab
    (small cells shown): the audit fails, naming it."""
    exhibits, tables = added
    published = write_all(tables, tmp_path, unprotected="figuur_14_uitstroom_geslacht")
    leaks, _ = attack_declared(frame[0], exhibits, NOTEBOOK, published, K)
    assert any(x.startswith("figuur_14_uitstroom_geslacht@") for x in leaks), leaks


def test_a_protected_table_with_its_exact_totals_is_found_leaking_by_differencing(frame, added, tmp_path):
    """The control for what a plain table check misses: each cell below k withheld on its
    own, the exact totals shown; the audit recovers a withheld count from the totals."""
    exhibits, tables = added
    published = write_all(tables, tmp_path, unprotected="figuur_14_uitstroom_geslacht")
    withheld = set()
    for cutoff, files in published.items():
        path = files["pilot_figuur_14_uitstroom_geslacht"]
        counts = read_counts(path, ("Totaal", *ps.STUDY.statuses)).apply(pd.to_numeric)  # by code
        inner = counts.iloc[:-1, :-1]
        counts.iloc[:-1, :-1] = inner.mask((inner > 0) & (inner < K))  # primary suppression only
        counts.index.name = "geslacht"
        write_published(counts.astype("Int64"), path, read_download.language(path))
        withheld |= {f"figuur_14_uitstroom_geslacht@{cutoff}:{i}/{j}" for i in inner.index for j in inner.columns
                     if 0 < inner.loc[i, j] < K}
    leaks, _ = attack_declared(frame[0], exhibits, NOTEBOOK, published, K)
    recovered = [x for x in leaks if x.rsplit(" (true", 1)[0] in withheld]
    assert recovered, leaks  # a withheld cell pinned below k by the totals


def test_the_audit_names_no_exhibit():
    source = (paths.PROJECT_ROOT / "tests" / "declared_audit.py").read_text(encoding="utf-8")
    assert "figuur_" not in source and "geslacht" not in source
    assert ps.STUDY.exhibits is not None


def published_by_date(folder, exhibits, cutoffs) -> dict:
    """The published CSVs of notebook 02's runs in ``folder`` by cut-off date: each declared
    exhibit's output with that date in its run's tag (``<output>_<yyyymmdd>_nl_k10.csv``)."""
    out = {}
    for cutoff in cutoffs:
        tag = cutoff.replace("-", "")
        out[cutoff] = {e.output: path for e in exhibits.of(NOTEBOOK) if e.output
                       for path in sorted(folder.glob(f"{e.output}_{tag}_*.csv"))}
    return out


@pytest.mark.slow
def test_notebook_02_runs_with_an_added_exhibit_withstand_the_declared_attack(frame, tmp_path):
    """Notebook 02 as it is, run at both snapshot dates on a study whose declaration has
    Figuur 14 added (each run a kernel of its own, as the runner runs them); the audit
    reads the runs' published files."""
    import os
    import shutil

    import papermill as pm

    from analysis.study import SHIPPED, load_study

    study_dir = tmp_path / "studies"
    study_dir.mkdir()
    for side in SHIPPED.glob("catering_noordoost_brabant_2021*.yml"):
        shutil.copy(side, study_dir / side.name)
    assert declaration(study_dir, NEW).get("figuur_14_uitstroom_geslacht")  # the copy, checked
    (study_dir / "copy.exhibits.yml").rename(study_dir / "vwnw_pilot.exhibits.yml")
    study_file = study_dir / "catering_noordoost_brabant_2021.yml"
    out = tmp_path / "out"
    before = os.environ.get("VWNW_PRIVATE_DIR")
    os.environ["VWNW_PRIVATE_DIR"] = str(tmp_path / "private")
    try:
        for cutoff in frame[1]:
            params = {"study": str(study_file), "cutoff_date": cutoff, "min_cell_count": K, "output_dir": str(out),
                      "processed_dir": ""}
            pm.execute_notebook(str(paths.NOTEBOOKS / "02_pilot_participants.ipynb"), str(tmp_path / f"{cutoff}.ipynb"),
                                parameters=params, kernel_name="vwnw-evaluation", cwd=str(paths.NOTEBOOKS),
                                progress_bar=False)
    finally:
        os.environ.pop("VWNW_PRIVATE_DIR") if before is None else os.environ.update(VWNW_PRIVATE_DIR=before)
    exhibits = load_study(study_file).exhibits
    published = published_by_date(out / "tables", exhibits, frame[1])
    assert all("pilot_figuur_14_uitstroom_geslacht" in files for files in published.values()), published
    leaks, attacked = attack_declared(frame[0], exhibits, NOTEBOOK, published, K)
    assert "figuur_14_uitstroom_geslacht" in attacked
    assert leaks == []


def test_the_second_study_is_attacked_from_the_same_declaration(tmp_path):
    """Another pilot (its own statuses, sectors and size): the same audit, no change."""
    from analysis.study import DEFAULT_STUDY, load_study

    study = ps.use_study("schoonmaak_twente_2023")
    try:
        files = study.synthetic
        df = pilot_inputs.load_participants(paths.PROJECT_ROOT / files["participants"])
        hist = history.load_history(paths.PROJECT_ROOT / files["status_history"], df)
        dates = loading.joint_dates({"cutoff_date": study.snapshots[1]}, hist)
        frame = (loading.with_dates(df, hist, dates), dates)
        exhibits = load_study(study.id).exhibits
        leaks, attacked = attack_declared(frame[0], exhibits, NOTEBOOK, publish(frame, exhibits, tmp_path), K)
        assert "figuur_12_uitstroom" in attacked and leaks == []
        unprotected = publish(frame, declaration(tmp_path, NEW), tmp_path / "raw", "figuur_14_uitstroom_geslacht")
        leaks, _ = attack_declared(frame[0], declaration(tmp_path, NEW), NOTEBOOK, unprotected, K)
        assert any(x.startswith("figuur_14_uitstroom_geslacht@") for x in leaks), leaks
    finally:
        ps.use_study(DEFAULT_STUDY)
