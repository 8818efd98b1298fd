"""The kernel's display, checked: on data that are not synthetic, a table, series or figure
that did not come from the release is shown as a one-line refusal, never as its numbers.

:func:`install` is called once per kernel by the run's set-up (``ReportOutputs.create``).
It wraps what IPython and ``print`` use to show pandas objects (``__repr__``,
``_repr_html_``) and matplotlib figures (the inline backend's PNG and SVG formatters, so
that a figure drawn from participant rows by hand and left open at the end of a cell is not
displayed). What may be shown is decided by :mod:`analysis.stats.released`. Written by hand:
IPython has no per-object display policy, and ACRO checks outputs only when they are made
through its own calls, not what a cell displays.
"""

from __future__ import annotations

import html

import pandas as pd
from pandas.io.formats.style import Styler

from analysis.private_data import key
from analysis.stats import released
from analysis.stats.output_tags import tagged_metadata

_ORIGINAL: dict[tuple[type, str], object] = {}


def _wrap(cls: type, name: str, render) -> None:
    if (cls, name) in _ORIGINAL:
        return
    original = getattr(cls, name)
    _ORIGINAL[(cls, name)] = original

    def guarded(self, *args, **kwargs):
        if released.allowed(self):
            return original(self, *args, **kwargs)
        return render(released.refusal(self))

    guarded.__name__ = name
    setattr(cls, name, guarded)


def _figure_formatters() -> None:
    """Wrap the figure formatters of the inline backend (registered when pyplot is first
    imported in a kernel)."""
    from IPython import get_ipython  # IPython (0.3 s) only where a kernel displays: scripts and tests go without

    ip = get_ipython()
    if ip is None:
        return
    import matplotlib.pyplot  # noqa: F401  (configures the inline backend's formatters)
    from matplotlib.figure import Figure  # after pyplot, which must first be imported inside the kernel

    for mime in ("image/png", "image/svg+xml", "image/jpeg", "application/pdf"):
        formatter = ip.display_formatter.formatters.get(mime)
        if formatter is None:
            continue
        try:
            printer = formatter.lookup_by_type(Figure)
        except KeyError:
            continue
        if getattr(printer, "vwnw_guarded", False):
            continue

        def guarded(fig, _printer=printer):
            return _printer(fig) if released.allowed(fig) else None
        guarded.vwnw_guarded = True
        formatter.for_type(Figure, guarded)
    ip.display_formatter.formatters["text/plain"].for_type(
        Figure, lambda fig, p, cycle: p.text(repr(fig) if released.allowed(fig) else released.refusal(fig)))


def _tag_released_displays() -> None:
    """Tag every display of a released or public object with a keyed hash of its content
    (:mod:`analysis.stats.output_tags`): a private run's page keeps only tagged outputs."""
    from IPython import get_ipython  # IPython (0.3 s) only where a kernel displays: scripts and tests go without

    ip = get_ipython()
    if ip is None or getattr(ip.display_formatter.format, "vwnw_tagging", False):
        return

    original, secret = ip.display_formatter.format, key()

    def format(obj, include=None, exclude=None):
        data, metadata = original(obj, include=include, exclude=exclude)
        if released.is_marked(obj) and data:
            metadata = tagged_metadata(data, metadata, secret)
        return data, metadata
    format.vwnw_tagging = True
    ip.display_formatter.format = format


def install(private: bool) -> None:
    """Check every display of this kernel when ``private`` (the data are not synthetic)."""
    released.set_private(private)
    if not private:
        return

    _wrap(pd.DataFrame, "__repr__", str)
    _wrap(pd.Series, "__repr__", str)
    _wrap(pd.DataFrame, "_repr_html_", lambda msg: f"<p><em>{html.escape(msg)}</em></p>")
    _wrap(Styler, "_repr_html_", lambda msg: f"<p><em>{html.escape(msg)}</em></p>")
    _wrap(pd.DataFrame, "to_string", str)
    _wrap(pd.Series, "to_string", str)
    _wrap(pd.DataFrame, "to_markdown", str)
    _figure_formatters()
    _tag_released_displays()
