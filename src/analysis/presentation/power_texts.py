"""The models page's power analysis (notebook 03, section M.5) for the study and file in use:
which programme sizes it computes (the file's own size first, the retail review: a 56-person page
began at N = 30, the size of the pilot the notebook's default was written for, and its
findings named that size) and what outflow it assumes in the reference group (the retail review: the
text said *de waargenomen totale uitstroom* where the computation used one half because the
real rate is withheld).

Written by hand: the sentences are the page's text, with no number in them (a private run's
sentence may carry only published numbers).
"""

from __future__ import annotations

BASE_RATE_LIMITS = (0.05, 0.95)  # an observed rate is kept within these for the power calculation
WITHHELD_BASE_RATE = 0.5  # the outflow assumed when the observed rate is not published

TEXT = {
    "nl": {
        "observed": "Als uitstroom in de referentiegroep is de waargenomen totale uitstroom van dit bestand gebruikt.",
        "limited": "Als uitstroom in de referentiegroep is de waargenomen totale uitstroom van dit bestand gebruikt, "
                   "begrensd: ze lag te dicht bij geen of volledige uitstroom voor deze berekening.",
        "withheld": "Als uitstroom in de referentiegroep is de helft gebruikt, niet de waargenomen totale uitstroom: "
                    "die is niet gepubliceerd (statistische beveiliging).",
        "own": "De eerste programmagrootte is die van dit bestand; de andere zijn de gevraagde programmagrootten.",
    },
    "en": {
        "observed": "The outflow in the reference group is this file's observed overall outflow.",
        "limited": "The outflow in the reference group is this file's observed overall outflow, limited: it lay too "
                   "close to no or complete outflow for this calculation.",
        "withheld": "The outflow in the reference group is one half, not the observed overall outflow: that is not "
                    "published (disclosure control).",
        "own": "The first programme size is this file's own; the others are the programme sizes asked for.",
    },
}


def base_rate(rate: float, shown: bool) -> float:
    """The outflow in the reference group the power calculation uses: the observed ``rate``
    within :data:`BASE_RATE_LIMITS` when it is published (``shown``), else one half."""
    low, high = BASE_RATE_LIMITS
    return min(max(float(rate), low), high) if shown else WITHHELD_BASE_RATE


def base_rate_sentence(rate: float, shown: bool, lang: str) -> str:
    """What the page says :func:`base_rate` used, without its number."""
    if not shown:
        return TEXT[lang]["withheld"]
    return TEXT[lang]["observed" if base_rate(rate, shown) == float(rate) else "limited"]


def programme_sizes(own_n: int | None, requested) -> list[int]:
    """The programme sizes of the power analysis: the file's own size first (None: not
    published, then none), then every requested size other than it, in the order asked."""
    sizes = [int(n) for n in requested]
    return sizes if own_n is None else [int(own_n), *(n for n in sizes if n != int(own_n))]


def sizes_sentence(own_n: int | None, lang: str) -> str:
    """What the page says about its programme sizes ("" when the file's own size is not among them)."""
    return "" if own_n is None else TEXT[lang]["own"]
