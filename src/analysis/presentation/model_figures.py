"""The figures of the models page: odds ratios with their intervals (Figuur M1) and power
against the odds ratio (Figuur M2), drawn from the gated model and power tables, with every
label in the page's language."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter, MultipleLocator

from analysis.presentation import formats, plots
from analysis.presentation.model_texts import against_reference, design_with_test, in_level_order, ratio_text, translate
from analysis.stats.models import CI_LEVEL

ROW_CHARS = 30  # a forest row's name per line, at 9 points on a 5.5-inch figure
LEGEND_CHARS = 60  # a legend entry's line at 9 points on a 5.5-inch figure (about 80 characters, less the symbol)


def forest_plot(tidy: pd.DataFrame, title: str, lang: str = "nl"):
    """Odds ratios with CIs on a log scale, one row per term and model (rows on another
    scale, e.g. the intercept's odds or an LPM's risk differences, are left out); terms of
    groups below the stated minimum are drawn hollow."""
    d = in_level_order(tidy)
    d = d[(d["scale"] == "odds ratio") & d["estimate"].notna()].reset_index(drop=True)  # levels in the codebook's order
    # drawn at the bar figures' width, so that a phone shows its 9-point text at 8 px (review 12: 5-6 px at 7 in)
    fig, ax = plt.subplots(figsize=(plots.WIDTH, 0.45 * max(len(d), 2) + 1.6))
    ypos = np.arange(len(d))[::-1]
    styles = {m: plots.series_style(j) for j, m in enumerate(sorted(d["model"].unique()))}  # apart in greyscale
    for yv, (_, r) in zip(ypos, d.iterrows()):
        style = styles[r.model]
        ax.plot([r.ci_low, r.ci_high], [yv, yv], color=style["color"], lw=1.5, linestyle=style["linestyle"])
        ax.plot(r.estimate, yv, style["marker"], color=style["color"],
                mfc=style["color"] if r.informative else "white")
    ax.axvline(1, color="grey", lw=0.8, ls="--")
    ax.set_xscale("log")
    ax.set_yticks(ypos, [textwrap.fill(f"{against_reference(t, d['term'], lang)} ({translate(m, lang)})", ROW_CHARS,
                                       break_long_words=False)  # two short lines leave the intervals their width
                         for t, m in zip(d["term"], d["model"])])
    level = f"{100 * CI_LEVEL:.0f}"
    ax.set_xlabel(f"odds ratio (log-schaal, {level}%-BI)\nopen symbool: te kleine groep" if lang == "nl"
                  else f"odds ratio (log scale, {level}% CI)\nhollow symbol: group too small")
    ax.set_title(title, fontsize=11, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    fig.vwnw_description = forest_description(d, lang)  # the alt text (plots.finish)
    return fig


def forest_description(d: pd.DataFrame, lang: str) -> str:
    """Figuur M1 in words for its alt text (review 8: it said only "Grafiek van – tegen odds
    ratio"): what is drawn, then each row's odds ratio and interval as Tabel M2 writes them,
    and which rows rest on a group too small to say much."""
    level = f"{100 * CI_LEVEL:.0f}"
    to = " tot " if lang == "nl" else " to "
    rows = [f"{against_reference(t, d['term'], lang)} ({translate(m, lang)}): {ratio_text(e, lang)} "
            f"({ratio_text(lo, lang)}{to}{ratio_text(hi, lang)})"
            + ("" if informative else (", te kleine groep" if lang == "nl" else ", group too small"))
            for t, m, e, lo, hi, informative in zip(d["term"], d["model"], d["estimate"], d["ci_low"], d["ci_high"],
                                                    d["informative"].astype(bool))]
    if lang == "nl":
        head = (f"Odds ratio per groep t.o.v. de referentiegroep, met {level}%-betrouwbaarheidsinterval, op een "
                "logaritmische as met een stippellijn bij 1 (geen verschil)")
    else:
        head = (f"Odds ratio of each group against its reference group, with its {level}% confidence interval, "
                "on a log axis with a dashed line at 1 (no difference)")
    return f"{head}: {'; '.join(rows)}." if rows else f"{head}."


COINCIDE = {"nl": ("{names} (zelfde vermogen, één lijn)", " en "), "en": ("{names} (same power, one line)", " and ")}
# the legend's note on lines that meet, in plain words (review 14: "the largest symbol lies underneath")
OVERLAP = {"nl": "Een kleiner symbool ligt op een groter: waar lijnen elkaar raken, blijven beide zichtbaar",
           "en": "A smaller symbol lies on a larger one: where lines meet, both stay visible"}


def joined_names(names: list[str], joiner: str) -> str:
    """Designs drawn as one line, named once: the part in which their names (``, ``-separated)
    differ joined by ``joiner``, the parts they share said once (``gebalanceerd, N = 1.000 en
    N = 10.000, z-toets``); names that differ in more than one part joined whole."""
    parts = [n.split(", ") for n in names]
    if len(names) < 2 or len({len(p) for p in parts}) != 1:
        return joiner.join(names)
    differ = [i for i in range(len(parts[0])) if len({p[i] for p in parts}) > 1]
    if len(differ) != 1:
        return joiner.join(names)
    i = differ[0]
    return ", ".join([*parts[0][:i], joiner.join(p[i] for p in parts), *parts[0][i + 1:]])
TARGET = {"nl": "gangbare norm: 80%", "en": "usual target: 80%"}


def coinciding(designs: list[tuple[str, pd.DataFrame]]) -> list[list[int]]:
    """The designs as drawn: designs whose power, in whole percent as Tabel M9 prints it, is the
    same at every odds ratio are one line (review 12: N = 1,000 and N = 10,000 both at 100%, two
    lines on top of each other), in the order first drawn."""
    def key(g: pd.DataFrame) -> tuple:
        g = g.sort_values("odds_ratio")
        return tuple(zip(g["odds_ratio"].astype(float), formats.half_up(100 * g["power"].astype(float)), strict=True))

    groups: dict[tuple, list[int]] = {}
    for j, (_, g) in enumerate(designs):
        groups.setdefault(key(g), []).append(j)
    return list(groups.values())


def power_plot(table: pd.DataFrame, title: str, lang: str = "nl"):
    """Power (in percent) against the odds ratio, one line per design; designs that coincide
    are one line named after each (:func:`coinciding`). Lines that meet in part stay visible:
    each later series is drawn thinner and with a smaller symbol on top of the earlier ones, so
    every symbol shows as a ring around the next (in colour and in greyscale;
    :func:`analysis.presentation.plots.finish` gives each its own colour, symbol and line style).
    The 80% line is labelled in the gap at odds ratio 1."""
    fig, ax = plt.subplots(figsize=(plots.WIDTH, 4.4))  # the bar figures' width (see forest_plot)
    designs = list(table.assign(design=design_with_test(table)).groupby("design", sort=False))
    drawn = coinciding(designs)
    last = len(drawn) - 1
    words, joiner = COINCIDE[lang]
    for j, members in enumerate(drawn):
        g = designs[members[0]][1].sort_values("odds_ratio")
        names = [translate(designs[m][0], lang) for m in members]
        name = names[0] if len(names) == 1 else words.format(names=joined_names(names, joiner))
        name = textwrap.fill(name, LEGEND_CHARS, break_long_words=False)  # fits the figure's width at 9 points
        below = g["odds_ratio"].astype(float) < 1  # a gap at odds ratio 1: the two sides are different effects
        x = [*g.loc[below, "odds_ratio"], np.nan, *g.loc[~below, "odds_ratio"]]
        y = [*g.loc[below, "power"].astype(float), np.nan, *g.loc[~below, "power"].astype(float)]
        ax.plot(x, y, marker="o", label=name,
                markersize=4.5 + 3.2 * (last - j), linewidth=1.2 + 0.9 * (last - j), markeredgewidth=1.4,
                markerfacecolor="none", zorder=2 + j)  # a hollow symbol shows the one it lies on
    ax.axhline(0.8, color="grey", ls="--", lw=0.8, zorder=1)
    ax.annotate(TARGET[lang], (1.0, 0.8), xytext=(0, 2), textcoords="offset points", ha="center", va="bottom",
                fontsize=plots.SMALL, color="#444444")
    ax.set_xscale("log")
    ax.set_xlabel("odds ratio (log-schaal)" if lang == "nl" else "odds ratio (log scale)")
    ax.set_ylabel("onderscheidend vermogen (%)" if lang == "nl" else "power (%)")
    ax.set_ylim(0, 1.04)  # drawn on the table's scale (a fraction), labelled in percent
    ax.yaxis.set_major_locator(MultipleLocator(0.2))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: formats.number(100 * v, lang, 0)))
    base = pd.to_numeric(table.get("base_rate", pd.Series(dtype=float)), errors="coerce").dropna()
    assumed = "" if base.empty else (  # the figure read alone names what it assumes (the sixth reviewer)
        f"Uitstroom in de referentiegroep: {formats.number(100 * float(base.iloc[0]), lang, 0)}%. " if lang == "nl"
        else f"Outflow in the reference group: {formats.number(100 * float(base.iloc[0]), lang, 0)}%. ")
    ax.legend(frameon=False, fontsize=plots.SMALL, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=1,
              title=textwrap.fill(assumed, LEGEND_CHARS) + "\n" + textwrap.fill(OVERLAP[lang], LEGEND_CHARS),
              title_fontsize=plots.SMALL)
    ax.set_title(title, fontsize=11, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig
