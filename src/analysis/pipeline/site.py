"""The landing page ``reports/html/index.html`` (in English ``index-en.html``): every Tabel and
Figuur of each study (the two reports', and those of a study without a report). Each language's
landing page is complete in that language (every run, those of its language first; an exhibit's title
stays in its run's language) and the pages of each language link back to the landing page in theirs.

The index is made from what was published: each run's reviewer page is read for its
numbered headings (``Tabel 2.1 ...``, ``Figuur 7. ...``, h3), each heading is matched to its
declared exhibit (``exhibits.heading_exhibit``: number and output stem from the study's
exhibits file or the DWSRA catalogue), and the run's output files whose names carry that
stem become the downloads beside it (CSV/XLSX for tables, PNG/SVG for figures;
the PNG is the thumbnail). The downloads are copied to ``reports/html/files/`` and listed
with their sha256 in ``reports/html/manifest.json``, so every link works when
``reports/html`` is served or copied on its own. The runs are listed per language of their
pages, each group under a heading in the landing page's language.

The same matching gives each exhibit on a page its own download line
(:func:`exhibit_files`, :func:`with_exhibit_files`; ``html_export`` writes it with the page).
"""

from __future__ import annotations

import csv
import datetime
import functools
import html
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd

from analysis import paths
from analysis.dwsra import texts as dwsra_texts
from analysis.files import replace_atomically, sha256_file, write_text_atomically
from analysis.pipeline import exhibits, pages, run_settings
from analysis.presentation import downloads, formats, model_exhibits, survival_texts, titles
from analysis.private_data import PRIVATE_LABEL
from analysis.study import DEFAULT_STUDY, load_study

FILES = "files"
NUMBERED = re.compile(r"^(Tabel|Figuur|Table|Figure)\s")
DOWNLOADS = (".csv", ".xlsx", ".png", ".svg")
TEXT = {
    "title": "VWNW-evaluatie: tabellen en figuren per studie",
    "intro": "Elke tabel en figuur van {studies}, opnieuw gemaakt uit de gegevens. {data} Elke "
             "pagina zegt uit welke bestanden ze is gemaakt. De leesversie van een pagina toont geen code, de "
             "versie met code wel. De <a href=\"manifest.json\">lijst van alle bestanden</a> geeft van elk bestand een "
             "controlegetal, waarmee u nagaat dat het niet is veranderd.",
    "dwsra": "de tussenevaluatie DWSRA (2018)", "and": "en",
    "page": "leesversie", "full": "versie met code", "number": "Nummer", "name": "Titel", "picture": "Voorbeeld",
    "files": "Bestanden", "params": "Instellingen", "failed": "mislukt: zie de terminal", "left_out": "weggelaten",
    "contents": "Inhoud",
    "formats": "De CSV-bestanden zijn voor programma's: UTF-8 met bytevolgordemarkering (zo leest Excel é en € goed), "
               "velden gescheiden door een komma, een punt als decimaalteken, "
               "codes naast de labels (kolommen met <em>(code)</em>). In een Nederlandse Excel opent u ze via "
               "<em>Gegevens &gt; Uit tekst/CSV</em> (scheidingsteken: komma); de XLSX-bestanden openen direct, met "
               "getallen als getallen.",
    "sources": "Bronnen", "built": "Gemaakt op", "provenance": "herkomst (JSON)",
    "sources_intro": "De tabellen en figuren reproduceren de nummering en titels van deze rapporten; "
                     "tabellen en figuren die het project toevoegt (modellen, controles) dragen eigen nummers.",
    "synthetic": "De deelnemersgegevens zijn <strong>synthetisch</strong>, tenzij een run een ander bestand noemt.",
    "private": "De deelnemersgegevens komen uit een <strong>privébestand</strong> (echte administratie), dat niet "
               "wordt gepubliceerd; alleen wat de statistische beveiliging vrijgeeft, staat op deze pagina's.",
}
TEXT_EN = {
    "title": "VWNW evaluation: tables and figures by study",
    "intro": "Every table and figure of {studies}, remade from the data. {data} Every page says which files it "
             "was made from. A page's reader's version shows no code, the version with code does. The "
             "<a href=\"manifest.json\">"
             "list of every file</a> gives each file a checksum, with which you check that it has not changed.",
    "dwsra": "the DWSRA interim evaluation (2018)", "and": "and",
    "page": "reader's version", "full": "version with code", "number": "Number", "name": "Title",
    "picture": "Preview", "files": "Files", "params": "Settings", "failed": "failed: see the terminal",
    "left_out": "left out", "contents": "Contents", "sources": "Sources", "built": "Made on",
    "provenance": "provenance (JSON)",
    "formats": "The CSV files are for programs: UTF-8 with a byte-order mark (so Excel reads é and € as written), "
               "fields separated by a comma, a point as the decimal mark, codes "
               "beside the labels (columns marked <em>(code)</em>). Excel set to Dutch opens them through "
               "<em>Data &gt; From Text/CSV</em> (delimiter: comma); the XLSX files open directly, with numbers "
               "as numbers.",
    "sources_intro": "The tables and figures reproduce the numbering and titles of these reports; tables and "
                     "figures the project adds (models, checks) carry numbers of their own.",
    "synthetic": "The participant data are <strong>synthetic</strong> unless a run names another file.",
    "private": "The participant data come from a <strong>private file</strong> (real records), which is not "
               "published; these pages show only what disclosure control releases.",
}
FRAME = {"nl": TEXT, "en": TEXT_EN}  # the landing page's words, in each language
INDEX = pages.LANDING_PAGE  # the landing page of each language: index.html, index-en.html
OTHER_INDEX = {"nl": ("English version of this page", "en"), "en": ("Nederlandse versie van deze pagina", "nl")}
# The two reports the pages reproduce (see docs/dwsra_sources.md and docs/pilot_published_facts.md).
SOURCES = (
    pages.DWSRA_SOURCE,
    *exhibits.report_sources(),  # each study file's report.citation
)
# The words of a run's section in an English run's language (the landing page itself is Dutch).
SECTION_EN = {"page": "reader's version", "full": "version with code", "number": "Number", "name": "Title",
              "picture": "Preview", "files": "Files", "params": "Settings", "failed": "failed: see the terminal",
              "left_out": "left out"}


def words(lang: str) -> dict[str, str]:
    return {**TEXT, **SECTION_EN} if lang == "en" else TEXT


@dataclass
class Item:
    number: str
    title: str
    anchor: str
    key: str | None
    files: list[str] = field(default_factory=list)  # paths relative to reports/


def numbered_items(page: str, lang: str, entry: dict[str, Any] | None = None) -> list[Item]:
    """The page's numbered table and figure headings (h3, or h4 under a section's h3). With the run's state ``entry``, a
    heading's number and output stem are its declared exhibit's (``exhibits.heading_exhibit``:
    the study's exhibits file, the DWSRA catalogue), never read from the title's words; only a
    heading no declaration knows is named by its first two words: the models page's tables
    (``presentation.model_exhibits`` names their files) and notebook 04's curves, whose titles
    the run makes (found by the output the run wrote under it, :func:`page_items`)."""
    items = []
    for level, ident, text in pages.headings(page):
        if level not in (3, 4) or not NUMBERED.match(text):  # h4: an exhibit under a report's section (3.1.1)
            continue
        declared = exhibits.heading_exhibit(text, entry) if entry is not None else None
        if declared is not None:
            items.append(Item(declared[0], text, ident, declared[1]))
            continue
        key = model_exhibits.output_of(text, lang) or next(
            (k for k in sorted(titles.TITLES, key=len, reverse=True) if text.startswith(titles.title(k, lang))), None)
        words = text.split()
        items.append(Item(f"{words[0]} {words[1].rstrip('.')}", text, ident, key))
    return items


def page_items(reports: Path, name: str, lang: str, entry: dict[str, Any] | None = None) -> list[Item]:
    """The numbered items of run ``name``'s reviewer page, each with its key: the declared
    exhibit's output stem, or for a figure whose title the run makes, the output it wrote."""
    items = numbered_items((reports / "html" / "reviewer" / f"{name}.html").read_text(encoding="utf-8"), lang,
                           entry)
    by_heading = heading_outputs(reports / "executed" / f"{name}.ipynb")
    for item in items:
        item.key = item.key or by_heading.get(item.title) or titled_output(item.title)
    return items


def titled_output(title: str) -> str | None:
    """The output a numbered heading shows when its whole text is one of :data:`EXTRA_TITLES`
    (the time-to-work page's *Tabel T1-T3*, numbered by headings since review 7)."""
    return next((key for key, pair in EXTRA_TITLES.items() if title in pair), None)


def heading_outputs(executed: Path) -> dict[str, str]:
    """Heading text -> output name, for figures whose title the run makes (notebook 04's
    curves): the executed notebook shows each heading (``run.heading``) before the figure
    ``run.figure`` wrote, whose display names its output (``metadata.output``)."""
    if not executed.is_file():
        return {}
    found, heading = {}, None
    for cell in json.loads(executed.read_text(encoding="utf-8")).get("cells", []):
        for out in cell.get("outputs", []):
            text = "".join((out.get("data") or {}).get("text/markdown", ""))
            if text.startswith(("### ", "#### ")):
                heading = text.split(" ", 1)[1].strip()
            name = ((out.get("metadata") or {}).get("image/png") or {}).get("output")
            if heading and name and heading not in found:
                found[heading] = name
    return found


def attach_files(items: list[Item], outputs: list[str]) -> None:
    """Give each item the outputs whose name carries its key (the longest matching key
    wins, so ``tabel_3_4_register`` files do not go to ``tabel_3_4``, nor the files of an
    output listed apart, ``models_coefficients_columns``, to ``models_coefficients``)."""
    keys = sorted({i.key for i in items if i.key} | set(EXTRA_TITLES), key=len, reverse=True)
    for rel in sorted(outputs):
        if Path(rel).suffix not in DOWNLOADS:
            continue
        stem = Path(rel).stem
        key = next((k for k in keys if re.search(rf"(^|_){re.escape(k)}($|_)", stem)), None)
        for item in items:
            if item.key == key and key is not None:
                item.files.append(rel)


# An exhibit that shows the numbers of a file another exhibit is made from gets that file's
# downloads too: the models page's power table (its title, as its number depends on what a
# run shows) pivots the power figure's file; Figuur M1 draws the odds ratios of the
# coefficients' file (Tabel M2); the curves file holds the data of every Figuur T1-T6; the
# DWSRA notebook draws Figuur 3.1, 4.1 and 4.2 from the counts of Tabel 3.1, 4.1 and 4.2 (a
# figure's data as a table: CSV and XLSX). A key may name the number it matched.
SHARED_FILES = ((re.compile(r"^(Onderscheidend vermogen naar programmagrootte en odds ratio|Power by programme "
                            r"size and odds ratio)$"), "models_power"),
                (re.compile(r"^(Figuur|Figure) M1\."), "models_coefficients"),
                (re.compile(r"^(Figuur|Figure) T\d+\."), "time_to_work_curves"),
                (re.compile(r"^(?:Figuur|Figure) (3\.1|4\.1|4\.2)\b"), "dwsra_tabel_{}"))
TABLE_FILES = (".csv", ".xlsx")


def attach_shared_files(items: list[Item], outputs: list[str]) -> None:
    """Give the exhibits of :data:`SHARED_FILES` the CSV and XLSX of the file they show."""
    for item in items:
        shown = _without_number(item.title, item.number)
        for pattern, template in SHARED_FILES:
            found = pattern.match(shown) or pattern.match(item.title)
            if not found:
                continue
            key = template.format(*(g.replace(".", "_") for g in found.groups())) if "{" in template else template
            for rel in sorted(outputs):
                if Path(rel).suffix in TABLE_FILES and _longest_key(Path(rel).stem, key) == key \
                        and rel not in item.files:
                    item.files.append(rel)


def _longest_key(stem: str, key: str) -> str | None:
    """The longest of ``key`` and the keys of files listed apart that names output ``stem``
    (``models_coefficients_columns_...`` is the columns' file, not the coefficients')."""
    return next((k for k in sorted({key, *EXTRA_TITLES}, key=len, reverse=True)
                 if re.search(rf"(^|_){re.escape(k)}($|_)", stem)), None)


PROVENANCE = ".provenance.json"


def provenance_file(name: str) -> str:
    """Where the site keeps run ``name``'s provenance record, relative to ``reports/html``
    (``files/provenance/<run>.provenance.json``): the pages' colophons and the landing page link it."""
    return f"{FILES}/provenance/{name}{PROVENANCE}"


def copy_downloads(reports: Path, state: dict[str, Any]) -> None:
    """Copy every run's downloadable outputs to ``reports/html/files/`` (anew each time), and its
    provenance record once (every output of a run carries the same record: its commit, parameters and
    the sha256 of each input, a private one keyed; review 13: the pages named the record but the site
    did not have it)."""
    target = reports / "html" / FILES
    shutil.rmtree(target, ignore_errors=True)
    for name, entry in state.items():
        for rel in entry.get("outputs", []):
            src = reports / rel
            if Path(rel).suffix in DOWNLOADS and src.is_file():
                _copy(src, target / rel)
        record = next((reports / r for r in sorted(entry.get("outputs", []))
                       if r.endswith(PROVENANCE) and (reports / r).is_file()), None)
        if record is not None:
            _copy(record, reports / "html" / provenance_file(name))


def _copy(src: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    replace_atomically(target, lambda tmp, src=src: shutil.copyfile(src, tmp))  # never into a link


def _without_number(title: str, number: str) -> str:
    """A title as the Titel column shows it: without the exhibit number the Nummer column
    already gives (*Tabel 2.1 Ontvangen ...* is listed as *Ontvangen ...*)."""
    rest = title[len(number):].lstrip(" .:") if number and title.startswith(number) else title
    return rest[:1].upper() + rest[1:] if rest else title


def _row(item: Item, page: str, lang: str = "nl") -> str:
    shown = _without_number(item.title, item.number)
    link = f'<a href="{page}#{html.escape(item.anchor)}">{html.escape(shown)}</a>'
    pngs = [f for f in item.files if f.endswith(".png")]
    thumb = (f'<a href="{page}#{html.escape(item.anchor)}"><img src="{FILES}/{html.escape(pngs[0])}" '
             f'alt="{html.escape(item.title)}" width="160"></a>') if pngs else ""
    if item.number.startswith(("Figuur", "Figure")) and not pngs and item.key:  # (no key: files listed apart)
        thumb = f"<em>{words(lang)['left_out']}</em>"
    files = " · ".join(f'<a href="{FILES}/{html.escape(f)}" download>{Path(f).suffix[1:].upper()}</a>'
                       for f in item.files)
    return (f"<tr><td>{html.escape(item.number)}</td><td>{link}</td><td>{thumb}</td>"
            f"<td class=\"files\">{files}</td></tr>")



def _survival_caption(key: str) -> tuple[str, str]:
    return survival_texts.text(key, "nl"), survival_texts.text(key, "en")


# Published files without a numbered heading of their own: the report's text as a table, the
# project's checks and models. Named here as a reader knows them (the landing page lists every
# file, so a reviewer never meets a bare file name); the key is the longest match in the stem.
EXTRA_TITLES: dict[str, tuple[str, str]] = {
    "published_vs_pipeline": ("Bijlage: gepubliceerde cellen naast de herberekende",
                              "Appendix: published cells next to the recomputed ones"),
    "report_arithmetic": ("Bijlage: de eigen rekenkunde van het rapport", "Appendix: the report's own arithmetic"),
    "report_inconsistencies": ("Bijlage: inconsistenties in het rapport", "Appendix: inconsistencies in the report"),
    "sweep_checked": ("Bijlage: elk gedrukt getal nagerekend", "Appendix: every printed number recomputed"),
    "sweep_coverage": ("Bijlage: welke gedrukte getallen zijn nagerekend", "Appendix: which printed numbers were "
                       "recomputed"),
    "models_coefficients_columns": ("Kolommen van de coëfficiëntentabel (codes van het CSV-bestand)",
                                    "Columns of the coefficient table (the CSV file's codes)"),
    "models_ame_firth": ("Gemiddelde marginale effecten (Firth-model)", "Average marginal effects (Firth model)"),
    "models_power": ("Onderscheidend vermogen naar programmagrootte en odds ratio",
                     "Power by programme size and odds ratio"),
    "time_to_work": ("Tijd tot werk: curven, aantallen nog zonder uitstroom en schattingen",
                     "Time to work: curves, numbers still without outflow and estimates"),
    "time_to_work_curves": ("Gegevens van Figuur T1-T6: de curven, het aantal nog zonder uitstroom en de intervallen",
                            "Data of Figures T1-T6: the curves, the number still without outflow and the intervals"),
    **titles.APPENDIX_TABLES,  # the participants page's appendix tables, by their numbered headings
    # the numbered tables of the time-to-work page, by their captions (presentation.survival_texts)
    **{f"time_to_work_{key}": _survival_caption(f"{key}_caption") for key in ("six_months", "logrank", "cox")},
}


def _extra_key(stem: str) -> tuple[str, tuple[str, str]] | None:
    catalogue = {**titles.TITLES, **titles.CAPTIONS, **EXTRA_TITLES}
    keys = sorted((k for k in catalogue if "{" not in catalogue[k][0]), key=len, reverse=True)
    key = next((k for k in keys if re.search(rf"(^|_){re.escape(k)}($|_)", stem)), None)
    return (key, catalogue[key]) if key else None


def _natural(number: str) -> tuple:
    """``Tabel T2`` before ``Tabel T10``: the digits of a number as numbers."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", number))


def extra_number(stem: str, lang: str) -> str:
    """The number of an output without a numbered heading: ``Tabel A.1`` style when its title
    has one, else a dash."""
    found = _extra_key(stem)
    words_ = found[1][0 if lang == "nl" else 1].split() if found else []
    return f"{words_[0]} {words_[1].rstrip('.')}" if len(words_) > 1 and NUMBERED.match(" ".join(words_)) else "–"


def page_position(stem: str, page_file: Path, lang: str) -> int:
    """Where the heading of an output without a number stands on its page (the end when
    there is none), so the landing page lists them in the page's order."""
    return _position(stem, pages.contents(page_file.read_text(encoding="utf-8")), lang)


def _position(stem: str, heads: list[tuple[int, str, str]], lang: str) -> int:
    found = _extra_key(stem)
    text = found[1][0 if lang == "nl" else 1] if found else None
    return next((i for i, (_, _, h) in enumerate(heads) if text and h.startswith(text)), len(heads))


# The heading or caption under which a page shows an output listed apart, where its words differ
# from the output's title (the appendices name them as a chapter's appendix does).
PAGE_HEADINGS = {
    "published_vs_pipeline": re.compile(r"^(Bijlage A\. Alle gepubliceerde cellen|Appendix A\. All published cells)"),
    "report_arithmetic": re.compile(r"^(Bijlage B\. De eigen rekenkunde|Appendix B\. The report's own arithmetic)"),
    "sweep_checked": re.compile(r"^(Bijlage C\. Elk gedrukt getal|Appendix C\. Every printed number)"),
    "sweep_coverage": re.compile(r"^(Gedrukte getallen naar de manier|Printed numbers by how they are accounted)"),
    "report_inconsistencies": re.compile(r"^(Inconsistenties in het rapport|Inconsistencies in the report)"),
}


def extra_anchor(stem: str, heads: list[tuple[int, str, str]], lang: str) -> str | None:
    """The id of the heading or caption (``pages.contents``) that shows output ``stem`` listed
    apart: one that starts with its title, else its :data:`PAGE_HEADINGS` words."""
    found = _extra_key(stem)
    if not found:
        return None
    text = _without_number(found[1][0 if lang == "nl" else 1], extra_number(stem, lang))
    anchor = next((ident for _, ident, h in heads if _without_number(h, extra_number(stem, lang)).startswith(text)),
                  None)
    pattern = PAGE_HEADINGS.get(found[0])
    return anchor or next((ident for _, ident, h in heads if pattern and pattern.match(h)), None)


def extra_title(stem: str, page: str, page_file: Path, lang: str, shown_in: str | None = None) -> str:
    """An output without a numbered heading by its title (in ``shown_in``, the page's language
    ``lang`` by default), linked to the page's heading or caption of that title when there is
    one; the file name only when nothing names it."""
    found = _extra_key(stem)
    if not found:
        return f"<code>{html.escape(stem)}</code>"
    shown_in = shown_in or lang
    text = found[1][0 if shown_in == "nl" else 1]
    text_of_page = page_file.read_text(encoding="utf-8")
    anchor = extra_anchor(stem, pages.contents(text_of_page) + pages.captioned_tables(text_of_page), lang)
    shown = html.escape(_without_number(text, extra_number(stem, shown_in)))  # the number has its own column
    return f'<a href="{page}#{html.escape(anchor)}">{shown}</a>' if anchor else shown


def _parameters(params: dict[str, Any], lang: str) -> str:
    """A run's settings in words, values as the page's language writes them
    (:mod:`analysis.pipeline.run_settings`, as the reviewer page's colophon gives them): a
    reviewer reads no parameter name (``notebooks/report.yml`` holds them for a rerun)."""
    shown = [f"{html.escape(label[:1].lower() + label[1:])}: {html.escape(value)}"
             for label, value in run_settings.labelled(params, lang, others=True)]
    return "; ".join(shown) or "–"


def studies_named(state: dict[str, Any], lang: str = "nl") -> str:
    """What the landing page covers, named from its runs: the DWSRA evaluation when it ran,
    and each pilot by its study file's name (so a run of another pilot is named as that
    pilot, never as another one)."""
    names, found = [], set()
    for name in sorted(state):
        params = state[name].get("parameters", {}) or {}
        if pages.notebook_stem(name).startswith("01_"):
            names.append(("", FRAME[lang]["dwsra"]))
            continue
        study = params.get("study") or DEFAULT_STUDY
        if study not in found:
            found.add(study)
            try:
                text = load_study(study).text(lang)
            except (ValueError, OSError):  # a study file outside the project: the state keeps only its id
                text = f"pilot {study}"
            names.append((study, ("de " if lang == "nl" else "the ")
                          + (text if text[1:2].isupper() else text[:1].lower() + text[1:])))
    shown = list(dict.fromkeys(html.escape(t) for _, t in names))
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} {FRAME[lang]['and']} {shown[-1]}"


# (a run in the other language, as of, threshold), in each language of the landing page
VARIANT = {"nl": ("Engelse versie", "stand per", "drempel"), "en": ("Dutch version", "as of", "threshold")}


def run_language(params: dict[str, Any]) -> str:
    return params.get("language") if params.get("language") in pages.TEXT else "nl"


def variant(params: dict[str, Any], lang: str = "nl") -> str:
    """What sets a run apart, in words of ``lang`` (the landing page's language): a language
    other than the page's, its cut-off date and disclosure threshold."""
    other, as_of, threshold = VARIANT[lang]
    parts = []
    if run_language(params) != lang:
        parts.append(other)
    if params.get("cutoff_date"):
        parts.append(f"{as_of} {formats.long_date(params['cutoff_date'], lang)}")
    if params.get("min_cell_count") is not None:
        parts.append(f"{threshold} {params['min_cell_count']}")
    return ", ".join(parts)


SHOWN_DEFAULTS = ("cutoff_date", "min_cell_count")  # a run's settings the landing page names even when left default


@functools.lru_cache(maxsize=16)
def _notebook_defaults(notebook: str) -> dict[str, Any]:
    """The defaults of :data:`SHOWN_DEFAULTS` a notebook's parameters cell declares (none for
    a notebook that is not in the project)."""
    path = paths.NOTEBOOKS / Path(notebook).name
    if not notebook or not path.is_file():
        return {}
    params = pages.parameters(nbformat.read(path, as_version=4))
    return {k: params[k] for k in SHOWN_DEFAULTS if k in params}


def run_parameters(entry: dict[str, Any]) -> dict[str, Any]:
    """A run's parameters as the landing page names them: its own (``notebooks/report.yml``),
    over its notebook's default cut-off date and threshold (the sixth reviewer: the first pilot's
    models and time-to-work runs, at the notebook's default 16 April 2021, said no date)."""
    return {**_notebook_defaults(str(entry.get("notebook", ""))), **entry.get("parameters", {})}


def section_title(name: str, params: dict[str, Any], lang: str = "nl") -> str:
    """The run's report title with what sets it apart, in the landing page's language
    ``lang`` (on the Dutch page an English run says *Engelse versie*, on the English page a
    Dutch run *Dutch version*)."""
    extra = variant(params, lang)
    return pages.report_title(name, lang, params.get("study")) + (f" ({extra})" if extra else "")


def ordered_runs(state: dict[str, Any], lang: str = "nl") -> list[str]:
    """The runs in the order of the landing page of ``lang``: the pages in its language
    first, then the others; within a group by notebook, study (the report's own first), cutoff
    date (earliest first) and name. By name alone the English 16 April page stood before the
    1 April one (``-20210416-en`` sorts before ``-en``; review 12, item 11)."""
    def key(name: str) -> tuple:
        params = state[name].get("parameters", {})
        return (run_language(params) != lang, name.split("-", 1)[0], str(params.get("study") or ""),
                str(params.get("cutoff_date") or ""), name)
    return sorted(state, key=key)


MATCH = {
    "nl": ("Van de {n} gepubliceerde cellen die deze pagina naast de herberekende zet, komen er {same} overeen"
           "{rest}.", "; niet overeen komen: {cells}", "{n} in {where}",
           "; {n} zijn op deze pagina niet te tonen (statistische beveiliging)",
           "; {n} zijn uit de openbare gegevens niet te berekenen",
           " Bij elk verschil zegt Bijlage A van de pagina waarom (eigen codering, afronding of een fout in het "
           "rapport)."),
    "en": ("Of the {n} published cells this page sets beside the recomputed ones, {same} match{rest}.",
           "; not matching: {cells}", "{n} in {where}", "; {n} cannot be shown on this page (disclosure control)",
           "; {n} cannot be computed from the public data",
           " For every difference Appendix A of the page says why (own coding, rounding or an error in the report)."),
}


COMPARISON_COLUMNS = ("status", "table", "gelijk", "bron", "explanation")  # what the summary reads, by code


def reproduction_summary(reports: Path, outputs: list[str], lang: str, file_lang: str = "nl") -> str:
    """One sentence in ``lang`` on which published cells the run's recomputation does not match,
    read from its comparison table (``*_published_vs_pipeline_*.csv``, written in ``file_lang``,
    the run's language); empty when it has none."""
    found = [rel for rel in outputs if re.search(r"_published_vs_pipeline_.*\.csv$", rel)]
    if not found or not (reports / found[0]).is_file():
        return ""
    with open(reports / found[0], encoding="utf-8-sig", newline="") as fh:  # a download starts with a BOM
        read = list(csv.DictReader(fh))
    table = downloads.from_download(pd.DataFrame(read, dtype=object), file_lang, COMPARISON_COLUMNS)
    rows = [{k: str(v) for k, v in r.items()} for r in table.to_dict("records")]
    if not rows:
        return ""
    sentence, rest, part, hidden, open_, why = MATCH[lang]
    off: dict[str, int] = {}
    withheld = not_computable = 0
    for row in rows:
        if "status" in row:
            if row["status"] == "not_computable":  # the report's number has no counterpart in public data
                not_computable += 1
                continue
            ok = row["status"] == "reproduced"
            where = dwsra_texts.word(row["table"], lang)
        else:
            ok = row.get("gelijk") == "True"
            withheld += row.get("gelijk") == "x"
            where = row.get("bron", "")
            if row.get("gelijk") == "x":
                continue
        if not ok:
            off[where] = off.get(where, 0) + 1
    same = len(rows) - sum(off.values()) - withheld - not_computable
    parts = [part.format(n=k, where=html.escape(w)) for w, k in off.items()]
    clauses = ((rest.format(cells=", ".join(parts)) if parts else "") + (hidden.format(n=withheld) if withheld else "")
               + (open_.format(n=not_computable) if not_computable else ""))
    explained = bool(parts) and "explanation" in rows[0]  # a comparison that gives each difference its reason
    return sentence.format(n=len(rows), same=same, rest=clauses) + (why if explained else "")


def run_files(reports: Path, name: str, entry: dict[str, Any]) -> tuple[list[Item], list[str], list[str]]:
    """A run's numbered items with their files, the downloads no item has, and those
    downloads' stems in the page's order (numbered ones by number)."""
    page = (reports / "html" / "reviewer" / f"{name}.html").read_text(encoding="utf-8")
    return files_of(page, entry, reports / "executed" / f"{name}.ipynb")


def files_of(page: str, entry: dict[str, Any], executed: Path) -> tuple[list[Item], list[str], list[str]]:
    """:func:`run_files` of a reviewer page's text, the run's state ``entry`` (parameters,
    notebook, outputs) and its executed notebook."""
    lang = run_language(entry.get("parameters", {}))
    items = numbered_items(page, lang, entry)
    by_heading = heading_outputs(executed)
    for item in items:
        item.key = item.key or by_heading.get(item.title) or titled_output(item.title)
    outputs = list(entry.get("outputs", []))
    attach_files(items, outputs)
    attached = {f for i in items for f in i.files}
    attach_shared_files(items, outputs)
    heads = pages.contents(page)
    rest = sorted(rel for rel in outputs if Path(rel).suffix in DOWNLOADS and rel not in attached)
    stems = sorted({str(Path(rel).with_suffix("")) for rel in rest},
                   key=lambda stem: (_position(Path(stem).name, heads, lang),
                                     extra_number(Path(stem).name, lang) == "–",
                                     _natural(extra_number(Path(stem).name, lang)), stem))
    return items, rest, stems


def in_frame_language(reports: Path, name: str, items: list[Item], state: dict[str, Any] | None,
                      frame: str) -> bool:
    """Give ``items`` (run ``name``'s numbered items, of a page in another language than the
    landing page's ``frame``) the numbers and titles its twin in ``frame`` shows for the same
    exhibits, linking still to ``name``'s page (review 12: the English landing page listed the
    Dutch pages' exhibits under Dutch titles only). Only when the twin shows the same exhibits
    in the same order (their numbers); True when done. The English landing page only: the Dutch
    one keeps an English page's own titles (marked ``lang``), which its readers read."""
    if frame != "en":
        return False
    twin = pages.twin_run(name)
    entry = (state or {}).get(twin) if twin else None
    if not entry or entry.get("status") != "ok" or not (reports / "html" / "reviewer" / f"{twin}.html").is_file():
        return False
    theirs, _, _ = run_files(reports, twin, entry)
    if not items or [i.number.split()[-1] for i in theirs] != [i.number.split()[-1] for i in items]:
        return False
    for mine, other in zip(items, theirs, strict=True):
        mine.number, mine.title = other.number, other.title
    return True


def run_section(reports: Path, name: str, entry: dict[str, Any], frame: str = "nl",
                state: dict[str, Any] | None = None) -> str:
    """One run: its report title, page links, settings and the table of its items, framed in
    the landing page's language ``frame``; a run of another language lists its exhibits under
    the titles of its twin in ``frame`` where there is one (:func:`in_frame_language`), else in
    its own language (a row of another language carries ``lang``)."""
    lang = run_language(entry.get("parameters", {}))
    heading = html.escape(section_title(name, run_parameters(entry), frame))
    page_file = reports / "html" / "reviewer" / f"{name}.html"
    if entry.get("status") != "ok" or not page_file.is_file():
        return (f'<section id="{html.escape(name)}" lang="{frame}"><h3>{heading}</h3>'
                f'<p>{FRAME[frame]["failed"]}</p></section>')
    page = f"reviewer/{html.escape(name)}.html"
    items, rest, stems = run_files(reports, name, entry)
    translated = lang != frame and in_frame_language(reports, name, items, state, frame)
    rows = "\n".join(_row(i, page, frame if translated else lang) for i in items)
    t = FRAME[frame]
    shown_in = frame if translated else lang
    extras = "".join(
        f'<tr><td>{html.escape(extra_number(Path(stem).name, shown_in))}</td>'
        f'<td>{extra_title(Path(stem).name, page, page_file, lang, shown_in)}</td><td></td><td class="files">'
        + " · ".join(f'<a href="{FILES}/{html.escape(r)}" download>{Path(r).suffix[1:].upper()}</a>'
                     for r in rest if str(Path(r).with_suffix("")) == stem) + "</td></tr>" for stem in stems)
    rows += extras
    if lang != frame and not translated:  # the run's own titles, in its language
        rows = rows.replace("<tr>", f'<tr lang="{lang}">')
    summary = reproduction_summary(reports, list(entry.get("outputs", [])), frame, lang)
    return (f'<section id="{html.escape(name)}" lang="{frame}"><h3>{heading}</h3>\n'
            f'<p><a href="{page}">{t["page"]}</a> · <a href="full/{html.escape(name)}.html">{t["full"]}</a>'
            + (f' · <a href="{html.escape(provenance_file(name))}" download>{t["provenance"]}</a>'
               if (reports / "html" / provenance_file(name)).is_file() else "") +
            f' · {t["params"]}: {_parameters(run_parameters(entry), frame)}</p>\n'
            + (f'<p class="reproduction">{summary}</p>\n' if summary else "") +
            f'<table class="items"><thead><tr><th>{t["number"]}</th><th>{t["name"]}</th><th>{t["picture"]}</th>'
            f'<th>{t["files"]}</th></tr></thead>\n<tbody>\n{rows}\n</tbody></table></section>')


STYLE = """body{font-family:sans-serif;max-width:72em;margin:2em auto;padding:0 1em;line-height:1.4}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3em .6em;text-align:left;
vertical-align:middle}th{border-bottom:1px solid #555}td.files,table.items td:first-child{white-space:nowrap}
img{max-width:160px;height:auto}
section{margin-bottom:2.5em}nav ol{padding-left:2.2em}code,p{overflow-wrap:anywhere}
@media (max-width:640px){body{margin:1em auto;padding:0 .6em}h1{font-size:1.5em}h2{font-size:1.25em}
table.items,table.items tbody,table.items tr,table.items td{display:block;width:auto}table.items thead{display:none}
table.items tr{border-bottom:1px solid #bbb;padding:.5em 0}table.items td{border:0;padding:.15em 0}
table.items td:first-child{font-weight:bold;white-space:normal}td.files{white-space:normal}}
@page{size:A4;margin:15mm 13mm 17mm;@bottom-center{content:counter(page) " / " counter(pages);font:8pt sans-serif}}
@media print{body{max-width:none;margin:0;padding:0;font-size:9.5pt}img{max-width:3cm}
tr,h2,h3{break-inside:avoid}h2,h3{break-after:avoid}thead{display:table-header-group}a{color:inherit}}"""


def build_date(reports: Path) -> str:
    """The date the newest published page was made (``SOURCE_DATE_EPOCH`` when set), ISO."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        stamp = int(epoch)
    else:
        pages_made = [p.stat().st_mtime for p in (reports / "html" / "reviewer").glob("*.html")]
        stamp = max(pages_made, default=0)
    return datetime.datetime.fromtimestamp(stamp, tz=datetime.UTC).date().isoformat()


def sources_section(lang: str = "nl", state: dict[str, Any] | None = None) -> str:
    """The reports the published runs reproduce (all of them without ``state``): the DWSRA
    evaluation when its notebook ran, and each study's report when a run of that study did
    (newpilot2, F6: a private folder of a new pilot cited both shipped reports, neither of
    which it reproduced)."""
    t = FRAME[lang]
    cited = SOURCES if state is None else [(key, text) for key, text in SOURCES if key in _reproduced(state)]
    if not cited:
        return ""
    items = "".join(f'<li id="bron-{key}">{pages.citation((key, text), lang)}</li>'
                    for key, text in cited)  # the DWSRA report's in the page's language, a study's as written
    return (f'<section id="{pages.SOURCES_ANCHOR}" lang="{lang}"><h2>{t["sources"]}</h2><p>{t["sources_intro"]}</p>'
            f"<ol>{items}</ol></section>")


def _reproduced(state: dict[str, Any]) -> set[str]:
    """The keys of :data:`SOURCES` the runs of ``state`` reproduce: the DWSRA notebook's, and
    the study ids of the pilot runs."""
    found = set()
    for name, entry in state.items():
        params = entry.get("parameters", {}) or {}
        found.add(pages.DWSRA_SOURCE[0] if pages.notebook_stem(name).startswith("01_")
                  else str(params.get("study") or DEFAULT_STUDY))
    return found


def private_folder(state: dict[str, Any]) -> bool:
    """Whether a run of ``state`` read a private input (its parameters name it as such)."""
    return any(PRIVATE_LABEL in (entry.get("parameters") or {}).values() for entry in state.values())


# The landing page lists the runs per language of their pages, each group under a heading in
# the landing page's language (a Dutch reader sees at once which pages are English).
GROUPS = {"nl": {"nl": "Pagina's in het Nederlands", "en": "Pagina's in het Engels"},
          "en": {"en": "Pages in English", "nl": "Pages in Dutch"}}
GROUP_ANCHOR = "pages-{}"


def build_index(reports: Path, state: dict[str, Any], lang: str = "nl") -> str:
    """The landing page in ``lang``: every run (those of its language first), framed in its
    language, with a link to the landing page in the other language."""
    t = FRAME[lang]
    names = ordered_runs(state, lang)
    groups = [(g, [n for n in names if run_language(state[n].get("parameters", {})) == g])
              for g in dict.fromkeys(run_language(state[n].get("parameters", {})) for n in names)]
    toc = "".join(f'<li><a href="#{GROUP_ANCHOR.format(g)}">{html.escape(GROUPS[lang][g])}</a><ol>'
                  + "".join(f'<li><a href="#{html.escape(n)}">'
                            f'{html.escape(section_title(n, run_parameters(state[n]), lang))}</a></li>'
                            for n in group) + "</ol></li>" for g, group in groups)
    sections = "\n".join(f'<h2 class="language-group" id="{GROUP_ANCHOR.format(g)}">'
                         f'{html.escape(GROUPS[lang][g])}</h2>\n'
                         + "\n".join(run_section(reports, n, state[n], lang, state) for n in group)
                         for g, group in groups)
    sources = sources_section(lang, state)
    toc += f'<li><a href="#{pages.SOURCES_ANCHOR}">{t["sources"]}</a></li>' if sources else ""
    data = t["private"] if private_folder(state) else t["synthetic"]
    other_words, other = OTHER_INDEX[lang]
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{t["title"]}</title><link rel="icon" href="data:,"><style>{STYLE}</style></head><body>
<h1>{t["title"]}</h1>
<nav class="other-language"><a href="{INDEX[other]}" hreflang="{other}" lang="{other}">{other_words}</a></nav>
<p>{t["intro"].format(studies=studies_named(state, lang), data=data)}</p>
<p>{t["formats"]}</p>
<p class="built">{t["built"]} {formats.long_date(build_date(reports), lang)}.</p>
<nav aria-label="{t["contents"]}"><h2>{t["contents"]}</h2><ol>{toc}</ol></nav>
{sections}
{sources}
</body></html>
"""


def write_site_manifest(html_dir: Path) -> Path:
    """``manifest.json`` of the site: every file under ``reports/html`` with its sha256."""
    files = sorted(p for p in html_dir.rglob("*") if p.is_file() and p.name != "manifest.json")
    manifest = {p.relative_to(html_dir).as_posix(): sha256_file(p) for p in files}
    out = html_dir / "manifest.json"
    write_text_atomically(out, json.dumps({"files": manifest}, indent=2, sort_keys=True) + "\n")
    return out


EXHIBIT_FILES = {"nl": "Bestanden", "en": "Files"}


def exhibit_files(page: str, entry: dict[str, Any], executed: Path) -> dict[str, list[str]]:
    """Anchor on a run's pages (its reviewer ``page``, state ``entry``, executed notebook) ->
    the downloads of the exhibit there: every numbered item's, and those of an unnumbered
    output whose title the page shows."""
    lang = run_language(entry.get("parameters", {}))
    items, rest, stems = files_of(page, entry, executed)
    found = {i.anchor: list(i.files) for i in items if i.files and i.anchor}
    heads = pages.contents(page) + pages.captioned_tables(page)
    for stem in stems:
        anchor = extra_anchor(Path(stem).name, heads, lang)
        if anchor and anchor not in found:
            found[anchor] = [r for r in rest if str(Path(r).with_suffix("")) == stem]
    return found


def with_exhibit_files(page: str, files: dict[str, list[str]], lang: str) -> str:
    """``page`` with a line of download links under each exhibit of ``files`` (under its
    heading, or under a table numbered in its caption; the page is written with its run, so
    the links go to where the landing page copies the run's files)."""
    for anchor, rels in files.items():
        ident = re.escape(anchor)
        found = re.search(rf'<h([1-6]) id="{ident}"[^>]*>.*?</h\1>', page, re.S) \
            or re.search(rf'<table id="{ident}"[^>]*>.*?</table>', page, re.S)
        if not found:
            continue
        links = " · ".join(f'<a href="../{FILES}/{html.escape(r)}" download>{Path(r).suffix[1:].upper()}</a>'
                           for r in rels)
        line = f'\n<p class="vwnw-exhibit-files">{EXHIBIT_FILES[lang]}: {links}</p>'
        page = page[:found.end()] + line + page[found.end():]
    return page


_SECTION_HEAD = re.compile(r"<h([2-4])[^>]*>(.*?)</h\1>", re.S)
_EXHIBIT = re.compile(r"<table\b[^>]*>(?:\s*<caption[^>]*>(.*?)</caption>)?|<img\b", re.S)
_FILES_LINE = re.compile(r'<p class="vwnw-exhibit-files">')
_OWN_LINE = re.compile(r'\s*(?:</div>\s*)*(?:<div[^>]*>\s*)*<p class="vwnw-exhibit-files">')
_COLOPHON = re.compile(r"^(Colofon|Colophon)\b")


def exhibits_without_files(page: str) -> list[str]:
    """The tables and figures of a reviewer ``page`` that have no download line: none in their
    section (from the heading above them to the next), or, for a table numbered in its own
    caption (*Tabel T2*), none right under it. The colophon (the input files, the settings)
    holds no exhibit. Each is named by its heading and caption, for a test's message."""
    heads = [(m.start(), m.end(), pages._TAGS.sub("", m.group(2)).replace("¶", "").strip())
             for m in _SECTION_HEAD.finditer(page)]
    end = next((at for at, _, text in heads if _COLOPHON.match(text)), len(page))
    bounds = [at for at, _, _ in heads] + [len(page)]
    missing = []
    for m in _EXHIBIT.finditer(page, 0, end):
        opened, closed = page.rfind("<table", 0, m.start()), page.rfind("</table>", 0, m.start())
        if m.group(0).startswith("<table") and opened > closed:
            continue  # a table inside a table
        start = max((b for b in bounds if b <= m.start()), default=0)
        stop = min(b for b in bounds if b > m.start())
        above = html.unescape(next((text for at, _, text in reversed(heads) if at <= m.start()), ""))
        caption = " ".join(html.unescape(pages._TAGS.sub(" ", m.group(1) or "")).split())
        if caption and pages._number(caption) and pages._number(caption) != pages._number(above):
            ends = page.find("</table>", m.end())
            covered = bool(_OWN_LINE.match(page, ends + len("</table>"))) if ends >= 0 else False
        else:
            covered = bool(_FILES_LINE.search(page, start, stop))
        if not covered:
            missing.append(f"{above or '(no heading)'}: {caption[:60] or m.group(0)[:6]}")
    return missing


def write_site(reports: Path, state: dict[str, Any]) -> Path:
    """Copy the downloads, write the landing page in each language and the site's manifest;
    return the (Dutch) landing page."""
    copy_downloads(reports, state)
    for lang, name in INDEX.items():
        write_text_atomically(reports / "html" / name, build_index(reports, state, lang))
    out = reports / "html" / INDEX["nl"]
    write_site_manifest(reports / "html")
    return out
