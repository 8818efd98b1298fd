"""The output checker's material, kept apart from what is published.

A release's log (per output: cells, primary and secondary suppressions, the rule and the
reason of every withheld row) tells more than the outputs do: "6 primary suppressions"
says that six hidden cells hold 1 to 9 persons. It is therefore never published beside the
tables. It goes into an output-checking bundle in the private folder
(:func:`analysis.private_data.private_dir`), in the results format of ACRO (the SDC tool of
trusted research environments, whose ``finalise`` writes ``results.json``; the SACRO
viewer opens it): one record per output with its status (``pass``, ``fail`` or
``review``), what was checked (``sdc``), the rule, and room for the evaluator's comments
and exception requests. ACRO itself is not a dependency (it pins pandas below 3, see
:mod:`analysis.stats.output_gate`); this module writes its format, nothing more.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from analysis.files import write_text_atomically
from analysis.private_data import private_dir

FORMAT_VERSION = "0.4.8"  # the ACRO results format these records follow
RESULTS_FILE = "results.json"


def record(uid: str, entry: Mapping, files: Iterable[str] = ()) -> dict:
    """One ACRO results record from one entry of a release's log."""
    outcome = str(entry.get("outcome", "pass"))
    status = "fail" if outcome.startswith("fail") else "review" if outcome.startswith("review") else "pass"
    suppressed = int(entry.get("primary_suppressed", 0)) + int(entry.get("secondary_suppressed", 0))
    sdc = {"summary": {"suppressed": suppressed > 0, "negative": 0, "missing": 0,
                       "threshold": int(entry.get("primary_suppressed", 0)), "p-ratio": 0, "nk-rule": 0,
                       "all-values-are-same": 0},
           "cells": {"threshold": [], "p-ratio": [], "nk-rule": [], "all-values-are-same": [], "negative": [],
                     "missing": []}}
    return {"uid": uid, "status": status, "type": "table",
            "properties": {"method": "joint release", "threshold": entry.get("threshold"),
                           "cells": entry.get("cells"), "shown": entry.get("shown"),
                           "secondary_suppressed": entry.get("secondary_suppressed", 0)},
            "files": [{"name": f, "sdc": sdc} for f in files] or [{"name": str(entry.get("output")), "sdc": sdc}],
            "outcome": {}, "command": str(entry.get("output")), "summary": f"{status}; "
            f"{entry.get('rule', '')}", "timestamp": "", "comments": [], "exception": str(entry.get("exception", ""))}


def results(log: Iterable[Mapping], run: str) -> dict:
    """The ACRO ``results.json`` content of one run's release log."""
    records = {f"output_{i}": record(f"output_{i}", entry) for i, entry in enumerate(log)}
    return {"version": FORMAT_VERSION, "run": run, "results": records}


def write_bundle(log: Iterable[Mapping], run: str, folder: Path | None = None) -> Path:
    """Write ``<private folder>/checking/<run>/results.json``; returns its path."""
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in run)
    target = (folder or private_dir() / "checking") / safe / RESULTS_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomically(target, json.dumps(results(log, run), indent=2, ensure_ascii=False, default=str) + "\n")
    return target
