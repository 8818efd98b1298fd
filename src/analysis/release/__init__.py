"""The release: the one route by which a pilot notebook publishes numbers about persons.

``from analysis.release import setup``; ``run = setup("02_pilot_participants", globals())``
(:mod:`analysis.release.run`). The protected crosstab (:mod:`.crosstab`), the ledger of
earlier releases (:mod:`.ledger`) and the output checker's bundle (:mod:`.checking`) live
beside it; the gate itself is :mod:`analysis.stats.output_gate`.
"""

__all__ = ["Run", "setup"]


def __getattr__(name: str):
    """``Run`` and ``setup`` on first use: the runner imports the ledger alone, without the
    notebooks' pandas and statsmodels (the no-op rerun stays fast)."""
    if name in __all__:
        from analysis.release import run

        return getattr(run, name)
    raise AttributeError(f"module 'analysis.release' has no attribute {name!r}")
