"""newpilot19, finding 7: a failed run's cause was cut at 300 characters in the terminal ("Decide with
your data owner whether the earlier"); the advice was only in the failed notebook. A long line is
now shown whole (wrapped), up to a bound that keeps a runaway line off the console."""

from __future__ import annotations

from analysis.pipeline.execute import LINE_LIMIT, LINE_WIDTH, shown_line

REFUSAL = ("UnreleasedOutput: disclosure control: 1 published count(s) would differ by fewer than 10 persons from "
           "a recorded release of another file of this study; publishing both would reveal the persons whose "
           "records changed. Nothing was published. Decide with your data owner whether the earlier release is "
           "withdrawn or the corrected file replaces it; then remove its record with the command the guide names.")


def test_a_long_cause_is_shown_whole_and_wrapped():
    parts = shown_line(REFUSAL)
    assert " ".join(p.strip() for p in parts) == REFUSAL
    assert all(len(p) <= LINE_WIDTH for p in parts) and len(parts) > 2


def test_a_runaway_line_is_bounded_and_says_where_the_rest_is():
    parts = shown_line("x" * (LINE_LIMIT * 10))
    joined = "".join(p.strip() for p in parts)
    assert joined.count("x") == LINE_LIMIT and "more characters in the failed notebook" in " ".join(parts)


def test_an_empty_line_stays_a_line():
    assert shown_line("") == [""]
