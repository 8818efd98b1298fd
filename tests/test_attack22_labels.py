"""Intruder round 22 (issue 23), the smaller findings: labels of a crosstab's and notebook 03's
downloads, and a declared table (drawing none) that the notebook tried to draw."""

from __future__ import annotations

import ast
import builtins
import json
from unittest import mock

import pandas as pd

from analysis import paths
from analysis.presentation import downloads
from analysis.presentation.labels import label


def test_the_education_group_of_the_models_rates_is_the_education_level_not_a_status():
    """(a) notebook 03's rates by group: the group ``opleiding`` is the education predictor;
    the study's status ``opleiding`` ("Gestart met opleiding") has the same code. The download
    writes the predictor's words and keeps the code."""
    rates = pd.DataFrame({"group": ["triage", "opleiding"], "level": ["1", "laag"], "n": [10, 12]})
    out = downloads.for_download(rates, "nl")
    assert out["Groep"].tolist() == ["Triagepad", "Opleidingsniveau"]
    assert out["Groep (code)"].tolist() == ["triage", "opleiding"]
    assert downloads.for_download(rates, "en")["Group"].tolist() == ["Triage path", "Education level"]


def test_control_the_status_label_of_the_same_code_is_started_education():
    """Control: the code's label is the status's, which the old download wrote for the group."""
    assert label("opleiding", "nl") == "Gestart met opleiding"


def test_a_yes_no_crosstab_is_written_with_yes_and_no_and_its_codes():
    """(b) a crosstab by a yes/no variable has the levels ``False``/``True`` (codes as text): the
    download writes nee/ja (no/yes) in rows and headers, and keeps the codes in a code column."""
    table = pd.DataFrame({"False": [40, 40], "True": [43, 40], "Totaal": [83, 80]},
                         index=pd.Index(["False", "True"], name="ontslagaanzegging"))
    out = downloads.for_download(table, "nl")
    assert [str(v).lower() for v in out.index] == ["nee", "ja"]
    assert [str(c).lower() for c in out.columns[:2]] == ["nee", "ja"]
    flat = downloads.for_download(table.reset_index(), "nl")
    assert [c for c in flat.columns if str(c).endswith("(code)")], list(flat.columns)
    assert "True" in flat[[c for c in flat.columns if str(c).endswith("(code)")][0]].tolist()


def _exhibit_loop() -> str:
    nb = json.loads((paths.NOTEBOOKS / "02_pilot_participants.ipynb").read_text())
    cells = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    loop = next(c for c in cells if "exhibit_figures.draw(" in c)  # defines show_section; the cells below call it
    return loop + "\n" + "\n".join(c for c in cells if c.lstrip().startswith(("show_next(", "show_section(")))


def _run_cells(names: dict) -> None:
    """The notebook's exhibit cells run in ``names`` as their globals (the functions they define
    read them there), every name they read and ``names`` lacks a mock."""
    code = _exhibit_loop()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Name) and not hasattr(builtins, node.id):
            names[node.id]  # noqa: B018 - creates the mock
    exec(compile(code, "02_exhibits", "exec"), dict(names))  # noqa: S102 - the notebook's own cells (a plain dict:
    # a missing builtin must not become a mock)


class _Names(dict):
    """Every name the cell reads that is not set here is a mock."""

    def __missing__(self, key):
        self[key] = mock.MagicMock(name=key)
        return self[key]


def test_a_declared_table_with_drawing_none_is_shown_and_not_drawn():
    """(c) docs/new-pilot.md allows ``drawing: none`` (a table) for a declared exhibit; the
    notebook's exhibit loop drew it anyway and failed ("drawing 'none' is not drawn from
    release cells"). The loop, run with everything else mocked, shows it and draws nothing."""
    from analysis import exhibit_figures

    exhibit = mock.MagicMock(drawing="none")
    exhibit.shown_n.return_value = 30
    names = _Names(exhibit_figures=mock.MagicMock(DRAWINGS=exhibit_figures.DRAWINGS), k=10)
    names["active_study"] = lambda: mock.MagicMock(exhibits=mock.MagicMock(of=lambda nb: [exhibit]))
    _run_cells(names)
    names["exhibit_figures"].draw.assert_not_called()
    names["run"].table.assert_called_once()
    exhibit.drawing = "bars"
    _run_cells(names)  # control: a figure is drawn
    names["exhibit_figures"].draw.assert_called_once()
