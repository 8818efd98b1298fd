"""A run's settings as a reader reads them: labelled values in the page's language.

A reviewer page's colophon and the landing page say what a run was made with
(*Peildatum: 1 april 2021*, *Drempel voor kleine aantallen: 10 personen*, *Deelnemersbestand:
pilot_participants_synthetic.csv (synthetisch)*), never a parameter's name, a code value or
a path: the parameter names, the library versions and the hashes stay in the version with
code and in the provenance file (``.provenance.json``) beside every download.

An input is named by its public name: a shipped file by its file name (no folder), any other
file only as a private file (its folder and name can identify a person; the same rule as
:func:`analysis.private_data.shown_parameter`). A parameter without a label here (the
output folder, the cache folder) is not a setting a reader needs and is left out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from analysis.presentation import formats
from analysis.presentation.model_texts import translate
from analysis.private_data import PRIVATE_LABEL, shown_parameter
from analysis.study import load_study

# (nl, en) label of each setting, in the order a colophon lists them
LABELS: dict[str, tuple[str, str]] = {
    "study": ("Studie", "Study"),
    "cutoff_date": ("Peildatum", "Status date"),
    "joint_cutoffs": ("Samen beschermde peildata", "Status dates protected together"),
    "min_cell_count": ("Drempel voor kleine aantallen", "Threshold for small counts"),
    "participants_path": ("Deelnemersbestand", "Participant file"),
    "status_history_path": ("Statusgeschiedenis", "Status history"),
    "register_path": ("Projectregister", "Project register"),
    "applications_path": ("Aanvragen per ronde", "Applications by round"),
    "interview_counts_path": ("Aantallen uit interviews", "Counts from interviews"),
    "published_path": ("Gepubliceerde cellen van het rapport", "The report's published cells"),
    "synthetic_n": ("Omvang van de in het geheugen gemaakte synthetische gegevens",
                    "Size of the synthetic data made in memory"),
    "outcome_definition": ("Definitie van uitstroom", "Outflow definition"),
    "definitions": ("Definities van uitstroom", "Outflow definitions"),
    "origins": ("Tijd gemeten vanaf", "Time measured from"),
    "groupings": ("Groepen", "Groups"),
    "population": ("Populatie", "Population"),
    "predictors": ("Voorspellers", "Predictors"),
    "min_group_n": ("Kleinste groep met een informatieve schatting", "Smallest group with an informative estimate"),
    "power_ns": ("Programmagrootten voor het onderscheidend vermogen", "Programme sizes for the power analysis"),
    "power_sims": ("Gesimuleerde uitkomsten per punt (controle van het vermogen)",
                   "Simulated outcomes per point (check of the power)"),
    "language": ("Taal", "Language"),
}
LANGUAGES = {"nl": ("Nederlands", "Dutch"), "en": ("Engels", "English")}
VALUE_WORDS: dict[tuple[str, str], tuple[str, str]] = {  # (parameter, value): (nl, en)
    ("population", "stayed"): ("wie in de pilot bleef", "those who stayed in the pilot"),
    ("population", "all"): ("alle ingeschrevenen", "everyone enrolled"),
    ("outcome_definition", "work"): ("werk", "work"), ("definitions", "work"): ("werk", "work"),
    ("outcome_definition", "work_or_education"): ("werk of opleiding", "work or education"),
    ("definitions", "work_or_education"): ("werk of opleiding", "work or education"),
    ("origins", "start"): ("de start van het traject", "the start of the programme"),
    ("origins", "inflow"): ("instroom", "inflow"),
}
PRIVATE = {"nl": "privébestand", "en": "private file"}
INTERNAL = {"output_dir", "processed_dir"}  # where a run writes: no setting of what it shows
SYNTHETIC = {"nl": "synthetisch", "en": "synthetic"}
PERSONS = {"nl": ("persoon", "personen"), "en": ("person", "persons")}
AND = {"nl": "en", "en": "and"}


def _side(lang: str) -> int:
    return 0 if lang == "nl" else 1


def _listed(items: list[str], lang: str) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {AND[lang]} {items[-1]}" if items else "–"


def file_name(key: str, value: Any, lang: str) -> str:
    """An input file by its public name: a shipped file's name (marked synthetic when it is),
    anything else only as a private file."""
    if shown_parameter(key, value) == PRIVATE_LABEL:
        return PRIVATE[lang]
    name = Path(str(value)).name
    return f"{name} ({SYNTHETIC[lang]})" if "synthetic" in name else name


def value_in_words(key: str, value: Any, lang: str) -> str:
    """One setting's value as the page's language writes it."""
    side = _side(lang)
    if key == "language":
        return LANGUAGES.get(str(value), (str(value), str(value)))[side]
    if key == "study":  # a study file outside the project: the state keeps only its id (attack 16: after the
        try:            # publication, its landing page failed on it and left the files unlisted)
            return load_study(str(value)).text(lang)
        except (ValueError, OSError):
            return Path(str(value)).name.removesuffix(".yaml").removesuffix(".yml")
    if key.endswith("_path") or key.endswith("_dir"):
        return file_name(key, value, lang)
    if key == "cutoff_date":
        return formats.long_date(str(value), lang)
    if key == "joint_cutoffs":
        return _listed([formats.long_date(str(d), lang) for d in value or []], lang)
    if key == "min_cell_count" or key == "min_group_n":
        n = int(value)
        return f"{formats.number(n, lang, 0)} {PERSONS[lang][n != 1]}"
    if isinstance(value, (list, tuple)):
        shown = [VALUE_WORDS.get((key, str(x)), (None, None))[side] or
                 (formats.number(x, lang, 0) if isinstance(x, int) else str(translate(str(x), lang))) for x in value]
        return _listed(shown, lang)
    if isinstance(value, str) and (key, value) in VALUE_WORDS:
        return VALUE_WORDS[(key, value)][side]
    if isinstance(value, int) and not isinstance(value, bool):
        return formats.number(value, lang, 0)
    return str(value)


def shown(key: str, value: Any) -> bool:
    """Whether a setting is worth a line: labelled, and set (no empty list, no synthetic size 0)."""
    if key not in LABELS or value is None or value == "" or value == [] or value == ():
        return False
    return not (key == "synthetic_n" and not value)


def entries(params: dict[str, Any], lang: str, others: bool = False) -> list[tuple[str, str, str]]:
    """``(parameter, label, value)`` of every setting of ``params`` a reader needs, in
    :data:`LABELS`' order; with ``others``, then any other parameter by its name in words
    (``notes_file``: *notes file*; the landing page lists every setting a run's configuration
    gives)."""
    side = _side(lang)
    found = [(k, LABELS[k][side], value_in_words(k, params[k], lang)) for k in LABELS if k in params
             and shown(k, params[k])]
    rest = sorted(k for k in params if k not in LABELS and k not in INTERNAL) if others else []
    return found + [(k, k.replace("_", " "), value_in_words(k, params[k], lang)) for k in rest]


def labelled(params: dict[str, Any], lang: str, others: bool = False) -> list[tuple[str, str]]:
    """``(label, value)`` of :func:`entries`."""
    return [(label, value) for _, label, value in entries(params, lang, others)]


def shown_file(key: str, value: Any) -> str | None:
    """The file name a path setting shows (None for any other setting, or a private file)."""
    if not (key.endswith("_path") and value) or shown_parameter(key, value) == PRIVATE_LABEL:
        return None
    return Path(str(value)).name
