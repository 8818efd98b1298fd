"""A study's published facts (``report.facts`` of a study file names a YAML file beside it):
the report's statements about its participants as checks on a participant file, and the
published-versus-pipeline table. The format is described in the head of the shipped facts
file (``studies/*.facts.yml``) and in ``docs/new-pilot.md``.

Written by hand, not with pandera: a fact is a count over a selection of persons compared
with a number, which pandera's column and frame checks do not express; the selection
language (:func:`select`) is a dozen lines of pandas. Parsing appends (key, value, rule)
problems as :mod:`analysis.study.load` does, so a broken facts file is reported with the
study file, all problems at once. Evaluating the checks on a participant frame is
:mod:`analysis.study.fact_checks` (this module imports no pandas: loading a study is part of
every runner start, the no-op rerun's included).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from analysis.study.side_files import read_side_yaml, side_path

STATUS_VARS = ("status_1", "status_2")  # the status on the study's first / second snapshot date
CHANGED = "status_changed"
ANY_OF = "any_of"
COMPARISONS = {">": "gt", ">=": "ge", "<": "lt", "<=": "le"}
BOUNDS = ("equals", "at_least", "at_most")
CHECK_KEYS = {"where", *BOUNDS, "more_than", "distinct", "share"}
FACT_KEYS = {"id", "en", "nl", "hard", "checks"}
ROW_KEYS = {"source", "text", "published", "where", "numerator", "denominator"}
NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Check:
    where: dict
    equals: int | None = None
    at_least: int | None = None
    at_most: int | None = None
    more_than: dict | None = None
    distinct: str | None = None
    share: bool = False


@dataclass(frozen=True)
class Fact:
    id: str
    en: str
    nl: str
    hard: bool
    checks: tuple[Check, ...]


@dataclass(frozen=True)
class Row:
    """A row of the published-versus-pipeline table: ``where`` for a count, or
    ``numerator`` and ``denominator`` (each (count, where)) for a percentage."""

    source: str
    text: str
    published: int
    where: dict | None = None
    numerator: tuple | None = None
    denominator: tuple | None = None


@dataclass(frozen=True)
class Facts:
    source: str
    facts: tuple[Fact, ...]
    comparison: tuple[Row, ...]

    def variables(self) -> set[str]:
        """Every participant-file column a ``where`` names (status variables excluded)."""
        out: set[str] = set()
        for where in _wheres(self):
            out |= _names(where)
        return out - set(STATUS_VARS) - {CHANGED}


def _wheres(facts: Facts):
    for f in facts.facts:
        for c in f.checks:
            yield c.where
            if c.more_than is not None:
                yield c.more_than
    for r in facts.comparison:
        for w in (r.where, r.numerator and r.numerator[1], r.denominator and r.denominator[1]):
            if w is not None:
                yield w


def _names(where: dict) -> set[str]:
    out = set()
    for k, v in where.items():
        if k == ANY_OF:
            for w in v:
                out |= _names(w)
        else:
            out.add(k)
    return out


# --------------------------------------------------------------------------- parsing
def facts_path(study_file: Path, name: str) -> Path:
    """The facts file ``name`` relative to the study file's folder."""
    return side_path(study_file, name)


def load_facts(path: Path, vocab: dict, problems: list) -> Facts | None:
    """The facts of ``path``; ``vocab`` maps status_1/status_2/sector_nieuw/... to the values
    the study allows (checked where a ``where`` names them). Appends problems (key, value,
    rule) with keys prefixed ``report.facts``."""
    key = f"report.facts ({path.name})"
    ok, doc = read_side_yaml(path, "report.facts", "must name a facts file beside the study file", problems)
    if not ok:
        return None
    if not isinstance(doc, dict) or set(doc) - {"facts", "comparison"} or "facts" not in doc:
        problems.append((key, None, "must be a mapping with facts (a list) and comparison (a list, optional)"))
        return None
    p = _Parser(key, vocab, problems)
    facts = tuple(x for i, f in enumerate(_list(p, "facts", doc["facts"])) if (x := p.fact(f"facts[{i}]", f)))
    ids = [f.id for f in facts]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append((f"{key}: facts", dup, "an id may be used once"))
    rows = tuple(x for i, r in enumerate(_list(p, "comparison", doc.get("comparison") or []))
                 if (x := p.row(f"comparison[{i}]", r)))
    return Facts(str(path), facts, rows)


def _list(p, name, value) -> list:
    if not isinstance(value, list):
        p.bad(name, value, "must be a list")
        return []
    return value


class _Parser:
    def __init__(self, key: str, vocab: dict, problems: list):
        self.key, self.vocab, self.problems = key, vocab, problems

    def bad(self, where: str, value, rule: str) -> None:
        self.problems.append((f"{self.key}: {where}", value, rule))

    def fact(self, at: str, doc) -> Fact | None:
        if not isinstance(doc, dict) or not {"id", "en", "nl", "checks"} <= set(doc) or set(doc) - FACT_KEYS:
            self.bad(at, doc, "a fact has the keys id, en, nl, checks and (optional) hard")
            return None
        if not isinstance(doc.get("hard", True), bool):
            self.bad(f"{at}.hard", doc["hard"], "must be true or false")
        checks = tuple(x for i, c in enumerate(_list(self, f"{at}.checks", doc["checks"]))
                       if (x := self.check(f"{at}.checks[{i}]", c)))
        if not checks:
            self.bad(f"{at}.checks", doc["checks"], "must hold at least one check")
            return None
        return Fact(str(doc["id"]), str(doc["en"]).strip(), str(doc["nl"]).strip(), bool(doc.get("hard", True)),
                    checks)

    def check(self, at: str, doc) -> Check | None:
        if not isinstance(doc, dict) or "where" not in doc or set(doc) - CHECK_KEYS:
            self.bad(at, doc, f"a check has a where and one or more of {[*BOUNDS, 'more_than']}; "
                              f"allowed keys: {sorted(CHECK_KEYS)}")
            return None
        if not any(k in doc for k in (*BOUNDS, "more_than")):
            self.bad(at, doc, f"a check compares its count: give one of {[*BOUNDS, 'more_than']}")
            return None
        for b in BOUNDS:
            if b in doc and (not isinstance(doc[b], int) or isinstance(doc[b], bool) or doc[b] < 0):
                self.bad(f"{at}.{b}", doc[b], "must be a whole number of persons, 0 or more")
                return None
        if "distinct" in doc and not (isinstance(doc["distinct"], str) and NAME.match(doc["distinct"])):
            self.bad(f"{at}.distinct", doc["distinct"], "must be a column of the participant file")
        more = self.where(f"{at}.more_than", doc["more_than"]) if "more_than" in doc else None
        return Check(self.where(f"{at}.where", doc["where"]), doc.get("equals"), doc.get("at_least"),
                     doc.get("at_most"), more, doc.get("distinct"), bool(doc.get("share", False)))

    def row(self, at: str, doc) -> Row | None:
        if not isinstance(doc, dict) or set(doc) - ROW_KEYS or not {"source", "text", "published"} <= set(doc):
            self.bad(at, doc, "a comparison row has source, text, published and either where or numerator "
                              "and denominator")
            return None
        if ("where" in doc) == ("numerator" in doc or "denominator" in doc):
            self.bad(at, doc, "give either where (a count) or numerator and denominator (a percentage)")
            return None
        if "where" in doc:
            return Row(str(doc["source"]), str(doc["text"]), int(doc["published"]),
                       where=self.where(f"{at}.where", doc["where"]))
        parts = []
        for part in ("numerator", "denominator"):
            d = doc.get(part)
            if not isinstance(d, dict) or set(d) != {"count", "where"} or not isinstance(d["count"], int):
                self.bad(f"{at}.{part}", d, "must give count (the report's number of persons) and where")
                return None
            parts.append((d["count"], self.where(f"{at}.{part}.where", d["where"])))
        return Row(str(doc["source"]), str(doc["text"]), int(doc["published"]), numerator=parts[0],
                   denominator=parts[1])

    def where(self, at: str, doc) -> dict:
        if not isinstance(doc, dict):
            self.bad(at, doc, "must map variables (status_1, status_2, status_changed, columns) to values")
            return {}
        out = {}
        for name, cond in doc.items():
            if name == ANY_OF:
                if not isinstance(cond, list) or not cond:
                    self.bad(f"{at}.any_of", cond, "must be a list of where mappings")
                    continue
                out[name] = [self.where(f"{at}.any_of[{i}]", w) for i, w in enumerate(cond)]
                continue
            if not (isinstance(name, str) and NAME.match(name)):
                self.bad(f"{at}.{name}", None, "a variable is status_1, status_2, status_changed or a column name")
                continue
            out[name] = self.condition(f"{at}.{name}", name, cond)
        return out

    def condition(self, at: str, name: str, cond):
        if isinstance(cond, dict):
            if set(cond) == {"not_in"} and isinstance(cond["not_in"], list):
                self.values(at, name, cond["not_in"])
            elif set(cond) == {"missing"} and isinstance(cond["missing"], bool):
                pass
            elif len(cond) == 1 and next(iter(cond)) in COMPARISONS:
                pass
            else:
                self.bad(at, cond, f"a condition is a value, a list, {{not_in: [...]}}, {{missing: true|false}} "
                                   f"or one comparison of {list(COMPARISONS)}")
            return cond
        self.values(at, name, cond if isinstance(cond, list) else [cond])
        return cond

    def values(self, at: str, name: str, values: list) -> None:
        allowed = self.vocab.get(name)
        if allowed is None:
            return
        for v in values:
            if v not in allowed:
                self.bad(at, v, f"must be one of the study's values {list(allowed)}")
