"""Bad input gets one clear error naming file, row, column and rule; legitimate Dutch
spreadsheet conventions are read, not rejected."""

from pathlib import Path

import pandas as pd
import pytest
import yaml

from analysis.data.errors import InputError
from analysis.pilot.inputs import load_participants

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
    values, problems = parse_column(pd.Series(["€ 1.245.313,50", "859265", "12,5", "1 245"]), col, "nl")
    assert not problems
    assert values.tolist() == [1245313.5, 859265.0, 12.5, 1245.0]


@pytest.mark.parametrize("convention, text, expected", [
    ("nl", "3,4", 3.4), ("nl", "1.245", 1245.0), ("nl", "1.245,5", 1245.5), ("nl", "-2", -2.0),
    ("point", "3.4", 3.4), ("point", "1.245", 1.245), ("point", "1e3", 1000.0),
    (None, "3.4", 3.4), (None, "3,4", 3.4), (None, "1.245,5", 1245.5), (None, "1.245.313", 1245313.0),
    ("nl", "3.4", None), ("nl", "4 5", None), ("point", "3,4", None), ("point", "1,245", None),
    ("point", "1.245,5", None), (None, "1.245", None), (None, "1,245", None), (None, "4 5", None),
])
def test_numbers_follow_the_files_declared_convention(convention, text, expected):
    """';' files: decimal comma; ',' files: decimal point; typed formats: either, where
    unambiguous. A value that does not fit is an input error naming the convention."""
    from analysis.data.parsing import parse_column
    from analysis.data.spec import Column

    values, problems = parse_column(pd.Series([text]), Column("x", "float", "amount"), convention)
    if expected is None:
        assert len(problems) == 1 and problems[0].value == text
        assert "number" in problems[0].rule
    else:
        assert not problems and values.tolist() == [pytest.approx(expected)]


@pytest.mark.parametrize("text, expected", [
    ("2021-01-04", "2021-01-04"), ("04-01-2021", "2021-01-04"), ("13/01/2021", "2021-01-13"),
    ("04/04/2021", "2021-04-04"), ("04/01/2021", "ambiguous"), ("31-12-9999", "between 1900"),
    ("9999-12-31", "between 1900"), ("1899-12-31", "between 1900"), ("2020-02-31", "YYYY-MM-DD"),
])
def test_dates_are_read_only_where_unambiguous_and_plausible(text, expected):
    from analysis.data.parsing import parse_column
    from analysis.data.spec import Column

    values, problems = parse_column(pd.Series([text]), Column("d", "date", "a date"), None)
    if expected[0].isdigit():
        assert not problems and values.iloc[0] == pd.Timestamp(expected)
    else:
        assert len(problems) == 1 and expected in problems[0].rule and problems[0].value == text


def test_an_empty_yes_no_cell_is_missing_not_no():
    from analysis.data.parsing import parse_column
    from analysis.data.spec import Column

    values, problems = parse_column(pd.Series(["ja", "", "nee"]), Column("b", "bool", "yes/no"), None)
    assert not problems
    assert values.tolist()[0] is True and values.isna().tolist() == [False, True, False]


@pytest.mark.parametrize("text", [
    'a,b,c\nNA,null,\n01,N/A,nan\n" x ",#N/A,None\n',  # NA words, leading zero, quoted spaces
    'a;b\n"1,5";ja\n"2.000,25";nee\n',  # Dutch decimals with ;
    'a,b\n"line\nbreak",x\n',  # a line break inside quotes: pyarrow refuses, the csv module reads
    'a,b\n\n1,2\n\n',  # blank lines are skipped
])
def test_csv_reader_reads_what_pandas_c_reader_reads(text):
    import io

    from analysis.data.readers import read_csv_text

    sep = ";" if text.startswith("a;") else ","
    expected = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(read_csv_text(text, sep), expected)


@pytest.mark.parametrize("text, line, rule", [
    ('a,b\n1,2,3\n4,5\n', 2, "header's 2 fields; this one has 3"),  # pandas' C reader: a traceback
    ('a,b\n1,2\n4\n', 3, "this one has 1"),
    ('a,b\n1,2\n"4,5\n6,7\n', 3, "never ends"),
])
def test_csv_structure_errors_name_the_line(text, line, rule):
    """A quote that never closes ends the reading (raised); a row with too many or too few
    fields is set aside at its row (``UNREAD_ROWS``, blank in the frame) and listed with the
    other rows' problems by the loader (hostile round 13)."""
    from analysis.data.readers import UNREAD_ROWS, read_csv_text

    if "never ends" in rule:
        with pytest.raises(InputError) as info:
            read_csv_text(text, ",", "f.csv")
        (problem,) = info.value.problems
    else:
        frame = read_csv_text(text, ",", "f.csv")
        ((row, problem),) = frame.attrs[UNREAD_ROWS].items()
        assert problem.row == row and frame.iloc[row].tolist() == ["", ""]
    assert problem.line == line and rule in problem.rule


UNUSUAL = CORPUS / "unusual"
UNUSUAL_EXPECTED = yaml.safe_load((UNUSUAL / "expected.yml").read_text())


def test_unusual_corpus_has_at_least_40_malformed_inputs_each_with_an_expected_outcome():
    files = {p.name for p in UNUSUAL.iterdir() if p.name != "expected.yml"}
    assert files == set(UNUSUAL_EXPECTED), "every file needs an entry in unusual/expected.yml and vice versa"
    errors = [n for n, e in UNUSUAL_EXPECTED.items() if e["outcome"] == "error"]
    assert len(errors) >= 40
    assert {Path(n).suffix for n in errors} >= {".csv", ".xlsx", ".xls", ".parquet"}


@pytest.mark.parametrize("name", sorted(UNUSUAL_EXPECTED))
def test_unusual_input_loads_or_gives_one_clear_error(pilot30, name):
    expected = UNUSUAL_EXPECTED[name]
    if expected["outcome"] == "ok":
        pd.testing.assert_frame_equal(load_participants(UNUSUAL / name), pilot30, check_dtype=True)
        return
    if expected["outcome"] == "onbekend":  # a worker's empty sector or contract: not recorded (F14)
        got, (column, row) = load_participants(UNUSUAL / name), (expected["column"], expected["row"])
        want = pilot30.copy()
        assert pd.notna(want.at[row - 1, column]) and want.at[row - 1, column] != "onbekend", "a recorded cell"
        want.at[row - 1, column] = "onbekend"
        pd.testing.assert_frame_equal(got, want, check_dtype=True)
        return
    if expected["outcome"] == "unknown":  # an empty yes/no is not recorded: onbekend, never false
        got, (column, row) = load_participants(UNUSUAL / name), (expected["column"], expected["row"])
        assert got[column].isna().tolist() == [i == row - 1 for i in range(len(got))]
        assert str(got[column].dtype) == "boolean"
        return
    with pytest.raises(InputError) as info:
        load_participants(UNUSUAL / name)
    message = str(info.value)
    assert message.startswith(str(UNIQUE := UNUSUAL / name)), f"the message names the file {UNIQUE}"
    for fragment in expected["fragments"]:
        assert fragment in message, f"{name}: {fragment!r} missing from:\n{message}"
    assert len(info.value.problems) == expected["problems"], message
    assert len(message) < 2000, "a message stays short whatever the file holds"


def test_a_folder_or_a_symbolic_link_is_an_input_error_and_the_target_is_never_quoted(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:SECRET-CONTENT\n")
    link = tmp_path / "deelnemers.csv"
    link.symlink_to(secret)
    with pytest.raises(InputError, match="not a symbolic link") as info:
        load_participants(link)
    assert "SECRET" not in str(info.value)
    with pytest.raises(InputError, match="must be a file, not a folder"):
        load_participants(tmp_path)


def test_a_10_mb_field_gives_a_short_message(tmp_path, raw_pilot_text):
    lines = raw_pilot_text.splitlines()
    fields = lines[1].split(",")
    fields[10] = "y" * 10_000_000
    (tmp_path / "big.csv").write_text("\n".join([lines[0], ",".join(fields), *lines[2:]]) + "\n")
    with pytest.raises(InputError) as info:
        load_participants(tmp_path / "big.csv")
    message = str(info.value)
    assert len(message) < 1000 and "(10,000,248 characters)" in message and "at most 131,072 characters" in message


def test_an_input_error_shows_the_first_problems_not_only_their_count(tmp_path, raw_pilot_text):
    lines = raw_pilot_text.splitlines()
    bad = [lines[0]] + [line.replace(",laag,", ",universitair,") for line in lines[1:]]
    (tmp_path / "many.csv").write_text("\n".join(bad) + "\n")
    with pytest.raises(InputError) as info:
        load_participants(tmp_path / "many.csv")
    text = str(info.value)
    n = sum(",laag," in line for line in lines)
    assert f"{n} problem(s)" in text and text.count("'universitair'") == min(n, 20)
