"""Notebook 04 on a file that is not synthetic, in one invocation with notebook 02 (issue 27,
issue 23): it runs through the release, its curve cells are recorded in the ledger with the
figure tables' cells and the audit finds nothing in them, the merging log is in the output
checker's bundle and not published, and no published count of it is below the threshold."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pandas as pd
import pytest

from analysis.pilot.synthetic import generate_participants, status_history
from tests.test_readme_real_data import _project_copy

pytestmark = [pytest.mark.slow, pytest.mark.audit]  # heavy: make test-audit
K = 10
N = 200
CONFIG = """runs:
  02_pilot_participants:
    - parameters: {{cutoff_date: "2021-04-01", min_cell_count: 10, participants_path: {p}, status_history_path: {h}}}
  04_time_to_work:
    - parameters: {{min_cell_count: 10, participants_path: {p}, status_history_path: {h}}}
"""


def _as_file(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out["synthetisch"] = False
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d")
    return out


def test_notebook_04_on_a_real_file_is_released_recorded_and_attacked_with_notebook_02(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    _project_copy(root)
    people = generate_participants(N)
    history = status_history(people)
    private = root / "data" / "raw" / "private"
    _as_file(people).to_csv(private / "deelnemers.csv", index=False)
    history.assign(datum=history["datum"].dt.strftime("%Y-%m-%d")).to_csv(private / "statushistorie.csv", index=False)
    config = root / "real.yml"
    config.write_text(CONFIG.format(p="data/raw/private/deelnemers.csv", h="data/raw/private/statushistorie.csv"),
                      encoding="utf-8")
    env = dict(os.environ, VWNW_PROJECT_ROOT=str(root))
    done = subprocess.run([sys.executable, "-m", "analysis", "report", "-j", "2", "--config", str(config), "--force",
                           "--reports", str(root / "reports-private")], cwd=root, env=env, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    published = root / "reports-private"
    assert list(published.rglob("04_time_to_work*.html")), "notebook 04 ran and was published"
    assert not list(published.rglob("time_to_work_release_*")), "the merging log is the checker's"
    for path in published.rglob("time_to_work_*.csv"):
        table = pd.read_csv(path)
        counts = pd.to_numeric(table[[c for c in ("n_risk", "events", "competing", "censored", "group_n")
                                      if c in table.columns]].stack(), errors="coerce").dropna()
        assert not ((counts > 0) & (counts < K)).any(), path.name
    bundles = sorted((private / "checking").glob("04_time_to_work*/results.json"))
    assert bundles
    rules = [r["summary"] for r in json.loads(bundles[0].read_text(encoding="utf-8"))["results"].values()]
    assert any("intervals" in r for r in rules)
    from analysis.release import audit, ledger

    recorded = ledger.read(private)
    mine = [e for e in recorded if e.notebook == "04"]
    assert mine and any(k.startswith("T|") for k in mine[0].structure["cells"])
    assert any(k.startswith("figuur_12") for k in mine[0].structure["cells"])  # one programme with Figuur 12
    assert {e.notebook for e in recorded} == {"02", "04"}
    assert audit.attack_ledger(recorded) == []
