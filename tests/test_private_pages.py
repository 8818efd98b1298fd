"""Issue 23: on a private run, a page keeps only what the release made.

A notebook cell can print numbers in ways no display check sees (``print(df.to_csv())``, an
f-string, ``logging``, ``HTML(df.to_html())``, ``df.to_dict()`` as a cell's value, a warning).
The kernel tags every display of a released object with a keyed hash of its content; the runner
drops every other output of a private run before the page and the executed notebook are written.
A copy of notebook 02 gets a cell with each of those routes (counting persons by education and
triage path from the raw rows); it runs through the runner on a file marked real, and none of
the raw counts' renderings reaches a published file. ``run.say`` refuses a sentence whose
number was never published."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pandas as pd
import pytest

from analysis import paths
from analysis.stats import output_tags

LEAKS = """
import logging, warnings
from IPython.display import HTML, Markdown
from analysis.stats.released import UnreleasedOutput
raw = pd.crosstab(run.participants['opleidingsniveau'], run.participants['triage'])
print(raw.to_csv())
logging.getLogger('evaluator').warning('counts %s', raw.to_dict())
warnings.warn(str(raw.values.tolist()))
display(HTML(raw.to_html()))
display(Markdown(f"LEAK-FSTRING {int(raw.iloc[0, 0])} {raw.to_json()}"))
try:
    run.say(f"LEAK-SAY {int(raw.to_numpy().min())} persons")
except UnreleasedOutput as refusal:
    print(refusal)
raw.to_dict()
"""


def test_keep_tagged_keeps_only_outputs_whose_tags_match_their_content():
    import nbformat

    key = b"k" * 32
    good = {"text/html": "<table>ok</table>", "image/png": b"\x89PNG"}
    meta = output_tags.tagged_metadata(good, {"image/png": {"width": 3, "note": "n=3"}}, key)
    meta["extra"] = "counts 3 4"  # a key of the evaluator's own beside the MIME types
    forged = {"text/html": "<b>5</b>"}
    stored = dict(good, **{"image/png": __import__("base64").b64encode(good["image/png"]).decode()})  # as in a notebook
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x", outputs=[
        nbformat.v4.new_output("display_data", data=dict(stored, **{"text/plain": "1 2 3"}), metadata=meta),
        nbformat.v4.new_output("display_data", data=forged, metadata={"text/html": dict(meta["text/html"])}),
        nbformat.v4.new_output("stream", name="stdout", text="3 4\n"),
        nbformat.v4.new_output("execute_result", data={"text/plain": "{'a': 3}"}, execution_count=1),
    ])])
    nb = nbformat.reads(nbformat.writes(nb), as_version=4)  # as the runner reads it
    assert output_tags.keep_tagged(nb, key) == 3
    (kept,) = nb.cells[0].outputs
    assert set(kept.data) == {"text/html", "image/png"}  # the untagged text/plain went too
    assert kept.metadata["image/png"] == {"width": 3}  # the tag and keys of one's own are not published
    assert set(kept.metadata) <= set(kept.data)
    assert output_tags.keep_tagged(nb, b"other-key" * 4) == 1  # another key vouches for nothing


def test_a_released_display_given_an_alt_text_or_a_size_of_ones_own_is_dropped():
    """``display(released, metadata=...)``: IPython merges the cell's metadata after the kernel's
    formatter tagged the display, so the tag still matched its content while an alt text or a
    width (both kept for the page) carried what the cell wrote (issue 23)."""
    import copy

    import nbformat

    key = b"k" * 32
    table = {"text/html": "<table>ok</table>"}
    image = {"image/png": "iVBORw0KGgo="}
    honest = output_tags.tagged_metadata(image, {"image/png": {"width": 640, "alt": "Figuur 7"}}, key)
    altered = []
    for mime, data, meta, extra in [("text/html", table, output_tags.tagged_metadata(table, {}, key),
                                     {"alt": "3 van de 4 in werk"}),
                                    ("image/png", image, honest, {"alt": "Figuur 7: 3 in werk"}),
                                    ("image/png", image, honest, {"width": 3}),
                                    ("image/png", image, honest, {"height": 7})]:
        meta = copy.deepcopy(meta)
        meta[mime].update(extra)
        altered.append(nbformat.v4.new_output("display_data", data=data, metadata=meta))
    kept = nbformat.v4.new_output("display_data", data=image, metadata=honest)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x", outputs=[*altered, kept])])
    nb = nbformat.reads(nbformat.writes(nb), as_version=4)
    assert output_tags.keep_tagged(nb, key) == 4
    (shown,) = nb.cells[0].outputs
    assert shown.metadata["image/png"] == {"width": 640, "alt": "Figuur 7"}  # the project's own display stays


@pytest.mark.slow
def test_a_private_page_holds_no_output_the_release_did_not_make(tmp_path):
    root = tmp_path / "project"
    (root / "notebooks").mkdir(parents=True)
    for name in ("src", "pyproject.toml", "requirements.lock"):
        (root / name).symlink_to(paths.PROJECT_ROOT / name)
    for f in paths.NOTEBOOKS.iterdir():
        (root / "notebooks" / f.name).write_bytes(f.read_bytes())
    nb = json.loads((paths.NOTEBOOKS / "02_pilot_participants.ipynb").read_text(encoding="utf-8"))
    at = next(i for i, c in enumerate(nb["cells"]) if "run.figure_tables()" in "".join(c["source"]))
    nb["cells"].insert(at + 1, {"cell_type": "code", "execution_count": None, "id": "leaks", "metadata": {},
                                "outputs": [], "source": LEAKS})
    (root / "notebooks" / "02_pilot_participants.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    import shutil

    shutil.copytree(paths.PROJECT_ROOT / "studies", root / "studies")
    raw = root / "data" / "raw"
    (raw / "private").mkdir(parents=True)
    for f in paths.DATA_RAW.iterdir():
        if f.is_file():
            shutil.copyfile(f, raw / f.name)
    rows = pd.read_csv(paths.DATA_RAW / "pilot_participants_synthetic.csv", dtype=str, keep_default_na=False)
    rows["synthetisch"] = "false"
    rows.to_csv(raw / "private" / "deelnemers.csv", index=False)
    (root / "leaks.yml").write_text(
        "runs:\n  02_pilot_participants:\n    - parameters: {participants_path: data/raw/private/deelnemers.csv, "
        "status_history_path: '', cutoff_date: '2021-04-16', min_cell_count: 10}\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "analysis", "report", "--config", "leaks.yml", "--notebooks",
                           "notebooks", "--reports", str(root / "reports-private")], cwd=root,
                          env=dict(os.environ, VWNW_PROJECT_ROOT=str(root)), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]

    raw_counts = pd.crosstab(rows["opleidingsniveau"], rows["triage"])
    renderings = {raw_counts.to_csv(), raw_counts.to_html(), raw_counts.to_json(), str(raw_counts.to_dict()),
                  str(raw_counts.values.tolist()), "LEAK-FSTRING", "LEAK-SAY"}
    published = [p for p in (root / "reports-private").rglob("*") if p.is_file()]
    assert any(p.suffix == ".html" for p in published)
    for p in published:
        text = p.read_bytes().decode("utf-8", errors="replace")
        for needle in renderings:
            for line in (s for s in needle.splitlines() if len(s) > 12 and any(ch.isdigit() for ch in s)):
                assert line not in text, f"{p.name} publishes a raw rendering: {line[:60]}"
        if p.suffix == ".ipynb":
            kinds = {o["output_type"] for c in json.loads(text)["cells"] for o in c.get("outputs", [])}
            assert kinds <= {"display_data", "execute_result"}, kinds
    page = next(p for p in published if p.suffix == ".html" and "02_pilot" in p.name and "full" not in p.name)
    assert "Figuur 12" in page.read_text(encoding="utf-8")  # what the release made is still there
    assert 'alt="Figuur' in page.read_text(encoding="utf-8")  # figures too, with their alt text
    assert "not made by the release" in done.stderr  # the evaluator is told what was left out
