"""YAML for configuration and command-line values: PyYAML's safe loader with YAML 1.2's
plain scalars and limits on what aliases may expand to.

Why not PyYAML's rules as they are: they follow YAML 1.1, where ``012`` is the octal 10,
``010`` is 8, ``1:30`` is the sexagesimal 90, ``yes``/``no``/``on``/``off`` are booleans and
``2021-04-01`` is a date. A parameter file or a ``-p`` value read that way changes a number
without a word. Here a plain scalar is an int only when written as one in decimal without
a leading zero, a float only with a point or an exponent, a boolean only ``true``/``false``,
null only ``null``/``~``/empty; everything else (``012``, ``1:30``, ``yes``, dates) stays
text, and the caller that expects a number says what is wrong with it.

Why the limits: an anchor referenced many times from nodes that are themselves referenced
many times (a "billion laughs" document) is small on disk but expands to an exponential
number of nodes when anything walks it (building an error message's ``repr``, hashing the
parameters). :func:`load` refuses a document with more than :data:`MAX_ALIASES` aliases or
whose expansion holds more than :data:`MAX_NODES` nodes, before anything walks it. No
library in the lock file offers these limits for PyYAML (ruamel.yaml has none either)."""

from __future__ import annotations

import copy
import functools
import re
from typing import Any

import yaml

from analysis.terminal_text import visible

MAX_ALIASES = 100
MAX_NODES = 100_000
MAX_DIGITS = 100  # digits of one number (every number of a configuration, study or mapping has a few)
MAX_BYTES = 1_000_000


class YamlLimitError(ValueError):
    """A document that is not valid YAML, too large, or that expands beyond the limits."""


class StrictLoader(yaml.SafeLoader):
    """Safe loader, YAML 1.2 core plain scalars, alias count limited (see the module doc)."""

    def __init__(self, stream):
        super().__init__(stream)
        self._aliases = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                event = self.peek_event()
                raise YamlLimitError(f"more than {MAX_ALIASES} aliases (*name) at line {event.start_mark.line + 1}: "
                                     "a configuration needs none; write the values out")
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        """A key written twice in one mapping is an error (PyYAML keeps the last one silently:
        ``{min_cell_count: 10, min_cell_count: 1}`` ran at 1), and so is the merge key ``<<``
        (YAML 1.1 only: read as a key named ``<<`` it drew a message about parameter names)."""
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge" or (
                        isinstance(key_node, yaml.ScalarNode) and key_node.value == "<<" and key_node.style is None):
                    raise yaml.constructor.ConstructorError(
                        None, None, "the merge key << (YAML 1.1) is not read: write the keys out in this mapping "
                                    "(an alias *name may stand for a whole value, not be merged into a mapping)",
                        key_node.start_mark)
                key = self.construct_object(key_node, deep=True)
                if isinstance(key, (str, int, float, bool)) and key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"the key {key!s} is written twice in one mapping", key_node.start_mark)
                seen.add(key) if isinstance(key, (str, int, float, bool)) else None
        return super().construct_mapping(node, deep)


StrictLoader.yaml_implicit_resolvers = {}
_INT_TEXT = r"^[-+]?(?:0|[1-9][0-9]*)$"
_FLOAT_TEXT = (r"^[-+]?(?:[0-9]+\.[0-9]*(?:[eE][-+]?[0-9]+)?|\.[0-9]+(?:[eE][-+]?[0-9]+)?"
               r"|[0-9]+[eE][-+]?[0-9]+)$")
for _tag, _pattern, _first in (
        ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
        ("tag:yaml.org,2002:int", _INT_TEXT, "-+0123456789"),
        ("tag:yaml.org,2002:float", _FLOAT_TEXT, "-+0123456789."),
        ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
):
    StrictLoader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))


def _plain_number(make, *patterns: str):
    """A constructor for an explicit ``!!int`` / ``!!float`` tag that reads only what a plain
    scalar would be read as: YAML 1.1's ``!!int 0b1010``, ``!!int 0x1F``, ``!!int 1:30`` and
    ``!!float .nan``, ``.inf`` are refused (one message with the line), not read as 10, 31,
    90, NaN -- nor left to raise a ValueError of their own."""
    compiled = [re.compile(p) for p in patterns]

    def construct(loader, node):
        text = node.value if isinstance(node, yaml.ScalarNode) else None
        if isinstance(text, str) and (digits := sum(ch.isdigit() for ch in text)) > MAX_DIGITS:
            raise yaml.constructor.ConstructorError(  # Python reads at most 4,300 digits: a ValueError of its own
                None, None, f"a number of {digits:,} digits; a number here has at most {MAX_DIGITS} digits",
                node.start_mark)
        if not isinstance(text, str) or not any(p.match(text) for p in compiled):
            tag = node.tag.rsplit(":", 1)[-1]
            raise yaml.constructor.ConstructorError(
                None, None, f"the value '{visible(text)}' tagged !!{tag} must be a number written in decimal digits "
                            "(such as 10 or 0.5, a float with a point); write it without the tag", node.start_mark)
        return make(text)

    return construct


StrictLoader.add_constructor("tag:yaml.org,2002:int", _plain_number(int, _INT_TEXT))
StrictLoader.add_constructor("tag:yaml.org,2002:float", _plain_number(float, _FLOAT_TEXT, _INT_TEXT))


class _Written:
    """A number that keeps the text it was written as (``+10``, ``-0``, ``1e1``, ``.5``), for
    messages that quote a value as written; otherwise the number it is (json, papermill and
    pickle see the number). ``parse`` makes the number of the text."""

    written: str
    parse = staticmethod(int)

    def __new__(cls, text: str):
        obj = super().__new__(cls, cls.parse(text))
        obj.written = text
        return obj

    def __reduce__(self):
        return type(self), (self.written,)


class WrittenInt(_Written, int):
    """An int that keeps the text it was written as (see :class:`_Written`)."""


class WrittenFloat(_Written, float):
    """A float that keeps the text it was written as (see :class:`_Written`)."""

    parse = staticmethod(float)


class WrittenNull:
    """YAML's null written on the command line (``~``, ``null``): its text, until the notebook's
    default says what it stands for (:func:`analysis.pipeline.runs.apply_overrides`)."""

    __slots__ = ("written",)

    def __init__(self, text: str):
        self.written = text

    def __bool__(self) -> bool:
        return False

    def __str__(self) -> str:
        return self.written

    def __repr__(self) -> str:
        return repr(self.written)


def as_written(value: Any) -> str:
    """A value as its text was written (a number of this module as typed, ``true``/``false``,
    an empty text for null)."""
    if hasattr(value, "written"):
        return value.written
    return "true" if value is True else "false" if value is False else "" if value is None else str(value)


def plain(value: Any) -> Any:
    """``value`` with every number that kept its text as the plain int or float (in lists and
    mappings too)."""
    if isinstance(value, dict):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, WrittenInt):
        return int(value)
    if isinstance(value, WrittenFloat):
        return float(value)
    return value


class NumberTextLoader(StrictLoader):
    """:class:`StrictLoader` whose ints and floats keep the text they were written as (a
    mapping file's numbers: a message quotes ``1.0`` as written, not as 1)."""


NumberTextLoader.add_constructor("tag:yaml.org,2002:int", _plain_number(WrittenInt, _INT_TEXT))
NumberTextLoader.add_constructor("tag:yaml.org,2002:float", _plain_number(WrittenFloat, _FLOAT_TEXT, _INT_TEXT))


class TextKeepingLoader(NumberTextLoader):
    """:class:`NumberTextLoader` whose nulls keep their text too (a run configuration's values,
    typed against the notebooks' defaults later)."""


TextKeepingLoader.add_constructor("tag:yaml.org,2002:null", lambda loader, node: WrittenNull(node.value))


def expanded_size(value: Any, limit: int = MAX_NODES) -> int:
    """Nodes in ``value`` counting every reference again (as a walk would see them), computed
    without walking the expansion (each shared node is sized once); stops above ``limit``."""
    sizes: dict[int, int] = {}

    def size(node: Any) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        sizes[key] = limit + 1  # a node that contains itself expands without end
        if isinstance(node, dict):
            total = 1 + sum(size(k) + size(v) for k, v in node.items())
        elif isinstance(node, list):
            total = 1 + sum(size(v) for v in node)
        else:
            total = 1
        sizes[key] = min(total, limit + 1)
        return sizes[key]

    return size(value)


def written_size(value: Any, limit: int = MAX_NODES) -> int:
    """Nodes in ``value`` as written: a list or mapping reached twice (through an alias) is
    counted once; stops above ``limit``. Beside :func:`expanded_size` it tells a document that
    holds too many values from one that aliases make too large (hostile round 15, H3)."""
    seen: set[int] = set()
    total, todo = 0, [value]
    while todo and total <= limit:
        node = todo.pop()
        total += 1
        if isinstance(node, (dict, list)):
            if id(node) in seen:
                continue
            seen.add(id(node))
            todo.extend([*node.keys(), *node.values()] if isinstance(node, dict) else node)
    return total


def load(text: str, what: str = "the document", loader: type = StrictLoader) -> Any:
    """``text`` read with :class:`StrictLoader`; :class:`YamlLimitError` (one line naming
    ``what`` and the line) for invalid YAML or a document beyond the limits. A text read
    before in this process is not parsed again (a study's files are read by every check of a
    run and by many of a test suite's cases; PyYAML's pure-Python composer, which the strict
    rules need, takes about 90 ms per study load; what the cache saves over the whole suite
    was within the noise of its measurement): each caller gets its own deep copy, so that no
    caller sees another's edits."""
    if len(text) > MAX_BYTES:
        raise YamlLimitError(f"{what} is {len(text):,} characters; at most {MAX_BYTES:,} are read")
    try:
        value = _parsed(text, loader)
    except _Refused as exc:
        raise YamlLimitError(str(exc).format(what=what)) from None
    return copy.deepcopy(value)


class _Refused(Exception):
    """A reason :func:`load` refuses a text, with ``{what}`` where it names the document."""


@functools.lru_cache(maxsize=64)
def _parsed(text: str, loader: type) -> Any:
    """``text`` parsed and checked against the limits (cached: only what passes is kept)."""
    try:
        value = yaml.load(text, Loader=loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise _Refused(_braced(f"{{what}} is not valid YAML{where}: ", f"{exc.problem or exc.context}")) from None
    except yaml.YAMLError as exc:
        raise _Refused(_braced("{what} is not valid YAML: ", str(exc).splitlines()[0])) from None
    except RecursionError:
        raise _Refused("{what} nests too deeply") from None
    if written_size(value) > MAX_NODES:
        raise _Refused(f"{{what}} holds more than {MAX_NODES:,} values (lists, mappings and their entries); "
                       "that is the limit of a file the project reads: a configuration needs far fewer")
    if expanded_size(value) > MAX_NODES:
        raise _Refused(f"{{what}} expands to more than {MAX_NODES:,} values through its aliases (*name): "
                       "a configuration needs none; write the values out")
    return value


def _braced(template: str, text: str) -> str:
    """``template`` then ``text`` with its braces doubled (kept as written by ``str.format``)."""
    return template + text.replace("{", "{{").replace("}", "}}")
