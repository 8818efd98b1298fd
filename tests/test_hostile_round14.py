"""What hostile round 14 broke on the input routes (issue 28), each as a class: a mapping
pattern that repeats a part of varying length (H11)."""

import re
import time

import pytest

from analysis.data.regex_guard import MAX_LABEL, pattern_problem


@pytest.mark.parametrize("pattern", ["^(?:a?){30}a{30}$", "^(a?){30}a{30}$", "^(a?a?){15}a{30}$", "(a?a){100}$",
                                     "^(?:x|){40}x{40}$", "^(?:a{0,1}b?){20}$", "(?:a??){50}a{50}"])
def test_a_repeated_part_of_varying_length_is_refused(pattern):
    """H11: the guard admitted ``^(?:a?){30}a{30}$`` (minutes on 30 ``a`` and ``!``)."""
    assert "repeat" in pattern_problem(pattern)


def test_the_refused_class_is_the_slow_one():
    """Independent of the guard: the refused form doubles its time every character (20 ``a``
    already take visibly longer than 10), while the fixed-width rewrite the message advises
    matches the same texts at once."""
    def seconds(rx, n):  # compiled first, the fastest of 5: a ratio of matching times, not of load or compiling
        compiled, text, times = re.compile(rx), "a" * n + "!", []
        for _ in range(5):
            start = time.perf_counter()
            compiled.search(text)
            times.append(time.perf_counter() - start)
        return min(times)

    slow, advised = "^(?:a?){%d}a{%d}$", "^a{0,%d}a{%d}$"
    assert seconds(slow % (20, 20), 20) > 20 * seconds(slow % (8, 8), 8)
    assert seconds(advised % (30, 30), MAX_LABEL - 1) < 0.1
    assert pattern_problem(advised % (30, 30)) is None


@pytest.mark.parametrize("pattern", ["^mbo[ -]?(niveau )?[234]\\b", "^(?:ab){3}$", "^[ -]{0,2}\\d{4}$",
                                     "^(?:(?=a)a){5}$", "^x(?:\\b){3}"])
def test_a_repeated_part_of_fixed_length_and_an_optional_part_stay_allowed(pattern):
    assert pattern_problem(pattern) is None


def test_a_header_written_twice_is_one_problem_naming_both_columns_and_inspect_profiles_without_a_traceback():
    """H7: a copied column (the header 'Leeftijd' again in column T) gave an AttributeError
    traceback in ``inspect`` and in the loader; each column is now read once and the copy said."""
    from pathlib import Path

    from analysis.data.workbook import read_sheets, sheet_table
    from analysis.export_inspection import profile_file
    from analysis.pilot.schema import PARTICIPANTS

    export = Path(__file__).parent / "corpus" / "hostile" / "exports" / "r14_exp_header_written_twice" / "export.xlsx"
    table = sheet_table("Jansen (UWV)", read_sheets(export)["Jansen (UWV)"], 2)
    assert table.repeated == {"Leeftijd": ("F", "T")}
    assert table.headers.count("Leeftijd") == 1 and 99 not in set(table.rows["Leeftijd"])  # the first column read
    jansen = next(sp for sp in profile_file(export, PARTICIPANTS) if sp.sheet == "Jansen (UWV)")
    assert [c.header for c in jansen.columns].count("Leeftijd") == 1
