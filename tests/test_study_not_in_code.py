"""Nothing of one pilot stays in the package's code: a pilot is its study file. The words that
identify a pilot are read from the shipped study files (studies/*.yml): the words of its id and
name that no other study shares, its region, municipality, employers, the case managers'
organisations that are not every study's, and the sectors it counts as its own; none of them
may appear in src/analysis."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analysis.study import SHIPPED, load_study, study_ids

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "analysis"
GENERIC = {"pilot", "vwnw", "synthetisch", "voorbeeld", "synthetic", "example", "contract", "in", "de", "the"}


def _words(text: str) -> set[str]:
    return {w for w in re.split(r"[^a-z]+", text.lower()) if len(w) >= 4}


def identifying_words() -> dict[str, set[str]]:
    """study id -> the words and names that identify it (see the module docstring)."""
    studies = [load_study(sid) for sid in study_ids(SHIPPED)]
    assert len(studies) >= 2, "two shipped studies: the check compares them"
    words = {s.id: _words(" ".join([s.id.replace("_", " "), *s.name])) for s in studies}
    shared = set.intersection(*words.values()) | GENERIC
    orgs = set.intersection(*(set(s.case_manager_orgs) for s in studies))
    return {s.id: (words[s.id] - shared) | {s.region, *([s.municipality] if s.municipality else []),
                                             *s.employers, *(set(s.case_manager_orgs) - orgs), *s.same_sector}
            for s in studies}


def occurrences(needle: str) -> list[str]:
    pattern = re.compile(re.escape(needle), re.IGNORECASE)
    return [f"{path.relative_to(ROOT)}:{n}: {line.strip()}" for path in sorted(PACKAGE.rglob("*.py"))
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]


def test_the_identifying_words_are_read_from_the_study_files():
    words = identifying_words()
    assert {"catering", "Hutten", "Meierijstad", "Noordoost Brabant", "horeca_catering"} <= words[
        "catering_noordoost_brabant_2021"]
    assert {"schoonmaak", "Twente", "Enschede", "Glansrijk Schoonmaak", "facilitair"} <= words[
        "schoonmaak_twente_2023"]
    assert "UWV" not in set().union(*words.values())  # every study's case managers: not one pilot's


@pytest.mark.parametrize("study", sorted(identifying_words()))
def test_no_pilot_is_named_in_the_package(study):
    found = {word: occurrences(word) for word in sorted(identifying_words()[study])}
    found = {w: hits for w, hits in found.items() if hits}
    assert not found, f"{study} is named in the package's code (it belongs in studies/{study}.yml):\n" + \
        "\n".join(f"  {w}: {hit}" for w, hits in found.items() for hit in hits[:5])


def test_the_check_finds_a_pilot_named_in_code(tmp_path):
    """The check can fail: a module naming an employer is found."""
    (tmp_path / "module.py").write_text('EMPLOYER = "Maison van den Boer"\n', encoding="utf-8")
    globals_ = globals()
    old = globals_["PACKAGE"], globals_["ROOT"]
    globals_["PACKAGE"], globals_["ROOT"] = tmp_path, tmp_path
    try:
        assert occurrences("Maison van den Boer") == ['module.py:1: EMPLOYER = "Maison van den Boer"']
    finally:
        globals_["PACKAGE"], globals_["ROOT"] = old
