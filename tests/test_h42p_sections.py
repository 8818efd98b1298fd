"""Notebook 02 shows each declared exhibit under the section its exhibits file names (review 13 item 8):
shown by count (``show_next(3)``, ``show_next(2)``, ``show_next(None)``), a pilot with one more figure in
section 3.1.1 pushed Figuur 9 under 3.1.2 and Figuur 11 under 3.1.3. The notebook's own cells are run here
(everything but the exhibits mocked) on a copy of the shipped exhibits file with one figure more."""

from __future__ import annotations

import ast
import json
import re
from unittest import mock

import pytest

from analysis import paths
from analysis.study.exhibits import load_exhibits

SHIPPED = paths.PROJECT_ROOT / "studies" / "vwnw_pilot.exhibits.yml"
NOTEBOOK = "02_pilot_participants"
EXTRA = """  figuur_08b_extra:
    notebook: 02_pilot_participants
    kind: figure
    number: "X1"
    section: "3.1.1"
    title: {nl: Een figuur meer, en: One more figure}
    drawing: own
"""
# the sections of the shipped pilot report's figures (its chapter 3.1, read from the report's numbering)
REPORT_SECTIONS = {"7": "3.1.1", "8": "3.1.1", "9": "3.1.1", "10": "3.1.2", "11": "3.1.2", "12": "3.1.3",
                   "13": "3.1.3"}


def _cells() -> list[dict]:
    nb = json.loads((paths.NOTEBOOKS / f"{NOTEBOOK}.ipynb").read_text(encoding="utf-8"))
    return [{"type": c["cell_type"], "source": "".join(c["source"]), "tags": c["metadata"].get("tags", [])}
            for c in nb["cells"]]


def _exhibits(tmp_path, extra: str = ""):
    text = SHIPPED.read_text(encoding="utf-8")
    anchor = "  figuur_09_functie:\n"
    assert anchor in text
    path = tmp_path / SHIPPED.name
    path.write_text(text.replace(anchor, extra + anchor, 1), encoding="utf-8")
    problems: list = []
    found = load_exhibits(path, problems)
    assert problems == [] and found is not None, problems
    return found


def shown_by_section(exhibits) -> dict[str, list[str]]:
    """Run notebook 02's exhibit cells: the section each call cell shows (the Dutch heading above it) and
    the numbers of the exhibits it shows."""
    cells = _cells()
    loop = next(c["source"] for c in cells if c["type"] == "code" and "exhibit_figures.draw(" in c["source"])
    names = {"active_study": lambda: mock.MagicMock(exhibits=exhibits), "run": mock.MagicMock(notebook=NOTEBOOK)}
    exec(compile(loop, "02_loop", "exec"), names)  # noqa: S102 - the notebook's own cell
    shown: list[str] = []
    names["show"] = lambda exhibit: shown.append(exhibit.number)
    out: dict[str, list[str]] = {}
    heading = None
    for cell in cells:
        found = re.match(r"#+ \{\{section:([0-9.]+)\}\}", cell["source"])
        if cell["type"] == "markdown" and "lang-nl" in cell["tags"] and found:
            heading = found.group(1)
        elif cell["type"] == "code" and cell["source"].lstrip().startswith(("show_next(", "show_section(")):
            for call in cell["source"].splitlines():
                if call.strip():
                    before = len(shown)
                    exec(compile(call, "02_call", "exec"), names)  # noqa: S102
                    out.setdefault(heading, []).extend(shown[before:])
    return out


def test_the_shipped_figures_stand_under_the_report_sections(tmp_path):
    by_section = shown_by_section(_exhibits(tmp_path))
    assert {n: s for s, numbers in by_section.items() for n in numbers} == REPORT_SECTIONS


def test_one_more_figure_in_a_section_moves_no_other(tmp_path):
    by_section = shown_by_section(_exhibits(tmp_path, EXTRA))
    assert by_section == {"3.1.1": ["7", "8", "X1", "9"], "3.1.2": ["10", "11"], "3.1.3": ["12", "13"]}


def test_every_call_cell_names_the_section_of_the_heading_above_it():
    heading = None
    for cell in _cells():
        found = re.match(r"#+ \{\{section:([0-9.]+)\}\}", cell["source"])
        if cell["type"] == "markdown" and found:
            heading = found.group(1)
        elif cell["type"] == "code" and cell["source"].lstrip().startswith("show_section("):
            first = ast.parse(cell["source"].splitlines()[0]).body[0].value
            assert first.args[0].value == heading, cell["source"]


@pytest.mark.parametrize(("value", "ok"), [('"3.1.1"', True), ("3.1", False), ('"3.1a"', False), ('""', False)])
def test_a_section_is_declared_as_its_number_in_text(tmp_path, value, ok):
    text = SHIPPED.read_text(encoding="utf-8").replace('    section: "3.1.1"\n', f"    section: {value}\n", 1)
    path = tmp_path / SHIPPED.name
    path.write_text(text, encoding="utf-8")
    problems: list = []
    load_exhibits(path, problems)
    assert (problems == []) == ok, problems
    if not ok:
        assert problems[0][0] == "exhibits.figuur_07_opleiding_leeftijd.section" and "3.1.1" in problems[0][2]


def test_a_study_without_sections_still_shows_every_exhibit(tmp_path):
    text = re.sub(r'    section: "[0-9.]+"\n', "", SHIPPED.read_text(encoding="utf-8"))
    path = tmp_path / SHIPPED.name
    path.write_text(text, encoding="utf-8")
    by_section = shown_by_section(load_exhibits(path, []))
    assert sorted(n for numbers in by_section.values() for n in numbers) == sorted(REPORT_SECTIONS)

