"""Reading a CSV makes no whole-file copies it does not need (issue 29: at 1,000,000
participants splitting the text into lines for its header, stripping it to see whether it is
blank and encoding the decoded text again for pyarrow took about 1.5 s of CPU of the
validation both kernels wait for). The shortcuts must give what the whole-file operations
gave: the references here are those operations themselves."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from analysis.data.errors import InputError
from analysis.data.readers import decode, first_line, read_text, utf8_bytes

PIECES = ["", "\n", "\r\n", "\r", "a,b", "é;ü", " ", "\x0b", "\x0c", "\u2028", "\x85", "x\n1,2", "\t"]


def test_first_line_is_the_first_line_after_the_leading_breaks():
    checked = 0
    for parts in itertools.product(PIECES, repeat=4):
        text = "".join(parts)
        assert (not text or text.isspace()) == (not text.strip())  # read_text's test for a blank file
        if text.strip():
            assert first_line(text) == text.lstrip("\r\n").splitlines()[0], repr(text)
            checked += 1
    assert checked > 15_000


TEXTS = ["id,naam\n1,Zoë\n2,Anouk\n", "id;bedrag\n1;3,50\n", "a,b\r\n1,2\r\n", "id,naam\n1,Jos\u00e9 \u20ac\n"]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-32", "cp1252", "latin-1"])
def test_utf8_bytes_are_the_decoded_text_encoded(text, encoding, tmp_path):
    try:
        raw = text.encode(encoding)
    except UnicodeEncodeError:
        pytest.skip(f"{encoding} cannot write this text")
    decoded = decode(raw, tmp_path / "f.csv")
    assert utf8_bytes(raw, decoded) == decoded.encode("utf-8")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_a_file_reads_as_its_text_does(encoding, tmp_path):
    text = "deelnemer_id;naam;bedrag\n1;Zoë;3,50\n2;Jos\u00e9;4\n"
    path = tmp_path / "f.csv"
    path.write_bytes(text.encode(encoding))
    expected = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding=encoding)
    pd.testing.assert_frame_equal(read_text(path).frame, expected, check_dtype=False)


@pytest.mark.parametrize("content", [b"", b"   \n\r\n\t", b"\n\n"])
def test_a_blank_file_is_refused(content, tmp_path):
    path = tmp_path / "blank.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match="blank"):
        read_text(path)
