"""What turns an executed notebook into a report page (used by ``html_export``).

- The page's language is the run's ``language`` parameter (``nl`` when a notebook has none).
  Markdown cells tagged ``lang-nl`` or ``lang-en`` appear only on pages of that language;
  the notebook holds both versions of its narrative, a reader sees one.
- The page's title is the report's (``presentation.titles.REPORT_TITLES``), not the file name.
- A page is a report chapter of the run's study: markdown may write ``{{pilot}}``,
  ``{{region}}`` and ``{{cutoff}}`` for the study's name and region and the run's status date
  (written as the page's language writes dates), so a page of another pilot speaks of that
  pilot only. Cells tagged ``with-report`` appear only for a study whose report publishes
  facts to check against (its study file's ``published_facts``), those tagged
  ``without-report`` only for a study without one.
- A code cell tagged ``findings`` (the page's findings in words, made at the end of the run
  when every number it says is published) moves to just after the cell tagged ``summary``
  (the summary's heading), so the chapter starts with what was found.
- Cells tagged ``appendix`` move to the end of the reviewer page (audits and reproduction
  checks after the chapter's own exhibits), then the colophon. Nothing of the tooling stands
  between the findings and the exhibits. The full page keeps the notebook's order
  (``html_export.in_notebook_order``): its code runs top to bottom; its findings are shown
  under the summary all the same (:func:`findings_shown_first`), the code where it runs.
- The colophon is written for its reader. On the full page: the cells tagged ``rerun`` (its
  heading and how to rerun, naming commands and parameters), those tagged ``colophon`` (the
  input files) and the provenance cell, to which the page adds the data statement (file names
  and hashes), how files are identified by hash and the library versions. On the reviewer
  page (:func:`with_reader_colophon`): the run's settings as labelled values in the page's
  language (:mod:`analysis.pipeline.run_settings`: *Peildatum: 1 april 2021*, inputs by their
  public name), the ``colophon`` cells, and a note where the parameter names, versions and
  hashes are (the version with code, the provenance files); no parameter name, library
  version or hash.
- Under the first heading: the page's links (the landing page in the page's language, the
  page in the other language, this page's downloads and its source report, all inside the
  published site) and
  a table of contents of the page's headings and of the tables numbered only in their
  caption (*Tabel T1*), each once.
- The other-language twin is the run of the same notebook in ``notebooks/report.yml`` whose
  parameters differ only in ``language``; a run without one links to none.
"""

from __future__ import annotations

import ast
import copy
import html as html_lib
import platform
import re
from importlib import metadata
from pathlib import Path
from typing import Any

import nbformat

from analysis import paths, strict_yaml
from analysis.pipeline import exhibits, run_settings
from analysis.pipeline.private_runs import private_inputs
from analysis.pipeline.provenance import inputs_digest
from analysis.presentation import formats, titles
from analysis.presentation.labels import outcome_words, status_words
from analysis.presentation.page_texts import TEXT  # the page furniture, in the text catalogue
from analysis.private_data import PRIVATE_LABEL, keyed_hash, release_context, shown_identity
from analysis.study import DEFAULT_STUDY, StudyError, load_study

LANG_TAG = "lang-{}"
_HEADING = re.compile(r'<h([1-4]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
_TAGS = re.compile(r"<[^>]+>")
SOURCES_ANCHOR = "bronnen"  # the landing page's section citing both reports
LANDING_PAGE = {"nl": "index.html", "en": "index-en.html"}  # the landing page in each language (pipeline.site)


def parameters(nb: Any) -> dict[str, Any]:
    """The run's parameters: the notebook's defaults (its ``parameters`` cell, literal
    assignments) overlaid with those papermill injected."""
    params: dict[str, Any] = {}
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            for node in ast.parse(cell.source).body:
                if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                    try:
                        params[node.targets[0].id] = ast.literal_eval(node.value)
                    except ValueError:
                        pass
    params.update(nb.metadata.get("papermill", {}).get("parameters", {}))
    return params


def page_language(nb: Any) -> str:
    lang = parameters(nb).get("language", "nl")
    return lang if lang in TEXT else "nl"


def notebook_stem(run_name: str) -> str:
    return run_name.split("-", 1)[0]


def report_title(run_name: str, lang: str, study: str | None = None) -> str:
    """The page's title; a run of another pilot (its ``study`` parameter) names that study
    instead of the default study."""
    try:
        title = titles.report_title(notebook_stem(run_name), lang)
    except KeyError:
        return run_name

    if study and study != DEFAULT_STUDY and ":" in title:
        try:
            name = load_study(study).text(lang)
        except StudyError:  # a study file outside the project: the state keeps its name only (hostile round 5, S1)
            name = Path(str(study)).name.removesuffix(".yaml").removesuffix(".yml")
        return f"{name}:{title.split(':', 1)[1]}"
    return title


def _tags(cell: Any) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


END_OF_PAGE = ("appendix", "rerun", "colophon", "provenance")  # in this order, after the chapter itself


def for_language(cells: list, lang: str, with_report: bool = True) -> list:
    """The cells a page of ``lang`` shows: cells tagged for another language are left out,
    and those tagged ``with-report`` (``without-report``) when the study has no (a) report to
    check against; the
    appendix, the rerun section and the provenance cell go last, in that order."""
    other = {LANG_TAG.format(x) for x in TEXT if x != lang}
    other.add("with-report" if not with_report else "without-report")
    kept = [c for c in cells if not other & _tags(c)]

    def place(cell: Any) -> int:
        return next((i + 1 for i, tag in enumerate(END_OF_PAGE) if tag in _tags(cell)), 0)

    return findings_first(sorted(kept, key=place))  # stable: each group keeps the notebook's order


def findings_first(cells: list) -> list:
    """Cells tagged ``findings`` (code that says what the page found, run at the end when
    every number it names is published) moved to just after the last cell tagged ``summary``
    (the summary's heading), so the page starts with its findings in words; without a
    summary cell they stay where they are."""
    found = [c for c in cells if "findings" in _tags(c)]
    rest = [c for c in cells if "findings" not in _tags(c)]
    at = max((i for i, c in enumerate(rest) if "summary" in _tags(c)), default=None)
    if not found or at is None:
        return cells
    return rest[:at + 1] + found + rest[at + 1:]


FINDINGS_FIRST = {"nl": "# De bevindingen: gemaakt door de cel 'findings' aan het eind, hier eerst getoond",
                  "en": "# The findings: made by the cell 'findings' at the end, shown here first"}


def findings_shown_first(cells: list, lang: str) -> list:
    """The full page's cells (in the notebook's order, so its code reads top to bottom) with
    the findings' outputs shown under the summary's heading, as on the reviewer page: a copy of
    each ``findings`` cell there, whose code says where it runs, and the cell itself where it
    runs, without its outputs (said once). Without a summary cell or findings: unchanged."""
    found = [i for i, c in enumerate(cells) if "findings" in _tags(c) and c.get("outputs")]
    at = max((i for i, c in enumerate(cells) if "summary" in _tags(c)), default=None)
    if not found or at is None or min(found) < at:
        return cells
    out = list(cells)
    shown = []
    for i in found:
        first = copy.deepcopy(cells[i])
        first["id"] = f"{cells[i].get('id', 'findings')}-first"
        first["source"] = FINDINGS_FIRST.get(lang, FINDINGS_FIRST["en"])
        first["execution_count"] = None  # its number is the cell's below: In [] numbers stay in order
        for o in first.get("outputs", []):
            if "execution_count" in o:
                o["execution_count"] = None
        shown.append(first)
        out[i] = copy.deepcopy(cells[i])
        out[i]["outputs"] = []
    return out[:at + 1] + shown + out[at + 1:]


_PLACEHOLDER = re.compile(
    r"\{\{(pilot|region|cutoff|work|education|exhibit:\w+|exhibits:\w+:\w+|section:\d+(?:\.\d+)*)\}\}")
_PLURAL = {"Figure": "Figures", "Table": "Tables"}  # English ranges: "Figures 7-13"; Dutch keeps "Figuur 7-13"


def exhibit_words(exhibits, lang: str) -> dict[str, str]:
    """``{{exhibit:NAME}}`` (``Figuur 7``) and ``{{exhibits:FIRST:LAST}}`` (``Figuur 7-10``,
    ``Figures 7-10``) for the study's declared exhibits, by the study's own numbering: a study
    without a report numbers them as the project does (P1-P7), never as a report (review 11)."""
    declared = {e.name: e for e in exhibits.items} if exhibits is not None else {}
    words = {f"exhibit:{name}": e.label(lang) for name, e in declared.items()}
    for first in declared.values():
        for last in declared.values():
            if first.kind == last.kind and first.name != last.name:
                word, number = first.label(lang).rsplit(" ", 1)
                words[f"exhibits:{first.name}:{last.name}"] = f"{_PLURAL.get(word, word)} {number}-{last.number}"
    return words


def study_words(params: dict[str, Any], lang: str) -> dict[str, str]:
    """What the placeholders of a page's markdown stand for in this run (see the module)."""
    study = load_study(params.get("study") or DEFAULT_STUDY)
    try:
        cutoff = formats.long_date(str(params.get("cutoff_date")), lang)
    except ValueError:  # no date, or not one (the notebook refuses it before a page is made)
        cutoff = str(params.get("cutoff_date") or "")
    name = study.text(lang)  # inside a sentence: "de pilot VWNW ...", an acronym keeps its capitals
    name = name if name[1:2].isupper() else name[:1].lower() + name[1:]
    # the outcomes in the study's own status words (review 7: a study's pages speak of it only)
    return {"pilot": name, "region": study.region, "cutoff": cutoff, "work": outcome_words("work", lang, study),
            "education": status_words(("education",), lang, study), **exhibit_words(study.exhibits, lang),
            SECTIONS: "numbered" if study.published_facts is not None else ""}


SECTIONS = "section"  # in the words: whether ``{{section:3.1.1}}`` writes the report's number


def placeholder_text(key: str, words: dict[str, str]) -> str:
    """What ``{{key}}`` stands for: ``{{section:3.1.1}}`` is the report's section number and a
    space for a study whose report numbers its chapters so (``3.1.1 Instroom in de pilot``),
    nothing for a study without a report (its sections go unnumbered, never with another
    pilot's report's numbers); every other key is the word ``words`` gives."""
    if key.startswith(f"{SECTIONS}:"):
        return f"{key.split(':', 1)[1]} " if words.get(SECTIONS) else ""
    return words[key]


def fill_placeholders(cells: list, words: dict[str, str]) -> None:
    """``{{pilot}}``, ``{{region}}``, ``{{cutoff}}``, ``{{work}}``, ``{{education}}``, the
    exhibits' numbers (``{{exhibit:NAME}}``, ``{{exhibits:FIRST:LAST}}``) and the report's section
    numbers (``{{section:3.1.1}}``, :func:`placeholder_text`) in markdown cells replaced by ``words``."""
    for cell in cells:
        if cell.get("cell_type") == "markdown" and "{{" in cell.source:
            cell.source = _PLACEHOLDER.sub(lambda m: as_markdown_text(placeholder_text(m.group(1), words)), cell.source)


def as_markdown_text(text: str) -> str:
    """``text`` (a study's name, region: the study file's words) as literal text in Markdown:
    Markdown's marks backslashed, then HTML escaped, so no tag, link or image comes of it."""
    marked = re.sub(r"([\\`*_\[\]!])", r"\\\1", str(text))  # emphasis, code, links and images
    return html_lib.escape(marked, quote=False)


def has_report(params: dict[str, Any]) -> bool:
    """Whether the run's study has a report whose published facts the page checks (a study file
    outside the project, of which the state keeps only the id: none known)."""
    try:
        return load_study(params.get("study") or DEFAULT_STUDY).published_facts is not None
    except (StudyError, OSError):
        return False


def input_files(params: dict[str, Any]) -> list[Path]:
    """The run's input files: parameters named ``*_path`` that name an existing file."""
    files = []
    for key, value in sorted(params.items()):
        if key.endswith("_path") and isinstance(value, str) and value:
            p = paths.resolve(value)
            if p.is_file():
                files.append(p)
    return files


def data_statement(params: dict[str, Any], lang: str) -> str:
    """One paragraph naming every input file with the first 16 hex digits of its sha256."""
    t = TEXT[lang]
    files = [] if int(params.get("synthetic_n") or 0) > 0 else input_files(params)  # 03: data made in memory
    if not files:
        return f'<p class="vwnw-data">{t["no_inputs"]}</p>'
    items, joint = [], inputs_digest(params)
    private = bool(private_inputs(params))  # as the kernel's provenance: on a private run no input is named
    for f in files:
        shown, digest = shown_identity(f, params, joint)  # private: no name, a keyed hash (analysis.private_data)
        if private and shown != PRIVATE_LABEL:  # a real file listed in the project's folders (the eighteenth intruder)
            shown, digest = PRIVATE_LABEL, keyed_hash(f, release_context(params, joint))
        kind = f' ({t["synthetic"]})' if shown != PRIVATE_LABEL and "synthetic" in f.name else ""
        algo, _, hexes = digest.rpartition(":")
        items.append(f"<code>{html_lib.escape(shown)}</code>{kind}, {html_lib.escape(algo or 'sha256')} "
                     f"<code>{html_lib.escape(hexes[:16])}</code>")
    return f'<p class="vwnw-data">{t["made_from"]}: ' + "; ".join(items) + ".</p>"


COLOPHON = {
    "nl": {"hashes": "Een invoerbestand wordt herkend aan zijn sha256-hash: hier de eerste 16 tekens, de volledige "
                     "in het {record} (JSON). Een privébestand "
                     "wordt nooit met naam of gewone hash genoemd, alleen met een hash met een geheime sleutel die "
                     "bij de gegevens blijft.",
           "versions": "Gemaakt met", "record": "herkomstbestand van deze pagina"},
    "en": {"hashes": "An input file is identified by its sha256 hash: here its first 16 characters, the full one in "
                     "the {record} (JSON). A private file is "
                     "never named nor given a plain hash, only a hash with a secret key that stays with the data.",
           "versions": "Made with", "record": "provenance file of this page"},
}
LIBRARIES = ("pandas", "numpy", "scipy", "statsmodels", "matplotlib", "seaborn", "papermill", "nbconvert")


def library_versions() -> str:
    """The versions of Python and of the libraries that made the page's numbers and pages
    (``requirements.lock`` pins them), as one line: ``Python 3.11.7, pandas 2.2.3, ...``."""
    found = []
    for name in LIBRARIES:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            continue
    return ", ".join([f"Python {platform.python_version()}", *found])


def record_link(name: str | None, text: str) -> str:
    """``text`` linked to run ``name``'s provenance record as the site publishes it (a page in
    ``reviewer/`` or ``full/``: ``../files/provenance/<run>.provenance.json``); as it is without a run."""
    if not name:
        return text
    return f'<a href="../files/provenance/{html_lib.escape(name)}.provenance.json" download>{text}</a>'


def colophon_notes(lang: str, name: str | None = None) -> str:
    """What the colophon adds after the data statement: how files are identified by hash (the
    full hash in run ``name``'s provenance record, linked), and the versions of the tools that made
    the page."""
    t = COLOPHON[lang]
    return (f'<p class="vwnw-hashes">{t["hashes"].format(record=record_link(name, t["record"]))}</p>'
            f'<p class="vwnw-versions">{t["versions"]} {html_lib.escape(library_versions())}.</p>')


READER_COLOPHON = {
    "nl": {"title": "Colofon", "settings": "Instellingen van deze pagina", "record": "Herkomst",
           "made": "Deze pagina is gemaakt met <code>make report</code> en <code>make verify</code> maakt alles "
                   "opnieuw en vergelijkt het byte voor byte. Hoe het programma deze instellingen noemt, met welke "
                   "versies van de software de pagina is gemaakt en de sha256-hash van elk invoerbestand staan in de "
                   "<a href=\"../full/{name}.html#{anchor}\">versie met code</a> en in het {record} (JSON)."},
    "en": {"title": "Colophon", "settings": "Settings of this page", "record": "Provenance",
           "made": "This page was made by <code>make report</code> and <code>make verify</code> remakes everything and "
                   "compares it byte for byte. How the program names these settings, the versions of the software "
                   "that made the page and the sha256 hash of every input file are given in the "
                   "<a href=\"../full/{name}.html#{anchor}\">version with code</a> and in the {record} (JSON)."},
}


def settings_list(params: dict[str, Any], lang: str) -> str:
    """The run's settings as a definition list, each a label and a value in words."""
    def shown(key: str, value: str) -> str:  # a file name as code: a name, not a word of the page's language
        name = run_settings.shown_file(key, params.get(key))
        if name and value.startswith(name):
            return f"<code>{html_lib.escape(name)}</code>{html_lib.escape(value[len(name):])}"
        return html_lib.escape(value)

    items = "".join(f"<dt>{html_lib.escape(label)}</dt><dd>{shown(key, value)}</dd>"
                    for key, label, value in run_settings.entries(params, lang))
    return f'<dl class="vwnw-settings">{items}</dl>'


def _markdown_cell(source: str, ident: str) -> Any:
    cell = nbformat.v4.new_markdown_cell(source)
    cell.metadata["tags"] = ["colophon"]
    cell["id"] = ident
    return cell


def without_warnings(nb: Any) -> Any:
    """A copy of ``nb`` without the text a cell wrote to stderr (a library's warning, such as
    statsmodels' ``ConvergenceWarning`` with its file path, which review 7 found in the middle
    of the time-to-work page's method): a reviewer page shows what the notebook says, not what
    a library printed. The version with code keeps them."""
    import copy

    out = copy.deepcopy(nb)
    for cell in out.cells:
        if cell.get("outputs"):
            cell["outputs"] = [o for o in cell["outputs"]
                               if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
    return out


def with_reader_colophon(nb: Any, params: dict[str, Any], lang: str, name: str) -> Any:
    """A copy of page ``nb`` whose colophon is written for a reader (see the module): the
    ``rerun`` and provenance cells give way to the run's settings in words (before the
    ``colophon`` cells) and a note on where the record is kept (after them)."""
    t = READER_COLOPHON[lang]
    page = copy.copy(nb)
    cells = [c for c in nb.cells if not {"rerun", "provenance"} & _tags(c)]
    at = next((i for i, c in enumerate(cells) if "colophon" in _tags(c)), len(cells))
    head = _markdown_cell(f"## {t['title']}\n\n### {t['settings']}\n\n{settings_list(params, lang)}\n",
                          "reader-settings")
    note = _markdown_cell(f"### {t['record']}\n\n<p class=\"vwnw-record\">"
                          + t["made"].format(name=html_lib.escape(name), anchor=t["title"],
                                             record=record_link(name, COLOPHON[lang]["record"]))
                          + "</p>\n", "reader-record")
    page.cells = cells[:at] + [head] + cells[at:] + [note]
    return page


def headings(page: str) -> list[tuple[int, str, str]]:
    """``(level, id, text)`` of every h1-h4 of a rendered page, in order."""
    out = []
    for level, ident, inner in _HEADING.findall(page):
        text = html_lib.unescape(_TAGS.sub("", inner)).replace("¶", "").strip()
        out.append((int(level), ident, text))
    return out


_CAPTIONED_TABLE = re.compile(r'<table id="([^"]+)"[^>]*>\s*<caption[^>]*>(.*?)</caption>', re.S)
EXHIBIT_NUMBER = re.compile(r"^(Tabel|Figuur|Table|Figure)\s+([A-Z]?\d+(?:\.\d+)*[a-z]?)\b")
_ALL_ROWS = re.compile(r"\.\s+(In alle rijen|In all rows)\b.*$", re.S)


def _number(text: str) -> str | None:
    found = EXHIBIT_NUMBER.match(text)
    return f"{found.group(1)} {found.group(2)}" if found else None


def captioned_tables(page: str) -> list[tuple[int, str, str]]:
    """``(3, id, caption)`` of every table of ``page`` with a caption, numbered or not."""
    return [(3, m.group(1), " ".join(html_lib.unescape(_TAGS.sub(" ", m.group(2))).split()))
            for m in _CAPTIONED_TABLE.finditer(page)]


def contents(page: str) -> list[tuple[int, str, str]]:
    """``(level, id, text)`` of the page's h1-h4 headings and of its tables numbered only in
    their caption (*Tabel T1* under a section heading), as level 3, in the page's order; a
    caption whose number a heading already gives is left out (each number once)."""
    found = [(m.start(), int(m.group(1)), m.group(2), m.group(3)) for m in _HEADING.finditer(page)]
    entries = [(at, level, ident, html_lib.unescape(_TAGS.sub("", inner)).replace("¶", "").strip())
               for at, level, ident, inner in found]
    numbered = {_number(text) for *_, text in entries} - {None}
    for m in _CAPTIONED_TABLE.finditer(page):
        text = " ".join(html_lib.unescape(_TAGS.sub(" ", m.group(2))).split())
        number = _number(text)
        if number and number not in numbered:
            numbered.add(number)
            entries.append((m.start(), 3, m.group(1), _ALL_ROWS.sub("", text)))
    return [(level, ident, text) for _, level, ident, text in sorted(entries)]


def toc(page: str, lang: str) -> str:
    """A nested, ordered list of the page's h2 headings and, under each, its h3 and h4 headings
    and captioned tables (:func:`contents`) in one list (*3.1.1 Instroom*, *Figuur 7*, ...),
    linking to them: two levels, so the box stays short."""
    parts, in_item, in_sub = [], False, False
    for level, ident, text in contents(page):
        link = f'<a href="#{html_lib.escape(ident)}">{html_lib.escape(text)}</a>'
        if level == 2 or (level >= 3 and not in_item):
            parts.append(("</ol>" if in_sub else "") + ("</li>" if in_item else "") + f"<li>{link}")
            in_item, in_sub = True, False
        elif level >= 3:
            parts.append(("" if in_sub else "<ol>") + f"<li>{link}</li>")
            in_sub = True
    parts.append(("</ol>" if in_sub else "") + ("</li>" if in_item else ""))
    return (f'<nav class="vwnw-toc" aria-label="{TEXT[lang]["toc"]}"><h2 class="vwnw-toc-title">'
            f'{TEXT[lang]["toc"]}</h2><ol>' + "".join(parts) + "</ol></nav>")


def _run_name(stem: str, entry: dict[str, Any]) -> str:
    suffix = entry.get("suffix", "") if isinstance(entry, dict) else ""
    return f"{stem}-{suffix}" if suffix else stem


def twin_run(name: str, config: Path | None = None) -> str | None:
    """The run showing the same as ``name`` in the other language (see the module), or None."""
    config = config or paths.NOTEBOOKS / "report.yml"
    try:
        entries = (strict_yaml.load(config.read_text(encoding="utf-8"), "the configuration") or {}).get("runs", {})
        entries = entries.get(notebook_stem(name)) or [] if isinstance(entries, dict) else []
    except (OSError, strict_yaml.YamlLimitError, AttributeError):
        return None
    entries = [e for e in entries if isinstance(e, dict)]

    def params(e: dict[str, Any]) -> dict[str, Any]:
        return e.get("parameters") if isinstance(e.get("parameters"), dict) else {}

    mine = next((e for e in entries if _run_name(notebook_stem(name), e) == name), None)
    if mine is None:
        return None
    rest = {k: v for k, v in params(mine).items() if k != "language"}
    lang = params(mine).get("language", "nl")
    return next((_run_name(notebook_stem(name), e) for e in entries
                 if params(e).get("language", "nl") != lang
                 and {k: v for k, v in params(e).items() if k != "language"} == rest), None)


# The DWSRA report as the landing page's sources and the DWSRA pages cite it (docs/dwsra_sources.md: the
# text gives no authors' names, month, place, report number or address, so none is given); a pilot's
# report is cited by its study file (``report.citation``, :func:`analysis.pipeline.exhibits.report_sources`).
# Named one way: *Evaluatie DWSRA: tussenrapportage* (its running header) on the Dutch pages, the *DWSRA interim
# evaluation* on the English ones, whose citation gives the Dutch title and the regulation's name marked as Dutch
# and its notes in English (review 12).
_REGULATION = ("Tijdelijke regeling cofinanciering projecten dienstverlening werkzoekenden en projecten "
               "samenwerking en regie arbeidsmarkt")
DWSRA_CITATION = {
    "nl": ("Ecorys (2018). <em lang=\"nl\">Evaluatie DWSRA: tussenrapportage</em>. Tussenevaluatie van de "
           f"{_REGULATION} (DWSRA), stand eind april 2018; ministerie van SZW."),
    "en": ("Ecorys (2018). <em lang=\"nl\">Evaluatie DWSRA: tussenrapportage</em> [DWSRA interim evaluation]. "
           f"Interim evaluation of the <span lang=\"nl\">{_REGULATION}</span> (DWSRA), as at the end of April 2018; "
           "Ministry of Social Affairs and Employment (SZW)."),
}
DWSRA_SOURCE = ("01_dwsra_portfolio", DWSRA_CITATION["nl"])
NO_ADDRESS = {"nl": "Een openbaar adres van het rapport is niet bekend (de tekst van het rapport noemt er geen).",
              "en": "No public address of the report is known (the report's text gives none)."}


def source_of(name: str, params: dict[str, Any]) -> tuple[str, str] | None:
    """(id, citation HTML) of the report run ``name`` reproduces: the DWSRA report for the
    DWSRA notebook, else its study's report (None for a study without one)."""
    if notebook_stem(name).startswith("01_"):
        return DWSRA_SOURCE
    study = params.get("study") or DEFAULT_STUDY
    return next(((sid, text) for sid, text in exhibits.report_sources() if sid == study), None)


def links(name: str, lang: str, twin: str | None, with_report: bool = True,
          source: tuple[str, str] | None = None) -> str:
    """The page's links: landing page, other-language twin, downloads, source report (its
    citation on the landing page; for a study without a report: the sources, saying it has
    none), and under them the source report's full citation (``source``: id, HTML)."""
    t = TEXT[lang]
    other = "en" if lang == "nl" else "nl"
    index = f"../{LANDING_PAGE[lang]}"  # the landing page in the page's language
    items = [f'<a href="{index}">{t["home"]}</a>']
    if twin:
        items.append(f'<a href="{html_lib.escape(twin)}.html" hreflang="{other}" lang="{other}">{t["twin"]}</a>')
    items.append(f'<a href="{index}#{html_lib.escape(name)}">{t["downloads"]}</a>')
    target = f"bron-{html_lib.escape(source[0])}" if source and with_report else SOURCES_ANCHOR
    items.append(f'<a href="{index}#{target}">{t["source" if with_report else "no_report"]}</a>')
    cited = (f'<p class="vwnw-source">{t["source"]}: {citation(source, lang)} {NO_ADDRESS[lang]}</p>'
             if source and with_report else "")
    return f'<nav class="vwnw-links" aria-label="{t["links"]}">' + " · ".join(items) + "</nav>" + cited


def citation(source: tuple[str, str], lang: str) -> str:
    """The citation HTML of ``source`` (id, Dutch HTML) on a page of ``lang``: the DWSRA report's in
    the page's language (:data:`DWSRA_CITATION`); a study's as its file gives it, the title marked
    Dutch and the note in the page's language where the file gives both (review 13 item 6: the
    pilot's Dutch note stood unmarked on English pages), else marked Dutch. A Dutch page marks
    nothing as Dutch."""
    key, text = source
    if key == DWSRA_SOURCE[0]:
        text = DWSRA_CITATION["en" if lang == "en" else "nl"]
    elif lang != "nl":
        text = dict(exhibits.report_sources(lang)).get(key) or '<span lang="nl">' + text + "</span>"
    return text.replace(' lang="nl"', "") if lang == "nl" else text


_SUMMARY_CELL = re.compile(
    r'<div id="cell-id=[^"]*" class="jp-Cell jp-MarkdownCell jp-Notebook-cell">\s*<div class="jp-Cell-inputWrapper"'
    r'[^>]*>\s*<div class="jp-Collapser[^"]*">\s*</div>\s*<div class="jp-InputArea jp-Cell-inputArea">'
    r'<div class="[^"]*celltag_summary[^"]*"[^>]*>\s*(<h2 .*?</h2>)\s*</div>\s*</div>\s*</div>\s*</div>'
    r'(?=<div id="cell-id=[^"]*" class="[^"]*celltag_findings)', re.S)
_FIRST_MARKDOWN_OUTPUT = re.compile(
    r'(<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-OutputArea-output[^>]*>)')


def summary_with_findings(page: str) -> str:
    """The summary's heading moved into the findings that follow it (a cell of its own, run at
    the end of the notebook): one block, so that print never leaves the heading at the foot of
    a page without its text. Only where the findings follow the heading (the reviewer page)."""
    found = _SUMMARY_CELL.search(page)
    if not found:
        return page
    rest = page[found.end():]
    into = _FIRST_MARKDOWN_OUTPUT.search(rest)
    if not into:
        return page
    rest = rest[:into.end()] + "\n" + found.group(1) + rest[into.end():]
    return page[:found.start()] + rest


def decorate(page: str, params: dict[str, Any], lang: str, name: str | None = None, reader: bool = False) -> str:
    """Insert the page's links and the table of contents after the page's first h1, and, on
    the full page, the data statement (file names and hashes: material for the record, not the
    chapter) after the first paragraph of the provenance cell at the end (at the top when
    there is none). A ``reader``'s page (the reviewer page) has its settings in words instead
    (:func:`with_reader_colophon`)."""
    page = summary_with_findings(page)
    end = page.find("</h1>")
    if end < 0:
        return page
    end += len("</h1>")
    nav = links(name, lang, twin_run(name), has_report(params), source_of(name, params)) if name else ""
    if reader:
        return page[:end] + nav + toc(page, lang) + page[end:]
    statement = data_statement(params, lang)
    cell = page.find('id="cell-id=provenance"')
    after = page.find("</p>", cell) + len("</p>") if cell >= 0 and page.find("</p>", cell) >= 0 else -1
    if after < 0:
        return page[:end] + nav + statement + toc(page, lang) + page[end:]
    return page[:end] + nav + toc(page, lang) + page[end:after] + statement + colophon_notes(lang, name) + page[after:]
