from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
SYNTHETIC_CSV = ROOT / "data" / "raw" / "pilot_participants_synthetic.csv"


@pytest.fixture(scope="session")
def pilot30() -> pd.DataFrame:
    from analysis.pilot.inputs import load_participants

    return load_participants(SYNTHETIC_CSV)


@pytest.fixture()
def raw_pilot_text() -> str:
    return SYNTHETIC_CSV.read_text(encoding="utf-8")
