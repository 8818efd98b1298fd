"""tests/deep_tests.txt names tests that exist: a renamed or removed test would otherwise drop
out of the list silently and run in `make test` again (or a listed file never run at all)."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import DEEP_LIST, deep_tests

ROOT = Path(__file__).resolve().parents[1]


def test_every_entry_names_a_test_file_and_a_test_function_in_it():
    missing = []
    for entry in sorted(deep_tests(DEEP_LIST.read_text(encoding="utf-8"))):
        path, _, name = entry.partition("::")
        file = ROOT / path
        if not file.is_file():
            missing.append(entry)
        elif name and not re.search(rf"^def {re.escape(name.split('[', 1)[0])}\(", file.read_text(encoding="utf-8"),
                                    re.M):
            missing.append(entry)
    assert missing == []


def test_comments_and_blank_lines_are_not_entries():
    assert deep_tests("# a comment\n\ntests/test_x.py::test_y  # 9 s\ntests/test_z.py\n") == {
        "tests/test_x.py::test_y", "tests/test_z.py"}
