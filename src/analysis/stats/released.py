"""Which tables and figures came out of the release: the mark the display and the writer check.

On a participant file that is not synthetic, a notebook may show or write only what the
release produced (the protected tables, the gated model and test rows, figures drawn from
them) or what holds no participant data at all (a column legend, a list of methods). Every
other table, series or figure is refused, by the kernel's display
(:mod:`analysis.release.kernel`) and by the output writer
(:class:`analysis.pipeline.export.ReportOutputs`), with a message that names the release call
to use. A crosstab an evaluator types by hand is therefore never published by accident; the
safe route (``run.crosstab``) is the short one.

The mark is pandas' ``attrs`` (``vwnw_release``: ``"released"`` or ``"public"``): pandas
carries ``attrs`` through copies, renames, column edits, sorting, concatenation of marked
frames and formatting, but not into new frames that count rows (``pd.crosstab``,
``value_counts``, ``groupby().size()``), which is exactly the distinction wanted: whatever
is reshaped from a released table stays released; whatever is counted anew from participant
rows is not. A marked frame that an evaluator extends with newly counted columns keeps its
mark; a released crosstab of persons records its labels (:func:`record_labels`), so that a
column added to it is seen (:func:`added_columns`) and refused by the run's content check.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

MARK = "vwnw_release"
NUMBERS = "vwnw_release_numbers"  # the whole numbers a table held when it was marked
LABELS = "vwnw_release_labels"  # a count table's row and column labels and their names, when it was released
_STATE: dict[str, Any] = {"private": False, "check": None}

REFUSAL = ("not shown: this {kind} was not made by the release, and the data are not synthetic. Count persons "
           "with the release (run.crosstab(...), run.figure_tables(); for models run.model_release(...) and "
           "output_gate.gate_rates/gate_terms/gate_tests) and show or write what it returns (a figure with "
           "run.figure(fig, name, data=<that table>)); a table without participant data can be marked with "
           "run.public(table).")


class UnreleasedOutput(ValueError):
    """A table or figure of participant data that did not come from the release."""


def set_private(private: bool) -> None:
    """Turn the check on (the run's data are not synthetic) or off."""
    _STATE["private"] = bool(private)


def private() -> bool:
    return _STATE["private"]


def mark(obj: Any, how: str = "released") -> Any:
    """Mark a DataFrame or Series (its ``attrs``) or a matplotlib Figure (an attribute) as
    released (``how="released"``) or as holding no participant data (``how="public"``);
    returns ``obj``."""
    if how not in ("released", "public"):
        raise ValueError(f"mark: how must be 'released' or 'public', not {how!r}")
    if hasattr(obj, "attrs"):
        obj.attrs[MARK] = how
        obj.attrs[NUMBERS] = whole_numbers(obj)
        obj.attrs.pop(LABELS, None)  # marked anew (run.derived): its columns are what the marker vouches for
    else:
        setattr(obj, MARK, how)
    return obj


class Numbers(frozenset):
    """The whole numbers of a marked table: a frozenset that pandas' copies share instead of
    copying (pandas deep-copies ``attrs`` on every derived frame; at 1,000,000 participants
    notebook 04's curves hold thousands of numbers, and copying them cost seconds)."""

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def __or__(self, other):
        return Numbers(frozenset.__or__(self, other))

    __ror__ = __or__


def whole_numbers(obj: Any) -> frozenset[float]:
    """The whole numbers among the values and labels of a DataFrame or Series (its counts),
    also those written inside its texts (a method's "t(2495)", an age band "t/m 35")."""
    values = pd.Series([*(obj.to_numpy().ravel() if hasattr(obj, "to_numpy") else ()), *labels_of(obj)], dtype=object)
    numbers = pd.to_numeric(values, errors="coerce").dropna()
    found = {float(v) for v in numbers.unique() if float(v).is_integer()}
    texts = values[values.map(lambda v: isinstance(v, str))]
    found |= {float(d) for t in texts.unique() for d in re.findall(r"\d+", t)}
    found |= {float(re.sub(r"\D", "", g)) for t in texts.unique() for g in re.findall(r"\d{1,3}(?:[.,]\d{3})+", t)}
    return Numbers(found)


def labels_of(obj: Any) -> list:
    """The row and column labels and the name of a DataFrame or Series (a Series' name is
    its column), MultiIndex entries one by one."""
    labels = [*getattr(obj, "index", ()), *getattr(obj, "columns", ()), getattr(obj, "name", None)]
    return [v for x in labels for v in (x if isinstance(x, tuple) else (x,))]


def record_labels(obj: Any) -> Any:
    """Record the labels of a released count table of persons (a crosstab), so that a column
    added to it later (:func:`added_columns`) is seen; returns ``obj``. Tables the
    presentation shows under other column names (model rows, their views) are not recorded."""
    obj.attrs[LABELS] = Numbers(_all_labels(obj))
    return obj


def _all_labels(obj: Any) -> set:
    """Every row and column label of ``obj``, level by level, and the axes' names."""
    names = [*getattr(getattr(obj, "index", None), "names", ()), *getattr(getattr(obj, "columns", None), "names", ())]
    return {_hashable(v) for v in [*labels_of(obj), *names]}


def _hashable(v: Any) -> Any:
    try:
        hash(v)
    except TypeError:
        return str(v)
    return v


def added_columns(obj: Any) -> list[str]:
    """The columns of a released count table that it did not have, under any label, when the
    release recorded it (a mean or share added by hand beside the counts: intruder round 21's
    mean years of service of a one-person group); none for an unmarked or unrecorded table."""
    attrs = getattr(obj, "attrs", None)
    if not isinstance(attrs, dict) or LABELS not in attrs or not isinstance(obj, pd.DataFrame):
        return []
    known = attrs[LABELS]
    return [str(c) for c in obj.columns
            if any(_hashable(v) not in known for v in (c if isinstance(c, tuple) else (c,)))]


def own_column_names(obj: Any) -> set[str] | None:
    """The names a view of a recorded count table gives its own columns and axes (a
    MultiIndex column as its parts joined by spaces, as :func:`analysis.presentation.styling.styled`
    flattens it); None for a table whose labels were not recorded."""
    attrs = getattr(obj, "attrs", None)
    if not isinstance(attrs, dict) or LABELS not in attrs or not isinstance(obj, pd.DataFrame | pd.Series):
        return None
    if isinstance(obj, pd.Series):  # a view shows it as a column named after the Series
        return {str(n) for n in (*obj.index.names, obj.name) if n is not None}
    added = set(added_columns(obj))
    columns = [c for c in obj.columns if str(c) not in added]
    names = [n for n in (*obj.index.names, *obj.columns.names) if n is not None]
    return {" ".join(str(p) for p in (c if isinstance(c, tuple) else (c,)) if str(p)) for c in columns} | \
        {str(n) for n in names}


def vouch_labels(obj: Any, labels) -> Any:
    """Add ``labels`` (the labels a view wrote for a recorded table's own columns) to the labels
    the table may show; returns ``obj``."""
    obj.attrs[LABELS] = Numbers(obj.attrs.get(LABELS, frozenset()) | {_hashable(v) for v in labels})
    return obj


def label_digits(obj: Any) -> set[float]:
    """The digits written in a table's labels (``triage_1``, shown as "Triagepad 1")."""
    return {float(d) for label in labels_of(obj) if label is not None for d in re.findall(r"\d+", str(label))}


def marked_numbers(obj: Any) -> frozenset[float]:
    """The whole numbers ``obj`` held when the release marked it (none if unmarked)."""
    attrs = getattr(obj, "attrs", None)
    return Numbers(attrs.get(NUMBERS, ())) if isinstance(attrs, dict) else Numbers()


def public(obj: Any) -> Any:
    """Mark a table without participant data (a legend, a list of methods)."""
    return mark(obj, "public")


def is_marked(obj: Any) -> bool:
    data = getattr(obj, "data", None) if type(obj).__name__ == "Styler" else obj
    attrs = getattr(data, "attrs", None)
    if isinstance(attrs, dict):
        return attrs.get(MARK) in ("released", "public")
    return getattr(obj, MARK, None) in ("released", "public")


def set_content_check(check) -> None:
    """A check of a marked table's content (``check(table, caption) -> str | None``, the problem):
    the run sets one on real data, so that a count written by hand into a released table
    (``shown.loc["hoog"] = 7``, a new column of counts) is refused although the mark survives."""
    _STATE["check"] = check


def content_problem(obj: Any) -> str | None:
    check = _STATE["check"]
    if check is None or not private() or type(obj).__name__ == "Figure":
        return None
    styler = type(obj).__name__ == "Styler"
    data = getattr(obj, "data", None) if styler else obj
    caption = getattr(obj, "caption", None) if styler else None  # a caption set by hand is shown too
    return check(data, caption) if hasattr(data, "attrs") else None


def allowed(obj: Any) -> bool:
    """Whether ``obj`` may be shown or written: always on synthetic data, else only marked,
    with a content the run's check accepts."""
    return not private() or (is_marked(obj) and content_problem(obj) is None)


def refusal(obj: Any) -> str:
    if is_marked(obj) and (problem := content_problem(obj)):
        return problem
    kind = "figure" if type(obj).__name__ == "Figure" else "table"
    return REFUSAL.format(kind=kind)


def require(obj: Any, name: str = "") -> None:
    """Raise :class:`UnreleasedOutput` unless ``obj`` may be published."""
    if not allowed(obj):
        raise UnreleasedOutput((f"{name}: " if name else "") + refusal(obj))
