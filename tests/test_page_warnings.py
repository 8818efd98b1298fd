"""A library's warning never reaches a reviewer page (review 7: statsmodels' ConvergenceWarning,
with its path under site-packages, stood in the time-to-work page's method section); the
version with code keeps it."""

from __future__ import annotations

import nbformat

from analysis.pipeline import html_export, pages

WARNING = ("/x/site-packages/statsmodels/duration/hazard_regression.py:512: ConvergenceWarning: "
           "Maximum Likelihood optimization failed to converge.\n")


def _notebook():
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    cell = nbformat.v4.new_code_cell("fit()")
    cell.outputs = [nbformat.v4.new_output("stream", name="stderr", text=WARNING),
                    nbformat.v4.new_output("stream", name="stdout", text="fitted\n")]
    nb.cells = [nbformat.v4.new_markdown_cell("# Titel"), cell]
    for i, c in enumerate(nb.cells):
        c["id"] = f"c{i}"
    return nb


def test_the_reviewer_notebook_drops_what_a_cell_wrote_to_stderr():
    nb = _notebook()
    shown = pages.without_warnings(nb)
    assert [o["name"] for o in shown.cells[1].outputs] == ["stdout"]
    assert len(nb.cells[1].outputs) == 2  # the notebook itself is not changed


def test_the_warning_is_on_the_full_page_only(tmp_path):
    written = html_export.export_html(_notebook(), tmp_path, "t", parameters={"language": "nl"})
    reviewer, full = (p.read_text(encoding="utf-8") for p in written)
    assert "ConvergenceWarning" not in reviewer and "fitted" in reviewer
    assert "ConvergenceWarning" in full
