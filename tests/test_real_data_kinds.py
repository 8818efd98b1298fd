"""Issue 23's evidence: the README's real-data command on non-synthetic files of the kinds an
intruder tried (skewed categories, a one-person education level, a group where everyone
found work, every group large enough for the models to publish), each attacked from its
ledger, and a corrected second release of a file refused with the first publication left
as it was. Heavy (several notebook runs per file): ``make test-audit``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.pilot.synthetic import generate_participants, status_history
from analysis.private_data import PRIVATE_LABEL
from tests import read_download
from tests.test_readme_real_data import _private_path, _project_copy, _readme_real_data_args

pytestmark = [pytest.mark.slow, pytest.mark.audit]

WORK = ("nieuwe_baan", "werk_en_scholing")


def skewed(df):
    df["opleidingsniveau"] = ["laag"] * (len(df) - 6) + ["middelbaar"] * 3 + ["hoog"] * 3
    return df


def one_person_level(df):
    df["opleidingsniveau"] = ["hoog"] + ["laag", "middelbaar"] * ((len(df) - 1) // 2) + ["laag"] * ((len(df) - 1) % 2)
    return df


def all_found_work(df):
    df["opleidingsniveau"] = np.where(df["status_20210416"].isin(WORK), "hoog", "laag")
    return df


def models_publish(df):
    df["opleidingsniveau"] = (["laag", "middelbaar", "hoog"] * len(df))[:len(df)]
    # the generator puts everyone of triage path 1 in work, a rate of 100% the release withholds
    # on real data (a fact of each of them); 60 of path 2 still in mediation join path 1
    moved = df.index[(df["triage"] == 2) & (df["status_20210416"] == "in_bemiddeling")][:60]
    df.loc[moved, "triage"] = 1
    # and 20 of path 2 who left the pilot by 1 April: a path none of whom left says so of each of
    # its persons beside Figuur 10 (attack 19, C4), and the gate withholds the path's rates
    left = df.index[(df["triage"] == 2) & df["status_20210401"].isin(["oude_werkgever", "gestopt"])][:20]
    df.loc[left, "triage"] = 1
    # the generator moves everyone in education into a new job outside catering and government
    # between the dates: equal counts at both dates would say so of each mover (attack 16, F7),
    # and the gate withholds what would tell it, the models among them. 30 stay in education,
    # 20 movers start work with education, 40 find their job in catering and government
    stay = df.index[(df["status_20210401"] == "opleiding") & (df["status_20210416"] != "opleiding")][:30]
    df.loc[stay, "status_20210416"] = "opleiding"
    df.loc[stay, ["sector_nieuw", "contract_nieuw", "gevonden_via", "uitstroomdatum"]] = None
    into = df.index[df["status_20210401"].isin(["in_bemiddeling", "opleiding"])
                    & (df["status_20210416"] == "nieuwe_baan")].difference(stay)
    df.loc[into[:20], "status_20210416"] = "werk_en_scholing"
    df.loc[into[20:40], "sector_nieuw"] = "horeca_catering"
    df.loc[into[40:60], "sector_nieuw"] = "overheid"
    return df


KINDS = {"skewed": (60, skewed), "one_person_level": (45, one_person_level), "all_found_work": (80, all_found_work),
         "models_publish": (3000, models_publish)}
# the kinds published through a dated status history as well (the all-found-work file with a
# history once stopped notebook 02 at its findings: "57 ... not a published number")
WITH_HISTORY = {"all_found_work"}


def as_file(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out["synthetisch"] = False
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d")
    return out


CONFIG = """runs:
  02_pilot_participants:
    - parameters: {cutoff_date: "2021-04-16", min_cell_count: 10, participants_path: {rel}, status_history_path: ""}
  03_outcome_models:
    - parameters: {min_cell_count: 10, participants_path: {rel}, status_history_path: ""}
"""


def publish(root, rows: pd.DataFrame, rel: str, args: list[str],
            study: str | None = None, history: pd.DataFrame | None = None) -> subprocess.CompletedProcess:
    """The README's real-data arguments, with one run of each pilot notebook (the README's
    own configuration is run literally by test_readme_real_data), of ``study`` if named, with
    a dated status ``history`` beside the file if given."""
    rows.to_excel(root / rel, index=False)
    config = CONFIG.replace("{rel}", rel if study is None else f"{rel}, study: {study}")
    if history is not None:
        hist = str(Path(rel).with_name(Path(rel).stem + ".status_history.csv"))
        history.assign(datum=history["datum"].dt.strftime("%Y-%m-%d")).to_csv(root / hist, index=False)
        config = config.replace('status_history_path: ""', f"status_history_path: {hist}")
    (root / "kinds.yml").write_text(config, encoding="utf-8")
    return _report(root, root / "kinds.yml")


def _pilot_notebooks(root) -> Path:
    """A notebooks folder with the two notebooks the attack is about (02 and 03): the DWSRA
    notebook reads no participant file, and notebook 04 would run on its synthetic defaults."""
    nbs = root / "pilot-notebooks"
    if not nbs.is_dir():
        nbs.mkdir()
        for name in ("02_pilot_participants.ipynb", "03_outcome_models.ipynb"):
            shutil.copyfile(root / "notebooks" / name, nbs / name)
    return nbs


def _report(root, config) -> subprocess.CompletedProcess:
    env = dict(os.environ, VWNW_PROJECT_ROOT=str(root))
    env.pop("VWNW_PRIVATE_DIR", None)
    return subprocess.run([sys.executable, "-m", "analysis", "report", "-j", "2", "--force", "--notebooks",
                           str(_pilot_notebooks(root)), "--config", str(config), "--reports",
                           str(root / "reports-private")], cwd=root, env=env, capture_output=True, text=True)


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_real_data_command_on_each_kind_withstands_the_ledger_audit(kind, tmp_path):
    from analysis import ledger
    from analysis.release import audit

    n, shape = KINDS[kind]
    root, rel, args = _project(tmp_path)
    df = shape(generate_participants(n, seed=20 + n))
    done = publish(root, as_file(df), rel, args, history=status_history(df) if kind in WITH_HISTORY else None)
    assert done.returncode == 0, done.stderr[-3000:]
    recorded = ledger.read(root / "data" / "raw" / "private")
    assert {e.notebook.split(":")[0] for e in recorded} == {"02", "03"}
    assert audit.attack_ledger(recorded) == []
    if kind in WITH_HISTORY:  # the run read the history (a private input), not the file's snapshot columns
        state = json.loads((root / "reports-private" / ".runner-state.json").read_text(encoding="utf-8"))
        assert state["02_pilot_participants"]["parameters"]["status_history_path"] == PRIVATE_LABEL
    if kind == "models_publish":  # the model path is exercised: coefficients are shown
        tables = root / "reports-private" / "tables"
        coef = pd.concat(read_download.read(p, ("coef",)) for p in tables.glob("models_coefficients_work_*nl*.csv")
                         if "columns" not in p.name)
        assert coef["coef"].notna().any()


def _project(tmp_path):
    """A copy of the project, the README's real-data arguments and their participant file's path."""
    args = _readme_real_data_args()
    root = tmp_path / "project"
    root.mkdir()
    _project_copy(root)
    return root, _private_path(args), args


def _file_and_correction() -> tuple[pd.DataFrame, pd.DataFrame]:
    """A non-synthetic file of 60 and the same file with one record corrected (an age of 35
    or less becomes 60: another age group)."""
    first = as_file(one_person_level(generate_participants(60, seed=3)))
    corrected = first.copy()
    i = corrected.index[corrected["leeftijd"].astype(float) <= 35][0]
    corrected.loc[i, "leeftijd"] = 60
    return first, corrected


def _copied_study(root) -> str:
    """The shipped study file and its side files under a new id (``kopie``), in ``root``."""
    studies = root / "studies"
    for f in sorted(studies.glob(f"{STUDY}.*")):
        text = f.read_text(encoding="utf-8").replace(f"id: {STUDY}", "id: kopie").replace("default: true", "")
        (studies / f.name.replace(STUDY, "kopie")).write_text(text, encoding="utf-8")
    return "kopie"


STUDY = "catering_noordoost_brabant_2021"


@pytest.mark.parametrize("second_study", [STUDY, "kopie"], ids=["same_study", "study_file_copied"])
def test_a_corrected_file_that_would_reveal_the_corrected_person_is_refused(tmp_path, second_study):
    """Also when the study file is copied under a new id for the second release (found by the
    sixth intruder: the copy started with an empty ledger): releases are related by their
    people, not only by their study id."""
    root, rel, args = _project(tmp_path)
    first, corrected = _file_and_correction()
    assert publish(root, first, rel, args).returncode == 0
    before = {p: p.read_bytes() for p in (root / "reports-private" / "tables").glob("*.csv")}
    study = STUDY if second_study == STUDY else _copied_study(root)
    done = publish(root, corrected, rel, args, study)
    assert done.returncode != 0
    said = " ".join(done.stderr.split())  # the runner wraps a long cause over lines
    assert "would differ by fewer than 10 persons from a recorded release of another file" in said
    assert "Nothing was published" in said
    assert {p: p.read_bytes() for p in (root / "reports-private" / "tables").glob("*.csv")} == before


def test_a_file_and_its_correction_in_one_invocation_publish_nothing(tmp_path):
    """Intruder round 7: two runs of one invocation, one on a file and one on its corrected
    version, were both published. The runner compares the invocation's releases with each
    other before it records or publishes anything."""
    import yaml

    from analysis import ledger

    root, rel, args = _project(tmp_path)
    first, corrected = _file_and_correction()
    other = rel.replace(".xlsx", "_gecorrigeerd.xlsx")
    first.to_excel(root / rel, index=False)
    corrected.to_excel(root / other, index=False)
    config = {"runs": {"02_pilot_participants": [
        {"suffix": lang, "parameters": {"cutoff_date": "2021-04-16", "min_cell_count": 10, "participants_path": path,
                                        "status_history_path": "", "language": lang}}
        for path, lang in ((rel, "nl"), (other, "en"))]}}
    (root / "two.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    done = _report(root, root / "two.yml")
    assert done.returncode != 0
    assert "another run of this invocation on another file of the same people" in done.stderr, done.stderr[-2000:]
    assert not list((root / "reports-private").glob("tables/*.csv"))
    assert ledger.read(root / "data" / "raw" / "private") == []
