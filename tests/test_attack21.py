"""Intruder round 21 (issue 23): what an evaluator's own cell got out of the release.

F2/F3: a figure drawn from the participant rows and passed with a released table was read back
by a deny-list: a stripplot without jitter (one marker per person on category positions), a
rug (segments half in axes coordinates), ``ax.stairs`` (a step patch) and ``ax.plot(cat, cat,
"o")`` passed, and their marks gave raw counts below the threshold. The read-back is now an
allow-list: marks it cannot account for refuse the figure, named by their kind. Each test's
control shows the old check (``foreign_numbers`` alone) passing the same figure and the
figure's marks holding the raw table, counted here independently with pandas.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from analysis import paths
from analysis.pilot import inputs as pilot_inputs
from analysis.stats import released


def _participants() -> pd.DataFrame:
    """The shipped synthetic file, marked as real data (the release then applies its checks)."""
    df = pilot_inputs.load_participants(paths.DATA_RAW / "pilot_participants_synthetic.csv")
    return df.assign(synthetisch=False)


def _real_run(df):
    from analysis.release.run import Run

    out = SimpleNamespace(private=True, min_cell_count=10)
    return Run("02_pilot_participants", {"cutoff_date": "2021-04-16", "language": "nl"}, df, out,
               ["2021-04-01", "2021-04-16"], "t")


def _attack_figures(df):
    """The figures of round 21, drawn from the rows: name -> (figure, the kind the refusal names)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import seaborn as sns

    drawn = {}
    fig, ax = plt.subplots()
    sns.stripplot(data=df, x="opleidingsniveau", y="status_20210416", jitter=False, ax=ax)
    drawn["stripplot without jitter"] = (fig, "PathCollection")
    fig, ax = plt.subplots()
    sns.stripplot(data=df, x="opleidingsniveau", y="status_20210416", hue="geslacht", jitter=False, dodge=False,
                  ax=ax)
    drawn["stripplot without jitter, coloured by gender"] = (fig, "PathCollection")
    fig, ax = plt.subplots()
    sns.rugplot(data=df, x="leeftijd", hue="opleidingsniveau", ax=ax, height=0.05)
    drawn["rugplot of ages"] = (fig, "LineCollection")
    fig, ax = plt.subplots()
    ax.stairs(*np.histogram(df["leeftijd"], bins=range(18, 68)))
    drawn["stairs of one-year age counts"] = (fig, "StepPatch")
    fig, ax = plt.subplots()
    ax.plot(df["opleidingsniveau"].astype(str), df["status_20210416"].astype(str), "o", linestyle="")
    drawn["plot(cat, cat, 'o')"] = (fig, "Line2D markers")
    fig, ax = plt.subplots()
    for age in df["leeftijd"]:
        ax.axvline(age)
    drawn["a rug of axvlines"] = (fig, "reference lines")
    return drawn


def test_areas_along_x_are_read_by_their_widths():
    """F3's screen: fill_betweenx and broken_barh drew raw counts along x, which the read-back
    (heights only) passed; their x extents are read now, and the same areas of the released
    table's numbers pass."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.release import figure_check

    table = pd.DataFrame({"nee": [12, 15], "ja": [20, 11]}, index=pd.Index(["man", "vrouw"], name="geslacht"))
    for draw in (lambda ax, v: ax.fill_betweenx([0, 1], 0, [v, v]), lambda ax, v: ax.broken_barh([(0, v)], (0, 1))):
        fig, ax = plt.subplots()
        draw(ax, 7)  # a raw count
        assert "area 7" in figure_check.foreign_numbers(fig, table, "nl", {10.0})
        fig, ax = plt.subplots()
        draw(ax, 12)
        assert figure_check.foreign_numbers(fig, table, "nl", {10.0}) == []
    plt.close("all")


def test_marks_the_read_back_cannot_account_for_refuse_the_figure_on_real_data():
    from analysis.release import figure_check

    df = _participants()
    run = _real_run(df)
    table = run.crosstab("geslacht", "functietype")  # a released table, passed as the figure's data
    for what, (fig, kind) in _attack_figures(df).items():
        assert figure_check.unreadable_marks(fig), what
        with pytest.raises(released.UnreleasedOutput, match=f"(?s){kind}.*run.crosstab") as refused:
            run.figure(fig, "pilot_rug", data=table)
        assert "cannot read back" in str(refused.value), what


def test_control_the_old_read_back_passed_these_figures_and_their_marks_hold_raw_counts():
    """Control: the number check alone (the code before round 21's fix) finds nothing in the
    stripplot, the rug, the stairs and the categorical plot; yet the stripplot's markers per
    position are the raw education x status table, with counts below 10 the release withholds."""
    from analysis.release import figure_check

    df = _participants()
    table = _real_run(df).crosstab("geslacht", "functietype")
    drawn = _attack_figures(df)
    for what in ("stripplot without jitter", "rugplot of ages", "stairs of one-year age counts",
                 "plot(cat, cat, 'o')"):
        assert figure_check.foreign_numbers(drawn[what][0], table, "nl", {10.0}) == [], what
    # the rug of axvlines: the number check reads where reference lines lie since (issue 23)
    assert figure_check.foreign_numbers(drawn["a rug of axvlines"][0], table, "nl", {10.0})
    ax = drawn["stripplot without jitter"][0].axes[0]
    xs = [t.get_text() for t in ax.get_xticklabels()]
    ys = [t.get_text() for t in ax.get_yticklabels()]
    points = [(xs[round(x)], ys[round(y)]) for c in ax.collections for x, y in c.get_offsets()]
    from_figure = pd.Series(points).value_counts().sort_index()
    raw = pd.crosstab(df["opleidingsniveau"].astype(str), df["status_20210416"].astype(str)).stack()
    raw = raw[raw > 0].sort_index()
    assert from_figure.to_dict() == raw.to_dict()
    assert 0 < raw.min() < 10  # a count the release would withhold
    rug = drawn["rugplot of ages"][0].axes[0]
    assert sum(len(c.get_segments()) for c in rug.collections) == len(df)  # one segment per person


def test_figures_of_a_released_table_hold_only_marks_the_read_back_accounts_for():
    """The kinds the notebooks draw from released tables (bars, grouped bars, lines with
    markers, a forest plot with a reference line, a heatmap, step curves with bands and a
    cut-off line) pass the allow-list."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import seaborn as sns

    from analysis.release import figure_check

    table = pd.DataFrame({"nee": [12, 15], "ja": [20, 11]}, index=pd.Index(["man", "vrouw"], name="geslacht"))
    figures = []
    fig, ax = plt.subplots()
    sns.barplot(data=table.stack().rename("n").reset_index(), x="geslacht", y="n", hue="level_1", errorbar=None,
                ax=ax)
    figures.append(fig)
    fig, ax = plt.subplots()
    ax.plot(table.index, table["ja"].to_numpy(), marker="o")
    ax.axhline(1.0, color="grey")
    sns.heatmap(table, annot=True, ax=plt.subplots()[1])
    figures += [fig, plt.gcf()]
    fig, ax = plt.subplots()
    ax.errorbar([1.5, 0.5], [0, 1], xerr=[[0.2, 0.1], [0.3, 0.2]], fmt="o")
    ax.axvline(1.0)
    ax.set_yticks([0, 1], ["triage[2]", "triage[3]"])
    figures.append(fig)
    fig, ax = plt.subplots()
    ax.step([0, 1, 2], [1.0, 0.8, 0.6], where="post")
    ax.fill_between([0, 1, 2], [0.9, 0.7, 0.5], [1.0, 0.9, 0.7], step="post")
    ax.axvline(6, ls=":")
    figures.append(fig)
    for fig in figures:
        assert figure_check.unreadable_marks(fig) == []
    plt.close("all")


def _with_lonely_level(df: pd.DataFrame) -> pd.DataFrame:
    """Round 21's file T600u in small: one person whose education is unknown (a level of one)."""
    out = df.copy()
    out["opleidingsniveau"] = out["opleidingsniveau"].cat.add_categories(["onbekend"]) \
        if hasattr(out["opleidingsniveau"], "cat") else out["opleidingsniveau"]
    out.loc[out.index[0], "opleidingsniveau"] = "onbekend"
    out.loc[out.index[0], "dienstjaren"] = 30.5
    return out


def test_a_statistic_added_by_hand_to_a_released_table_refuses_it_on_real_data():
    """F4: a mean of years of service per education level, added as a column to a released
    crosstab, gave the one-person level's own value (30.5: not whole, so the whole-number check
    passed it). A column the release did not produce refuses the table, in run.table,
    run.display, the kernel's display and as a figure's data; the table as released passes."""
    df = _with_lonely_level(_participants())
    run = _real_run(df)
    released.set_private(True)
    released.set_content_check(run._content_problem)
    try:
        t = run.crosstab("opleiding", "functietype", name="opleiding_functietype")
        assert run._content_problem(t) is None  # the released table passes
        t["gemiddelde dienstjaren"] = df.groupby("opleidingsniveau", observed=True)["dienstjaren"].mean().round(1)
        problem = run._content_problem(t)
        assert problem and "column the release did not produce" in problem and "run.crosstab" in problem
        assert "30.5" not in problem
        for call in (lambda: run.display(t), lambda: run.table(t, "pilot_opleiding_dienstjaren")):
            with pytest.raises(released.UnreleasedOutput, match="column the release did not produce"):
                call()
        assert not released.allowed(t)
        with pytest.raises(released.UnreleasedOutput, match="column the release did not produce"):
            run.figure(object(), "pilot_opleiding_dienstjaren", data=t)
        # reshaping the released table (its own labels) stays allowed
        assert released.added_columns(run.crosstab("opleiding", "functietype", name="opleiding_functietype").T) == []
    finally:
        released.set_content_check(None)
        released.set_private(False)


def test_control_the_old_content_check_passed_the_added_mean_and_it_is_the_person_s_value(monkeypatch):
    """Control: the whole-number check alone (the code before the fix) finds nothing to refuse
    in the added column, and the onbekend row's mean is that one person's years of service,
    computed here from the file."""
    df = _with_lonely_level(_participants())
    run = _real_run(df)
    t = run.crosstab("opleiding", "functietype", name="opleiding_functietype")
    t["gemiddelde dienstjaren"] = df.groupby("opleidingsniveau", observed=True)["dienstjaren"].mean().round(1)
    lonely = df[df["opleidingsniveau"] == "onbekend"]
    assert len(lonely) == 1 and float(lonely["dienstjaren"].iloc[0]) == 30.5
    shown = t.loc[[i for i in t.index if "onbekend" in str(i)], "gemiddelde dienstjaren"]
    assert shown.tolist() == [30.5]
    assert t.loc[shown.index[0]].drop("gemiddelde dienstjaren").isna().all()  # its counts are withheld
    monkeypatch.setattr(released, "added_columns", lambda obj: [])  # the check as it was before the fix
    assert run._content_problem(t) is None  # it read whole numbers only: 30.5 passed


def _six_hundred() -> pd.DataFrame:
    """A file of 600 synthetic participants (round 21's shape: models publish), marked real."""
    from analysis.release.loading import generate_for_active_study

    return generate_for_active_study(600).assign(synthetisch=False)


def test_a_crosstab_of_two_model_predictors_is_refused_on_real_data():
    """F1: run.crosstab("triage", "opleiding") in notebook 02 (a cell, or a declared exhibit,
    which is run.crosstab too) beside notebook 03's models gave the table of those who left.
    On real data a crosstab of two model predictors is refused, in every run."""
    run = _real_run(_six_hundred())
    for pair in (("triage", "opleiding"), ("opleiding", "triage"), ("leeftijd", "dienstjaren")):
        with pytest.raises(released.UnreleasedOutput, match="both are predictors of the outcome models"):
            run.crosstab(*pair)
    assert run.crosstab("triage", "geslacht") is not None  # a variable the models do not use
    from analysis.study.exhibits import Exhibit

    declared = Exhibit("figuur_14_triage_opleiding", "02_pilot_participants", "figure", "14",
                       ("Triage naar opleiding", "Triage by education"), crosstab=("triage", "opleiding"),
                       drawing="grouped", n="table_total", output="pilot_figuur_14_triage_opleiding")
    with pytest.raises(released.UnreleasedOutput, match="both are predictors of the outcome models"):
        declared.shown({}, run)  # the documented numbered-figure route (F1b)


def test_control_the_old_release_published_the_crosstab_and_the_logit_gives_the_leavers():
    """Control: without the refusal (the code before the fix) the crosstab is released, and the
    ML logit's score equations (fitted here with statsmodels from the modelled persons, as the
    published coefficients give them) with the published rates' n and events per level pin the
    stayed triage x education table exactly (scipy's MILP, minimum = maximum); the released
    table minus it is the leavers' table, with counts below 10."""
    import statsmodels.api as sm
    from scipy.optimize import Bounds, LinearConstraint, milp

    from analysis.pilot import outcomes
    from analysis.release.run import Run

    df = _six_hundred()
    run = _real_run(df)
    original = Run._refuse_model_links
    Run._refuse_model_links = lambda self, index, columns: None  # the old rule did not cover two predictors
    try:
        table = run.crosstab("triage", "opleiding")
    finally:
        Run._refuse_model_links = original
    frame, _ = outcomes.analysis_frame(df, "work", "2021-04-16", "stayed")
    t, e = frame["triage"].astype(str), frame["opleiding"].astype(str)
    x = pd.get_dummies(pd.DataFrame({"t": t, "e": e}), drop_first=True).astype(float)
    x.insert(0, "const", 1.0)
    fit = sm.Logit(frame["y"].astype(float), x).fit(method="newton", disp=0, tol=1e-12, maxiter=200)
    cells = sorted(set(zip(t, e)))
    p = {c: float(1 / (1 + np.exp(-x[(t == c[0]) & (e == c[1])].iloc[0].to_numpy() @ fit.params.to_numpy())))
         for c in cells}
    rows, lo, hi = [], [], []
    for i, var in enumerate((t, e)):  # the rates table: n and events per level of each predictor
        for level in sorted(set(var)):
            sel = np.array([float(c[i] == level) for c in cells])
            n, events = float((var == level).sum()), float(frame["y"][var == level].sum())
            rows += [sel, sel * np.array([p[c] for c in cells])]
            lo += [n, events - 1e-3]
            hi += [n, events + 1e-3]
    system = LinearConstraint(np.array(rows), lo, hi)
    stayed = {}
    for i, c in enumerate(cells):
        ends = []
        for sign in (1.0, -1.0):
            goal = np.zeros(len(cells))
            goal[i] = sign
            res = milp(goal, constraints=[system], integrality=np.ones(len(cells)), bounds=Bounds(0, len(df)))
            ends.append(sign * res.fun)
        assert ends[0] == ends[1], c  # pinned
        stayed[c] = ends[0]
    truth = pd.Series(list(zip(t, e))).value_counts()
    assert all(stayed[c] == truth[c] for c in cells)
    leavers = {c: int(table.loc[f"triage_{c[0]}", c[1]]) - stayed[c] for c in cells
               if f"triage_{c[0]}" in table.index and pd.notna(table.loc[f"triage_{c[0]}", c[1]])}
    assert leavers and any(0 <= v < 10 for v in leavers.values())
