"""Report labels: Dutch as in the reports, English as the alternative.

``label(code, lang)`` translates one code; ``LANGUAGES`` lists what is available. A code
without a translation is shown as itself, so a new category in real data never breaks a
table (it appears untranslated, which a reviewer will notice).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analysis.study import active_study

LANGUAGES = ("nl", "en")

LABELS: dict[str, tuple[str, str]] = {
    # education
    "laag": ("Laag", "Low"), "middelbaar": ("Middelbaar", "Intermediate"), "hoog": ("Hoog", "High"),
    # function type (Figuur 9)
    "staf": ("Stafmedewerkers", "Staff functions"), "uitvoerend": ("Uitvoerende medewerkers", "Operational staff"),
    # triage (Figuur 10)
    "triage_1": ("Triage 1", "Triage 1"), "triage_2": ("Triage 2", "Triage 2"), "triage_3": ("Triage 3", "Triage 3"),
    "geen_triage": ("Geen triage", "Not triaged"),
    # sectors: a study's own, in its file; the rest of a merged sector figure
    "overig": ("Overig", "Other"),
    # age and tenure bands (Figuur 7, 8) and the bands and groups a figure collapses into
    # when disclosure control leaves too little to show
    "t/m 35": ("t/m 35 jaar", "35 or younger"), "36-45": ("36-45 jaar", "36-45 years"),
    "46-55": ("46-55 jaar", "46-55 years"), "56+": ("56 jaar en ouder", "56 and older"),
    "t/m 45": ("45 jaar of jonger", "45 or younger"), "46+": ("46 jaar of ouder", "46 or older"),
    # classes that do not overlap (review 12: "t/m 5 / 5-10 / 10-20 jaar"): the bins are (5, 10] and (10, 20], and
    # an administration records half years
    "t/m 5 jaar": ("t/m 5 jaar", "up to 5 years"), "5-10 jaar": ("meer dan 5 t/m 10 jaar", "over 5, up to 10 years"),
    "10-20 jaar": ("meer dan 10 t/m 20 jaar", "over 10, up to 20 years"),
    "meer dan 20 jaar": ("meer dan 20 jaar", "more than 20 years"),
    "t/m 10 jaar": ("t/m 10 jaar", "up to 10 years"), "meer dan 10 jaar": ("meer dan 10 jaar", "more than 10 years"),
    "laag_middelbaar": ("Laag of middelbaar", "Low or intermediate"),
    "triage_1_2": ("Triage 1 of 2", "Triage 1 or 2"), "triage_3_geen": ("Triage 3 of geen triage", "Triage 3 or none"),
    # "werk", "opleiding_bemiddeling", "work", "work_or_education" and the outflow categories are
    # named from the active study's statuses (:data:`STUDY_WORDS`): every study's pages speak of it only
    "uitgevallen": ("Gestopt, niet gestart of bij oude werkgever", "Stopped, did not start or stayed with employer"),
    "geen_werk": ("Geen werk", "Not in work"),
    "andere_sector": ("Andere sector", "Other sector"),
    # column headers of the tables the pages and downloads show (a download keeps a labelled category's code)
    "activity_group": ("Type activiteiten", "Activity group"), "activity_type": ("Type activiteit", "Activity type"),
    "applicant_type": ("Type aanvrager", "Applicant type"), "project_type": ("Type project", "Project type"),
    "region_scope": ("Regionale reikwijdte", "Regional scope"),
    "sector_scope": ("Sectorale reikwijdte", "Sectoral scope"),
    "digital_product": ("Digitaal product", "Digital product"), "category": ("Categorie", "Category"),
    "allowed_from": ("Toegestaan vanaf", "Allowed from"),
    "allowed_to": ("Toegestaan tot", "Allowed to"), "cells": ("Cellen", "Cells"), "check": ("Controle", "Check"),
    "table": ("Tabel", "Table"), "row": ("Rij", "Row"), "column": ("Kolom", "Column"),
    "published": ("Gepubliceerd", "Published"), "computed": ("Berekend", "Computed"),
    "printed": ("Gedrukt", "Printed"),
    "computed_printed": ("Berekend, afgerond als gedrukt", "Computed, rounded as printed"),
    "consistent": ("Klopt", "Consistent"), "explanation": ("Toelichting", "Explanation"),
    "source_line": ("Regel in het rapport", "Line in the report"),
    "status": ("Status", "Status"),
    "bron": ("Bron", "Source"), "feit": ("Feit", "Fact"), "fact": ("Feit", "Fact"),
    "gepubliceerd": ("Gepubliceerd", "Published"), "pijplijn": ("Herberekend", "Recomputed"),
    "gelijk": ("Gelijk", "Equal"), "id": ("Id", "Id"), "type": ("Soort", "Kind"), "met": ("Voldaan", "Satisfied"),
    "model": ("Model", "Model"), "term": ("Term", "Term"), "level": ("Niveau", "Level"),
    "comparison": ("Vergelijking", "Comparison"), "direction": ("Richting", "Direction"),
    "n": ("n", "n"), "events": ("Uitkomst ja", "Events"), "rate": ("Aandeel", "Rate"),
    "coef": ("Coëfficiënt", "Coefficient"), "odds_ratio": ("Odds ratio", "Odds ratio"),
    "interval": ("95%-interval", "95% interval"),
    "ci_low": ("95%-BI onder", "95% CI lower"), "ci_high": ("95%-BI boven", "95% CI upper"),
    "rate_pct": ("Aandeel (%)", "Rate (%)"), "ci_low_pct": ("95%-BI onder (%)", "95% CI lower (%)"),
    "ci_high_pct": ("95%-BI boven (%)", "95% CI upper (%)"),
    "ci_method": ("Methode interval", "Interval method"), "p_value": ("p-waarde", "p-value"),
    "fisher_p": ("p (Fisher)", "p (Fisher)"), "boschloo_p": ("p (Boschloo)", "p (Boschloo)"),
    "ml_finite": ("Gewone schatting eindig", "Ordinary estimate finite"), "note": ("Opmerking", "Note"),
    "ame": ("Gemiddeld marginaal effect", "Average marginal effect"),
    "power": ("Onderscheidend vermogen", "Power"), "target_power": ("Beoogd vermogen", "Target power"),
    "mde_odds_ratio": ("Kleinste aantoonbare odds ratio", "Minimum detectable odds ratio"),
    "bemiddeling": ("In bemiddeling", "In job-matching support"), "group_n": ("n in groep", "n in group"),
    "reproduced": ("gereproduceerd", "reproduced"), "differs": ("wijkt af", "differs"),
    "amount": ("Bedrag", "Amount"), "ci_level": ("Betrouwbaarheid", "Confidence level"),
    "class": ("Klasse", "Class"), "compound": ("Samengesteld", "Compound"), "cutoff": ("Peildatum", "Cut-off date"),
    "date": ("Datum", "Date"), "definition_used": ("Gebruikte definitie", "Definition used"),
    "design": ("Opzet", "Design"), "estimate": ("Schatting", "Estimate"),
    "estimand": ("Geschatte grootheid", "Estimand"), "events_work": ("Naar werk", "In work"),
    "events_work_or_education": ("Naar werk of opleiding", "In work or education"),
    "n_work": ("n (werk)", "n (work)"), "n_work_or_education": ("n (werk of opleiding)", "n (work or education)"),
    "text_structure": ("Tekstopbouw (voetnoten, koppen, lijst- en paginanummers, projectcodes)",
                       "Text structure (footnotes, headings, list and page numbers, project codes)"),
    "family": ("Familie", "Family"), "footnote_label": ("Voetnootlabel", "Footnote label"),
    "footnote_mark": ("Voetnootteken", "Footnote mark"), "heading": ("Kop", "Heading"),
    "identifier": ("Kenmerk", "Identifier"), "informative": ("Informatief", "Informative"),
    "intercept": ("Intercept", "Intercept"), "kind": ("Soort", "Kind"), "line": ("Regel", "Line"),
    "list_number": ("Lijstnummer", "List number"), "page_number": ("Paginanummer", "Page number"),
    "mde_odds_ratio_above_1": ("Kleinste aantoonbare odds ratio boven 1", "Minimum detectable odds ratio above 1"),
    "mde_odds_ratio_below_1": ("Kleinste aantoonbare odds ratio onder 1", "Minimum detectable odds ratio below 1"),
    "method": ("Methode", "Method"), "n0": ("n (referentie)", "n (reference)"), "n1": ("n (groep)", "n (group)"),
    "number": ("Getal", "Number"), "other_lines": ("Andere regels", "Other lines"),
    "p_holm": ("p (Holm)", "p (Holm)"), "published_events": ("Gepubliceerd: uitkomst ja", "Published: events"),
    "published_n": ("Gepubliceerd: n", "Published: n"), "quantity": ("Grootheid", "Quantity"),
    "recomputed": ("Nagerekend", "Recomputed"), "reference": ("Verwijzing", "Reference"),
    "scale": ("Schaal", "Scale"), "source": ("Bron", "Source"), "test": ("Toets", "Test"),
    "verbal": ("In woorden", "In words"), "word": ("Woord", "Word"),
    "power_simulated": ("Vermogen (gesimuleerd)", "Power (simulated)"), "two_sided": ("Tweezijdig", "Two-sided"),
    "base_rate": ("Uitstroom in de referentiegroep", "Base rate"), "alpha": ("Alfa", "Alpha"),
    # headers a download showed as codes on a Dutch page (review 13 item 1): the tests' upper bounds, the
    # time-to-work curves and tests, the column legends, the source sweep and the reproduction check
    "p_upper_bound": ("p is een bovengrens", "p is an upper bound"),
    "p_holm_upper_bound": ("p (Holm) is een bovengrens", "p (Holm) is an upper bound"),
    "p_mc_se": ("Standaardfout van p (simulatie)", "Standard error of p (simulation)"),
    "meaning": ("Betekenis", "Meaning"), "origin": ("Begin van de tijd", "Time origin"),
    "definition": ("Uitkomstdefinitie", "Outcome definition"), "curve": ("Curve", "Curve"),
    "grouping": ("Indeling", "Grouping"), "end": ("Dagen sinds begin", "Days since origin"),
    "end_months": ("Maanden sinds begin", "Months since origin"), "n_risk": ("Nog zonder uitstroom", "At risk"),
    "months": ("Maanden", "Months"), "report_share": ("Aandeel volgens het rapport", "Share in the report"),
    "n_risk_last": ("Nog zonder uitstroom bij de laatste stap", "At risk at the last step"),
    "competing": ("Concurrerende uitstroom", "Competing events"), "censored": ("Gecensureerd", "Censored"),
    "surv": ("Aandeel nog zonder uitstroom", "Survival"), "se": ("Standaardfout", "Standard error"),
    "one_minus": ("Cumulatieve uitstroom (1 - S)", "Cumulative outflow (1 - S)"),
    "one_minus_low": ("Cumulatieve uitstroom, 95%-BI onder", "Cumulative outflow, 95% CI lower"),
    "one_minus_high": ("Cumulatieve uitstroom, 95%-BI boven", "Cumulative outflow, 95% CI upper"),
    "cif": ("Cumulatieve incidentie", "Cumulative incidence"),
    "cif_se": ("Cumulatieve incidentie, standaardfout", "Cumulative incidence, standard error"),
    "cif_low": ("Cumulatieve incidentie, 95%-BI onder", "Cumulative incidence, 95% CI lower"),
    "cif_high": ("Cumulatieve incidentie, 95%-BI boven", "Cumulative incidence, 95% CI upper"),
    "chi2": ("Chi-kwadraat", "Chi-square"), "df": ("Vrijheidsgraden", "Degrees of freedom"),
    "digits": ("Gedrukte decimalen", "Decimals printed"),
    "regulation_rule": ("Voorschrift van de regeling", "Rule of the regulation"),
    "section": ("Paragraaf", "Section"), "text": ("Tekst", "Text"),
    "occurrence": ("Keer in de regel", "Occurrence in the line"),
    "basis": ("Grondslag", "Basis"), "agrees": ("Stemt overeen", "Agrees"), "finding": ("Bevinding", "Finding"),
    # generic
    "totaal": ("Totaal", "Total"), "aantal": ("Aantal", "Count"), "percentage": ("Percentage", "Percentage"),
    "onderdrukt": ("x = niet getoond, beschermd (< {k} personen, of af te leiden uit andere cellen)",
                   "x = not shown, protected (< {k} persons, or derivable from other cells)"),
    "geslacht": ("Geslacht", "Gender"), "man": ("Man", "Man"), "vrouw": ("Vrouw", "Woman"),
    "leeftijd": ("Leeftijd", "Age"), "opleidingsniveau": ("Opleidingsniveau", "Education level"),
    "dienstjaren": ("Dienstjaren", "Years of service"), "functietype": ("Functie", "Function"),
    "triage": ("Triagepad", "Triage path"), "dienstverlening": ("Dienstverlening", "Service"),
    "uitstroom": ("Uitstroom", "Outflow"), "sector": ("Sector", "Sector"),
    "synthetisch": ("SYNTHETISCHE GEGEVENS", "SYNTHETIC DATA"),  # the text says "synthetische gegevens"
    # DWSRA (interim evaluation 2018): row and column keys of Tabel 2.1-4.2
    "DW": ("DW", "DW"), "SRA": ("SRA", "SRA"), "TOTAAL": ("TOTAAL", "TOTAL"),
    "alleen_dw": ("Alleen dienstverlening", "Services to job seekers only"),
    "alleen_sra": ("Alleen samenwerking en regie", "Cooperation and direction only"),
    "beide": ("Beide typen", "Both types"),
    "werknemersorganisatie": ("Werknemersorganisatie", "Employees' organisation"),
    "werkgeversorganisatie": ("Werkgeversorganisatie", "Employers' organisation"),
    "oo_fonds": ("O&O fonds", "Sectoral training fund (O&O)"),
    "onbekend": ("Onbekend", "Unknown"),
    "dw1": ("DW1: Ondersteuning met ontslag bedreigde werknemers", "DW1: Support for workers facing dismissal"),
    "dw2": ("DW2: Loopbaanoriëntatie", "DW2: Career orientation"),
    "dw3": ("DW3: Scholing", "DW3: Training"),
    "sra1": ("SRA1: Opzetten samenwerkingsverbanden", "SRA1: Setting up partnerships"),
    "sra2": ("SRA2: Verzamelen en uitwisselen informatie", "SRA2: Collecting and sharing information"),
    "sra3": ("SRA3: Ontwikkelen arbeidsmarktbeleid", "SRA3: Developing labour-market policy"),
    "meer_dan_een_type": ("Meer dan één type activiteit", "More than one activity type"),
    "bovenregionaal": ("Bovenregionaal (alle regio’s/landelijk)", "Supra-regional (all regions/national)"),
    "interregionaal": ("Interregionaal (twee of meer regio’s)", "Inter-regional (two or more regions)"),
    "intraregionaal": ("Intraregionaal (één regio)", "Intra-regional (one region)"),
    "bovensectoraal": ("Bovensectoraal (alle sectoren)", "Cross-sector (all sectors)"),
    "intersectoraal": ("Intersectoraal (twee of meer sectoren)", "Inter-sector (two or more sectors)"),
    "intrasectoraal": ("Intrasectoraal (één sector)", "Single sector"),
    "received_1": ("Eerste ronde O", "First round received"), "granted_1": ("Eerste ronde T", "First round granted"),
    "received_2": ("Tweede ronde O", "Second round received"), "granted_2": ("Tweede ronde T", "Second round granted"),
    "received": ("Totaal O", "Total received"), "granted": ("Totaal T", "Total granted"),
    "granted_pct": ("T/O %", "Granted/received %"),
    "running_1": ("Lopend eerste ronde (register)", "Running, first round (register)"),
    "running_2": ("Lopend tweede ronde (register)", "Running, second round (register)"),
    "running": ("Lopend (register)", "Running (register)"),
    "withdrawn_or_stopped": ("Ingetrokken/gestopt", "Withdrawn/stopped"),
    "n_projects": ("Aantal projecten", "Number of projects"),
    "direct_mln": ("Directe kosten (mln €)", "Direct costs (€ mln)"),
    "indirect_mln": ("Indirecte kosten (15%) (mln €)", "Indirect costs (15%) (€ mln)"),
    "avg_total_mln": ("Gemiddelde totale kosten per project (mln €)", "Average total cost per project (€ mln)"),
    "max_subsidy_mln": ("Maximale subsidie (mln €)", "Maximum subsidy (€ mln)"),
    "max_subsidy_pct": ("Idem als % totaal", "Same as % of total"),
    "pct": ("% van totaal", "% of total"), "pct_published": ("% gepubliceerd", "% published"),
    "ronde": ("Ronde", "Round"), "ronde_1": ("Eerste ronde", "First round"),
    "ronde_2": ("Tweede ronde", "Second round"),
    "maand_beschikking": ("Maand van beschikking", "Month of grant decision"),
    # DWSRA: budget per round, decision times, financial progress (paragraaf 2.1, 2.2, 4.2)
    "dw_mln": ("DW (mln €)", "DW (€ mln)"), "sra_mln": ("SRA (mln €)", "SRA (€ mln)"),
    "total_mln": ("Totaal (mln €)", "Total (€ mln)"), "dw_pct": ("Aandeel DW %", "DW share %"),
    "decision_days": ("Dagen aanvraag-beschikking (rapport)", "Days application to decision (report)"),
    "register_from": ("Register: minimaal", "Register: at least"),
    "register_to": ("Register: maximaal", "Register: at most"),
    "item": ("Onderdeel", "Item"), "unit": ("Eenheid", "Unit"), "value": ("Waarde", "Value"),
    "voortgangsrapportages": ("Ingediende voortgangsrapportages", "Progress reports submitted"),
    "gerealiseerd_totaal": ("Gerealiseerde kosten, alle projecten (%)", "Costs realised, all projects (%)"),
    "gerealiseerd_ronde_1": ("Gerealiseerd, eerste ronde (%)", "Realised, first round (%)"),
    "verwacht_ronde_1": ("Verwacht bij gelijkmatige spreiding, eerste ronde (%)",
                         "Expected at an even spread, first round (%)"),
    "gerealiseerd_ronde_2": ("Gerealiseerd, tweede ronde (%)", "Realised, second round (%)"),
    "verwacht_ronde_2": ("Verwacht bij gelijkmatige spreiding, tweede ronde (%)",
                         "Expected at an even spread, second round (%)"),
    "minder_kosten_projecten": ("Projecten die minder kosten verwachten", "Projects expecting lower costs"),
    "minder_kosten_mln": ("Minder kosten (mln €, circa)", "Lower costs (€ mln, about)"),
    "minder_subsidie_mln": ("Lagere subsidie (mln €, circa)", "Lower subsidy (€ mln, about)"),
    "maximale_toekenning_mln": ("Maximale toekenning (mln €)", "Maximum granted (€ mln)"),
    "meer_kosten_projecten": ("Projecten die hogere kosten verwachten (ten minste)",
                              "Projects expecting higher costs (at least)"),
    "eur_mln": ("mln €", "€ mln"),
    "pct_granted": ("Subsidie als % van de kosten", "Subsidy as % of costs"),
    "pct_without_excess": ("Idem zonder overschrijding", "Same without the excess"),
    "subsidisable_costs_eur": ("Subsidiabele kosten (€)", "Subsidisable costs (€)"),
    "max_subsidy_eur": ("Maximale subsidie (€)", "Maximum subsidy (€)"),
    "peildatum": ("Peildatum", "Reference date"),
    "project_code": ("Projectcode", "Project code"), "direct_costs_eur": ("Directe kosten (€)", "Direct costs (€)"),
    "ceiling_eur": ("Plafond: 60% van directe + indirecte kosten (€)", "Ceiling: 60% of direct + indirect costs (€)"),
    "excess_eur": ("Overschrijding (€)", "Excess (€)"), "pct_of_costs": ("% van de kosten", "% of costs"),
    "max_subsidy_line": ("Regel in het rapport", "Line in the report"), "rule": ("Regel", "Rule"),
    "group": ("Groep", "Group"), "alle projecten": ("Alle projecten", "All projects"),
    "Tabel 2.2 Beide typen": ("Tabel 2.2 Beide typen", "Table 2.2 Both types"),
    "Tabel 2.3 O&O-fonds": ("Tabel 2.3 O&O-fonds", "Table 2.3 O&O funds"),
    # pilot: the kinds of constraint and the definitions of uptake (pilot.outcomes); a study's
    # own codes (statuses, services, sectors) and the sources and facts of its published-numbers
    # table are labelled in its study file (``labels``)
    "hard": ("genoemd getal", "stated number"), "soft": ("lezing", "reading"),
}

# Groups of statuses named by the active study's own status labels, by their kind (review 7: the
# second study's models page used the first study's status words): code -> the kinds it joins.
OUTCOME_KINDS: dict[str, tuple[str, ...]] = {
    "work": ("work", "work_and_education"),
    "work_or_education": ("work", "work_and_education", "education"),
}
STUDY_WORDS: dict[str, tuple[str, ...]] = {"opleiding_bemiddeling": ("education", "in_progress")}
# the outflow categories of the models page's multinomial view (pilot.outcomes.outflow_groups);
# not labels of the catalogue, as "opleiding" is also the education predictor's code
OUTFLOW_KINDS: dict[str, tuple[str, ...]] = {"opleiding": ("education",), "bemiddeling": ("in_progress",)}


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() or len(text) == 1 else text


def _join_or(words: list[str], lang: str) -> str:
    word = "of" if lang == "nl" else "or"
    if len(words) <= 2:
        return f" {word} ".join(words)
    return f"{', '.join(words[:-1])}{',' if lang == 'en' else ''} {word} {words[-1]}"


def status_words(kinds: tuple[str, ...], lang: str, study=None) -> str:
    """The active study's statuses of ``kinds`` in words (its status labels joined: ``a of b``),
    in the study's order; the kinds themselves where a study has none of them."""
    study = study or active_study()
    codes = study.of_kind(*kinds)
    words = [_lower_first(study.label(c, lang) or str(c)) for c in codes] or [k.replace("_", " ") for k in kinds]
    return _join_or(words, lang)


def outcome_words(definition: str, lang: str, study=None) -> str:
    """An outcome definition (``work``, ``work_or_education``) in the active study's words."""
    return status_words(OUTCOME_KINDS[definition], lang, study)


def outflow_group_label(code: str, lang: str) -> str:
    """An outflow category of the multinomial view (``werk``, ``opleiding``, ``bemiddeling``,
    ``overig``) in the active study's words, as a table's column header."""
    if code in OUTFLOW_KINDS:
        words = status_words(OUTFLOW_KINDS[code], lang)
        return words[:1].upper() + words[1:]
    return label(code, lang)


def _study_label(code: str, lang: str) -> str | None:
    """The label of a group of statuses the catalogue names by the study's words."""
    if code in OUTCOME_KINDS:
        return outcome_words(code, lang)
    if code == "werk":
        return f"{'Werk' if lang == 'nl' else 'Work'} ({outcome_words('work', lang)})"
    if code in STUDY_WORDS:
        words = status_words(STUDY_WORDS[code], lang)
        return words[:1].upper() + words[1:]
    return None
for _t in range(1, 4):
    LABELS[str(_t)] = LABELS[f"triage_{_t}"]


def label(code: object, lang: str = "nl") -> str:
    """The label of ``code`` in ``lang``: the active study's own (its statuses, services,
    sectors and labels, which may reuse a code of the catalogue with its own meaning), else the
    catalogue's, else the code itself."""
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {lang!r}")
    own = active_study().label(code, lang)
    if own is not None:
        return own
    grouped = _study_label(str(code), lang)
    if grouped is not None:
        return grouped
    pair = LABELS.get(str(code))
    return pair[LANGUAGES.index(lang)] if pair is not None else str(code)


def has_label(code: object) -> bool:
    """Whether ``code`` is a code of the catalogue or of the active study's file."""
    return str(code) in LABELS or str(code) in OUTCOME_KINDS or str(code) in STUDY_WORDS or str(code) == "werk" \
        or active_study().label(code, "nl") is not None


def labels(codes: Iterable[object], lang: str = "nl") -> list[str]:
    return [label(c, lang) for c in codes]


def relabel(df: pd.DataFrame, lang: str = "nl", index: bool = True, columns: bool = True) -> pd.DataFrame:
    """A copy of ``df`` with index values and column names translated."""
    out = df.copy()
    if index:
        out.index = pd.Index(labels(out.index, lang), name=label(out.index.name, lang) if out.index.name else None)
    if columns:
        out.columns = labels(out.columns, lang)
    return out
