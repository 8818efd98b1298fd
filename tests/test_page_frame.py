"""The frame of a published page (issue 26, page reviewer 5): the reviewer's colophon in
words, the downloads under each exhibit, tables numbered in their caption in the contents,
figures legible on a phone, and an exhibit kept whole on paper."""

from __future__ import annotations

import re

import nbformat
from bs4 import BeautifulSoup

from analysis.pipeline import html_export, pages, print_groups, run_settings, site


def test_settings_are_labelled_values_in_the_pages_language():
    params = {"cutoff_date": "2021-04-16", "joint_cutoffs": ["2021-04-01", "2021-04-16"], "min_cell_count": 10,
              "participants_path": "data/raw/pilot_participants_synthetic.csv", "language": "nl",
              "output_dir": "scratch", "processed_dir": "data/processed", "power_ns": [30, 1000]}
    nl = dict(run_settings.labelled(params, "nl"))
    assert nl == {"Peildatum": "16 april 2021", "Samen beschermde peildata": "1 april 2021 en 16 april 2021",
                  "Drempel voor kleine aantallen": "10 personen",
                  "Deelnemersbestand": "pilot_participants_synthetic.csv (synthetisch)",
                  "Programmagrootten voor het onderscheidend vermogen": "30 en 1.000", "Taal": "Nederlands"}
    en = dict(run_settings.labelled(params, "en"))
    assert en["Status date"] == "16 April 2021" and en["Threshold for small counts"] == "10 persons"
    assert en["Programme sizes for the power analysis"] == "30 and 1,000"
    assert dict(run_settings.labelled({"min_cell_count": 1}, "nl")) == {"Drempel voor kleine aantallen": "1 persoon"}


def test_a_private_input_is_named_only_as_a_private_file(tmp_path):
    private = tmp_path / "Jansen_deelnemers.xlsx"
    private.write_text("x", encoding="utf-8")
    shown = run_settings.labelled({"participants_path": str(private)}, "nl")
    assert shown == [("Deelnemersbestand", "privébestand")]
    assert "Jansen" not in str(run_settings.labelled({"participants_path": str(private)}, "en", others=True))


def _nb(language="nl"):
    params = nbformat.v4.new_code_cell(f'language = "{language}"\ncutoff_date = "2021-04-01"\n'
                                       'participants_path = "data/raw/pilot_participants_synthetic.csv"\n'
                                       "min_cell_count = 10")
    params.metadata["tags"] = ["parameters"]
    rerun = nbformat.v4.new_markdown_cell("## Colofon\n\n### Opnieuw uitvoeren\n\n`make report` met `cutoff_date`")
    rerun.metadata["tags"] = ["rerun"]
    data = nbformat.v4.new_markdown_cell("### Gegevens\n\nde bestanden")
    data.metadata["tags"] = ["colophon"]
    prov = nbformat.v4.new_markdown_cell("**Herkomst.** parameter `cutoff_date` `2021-04-01`")
    prov.metadata["tags"] = ["provenance"]
    prov["id"] = "provenance"  # as the runner writes it (pipeline.execute)
    return nbformat.v4.new_notebook(cells=[prov, nbformat.v4.new_markdown_cell("# Titel"), params,
                                           nbformat.v4.new_markdown_cell("## 1 Deel"), rerun, data])


def test_the_reviewer_colophon_gives_settings_in_words_and_the_full_page_keeps_the_record(tmp_path):
    reviewer, full = html_export.export_html(_nb(), tmp_path, "02_pilot_participants-x")
    page = BeautifulSoup(reviewer.read_text(encoding="utf-8"), "html.parser")
    text = page.get_text(" ")
    assert "cutoff_date" not in text and "2021-04-01" not in text and "min_cell_count" not in text
    assert not page.select("p.vwnw-versions, p.vwnw-data") and not re.search(r"\b[0-9a-f]{16}\b", text)
    settings = {dt.get_text(): dt.find_next("dd").get_text() for dt in page.select("dl.vwnw-settings dt")}
    assert settings["Peildatum"] == "1 april 2021" and settings["Drempel voor kleine aantallen"] == "10 personen"
    assert settings["Deelnemersbestand"] == "pilot_participants_synthetic.csv (synthetisch)"
    order = [h.get_text().replace("¶", "") for h in page.select("main h2, main h3")]
    assert order[-4:] == ["Colofon", "Instellingen van deze pagina", "Gegevens", "Herkomst"]
    assert page.select_one("p.vwnw-record a")["href"] == "../full/02_pilot_participants-x.html#Colofon"
    record = BeautifulSoup(full.read_text(encoding="utf-8"), "html.parser")
    assert "cutoff_date" in record.get_text() and record.select("p.vwnw-versions") and record.select("p.vwnw-data")
    assert record.find(id="Colofon") is not None, "the reviewer's link lands on the full page's colophon"


CAPTIONED = ('<h2 id="s">Toetsen</h2><div><table id="T_a"><caption>Tabel T2. Log-ranktoetsen. In alle rijen: '
             'vrijheidsgraden: 2</caption><tr><td>1</td></tr></table></div>'
             '<h3 id="f">Figuur T1. Curven</h3><table id="T_b"><caption>Aantal nog zonder uitstroom</caption></table>'
             '<h3 id="t3">Tabel T3. Cox-model</h3><table id="T_c"><caption>Tabel T3. Cox-model</caption></table>')


def test_tables_numbered_in_their_caption_join_the_contents_each_number_once():
    assert pages.contents(CAPTIONED) == [(2, "s", "Toetsen"), (3, "T_a", "Tabel T2. Log-ranktoetsen"),
                                         (3, "f", "Figuur T1. Curven"), (3, "t3", "Tabel T3. Cox-model")]
    toc = BeautifulSoup(pages.toc(CAPTIONED, "nl"), "html.parser")
    assert [a["href"] for a in toc.find_all("a")] == ["#s", "#T_a", "#f", "#t3"]


def test_each_exhibit_gets_its_own_download_line():
    files = {"f": ["figures/x.png", "figures/x.svg", "tables/x.csv"], "T_a": ["tables/t2.csv"], "gone": ["a.csv"]}
    page = BeautifulSoup(site.with_exhibit_files(CAPTIONED, files, "nl"), "html.parser")
    lines = page.select("p.vwnw-exhibit-files")
    assert [line.find_previous(["h3", "caption"]).get_text()[:10] for line in lines] == ["Tabel T2. ", "Figuur T1."]
    assert [a["href"] for a in lines[1].find_all("a")] == ["../files/figures/x.png", "../files/figures/x.svg",
                                                         "../files/tables/x.csv"]
    assert lines[0].get_text().startswith("Bestanden:") and lines[0].find_previous("table")["id"] == "T_a"


def test_a_table_showing_another_exhibits_file_gets_that_files_downloads():
    items = [site.Item("Tabel M8", "Tabel M8. Onderscheidend vermogen naar programmagrootte en odds ratio", "m8", None),
             site.Item("Figuur T3", "Figuur T3. Tijd tot werk", "t3", "time_to_work_start", ["figures/a.png"]),
             site.Item("Tabel M9", "Tabel M9. Kleinste aantoonbare odds ratio", "m9", "models_mde"),
             site.Item("Figuur 4.1", "Figuur 4.1 Uitdagingen genoemd bij DWSRA-projecten", "f41", "dwsra_figuur_4_1")]
    outputs = ["figures/models_power_x.png", "tables/models_power_x.csv", "tables/models_power_x.xlsx",
               "tables/time_to_work_curves_x.csv", "tables/dwsra_tabel_4_1_nl.csv", "tables/dwsra_tabel_4_2_nl.csv"]
    site.attach_shared_files(items, outputs)
    assert [i.files for i in items] == [["tables/models_power_x.csv", "tables/models_power_x.xlsx"],
                                        ["figures/a.png", "tables/time_to_work_curves_x.csv"], [],
                                        ["tables/dwsra_tabel_4_1_nl.csv"]]


def _child(inner: str) -> str:
    return f'<div class="jp-OutputArea-child">\n<div class="jp-RenderedHTMLCommon">{inner}</div>\n</div>\n'


def test_an_exhibits_heading_figure_and_tables_are_kept_in_one_block():
    figure = _child('<div class="jp-RenderedImage jp-OutputArea-output"><img src="x"></div>')
    page = ('<div class="jp-OutputArea">' + _child('<h3 id="a">Figuur 1</h3>') + figure + _child("<table></table>")
            + _child("<table></table>") + _child("<p>tekst</p>") + _child("<table></table>") + figure
            + _child('<h3 id="b">Figuur 2</h3>') + figure + "</div>")
    kept = BeautifulSoup(print_groups.keep_exhibits_together(page), "html.parser").select("div.vwnw-keep")
    kinds = [[print_groups.kind(str(c)) for c in block.find_all("div", class_="jp-OutputArea-child")] for block in kept]
    assert kinds == [["heading", "figure", "table", "table"], ["heading", "figure"]]
    assert print_groups.keep_exhibits_together("<p>niets</p>") == "<p>niets</p>"


def test_an_appendix_output_finds_the_heading_or_caption_that_shows_it():
    heads = [(2, "c", "Bijlage C. Elk gedrukt getal verantwoord"), (3, "T_x", "Gedrukte getallen naar de manier "
             "waarop ze verantwoord zijn"), (3, "a2", "Table A.2. Published counts next to the recomputed ones")]
    assert site.extra_anchor("dwsra_sweep_checked_nl", heads, "nl") == "c"
    assert site.extra_anchor("dwsra_sweep_coverage_nl", heads, "nl") == "T_x"
    assert site.extra_anchor("pilot_published_vs_pipeline_20210401_en_k1", heads, "en") == "a2"
    assert site.extra_anchor("dwsra_report_arithmetic_nl", heads, "nl") is None


def _table(columns: int) -> str:
    head = "".join(f"<th>k{i}</th>" for i in range(columns))
    return f"<table><thead><tr>{head}</tr></thead><tbody><tr><td>1</td></tr></tbody></table>"


def test_a_wide_tables_heading_table_and_notes_go_on_a_landscape_page_together():
    """A table of nine columns or more prints on the landscape page ``wide`` with its heading
    and the tables right under it (review 8: such tables printed upright at 6.3 pt); a narrower
    table, the notes in words, a figure and the next heading stay on the upright page."""
    figure = _child('<div class="jp-RenderedImage jp-OutputArea-output"><img src="x"></div>')
    page = ('<div class="jp-OutputArea">' + _child('<h3 id="m1">Tabel M1</h3>') + _child(_table(8))
            + _child('<h3 id="m2">Tabel M2</h3><p class="vwnw-exhibit-files">CSV</p>') + _child(_table(9))
            + _child(_table(3)) + _child("<p><strong>Kolommen.</strong> noot</p>")
            + _child('<h3 id="m3">Tabel M3</h3>') + _child(_table(12)) + figure + "</div>")
    wide = BeautifulSoup(print_groups.wide_tables_on_landscape_pages(page), "html.parser").select("div.vwnw-wide")
    shown = [[c.h3["id"] if c.h3 else print_groups.columns(str(c)) or c.get_text(strip=True)
              for c in block.find_all("div", class_="jp-OutputArea-child")] for block in wide]
    assert shown == [["m2", 9, 3], ["m3", 12]]
    assert print_groups.columns(_table(11)) == 11 and print_groups.columns("<p>geen tabel</p>") == 0
    # the exhibits kept together on paper are found as before around a landscape section
    both = print_groups.keep_exhibits_together(print_groups.wide_tables_on_landscape_pages(page))
    assert BeautifulSoup(both, "html.parser").select("div.vwnw-wide") and "vwnw-keep" not in both
