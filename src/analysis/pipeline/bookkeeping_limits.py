"""Bounds on the runner's own JSON files in the reports folder (the run state, the journal,
the manifest): the runner writes them small and flat (this project's state is about 80 KB,
nested 4 levels), so a file far larger or deeper was not written by it. Such a file is
refused before it is read into memory, with the command that sets it aside (hostile round
13, issue 28: a 2 GB state was read whole; a state nested thousands of levels deep was
parsed before its shape was checked). Written by hand: the standard library's ``json`` has
no size or depth limit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

MAX_BOOKKEEPING_BYTES = 16 * 1024 * 1024  # 200 times the state of this project's 13 runs
MAX_BOOKKEEPING_DEPTH = 16  # the runner writes at most 5 levels (state > run > parameters > list > value)


class BookkeepingTooLarge(ValueError):
    """A bookkeeping file beyond :data:`MAX_BOOKKEEPING_BYTES` or :data:`MAX_BOOKKEEPING_DEPTH`;
    the message says which bound, and that the runner did not write it."""


def nesting_depth(value: Any, limit: int = MAX_BOOKKEEPING_DEPTH) -> int:
    """How deep lists and objects nest in ``value`` (a scalar: 0), counted without recursion
    and up to ``limit + 1`` (deeper is not counted further)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            depth += 1
            deepest = max(deepest, depth)
            if depth > limit:
                return deepest
            stack.extend((child, depth) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def size_problem(path: Path, limit: int = MAX_BOOKKEEPING_BYTES) -> str | None:
    """Why ``path`` is too large to be the runner's (None: within the bound or absent)."""
    try:
        size = path.stat().st_size
    except OSError:
        return None
    if size > limit:
        return f"it is {size:,} bytes; the runner writes at most {limit:,} bytes there"
    return None


def depth_problem(value: Any, limit: int = MAX_BOOKKEEPING_DEPTH) -> str | None:
    if (depth := nesting_depth(value, limit)) > limit:
        return f"it nests more than {limit} levels deep ({depth} counted); the runner writes at most {limit}"
    return None


def read_bounded_json(path: Path) -> Any:
    """The JSON in ``path``, refused (:class:`BookkeepingTooLarge`) beyond the size bound
    before it is read, and beyond the depth bound after; a file that is no JSON raises as
    :func:`json.loads` does (``JSONDecodeError``, ``UnicodeDecodeError``, ``RecursionError``), an
    integer too long for Python's ``int`` as ``JSONDecodeError`` too."""
    if problem := size_problem(path):
        raise BookkeepingTooLarge(problem)
    text = path.read_bytes().decode("utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        raise
    except ValueError as exc:  # an integer beyond int's conversion limit (4,300 digits): damaged, as bad JSON
        raise json.JSONDecodeError(f"not JSON the runner wrote ({exc})", text, 0) from None
    if problem := depth_problem(data):
        raise BookkeepingTooLarge(problem)
    return data


def set_aside_command(path: Path, shown: str) -> str:
    """The repair: ``mv`` of ``path`` (shown as ``shown``) to its ``.damaged`` name beside it."""
    aside = shown[: -len(path.name)] + path.name.replace(".json", ".damaged.json")
    return f"mv {shown} {aside}"
