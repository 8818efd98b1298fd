"""An input's sha256 is computed once per process while the file is unchanged
(analysis.data.digests), and again after any write to it or another file at its path."""

from __future__ import annotations

import hashlib
import os

from analysis.data import digests


def _counting(monkeypatch) -> list:
    calls = []
    real = digests.sha256_file

    def counted(path):
        calls.append(path)
        return real(path)

    monkeypatch.setattr(digests, "sha256_file", counted)
    return calls


def test_an_unchanged_file_is_hashed_once(tmp_path, monkeypatch):
    calls = _counting(monkeypatch)
    f = tmp_path / "a.csv"
    f.write_bytes(b"x,y\n1,2\n")
    assert digests.sha256_of(f) == digests.sha256_of(str(f)) == hashlib.sha256(b"x,y\n1,2\n").hexdigest()
    assert len(calls) == 1


def test_a_written_or_replaced_file_is_hashed_again(tmp_path, monkeypatch):
    calls = _counting(monkeypatch)
    f = tmp_path / "a.csv"
    f.write_bytes(b"x,y\n1,2\n")
    before = digests.sha256_of(f)
    st = os.stat(f)
    f.write_bytes(b"x,y\n1,3\n")  # same size; the times set back as a careless copy would
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert digests.sha256_of(f) == hashlib.sha256(b"x,y\n1,3\n").hexdigest() != before
    other = tmp_path / "b.csv"
    other.write_bytes(b"x,y\n1,4\n")
    os.replace(other, f)  # another file at the path
    assert digests.sha256_of(f) == hashlib.sha256(b"x,y\n1,4\n").hexdigest()
    assert len(calls) == 3
