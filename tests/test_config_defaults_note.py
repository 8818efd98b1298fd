"""A configuration that names some notebooks leaves the others to their own defaults; a
notebook that reads a participant file then reads the shipped synthetic one, and the run
says so (H32h, hostile round 6: a configuration of notebook 02 on another file ran 03 and 04
on the synthetic file without a word)."""

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from analysis.pipeline import runs as run_config


def _notebook(folder, name: str, source: str) -> None:
    cell = new_code_cell(source)
    cell.metadata["tags"] = ["parameters"]
    nbformat.write(new_notebook(cells=[cell]), folder / f"{name}.ipynb")


def test_a_notebook_left_to_its_defaults_beside_a_configuration_is_named(tmp_path):
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    _notebook(nbs, "02_a", 'participants_path = "data/raw/pilot_participants_synthetic.csv"')
    _notebook(nbs, "03_b", 'participants_path = "data/raw/pilot_participants_synthetic.csv"')
    _notebook(nbs, "01_c", 'register_path = "data/raw/dwsra_project_register.csv"')  # reads no participant file
    config = tmp_path / "mine.report.yml"
    config.write_text("runs:\n  02_a:\n    - parameters: {participants_path: data/raw/private/x.csv}\n",
                      encoding="utf-8")
    runs = run_config.discover_runs(nbs, config)
    note = run_config.defaults_note(runs, config)
    assert note.startswith("note: 03_b is not named in ") and "participants_path=data/raw/pilot_participants" in note
    assert "01_c" not in note and "02_a" not in note
    config.write_text(config.read_text(encoding="utf-8") + "  03_b:\n    - {}\n", encoding="utf-8")
    assert run_config.defaults_note(run_config.discover_runs(nbs, config), config) is None  # named: chosen
    assert run_config.defaults_note(runs, None) is None


def test_beside_a_private_file_the_runs_on_the_synthetic_file_are_left_out(tmp_path):
    """Intruder round 12: the invocation publishing a private file's runs into the private
    reports folder also ran the notebooks it did not name on the synthetic file, and their
    pages replaced the real ones of an earlier invocation under the same names. They are left
    out now, with a note; a run that reads no participant file stays."""
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    _notebook(nbs, "02_a", 'participants_path = "data/raw/pilot_participants_synthetic.csv"')
    _notebook(nbs, "03_b", 'participants_path = "data/raw/pilot_participants_synthetic.csv"')
    _notebook(nbs, "01_c", 'register_path = "data/raw/dwsra_project_register.csv"')
    config = tmp_path / "mine.report.yml"
    config.write_text("runs:\n  02_a:\n    - parameters: {participants_path: data/raw/private/x.csv}\n",
                      encoding="utf-8")
    runs = run_config.discover_runs(nbs, config)
    kept, note = run_config.without_synthetic_beside_private(runs)
    assert [r.name for r in kept] == ["01_c", "02_a"]
    assert note.startswith("note: 03_b would read the shipped synthetic participant file")
    synthetic = run_config.discover_runs(nbs, None)  # no private file: every run stays, no note
    assert run_config.without_synthetic_beside_private(synthetic) == (synthetic, None)
