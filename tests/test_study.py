"""Studies as files: loading and validation, the second study's data, and the active
study switching the pilot modules' vocabulary."""

from __future__ import annotations

import csv
import re
import shutil

import pytest
import yaml

from analysis import paths
from analysis.pilot import inputs as pilot_inputs, schema as ps
from analysis.study import DEFAULT_STUDY, StudyError, load_study
from analysis.study.load import study_ids

STUDIES = paths.PROJECT_ROOT / "studies"
SECOND = "schoonmaak_twente_2023"


@pytest.fixture
def active_second():
    study = ps.use_study(SECOND)
    yield study
    ps.use_study(DEFAULT_STUDY)


def _rows(path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_every_shipped_study_loads():
    names = study_ids(STUDIES)  # not the runs (.report.yml) or facts (.facts.yml) of a study
    assert DEFAULT_STUDY in names and SECOND in names
    for name in names:
        study = load_study(name)
        assert study.id == name and study.work_statuses


def test_catering_study_is_the_default_vocabulary():
    study = load_study(DEFAULT_STUDY)
    assert ps.STUDY.id == DEFAULT_STUDY
    assert ps.EMPLOYERS == study.employers and ps.STATUS_END == "status_20210401"
    assert not study.outflow_can_end and study.published_facts


def _broken(tmp_path, change) -> str:
    doc = yaml.safe_load((STUDIES / f"{SECOND}.yml").read_text(encoding="utf-8"))
    change(doc)
    path = tmp_path / f"{SECOND}.yml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(StudyError) as info:
        load_study(path)
    return str(info.value)


@pytest.mark.parametrize("change, fragments", [
    (lambda d: d["statuses"]["geplaatst"].update(kind="placed"),
     ["key 'statuses.geplaatst.kind'", "value placed", "must be one of"]),
    (lambda d: d["dates"].update(inflow_end="2024-03-01"), ["key 'dates'", "must be in order"]),
    (lambda d: d["dates"].update(pilot_end="1-12-2023"), ["key 'dates.pilot_end'", "value 1-12-2023",
                                                          "YYYY-MM-DD"]),
    (lambda d: d.update(same_sector=["drukwerk"]), ["key 'same_sector'", "value drukwerk",
                                                    "must be one of the study's sectors"]),
    (lambda d: d.update(employer=["X"]), ["key 'employer'", "unknown key"]),
    (lambda d: d.pop("statuses"), ["key 'statuses'", "is required"]),
    (lambda d: d.update(outflow_can_end="ja"), ["key 'outflow_can_end'", "value ja", "true or false"]),
    (lambda d: d["services"].update(coaching={"nl": "Coaching", "en": "Coaching"}),
     ["key 'services.coaching'", "dv_"]),
])
def test_a_broken_study_file_names_file_key_value_and_rule(tmp_path, change, fragments):
    message = _broken(tmp_path, change)
    assert f"{SECOND}.yml" in message
    for fragment in fragments:
        assert fragment in message, message
    assert "datetime" not in message and "{'" not in message  # the file's text, no Python repr


def test_a_key_written_twice_in_a_study_file_is_refused_naming_the_line(tmp_path):
    """Hostile tester round 5 (s04): a status written twice (the second as another kind) was
    read silently, the last one winning, and the study had no status in progress."""
    text = (STUDIES / f"{SECOND}.yml").read_text(encoding="utf-8")
    first = re.search(r"^statuses:\n(  \w+:.*\n(?:    .*\n)*)", text, re.M)
    assert first, "the study file lists its statuses"
    path = tmp_path / f"{SECOND}.yml"
    path.write_text(text.replace(first.group(0), first.group(0) + first.group(1), 1), encoding="utf-8")
    with pytest.raises(StudyError, match=r"line \d+, column \d+: the key geplaatst is written twice"):
        load_study(path)


def test_an_unknown_study_lists_the_known_ones():
    with pytest.raises(StudyError, match=SECOND):
        load_study("drukkerij_nergens_2030")


def test_second_study_files_are_generated_from_its_file(tmp_path, monkeypatch):
    """The shipped files are what the seeded generator writes from the study file."""
    from analysis.pilot import study_synthetic

    root = tmp_path / "root"
    for sub in ("studies", "notebooks"):
        shutil.copytree(paths.PROJECT_ROOT / sub, root / sub)
    shutil.copy(paths.PROJECT_ROOT / "pyproject.toml", root)
    monkeypatch.setattr(paths, "PROJECT_ROOT", root)
    try:
        written = study_synthetic.write_study_data(load_study(root / "studies" / f"{SECOND}.yml"))
    finally:
        ps.use_study(DEFAULT_STUDY)
    for rel in written:
        assert (root / rel).read_bytes() == (paths.PROJECT_ROOT / rel).read_bytes(), rel


def test_second_study_differs_from_the_catering_pilot():
    a, b = load_study(DEFAULT_STUDY), load_study(SECOND)
    rows = _rows(paths.PROJECT_ROOT / b.synthetic["participants"])
    assert len(rows) != 30 and not set(a.employers) & set(b.employers)
    assert set(a.services) != set(b.services) and set(a.statuses) != set(b.statuses)
    assert a.snapshots != b.snapshots and len(b.same_sector) == 2 and b.outflow_can_end
    assert {r["werkgever"] for r in rows} <= set(b.employers)


def test_second_study_history_has_re_entry():
    """Plain counting of the history CSV: someone placed, then back in the trajectory."""
    study = load_study(SECOND)
    work, progress = set(study.work_statuses), set(study.of_kind("in_progress"))
    by_person: dict[str, list] = {}
    for r in sorted(_rows(paths.PROJECT_ROOT / study.synthetic["status_history"]), key=lambda r: r["datum"]):
        by_person.setdefault(r["deelnemer_id"], []).append(r["status"])
    re_entered = [p for p, s in by_person.items()
                  if any(x in work and y in progress for x, y in zip(s, s[1:]))]
    assert re_entered


def test_second_study_validates_and_counts_as_its_csv(active_second):
    """Figuur 12 and 13 of the second study against a plain count of its CSV."""
    from analysis.pilot import history, tables

    study = active_second
    path = paths.PROJECT_ROOT / study.synthetic["participants"]
    df = pilot_inputs.load_participants(path)
    history.load_history(paths.PROJECT_ROOT / study.synthetic["status_history"], df)
    rows = _rows(path)
    column = "status_" + study.snapshots[0].replace("-", "")
    fig12 = tables.outflow(df, study.snapshots[0])
    for status in study.statuses:
        assert fig12[status] == sum(r[column] == status for r in rows)
    fig13 = tables.outflow_by_sector(df, study.snapshots[0])
    working = [r for r in rows if r[column] in study.work_statuses]
    for sector in study.sectors:
        assert fig13[sector] == sum(r["sector_nieuw"] == sector for r in working)
    assert tables.published_comparison(df).empty  # no report, no comparison


def test_re_entry_is_refused_where_a_study_does_not_allow_it(active_second, tmp_path):
    """The same history under a copy of the study with outflow_can_end false: refused,
    naming the status and the rule."""
    from analysis.data.errors import InputError
    from analysis.pilot import history

    study = active_second
    doc = yaml.safe_load((STUDIES / f"{SECOND}.yml").read_text(encoding="utf-8"))
    doc["outflow_can_end"] = False
    final = tmp_path / f"{SECOND}.yml"
    final.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    df = pilot_inputs.load_participants(paths.PROJECT_ROOT / study.synthetic["participants"])
    ps.use_study(final)
    with pytest.raises(InputError, match=r"is final in this study"):
        history.load_history(paths.PROJECT_ROOT / study.synthetic["status_history"], df)


def test_no_pilot_of_a_study_is_named_in_the_package():
    """The catering pilot lives in its study file: none of its names or dates in the code
    of the pilot and data packages."""
    names = re.compile(r"Hutten|Maison van den Boer|Hotel Central|Meierijstad|2020-09|2021-04-16")
    src = paths.PROJECT_ROOT / "src" / "analysis"
    found = [f"{p.relative_to(src)}:{i}" for folder in ("pilot", "study", "data")
             for p in sorted((src / folder).glob("*.py"))
             for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if names.search(line)]
    assert not found, found


def test_study_labels_for_the_presentation_layer(active_second):
    assert ps.study_label("in_traject", "nl") == "In traject"
    assert ps.study_label("in_traject", "en") == "In the programme"
    assert ps.study_label("no_such_code") is None


def test_published_cut_offs_are_those_of_the_active_study(tmp_path, active_second):
    """Runs of another study publish from another file: their dates are not this study's."""
    from analysis.export_inspection import study_published_cutoffs

    config = tmp_path / "report.yml"
    config.write_text("runs:\n  02_pilot_participants:\n    - parameters: {cutoff_date: '2021-03-01'}\n"
                      f"    - parameters: {{study: {SECOND}, cutoff_date: '2023-10-01'}}\n"
                      "  03_outcome_models:\n"
                      f"    - parameters: {{study: {SECOND}, cutoff_date: '2024-01-15'}}\n", encoding="utf-8")
    assert study_published_cutoffs(None, config) == ["2023-12-01", "2024-01-15", "2023-10-01"]
    ps.use_study(DEFAULT_STUDY)
    assert study_published_cutoffs(None, config) == ["2021-04-01", "2021-04-16", "2021-03-01"]


def test_a_synthetic_file_of_any_size_for_the_active_study(active_second):
    """notebook 03's synthetic_n: the second study's generator, typed as a load gives it."""
    from analysis.pilot import outcomes, study_synthetic

    df = study_synthetic.generate_for_active_study(300)
    assert len(df) == 300 and set(df["werkgever"]) <= set(active_second.employers)
    frame, outcome = outcomes.analysis_frame(df, "work", active_second.snapshots[1], "stayed")
    assert 0 < outcome.events < outcome.n == len(frame)
    ps.use_study(DEFAULT_STUDY)
    from analysis.pilot.synthetic import generate_participants

    pd_equal = study_synthetic.generate_for_active_study(30).equals(generate_participants(30))
    assert pd_equal  # the catering pilot keeps its quota generator
