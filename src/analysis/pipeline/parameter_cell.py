"""The notebook's parameters cell as a full page shows it: only the defaults the run kept.

Papermill runs the notebook's ``parameters`` cell (its defaults, the default study's) and then
the cell it injects with the run's own values. A full page showed both, so the page of another
study showed the default study's id, paths and dates in its first code cell (hostile round 20).
The page's cell keeps the lines of the defaults the run did not set and names the ones set in
the next cell; the executed notebook is not changed."""

from __future__ import annotations

import copy
import re
from typing import Any

ASSIGNMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*=")


def defaults_in_effect(source: str, overridden: set[str] | frozenset[str]) -> str:
    """``source`` (one ``name = value  # comment`` per line) without the lines of the names
    in ``overridden``, with one comment line naming them (none: ``source`` as it is)."""
    set_here = [m.group(1) for line in source.splitlines() if (m := ASSIGNMENT.match(line))
                and m.group(1) in overridden]
    if not set_here:
        return source
    kept = [line for line in source.splitlines()
            if not ((m := ASSIGNMENT.match(line)) and m.group(1) in overridden)]
    note = f"# set by this run in the next cell (its defaults not shown): {', '.join(set_here)}"
    return "\n".join([*kept, note])


def as_run(cells: list[Any], overridden: set[str]) -> list[Any]:
    """``cells`` with the ``parameters`` cell's source as :func:`defaults_in_effect` shows it
    (a copy of that cell; the others as they are)."""
    out = []
    for cell in cells:
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            cell = copy.deepcopy(cell)
            cell.source = defaults_in_effect(cell.source, overridden)
        out.append(cell)
    return out
