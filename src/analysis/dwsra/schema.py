"""Schemas of the DWSRA raw files (interim evaluation, Ecorys 2018).

Four raw files, each validated on load and documented in the generated codebook
(``data/raw/README.md``):

- :data:`REGISTER`: one row per running project (47), curated from the report's appendices
  and chapter 5, with the line of the source text for every value taken from it;
- :data:`APPLICATIONS`: Tabel 2.1's applications received and granted by round, which no
  per-project file can rebuild (the 34 rejected and 3 withdrawn/stopped projects are not
  described anywhere);
- :data:`INTERVIEW_COUNTS`: the interview-coded counts of Tabel 3.1, 3.4, 4.1 and 4.2 (the
  per-project coding is not published);
- :data:`PUBLISHED_CELLS`: every published cell of the register-based tables and the text
  claims the notebook checks, as printed, with its line.

Two more files describe the report itself (:data:`REPORT_FILES`): :data:`REPORT_CLAIMS`, what
its printed numbers claim about each other, and :data:`PRINTED_NUMBERS`, the number sweep.

Line numbers refer to a plain-text export of Ecorys (2018), *Evaluatie DWSRA:
tussenrapportage*; the reference and the text's layout are in ``docs/dwsra_sources.md``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from analysis.data.loading import load_table
from analysis.data.spec import Column, RowRule, TableSpec

#: Flat rate for indirect costs on top of the direct costs (report, footnote 19).
INDIRECT_RATE = 0.15
#: Maximum co-financing as a share of the subsidisable costs (direct + 15% indirect): "tot
#: maximaal 60 procent van de gemaakte kosten" (section 1.2, line 804). Every project's
#: "Maximale cofinanciering SZW" equals 0.60 x 1.15 x direct costs to within a few euros,
#: except 2016SRA20111 (0.79 x direct costs; flagged).
SUBSIDY_RATE = 0.60
#: Euros a printed maximum may exceed the computed ceiling (the printed amounts deviate by
#: up to EUR 7 from 0.69 x direct, e.g. 2016SRA20123).
CEILING_TOLERANCE_EUR = 10.0
#: Co-financing available over both rounds: 2 x EUR 18.75 mln (section 2.1, line 971; the
#: text's EUR 37.5 mln, line 1003).
AVAILABLE_BUDGET_MLN = 2 * 18.75
#: The two application windows (section 2.1, lines 910-912): round -> (opening, closing).
APPLICATION_WINDOWS = {1: ("2016-07-15", "2016-09-30"), 2: ("2016-11-28", "2016-12-23")}
#: The extended end date for round-2 projects and round-1 projects decided after 1 July 2017
#: (section 2.2, line 1094 and footnote 17); the others end 31 December 2018 (line 824).
EXTENDED_END = "2019-06-30"
REGULAR_END = "2018-12-31"
EXTENSION_DECISION_AFTER = "2017-07-01"
#: Applications could be submitted from 15 July 2016; the report describes April 2018.
FIRST_SUBMISSION = date(2016, 7, 15)
REPORT_DATE = date(2018, 4, 30)

PROJECT_TYPES = ("DW", "SRA")
SOURCE_SECTIONS = ("bijlage_1", "bijlage_2", "bijlage_3", "hoofdstuk_5")
APPLICANT_TYPES = ("werknemersorganisatie", "werkgeversorganisatie", "oo_fonds", "onbekend")
APPLICANT_TYPE_BASES = ("stated", "implied_by_name", "outside_knowledge", "unknown")
ACTIVITY_GROUPS = ("alleen_dw", "alleen_sra", "beide")
ACTIVITY_TYPES = ("dw1", "dw2", "dw3", "sra1", "sra2", "sra3")
ROUNDS = (1, 2)
REGION_SCOPES = ("bovenregionaal", "interregionaal", "intraregionaal", "onbekend")
SECTOR_SCOPES = ("bovensectoraal", "intersectoraal", "intrasectoraal", "onbekend")
DIGITAL = ("ja", "mogelijk", "nee")
BUDGET_LABELS = ("directe_kosten", "budget_totaal")
CODE_PATTERN = r"^2016(DW|SRA)201\d{1,2}$"
LINE_MAX = 11603  # lines in the source text


def ceiling_eur(direct_costs: pd.Series) -> pd.Series:
    """The regulation's maximum co-financing for given direct costs."""
    return direct_costs * (1 + INDIRECT_RATE) * SUBSIDY_RATE


def _type_matches_code(df: pd.DataFrame) -> pd.Series:
    return df["project_code"].str.extract(r"^2016(DW|SRA)", expand=False) == df["project_type"]


def _subsidy_within_ceiling(df: pd.DataFrame) -> pd.Series:
    above = df["max_subsidy_eur"] > ceiling_eur(df["direct_costs_eur"]) + CEILING_TOLERANCE_EUR
    return (above == df["subsidy_above_ceiling"].astype(bool)).fillna(False)


def _subsidy_not_above_direct(df: pd.DataFrame) -> pd.Series:
    return df["max_subsidy_eur"] <= df["direct_costs_eur"] * (1 + INDIRECT_RATE)


def _end_after_start(df: pd.DataFrame) -> pd.Series:
    return df["end_date"] > df["start_date"]


def _some_activity(df: pd.DataFrame) -> pd.Series:
    return df[list(ACTIVITY_TYPES)].astype(bool).any(axis=1)


def _line(name: str, what: str, nullable: bool = False) -> Column:
    return Column(name, "int", f"Line of the source text holding {what}.", min=1, max=LINE_MAX,
                  nullable=nullable, source="source text")


REGISTER = TableSpec(
    name="dwsra_project_register",
    description=(
        "One row per DWSRA project running in April 2018 (47: 22 DW and 25 SRA codes). Built from "
        "the project descriptions in Bijlage 1-3 (44 codes) and chapter 5 (3 codes not in an "
        "appendix). Every copied value was checked against the line given in its `*_line` column; "
        "columns without a line are coding by the evaluators, with a `*_basis` column or the note "
        "in `dwsra_register_notes.md`. The 3 withdrawn or stopped projects are not described in "
        "the report and have no row."),
    columns=(
        Column("project_code", "str", "Project number of SZW (Projectnummer SZW).", unique=True,
               pattern=CODE_PATTERN, source="Algemene gegevens project"),
        Column("project_type", "category", "DW (dienstverlening werkzoekenden) or SRA (samenwerking en "
               "regie arbeidsmarkt): the dominant activity, as coded in the project number.",
               PROJECT_TYPES, source="project code"),
        Column("project_name", "str", "Project title (heading of the description).", source="heading"),
        Column("source_section", "category", "Where the project is described.", SOURCE_SECTIONS,
               source="report structure"),
        _line("heading_line", "the heading of the description"),
        _line("code_line", "the project number"),
        Column("applicant", "str", "Applicant (Indiener van het project / contractpartij).",
               source="Algemene gegevens project"),
        _line("applicant_line", "the applicant"),
        Column("applicant_type", "category", "Type of applicant as in Tabel 2.3. Coded by us: the report "
               "gives no per-project type.", APPLICANT_TYPES, source="coding (see basis)"),
        Column("applicant_type_basis", "category", "How the type was coded: stated in the text, implied "
               "by the applicant's name, outside knowledge (not in the text), or unknown.",
               APPLICANT_TYPE_BASES, source="coding"),
        Column("activity_group", "category", "Ecorys' grouping of Tabel 2.2: only DW activities, only SRA, "
               "or both (combi-project).", ACTIVITY_GROUPS, source="appendix placement (Bijlage 1/2/3)"),
        Column("activity_group_basis", "str", "Appendix placement, or reconciliation with Tabel 2.2 for "
               "the three chapter-5 projects.", source="coding"),
        Column("round", "category", "Application round (1: 15 Jul-30 Sep 2016; 2: 28 Nov-23 Dec 2016). "
               "INFERRED, never stated per project: code sequence number <= 23 (DW) or <= 16 (SRA) is "
               "round 1, the numbers received in round 1 (Tabel 2.1).", ROUNDS, source="inference"),
        Column("decision_date", "date", "Date of the grant decision (Datum beschikking).",
               min=FIRST_SUBMISSION, max=REPORT_DATE, source="Algemene gegevens project"),
        _line("decision_date_line", "the decision date"),
        Column("decision_date_assigned", "bool", "True where the text gives the dates of a group "
               "(FNV: '27 oktober 2016 (3x), 1 november 2016 (2x)') without codes; assigned in code order, "
               "so month counts are exact for the group.", source="coding"),
        Column("start_date", "date", "Start of the term (Looptijd volgens aanvraag).", min=date(2016, 1, 1),
               max=date(2019, 12, 31), source="Algemene gegevens project"),
        Column("end_date", "date", "End of the term (after extension where the text gives only that).",
               min=date(2016, 1, 1), max=date(2019, 12, 31), source="Algemene gegevens project"),
        _line("term_line", "the term"),
        Column("term_note", "str", "Conflicts or imprecision in the term.", nullable=True, source="coding"),
        Column("extended_to_2019", "bool", "Extension to 30 June 2019 (or a changed term) mentioned.",
               source="Algemene gegevens project"),
        Column("direct_costs_eur", "float", "Budgeted direct costs in euros.", min=0.0,
               source="Directe kosten (begroot)"),
        Column("direct_costs_label", "category", "Label printed with the amount; 'Budget totaal' amounts "
               "are direct costs too (x 0.69 = maximum subsidy).", BUDGET_LABELS, source="source text"),
        _line("direct_costs_line", "the direct costs"),
        Column("max_subsidy_eur", "float", "Maximum co-financing by SZW in euros.", min=0.0,
               source="Maximale cofinanciering SZW"),
        _line("max_subsidy_line", "the maximum subsidy"),
        Column("subsidy_above_ceiling", "bool", "The maximum subsidy exceeds 60% of direct + 15% indirect "
               f"costs by more than EUR {CEILING_TOLERANCE_EUR:.0f}; must be true exactly then.",
               source="check"),
        *(Column(a, "bool", f"Activity type {a.upper()} of the regulation, coded by us from the description "
                 "(Ecorys' own coding is not published).", source="coding") for a in ACTIVITY_TYPES),
        Column("activity_types_possible", "str", "Further activity types the description might support.",
               nullable=True, source="coding"),
        Column("region_scope", "category", "Regional spread as in Tabel 3.2, coded by us from `regions`.",
               REGION_SCOPES, source="coding"),
        Column("regions", "str", "Regions named in the description.", source="description"),
        Column("sector_scope", "category", "Sectoral spread as in Tabel 3.3, coded by us from `sectors`.",
               SECTOR_SCOPES, source="coding"),
        Column("sectors", "str", "Sectors named in the description.", source="description"),
        Column("digital_product", "category", "A digital product is named in the description (ja), "
               "perhaps (mogelijk), or not (nee).", DIGITAL, source="coding"),
        Column("digital_product_name", "str", "The digital product(s) named.", nullable=True,
               source="description"),
        Column("notes", "str", "Ambiguities found while checking the row.", nullable=True, source="checking"),
    ),
    row_rules=(
        RowRule("project_type is the DW/SRA part of project_code", ("project_code", "project_type"),
                _type_matches_code),
        RowRule(f"max_subsidy_eur above {SUBSIDY_RATE:.0%} of direct + {INDIRECT_RATE:.0%} indirect costs "
                f"(+ EUR {CEILING_TOLERANCE_EUR:.0f}) needs subsidy_above_ceiling = true, and only then",
                ("max_subsidy_eur", "direct_costs_eur", "subsidy_above_ceiling"), _subsidy_within_ceiling),
        RowRule("max_subsidy_eur cannot exceed the subsidisable costs (direct + 15% indirect)",
                ("max_subsidy_eur", "direct_costs_eur"), _subsidy_not_above_direct),
        RowRule("end_date is after start_date", ("start_date", "end_date"), _end_after_start),
        RowRule("at least one activity type is coded", ACTIVITY_TYPES, _some_activity),
    ),
)

APPLICATIONS = TableSpec(
    name="dwsra_applications_by_round",
    description=("Applications received (ontvangen) and granted (toegekend) by project type and round: "
                 "Tabel 2.1 (line 952), source UvB. Aggregate only: rejected applications are not "
                 "described anywhere."),
    columns=(
        Column("project_type", "category", "DW or SRA (by project code).", PROJECT_TYPES, source="Tabel 2.1"),
        Column("round", "category", "Application round.", ROUNDS, source="Tabel 2.1"),
        Column("received", "int", "Applications received.", min=0, source="Tabel 2.1, O"),
        Column("granted", "int", "Applications granted.", min=0, source="Tabel 2.1, T"),
        _line("source_line", "the row"),
    ),
    row_rules=(
        RowRule("granted cannot exceed received", ("received", "granted"),
                lambda df: df["granted"] <= df["received"]),
        RowRule("one row per project_type and round", ("project_type", "round"),
                lambda df: ~df.duplicated(["project_type", "round"], keep=False)),
    ),
)

INTERVIEW_TABLES = ("tabel_3_1", "tabel_3_4", "tabel_4_1", "tabel_4_2")
# A category label is drawn beside its bar in Figuren 3.1-4.2: 70 characters of words fit the
# figure's width, 80 do not (hostile round 14, H10: longer labels failed the figure with "tick
# labels overlap: Text '0' and Text '3'", naming neither the file, the row nor the label)
LABEL_CHARACTERS = 60
LABEL_WHY = "the figures draw it beside its bar; a longer label does not fit: shorten it"

INTERVIEW_COUNTS = TableSpec(
    name="dwsra_interview_counts",
    description=("Counts of projects per category coded by Ecorys from project plans and interviews "
                 "with project leaders: Tabel 3.1 (problem analysis, source and content), 3.4 (kinds of "
                 "digital product, of the 19 projects with one), 4.1 (points of attention) and 4.2 "
                 "(success factors). The per-project coding is not published, so these are inputs, not "
                 "results. The split by DW/SRA behind Figuur 3.1, 4.1 and 4.2 is not in the text."),
    columns=(
        Column("table", "category", "Table of the report.", INTERVIEW_TABLES, source="report"),
        Column("group", "category", "Block within the table (Tabel 3.1: bron or inhoud).", ("bron", "inhoud"),
               nullable=True, source="report"),
        Column("category", "str", "Category key.", pattern=r"^[a-z_]+$", source="coding"),
        Column("label_nl", "str", "Category as printed.", source="report", max_length=LABEL_CHARACTERS,
               length_why=LABEL_WHY),
        Column("label_en", "str", "English translation.", source="translation", max_length=LABEL_CHARACTERS,
               length_why=LABEL_WHY),
        Column("n_projects", "int", "Number of projects mentioning the category.", min=0, max=47,
               source="report"),
        Column("base_projects", "int", "Projects the percentage refers to (47, or 19 for Tabel 3.4).",
               min=1, max=47, source="report"),
        Column("pct_published", "int", "Percentage as printed.", min=0, max=100, source="report"),
        _line("source_line", "the row"),
    ),
    row_rules=(
        RowRule("n_projects cannot exceed base_projects", ("n_projects", "base_projects"),
                lambda df: df["n_projects"] <= df["base_projects"]),
        RowRule("one row per table, group and category", ("table", "group", "category"),
                lambda df: ~df.duplicated(["table", "group", "category"], keep=False)),
    ),
)

PUBLISHED_TABLES = ("tabel_2_1", "tabel_2_2", "tabel_2_3", "tabel_2_4", "tabel_3_2", "tabel_3_3",
                    "tabel_3_4", "tekst_1_2", "tekst_2_1", "tekst_2_2", "tekst_3_3", "tekst_4_2")

PUBLISHED_CELLS = TableSpec(
    name="dwsra_published_cells",
    description=("Every published number the notebook recomputes: the cells of Tabel 2.1-2.4, 3.2, 3.3 "
                 "and the totals in the text of sections 2.1 and 3.3, as printed. Reference values for "
                 "the reproduction checks, never inputs of a table."),
    columns=(
        Column("table", "category", "Table (tabel_x_y) or text section (tekst_x_y).", PUBLISHED_TABLES,
               source="report"),
        Column("row", "str", "Row key (a category code of the register, or TOTAAL/totaal).", source="report"),
        Column("column", "str", "Column key.", pattern=r"^[a-z0-9_]+$", source="report"),
        Column("value", "float", "Value as printed (millions of euros, counts or percentages).", min=0.0,
               source="report"),
        Column("unit", "category", "Unit of the value.", ("count", "pct", "eur_mln", "days"), source="report"),
        Column("as_printed", "str", "The printed text the value was read from.", source="report"),
        _line("source_line", "the printed text"),
    ),
    row_rules=(
        RowRule("one row per table, row and column", ("table", "row", "column"),
                lambda df: ~df.duplicated(["table", "row", "column"], keep=False)),
    ),
)

CLAIM_RULES = ("sum", "ratio", "scale", "average", "remainder", "equal", "rate", "ceiling", "between", "at_most",
               "at_least")
CLAIM_KINDS = ("arithmetic", "text_vs_text", "text_vs_table", "regulation")
_CELL = r"[a-z0-9_]+/[A-Za-z0-9_]+/[a-z0-9_]+"

REPORT_CLAIMS = TableSpec(
    name="dwsra_report_claims",
    description=("The claims the report's printed numbers make about each other (totals, shares, "
                 "averages, the 60% ceiling), as data: each row names a printed cell of "
                 "`dwsra_published_cells.csv`, a rule and the cells it is recomputed from. "
                 "`analysis.dwsra.checks.arithmetic_checks` evaluates them on the intervals the "
                 "printed roundings allow."),
    columns=(
        Column("id", "str", "Claim name.", unique=True, source="this repository"),
        Column("kind", "category", "What is compared with what.", CLAIM_KINDS, source="this repository"),
        Column("table", "category", "Table of the printed cell.", PUBLISHED_TABLES, source="report"),
        Column("row", "str", "Row key of the printed cell.", source="report"),
        Column("column", "str", "Column key of the printed cell.", pattern=r"^[a-z0-9_]+$", source="report"),
        Column("rule", "category", "How the cell is recomputed (see analysis.dwsra.checks).", CLAIM_RULES,
               source="this repository"),
        Column("operands", "str", "Cells the rule uses, table/row/column, separated by ';'.",
               pattern=rf"^{_CELL}(;{_CELL})*$", source="report"),
        Column("factor", "float", "Constant of the rule (100 for a percentage, 0.15, 47, ...).", nullable=True,
               source="report"),
        Column("description_nl", "str", "The claim in words, in Dutch (shown on the Dutch page).",
               source="this repository"),
        Column("description_en", "str", "The claim in words, in English (shown on the English page).",
               source="this repository"),
    ),
)

PRINTED_KINDS = ("amount", "percentage", "date", "verbal", "compound", "word", "number", "footnote_mark",
                 "footnote_label", "heading", "list_number", "page_number", "reference", "identifier")
PRINTED_CLASSES = ("register", "aggregate", "printed", "not_checkable", "not_a_quantity")
FINDING_KINDS = ("arithmetic", "text_vs_table", "table_vs_figure", "text_vs_text", "text_vs_register",
                 "reference", "regulation")

PRINTED_NUMBERS = TableSpec(
    name="dwsra_printed_numbers",
    description=("Every number printed in the summary and chapters 1-4 (lines 1-2565), as the "
                 "tokeniser `analysis.dwsra.sweep.extract_numbers` finds it, and how it is accounted "
                 "for: reproduced from the register, taken from an aggregate file, checked against "
                 "other printed numbers, not checkable (with the reason), or not a quantity (footnote "
                 "marks, headings, references, identifiers). `basis` names what it is checked "
                 "against; `finding` the kind of inconsistency, when there is one."),
    columns=(
        _line("line", "the number"),
        Column("text", "str", "The number as printed (with its qualifier: ruim, bijna, circa).", source="report"),
        Column("occurrence", "int", "1 for the first occurrence of this text on the line, 2 for the second.",
               min=1, max=9, source="this repository"),
        Column("value", "str", "Normalised value (millions of euros, percent, ISO date, a lo..hi range).",
               source="this repository"),
        Column("unit", "str", "Unit of the value.", source="this repository"),
        Column("kind", "category", "Kind of number.", PRINTED_KINDS, source="this repository"),
        Column("class", "category", "How the number is accounted for.", PRINTED_CLASSES, source="this repository"),
        Column("basis", "str", "What it is checked against: cell t/r/c, interview t/category[/pct], fact id, "
               "claim id, line N, caption N.", nullable=True, source="this repository"),
        Column("finding", "category", "Kind of inconsistency, if the check fails.", FINDING_KINDS,
               nullable=True, source="this repository"),
        Column("reason", "str", "Why it is not checkable, or what the check found (English; for a finding, "
               "the explanation the English page shows).", nullable=True, source="this repository"),
        Column("reason_nl", "str", "For a finding: the explanation in Dutch, as the Dutch page shows it.",
               nullable=True, source="this repository"),
    ),
    row_rules=(
        RowRule("one row per line, text and occurrence", ("line", "text", "occurrence"),
                lambda df: ~df.duplicated(["line", "text", "occurrence"], keep=False)),
        RowRule("a number is accounted for by a basis or a reason", ("basis", "reason"),
                lambda df: df["basis"].notna() | df["reason"].notna()),
        RowRule("a finding is explained in both languages", ("finding", "reason", "reason_nl"),
                lambda df: df["finding"].isna() | (df["reason"].notna() & df["reason_nl"].notna())),
        RowRule("only a finding has a Dutch explanation", ("finding", "reason_nl"),
                lambda df: df["finding"].notna() | df["reason_nl"].isna()),
    ),
)

RAW_FILES = {
    "dwsra_project_register.csv": REGISTER,
    "dwsra_applications_by_round.csv": APPLICATIONS,
    "dwsra_interview_counts.csv": INTERVIEW_COUNTS,
    "dwsra_published_cells.csv": PUBLISHED_CELLS,
}
#: Reference files about the report itself (not inputs of a table), validated on load too.
REPORT_FILES = {
    "dwsra_report_claims.csv": REPORT_CLAIMS,
    "dwsra_printed_numbers.csv": PRINTED_NUMBERS,
}


def load_inputs(register_path, applications_path, interview_counts_path, published_path,
                processed_dir=None) -> dict[str, pd.DataFrame]:
    """Load and validate the four DWSRA raw files (any failure names file, row, column and
    rule); with ``processed_dir``, keep the validated frames there as Parquet."""
    return {
        "register": load_table(register_path, REGISTER, processed_dir),
        "applications": load_table(applications_path, APPLICATIONS, processed_dir),
        "interview_counts": load_table(interview_counts_path, INTERVIEW_COUNTS, processed_dir),
        "published": load_table(published_path, PUBLISHED_CELLS, processed_dir),
    }


def load_report_files(raw_dir, processed_dir=None) -> dict[str, pd.DataFrame]:
    """Load and validate the two files about the report itself: its claims and the number
    sweep (``dwsra_report_claims.csv``, ``dwsra_printed_numbers.csv`` in ``raw_dir``)."""
    raw = Path(raw_dir)
    return {"claims": load_table(raw / "dwsra_report_claims.csv", REPORT_CLAIMS, processed_dir),
            "numbers": load_table(raw / "dwsra_printed_numbers.csv", PRINTED_NUMBERS, processed_dir)}
