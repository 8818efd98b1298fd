"""The release: the one route by which a pilot notebook publishes numbers about persons.

``from analysis.release import setup``; ``run = setup("02_pilot_participants", globals())``
(:mod:`analysis.release.run`). The protected crosstab (:mod:`.crosstab`) and the output
checker's bundle (:mod:`.checking`) live beside it; the gate itself is
:mod:`analysis.stats.output_gate`, the private memory of earlier releases
:mod:`analysis.ledger` (a module of its own: the runner commits an invocation's releases
to it, and the runner sits above this package).
"""

__all__ = ["Run", "setup"]


def __getattr__(name: str):
    """``Run`` and ``setup`` on first use: a submodule (the audit, the crosstab) imports
    without the whole notebook API."""
    if name in __all__:
        from analysis.release import run  # on first use (PEP 562): see the docstring

        return getattr(run, name)
    raise AttributeError(f"module 'analysis.release' has no attribute {name!r}")
