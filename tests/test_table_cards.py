"""Wide tables as cards on a phone (pipeline.table_cards): each data cell carries its
column's name, from tables pandas' Styler writes."""

import pandas as pd

from analysis.pipeline import table_cards


def _styled(df: pd.DataFrame) -> str:
    return df.style.to_html()


def test_a_table_of_four_columns_or_more_gets_its_column_names_on_every_cell():
    df = pd.DataFrame({"Uitkomst ja": [1, 10], "n": [1, 12], "Aandeel (%)": [100, 83]},
                      index=pd.Index(["Triage 1", "Triage 2"], name="Niveau"))
    page = "<p>x</p>" + _styled(df)
    out = table_cards.as_cards(page)
    assert 'class="vwnw-cards"' in out
    assert out.count('data-label="Uitkomst ja"') == 2 and out.count('data-label="Aandeel (%)"') == 2
    assert out.count('data-label="Niveau"') == 2  # the row headings name their index
    assert table_cards.as_cards(out).count("vwnw-cards") == 1  # a marked table is not marked again


def test_a_narrow_table_is_left_as_it_is():
    page = _styled(pd.DataFrame({"Aantal": [3, 4]}, index=["a", "b"]))
    assert table_cards.as_cards(page) == page


def test_a_column_index_of_two_levels_joins_its_names_and_escapes_them():
    cols = pd.MultiIndex.from_tuples([("Eerste ronde", "O"), ("Eerste ronde", "T"), ('R&amp;D "x"', "O")])
    df = pd.DataFrame([[23, 11, 36], [16, 10, 30]], columns=cols, index=["DW", "SRA"])
    out = table_cards.as_cards(_styled(df))
    assert out.count('data-label="Eerste ronde O"') == 2 and out.count('data-label="Eerste ronde T"') == 2
    assert 'data-label="R&amp;D &quot;x&quot; O"' in out  # the text of the header, escaped once


def test_a_block_named_once_is_named_on_every_card_and_a_later_empty_cell_stays_empty():
    """Tables T1-T3 name their origin and outcome once per block; on a phone each row is a card,
    and the cards below the first showed an empty 'Vanaf'."""
    df = pd.DataFrame({"Vanaf": ["De start", "", "Instroom", ""], "Uitkomst": ["Werk", "", "Werk", ""],
                       "Indeling": ["Triagepad", "Opleiding", "Triagepad", "Opleiding"],
                       "Toelichting": ["a", "", "b", ""]})
    out = table_cards.as_cards(df.style.hide(axis="index").to_html())
    assert out.count('data-carried="De start"') == 1 and out.count('data-carried="Instroom"') == 1
    assert out.count('data-carried="Werk"') == 2
    assert 'data-carried="a"' not in out and 'data-carried="b"' not in out  # after a value: its own, empty
