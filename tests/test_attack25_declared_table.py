"""Attack 25's finding on declared tables: a study's exhibit of ``kind: table`` with ``crosstab:``
(a yes/no or a category column by status) wrote its CSV on real data, but its page showed "not
shown: this released table has a column the release did not produce" instead of the table, in
English on a Dutch page. Notebook 02 displays the released crosstab through
``styling.styled``, which writes each column's code as its label ("nee" as "Nee", a status code as
the report's words); the content check took those labels for columns added by hand. The labels
``styled`` writes for the release's own columns now count as the table's own; a column added by
hand stays refused under its label."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from analysis.presentation.styling import styled
from analysis.stats import released


def _real_run(df):
    from analysis.release.run import Run

    out = SimpleNamespace(private=True, min_cell_count=10)
    return Run("02_pilot_participants", {"cutoff_date": "2021-04-16", "language": "nl"}, df, out,
               ["2021-04-01", "2021-04-16"], "t")


def _participants(n: int = 400) -> pd.DataFrame:
    from analysis.release.loading import generate_for_active_study

    return generate_for_active_study(n).assign(synthetisch=False)


@pytest.fixture
def real():
    released.set_private(True)
    yield
    released.set_content_check(None)
    released.set_private(False)


def test_declared_crosstabs_are_shown_as_styled(real):
    """A yes/no and a category column by status, a one-way table (a Series) and two coded
    columns; each in both languages. Before the fix every one was refused."""
    run = _real_run(_participants())
    released.set_content_check(run._content_problem)
    pairs = [("status", "certificeringscursus"), ("geslacht", None), ("certificeringscursus", "geslacht")]
    for index, columns in pairs:
        shown = run.crosstab(index, columns, name=f"t_{index}_{columns}")
        for lang in ("nl", "en"):
            table = styled(shown, lang, "Tabel")
            assert released.allowed(table), (index, columns, lang, released.refusal(table))


def test_a_column_added_by_hand_is_still_refused_under_its_label(real):
    df = _participants()
    run = _real_run(df)
    released.set_content_check(run._content_problem)
    shown = run.crosstab("status", "certificeringscursus", name="t_cert")
    shown["gemiddelde dienstjaren"] = 12.5
    for lang in ("nl", "en"):
        with pytest.raises(released.UnreleasedOutput, match="did not produce"):
            styled(shown, lang, "Tabel")
    own = styled(shown.drop(columns="gemiddelde dienstjaren"), "nl", "Tabel")
    assert released.allowed(own)
    own.data["Gemiddelde dienstjaren"] = 12.5  # added to the view: its label was never the release's
    assert not released.allowed(own)


LONG = {"oude_werkgever": ["Maison van den Boer", "Hotel Central Den Bosch", "Hutten Catering Veghel",
                           "Restaurant De Gouden Leeuw", "onbekend"],
        "functietype": ["Medewerker bediening", "Medewerker keuken", "Leidinggevende / kader",
                        "Schoonmaak en huishouding", "Administratie en receptie", "Overig"]}


@pytest.mark.parametrize("variable", sorted(LONG))
def test_a_grouped_figure_of_long_group_names_passes_the_layout_check(variable):
    """Attack 25's second finding: a declared grouped figure of function type or employer
    failed the layout check on its overlapping group labels (so the run failed). The labels are
    now wrapped, or set upright, and the bars keep their height."""
    import matplotlib

    matplotlib.use("Agg")
    from analysis.presentation import layout, plots

    names = LONG[variable]
    table = pd.DataFrame({"ja": range(10, 10 + len(names)), "nee": range(20, 20 + len(names))},
                         index=pd.Index(names, name=variable))
    short = table.set_axis([f"g{i}" for i in range(len(names))]).rename_axis(variable)
    fig = plots.grouped_counts(table, "Figuur 14. Test", "nl", None, source="Bron", n=200, threshold=10)
    assert layout.problems(fig) == []
    ticks = [t for t in fig.axes[0].get_xticklabels() if t.get_text()]
    assert all("\n" in t.get_text() or t.get_rotation() == 90 for t in ticks if len(t.get_text()) > 12)
    plain = plots.grouped_counts(short, "Figuur 14. Test", "nl", None, source="Bron", n=200, threshold=10)
    assert [t.get_rotation() for t in plain.axes[0].get_xticklabels()] == [0] * len(names)  # short labels stay
    # the bars keep their height: the axes are no shorter than those of the figure with short labels
    assert fig.axes[0].get_window_extent().height >= 0.95 * plain.axes[0].get_window_extent().height
