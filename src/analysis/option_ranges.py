"""Numeric command-line options with documented ranges (issue 28): ``--timeout -5``,
``-j 0``, ``-j 10000``, ``--n 0`` or a negative seed are refused by argparse with one line
naming the option, its range and the value as written, before anything runs.

:data:`RANGES` is the one list of the ranges (documented in ``docs/runner_safety.md``);
:func:`ranged` makes the argparse type of an option from it. Written by hand because
argparse's ``choices`` cannot state a range of numbers without listing them.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections.abc import Callable

from analysis.terminal_text import printable

# option: (lowest, highest, what it is, whole numbers only)
RANGES: dict[str, tuple[float, float, str, bool]] = {
    "--workers": (1, 64, "notebook runs executed in parallel ('auto': one per core, os.cpu_count())", True),
    "--timeout": (1, 86_400, "seconds per notebook cell", False),
    "--threshold": (1, 1_000, "the disclosure threshold (persons; 10 for real data)", True),
    "--n": (1, 2_000_000, "participants generated", True),
    "--seed": (0, 2**32 - 1, "random seed", True),
    "--movers-from-education": (0, 2, "April movers who come from education", True),
}
_WHOLE = re.compile(r"^[+-]?\d+$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _shown(number: float) -> str:
    return f"{int(number):,}" if float(number).is_integer() else f"{number:,}"


def _cut(written: str) -> str:
    return written[:40] + (f"... ({len(written):,} characters)" if len(written) > 40 else "")


def range_text(option: str) -> str:
    low, high, what, whole = RANGES[option]
    kind = "a whole number" if whole else "a number"
    return f"{option} ({what}) must be {kind} from {_shown(low)} to {_shown(high)}"


def check(option: str, text: str) -> int | float:
    """``text`` as the number ``option`` takes; :class:`argparse.ArgumentTypeError` otherwise."""
    low, high, _what, whole = RANGES[option]
    written = text.strip()
    if len(written) > 40 or not (_WHOLE if whole else _NUMBER).match(written):  # 4,300 digits: int() refuses
        raise argparse.ArgumentTypeError(f"{range_text(option)}; got {_cut(written)}")
    value = int(written) if whole else float(written)  # a whole number of any length: no float (OverflowError)
    if (not whole and not math.isfinite(value)) or not low <= value <= high:
        raise argparse.ArgumentTypeError(f"{range_text(option)}; got {_cut(written)}")
    return value


def ranged(option: str) -> Callable[[str], int | float]:
    """The argparse ``type`` of ``option`` (see :data:`RANGES`)."""
    def convert(text: str) -> int | float:
        return check(option, text)

    convert.__name__ = option.lstrip("-").replace("-", "_")
    return convert


def workers(text: str) -> str:
    """``-j``: ``auto`` or a whole number in its range (kept as text, as the runner takes it)."""
    if text.strip() == "auto":
        return "auto"
    return str(check("--workers", text))


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose refusal is one line (``prog: error: ...; see --help``),
    exit code 2, instead of the usage block and then the error."""

    def __init__(self, *args, **kwargs):
        # no abbreviations (recheck of hostile round 19: --conf b after --config a used b, past the
        # check below, which counts each option's own names)
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str):
        self.exit(2, printable(f"{self.prog}: error: {message} (see {self.prog} --help)") + "\n")

    def parse_known_args(self, args=None, namespace=None):
        """Refuse an option of one value given twice (hostile round 19: ``--config a --config b``
        ran b's runs alone, ``--study a --study b`` read b: the last one won silently)."""
        given = list(sys.argv[1:] if args is None else args)
        for action in self._actions:
            if not isinstance(action, argparse._StoreAction) or not action.option_strings:
                continue
            times = sum(_names(word, action.option_strings) for word in given)
            if times > 1:
                self.error(f"{'/'.join(action.option_strings)} is given {times} times; give it once")
        return super().parse_known_args(args, namespace)


def _names(word: str, options: list[str]) -> bool:
    """Whether a command-line ``word`` gives one of ``options`` (``--config x``, ``--config=x``, ``-j2``)."""
    return any(word == o or (o.startswith("--") and word.startswith(o + "=")) or
               (not o.startswith("--") and word.startswith(o) and len(word) > len(o)) for o in options)
