"""Issue 25: a new analysis is one cell on the release API, and the short, unsafe route is
refused on real data. A copy of notebook 02 gets the cell of docs/adding-an-analysis.md
(outflow by gender at the cut-off date, a table and a seaborn figure) plus the four-line
route an evaluator might type (``pd.crosstab`` displayed); it runs on the synthetic file
and on a copy marked real, and its outputs are checked against an independent count."""

from __future__ import annotations

import csv
import json
import os
import re

import pandas as pd
import pytest

from analysis import paths
from analysis.study import active_study
from tests.read_download import read_counts

pytestmark = pytest.mark.slow

DOC = paths.PROJECT_ROOT / "docs" / "adding-an-analysis.md"
RAW_ROUTE = "display(pd.crosstab(run.participants['geslacht'], run.participants['opleidingsniveau']))"
# a cell kept from an exploration in JupyterLab: the real file read by its path in the private folder
PRIVATE_READ = """import os
try:
    print('PRIVATE-READ:', len(pd.read_csv(os.path.join(os.environ['VWNW_PRIVATE_DIR'], 'echt.csv'))))
except PermissionError as refused:
    print('PRIVATE-READ REFUSED:', refused)
"""


def the_documented_cell() -> str:
    """The first python block of the guide: the test runs what the guide shows."""
    block = re.search(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert block, "docs/adding-an-analysis.md shows the cell in a ```python block"
    return block.group(1)


def notebook_with_new_cells(tmp_path):
    nb = json.loads((paths.NOTEBOOKS / "02_pilot_participants.ipynb").read_text(encoding="utf-8"))
    at = next(i for i, c in enumerate(nb["cells"]) if "exhibits.of(run.notebook)" in "".join(c["source"]))
    for source in (PRIVATE_READ, RAW_ROUTE, the_documented_cell()):
        nb["cells"].insert(at, {"cell_type": "code", "execution_count": None, "id": f"new-{len(source)}",
                                "metadata": {}, "outputs": [], "source": source})
    target = tmp_path / "copy" / "02_with_new_cells.ipynb"  # not in notebooks/: other tests run that folder
    target.parent.mkdir()
    target.write_text(json.dumps(nb), encoding="utf-8")
    return target


def execute(notebook, tmp_path, participants: str, label: str):
    import papermill as pm

    out = tmp_path / label
    params = {"participants_path": participants, "min_cell_count": 10, "cutoff_date": "2021-04-16",
              "output_dir": str(out), "status_history_path": "data/raw/pilot_status_history_synthetic.csv"}
    executed = tmp_path / f"{label}.ipynb"
    pm.execute_notebook(str(notebook), str(executed), parameters=params, kernel_name="vwnw-evaluation",
                        cwd=str(paths.NOTEBOOKS), progress_bar=False)  # VWNW_PROJECT_ROOT: see the fixture
    return out, json.loads(executed.read_text(encoding="utf-8"))


def outputs_of(nb: dict, source_start: str) -> str:
    cell = next(c for c in nb["cells"] if "".join(c["source"]).startswith(source_start))
    return json.dumps(cell.get("outputs", []))


def independent_counts() -> pd.DataFrame:
    with open(paths.DATA_RAW / "pilot_participants_synthetic.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return pd.crosstab(pd.Series([r["geslacht"] for r in rows]), pd.Series([r["status_20210416"] for r in rows]),
                       margins=True, margins_name="Totaal")


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("newcell")
    private = tmp / "private"
    private.mkdir()
    with open(paths.DATA_RAW / "pilot_participants_synthetic.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        r["synthetisch"] = "false"
    real = private / "deelnemers.csv"
    with open(real, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader(), w.writerows(rows)
    notebook = notebook_with_new_cells(tmp)
    before = os.environ.get("VWNW_PRIVATE_DIR")
    os.environ["VWNW_PRIVATE_DIR"] = str(tmp / "private-folder")  # its own ledger and checker's bundle
    (tmp / "private-folder").mkdir()
    (tmp / "private-folder" / "echt.csv").write_text("deelnemer_id\nP1\nP2\n", encoding="utf-8")
    root_before = os.environ.get("VWNW_PROJECT_ROOT")
    os.environ["VWNW_PROJECT_ROOT"] = str(paths.PROJECT_ROOT)  # the copy lies outside the project
    try:
        yield {"synthetic": execute(notebook, tmp, "data/raw/pilot_participants_synthetic.csv", "synthetic"),
               "real": execute(notebook, tmp, str(real), "real")}
    finally:
        os.environ.pop("VWNW_PRIVATE_DIR") if before is None else os.environ.update(VWNW_PRIVATE_DIR=before)
        os.environ.pop("VWNW_PROJECT_ROOT") if root_before is None else os.environ.update(
            VWNW_PROJECT_ROOT=root_before)


def test_the_cell_publishes_a_protected_table_that_equals_an_independent_count(runs):
    truth = independent_counts()
    for label in ("synthetic", "real"):
        out, _ = runs[label]
        csvs = sorted((out / "tables").glob("pilot_uitstroom_geslacht_*.csv"))
        assert len(csvs) == 1, label
        table = read_counts(csvs[0], ("Totaal", *active_study().statuses))  # by code (the file writes labels)
        shown = 0
        for g in table.index:
            for s in table.columns:
                v = table.loc[g, s]
                true = int(truth.loc[g, s]) if g in truth.index and s in truth.columns else 0
                if v == "x":
                    continue
                shown += 1
                assert int(v) == true, (label, g, s)
                assert not 0 < true < 10, f"{label}: a count of {true} persons is shown ({g}, {s})"
        assert shown >= 1
        assert sorted((out / "figures").glob("pilot_uitstroom_geslacht_*.svg")), label


def test_the_real_run_is_recorded_in_its_ledger_and_withstands_the_audit(runs, tmp_path_factory):
    from analysis import ledger
    from analysis.release import audit

    folder = next(p for p in tmp_path_factory.getbasetemp().rglob("private-folder") if p.is_dir())
    recorded = ledger.read(folder)
    assert recorded and all(e.structure for e in recorded)
    assert any(k.startswith("uitstroom_geslacht@") for e in recorded for k in e.structure["cells"])
    assert audit.attack_ledger(recorded) == []


def test_the_short_unsafe_route_shows_numbers_on_synthetic_data_and_a_refusal_on_real_data(runs):
    _, synthetic = runs["synthetic"]
    _, real = runs["real"]
    assert "not made by the release" not in outputs_of(synthetic, RAW_ROUTE)
    refused = outputs_of(real, RAW_ROUTE)
    assert "not made by the release" in refused and "run.crosstab" in refused
    assert not re.search(r"<td>\d+</td>", refused)  # no count in the refused output


def test_a_synthetic_run_opens_no_file_in_the_private_folder(runs):
    """The public site's run fails on a real file read by its path; the real-data run reads it."""
    _, synthetic = runs["synthetic"]
    _, real = runs["real"]
    refused = outputs_of(synthetic, PRIVATE_READ)
    assert "PRIVATE-READ REFUSED" in refused and "echt.csv" in refused and "synthetic data" in refused
    assert "PRIVATE-READ: 2" in outputs_of(real, PRIVATE_READ)


def test_the_documented_figure_passes_the_figure_check_when_its_bars_are_drawn():
    """Intruder round 11 (R1): on a real file large enough for bars to be drawn, the documented
    cell's seaborn figure was refused: seaborn's default error bars (one value per bar: a line of
    no length) put points at the dodged bar positions, numbers no table holds. The documented
    call draws the bars without them; its figure passes the check the run applies."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import seaborn as sns

    from analysis.release import figure_check

    call = next(line for line in the_documented_cell().splitlines() if "sns.barplot(" in line)
    table = pd.DataFrame({"nieuwe_baan": [120, 90, pd.NA], "in_bemiddeling": [60, 40, 11], "gestopt": [30, pd.NA, 12]},
                         index=pd.Index(["man", "vrouw", "onbekend"], name="geslacht"), dtype="Int64")
    table.columns.name = "status"
    scope = {"sns": sns, "bars": table.stack().astype(float).rename("aantal").reset_index()}
    plt.close("all")
    plt.figure()  # a new cell's current figure (seaborn draws on it), not one another test left open
    exec(call, scope)  # the documented line as written
    known = {float(v) for v in table.stack().dropna()}
    try:
        assert figure_check.foreign_numbers(scope["ax"].figure, table, "nl", set(), known, frozenset(), {}, ()) == []
    finally:
        plt.close("all")
