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
    head, body, soup = cells(styled(FRAME, "nl", "Bron: test", tidy=False))
    assert head == ["Type project", "Aantal projecten", "% van totaal", "Gelijk", "Opmerking", "files",
                    "Regel in het rapport", "Coëfficiënt"]
    assert body[0] == ["DW", "1.234", "41,7", "ja", "–", "a.csv", "1057", "0,123"]
    assert body[1] == ["TOTAAL", "5", "3,2", "nee", "–", "", "962", "-2,500"]
    # the empty note column is left out, and so is the line of the report's text conversion (file only)
    head, body, soup = cells(styled(FRAME, "nl", "Bron: test"))
    assert "Opmerking" not in head and "Regel in het rapport" not in head
    assert len(body[0]) == len(head) == len(FRAME.columns) - 1 and "1057" not in body[0]
    assert soup.caption.get_text() == "Bron: test"
    text = soup.get_text()
    for noise in ("NaN", "True", "False", "PosixPath", "None", "<NA>"):
        assert noise not in text


def test_english_table_and_no_index_column_for_a_plain_range_index():
    head, body, _ = cells(styled(FRAME.reset_index(drop=True), "en", tidy=False))
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
    # full precision in the CSV (formatting only on pages): the values as given
    written = (tmp_path / "t.csv").read_text(encoding="utf-8-sig").splitlines()
    assert written[:2] == ["project_type,n_projects,pct", "DW,1234.0,41.6667"]


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


def test_constant_columns_are_said_once_after_the_caption_and_kept_in_the_csv(tmp_path):
    frame = pd.DataFrame({"group": ["a", "b", "c"], "rate": [0.5, 0.25, 0.75], "ci_method": ["Wilson-score"] * 3,
                          "level": [0.95] * 3, "note": [None, np.nan, None]})
    head, body, soup = cells(styled(frame, "nl", "Uitstroom per groep"))
    assert len(head) == 2 and [r[1] for r in body] == ["0,50", "0,25", "0,75"]
    caption = soup.caption.get_text()
    assert caption.startswith("Uitstroom per groep. In alle rijen: ") and "Wilson-score" in caption
    assert "0,95" in caption
    _, body2, _ = cells(styled(frame.iloc[:2], "nl"))  # two rows: nothing is constant enough to move
    assert len(body2[0]) == 4
    write_csv(frame, tmp_path / "t.csv")
    written = (tmp_path / "t.csv").read_text(encoding="utf-8-sig").splitlines()
    assert written[0].endswith("group,rate,ci_method,level,note")


def test_dates_are_written_in_the_page_language():
    frame = pd.DataFrame({"event": ["a"], "cutoff": ["2021-04-01"], "when": [pd.Timestamp("2016-10-03")]})
    assert cells(styled(frame, "nl"))[1][0][1:] == ["1 april 2021", "3 oktober 2016"]
    assert cells(styled(frame, "en"))[1][0][1:] == ["1 April 2021", "3 October 2016"]


def test_whole_numbers_among_fractions_are_written_whole():
    frame = pd.DataFrame({"value": [37.0, 12.5, 0.25], "p_value": [1.0, 0.2021, 0.0449], "pct": [34.0, 41.7, 24.3]})
    _, body, _ = cells(styled(frame, "nl"))
    assert [r[0] for r in body] == ["37", "12,50", "0,25"]
    assert [r[1] for r in body] == ["1", "0,202", "0,045"]  # not "1,000": a thousand in English
    assert [r[2] for r in body] == ["34,0", "41,7", "24,3"]  # one decimal as printed stays
    _, body, _ = cells(styled(frame, "en"))
    assert [r[1] for r in body] == ["1", "0.202", "0.045"]


def test_only_file_names_and_hashes_may_break_anywhere_in_print():
    """Print breaks table cells between words only (no 'Triagep|ad'); a file name or hash of
    25 characters or more is marked so that it may break anywhere instead of widening the
    table beyond the paper. Ordinary words and escaped markup are never marked."""
    name = "schoonmaak_twente_2023_participants_synthetic.csv"
    digest = "d634e898a481bd23b0f70395a9e570a2e4a74d35905b470a7e4e6a9854cf2d72"
    frame = pd.DataFrame({"file": [name, digest, "Opleidingsniveau middelbaar", 'x onmouseover="alert(1)"abcdefghijk']})
    soup = BeautifulSoup(styled(frame, "nl").to_html(), "html.parser")
    marked = [s.get_text() for s in soup.select("span.vwnw-token")]
    assert marked == [name, digest]


def test_a_column_withheld_on_every_row_and_a_kept_column_stay_in_the_table():
    """The sixth reviewer: "In alle rijen: 36-45 jaar: x" (a withheld column read as a value) and
    "In alle rijen: maand 6: 0" (a month of the at-risk grid) moved into the caption."""
    frame = pd.DataFrame({"group": ["a", "b", "c"], "36-45": ["x", "x", "x"], "m6": [0, 0, 0], "k": [1, 1, 1]})
    frame.attrs["kept_columns"] = ("m6",)
    head, body, soup = cells(styled(frame, "nl"))
    assert len(head) == 3 and [r[1:3] for r in body] == [["x", "0"]] * 3
    assert "In alle rijen" in soup.caption.get_text() and "x" not in soup.caption.get_text()  # k: said once


def test_numeric_headers_stand_over_their_numbers_and_a_withheld_column_reads_as_a_column():
    """Review 10: every header was left-aligned over right-aligned numbers (Tabel 3.4's "Aantal
    projecten" stood over the next column's values), and a column of only "x" stayed left-aligned
    beside a right-aligned one, so a row read "x x" as if one cell held two values."""
    frame = pd.DataFrame({"group": ["a", "b", "c"], "t/m 35": [4, "x", 12], "36-45": ["x", "x", "x"],
                          "note": ["p", "q", "r"]})
    html = styled(frame, "nl").to_html()
    soup = BeautifulSoup(html, "html.parser")
    assert all("num" in td["class"] for td in soup.select("tbody td.col1, tbody td.col2"))
    assert not any("num" in td["class"] for td in soup.select("tbody td.col0, tbody td.col3"))
    rules = {sel.strip(): body for sel, body in
             (r.split("{", 1) for r in soup.style.get_text().split("}") if "{" in r)}
    right = {sel.rsplit(" ", 1)[-1] for sel, body in rules.items() if "text-align: right" in body}
    assert {"th.col1", "th.col2"} <= right and not {"th.col0", "th.col3"} & right
