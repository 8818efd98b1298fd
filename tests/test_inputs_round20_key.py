"""Hostile round 20, finding 4: a provenance key written with a CRLF line end or in uppercase hex
was refused (the same 32 bytes: accepted), and the advice for a private subfolder that is a link
(``rm`` it, the runner makes the folder) would have started an empty release ledger."""

from __future__ import annotations

import pytest

from analysis import private_data
from analysis.private_data import key_file_problem, private_material_problem

KEY = "0123456789abcdef" * 4


@pytest.mark.parametrize("text", [KEY + "\r\n", KEY.upper() + "\n", KEY.upper(), KEY + "\n"])
def test_an_unambiguous_key_is_accepted_and_read_as_its_bytes(tmp_path, monkeypatch, text):
    (tmp_path / private_data.KEY_FILE).write_bytes(text.encode("ascii"))
    assert key_file_problem(tmp_path / private_data.KEY_FILE) is None
    monkeypatch.setattr(private_data, "private_dir", lambda: tmp_path)
    assert private_data.key() == bytes.fromhex(KEY)


@pytest.mark.parametrize("text", [KEY + "\n\n", KEY[:-1] + "g\n", " " + KEY, KEY + "\r\r\n", KEY[:-2] + "\n"])
def test_an_ambiguous_key_is_refused_with_the_rule(tmp_path, text):
    (tmp_path / private_data.KEY_FILE).write_bytes(text.encode("ascii"))
    problem = key_file_problem(tmp_path / private_data.KEY_FILE)
    assert problem is not None and "64 hexadecimal digits, 0-9 and a-f in either case" in problem


def test_a_linked_releases_folder_is_never_advised_away_without_its_ledger(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "ledger.jsonl").write_text("{}\n", encoding="utf-8")
    private = tmp_path / "private"
    private.mkdir()
    (private / "releases").symlink_to(elsewhere)
    problem = private_material_problem(private)
    assert "the runner makes the folder" not in problem
    assert f"cp -a {elsewhere} {private / 'releases'}" in problem and "earlier releases" in problem
