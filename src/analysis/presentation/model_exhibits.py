"""The models page's tables, numbered apart from the report's (*Tabel M1*, *Tabel M2*, ...).

The outcome models are the project's addition to the pilot's report, so their tables carry
numbers of their own, given in the order the page shows them (a table a private run leaves
out takes no number), with a title that says what each holds; the appendices' tables are
*Tabel A.1*, *B.1*. The figures keep their declared numbers (*Figuur M1*, *M2*: the study's exhibits
file). :func:`output_of` tells the landing page which output file a numbered heading shows.

Every table the page shows has a file. The views the page computes from released rows (the mean
predicted probability, the outflow categories, the separation check, the report's percentages)
are written as the page shows them (:func:`file_table`): the same values, rounded as shown, the
columns the page shows; nothing more precise than the page (the categories' whole percentages,
not the fractions behind them).

A catalogue of its own (not ``titles``): these titles are the models page's headings only.
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.presentation.model_texts import PREDICTORS, predictor_label

KIND = {"nl": "Tabel", "en": "Table"}

# key -> ((Dutch, English) title, the output stem of its CSV/XLSX or None when it has none of its own)
TABLES: dict[str, tuple[tuple[str, str], str | None]] = {
    "models_rates": (("Uitstroom naar werk per groep", "Outflow to work by group"), "models_rates"),
    "models_coefficients": (("Schattingen per model", "Estimates by model"),
                            "models_coefficients"),
    "models_fitted": (("Gemiddelde voorspelde kans (hoofdmodel)", "Mean predicted probability (main model)"),
                      "models_fitted"),
    "models_ame": (("Gemiddelde marginale effecten (hoofdmodel)", "Average marginal effects (main model)"),
                   "models_ame_firth"),
    "models_exact_tests": (("Exacte toetsen per niveau en per voorspeller", "Exact tests by level and by predictor"),
                           "models_exact_tests"),
    "models_shares": (("Uitstroomcategorieën naar {group}", "Outflow categories by {group}"),
                      "models_shares_{group}"),  # one file per predictor: models_shares_triage, ...
    "models_power": (("Onderscheidend vermogen naar programmagrootte en odds ratio",
                      "Power by programme size and odds ratio"), None),  # its CSV is Figure M2's data
    "models_mde": (("Kleinste aantoonbare odds ratio", "Smallest detectable odds ratio"), "models_mde"),
}
APPENDIX: dict[str, tuple[str, tuple[str, str], str | None]] = {
    "models_separation": ("A.1", ("Scheiding per term", "Separation by term"), "models_separation"),
    "models_published_rates": ("B.1", ("De uitstroompercentages van het rapport, herberekend",
                                       "The report's outflow percentages, recomputed"), "models_published_rates"),
}


def _title(pair: tuple[str, str], lang: str, **fields: str) -> str:
    return pair[lang == "en"].format(**fields)


class Numbering:
    """Numbers the page's tables M1, M2, ... in the order their headings are asked for."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.count = 0

    def heading(self, key: str, **fields: str) -> str:
        """The next table's heading: ``Tabel M3. Schattingen per model``."""
        self.count += 1
        return f"{KIND[self.lang]} M{self.count}. {_title(TABLES[key][0], self.lang, **fields)}"


def appendix_heading(key: str, lang: str) -> str:
    """An appendix table's heading: ``Tabel A.1. Scheiding per term``."""
    number, pair, _ = APPENDIX[key]
    return f"{KIND[lang]} {number}. {_title(pair, lang)}"


def output_stem(key: str, group: str | None = None) -> str:
    """The output stem a notebook writes the table ``key`` under (``group``: the predictor's
    code of a table per predictor, ``models_shares_triage``)."""
    pair_output = TABLES[key] if key in TABLES else APPENDIX[key][1:]
    return str(pair_output[1]).format(group=group)


def output_of(heading: str, lang: str) -> str | None:
    """The output stem of the table a numbered heading of the models page shows (None for a
    table without files of its own, or a heading that is not one of these tables); a table
    per predictor by the predictor its title names (*Uitstroomcategorieën naar triagepad*:
    ``models_shares_triage``)."""
    words = heading.split(maxsplit=2)
    if len(words) < 3 or words[0] != KIND[lang]:
        return None
    title = words[2]
    for pair, output in [*TABLES.values(), *((p, o) for _, p, o in APPENDIX.values())]:
        if "{" not in pair[lang == "en"]:
            if title == _title(pair, lang):
                return output
            continue
        group = next((code for code in PREDICTORS if title == _title(pair, lang, group=predictor_label(code, lang))),
                     None)
        if group is not None and output is not None:
            return output.format(group=group)
    return None


def file_table(view: pd.DataFrame) -> pd.DataFrame:
    """The file of a table the page shows (``view``, the frame passed to ``run.show``): its
    values as shown, without the columns the page leaves out because they are empty, indexed
    by its first column (the row's name). The release's mark stays with it."""
    empty = [c for c in view.columns if view[c].isna().all() or view[c].astype(str).str.strip().eq("").all()]
    out = view.drop(columns=empty) if len(view) else view
    return out.set_index(out.columns[0]) if len(out.columns) > 1 else out


def is_table_heading(heading: str, lang: str) -> bool:
    """Whether ``heading`` is one of the models page's numbered tables (with files of its own
    or without: a view the page shows of another table's numbers, or of what a run leaves out)."""
    words = heading.split(maxsplit=2)
    if len(words) < 3 or words[0] != KIND[lang] or not re.match(r"(M\d|[A-Z]\.\d)", words[1]):
        return False
    for pair, _ in [*TABLES.values(), *((p, o) for _, p, o in APPENDIX.values())]:
        pattern = re.escape(pair[lang == "en"]).replace(r"\{group\}", ".+")
        if re.fullmatch(pattern, words[2]):
            return True
    return False
