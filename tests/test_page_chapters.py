"""Pages as report chapters (issue 26): cells tagged for the appendix, the rerun section and
the provenance go to the end in that order; a study without a report shows no checks against
one; ``{{pilot}}``/``{{region}}``/``{{cutoff}}`` become the run's study and date; the models'
column legends name the headers a reader sees, never a file's column code."""

from __future__ import annotations

import re

import nbformat
import pandas as pd
import pytest
import yaml

from analysis import paths
from analysis.pipeline import html_export, pages
from analysis.presentation import model_texts


def _md(text, *tags):
    cell = nbformat.v4.new_markdown_cell(text)
    cell.metadata["tags"] = list(tags)
    return cell


def _cells():
    return [_md("prov", "provenance"), _md("a1", "appendix"), _md("intro"), _md("rerun", "rerun"),
            _md("nl only", "lang-nl"), _md("a2", "appendix", "with-report"), _md("body"),
            _md("report note", "with-report")]


def test_appendix_rerun_and_provenance_go_last_in_that_order():
    shown = [c.source for c in pages.for_language(_cells(), "en")]
    assert shown == ["intro", "body", "report note", "a1", "a2", "rerun", "prov"]


def test_a_study_without_a_report_shows_no_cell_about_the_report():
    shown = [c.source for c in pages.for_language(_cells(), "nl", with_report=False)]
    assert shown == ["intro", "nl only", "body", "a1", "rerun", "prov"]


def test_the_findings_move_under_the_summary_heading_before_the_exhibits():
    """A page starts with what was found: the findings cell, run last (when its numbers are
    published), is shown just after the summary's heading, in the page's language."""
    findings = nbformat.v4.new_code_cell("run.say(...)")
    findings.metadata["tags"] = ["findings"]
    cells = [_md("# title"), _md("## Samenvatting", "lang-nl", "summary"), _md("## Summary", "lang-en", "summary"),
             _md("advice"), _md("## 1 exhibits"), _md("a1", "appendix"), findings, _md("rerun", "rerun")]
    for lang, heading in (("nl", "## Samenvatting"), ("en", "## Summary")):
        shown = [c.source for c in pages.for_language(cells, lang)]
        assert shown == ["# title", heading, "run.say(...)", "advice", "## 1 exhibits", "a1", "rerun"], lang
    without_summary = [c for c in cells if "summary" not in c.metadata.get("tags", [])]
    assert [c.source for c in pages.for_language(without_summary, "nl")][-3:] == ["run.say(...)", "a1", "rerun"]


@pytest.mark.parametrize("stem", ["03_outcome_models", "04_time_to_work"])
def test_the_models_and_time_to_work_pages_have_findings_under_a_summary(stem):
    nb = nbformat.read(paths.NOTEBOOKS / f"{stem}.ipynb", as_version=4)
    tags = [set(c.metadata.get("tags", [])) for c in nb.cells]
    assert sum("findings" in t for t in tags) == 1
    for lang in ("nl", "en"):
        assert any({"summary", f"lang-{lang}"} <= t for t in tags), lang
    (cell,) = [c for c, t in zip(nb.cells, tags, strict=True) if "findings" in t]
    assert cell.cell_type == "code" and "run.say(" in cell.source and "findings(" in cell.source


def _study_file(study: str) -> dict:
    return yaml.safe_load((paths.PROJECT_ROOT / "studies" / f"{study}.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("study", ["catering_noordoost_brabant_2021", "schoonmaak_twente_2023"])
def test_placeholders_name_the_runs_study_and_date_in_the_pages_language(study):
    doc = _study_file(study)
    nb = nbformat.v4.new_notebook()
    nb.cells = [_md("# T\n\nDe {{pilot}} in {{region}}, stand op {{cutoff}}.", "lang-nl"),
                _md("# T\n\nThe {{pilot}} in {{region}}, as of {{cutoff}}.", "lang-en")]
    for lang, date in (("nl", "16 januari 2024"), ("en", "16 January 2024")):
        run = {"study": study, "cutoff_date": "2024-01-16", "language": lang}
        nb.metadata["papermill"] = {"parameters": run}  # as papermill records a run's parameters
        page, page_lang = html_export.as_page(nb, "02_pilot_participants", study, run)
        text = page.cells[0].source
        name = doc["name"][lang]
        assert page_lang == lang and len(page.cells) == 1
        assert f"{name[:1].lower()}{name[1:]} in {doc['region']}" in text or f"{name} in {doc['region']}" in text
        assert date in text and "{{" not in text, text


def test_the_schoonmaak_study_has_no_report_and_the_catering_pilot_has_one():
    assert pages.has_report({"study": "catering_noordoost_brabant_2021"})
    assert not pages.has_report({"study": "schoonmaak_twente_2023"})
    assert "published_facts" not in (_study_file("schoonmaak_twente_2023").get("report") or {})


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_model_legends_name_headers_not_column_codes(lang):
    from analysis.stats import models

    columns = ["term", "coef", "ci_low", "ci_high", "p_value", "p_holm", "group_n", "note", "ci_method", "test"]
    legend = models.column_legend(pd.DataFrame(columns=columns), lang)
    text = model_texts.legend_markdown(legend, lang)
    assert not re.findall(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b", text), text
    assert legend["column"].nunique() == text.count("*: ")  # every column explained once


@pytest.mark.parametrize("stem", ["02_pilot_participants", "03_outcome_models"])
def test_the_notebooks_markdown_names_no_parameter_outside_the_rerun_section(stem):
    nb = nbformat.read(paths.NOTEBOOKS / f"{stem}.ipynb", as_version=4)
    names = {n for n in pages.parameters(nb) if "_" in n}
    for cell in nb.cells:
        tags = set(cell.metadata.get("tags", []))
        if cell.cell_type == "markdown" and "rerun" not in tags:
            assert not [n for n in names if re.search(rf"(?<![\w-]){n}(?![\w-])", cell.source)], cell.source


def test_shares_are_shown_as_whole_percentages_of_their_row():
    shares = pd.DataFrame({"bemiddeling": [1 / 6, 0.5], "werk": [5 / 6, 0.5]}, index=pd.Index(["2", "3"]))
    shown = model_texts.shares_table(shares, "nl")
    assert shown[["In bemiddeling", "Werk (nieuwe baan of werk en scholing)"]].astype(int).values.tolist() == \
        [[17, 83], [50, 50]]  # the categories in words (model_texts.OUTFLOW_GROUPS)


def test_rates_by_group_are_whole_percentages_and_n_is_shown_once():
    rates = pd.DataFrame({"group": ["triage", "triage"], "level": ["2", "3"], "events": [10, 6], "n": [12, 12],
                          "group_n": [12, 12], "rate": [10 / 12, 0.5], "ci_low": [0.552, 0.254],
                          "ci_high": [0.953, 0.746]})
    shown = model_texts.page_table(rates, "nl")
    assert shown["rate_pct"].tolist() == [83, 50] and shown["ci_low_pct"].tolist() == [55, 25]
    assert "group_n" not in shown.columns and "rate" not in shown.columns
    coefficients = pd.DataFrame({"term": ["Intercept"], "coef": [1.9], "ci_low": [0.43], "ci_high": [10.9]})
    assert model_texts.page_table(coefficients, "nl")["ci_high"].tolist() == [10.9]  # odds ratios stay as they are


def test_an_odds_ratio_is_labelled_with_the_group_it_is_compared_with():
    from analysis.stats.models import design

    frame = pd.DataFrame({"triage": ["1", "2", "3", "2"], "opleiding": ["laag", "hoog", "middelbaar", "laag"]})
    terms = [c for c in design(frame, ["triage", "opleiding"]).columns if c != "const"]  # the model's own coding
    labels = [model_texts.against_reference(t, terms, "nl") for t in terms]
    assert labels == ["Triagepad 1 t.o.v. 2", "Triagepad 3 t.o.v. 2", "Opleidingsniveau hoog t.o.v. laag",
                      "Opleidingsniveau middelbaar t.o.v. laag"]


def test_a_page_of_a_study_without_a_report_does_not_link_to_a_source_report():
    with_report = pages.links("02_pilot_participants", "nl", None, True)
    without = pages.links("02_pilot_participants-schoonmaak", "nl", None, False)
    assert "Bronrapport" in with_report and "Bronrapport" not in without
    assert 'href="../index.html#bronnen"' in without  # the sources, saying there is no report


def test_the_full_page_keeps_the_notebooks_order_and_the_reviewer_page_moves_the_appendix(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [_md("# Titel"), _md("## Bijlage A\n\nappendix-tekst", "appendix"),
                nbformat.v4.new_code_cell("x = 1"), _md("## 1 Hoofdstuk\n\nhoofdstuk-tekst")]
    nb.cells[2].metadata["tags"] = ["appendix"]
    for i, c in enumerate(nb.cells):
        c.id = f"c{i}"
    html_export.export_html(nb, tmp_path, "02_pilot_participants-t", parameters={"study": "schoonmaak_twente_2023"})
    reviewer = (tmp_path / "reviewer" / "02_pilot_participants-t.html").read_text(encoding="utf-8")
    full = (tmp_path / "full" / "02_pilot_participants-t.html").read_text(encoding="utf-8")
    assert reviewer.index("hoofdstuk-tekst") < reviewer.index("appendix-tekst")
    assert full.index("appendix-tekst") < full.index("hoofdstuk-tekst")  # where the notebook has it


def test_the_colophon_gathers_rerun_data_files_and_provenance_after_the_appendix():
    cells = [_md("data files", "colophon"), *_cells()]
    shown = [c.source for c in pages.for_language(cells, "en")]
    assert shown[-4:] == ["a2", "rerun", "data files", "prov"]
    assert shown.index("body") < shown.index("a1")


def test_every_notebook_opens_its_colophon_with_the_rerun_heading_in_both_languages():
    for path in sorted(paths.NOTEBOOKS.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for lang, heading in (("nl", "## Colofon"), ("en", "## Colophon")):
            rerun = [c for c in nb.cells if {"rerun", f"lang-{lang}"} <= set(c.metadata.get("tags", []))]
            assert rerun and rerun[0].source.startswith(heading), (path.name, lang)
            shown = pages.for_language(nb.cells, lang)
            tagged = [i for i, c in enumerate(shown) if set(c.metadata.get("tags", [])) & {"rerun", "colophon"}]
            assert tagged == list(range(len(shown) - len(tagged), len(shown))), (path.name, lang)  # all at the end


def test_the_colophon_says_how_files_are_hashed_and_which_versions_made_the_page():
    from importlib import metadata

    notes = pages.colophon_notes("nl")
    assert "sha256" in notes and "sleutel" in notes
    assert f"pandas {metadata.version('pandas')}" in notes and f"statsmodels {metadata.version('statsmodels')}" in notes
    assert "Made with Python" in pages.colophon_notes("en")


def test_the_dwsra_chapter_names_its_files_only_in_the_colophon():
    nb = nbformat.read(paths.NOTEBOOKS / "01_dwsra_portfolio.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown" and "dwsra_project_register.csv" in cell.source:
            assert "colophon" in cell.metadata.get("tags", []), cell.source[:60]


def test_the_summary_heading_moves_into_the_findings_that_follow_it():
    """Print keeps a heading with its text only inside one block: the summary's heading (a
    markdown cell) goes into the findings output right after it; elsewhere nothing moves."""
    summary = ('<div id="cell-id=a" class="jp-Cell jp-MarkdownCell jp-Notebook-cell">\n'
               '<div class="jp-Cell-inputWrapper" tabindex="0">\n'
               '<div class="jp-Collapser jp-InputCollapser jp-Cell-inputCollapser">\n</div>\n'
               '<div class="jp-InputArea jp-Cell-inputArea"><div class="jp-RenderedHTMLCommon jp-RenderedMarkdown '
               'jp-MarkdownOutput  celltag_lang-nl celltag_summary" data-mime-type="text/markdown">\n'
               '<h2 id="Samenvatting">Samenvatting</h2>\n</div>\n</div>\n</div>\n</div>')
    findings = ('<div id="cell-id=b" class="jp-Cell jp-CodeCell jp-Notebook-cell  jp-mod-noInput  celltag_findings">'
                '<div class="jp-OutputArea-child"><div class="jp-RenderedHTMLCommon jp-RenderedMarkdown '
                'jp-OutputArea-output " tabindex="0" data-mime-type="text/markdown">\n<p>Bevindingen.</p>'
                '</div></div></div>')
    page = pages.summary_with_findings("<main>" + summary + findings + "</main>")
    assert "celltag_summary" not in page
    assert re.search(r'data-mime-type="text/markdown">\s*<h2 id="Samenvatting">Samenvatting</h2>\s*<p>Bevindingen',
                     page)
    apart = "<main>" + summary + "<p>other</p>" + findings + "</main>"  # the full page: findings elsewhere
    assert pages.summary_with_findings(apart) == apart
