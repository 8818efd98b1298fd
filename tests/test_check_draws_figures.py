"""``inspect --check`` draws notebook 02's figures as the report does (newpilot2's F4): a
service the administration never records makes Figuur 11 a table of two columns (received,
``onbekend``), which the report draws as grouped bars; a table that its drawing cannot take
fails the check, naming the figure, instead of failing the report run."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis import exhibit_figures, export_inspection, paths
from analysis.pilot import inputs as pilot_inputs, schema as ps, tables as pt
from analysis.presentation import layout

K = 1  # every count shown: the shape of the tables, not the disclosure control, is tested
FIGURE_11 = "figuur_11_dienstverlening"


@pytest.fixture(scope="module")
def unrecorded():
    """Figures 7-13 of the shipped synthetic file in which one service is never recorded."""
    ps.use_study(ps.DEFAULT_STUDY)
    frame = pilot_inputs.load_participants(paths.DATA_RAW / "pilot_participants_synthetic.csv")
    service = ps.SERVICES[1]
    frame[service] = pd.array([pd.NA] * len(frame), dtype="boolean")  # never recorded
    return pt.joint_figure_tables(frame, K, "totaal")[0], service, len(frame)


def _exhibit():
    return ps.STUDY.exhibits.get(FIGURE_11)


def test_a_service_never_recorded_is_a_note_under_the_bars_never_a_count(unrecorded):
    by_date, service, n = unrecorded
    drawn = _exhibit().drawn(by_date[ps.CUTOFF_DATES[0]][FIGURE_11])
    assert _exhibit().drawing == "bars" and list(drawn.columns) == ["aantal", "onbekend"]
    assert int(drawn.loc[service, "onbekend"]) == n  # counted apart, never "not received"
    for lang, name in (("nl", ps.STUDY.label(service, "nl")), ("en", ps.STUDY.label(service, "en"))):
        counts, notes = exhibit_figures.bars_and_notes(drawn, lang)
        assert counts.equals(drawn["aantal"])
        assert len(notes) == 1 and f"{name} {n}" in notes[0]  # only the service not recorded, with its count
        assert all(ps.STUDY.label(s, lang) not in notes[0] for s in ps.SERVICES if s != service)
        fig = exhibit_figures.draw(_exhibit(), drawn, _exhibit().full_title(lang), lang, threshold=K)
        fig.set_dpi(120)
        assert layout.problems(fig) == []
        assert any(notes[0][:30] in t.get_text().replace("\n", " ") for t in fig.texts)
        plt.close(fig)


def test_the_check_passes_where_the_report_draws(unrecorded):
    by_date, _, _ = unrecorded
    for cutoff, figures in by_date.items():
        export_inspection.figure_rules(figures, cutoff, K)


def test_the_check_fails_where_the_drawing_cannot_take_the_table(unrecorded, monkeypatch):
    """The old notebook drew every ``bars`` exhibit with ``bar_counts``, which cannot take a
    table of two columns: the check must fail as the report did, naming the figure."""
    by_date, _, _ = unrecorded
    monkeypatch.setattr(exhibit_figures, "bars_and_notes", lambda drawn, lang: (drawn, ()))
    with pytest.raises(ValueError, match=r"Figure 11 \(figuur_11_dienstverlening, cut-off date .*\) cannot be drawn"):
        export_inspection.figure_rules(by_date[ps.CUTOFF_DATES[0]], ps.CUTOFF_DATES[0], K)
