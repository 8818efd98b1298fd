"""Regular expressions of a mapping file (``patterns``, ``skip_rows``) checked before they are
used, so that no pattern can take exponential or high-polynomial time on a long label
(catastrophic backtracking, ReDoS: ``^(a+)+$`` on 32 ``a`` and ``!`` runs for minutes).

Python's ``re`` has no time limit and no linear-time engine is among the project's
dependencies, so the patterns are checked by their parsed structure (``re._parser``, the
parser ``re.compile`` itself uses) and the text they run on is bounded:

- no repeat inside a repeat (``(a+)+``, ``(\\w*\\s?)*``: exponential), counting only repeats
  of more than one (``(niveau )?`` inside a repeat is allowed);
- no part of varying length repeated more than once (``(?:a?){30}a{30}``, ``(a?a){100}``: each
  turn may take one character or none, or one or two, so a text can be split between the
  turns in exponentially many ways; hostile round 14: 30 ``a`` and ``!`` ran for minutes),
  bounded or not; a repeated part of fixed length (``[ -]{0,2}``, ``\\d{4}``) and an optional
  part that is not repeated (``(niveau )?``) stay allowed;
- no alternation inside a repeat of more than one, bounded or not (``(a|a)*``, ``(a|ab)+``,
  and ``(a|a){0,200}``, ``^(a|aa){1,200}$``: a bound of 200 is exponential up to 2**200);
- at most :data:`MAX_UNBOUNDED` open-ended repeats in one pattern (``.*a.*b.*c.*d``:
  polynomial, of degree their number plus one for the search), counting ``*``, ``+``,
  ``{n,}`` and every bound above :data:`MAX_SHORT` (``.{0,200}`` is open-ended on a label of at
  most 200 characters: five of them took 11 s on one label);
- labels matched are at most :data:`MAX_LABEL` characters (see :mod:`analysis.data.mapped`).

With these, a search costs at most about ``MAX_LABEL ** (MAX_UNBOUNDED + 1)`` steps (8
million), well under a second.
"""

from __future__ import annotations

try:  # Python 3.11+
    import re._constants as _c
    import re._parser as _p
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

MAX_UNBOUNDED = 2
MAX_SHORT = 16  # a repeat bounded by at most this many counts as short (``\d{4}``, ``[ -]{0,2}``)
MAX_LABEL = 200
_REPEATS = (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", _c.MAX_REPEAT))
_UNBOUNDED = _c.MAXREPEAT


def _walk(items, inside_repeat: bool, inside_many: bool, found: dict) -> None:
    for op, arg in items:
        if op in _REPEATS:
            low, high, body = arg
            if high > 1:
                if inside_repeat:
                    found.setdefault("nested", True)
                width = _width(body)
                if width is None or width[0] != width[1]:
                    found.setdefault("varying", True)
                if high == _UNBOUNDED or high > MAX_SHORT:
                    found["unbounded"] = found.get("unbounded", 0) + 1
            _walk(body, inside_repeat or high > 1, inside_many or high > 1, found)
        elif op == _c.SUBPATTERN:
            _walk(arg[-1], inside_repeat, inside_many, found)
        elif op == _c.BRANCH:
            if inside_many:
                found.setdefault("branch", True)
            for alternative in arg[1]:
                _walk(alternative, inside_repeat, inside_many, found)
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            _walk(arg[1], inside_repeat, inside_many, found)
        elif op == _c.GROUPREF_EXISTS:
            for part in arg[1:]:
                if part is not None:
                    _walk(part, inside_repeat, inside_many, found)
        elif op == getattr(_c, "ATOMIC_GROUP", None):
            _walk(arg, inside_repeat, inside_many, found)


def _width(body) -> tuple[int, int] | None:
    """The shortest and longest text ``body`` (a parsed part) matches, None when unknown."""
    try:
        return tuple(body.getwidth())
    except Exception:  # noqa: BLE001 - a part the parser cannot measure is treated as of varying length
        return None


def pattern_problem(pattern: str) -> str | None:
    """Why ``pattern`` may backtrack catastrophically (None: it is safe to search with)."""
    try:
        parsed = _p.parse(pattern)
    except Exception as err:  # noqa: BLE001 - re.error, or a recursion on absurd nesting
        return f"must be a regular expression ({err})"
    found: dict = {}
    _walk(parsed, False, False, found)
    advice = ("; write it without repeating a repeated part, e.g. '^a+$' for '^(a+)+$', or list the labels "
              "under map")
    if found.get("nested"):
        return "the pattern repeats a part that itself repeats (catastrophic backtracking on a long label)" + advice
    if found.get("branch"):
        return ("the pattern repeats a choice between alternatives (catastrophic backtracking on a long label)"
                + advice)
    if found.get("varying"):
        return ("the pattern repeats a part whose length varies, such as '(a?){30}' (one character or none "
                "each time: catastrophic backtracking on a long label); write the repeated part with a fixed "
                "length, e.g. 'a{0,30}' for '(a?){30}', or list the labels under map")
    if found.get("unbounded", 0) > MAX_UNBOUNDED:
        return (f"a pattern may have at most {MAX_UNBOUNDED} open-ended repeats (*, +, {{n,}}, or a bound over "
                f"{MAX_SHORT} such as {{0,200}}, as open on a label of at most {MAX_LABEL} characters); this one has "
                f"{found['unbounded']} (slow on a long label): anchor it or list the labels under map")
    return None
