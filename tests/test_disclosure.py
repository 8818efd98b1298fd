
import numpy as np
import pandas as pd
import pytest

from analysis.stats import disclosure


def test_small_cells_are_suppressed_and_zeros_kept():
    s = pd.Series([12, 3, 0, 15], index=list("abcd"))
    p = disclosure.protect(s, 10)
    assert p.isna().tolist() == [True, True, False, False]  # 3 primary, 12 secondary (smallest other)
    assert p["c"] == 0


def test_the_unsafe_helpers_are_gone_from_the_public_api():
    """Per-table suppression plus totals from the raw counts leaked (issue 23): only the
    joint release publishes counts now."""
    assert not hasattr(disclosure, "with_totals") and not hasattr(disclosure, "protect_rates")


def test_assert_protected_rejects_an_unprotected_table():
    with pytest.raises(ValueError, match="below 10"):
        disclosure.assert_protected(pd.Series([12, 3]), 10)


def test_writer_refuses_unprotected_person_counts(tmp_path):
    from analysis.pipeline.export import ReportOutputs
    from analysis.pipeline.provenance import Provenance

    out = ReportOutputs(tmp_path, Provenance("t", {}), min_cell_count=10)
    with pytest.raises(ValueError, match="disclosure control"):
        out.table(pd.Series([12, 3], name="aantal"), "t", person_counts=True)
    assert not (tmp_path / "tables").exists()


# -- the threshold is a property of the data ------------------------------------------------

def _rows(flags):
    return pd.DataFrame({"synthetisch": flags, "x": range(len(flags))})


@pytest.mark.parametrize("k", [0, -1, -10])
def test_zero_and_negative_thresholds_are_refused_everywhere(k, tmp_path):
    from analysis.pipeline.export import ReportOutputs
    from analysis.pipeline.provenance import Provenance
    from analysis.stats.output_gate import Release

    for call in (lambda: disclosure.check_threshold(k), lambda: disclosure.threshold_for(_rows([True]), k),
                 lambda: disclosure.protect(pd.Series([1, 2]), k),
                 lambda: disclosure.assert_protected(pd.Series([5]), k),
                 lambda: ReportOutputs(tmp_path, Provenance("t", {}), min_cell_count=k),
                 lambda: Release(k)):
        with pytest.raises(disclosure.DisclosureError, match="at least 1"):
            call()


def test_a_threshold_below_10_needs_every_row_marked_synthetic():
    assert disclosure.threshold_for(_rows([True, True]), 1) == 1
    assert disclosure.threshold_for(_rows([False]), 10) == 10
    assert disclosure.threshold_for(_rows([False]), 12) == 12
    with pytest.raises(disclosure.DisclosureError, match=r"min_cell_count=1 .*1 of 2 rows of f\.csv are not"):
        disclosure.threshold_for(_rows([True, False]), 1, "f.csv")
    with pytest.raises(disclosure.DisclosureError, match="no 'synthetisch' column"):
        disclosure.threshold_for(pd.DataFrame({"x": [1]}), 5)
    with pytest.raises(disclosure.DisclosureError, match="whole number"):
        disclosure.threshold_for(_rows([True]), "1")
    with pytest.raises(disclosure.DisclosureError, match="whole number"):
        disclosure.threshold_for(_rows([True]), True)


def test_report_outputs_refuses_a_low_threshold_without_synthetic_data(tmp_path):
    from analysis.pipeline.export import ReportOutputs

    with pytest.raises(disclosure.DisclosureError, match="min_cell_count=1 is below the default 10"):
        ReportOutputs.create("nb", {}, output_dir=tmp_path, min_cell_count=1, data=_rows([False, False]))
    with pytest.raises(disclosure.DisclosureError, match="min_cell_count=1"):
        ReportOutputs.create("nb", {}, output_dir=tmp_path, min_cell_count=1)  # no data: no evidence
    assert ReportOutputs.create("nb", {}, output_dir=tmp_path, min_cell_count=1,
                                data=_rows([True])).min_cell_count == 1


# -- command-line parameters ----------------------------------------------------------------

def test_command_line_values_are_typed_by_yaml_rules():
    from analysis.pipeline.runs import typed_value

    assert typed_value("10") == 10 and isinstance(typed_value("10"), int)
    assert typed_value("true") is True and typed_value("0.5") == 0.5
    assert typed_value("2021-04-01") == "2021-04-01"  # dates stay text
    assert typed_value("") == "" and typed_value("data/raw/x.xlsx") == "data/raw/x.xlsx"
    assert typed_value("triage,opleiding") == "triage,opleiding" and typed_value("[1, 2]") == "[1, 2]"


def _args(*argv):
    import argparse

    from analysis.pipeline import runner

    ap = argparse.ArgumentParser()
    runner.add_arguments(ap)
    return runner.selected_runs(ap.parse_args(list(argv)))


def test_command_line_parameters_override_report_yml():
    runs = {r.name: r.parameters for r in _args("-p", "min_cell_count=10", "-p", "cutoff_date=2021-04-16")}
    # report.yml sets min_cell_count: 1 for these runs; -p wins, as an int
    assert runs["02_pilot_participants"]["min_cell_count"] == 10
    assert runs["03_outcome_models"]["min_cell_count"] == 10
    assert type(runs["03_outcome_models"]["min_cell_count"]) is int
    assert runs["02_pilot_participants"]["cutoff_date"] == "2021-04-16"
    assert "min_cell_count" not in runs["01_dwsra_portfolio"]  # not declared there: not passed
    plain = {r.name: r.parameters for r in _args()}
    assert plain["02_pilot_participants"]["min_cell_count"] == 1


def test_an_undeclared_or_mistyped_parameter_is_an_error():
    from analysis.pipeline.runs import ReportError

    with pytest.raises(ReportError, match="min_cel_count: no notebook declares"):
        _args("-p", "min_cel_count=10")
    with pytest.raises(ReportError, match="declares min_cell_count as int"):
        _args("-p", "min_cell_count=ten")
    with pytest.raises(ReportError, match="declares min_cell_count as int"):
        _args("-p", "min_cell_count=true")


# -- the gate on small tables (the model/test contract) -------------------------------------

def _brute_force_max(table: np.ndarray, shown: np.ndarray, cell: tuple) -> int:
    """Largest value of ``cell`` over every non-negative integer 2 x 2 table with the shown
    cells and the row and column totals of ``table`` (enumerated: the first cell fixes it)."""
    best = -1
    r0, c0, n = table[0].sum(), table[:, 0].sum(), table.sum()
    for a in range(n + 1):
        t = np.array([[a, r0 - a], [c0 - a, n - r0 - c0 + a]])
        if (t >= 0).all() and all(t[i] == table[i] for i in zip(*np.nonzero(shown))):
            best = max(best, int(t[cell]))
    return best


def test_release_protects_a_small_cell_against_brute_force():
    from analysis.stats.output_gate import Release

    rng = np.random.default_rng(3)
    for _ in range(20):
        table = rng.integers(0, 20, size=(2, 2))
        f = pd.DataFrame([(i, j) for i in range(2) for j in range(2) for _ in range(table[i, j])], columns=["r", "c"])
        r = Release(10)
        b = r.block("T", f, {"r": [0, 1], "c": [0, 1]})
        keys = [r.cell(f"{i}{j}", b, r=i, c=j).key for i in range(2) for j in range(2)]
        keys += [r.cell(f"r{i}", b, r=i).key for i in range(2)] + [r.cell(f"c{j}", b, c=j).key for j in range(2)]
        r.prepare(keys)
        shown = r.release("T", keys)
        margins_shown = all(shown[k] for k in ("r0", "r1", "c0", "c1"))
        grid = np.array([[shown[f"{i}{j}"] for j in range(2)] for i in range(2)])
        for i, j in zip(*np.nonzero((table > 0) & (table < 10))):
            assert not grid[i, j]
            if margins_shown:  # the brute force knows the margins; the gate must leave >= 10 possible
                assert _brute_force_max(table, grid, (i, j)) >= 10, (table, grid)


def test_model_rows_of_small_groups_are_withheld_with_a_note():
    from analysis.stats import output_gate

    frame = pd.DataFrame({"g": ["a"] * 40 + ["b"] * 40 + ["c"] * 3, "y": [1, 0] * 20 + [1, 0] * 20 + [1, 1, 0]})
    r = output_gate.group_release(frame, ["g"], {"g": ["a", "b", "c"]}, 10)
    tidy = pd.DataFrame({"model": "m", "term": ["const", "g[b]", "g[c]"], "coef": [0.1, 0.2, 0.3],
                         "group_n": [40, 40, 3], "n": 83, "events": 42, "note": ""})
    out = output_gate.gate_terms(tidy, r, ["g"])
    assert out["coef"].isna().all()  # group c (3 persons) is small: the whole predictor is withheld
    assert (out["note"] == output_gate.WITHHELD_NOTE).all()  # neutral: no reason, no bound
    big = frame[frame["g"] != "c"]
    r2 = output_gate.group_release(big, ["g"], {"g": ["a", "b"]}, 10)
    out2 = output_gate.gate_terms(tidy.iloc[:2].assign(n=80), r2, ["g"])
    assert out2["coef"].tolist() == [0.1, 0.2]
    few = output_gate.gate_terms(tidy.iloc[:2].assign(n=11), r2, ["g"])  # 11 - 2 terms = 9 residual df
    assert few["coef"].isna().all() and (few["note"] == output_gate.WITHHELD_NOTE).all()
    assert "residual degrees of freedom" in r2.log[-1]["rule"]  # the reason: for the output checker only
    tests = pd.DataFrame({"group": "g", "comparison": ["a vs rest", "2 x 2 independence"],
                          "p_value": [0.5, 0.7], "group_n": [40, 80], "family": ["f", "f"], "p_holm": [0.9, 0.9]})
    assert output_gate.gate_tests(tests, r2)["p_value"].tolist() == [0.5, 0.7]
    assert output_gate.gate_tests(tests, r2)["p_holm"].tolist() == [0.9, 0.9]
    assert output_gate.gate_tests(tests, r)["p_value"].isna().all()
    one_small = tests.assign(group_n=[40, 3])  # one test of the family withheld: no Holm value for the family
    assert output_gate.gate_tests(one_small, r2)["p_holm"].isna().all()


def test_a_population_below_the_threshold_publishes_nothing_and_fails_the_check():
    from analysis.stats.output_gate import Release

    f = pd.DataFrame({"v": ["a"] * 3 + ["b"] * 2})
    r = Release(10)
    b = r.block("B", f, {"v": ["a", "b"]})
    keys = [r.cell("a", b, v="a").key, r.cell("b", b, v="b").key, r.cell("T", b).key]
    r.prepare(keys)
    assert not any(r.release("t", keys).values())
    assert r.log[-1]["outcome"].startswith("fail")
    with pytest.raises(ValueError, match="bound below 10: .*B:v=a"):
        r.check()


def test_a_shown_row_does_not_name_a_withheld_group_in_words():
    from analysis.stats import output_gate

    frame = pd.DataFrame({"g": ["a"] * 20 + ["b"] * 20 + ["c"] * 3, "h": ["u", "v"] * 21 + ["u"],
                          "y": [1, 0] * 21 + [1]})
    r = output_gate.group_release(frame, ["g", "h"], {"g": ["a", "b", "c"], "h": ["u", "v"]}, 10)
    t = pd.DataFrame({"model": "ML", "term": ["const", "g[c]", "h[v]"], "coef": [1.0, 2.0, 3.0], "n": 43,
                      "note": "not estimable: separation makes g[c] infinite"})
    out = output_gate.gate_terms(t, r, ["g", "h"])
    assert out["coef"].isna().all()  # the joint table g x h x outcome has small cells: no model row
    assert "g[c]" not in " ".join(out["note"])


def test_a_model_is_withheld_when_its_joint_table_has_small_cells_though_every_margin_is_large():
    """The model inversion of issue 23: with two predictors, coefficients, intervals and the
    rates admit only the true joint table. Every margin here is 20 persons with 10 events,
    but the joint cells a&u and b&v hold 3 persons each."""
    from analysis.stats import output_gate

    def rows(g, h, n, events):
        return [(g, h, 1)] * events + [(g, h, 0)] * (n - events)
    frame = pd.DataFrame(rows("a", "u", 3, 2) + rows("a", "v", 17, 8) + rows("b", "u", 17, 8) + rows("b", "v", 3, 2),
                         columns=["g", "h", "y"])
    r = output_gate.group_release(frame, ["g", "h"], {"g": ["a", "b"], "h": ["u", "v"]}, 10)
    rates = pd.DataFrame({"group": ["g", "g", "h", "h"], "level": ["a", "b", "u", "v"], "n": 20, "events": 10,
                          "rate": 0.5})
    assert output_gate.gate_rates(rates, r)["rate"].notna().all()  # the margins alone are safe
    tidy = pd.DataFrame({"model": "LPM", "term": ["const", "g[b]", "h[v]"], "coef": [0.6, 0.0, 0.0],
                         "group_n": 20, "n": 40, "note": ""})
    assert output_gate.gate_terms(tidy, r, ["g", "h"])["coef"].isna().all()
    # the control: with large joint cells the same model is shown
    big = pd.DataFrame(rows("a", "u", 10, 5) + rows("a", "v", 10, 5) + rows("b", "u", 10, 5) + rows("b", "v", 10, 5),
                       columns=["g", "h", "y"])
    r2 = output_gate.group_release(big, ["g", "h"], {"g": ["a", "b"], "h": ["u", "v"]}, 5)
    assert output_gate.gate_terms(tidy, r2, ["g", "h"])["coef"].notna().all()


def test_a_figure_written_is_no_longer_released_for_a_later_change(tmp_path):
    """The eighth intruder wrote a released figure with run.figure, then gave it a title with
    counts and a histogram of the raw ages and displayed it: it was published, because the
    figure kept its mark. Written and shown, it loses the mark; a later display is checked."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.pipeline.export import ReportOutputs
    from analysis.pipeline.provenance import Provenance
    from analysis.stats import released

    out = ReportOutputs(tmp_path, Provenance("t", {}), min_cell_count=10, private=True)
    table = released.mark(pd.DataFrame({"n": [12, 15]}, index=["a", "b"]))
    fig, ax = plt.subplots()
    ax.bar(["a", "b"], [12, 15])
    released.set_private(True)
    try:
        out.figure(fig, "t", show=False, data=table)
        assert (tmp_path / "figures" / "t.png").is_file()
        assert not released.is_marked(fig) and not released.allowed(fig)
    finally:
        released.set_private(False)
