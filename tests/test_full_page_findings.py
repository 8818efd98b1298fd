"""The version with code shows its findings under the summary too (the sixth reviewer: on
full/02-04 the findings stood at the end of the page, and full/04's *Samenvatting* was empty),
while its code keeps the notebook's order."""

from __future__ import annotations

import nbformat

from analysis.pipeline import html_export, pages


def _notebook():
    nb = nbformat.v4.new_notebook()
    cells = [nbformat.v4.new_markdown_cell("# T"), nbformat.v4.new_markdown_cell("## Samenvatting"),
             nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("run.say(findings(x))")]
    cells[1].metadata["tags"] = ["summary"]
    cells[3].metadata["tags"] = ["findings"]
    cells[3].outputs = [nbformat.v4.new_output("display_data", data={"text/markdown": "**Bevindingen.** x is 1."})]
    for i, c in enumerate(cells):
        c["id"] = f"c{i}"
    nb.cells = cells
    return nb


def test_the_findings_are_shown_under_the_summary_and_the_code_stays_where_it_runs():
    nb = _notebook()
    full = html_export.in_notebook_order(nb, {c["id"]: i for i, c in enumerate(nb.cells)}, "nl")
    ids = [c["id"] for c in full.cells]
    assert ids == ["c0", "c1", "c3-first", "c2", "c3"]
    first, last = full.cells[2], full.cells[4]
    assert first.outputs[0]["data"]["text/markdown"].startswith("**Bevindingen.**")
    assert first.source == pages.FINDINGS_FIRST["nl"] and last.source == "run.say(findings(x))"
    assert last.outputs == []  # said once
    assert nb.cells[3].outputs, "the notebook itself is not changed (the reviewer page is made from it)"


def test_the_copy_shown_first_has_no_cell_number_so_the_numbers_read_in_order():
    """Review 8: the full page's In [] numbers read 1 2 3 4 7 5 ...: the copy kept its cell's."""
    nb = _notebook()
    for i, c in enumerate(nb.cells):
        if c.cell_type == "code":
            c.execution_count = i
    nb.cells[3].outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": "1"}, execution_count=3)]
    full = html_export.in_notebook_order(nb, {c["id"]: i for i, c in enumerate(nb.cells)}, "nl")
    numbers = [c.execution_count for c in full.cells if c.cell_type == "code" and c.execution_count is not None]
    assert numbers == sorted(numbers) == [2, 3]
    assert full.cells[2].outputs[0]["execution_count"] is None


def test_without_a_summary_the_cells_stay_as_they_are():
    nb = _notebook()
    nb.cells[1].metadata["tags"] = []
    assert pages.findings_shown_first(list(nb.cells), "en") == list(nb.cells)
