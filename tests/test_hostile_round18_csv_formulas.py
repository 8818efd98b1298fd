"""Hostile round 18, finding 10: two variants of a formula-like label reached the CSV as they
were: a space before ``=`` and a carriage return before it (which became a line break, then
``=3+3``). A spreadsheet that trims a cell, or reads the line after the break, may take it for
a formula. Each variant gets the leading ``'`` the plain form gets (OWASP's advice)."""

from __future__ import annotations

import pytest

from analysis.pipeline.export import formula_safe


@pytest.mark.parametrize("text", [" =HYPERLINK(\"http://x\")", "  +cmd|' /C calc'!A0", "\u00a0@SUM(1)",
                                  "\r=3+3", "\n=3+3", "\t=1", "=1+1", "-2+3"])
def test_a_formula_like_text_gets_a_leading_quote(text):
    out = formula_safe(text)
    assert out.startswith("'") and "\r" not in out


@pytest.mark.parametrize("text", ["-", "-5", "+3.5", "1,5", "Triage 1", "a = b", "werk - scholing", ""])
def test_plain_texts_and_numbers_are_kept(text):
    assert formula_safe(text) == text
