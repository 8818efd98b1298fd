"""Bad input gets one clear error naming file, row, column and rule; legitimate Dutch
spreadsheet conventions are read, not rejected."""

from pathlib import Path

import pandas as pd
import pytest
import yaml

from analysis.data.errors import InputError
from analysis.pilot.schema import load_participants

CORPUS = Path(__file__).parent / "corpus"
EXPECTED = yaml.safe_load((CORPUS / "expected.yml").read_text())


def test_corpus_has_at_least_15_malformed_inputs_and_each_has_expectations():
    bad = sorted(p.name for p in CORPUS.glob("bad_*"))
    assert len(bad) >= 15
    assert set(bad) == set(EXPECTED), "every bad_* file needs an entry in expected.yml and vice versa"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_malformed_input_gives_a_clear_error(name):
    with pytest.raises(InputError) as info:
        load_participants(CORPUS / name)
    message = str(info.value)
    assert str(CORPUS / name) in message, "the message names the file"
    for fragment in EXPECTED[name]:
        assert fragment in message, f"{name}: {fragment!r} missing from:\n{message}"
    assert len(info.value.problems) == 1, f"{name}: expected one clear problem, got:\n{message}"


@pytest.mark.parametrize("name", ["ok_semicolon_decimal_comma.csv", "ok_utf8_bom.csv", "ok_latin1.csv",
                                  "ok_excel.xlsx"])
def test_legitimate_dutch_conventions_load_to_the_same_data(pilot30, name):
    df = load_participants(CORPUS / name)
    pd.testing.assert_frame_equal(df, pilot30, check_dtype=True)


def test_missing_file_names_the_path(tmp_path):
    with pytest.raises(InputError, match="the file must exist"):
        load_participants(tmp_path / "nope.csv")


def test_loading_never_writes_to_the_raw_file(tmp_path, raw_pilot_text):
    f = tmp_path / "p.csv"
    f.write_text(raw_pilot_text)
    f.chmod(0o444)
    before = f.stat().st_mtime_ns
    load_participants(f)
    assert f.stat().st_mtime_ns == before and f.read_text() == raw_pilot_text


def test_parquet_input_loads(tmp_path, pilot30):
    pilot30.to_parquet(tmp_path / "p.parquet", index=False)
    pd.testing.assert_frame_equal(load_participants(tmp_path / "p.parquet"), pilot30)


def test_dutch_thousands_separator_and_euro_sign_are_numbers():
    from analysis.data.parsing import parse_column
    from analysis.data.spec import Column

    col = Column("x", "float", "amount")
    values, problems = parse_column(pd.Series(["€ 1.245.313,50", "859265", "12,5", "3.5"]), col, False)
    assert not problems
    assert values.tolist() == [1245313.5, 859265.0, 12.5, 3.5]


@pytest.mark.parametrize("text", [
    'a,b,c\nNA,null,\n01,N/A,nan\n" x ",#N/A,None\n',  # NA words, leading zero, quoted spaces
    'a;b\n"1,5";ja\n"2.000,25";nee\n',  # Dutch decimals with ;
    'a,b\n"line\nbreak",x\n',  # a line break inside quotes: pyarrow refuses, C reader reads
    'a,b\n1,2,3\n4,5\n',  # ragged: both refuse, the C reader's behaviour stands
])
def test_fast_csv_reader_reads_what_pandas_c_reader_reads(text):
    import io

    from analysis.data.readers import read_csv_text

    sep = ";" if text.startswith("a;") else ","
    try:
        expected = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    except Exception as exc:  # noqa: BLE001
        with pytest.raises(type(exc)):
            read_csv_text(text, sep)
        return
    pd.testing.assert_frame_equal(read_csv_text(text, sep), expected)
