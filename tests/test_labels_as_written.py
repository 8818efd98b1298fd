"""A label is drawn as written: dollar signs in a study file's or an input's label are not
mathematics (hostile round 12: a status label `<svg onload=alert(4)>$\\alpha^$ in traject`
stopped notebook 02 with matplotlib's mathtext parser error; a balanced `$x$` would have been
drawn as a formula, silently)."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from analysis.pipeline.export import configure_matplotlib  # noqa: E402


def test_dollar_signs_in_labels_are_drawn_as_written():
    configure_matplotlib()
    fig, ax = plt.subplots()
    try:
        labels = [r"$\alpha^$ in traject", "$x$ zorg", "a $ b"]
        ax.bar(labels, [1, 2, 3])
        ax.set_title("$10^{-1}$")
        svg = io.StringIO()
        fig.savefig(svg, format="svg")
        png = io.BytesIO()
        fig.savefig(png, format="png")  # the mathtext parser ran here and raised before
    finally:
        plt.close(fig)
    text = svg.getvalue()
    for label in (r"$\alpha^$ in traject", "$x$ zorg", "$10^{-1}$"):
        assert label in text
