"""The downloads of the models and time-to-work pages in their language throughout (issue 26, H43p): the
Dutch files had Dutch headers but the statistics modules' English in their cells (an estimand "odds ratio of
uptake, triage 1 against 2, other predictors fixed", a note "group of 1 (< 5): not informative", the rule of a
two-sided p-value, a design "balanced, N = 30", a model "Cox PH (partial likelihood, Breslow ties)", curves
"all", "triage=1", a code "few_at_risk"). A short name keeps its code in a ``<header> (code)`` column, so a
program still reads it by code. The words checked are chosen here, not taken from the catalogue."""

import re

import openpyxl
import pandas as pd
import pytest
from read_download import read

from analysis import paths
from analysis.presentation.downloads import for_download, from_download
from analysis.presentation.model_texts import translate

TABLES = paths.REPORTS / "tables"
STEMS = ("models_", "time_to_work_")
CODE_SUFFIX = " (code)"
# words of the statistics modules' English that Dutch never writes (a name such as Wald, Fisher, Cox,
# Breslow, Monte Carlo or FLIC, and words Dutch shares such as model, odds, ratio, exact, start, rest, seed,
# are not among them)
ENGLISH = {"the", "and", "against", "uptake", "outflow", "balanced", "penalised", "likelihood", "smallest",
           "informative", "estimate", "compares", "power", "twice", "probability", "probabilities", "fitted",
           "observed", "not", "with", "test", "tests", "ties", "partial", "level", "levels", "group", "all",
           "few", "at", "risk", "persons", "decide", "sum", "tail", "capped", "sided", "none", "undefined",
           "singular", "variance", "fixed", "predictors", "root", "finding", "inflow", "tables", "difference",
           "marginal", "penalty", "participants", "triaged", "path", "never", "vs", "mean", "ordinary"}
# Dutch words an English file should not hold (names of levels too: laag, hoog are low, high in English)
DUTCH = {"van", "de", "het", "een", "en", "tegen", "uitstroom", "groep", "groepen", "niet", "kans", "toets",
         "vermogen", "gebalanceerd", "waargenomen", "kleinste", "bij", "met", "op", "geen", "alle", "deelnemers",
         "traject", "instroom", "opleidingsniveau", "triagepad", "laag", "hoog", "middelbaar", "tabellen",
         "niveau", "exacte", "gecorrigeerde", "gewone", "schatting", "informatief", "som", "tweemaal",
         "vergelijkt", "overige", "voorspellers", "uitkomst", "correctie"}
CURVE_CODE = re.compile(r"^[a-z]+=\S+$")  # a curve written as its code (triage=1)
WORD = re.compile(r"[^\W\d_]+")


def published(lang: str) -> list:
    found = sorted(p for p in TABLES.glob(f"*_{lang}_*.csv") if p.name.startswith(STEMS))
    if not found:
        pytest.skip("no published models or time-to-work tables: run make report")
    return found


def foreign_words(cells, words: set[str]) -> list[tuple[str, str]]:
    """(cell, word) for each cell holding one of ``words`` (case-insensitive), or written as a curve code."""
    found = []
    for cell in cells:
        text = str(cell)
        hits = [w for w in WORD.findall(text) if w.lower() in words]
        if hits or CURVE_CODE.match(text):
            found.append((text, hits[0] if hits else "curve code"))
    return found


def text_cells(frame: pd.DataFrame):
    """The cells of ``frame`` a reader reads: not its code columns, nor numbers."""
    for column in frame.columns:
        if str(column).endswith(CODE_SUFFIX):
            continue
        yield from (v for v in frame[column] if isinstance(v, str) and v)


def offending(lang: str, words: set[str]) -> dict[str, list]:
    found = {}
    for path in published(lang):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        sheet = openpyxl.load_workbook(path.with_suffix(".xlsx"), read_only=True)["tabel"]
        rows = list(sheet.iter_rows(values_only=True))
        book = pd.DataFrame(rows[1:], columns=rows[0]) if rows else pd.DataFrame()
        for name, table in ((path.name, frame), (path.with_suffix(".xlsx").name, book)):
            if hits := foreign_words(text_cells(table), words):
                found[name] = sorted(set(hits))[:5]
    return found


def test_no_dutch_download_of_the_models_or_time_to_work_page_holds_english_text():
    assert offending("nl", ENGLISH) == {}


def test_no_english_download_of_the_models_or_time_to_work_page_holds_dutch_text():
    assert offending("en", DUTCH) == {}


def test_a_program_still_reads_the_published_names_by_their_codes():
    path = next(p for p in published("nl") if p.name.startswith("models_coefficients_work"))
    coef = read(path, ("model", "ci_method", "test", "scale"))
    assert "Firth logit" in set(coef["model"])
    assert set(coef["scale"]) <= {"odds", "odds ratio", "probability", "risk difference"}
    curves = read(next(p for p in published("nl") if p.name.startswith("time_to_work_curves")),
                  ("origin", "curve"))
    assert "all" in set(curves["curve"]) and set(curves["origin"]) <= {"start", "inflow"}


# ---------------------------------------------------------------- the new phrases, written out by hand
PHRASES = [
    ("odds ratio of uptake, opleiding hoog against laag, other predictors fixed",
     "odds ratio van uitstroom, opleidingsniveau hoog tegen laag, bij gelijke overige voorspellers",
     "odds ratio of outflow, education level high against low, other predictors fixed"),
    ("odds of uptake at the reference level of every predictor, Firth intercept (not FLIC-corrected)",
     "odds van uitstroom op het referentieniveau van elke voorspeller, intercept van Firth (ongecorrigeerd)",
     "odds of outflow at the reference level of every predictor, Firth's intercept (uncorrected)"),
    ("probability of uptake at the reference level of every predictor",
     "kans op uitstroom op het referentieniveau van elke voorspeller",
     "probability of outflow at the reference level of every predictor"),
    ("risk difference in uptake, leeftijd 46+ minus t/m 45, other predictors fixed",
     "kansverschil in uitstroom, leeftijd 46 jaar of ouder min 45 jaar of jonger, bij gelijke overige voorspellers",
     "difference in the probability of outflow, age 46 or older minus 45 or younger, other predictors fixed"),
    ("average marginal effect on uptake, triage 1 against 2",
     "gemiddeld marginaal effect op uitstroom, triagepad 1 tegen 2",
     "average marginal effect on outflow, triage path 1 against 2"),
    ("sum of the probabilities of all tables no more probable than the observed one",
     "som van de kansen van alle tabellen die niet waarschijnlijker zijn dan de waargenomen tabel",
     "sum of the probabilities of all tables no more probable than the observed one"),
    ("sum of the probabilities of all tables with these margins no more probable than the observed one",
     "som van de kansen van alle tabellen met deze randtotalen die niet waarschijnlijker zijn dan de waargenomen "
     "tabel",
     "sum of the probabilities of all tables with these margins no more probable than the observed one"),
    ("twice the smaller one-sided p-value, capped at 1", "tweemaal de kleinste eenzijdige p-waarde, hoogstens 1",
     "twice the smaller one-sided p-value, capped at 1"),
    ("upper tail of the chi-square distribution", "rechterstaart van de chi-kwadraatverdeling",
     "upper tail of the chi-square distribution"),
    ("none", "geen toets", "no test"),
    ("Cox PH (partial likelihood, Breslow ties)",
     "Cox-model met proportionele hazards (partiële aannemelijkheid, gelijke tijden volgens Breslow)",
     "Cox proportional hazards model (partial likelihood, Breslow's method for ties)"),
    ("undefined: the partial likelihood's information is singular",
     "niet gedefinieerd: de informatiematrix van de partiële aannemelijkheid is singulier",
     "undefined: the partial likelihood's information is singular"),
    ("log-rank", "log-ranktoets", "log-rank test"),
    ("compares those with a triage path (the never triaged, who never started, are left out); smallest group of "
     "1 (< 5): not informative",
     "vergelijkt wie een triagepad kreeg (wie er nooit een kreeg, is nooit begonnen en telt niet mee); kleinste "
     "groep van 1 (< 5): niet informatief",
     "compares those with a triage path (the never triaged, who never started, are left out); smallest group of "
     "1 (< 5): not informative"),
    ("variance matrix singular: generalised inverse, df = 2",
     "variantiematrix singulier: gegeneraliseerde inverse, vrijheidsgraden = 2",
     "variance matrix singular: generalised inverse, degrees of freedom = 2"),
]


@pytest.mark.parametrize(("english", "dutch", "reader"), PHRASES)
def test_a_new_phrase_reads_in_dutch_and_in_a_readers_english(english, dutch, reader):
    assert translate(english, "nl") == dutch
    assert translate(english, "en") == reader


MODELS = pd.DataFrame({
    "model": ["Firth logit", "Firth logit"], "term": ["const", "triage[1]"],
    "estimand": ["odds of uptake at the reference level of every predictor",
                 "odds ratio of uptake, triage 1 against 2, other predictors fixed"],
    "scale": ["odds", "odds ratio"], "estimate": [1.9, 1.6], "ci_method": ["profile penalised likelihood"] * 2,
    "note": ["", "group of 1 (< 5): not informative; the estimate comes from the penalty, not from the data"]})


def test_a_model_table_is_downloaded_in_words_its_names_with_their_codes():
    out = for_download(MODELS, "nl")
    assert list(out["Model"]) == ["Gecorrigeerde logit"] * 2
    assert list(out["Model (code)"]) == ["Firth logit"] * 2
    assert out["Methode interval"].iloc[0] == "Profielaannemelijkheid met de correctie van Firth"
    assert out["Geschatte grootheid"].iloc[1] == ("odds ratio van uitstroom, triagepad 1 tegen 2, bij gelijke "
                                                  "overige voorspellers")
    assert out["Opmerking"].iloc[1] == ("groep van 1 (< 5): niet informatief; de schatting komt uit de correctie "
                                        "van Firth, niet uit de gegevens")
    assert "Geschatte grootheid (code)" not in out.columns and "Opmerking (code)" not in out.columns  # clauses
    back = from_download(out.reset_index(drop=True), "nl", ("model", "ci_method", "scale"))
    assert list(back["model"]) == ["Firth logit"] * 2
    assert list(back["ci_method"]) == ["profile penalised likelihood"] * 2
    en = for_download(MODELS, "en")
    assert list(en["Model"]) == ["Corrected logit"] * 2
    assert en["Note"].iloc[1] == ("group of 1 (< 5): not informative; the estimate comes from Firth's correction, "
                                  "not from the data")


def test_a_time_to_work_table_is_downloaded_with_its_origins_curves_and_notes_in_words():
    six = pd.DataFrame({"origin": ["start", "inflow"], "definition": ["work", "work"],
                        "curve": ["all", "opleiding=laag"], "note": ["few_at_risk", ""]})
    out = for_download(six, "nl").reset_index(drop=True)
    assert list(out["Curve"]) == ["Alle deelnemers", "Opleidingsniveau laag"]
    assert list(out["Curve (code)"]) == ["all", "opleiding=laag"]
    assert list(out["Begin van de tijd"]) == ["De start van het traject", "Instroom"]
    assert list(out["Opmerking"]) == ["laatste stap te klein: niet informatief", ""]
    logrank = pd.DataFrame({"origin": ["start"], "group": ["triage"], "test": ["log-rank"],
                            "note": ["undefined: fewer than two levels or no events"]})
    en = for_download(logrank, "en")
    assert en["Test"].iloc[0] == "Log-rank test"
    assert en["Note"].iloc[0] == "undefined: no groups to compare or no outflow"  # the page's English for it
    nl = for_download(logrank, "nl")
    assert nl["Opmerking"].iloc[0] == "niet te berekenen: geen groepen om te vergelijken of geen uitstroom"


def test_a_table_of_another_page_keeps_its_notes_as_written():
    other = pd.DataFrame({"note": ["see Tabel 2.1, 1,234 projects"], "n_projects": [3]})
    assert for_download(other, "nl")["Opmerking"].iloc[0] == "see Tabel 2.1, 1,234 projects"
