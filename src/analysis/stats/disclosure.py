"""Statistical disclosure control for frequency tables of persons.

Before any table of person counts leaves the analysis (to ``reports/``), cells with
``0 < count < threshold`` are suppressed (primary suppression; CBS and ACRO use a
threshold of 10) and, because totals are published, further cells are suppressed so no
hidden cell can be recovered by subtraction (secondary suppression): every row and column
that contains a suppressed cell contains at least two, or its total is suppressed too.

Zero cells are not sensitive and are never suppressed. Suppressed cells are ``<NA>`` in the
protected table and shown as ``x`` (the CBS convention for "geheim").

The threshold is a property of the data (:func:`threshold_for`): below the default of 10
only when every input row is marked synthetic (the participant file's required
``synthetisch`` column); zero and negative thresholds are refused everywhere
(:func:`check_threshold`). Protection across the tables of a run is
:mod:`analysis.stats.output_gate`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

DEFAULT_THRESHOLD = 10
SUPPRESSED = "x"
PARAMETER = "min_cell_count"
SYNTHETIC_MARKER = "synthetisch"


class DisclosureError(ValueError):
    """A threshold the data do not allow, or an output that would disclose."""


def check_threshold(threshold, parameter: str = PARAMETER) -> int:
    """``threshold`` as an int of at least 1, else :class:`DisclosureError` (a threshold of 0
    or less would publish every count)."""
    if isinstance(threshold, bool) or not isinstance(threshold, (int, np.integer)):
        raise DisclosureError(f"{parameter}={threshold!r}: must be a whole number of at least 1 "
                              f"(default {DEFAULT_THRESHOLD})")
    if threshold < 1:
        raise DisclosureError(f"{parameter}={threshold}: must be at least 1; zero or a negative "
                              f"threshold would publish every count (default {DEFAULT_THRESHOLD})")
    return int(threshold)


def threshold_for(data: pd.DataFrame, threshold, source: str = "the input",
                  parameter: str = PARAMETER, marker: str = SYNTHETIC_MARKER) -> int:
    """The rule: a threshold below :data:`DEFAULT_THRESHOLD` is allowed only when every row
    of ``data`` is marked synthetic (``marker`` column true). Returns the checked threshold
    or raises :class:`DisclosureError` naming the parameter, the rule and the rows."""
    k = check_threshold(threshold, parameter)
    if k >= DEFAULT_THRESHOLD:
        return k
    if marker not in data.columns:
        raise DisclosureError(f"{parameter}={k} is below the default {DEFAULT_THRESHOLD}: allowed only when "
                              f"every row of the input is marked synthetic, and {source} has no "
                              f"'{marker}' column. For real data use -p {parameter}={DEFAULT_THRESHOLD} (or more).")
    flags = data[marker]
    not_synthetic = int((~flags.fillna(False).astype(bool)).sum())
    if not_synthetic or len(data) == 0:
        raise DisclosureError(f"{parameter}={k} is below the default {DEFAULT_THRESHOLD}: allowed only when "
                              f"every row of the input is marked synthetic ('{marker}' true), but "
                              f"{not_synthetic} of {len(data)} rows of {source} are not. For real data use "
                              f"-p {parameter}={DEFAULT_THRESHOLD} (or more).")
    return k


def _secondary(counts: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    """Add cells to ``hidden`` until no row or column has exactly one hidden cell. The
    smallest visible non-zero cell of the offending line is added (it loses the least
    information); a line with no such cell gets its total hidden instead (flagged by the
    caller through :func:`protect`)."""
    hidden = hidden.copy()
    changed = True
    while changed:
        changed = False
        for axis in (0, 1) if counts.ndim == 2 else (0,):
            lines = range(counts.shape[axis]) if counts.ndim == 2 else [None]
            for i in lines:
                if counts.ndim == 1:
                    c, h = counts, hidden
                elif axis == 0:
                    c, h = counts[i, :], hidden[i, :]
                else:
                    c, h = counts[:, i], hidden[:, i]
                if h.sum() != 1:
                    continue
                candidates = np.where(~h & (c > 0), c, np.inf)
                if np.isinf(candidates).all():
                    continue  # only zeros beside it: the caller hides the line total
                j = int(np.argmin(candidates))
                if counts.ndim == 1:
                    hidden[j] = True
                elif axis == 0:
                    hidden[i, j] = True
                else:
                    hidden[j, i] = True
                changed = True
    return hidden


def protect(counts: pd.DataFrame | pd.Series, threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame | pd.Series:
    """Return ``counts`` (no margins) with primary and secondary suppression applied:
    suppressed cells become ``<NA>``. A Series is treated as one column with a total."""
    threshold = check_threshold(threshold, "threshold")
    values = counts.to_numpy(dtype=float)
    if np.isnan(values).any() or (values < 0).any():
        raise ValueError("protect() expects complete, non-negative counts")
    primary = (values > 0) & (values < threshold)
    hidden = _secondary(values, primary)
    out = counts.astype("Int64").mask(hidden)
    out.attrs = dict(counts.attrs, disclosure_threshold=threshold, n_suppressed=int(hidden.sum()))
    return out


def assert_protected(table: pd.DataFrame | pd.Series, threshold: int) -> None:
    """Raise if any visible cell of a person-count table is below the threshold."""
    threshold = check_threshold(threshold, "threshold")
    values = pd.DataFrame(table).apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    visible = values[~np.isnan(values)]
    small = visible[(visible > 0) & (visible < threshold)]
    if small.size:
        raise ValueError(f"disclosure control: {small.size} visible cell(s) below {threshold}; "
                         "count persons with the release (run.crosstab(...)), which protects the table")


def display(table: pd.DataFrame | pd.Series) -> pd.DataFrame | pd.Series:
    """Text form for reports: suppressed cells as ``x``."""
    return table.astype(object).where(table.notna(), SUPPRESSED)
