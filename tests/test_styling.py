"""Tables in pages: human headers in the page's language, its separators, no index noise,
no NaN/True/False/reprs; the CSV keeps machine names and full precision."""

from pathlib import PurePosixPath

import numpy as np
import pandas as pd
from bs4 import BeautifulSoup

from analysis.pipeline.export import write_csv
from analysis.presentation.styling import styled


def cells(styler):
    soup = BeautifulSoup(styler.to_html(), "html.parser")
    head = [th.get_text() for th in soup.select("thead th")]
    body = [[td.get_text() for td in tr.find_all("td")] for tr in soup.select("tbody tr")]
    return head, body, soup


FRAME = pd.DataFrame(
    {"n_projects": [1234.0, 5.0], "pct": [41.6667, 3.2], "gelijk": [True, False], "note": [np.nan, None],
     "files": [[PurePosixPath("reports/a.csv")], []], "source_line": [1057, 962], "coef": [0.123456, -2.5]},
    index=pd.Index(["DW", "TOTAAL"], name="project_type"))


def test_dutch_table():
    head, body, soup = cells(styled(FRAME, "nl", "Bron: test"))
    assert head == ["Type project", "Aantal projecten", "% van totaal", "Gelijk", "Opmerking", "files",
                    "Regel in het rapport", "Coëfficiënt"]
    assert body[0] == ["DW", "1.234", "41,7", "ja", "–", "a.csv", "1057", "0,123"]
    assert body[1] == ["TOTAAL", "5", "3,2", "nee", "–", "", "962", "-2,500"]
    assert soup.caption.get_text() == "Bron: test"
    text = soup.get_text()
    for noise in ("NaN", "True", "False", "PosixPath", "None", "<NA>"):
        assert noise not in text


def test_english_table_and_no_index_column_for_a_plain_range_index():
    head, body, _ = cells(styled(FRAME.reset_index(drop=True), "en"))
    assert head[:3] == ["Number of projects", "% of total", "Equal"]
    assert body[0][:3] == ["1,234", "41.7", "yes"] and len(body[0]) == len(FRAME.columns)


def test_suppressed_cells_stay_x_and_numbers_stay_right_aligned():
    index = pd.Index(["nieuwe_baan", "gestopt", "totaal"], name="uitstroom")
    shown = pd.DataFrame({"aantal": [12, "x", 30]}, index=index)
    head, body, soup = cells(styled(shown, "nl"))
    assert head == ["Uitstroom", "Aantal"]
    assert body == [["Nieuwe baan", "12"], ["Gestopt", "x"], ["Totaal", "30"]]
    assert all("num" in td["class"] for td in soup.select("tbody td.col1"))


def test_styled_output_is_deterministic_and_the_csv_keeps_machine_names(tmp_path):
    assert styled(FRAME, "nl").to_html() == styled(FRAME, "nl").to_html()
    write_csv(FRAME[["n_projects", "pct"]], tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_text().splitlines()[:2] == ["project_type,n_projects,pct", "DW,1234,41.6667"]


def test_row_numbers_of_a_filtered_frame_are_not_shown_and_a_styled_table_keeps_its_precision():
    frame = pd.DataFrame({"pct": [31.579, 42.105, 5.263], "row": ["a", "b", "c"]}).iloc[[0, 2]]
    head, body, _ = cells(styled(frame, "nl"))
    assert head == ["% van totaal", "Rij"] and body == [["31,6", "a"], ["5,3", "c"]]
    from IPython.core.interactiveshell import InteractiveShell

    from analysis.presentation.styling import use_report_tables

    shell = InteractiveShell.instance()
    try:
        use_report_tables("nl")
        html = shell.display_formatter.formatters["text/html"](styled(frame, "nl", "Bron: test"))
        assert "31,6" in html and "31,579" not in html
    finally:
        InteractiveShell.clear_instance()
