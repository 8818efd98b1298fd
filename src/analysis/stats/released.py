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
mark, which is a deliberate act this module cannot see; the README says so.
"""

from __future__ import annotations

from typing import Any

MARK = "vwnw_release"
_STATE = {"private": False}

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
    else:
        setattr(obj, MARK, how)
    return obj


def public(obj: Any) -> Any:
    """Mark a table without participant data (a legend, a list of methods)."""
    return mark(obj, "public")


def is_marked(obj: Any) -> bool:
    data = getattr(obj, "data", None) if type(obj).__name__ == "Styler" else obj
    attrs = getattr(data, "attrs", None)
    if isinstance(attrs, dict):
        return attrs.get(MARK) in ("released", "public")
    return getattr(obj, MARK, None) in ("released", "public")


def allowed(obj: Any) -> bool:
    """Whether ``obj`` may be shown or written: always on synthetic data, else only marked."""
    return not private() or is_marked(obj)


def refusal(obj: Any) -> str:
    kind = "figure" if type(obj).__name__ == "Figure" else "table"
    return REFUSAL.format(kind=kind)


def require(obj: Any, name: str = "") -> None:
    """Raise :class:`UnreleasedOutput` unless ``obj`` may be published."""
    if not allowed(obj):
        raise UnreleasedOutput((f"{name}: " if name else "") + refusal(obj))
