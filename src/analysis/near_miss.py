"""The key a misspelt key was meant to be, for the messages on study files, mappings and run
configurations ("unknown key 'colums'; did you mean 'columns'?": hostile round 13 found a
near miss named only as unknown, beside a list of every allowed key). ``difflib`` of the
standard library does the matching."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(key: object, allowed: Iterable[object]) -> str:
    """``"did you mean 'x'? "`` for the allowed key closest to ``key`` (case aside), or ``""``
    when none is close."""
    names = {str(a).lower(): str(a) for a in allowed}
    close = difflib.get_close_matches(str(key).lower(), list(names), n=1, cutoff=0.75)
    return f"did you mean '{names[close[0]]}'? " if close else ""
