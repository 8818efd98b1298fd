"""The list of the repository's own inputs (``analysis.shipped_files``) is the repository's:
every file git tracks in data/raw, studies and tests (code aside) with its bytes, nothing else.
A shipped input changed without the list fails here, with the command that rewrites it."""

from __future__ import annotations

import hashlib
import subprocess

import pytest

from analysis import paths, shipped_files


def _git_files() -> list[str]:
    try:
        out = subprocess.run(["git", "ls-files", "-z", "--", *shipped_files.FOLDERS], cwd=paths.PROJECT_ROOT,
                             capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return sorted(n for n in out.stdout.decode().split("\0") if n and not n.endswith(".py"))


def test_the_list_of_shipped_files_is_the_repository_s():
    expected = {n: hashlib.sha256((paths.PROJECT_ROOT / n).read_bytes()).hexdigest() for n in _git_files()}
    listed = shipped_files.listed()
    stale = sorted(n for n in set(expected) | set(listed) if expected.get(n) != listed.get(n))
    assert not stale, (f"{len(stale)} shipped inputs differ from src/analysis/shipped_files.sha256 (first: "
                       f"{stale[:3]}); after changing a shipped input run "
                       "`.venv/bin/python -m analysis.shipped_files --write`")
    assert shipped_files.main(["--check"]) == 0


def test_each_shipped_input_is_shipped_and_a_copy_elsewhere_or_a_changed_byte_is_not(tmp_path):
    from analysis import private_data

    some = paths.DATA_RAW / "pilot_participants_synthetic.csv"
    assert private_data.is_shipped(some)
    copy = tmp_path / some.name
    copy.write_bytes(some.read_bytes())
    assert not private_data.is_shipped(copy)  # not at its place (its claim is still believed as a copy)
    assert hashlib.sha256(copy.read_bytes()).hexdigest() in shipped_files.digests()


def test_the_list_is_not_rewritten_over_a_participant_file_typed_over_by_hand(tmp_path, monkeypatch):
    """Intruder round 11 (S1): real records typed over the shipped synthetic file, then the
    command this test's first message names (``--write``): the list took the typed-over file in
    as shipped, and its synthetic claim was believed again. A changed participant data file in
    data/raw is listed only when the generator wrote it (its seal); other inputs as before."""
    import subprocess as sp

    root = tmp_path / "project"
    raw = root / "data" / "raw"
    raw.mkdir(parents=True)
    people, facts = raw / "deelnemers_synthetic.csv", raw / "dwsra_register.csv"
    people.write_text("deelnemer_id,synthetisch\nS1,true\n", encoding="utf-8")
    facts.write_text("project,bedrag\nA,1\n", encoding="utf-8")
    sp.run(["git", "init", "-q", str(root)], check=True)
    sp.run(["git", "-C", str(root), "add", "-A"], check=True)
    monkeypatch.setattr(paths, "PROJECT_ROOT", root)
    monkeypatch.setattr(shipped_files, "MANIFEST", tmp_path / "list.sha256")
    monkeypatch.setenv("VWNW_SEAL_DIR", str(tmp_path / "seals"))
    assert shipped_files.main(["--write"]) == 1  # first listing: the generator's seal is missing too
    (tmp_path / "seals").mkdir()
    (tmp_path / "seals" / hashlib.sha256(people.read_bytes()).hexdigest()).touch()  # as the generator seals
    assert shipped_files.main(["--write"]) == 0
    people.write_text("deelnemer_id,synthetisch\nR1,true\n", encoding="utf-8")  # typed over
    facts.write_text("project,bedrag\nA,2\n", encoding="utf-8")  # a public input corrected by hand: fine
    before = shipped_files.MANIFEST.read_text(encoding="utf-8")
    assert shipped_files.main(["--write"]) == 1
    assert shipped_files.MANIFEST.read_text(encoding="utf-8") == before
    people.write_text("deelnemer_id,synthetisch\nS1,true\n", encoding="utf-8")  # restored
    assert shipped_files.main(["--write"]) == 0
    assert "dwsra_register.csv" in shipped_files.MANIFEST.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["pilot_participants_r17.txt", "DEELNEMERS_EXPORT.CSV", "people.tsv", "people"])
def test_a_new_file_in_data_raw_is_refused_whatever_its_suffix(tmp_path, monkeypatch, name):
    """Intruder round 17 (A4): a real participant file named ``.txt`` (or ``.CSV``) in data/raw,
    staged with git, was taken into the list by ``--write``: the check looked only at names
    ending ``.csv``, ``.xlsx`` or ``.parquet``, while the readers read any other suffix as
    text. Its synthetic claim was then believed and its counts went out at threshold 1.
    Documentation and mappings beside the data are still listed without a seal."""
    import subprocess as sp

    root = tmp_path / "project"
    raw = root / "data" / "raw"
    raw.mkdir(parents=True)
    (raw / name).write_text("deelnemer_id,synthetisch\nR1,true\n", encoding="utf-8")
    (raw / "README.md").write_text("# codebook\n", encoding="utf-8")
    (raw / "export.mapping.yml").write_text("source: export.xlsx\n", encoding="utf-8")
    sp.run(["git", "init", "-q", str(root)], check=True)
    sp.run(["git", "-C", str(root), "add", "-A"], check=True)
    monkeypatch.setattr(paths, "PROJECT_ROOT", root)
    monkeypatch.setattr(shipped_files, "MANIFEST", tmp_path / "list.sha256")
    monkeypatch.setenv("VWNW_SEAL_DIR", str(tmp_path / "seals"))
    assert shipped_files.unsealed_changes(shipped_files.in_repository(root)) == [f"data/raw/{name}"]
    assert shipped_files.main(["--write"]) == 1
    assert not shipped_files.MANIFEST.exists()
