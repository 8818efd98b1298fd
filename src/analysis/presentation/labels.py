"""Report labels: Dutch as in the reports, English as the alternative.

``label(code, lang)`` translates one code; ``LANGUAGES`` lists what is available. A code
without a translation is shown as itself, so a new category in real data never breaks a
table (it appears untranslated, which a reviewer will notice).
"""

from __future__ import annotations

from typing import Iterable

import pandas as pd

LANGUAGES = ("nl", "en")

LABELS: dict[str, tuple[str, str]] = {
    # outflow status (Figuur 12)
    "nieuwe_baan": ("Nieuwe baan", "New job"),
    "werk_en_scholing": ("Werk en scholing", "Work and education"),
    "opleiding": ("Gestart met opleiding", "Started education"),
    "oude_werkgever": ("Bij oude werkgever gebleven", "Stayed with old employer"),
    "in_bemiddeling": ("In bemiddeling", "In mediation"),
    "gestopt": ("Gestopt", "Stopped"),
    "niet_gestart": ("Niet gestart", "Did not start"),
    # education
    "laag": ("Laag", "Low"), "middelbaar": ("Middelbaar", "Intermediate"), "hoog": ("Hoog", "High"),
    # function type (Figuur 9)
    "staf": ("Stafmedewerkers", "Staff functions"), "uitvoerend": ("Uitvoerende medewerkers", "Operational staff"),
    # triage (Figuur 10)
    "triage_1": ("Triage 1", "Triage 1"), "triage_2": ("Triage 2", "Triage 2"), "triage_3": ("Triage 3", "Triage 3"),
    "geen_triage": ("Geen triage", "Not triaged"),
    # services (Figuur 11)
    "dv_coaching": ("Coaching casemanager", "Coaching by case manager"),
    "dv_talentenscan": ("Talentenscan", "Talent scan"),
    "dv_loopbaantest": ("Loopbaan- en interessetest", "Career and interest test"),
    "dv_rouwverwerking": ("Rouwverwerking", "Grief counselling"),
    "dv_social_media": ("Social-mediacursus (LinkedIn)", "Social media course (LinkedIn)"),
    "dv_zzp_ondersteuning": ("Ondersteuning starten als zzp'er", "Support to start as self-employed"),
    "dv_sollicitatietraining": ("Sollicitatietraining", "Job application training"),
    "dv_videopitch": ("Videopitch", "Video pitch"),
    "dv_team_match": ("Team Match UWV (vacatures)", "UWV Team Match (vacancies)"),
    # sectors (Figuur 13)
    "horeca_catering": ("Zelfde sector (horeca/catering)", "Same sector (hospitality/catering)"),
    "zorg": ("Zorg", "Care"), "onderwijs": ("Onderwijs", "Education"), "techniek": ("Techniek", "Engineering"),
    "logistiek": ("Logistiek", "Logistics"), "detailhandel": ("Detailhandel", "Retail"),
    "schoonmaak": ("Schoonmaak", "Cleaning"), "overheid": ("Overheid", "Government"),
    "zakelijke_dienstverlening": ("Zakelijke dienstverlening", "Business services"),
    "overig": ("Overig", "Other"),
    # generic
    "totaal": ("Totaal", "Total"), "aantal": ("Aantal", "Count"), "percentage": ("Percentage", "Percentage"),
    "onderdrukt": ("x = onderdrukt (< {k})", "x = suppressed (< {k})"),
    "leeftijd": ("Leeftijd", "Age"), "opleidingsniveau": ("Opleidingsniveau", "Education level"),
    "dienstjaren": ("Dienstjaren", "Years of service"), "functietype": ("Functie", "Function"),
    "triage": ("Triagepad", "Triage path"), "dienstverlening": ("Dienstverlening", "Service"),
    "uitstroom": ("Uitstroom", "Outflow"), "sector": ("Sector", "Sector"),
    "synthetisch": ("SYNTHETISCHE DATA", "SYNTHETIC DATA"),
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
    "ronde": ("Ronde", "Round"), "ronde_1": ("Eerste ronde", "First round"), "ronde_2": ("Tweede ronde", "Second round"),
    "maand_beschikking": ("Maand van beschikking", "Month of grant decision"),
    # DWSRA: budget per round, decision times, financial progress (paragraaf 2.1, 2.2, 4.2)
    "dw_mln": ("DW (mln €)", "DW (€ mln)"), "sra_mln": ("SRA (mln €)", "SRA (€ mln)"),
    "total_mln": ("Totaal (mln €)", "Total (€ mln)"), "dw_pct": ("Aandeel DW %", "DW share %"),
    "decision_days": ("Dagen aanvraag-beschikking (rapport)", "Days application to decision (report)"),
    "register_from": ("Register: minimaal", "Register: at least"), "register_to": ("Register: maximaal", "Register: at most"),
    "item": ("Onderdeel", "Item"), "unit": ("Eenheid", "Unit"), "value": ("Waarde", "Value"),
    "voortgangsrapportages": ("Ingediende voortgangsrapportages", "Progress reports submitted"),
    "gerealiseerd_totaal": ("Gerealiseerde kosten, alle projecten (%)", "Costs realised, all projects (%)"),
    "gerealiseerd_ronde_1": ("Gerealiseerd, eerste ronde (%)", "Realised, first round (%)"),
    "verwacht_ronde_1": ("Verwacht bij gelijkmatige spreiding, eerste ronde (%)", "Expected at an even spread, first round (%)"),
    "gerealiseerd_ronde_2": ("Gerealiseerd, tweede ronde (%)", "Realised, second round (%)"),
    "verwacht_ronde_2": ("Verwacht bij gelijkmatige spreiding, tweede ronde (%)", "Expected at an even spread, second round (%)"),
    "minder_kosten_projecten": ("Projecten die minder kosten verwachten", "Projects expecting lower costs"),
    "minder_kosten_mln": ("Minder kosten (mln €, circa)", "Lower costs (€ mln, about)"),
    "minder_subsidie_mln": ("Lagere subsidie (mln €, circa)", "Lower subsidy (€ mln, about)"),
    "maximale_toekenning_mln": ("Maximale toekenning (mln €)", "Maximum granted (€ mln)"),
    "meer_kosten_projecten": ("Projecten die hogere kosten verwachten (ten minste)", "Projects expecting higher costs (at least)"),
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
}
for _t in range(1, 4):
    LABELS[str(_t)] = LABELS[f"triage_{_t}"]


def label(code: object, lang: str = "nl") -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {lang!r}")
    pair = LABELS.get(str(code))
    return str(code) if pair is None else pair[LANGUAGES.index(lang)]


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
