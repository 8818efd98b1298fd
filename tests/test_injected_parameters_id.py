"""The cell papermill inserts with a run's parameters has a fixed id in the executed notebook
and on the pages (review 8: papermill draws a random one, so every page and the manifest's
hashes changed on every build of the same inputs)."""

from __future__ import annotations

import nbformat
from papermill.parameterize import parameterize_notebook

from analysis.pipeline.execute import _fixed_injected_id


def test_the_injected_parameters_cell_has_the_same_id_in_every_build():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    nb.cells[0].metadata["tags"] = ["parameters"]
    nb.metadata["papermill"] = {}  # as papermill's execute_notebook prepares it
    ids = set()
    for _ in range(3):
        built = parameterize_notebook(nbformat.from_dict(nb), {"x": 2}, kernel_name="python3", language="python")
        _fixed_injected_id(built)
        injected = [c for c in built.cells if "injected-parameters" in c.metadata.get("tags", [])]
        assert len(injected) == 1
        ids.add(injected[0]["id"])
    assert ids == {"injected-parameters"}
