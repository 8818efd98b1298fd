"""Titles of the reports' tables and figures, and the source lines under figures: the
catalogue beside :mod:`analysis.presentation.labels` (Dutch as printed in the reports,
English as the alternative). ``dwsra.tables.title`` is a thin call into this module.

A pilot's numbered tables and figures are not written here: they are declared once, as
data, in the study's exhibits file (:mod:`analysis.study.exhibits`; number, kind, titles,
dated or not); :func:`title` and :func:`number` read the active study's declaration, and a
pilot chapter's page title is the study's name and the chapter's declared words. The
DWSRA report's numbered exhibits keep their number apart from their title here
(:data:`DWSRA_NUMBERED`), so no number is ever parsed out of a title.
"""

from __future__ import annotations

from analysis.presentation import formats
from analysis.study import Exhibit, active_study, load_study

# The titles of the DWSRA report's pages (a pilot's chapter titles are its study's name and
# the chapter's words in its exhibits declaration: studies/<exhibits file>, ``chapters``).
DWSRA_REPORT_TITLES = {
    "01_dwsra_portfolio": ("Evaluatie DWSRA 2018: het projectenportfolio",
                           "DWSRA interim evaluation 2018: the project portfolio"),
}

# The DWSRA report's numbered tables and figures: key -> (kind, number, Dutch title, English
# title), printed "Tabel 2.1 <title>" as the report does. The project's own exhibits are numbered
# apart from the report's, by the appendix that shows them: A.1-C.2 the checks, D.1-D.6 the register's
# recounts of the report's tables, E.1-E.7 the numbers of the report's text recomputed (from the register
# or the text; review 12: these stood as R.1-R.7 between the report's tables, now after them).
DWSRA_NUMBERED: dict[str, tuple[str, str, str, str]] = {
    "tabel_2_1": ("table", "2.1", "Ontvangen en toegekende subsidieaanvragen DWSRA",
                  "DWSRA applications received and granted"),
    "tabel_2_2": ("table", "2.2", "DWSRA projecten in uitvoering naar type activiteiten (april 2018; bedragen in "
                  "mln. Euro)",
                  "Running DWSRA projects by type of activity (April 2018; € mln)"),
    "tabel_2_3": ("table", "2.3", "Lopende DWSRA projecten naar type aanvrager (bedragen in mln. Euro)",
                  "Running DWSRA projects by type of applicant (€ mln)"),
    "tabel_2_4": ("table", "2.4", "Aantal lopende projecten per type activiteit",
                  "Running projects per activity type"),
    "tabel_3_1": ("table", "3.1", "Bron en inhoud van probleemanalyse",
                  "Source and content of the problem analysis"),
    "tabel_3_2": ("table", "3.2", "Regionale spreiding van DWSRA projecten",
                  "Regional spread of DWSRA projects"),
    "tabel_3_3": ("table", "3.3", "Sectorale spreiding DWSRA projecten",
                  "Sectoral spread of DWSRA projects"),
    "tabel_3_4": ("table", "3.4", "Projecten waarin digitale producten worden ontwikkeld",
                  "Projects developing digital products"),
    "tabel_3_4_register": ("table", "E.5", "Projecten waarvan de beschrijving een digitaal product noemt "
                           "(register, naast Tabel 3.4)",
                           "Projects whose description names a digital product (register, next to Table 3.4)"),
    # Appendix D ("Controle"): the register's recounts of the report's tables, numbered apart from them
    # (review of issue 26: the recounts stood under the report's numbers; the report's tables now show
    # as printed, dwsra.tables.report_table; Tabel 2.1 and 2.2 too since review 12)
    "tabel_2_1_register": ("table", "D.1", "Lopende projecten per ronde uit het register, naast Tabel 2.1 (de ronde "
                           "afgeleid uit de projectcode)",
                           "Running projects per round from the register, next to Table 2.1 (the round inferred from "
                           "the project code)"),
    "tabel_2_2_register": ("table", "D.2", "Hertelling van Tabel 2.2 uit het register: lopende projecten naar type "
                           "activiteiten (bedragen in mln. Euro)",
                           "Table 2.2 recounted from the register: running projects by type of activity (€ mln)"),
    "tabel_2_3_register": ("table", "D.3", "Hertelling van Tabel 2.3 uit het register: lopende projecten naar type "
                           "aanvrager (bedragen in mln. Euro)",
                           "Table 2.3 recounted from the register: running projects by type of applicant (€ mln)"),
    "tabel_2_4_register": ("table", "D.4", "Hertelling van Tabel 2.4 uit het register (eigen codering): aantal "
                           "lopende projecten per type activiteit",
                           "Table 2.4 recounted from the register (own coding): running projects per activity type"),
    "tabel_3_2_register": ("table", "D.5", "Hertelling van Tabel 3.2 uit het register (eigen codering): regionale "
                           "spreiding van DWSRA projecten",
                           "Table 3.2 recounted from the register (own coding): regional spread of DWSRA projects"),
    "tabel_3_3_register": ("table", "D.6", "Hertelling van Tabel 3.3 uit het register (eigen codering): sectorale "
                           "spreiding van DWSRA projecten",
                           "Table 3.3 recounted from the register (own coding): sectoral spread of DWSRA projects"),
    # Appendix E: the page's own tables of the report's text, E.1 to E.7 in the page's order (review 8: six had
    # no number; review 12: after the report's tables, not between them)
    "budget_per_ronde": ("table", "E.1", "Budget per aanvraagronde en verdeling DW/SRA (mln. Euro; paragraaf 2.1)",
                         "Budget per application round and its DW/SRA split (€ mln; section 2.1)"),
    "behandelduur": ("table", "E.2", "Gemiddelde periode tussen aanvraag en beschikking per ronde (kalenderdagen; "
                     "paragraaf 2.2)", "Mean days between application and grant decision by round (section 2.2)"),
    "plafond_overschrijding": ("table", "E.3", "Projecten boven het subsidieplafond van 60% (regeling; paragraaf 1.2)",
                               "Projects above the 60% subsidy ceiling (regulation; section 1.2)"),
    "plafond_totalen": ("table", "E.4", "Maximale subsidie als % van de subsidiabele kosten, met en zonder de "
                        "overschrijding",
                        "Maximum subsidy as % of the subsidisable costs, with and without the excess"),
    "financiele_voortgang": ("table", "E.6", "Financiële voortgang volgens de voortgangsrapportages (paragraaf 4.2)",
                             "Financial progress according to the progress reports (section 4.2)"),
    "verwachte_besteding": ("table", "E.7", "Verwachte besteding bij gelijkmatige spreiding volgens het register (%)",
                            "Expected spending at an even spread according to the register (%)"),
    # the appendices' tables, numbered by their appendix (review 8: unnumbered, captioned only)
    "published_vs_pipeline": ("table", "A.1", "Gepubliceerde cellen naast de herberekende, naar uitkomst",
                              "Published cells next to the recomputed ones, by outcome"),
    "report_arithmetic": ("table", "B.1", "Gedrukte getallen die niet passen bij de andere gedrukte getallen",
                          "Printed numbers that do not fit the other printed numbers"),
    "sweep_coverage": ("table", "C.1", "Gedrukte getallen naar de manier waarop ze verantwoord zijn",
                       "Printed numbers by how they are accounted for"),
    "report_inconsistencies": ("table", "C.2", "Alle gevonden inconsistenties in het rapport",
                               "Every inconsistency found in the report"),
    "tabel_4_1": ("table", "4.1", "Aandachtspunten in de uitvoering",
                  "Points of attention in implementation"),
    "tabel_4_2": ("table", "4.2", "Succesfactoren in de uitvoering van DWSRA-projecten",
                  "Success factors in implementing DWSRA projects"),
    "figuur_2_1": ("figure", "2.1", "Maand van afgeven subsidiebeschikking (eerste en tweede ronde aanvragen)",
                   "Month of the grant decision (first- and second-round applications)"),
    "figuur_3_1": ("figure", "3.1", "Gehanteerde probleemanalyse (alle projecten)",
                   "Problem analysis used (all projects)"),
    "figuur_4_1": ("figure", "4.1", "Uitdagingen genoemd bij DWSRA-projecten (alle projecten)",
                   "Challenges named in DWSRA projects (all projects)"),
    "figuur_4_2": ("figure", "4.2", "Succesfactoren bij DWSRA-projecten (alle projecten)",
                   "Success factors in DWSRA projects (all projects)"),
}
SOURCES: dict[str, tuple[str, str]] = {
    # every study's figures (the page names the study): no pilot's name in a source line
    "pilot": ("Bron: deelnemersadministratie van de casemanagers van de pilot; bewerking",
              "Source: the pilot's case-management participant administration; own calculations"),
    "pilot_synthetic": ("Bron: synthetisch deelnemersbestand (geen echte personen)",
                        "Source: synthetic participant file (no real persons)"),
    "dwsra_register": ("Bron: DWSRA-projectregister (lopende projecten, april 2018); eigen codering",
                       "Source: DWSRA project register (running projects, April 2018); own coding"),
    "dwsra_applications": ("Bron: Ecorys (2018), Evaluatie DWSRA: tussenrapportage, Tabel 2.1 (de aanvragen per ronde)",
                           "Source: Ecorys (2018), DWSRA interim evaluation, Table 2.1 (the applications per round)"),
    "dwsra_report": ("Bron: Ecorys (2018), Evaluatie DWSRA: tussenrapportage (tekst); controle met het "
                     "DWSRA-projectregister",
                     "Source: Ecorys (2018), DWSRA interim evaluation (text); checked against the DWSRA project "
                     "register"),
    "dwsra_printed": ("Bron: Ecorys (2018), Evaluatie DWSRA: tussenrapportage; de tabel zoals het rapport haar drukt",
                      "Source: Ecorys (2018), DWSRA interim evaluation; the table as the report prints it"),
    "dwsra_interviews": ("Bron: Ecorys (2018), Evaluatie DWSRA: tussenrapportage; interviews en projectplannen",
                         "Source: Ecorys (2018), DWSRA interim evaluation; interviews and project plans"),
}

# The report's own key to a table's abbreviations, under its table as the report prints it (Tabel 2.1:
# "O: Ontvangen; T: Toegekend."); a page shows it before the source line (review 8: the letters unexplained).
REPORT_KEYS: dict[str, tuple[str, str]] = {
    "tabel_2_1": ("O: ontvangen; T: toegekend. T/O %: het toegekende deel van de ontvangen aanvragen",
                  # the English headers spell the letters out; the key says what the report's letters were
                  "The report's O and T are received (ontvangen) and granted (toegekend) applications"),
    # Tabel 2.1's register columns (Bijlage D): beside the granted ones of Tabel 2.1
    "tabel_2_1_register": ("T: toegekend (Tabel 2.1); toegekend min lopend is ingetrokken of gestopt",
                           "Granted as in Table 2.1; granted less running is withdrawn or stopped"),
}

CAPTIONS: dict[str, tuple[str, str]] = {
    # captions of the tables a page shows that are not report tables ({number}: the report table)
    "dwsra_differences": ("Bij {number}: gepubliceerde cellen naast de herberekende, met de reden van elk verschil",
                          "On {number}: published cells next to the recomputed ones, with the reason for each "
                          "difference"),
    "dwsra_status_counts": ("Gepubliceerde cellen naar uitkomst van de vergelijking",
                            "Published cells by outcome of the comparison"),
    "dwsra_not_reproduced": ("Gepubliceerde cellen die de herberekening niet reproduceert; de noten onder de "
                             "tabel geven de reden",
                             "Published cells the recomputation does not reproduce; the notes below the table give "
                             "the reason"),
    "pilot_constraints": ("Uitkomst van elke controle tegen de gepubliceerde feiten, bepaald op het "
                          "deelnemersbestand vóór bescherming (alleen de uitkomst, geen aantal)",
                          "Outcome of each check against the published facts, determined on the participant file "
                          "before protection (the outcome only, no count)"),
    "pilot_comparison": ("Aantallen uit de tekst van het rapport naast de herberekende",
                         "Counts in the report's text next to the recomputed ones"),
    "models_published_rates": ("De twee percentages van het rapport onder beide definities van uitstroom",
                               "The report's two rates under both definitions of outflow"),
    "models_fitted": ("Gemiddelde voorspelde kans in %, met en zonder correctie van het intercept (FLIC)",
                      "Mean fitted probability in %, with and without the intercept correction (FLIC)"),
    "models_rates": ("Uitstroom naar werk per groep, met 95%-interval volgens Wilson",
                     "Outflow to work by group, with Wilson 95% interval"),
    "models_separation": ("Scheiding per term: bestaat de gewone schatting (zonder correctie)?",
                          "Separation by term: does the ordinary (uncorrected) estimate exist?"),
    # the models the table shows: a model that cannot be estimated is left out and said under the table
    "models_coefficients": ("Coëfficiënten van de modellen die te schatten waren",
                            "Coefficients of the models that could be estimated"),
    "models_methods": ("Interval en toets per model", "Interval and test by model"),
    "models_ame": ("Gemiddelde marginale effecten (Firth-model, gecorrigeerd intercept), in procentpunten uitstroom",
                   "Average marginal effects (Firth model, corrected intercept), in percentage points of outflow"),
    "models_exact_tests": ("Exacte toetsen per niveau tegen de rest", "Exact tests of each level against the rest"),
    "models_shares": ("Uitstroomcategorieën per groep (% van de groep)",
                      "Outflow categories by group (% of the group)"),
    "models_power": ("Onderscheidend vermogen in % naar programmagrootte (rijen) en odds ratio (kolommen)",
                     "Power in % by programme size (rows) and odds ratio (columns)"),
    "models_mde": ("Kleinste aantoonbare odds ratio (bij 80% onderscheidend vermogen) naar programmagrootte",
                   "Minimum detectable odds ratio (at 80% power) by programme size"),
}

SENTENCES: dict[str, tuple[str, str]] = {
    # sentences code cells print, as templates ({date}: written as the language writes dates)
    # said as a reader's sentence, the threshold by the colophon's and the landing page's name (sixth reviewer)
    "pilot_loaded": ("Deze pagina telt **{n} deelnemers** ({kind}), stand per {date}; drempel voor kleine aantallen: "
                     "{k}.",
                     "This page counts **{n} participants** ({kind}), as of {date}; threshold for small numbers: {k}."),
    "synthetic_data": ("**synthetische gegevens**", "**synthetic data**"),
    # on synthetic data at a threshold above 1 (review 9: the 16 April page said its counts were protected
    # together with the other status dates while the 1 April page of the same file shows every count at threshold 1)
    "synthetic_threshold": ("Deze gegevens zijn synthetisch. Een pagina met synthetische gegevens mag een lagere "
                            "drempel gebruiken, tot 1, om de aantallen van het rapport te tonen; een aantal dat deze "
                            "pagina als x toont, kan dan op een andere pagina van hetzelfde bestand wel staan. Deze "
                            "pagina laat zien hoe de bescherming er bij echte gegevens uitziet (drempel {k}).",
                            "These data are synthetic. A page of synthetic data may use a lower threshold, down to "
                            "1, to show the report's counts; a count this page shows as x may then appear on another "
                            "page of the same file. This page shows what protection looks like on real data "
                            "(threshold {k})."),
    "real_data": ("echte administratie", "real administration"),
    "constraints_met": ("{met} van {total} controles gehaald", "{met} of {total} checks passed"),
    # pilot and models
    "constraints_real_data": (
        "De controles noemen aantallen uit de gegevens in woorden en staan daarom alleen bij synthetische gegevens "
        "op de pagina; op de echte administratie worden ze binnen de beveiligde omgeving uitgevoerd (zie "
        "Opnieuw uitvoeren).",
        "The checks state counts of the data in words and are therefore shown for synthetic data only; on the "
        "real administration they are run inside the secure environment (see How to rerun)."),
    "synthetic_plain": ("synthetische gegevens", "synthetic data"),
    "models_run": ("**Uitkomst:** {outcome}.  \n**Voorspellers:** {predictors}.  \n**Gegevens:** {data}, {n} "
                   "deelnemers.",
                   "**Outcome:** {outcome}.  \n**Predictors:** {predictors}.  \n**Data:** {data}, {n} participants."),
    "models_outcome": ("{definition} op {date}, onder {population}: {events} van {n} ({pct}%)",
                       "{definition} on {date}, among {population}: {events} of {n} ({pct}%)"),
    "models_outcome_withheld": ("{definition} op {date}, onder {population}: aantallen achtergehouden "
                                "(statistische beveiliging)",
                                "{definition} on {date}, among {population}: counts withheld (disclosure control)"),
    "population_stayed": ("de deelnemers die in de pilot bleven", "the participants who stayed in the pilot"),
    "population_all": ("alle ingestroomde deelnemers", "all enrolled participants"),
    "models_published_rates_intro": (
        "Onder de deelnemers die in de pilot bleven; *Gebruikte definitie* is de definitie die het gepubliceerde "
        "getal nodig heeft.",
        "Among the participants who stayed in the pilot; *Definition used* is the definition the published "
        "number needs."),
    "models_rates_withheld": ("Niet getoond bij deze onthullingsdrempel: de percentages noemen aantallen uit de "
                              "gegevens.",
                              "Not shown at this disclosure threshold: the rates state counts of the data."),
    "models_separation_found": (
        "**Scheiding gevonden**: de gewone logit wordt voor deze specificatie niet gerapporteerd; de gecorrigeerde "
        "logit (met de correctie van Firth voor kleine aantallen) geeft eindige schattingen met minder vertekening.",
        "**Separation detected**: the ordinary logit is not reported for this specification; the corrected "
        "logit (with Firth's small-sample correction) gives finite, bias-reduced estimates."),
    "models_no_separation": ("Geen scheiding: de schattingen van zowel de gewone als de gecorrigeerde logit "
                             "(Firth) staan in de tabel.",
                             "No separation: the estimates of both the ordinary and the corrected logit "
                             "(Firth) are shown."),
    "models_flic": (
        "**Correctie van het intercept (FLIC).** De correctie van Firth voor kleine aantallen werkt als een straf "
        "op extreme schattingen (in de literatuur: penalisering) en trekt daardoor ook de voorspelde kansen naar "
        "50%. FLIC (Firth-logit met correctie van het intercept) houdt de odds ratio's van Firth en schat alleen "
        "het intercept opnieuw, zodat de gemiddelde voorspelde kans gelijk is aan het waargenomen aandeel. De "
        "marginale effecten hieronder gebruiken dit gecorrigeerde intercept.",
        "**Intercept correction (FLIC).** Firth's correction for small samples works as a penalty on extreme "
        "estimates and therefore also pulls the fitted probabilities towards 50%. FLIC (Firth's logit with an "
        "intercept correction) keeps the Firth odds ratios and re-estimates only the intercept, so that the mean "
        "fitted probability equals the observed share. The marginal effects below use this corrected intercept."),
    "models_ame_intro": ("Een gemiddeld marginaal effect is het verschil in voorspelde kans op uitstroom naar werk "
                         "tussen een niveau en zijn referentiegroep, in procentpunten, gemiddeld over de deelnemers "
                         "(met het gecorrigeerde intercept).",
                         "An average marginal effect is the difference in the predicted probability of outflow to "
                         "work between a level and its reference group, in percentage points, averaged over the "
                         "participants (with the corrected intercept)."),
    "models_multinomial": ("**{group}**: {note}", "**{group}**: {note}"),
    # DWSRA
    "dwsra_loaded": ("Het projectregister telt **{n} lopende projecten** ({dw} met een DW-code, {sra} met een "
                     "SRA-code), met samen € {amount} aan maximale subsidie.",
                     "The project register holds **{n} running projects** ({dw} with a DW code, {sra} with an SRA "
                     "code), with a maximum subsidy of €{amount} in total."),
    "dwsra_round2_apr_jun": ("Beschikkingen van de tweede ronde in april-juni 2017: **{k} van {n}**.",
                             "Second-round decisions in April-June 2017: **{k} of {n}**."),
    "dwsra_means_within": ("Beide gedrukte gemiddelden liggen binnen de grenzen die het register stelt.",
                           "Both printed means lie within the bounds the register sets."),
    "dwsra_mean_outside": ("**Een gedrukt gemiddelde ligt buiten de grenzen die het register stelt.**",
                           "**A printed mean lies outside the bounds the register sets.**"),
    "dwsra_claims_checked": ("{n} beweringen gecontroleerd, **{k} inconsistent**:",
                             "{n} claims checked, **{k} inconsistent**:"),
    # the table above it counts the numbers per class: register + totals file + other printed numbers = {accounted}
    "dwsra_sweep": ("{n} gedrukte getallen; {accounted} verantwoord uit het register, een bestand met totalen of "
                    "andere gedrukte getallen (de eerste drie kolommen hierboven). Daarvan zijn er {checked} "
                    "automatisch nagerekend, waarvan {k} afwijken, elk vastgelegd als bevinding; de andere "
                    "{explained} zijn in woorden verantwoord (zoals een datum die alleen een berekening begrenst, of "
                    "hetzelfde getal eerder op de regel). Bevindingen zonder berekenbare grondslag (een verkeerde "
                    "verwijzing, een figuur tegen de eigen tabel) zijn met de hand vastgelegd.",
                    "{n} printed numbers; {accounted} accounted for by the register, a file of totals or other printed "
                    "numbers (the first three columns above). Of these, {checked} are recomputed automatically, {k} "
                    "of which disagree, each recorded as a finding; the other {explained} are accounted for in words "
                    "(such as a date that only bounds a computation, or the same number earlier on the line). "
                    "Findings without a computable basis (a wrong reference, a figure against its table) are "
                    "recorded by hand."),
    "dwsra_inconsistencies": ("**{n} inconsistenties**:", "**{n} inconsistencies**:"),
    "dwsra_findings": ("Van de **{n} getallen** die het rapport in zijn tabellen en lopende tekst afdrukt, "
                       "reproduceert de herberekening uit het projectregister en de bestanden met totalen er "
                       "**{reproduced}**; {differs} wijken af "
                       "en {not_computable} zijn niet te berekenen uit de openbare gegevens. Niet volledig te "
                       "reproduceren zijn {tables} (welke cellen en waarom: Bijlage A), en {text_cells} getallen uit "
                       "de lopende tekst ({text_differs} wijken af, {text_open} zijn niet te berekenen). Elk verschil "
                       "heeft een reden (Bijlage A); het rapport bevat "
                       "daarnaast {inconsistencies} eigen inconsistenties (Bijlage B en C).",
                       "Of the **{n} numbers** the report prints in its tables and running text, the recomputation "
                       "from the project register and the aggregate files reproduces **{reproduced}**; "
                       "{differs} differ and "
                       "{not_computable} cannot be computed from the public data. Not fully reproducible are "
                       "{tables} (which cells and why: Appendix A), and {text_cells} numbers in the running text "
                       "({text_differs} differ, {text_open} cannot be computed). Every difference has a reason "
                       "(Appendix A); the report also contains "
                       "{inconsistencies} inconsistencies of its own (Appendices B and C)."),
    # the report's own slips, in the chapter's summary (the sixth reviewer: the summary was bookkeeping only)
    "dwsra_own_slips": ("Het rapport rekent op enkele plaatsen anders dan zijn eigen getallen: {which}. "
                        "{ceiling} gedrukte bedragen liggen boven wat het subsidieplafond van de regeling (60% van de "
                        "kosten) toelaat (Bijlage C).",
                        "In a few places the report computes otherwise than its own numbers: {which}. {ceiling} "
                        "printed amounts lie above what the regulation's subsidy ceiling (60% of the costs) allows "
                        "(Appendix C)."),
    "dwsra_notes": ("Noten bij de tabel", "Notes to the table"),
}

_AS_OF = ("stand per", "as of")
_WORDS = {"table": ("Tabel", "Table"), "figure": ("Figuur", "Figure")}


def _dwsra_titles() -> dict[str, tuple[str, str]]:
    out = {k: tuple(f"{w} {number} {text}" for w, text in zip(_WORDS[kind], (nl, en), strict=True))
           for k, (kind, number, nl, en) in DWSRA_NUMBERED.items()}
    return out


def _declared(study=None) -> dict[str, Exhibit]:
    exhibits = (study or active_study()).exhibits
    return {e.name: e for e in exhibits.items} if exhibits else {}


def _chapter_titles(study) -> dict[str, tuple[str, str]]:
    chapters = study.exhibits.chapters if study.exhibits else {}
    return {stem: tuple(f"{study.short_name[i]}: {words[i]}" for i in (0, 1)) for stem, words in chapters.items()}


# Every title of the catalogue: the DWSRA report's and the default study's declared exhibits
# (the landing page matches a page's headings against these; a run of another study reads its
# own declaration through title()).
TITLES: dict[str, tuple[str, str]] = {**_dwsra_titles(),
                                      **{k: (e.full_title("nl"), e.full_title("en"))
                                         for k, e in _declared(load_study()).items()}}
# Page titles: the DWSRA report's, and each chapter of the default study (see report_title()).
REPORT_TITLES: dict[str, tuple[str, str]] = {**DWSRA_REPORT_TITLES, **_chapter_titles(load_study())}


def _pick(pair: tuple[str, str], lang: str) -> str:
    if lang not in ("nl", "en"):
        raise ValueError(f"language must be 'nl' or 'en', got {lang!r}")
    return pair[0] if lang == "nl" else pair[1]


def title(name: str, lang: str = "nl", cutoff: str | None = None) -> str:
    """The title of table or figure ``name`` (the active study's declared exhibit, or the
    DWSRA catalogue's); with ``cutoff`` the status date is added (``, stand per 1 april 2021``)."""
    declared = _declared().get(name)
    text = declared.full_title(lang) if declared else _pick(_dwsra_titles()[name], lang)
    if cutoff:
        text += f", {_pick(_AS_OF, lang)} {formats.long_date(cutoff, lang)}"
    return text


def exhibit_title(exhibit: Exhibit, lang: str = "nl", cutoff: str | None = None) -> str:
    """A declared exhibit's title; the run's ``cutoff`` is added when the exhibit is dated."""
    text = exhibit.full_title(lang)
    if exhibit.dated and cutoff:
        text += f", {_pick(_AS_OF, lang)} {formats.long_date(cutoff, lang)}"
    return text


def number(name: str, lang: str = "nl") -> str:
    """``Tabel 2.1`` / ``Figure 7``: the declared kind and number of exhibit ``name``."""
    declared = _declared().get(name)
    if declared:
        return declared.label(lang)
    if name not in DWSRA_NUMBERED:
        raise KeyError(f"{name} is not a numbered exhibit (declare it with a number)")
    kind, no, *_ = DWSRA_NUMBERED[name]
    return f"{_pick(_WORDS[kind], lang)} {no}"


# The participants page's appendix tables: the project's own, numbered by their appendix's letter
# (review 8: they were numbered as the appendix's sections, "A.1 Overeenstemming ...", where a report
# numbers tables). Written whole as the page's heading (``run.heading``) and the landing page's title.
APPENDIX_TABLES: dict[str, tuple[str, str]] = {
    "pilot_constraints": ("Tabel A.1. Overeenstemming met de gepubliceerde feiten",
                          "Table A.1. Consistency with the published facts"),
    "pilot_published_vs_pipeline": ("Tabel A.2. Gepubliceerde aantallen naast de herberekende",
                                    "Table A.2. Published counts next to the recomputed ones"),
}


def appendix_heading(key: str, lang: str = "nl") -> str:
    """The heading of an appendix table of the participants page: ``Tabel A.1. Overeenstemming ...``."""
    return _pick(APPENDIX_TABLES[key], lang)


def caption(key: str, lang: str = "nl", **fields: str) -> str:
    return _pick(CAPTIONS[key], lang).format(**fields)


def sentence(key: str, lang: str = "nl", date: str | None = None, **fields: object) -> str:
    """A sentence of the catalogue with its fields filled in; ``date`` (ISO) is written as
    the language writes dates."""
    if date is not None:
        fields["date"] = formats.long_date(date, lang)
    return _pick(SENTENCES[key], lang).format(**fields)


def source(key: str, lang: str = "nl") -> str:
    return _pick(SOURCES[key], lang)


def table_note(table: str, source_key: str, lang: str = "nl") -> str:
    """A report table's caption: the report's key to its abbreviations (:data:`REPORT_KEYS`), if it
    has one, then its source line."""
    key = REPORT_KEYS.get(table)
    return f"{_pick(key, lang)}. {source(source_key, lang)}" if key else source(source_key, lang)


def report_title(notebook_stem: str, lang: str = "nl") -> str:
    """A page's title: the DWSRA report's, or the active study's (short) name and the
    chapter's declared words (``<study>: de deelnemers``)."""
    if notebook_stem in DWSRA_REPORT_TITLES:
        return _pick(DWSRA_REPORT_TITLES[notebook_stem], lang)
    return _pick(_chapter_titles(active_study())[notebook_stem], lang)
