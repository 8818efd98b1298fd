"""The synthetic participant file: every published constraint by id, shares at larger N,
determinism, and that the shipped file is what the generator makes."""

import pandas as pd
import pytest

from analysis.data.loading import validate_frame
from analysis.pilot import constraints as pc
from analysis.pilot.schema import PARTICIPANTS
from analysis.pilot.synthetic import apportion, generate_participants, write_participants


@pytest.mark.parametrize("cid", [c.id for c in pc.CONSTRAINTS])
def test_shipped_synthetic_file_meets_constraint(pilot30, cid):
    c = pc.BY_ID[cid]
    assert c.check(pilot30), f"{cid} not met: {c.fact}"


@pytest.mark.parametrize("seed", [1, 2, 3, 12345])
def test_every_seed_meets_every_constraint(seed):
    df = generate_participants(30, seed)
    failed = pc.check_all(df).query("not met")
    assert failed.empty, failed.to_string()


@pytest.mark.parametrize("movers", [0, 1, 2])
def test_movers_parameter_changes_only_where_movers_come_from(movers):
    df = generate_participants(30, 7, movers_from_education=movers)
    moved = df.status_20210401 != df.status_20210416
    assert (df.loc[moved, "status_20210401"] == "opleiding").sum() == movers
    hard = pc.check_all(df).query("type == 'hard' and not met")
    assert hard.empty, hard.to_string()


def test_shipped_file_is_the_generators_output(tmp_path, pilot30):
    from tests.conftest import SYNTHETIC_CSV

    write_participants(generate_participants(), tmp_path / "p.csv")
    assert (tmp_path / "p.csv").read_bytes() == SYNTHETIC_CSV.read_bytes(), \
        "data/raw file differs from `python -m analysis synthetic`; regenerate it"


def test_same_seed_same_file_different_seed_different_file():
    a, b, c = generate_participants(seed=5), generate_participants(seed=5), generate_participants(seed=6)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)


def test_synthetic_file_is_marked_synthetic(pilot30):
    assert pilot30["synthetisch"].all()
    assert pilot30["deelnemer_id"].str.startswith("SYN").all()


@pytest.mark.parametrize("n", [100, 2_000, 50_000])
def test_larger_files_keep_the_pilot_shares(pilot30, n):
    big = generate_participants(n, seed=11)
    checks = pc.share_checks(big, pilot30, tolerance=0.02 if n < 1000 else 0.005)
    assert checks["within_tolerance"].all(), checks[~checks.within_tolerance].to_string()


@pytest.mark.parametrize("n", [1, 7, 31, 1_001])
def test_any_size_passes_the_schema(n):
    from analysis.data.text_csv import to_text_frame

    df = generate_participants(n, seed=3)
    validate_frame(to_text_frame(df, PARTICIPANTS), PARTICIPANTS)


def test_apportion_is_exact_at_the_pilot_size_and_sums_to_total():
    from analysis.pilot.synthetic import STATUS_QUOTA

    assert apportion(30, STATUS_QUOTA) == STATUS_QUOTA
    for total in (1, 29, 31, 999, 10**6):
        assert sum(apportion(total, STATUS_QUOTA).values()) == total


@pytest.mark.parametrize("cells", [["plain", "Maison van den Boer", ""], ["a,b", 'say "hi"', "two\nlines"]])
def test_text_csv_writer_gives_the_bytes_pandas_gives(tmp_path, cells):
    """The fast writer (pyarrow, unquoted) and its fallback for values that need quotes
    (stdlib csv) both write exactly what pandas' to_csv writes."""
    from analysis.data.text_csv import write_text_csv

    frame = pd.DataFrame({"id": ["1", "2", "3"], "text": cells, "leeg": ["", "x", ""]})
    write_text_csv(frame, tmp_path / "fast.csv")
    assert (tmp_path / "fast.csv").read_bytes() == frame.to_csv(index=False, lineterminator="\n").encode()


def test_synthetic_file_written_at_scale_matches_pandas_byte_for_byte(tmp_path):
    from analysis.data.text_csv import to_text_frame
    from analysis.pilot.schema import PARTICIPANTS

    df = generate_participants(3000, seed=11)
    write_participants(df, tmp_path / "p.csv")
    expected = to_text_frame(df, PARTICIPANTS).to_csv(index=False, lineterminator="\n").encode()
    assert (tmp_path / "p.csv").read_bytes() == expected


def _raw_rows():
    """The shipped file read with the csv module only (independent of the loaders)."""
    import csv

    from tests.conftest import SYNTHETIC_CSV

    with open(SYNTHETIC_CSV, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_one_definition_gives_both_published_rates_in_the_shipped_file():
    # Section 6.1: 64% = 16 of the 25 who stayed (1 April); footnote 11: 68% = 17 of 25 (16 April).
    # Both come out under "new job, work + education or education"; on 16 April "work" agrees.
    rows = _raw_rows()
    stayed = [r for r in rows if r["status_20210401"] in {"nieuwe_baan", "werk_en_scholing", "opleiding",
                                                         "in_bemiddeling"}]
    inclusive = {"nieuwe_baan", "werk_en_scholing", "opleiding"}
    assert len(stayed) == 25
    assert sum(r["status_20210401"] in inclusive for r in stayed) == 16
    assert sum(r["status_20210416"] in inclusive for r in stayed) == 17
    assert sum(r["status_20210416"] in {"nieuwe_baan", "werk_en_scholing"} for r in stayed) == 17


def test_published_rates_table_names_the_definition_behind_each_number(pilot30):
    from analysis.pilot import outcomes

    t = outcomes.published_rates(pilot30).set_index("source")
    assert t["reproduced"].all()
    assert t.loc["Hoofdstuk 6.1", ["events_work", "events_work_or_education"]].tolist() == [14, 16]
    assert t.loc["Voetnoot 11", ["events_work", "events_work_or_education"]].tolist() == [17, 17]


def test_published_rates_flags_a_file_that_misses_a_number():
    from analysis.pilot import outcomes

    t = outcomes.published_rates(generate_participants(30, 7, movers_from_education=0)).set_index("source")
    # all three movers from mediation: inclusive rate on 16 April is 19/25, not 17/25
    assert not t.loc["Voetnoot 11", "reproduced"] and t.loc["Voetnoot 11", "events_work_or_education"] == 19


@pytest.mark.parametrize("cutoff", ["2021-04-01", "2021-04-16"])
def test_figure_11_counts_every_participant_at_either_cutoff(pilot30, cutoff):
    from analysis.pilot import schema, tables

    rows = _raw_rows()
    expected = {s: sum(r[s] == "true" for r in rows) for s in schema.SERVICES}
    got = tables.services(pilot30, cutoff).to_dict()
    assert got == expected and got["dv_coaching"] == 27  # everyone who started, except triage 1


def test_outcome_description_is_in_one_language(pilot30):
    from analysis.pilot import outcomes

    _, o = outcomes.analysis_frame(pilot30, "work", "2021-04-16", "stayed")
    assert o.describe("nl") == ("nieuwe baan of werk en scholing op 2021-04-16, onder deelnemers die bleven meedoen: "
                                "17 van 25 (68%)")
    assert o.describe("en").endswith("among participants who stayed in the pilot: 17 of 25 (68%)")


def _rules_study(tmp_path, change):
    """The quota study's file with its ``synthetic.placement_rules`` changed, loaded."""
    import yaml

    from analysis.pilot.synthetic import quota_study
    from analysis.study import load_study

    source = quota_study().source
    doc = yaml.safe_load(open(source, encoding="utf-8").read())
    change(doc["synthetic"]["placement_rules"])
    path = tmp_path / source.rsplit("/", 1)[-1]
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    facts = doc["report"]["facts"]
    path.with_name(facts).write_text(open(source.rsplit("/", 1)[0] + "/" + facts, encoding="utf-8").read(),
                                     encoding="utf-8")
    return load_study(path)


def test_the_placement_rules_name_codes_of_the_study_file(tmp_path):
    """The generator's rules take their codes from the study file: each is checked against
    the study's vocabulary, and the shipped rules are the codes the shipped file holds."""
    from analysis.pilot.synthetic import RULES, placement_rules, quota_study, status_of_kind

    study = quota_study()
    assert placement_rules(study) == RULES
    assert set(status_of_kind(study).values()) == set(study.statuses)  # one status of each kind
    df = generate_participants()
    own = RULES["self_employed"]
    assert (df.loc[df[own["service"]], "contract_nieuw"] == own["contract"]).all()
    assert set(df["reden_stoppen"].dropna()) == {RULES["stop_reason"]}
    assert (df.loc[df["triage"] == 1, RULES["tests_for_triage_1"]]).all()

    wrong = _rules_study(tmp_path, lambda r: r.update(coaching="dv_coachen",
                                                      mover_contract_quota={"vast": 2, "flex": 1}))
    with pytest.raises(ValueError) as info:
        placement_rules(wrong)
    message = str(info.value)
    assert "synthetic.placement_rules.coaching: value dv_coachen must be one of the study's services" in message
    assert "synthetic.placement_rules.mover_contract_quota: value flex must be one of the study's contracts" \
        in message and "value vast" not in message

    renamed = _rules_study(tmp_path, lambda r: r.update(stop_reason="verhuizing"))
    with pytest.raises(ValueError, match="stop_reason: value verhuizing must be one of the study's stop_reasons"):
        placement_rules(renamed)
