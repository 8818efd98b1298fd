"""Validated inputs kept as Parquet in data/processed: same data back, rebuilt whenever the
raw file or the rules change, never trusted when damaged or made from another file."""

import json
import shutil

import pandas as pd
import pyarrow.parquet as pq
import pytest

from analysis import paths
from analysis.data import processed
from analysis.data.errors import InputError
from analysis.pilot.inputs import load_participants
from analysis.pilot.schema import PARTICIPANTS

SYNTHETIC = paths.DATA_RAW / "pilot_participants_synthetic.csv"


@pytest.fixture()
def raw(tmp_path):
    copy = tmp_path / "raw" / "participants.csv"
    copy.parent.mkdir()
    shutil.copyfile(SYNTHETIC, copy)
    return copy


def test_processed_parquet_holds_exactly_the_validated_frame(raw, tmp_path):
    direct = load_participants(raw)
    first = load_participants(raw, tmp_path / "processed")
    target = tmp_path / "processed" / "participants.parquet"
    assert target.is_file()
    again = load_participants(raw, tmp_path / "processed")
    pd.testing.assert_frame_equal(first, direct)
    pd.testing.assert_frame_equal(again, direct)
    note = json.loads((tmp_path / "processed" / "participants.parquet.json").read_text())
    assert (note["rows"], note["spec"], note["source"]) == (len(direct), PARTICIPANTS.name, "participants.csv")


def test_second_load_reads_the_parquet_file_without_validating(raw, tmp_path, monkeypatch):
    load_participants(raw, tmp_path / "processed")
    import analysis.data.loading as validation

    def fail(*_a, **_k):
        raise AssertionError("the raw file was validated again although the processed file is current")

    monkeypatch.setattr(validation, "validate_frame", fail)
    assert len(load_participants(raw, tmp_path / "processed")) == 30


def test_a_changed_raw_file_is_validated_again_and_its_errors_reported(raw, tmp_path):
    load_participants(raw, tmp_path / "processed")
    table = pd.read_csv(raw, dtype=str, keep_default_na=False)
    table.loc[4, "triage"] = "7"
    table.to_csv(raw, index=False, lineterminator="\n")
    with pytest.raises(InputError) as err:
        load_participants(raw, tmp_path / "processed")
    assert "triage" in str(err.value) and "participants.csv" in str(err.value)


def test_a_changed_raw_file_replaces_the_processed_file(raw, tmp_path):
    load_participants(raw, tmp_path / "processed")
    key_before = pq.read_schema(tmp_path / "processed" / "participants.parquet").metadata[processed.KEY]
    raw.write_text(raw.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # same rows, other bytes
    load_participants(raw, tmp_path / "processed")
    key_after = pq.read_schema(tmp_path / "processed" / "participants.parquet").metadata[processed.KEY]
    assert key_before != key_after
    assert key_after.decode().startswith(processed.sha256_of(raw))


def test_new_validation_code_invalidates_the_processed_file(raw, tmp_path, monkeypatch):
    load_participants(raw, tmp_path / "processed")
    monkeypatch.setattr(processed, "source_hash", lambda: "changed-rules")
    assert processed.read_if_current(raw, processed.cache_key(raw, PARTICIPANTS.name), tmp_path / "processed") is None


def test_a_damaged_processed_file_is_rebuilt_not_trusted(raw, tmp_path):
    load_participants(raw, tmp_path / "processed")
    target = tmp_path / "processed" / "participants.parquet"
    target.write_bytes(target.read_bytes()[:100])
    assert processed.read_if_current(raw, processed.cache_key(raw, PARTICIPANTS.name), tmp_path / "processed") is None
    assert len(load_participants(raw, tmp_path / "processed")) == 30
    key = processed.cache_key(raw, PARTICIPANTS.name)
    assert processed.read_if_current(raw, key, tmp_path / "processed") is not None


def test_a_processed_file_made_from_another_raw_file_of_the_same_name_is_not_used(raw, tmp_path):
    other = tmp_path / "elsewhere" / "participants.csv"
    other.parent.mkdir()
    lines = raw.read_text(encoding="utf-8").splitlines()
    other.write_text("\n".join(lines[:11]) + "\n", encoding="utf-8")  # the first 10 participants
    assert len(load_participants(other, tmp_path / "processed")) == 10
    assert len(load_participants(raw, tmp_path / "processed")) == 30


def test_without_processed_dir_nothing_is_written(raw, tmp_path):
    load_participants(raw)
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["participants.csv"]


def test_a_folder_that_cannot_be_written_names_the_parameter_and_the_remedy(raw, tmp_path):
    """Hostile round 14, H18: an immutable processed_dir failed with pyarrow's PermissionError
    on a temporary file's name, without the parameter or a remedy (root writes through chmod:
    the folder is made immutable, as the tester did)."""
    import subprocess

    folder = tmp_path / "processed"
    folder.mkdir()
    if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available here")
    try:
        with pytest.raises(InputError) as info:
            load_participants(raw, folder)
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)
    message = str(info.value)
    assert "processed_dir" in message and "cannot be written" in message and "chattr -i" in message
    assert "-p processed_dir=" in message and "parquet.tmp" not in message, message


def test_a_write_error_of_the_validated_copy_is_one_input_error(raw, tmp_path, monkeypatch):
    """The same without chattr: any OS error while the copy is written (a full disk too)."""
    import errno

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "processed" / ".x.tmp1-2"))

    monkeypatch.setattr(processed, "replace_atomically", full)
    with pytest.raises(InputError, match=r"processed_dir\) cannot be written \(No space left on device\)"):
        load_participants(raw, tmp_path / "processed")


@pytest.mark.parametrize("edit", ["a cell", "a row dropped"])
def test_a_copy_changed_after_validation_with_its_key_kept_is_not_trusted(raw, tmp_path, edit):
    """Hostile round 15 (H11): the copy's leeftijd of the first person set to 99, its metadata
    (the key) kept, was read back as 99, validation skipped. The reference is the raw file."""
    import pyarrow as pa

    folder = tmp_path / "processed"
    load_participants(raw, folder)
    target = processed.processed_path(raw, folder)
    table = pq.read_table(target)
    frame = table.to_pandas()
    first = frame["deelnemer_id"].iloc[0]
    if edit == "a cell":
        frame.loc[frame["deelnemer_id"] == first, "leeftijd"] = 99
    else:
        frame = frame[frame["deelnemer_id"] != first]
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False).replace_schema_metadata(table.schema.metadata),
                   target)
    key = processed.cache_key(raw, PARTICIPANTS.name)
    assert processed.read_if_current(raw, key, folder) is None
    expected = pd.read_csv(raw, dtype=str).set_index("deelnemer_id").loc[first, "leeftijd"]
    again = load_participants(raw, folder)
    assert str(again.set_index("deelnemer_id").loc[first, "leeftijd"]) == expected
    assert processed.read_if_current(raw, key, folder) is not None  # rebuilt: trusted again
