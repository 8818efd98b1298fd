"""Attack 26, leak 2: the same file with its rows reversed (or saved as a semicolon CSV with decimal
commas) had another keyed hash of its bytes, so the ledger took it for "another file": its tables
were only compared cell by cell with those of the first, never attacked jointly with them, and two
invocations (education x sex, then age x sex, beside Figuur 7) pinned a count of 3. The data's
identity in the ledger is now the keyed hash of the validated data in id order, whatever bytes held
it; a corrected file is other data."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_attack22 import _real_run  # noqa: E402

from analysis import ledger  # noqa: E402
from analysis.release.loading import generate_for_active_study  # noqa: E402


@pytest.fixture
def private_key(tmp_path, monkeypatch):
    monkeypatch.setenv("VWNW_PRIVATE_DIR", str(tmp_path / "private"))


def test_the_same_data_in_another_row_order_is_the_same_data(private_key):
    df = generate_for_active_study(120).assign(synthetisch=False)
    first = _real_run(df).inputs_id
    assert _real_run(df.iloc[::-1].reset_index(drop=True)).inputs_id == first
    assert _real_run(df.sample(frac=1, random_state=3).reset_index(drop=True)).inputs_id == first


def test_a_corrected_record_is_other_data(private_key):
    df = generate_for_active_study(120).assign(synthetisch=False)
    corrected = df.copy()
    corrected.loc[corrected.index[5], "geslacht"] = "vrouw" if df.at[df.index[5], "geslacht"] == "man" else "man"
    assert _real_run(corrected).inputs_id != _real_run(df).inputs_id


def test_the_history_is_part_of_the_data(private_key):
    import pandas as pd

    df = generate_for_active_study(40).assign(synthetisch=False)
    history = pd.DataFrame({"deelnemer_id": ["a", "b"], "datum": pd.to_datetime(["2021-01-01", "2021-02-01"]),
                            "status": ["in_bemiddeling", "nieuwe_baan"]})
    assert ledger.data_id(df, history) == ledger.data_id(df, history.iloc[::-1])
    assert ledger.data_id(df, history) != ledger.data_id(df, history.assign(status="in_bemiddeling"))
    assert ledger.data_id(df, history) != ledger.data_id(df)


def test_the_same_people_under_new_pseudonyms_are_the_same_data(private_key):
    """Recheck of attack 26, V1: the same records under new ids (F0001 -> G0001), and their history
    re-keyed the same way, are the same data, so their releases are attacked jointly."""
    import pandas as pd

    df = generate_for_active_study(60).assign(synthetisch=False)
    rekeyed = df.assign(deelnemer_id="G" + df["deelnemer_id"].str[3:])
    assert _real_run(rekeyed).inputs_id == _real_run(df).inputs_id
    first, second = df["deelnemer_id"].iloc[[0, 1]]
    history = pd.DataFrame({"deelnemer_id": [first, second], "datum": pd.to_datetime(["2021-01-01", "2021-02-01"]),
                            "status": ["in_bemiddeling", "nieuwe_baan"]})
    moved = history.assign(deelnemer_id=history["deelnemer_id"].map(dict(zip(df.deelnemer_id, rekeyed.deelnemer_id))))
    assert ledger.data_id(rekeyed, moved) == ledger.data_id(df, history)
    # the history's statuses belong to their persons: swapped between two persons it is other data
    swapped = history.assign(deelnemer_id=[second, first])
    assert (ledger.data_id(df, swapped) != ledger.data_id(df, history)) == (
        df.drop(columns="deelnemer_id").iloc[0].to_dict() != df.drop(columns="deelnemer_id").iloc[1].to_dict())
