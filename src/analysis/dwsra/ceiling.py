"""The regulation's 60% ceiling (section 1.2, line 804) against the register and the
report's own totals.

The regulation pays at most 60% of the subsidisable costs: the direct costs plus a flat 15%
for indirect costs, so at most 0.69 x the direct costs. :func:`breaches` lists the projects
above it (2016SRA20111 only); :func:`effect_on_totals` shows what that one project does to the
groups the report totals: all projects, "Beide typen" of Tabel 2.2 and the O&O-fondsen of
Tabel 2.3, each with the share of its subsidisable costs granted, with and without the
excess.
"""

from __future__ import annotations

import pandas as pd

from analysis.dwsra.schema import CEILING_TOLERANCE_EUR, INDIRECT_RATE, SUBSIDY_RATE
from analysis.presentation import formats

# The rule in the regulation's words (Dutch) and in English.
RULE = ("tot maximaal 60 procent van de gemaakte kosten (regeling, paragraaf 1.2 van het rapport)",
        "at most 60 per cent of the costs incurred (the regulation, section 1.2 of the report)")


def _ceiling(direct: pd.Series) -> pd.Series:
    return direct * (1 + INDIRECT_RATE) * SUBSIDY_RATE


def breaches(register: pd.DataFrame, lang: str = "nl") -> pd.DataFrame:
    """Projects whose maximum subsidy exceeds 60% of direct + indirect costs (beyond the
    few euros of rounding the printed maxima show), with the rule in ``lang``."""
    ceiling = _ceiling(register["direct_costs_eur"].astype(float))
    over = register["max_subsidy_eur"] > ceiling + CEILING_TOLERANCE_EUR
    r = register[over]
    return pd.DataFrame({
        "project_code": r["project_code"], "direct_costs_eur": r["direct_costs_eur"],
        "max_subsidy_eur": r["max_subsidy_eur"], "ceiling_eur": ceiling[over].round(0),
        "excess_eur": (r["max_subsidy_eur"] - ceiling[over]).round(0),
        "pct_of_costs": 100 * r["max_subsidy_eur"] / (r["direct_costs_eur"] * (1 + INDIRECT_RATE)),
        "max_subsidy_line": r["max_subsidy_line"], "regulation_rule": RULE[0 if lang == "nl" else 1],
    }).reset_index(drop=True)


def effect_on_totals(register: pd.DataFrame) -> pd.DataFrame:
    """For all projects, Tabel 2.2's "Beide typen" and Tabel 2.3's O&O-fondsen: maximum
    subsidy as a share of the subsidisable costs, as granted and without the excess of the
    projects above the ceiling."""
    excess = (register["max_subsidy_eur"] - _ceiling(register["direct_costs_eur"].astype(float))).clip(lower=0)
    excess = excess.where(excess > CEILING_TOLERANCE_EUR, 0.0)
    groups = {"alle projecten": pd.Series(True, index=register.index),
              "Tabel 2.2 Beide typen": register["activity_group"] == "beide",
              "Tabel 2.3 O&O-fonds": register["applicant_type"] == "oo_fonds"}
    rows = []
    for name, mask in groups.items():
        costs = float(register.loc[mask, "direct_costs_eur"].sum()) * (1 + INDIRECT_RATE)
        granted = float(register.loc[mask, "max_subsidy_eur"].sum())
        rows.append({"group": name, "n_projects": int(mask.sum()), "max_subsidy_eur": granted,
                     "subsidisable_costs_eur": round(costs, 2), "pct_granted": 100 * granted / costs,
                     "pct_without_excess": 100 * (granted - float(excess[mask].sum())) / costs})
    return pd.DataFrame(rows).set_index("group")


TOLERANCE_TEXT = {
    "nl": ("Een project telt als boven het plafond wanneer zijn maximale subsidie meer dan € {tolerance} boven 60% "
           "van de directe plus indirecte kosten ligt. Die marge vangt alleen de afronding van de bedragen op: in "
           "het register ligt een maximum daarbinnen hoogstens € {largest} boven 0,69 x de directe kosten. {excess}"),
    "en": ("A project counts as above the ceiling when its maximum subsidy exceeds 60% of the direct plus indirect "
           "costs by more than €{tolerance}. That margin only absorbs the rounding of the amounts: in the register "
           "a maximum within it lies at most €{largest} above 0.69 x the direct costs. {excess}"),
}
EXCESS_TEXT = {"nl": ("De kleinste overschrijding is € {smallest}, ver boven die marge.", "Geen project ligt erboven.",
                      "Eén project ligt erboven, met € {smallest}, ver boven die marge."),
               "en": ("The smallest excess is €{smallest}, far beyond that margin.", "No project lies above it.",
                      "One project lies above it, by €{smallest}, far beyond that margin.")}


def tolerance_sentence(register: pd.DataFrame, lang: str = "nl") -> str:
    """The ceiling check's tolerance in words (review 7: the page did not state it): the margin,
    the largest rounding difference among the projects within it, and the smallest excess."""
    gap = register["max_subsidy_eur"] - _ceiling(register["direct_costs_eur"].astype(float))
    within = gap[(gap > 0) & (gap <= CEILING_TOLERANCE_EUR)]  # above 0.69 x direct by rounding only
    over = gap[gap > CEILING_TOLERANCE_EUR]
    # with one project above it, "the smallest excess" compares it with nothing (review 12, item 9)
    excess = (EXCESS_TEXT[lang][1] if not len(over) else
              EXCESS_TEXT[lang][2 if len(over) == 1 else 0].format(smallest=formats.number(over.min(), lang)))
    return TOLERANCE_TEXT[lang].format(tolerance=formats.number(CEILING_TOLERANCE_EUR, lang),
                                       largest=formats.number(float(within.max()) if len(within) else 0.0, lang),
                                       excess=excess)
