"""strict_yaml.load parses a text once per process (the study's files are read by every
check and by thousands of test cases); every caller gets its own copy, and a refusal is
never remembered as a value."""

import pytest
import yaml

from analysis import strict_yaml


def test_a_text_read_twice_is_parsed_once_and_each_caller_gets_its_own_copy(monkeypatch):
    text = "study:\n  dates: {pilot_start: 2020-09-01}\n  facts: [1, 2]\n"
    first = strict_yaml.load(text)
    calls = []
    monkeypatch.setattr(yaml, "load", lambda *a, **k: calls.append(a) or {})
    second = strict_yaml.load(text)
    assert calls == [] and second == first
    second["study"]["facts"].append(3)
    assert strict_yaml.load(text)["study"]["facts"] == [1, 2]


@pytest.mark.parametrize("text, fragment", [
    ("a: [1, 2\n", "the file {x} is not valid YAML at line"),
    ("a: 1\na: 2\n", "the file {x}"),
    ("a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n" + "".join(  # about 160,000 values from 40 aliases
        f"{n}: &{n} [{', '.join([f'*{p}'] * 10)}]\n" for p, n in zip("abcd", "bcde")),
     "the file {x} expands to more than"),
])
def test_a_refusal_names_the_document_each_time(text, fragment):
    for _ in range(2):
        with pytest.raises(strict_yaml.YamlLimitError) as exc:
            strict_yaml.load(text, "the file {x}")
        assert fragment in str(exc.value)
