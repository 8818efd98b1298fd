"""The release: the one route by which a pilot notebook publishes numbers about persons.

``from analysis.release import setup``; ``run = setup("02_pilot_participants", globals())``
(:mod:`analysis.release.run`). The protected crosstab (:mod:`.crosstab`), the ledger of
earlier releases (:mod:`.ledger`) and the output checker's bundle (:mod:`.checking`) live
beside it; the gate itself is :mod:`analysis.stats.output_gate`.
"""

from analysis.release.run import Run, setup

__all__ = ["Run", "setup"]
