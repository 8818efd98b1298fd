"""The README's real-data command line, run literally on a non-synthetic participant file:
nothing below the threshold is published, every run's output-checking log says pass, and
what was published is what the intruder audit (``test_intruder_audit``) attacks."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.pilot import schema as ps, tables as pt
from tests import read_download
from tests.test_intruder_audit import K, run_both


def _readme_real_data_args() -> list[str]:
    import re
    import shlex

    from analysis import paths

    text = (paths.PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    found = re.findall(r'^make report ARGS="([^"]*--config studies/[^"]*)"$', text, flags=re.M)
    assert len(found) == 1, "the README shows one real-data command line"
    return shlex.split(found[0])


def _private_path(args: list[str]) -> str:
    """The participant file the command's run configuration names (every run the same)."""
    import yaml

    from analysis import paths

    config = yaml.safe_load((paths.PROJECT_ROOT / args[args.index("--config") + 1]).read_text(encoding="utf-8"))
    found = {e["parameters"]["participants_path"] for entries in config["runs"].values() for e in entries}
    assert len(found) == 1, found
    return found.pop()


def _project_copy(root) -> pd.DataFrame:
    """A project root whose data/raw/private holds a non-synthetic participant file at the
    README's path (the shipped rows with ``synthetisch`` false); code and notebooks link to
    this checkout, data files are copied."""
    import shutil

    from analysis import paths

    for name in ("notebooks", "src", "pyproject.toml", "requirements.lock"):
        if (paths.PROJECT_ROOT / name).exists():
            (root / name).symlink_to(paths.PROJECT_ROOT / name)
    shutil.copytree(paths.PROJECT_ROOT / "studies", root / "studies")  # the study files and run configurations
    raw = root / "data" / "raw"
    (raw / "private").mkdir(parents=True)
    for f in paths.DATA_RAW.iterdir():
        if f.is_file():  # copies: the reader refuses symbolic links to data files
            shutil.copyfile(f, raw / f.name)
    rows = pd.read_csv(paths.DATA_RAW / "pilot_participants_synthetic.csv", dtype=str, keep_default_na=False)
    rows["synthetisch"] = "false"
    return rows


def _person_count_values(table: pd.DataFrame, name: str) -> list[float]:
    if name.startswith("pilot_figuur_"):
        cols = list(table.columns)
    elif name.startswith("pilot_published_vs_pipeline"):
        cols = ["pijplijn"]
    else:
        cols = [c for c in ("n", "events", "group_n") if c in table.columns]
    values = pd.to_numeric(table[cols].stack(), errors="coerce").dropna()
    return values.tolist()


@pytest.mark.slow
def test_readme_real_data_command_publishes_nothing_below_the_threshold(tmp_path):
    import os
    import subprocess
    import sys

    args = _readme_real_data_args()
    rel = _private_path(args)
    root = tmp_path / "project"
    root.mkdir()
    rows = _project_copy(root)
    rows.to_excel(root / rel, index=False)
    env = dict(os.environ, VWNW_PROJECT_ROOT=str(root))
    # the command `make report` runs, with the README's ARGS as written
    done = subprocess.run([sys.executable, "-m", "analysis", "report", "-j", "2", *args],
                          cwd=root, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    tables = root / "reports-private" / "tables"  # a private file: its own folder, by default
    assert not (root / "reports").exists()
    published = sorted(tables.glob("pilot_*.csv")) + sorted(tables.glob("models_*.csv"))
    assert published and not [p for p in published if "schoonmaak" in p.name]  # the study's own runs only
    assert any("figuur_12" in p.name for p in published) and any("models_rates" in p.name for p in published)
    for path in published:
        table = read_download.read(path, ("pijplijn", "n", "events", "group_n"))  # downloads carry labels
        small = [v for v in _person_count_values(table, path.stem) if 0 < v < K]
        assert not small, f"{path.name} publishes counts below {K}: {small}"
    assert not list(root.joinpath("reports-private").rglob("*disclosure_log*"))  # the checker's material: not here
    import hashlib

    plain = hashlib.sha256((root / rel).read_bytes()).hexdigest()
    for f in (p for p in (root / "reports-private").rglob("*") if p.is_file()):  # every file, the runner's own too
        text = f.read_bytes().decode("utf-8", errors="replace")
        for needle in (Path(rel).name, plain, plain[:16], str(root)):
            assert needle not in text, f"{f.relative_to(root)} names the private input ({needle[:20]}...)"
    bundles = sorted(p for p in (root / "data" / "raw" / "private" / "checking").glob("*/results.json")
                     if p.parent.name.startswith(("02_", "03_")))  # (04 runs on its synthetic defaults here)
    assert len(bundles) == 5, bundles  # three runs of notebook 02 (one in English), two of notebook 03 (one in English)
    for bundle in bundles:
        records = json.loads(bundle.read_text(encoding="utf-8"))["results"].values()
        tables_checked = [r for r in records if r["status"] != "review"]  # review: the evaluator's exception requests
        assert {r["status"] for r in tables_checked} == {"pass"}
        assert {r["properties"]["threshold"] for r in tables_checked} == {K}, [
            (bundle.parent.name, r["command"]) for r in tables_checked if r["properties"]["threshold"] != K][:2]
        assert all(r["exception"] for r in records if r["status"] == "review")
    for executed in (root / "reports-private").rglob("*.ipynb"):  # pages keep only what the release tagged
        cells = json.loads(executed.read_text(encoding="utf-8"))["cells"]
        kinds = {o["output_type"] for c in cells for o in c.get("outputs", [])}
        assert kinds <= {"display_data", "execute_result"}, (executed.name, kinds)
    from analysis import ledger
    from analysis.release import audit

    recorded = ledger.read(root / "data" / "raw" / "private")  # the release is remembered, and attacked as recorded
    assert {e.notebook.split(":")[0] for e in recorded} == {"02", "03"}
    assert audit.attack_ledger(recorded) == []
    # what was published is what the audit attacks
    from analysis.pilot.inputs import load_participants

    real = load_participants(root / rel)
    assert not real["synthetisch"].any()
    expected = pt.joint_figure_tables(real, K)[0]
    for cutoff in ps.CUTOFF_DATES:
        tag = f"{cutoff.replace('-', '')}_nl_k{K}"  # output names carry cut-off, language, threshold
        for name, table in expected[cutoff].items():
            written = read_download.read_counts(tables / f"pilot_{name}_{tag}.csv", ("totaal", "aantal"))
            want = pd.DataFrame(table).astype(object)
            want = want.where(want.notna(), "x").astype(str)
            assert written.astype(str).to_numpy().tolist() == want.to_numpy().tolist()
    assert run_both(real, K) == []
    reviewer = root / "reports-private" / "html" / "reviewer"
    html = "".join(p.read_text(encoding="utf-8") for p in reviewer.glob("0[23]*.html"))
    assert "counts withheld (disclosure control)" in html
    assert "aantallen achtergehouden (statistische beveiliging)" in html
