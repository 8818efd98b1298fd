"""Review 7 on the DWSRA page's appendices: Bijlage A and B disagreed without a word (a cell
reproduced in A is inconsistent in B), the ceiling check's margin was not stated, and the text
reader's own categories (footnote labels, list numbers, ...) stood as rows of a reviewer's table."""

from __future__ import annotations

import pandas as pd

from analysis.dwsra import ceiling, texts
from analysis.dwsra.schema import CEILING_TOLERANCE_EUR


def test_a_cell_reproduced_in_a_and_inconsistent_in_b_is_named_with_why_both_hold():
    comparison = pd.DataFrame({"table": ["tabel_2_2", "tabel_2_2"], "row": ["beide", "beide"],
                               "column": ["max_subsidy_mln", "avg_total_mln"], "status": ["reproduced", "differs"],
                               "digits": [1, 2]})
    found = pd.DataFrame({"table": ["tabel_2_2", "tabel_2_2"], "row": ["beide", "beide"],
                          "column": ["max_subsidy_mln", "avg_total_mln"], "printed": [9.9, 1.4]})
    text = texts.reproduced_yet_inconsistent(comparison, found, "nl")
    assert text.startswith("Één van deze getallen staat in Bijlage A als gereproduceerd: 9,9 (Tabel 2.2, Beide typen, "
                           "maximale subsidie).")
    assert "geen tegenspraak" in text and "1,40" not in text  # the differing cell is A's own explanation
    english = texts.reproduced_yet_inconsistent(comparison, found, "en")
    assert english.startswith("One of these numbers is shown as reproduced in Appendix A: 9.9 (Table 2.2, Both types")
    assert texts.reproduced_yet_inconsistent(comparison.assign(status="differs"), found, "nl") == ""


def test_the_ceiling_checks_margin_is_said_with_the_register_s_largest_rounding_and_smallest_excess():
    # 0.69 x 1000 = 690: 697 lies 7 above (rounding, within the margin), 900 lies 210 above (an excess)
    register = pd.DataFrame({"direct_costs_eur": [1000.0, 1000.0, 1000.0], "max_subsidy_eur": [697.0, 900.0, 500.0]})
    text = ceiling.tolerance_sentence(register, "nl")
    assert f"meer dan € {CEILING_TOLERANCE_EUR:.0f} boven 60%" in text
    assert "hoogstens € 7 boven 0,69 x de directe kosten" in text and "Eén project ligt erboven, met € 210" in text
    assert "No project lies above it." in ceiling.tolerance_sentence(register.iloc[[0, 2]], "en")


def test_the_text_readers_categories_are_one_column_for_a_reader_and_every_kind_stays_in_the_file():
    coverage = pd.DataFrame({"amount": [5, 0, 5], "footnote_label": [0, 21, 21], "page_number": [0, 3, 3],
                             "date": [2, 1, 3], "totaal": [7, 25, 32]},
                            index=pd.Index(["register", "not_a_quantity", "totaal"], name="class"))
    shown = texts.coverage_for_reader(coverage)
    assert list(shown.columns) == ["amount", "date", "text_structure", "totaal"]
    assert shown["text_structure"].tolist() == [0, 24, 24]  # 21 + 3: the footnote labels and page numbers
    assert (shown.drop(columns="totaal").sum(axis=1) == shown["totaal"]).all()  # still adds up
    assert "footnote_label" in coverage.columns  # the CSV's table is not changed
    assert texts.word("text_structure", "nl").startswith("Tekstopbouw")
    from analysis.presentation.labels import label

    # the page shows the kinds as rows, labelled by the catalogue (review 7's build showed the code itself)
    assert label("text_structure", "nl") == texts.word("text_structure", "nl")
    assert label("text_structure", "en") == texts.word("text_structure", "en")
