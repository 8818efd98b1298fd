"""Writing report outputs deterministically, each with its provenance.

:class:`ReportOutputs` is what a notebook uses: ``out.table(df, name)`` writes
``tables/<name>.csv`` and ``.xlsx`` plus ``tables/<name>.provenance.json``;
``out.figure(fig, name)`` writes ``figures/<name>.png`` and ``.svg`` and shows that same PNG
in the notebook (the figure a reviewer sees is the published file). The same data and
parameters give the same bytes: CSV with fixed line endings, XLSX with fixed zip and
document timestamps, PNG/SVG without creation dates or random ids. Text cells in XLSX are
always text: a value starting with ``=`` is never stored as a formula.

Outputs go to ``output_dir``. Under ``make report`` that is the run's staging folder; a
notebook run any other way (JupyterLab, papermill by hand) writes to its own folder
(``scratch/`` by default) and says so, and may not write into ``reports/``: only the runner
publishes there, all or nothing, with the manifest.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import matplotlib
import pandas as pd

from analysis import paths, private_reads, write_targets
from analysis.files import fixed_zip_bytes, sha256_file
from analysis.pipeline import xlsx_layout
from analysis.pipeline.provenance import Provenance, display_path
from analysis.presentation import display_guard, downloads
from analysis.presentation.layout import problems
from analysis.private_data import in_private_folder
from analysis.stats import disclosure, released


def configure_matplotlib() -> None:
    """Deterministic figure output (SVG ids from a fixed salt, text kept as text), and every
    text drawn as written: a label with dollar signs (from a study file or an input) is not
    parsed as mathematics (hostile round 12: `$\alpha^$` in a status label stopped the run)."""

    matplotlib.rcParams["text.parse_math"] = False
    matplotlib.rcParams["svg.hashsalt"] = "vwnw-evaluation"
    matplotlib.rcParams["svg.fonttype"] = "none"
    matplotlib.rcParams["figure.dpi"] = 100


_FORMULA_START = re.compile(r"[ \u00a0]*[=+\-@]|[\t\r\n]")  # spaces before the sign too (hostile round 18)
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")


def formula_safe(value):
    """A text cell as a spreadsheet cannot take it for a formula: one that starts with ``=``,
    ``+``, ``-``, ``@`` (after spaces too), a tab or a line break (and is not a plain number) gets a leading
    ``'`` (OWASP's advice for CSV injection: a label ``=HYPERLINK(...)`` from a study file
    reached the CSV unchanged, hostile round 12); a carriage return inside becomes a line break
    (the CSV writer quotes a cell holding one; a bare carriage return ended the row for a
    spreadsheet, and what followed began a new one); anything else as it is."""
    if isinstance(value, str) and "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if isinstance(value, str) and len(value) > 1 and _FORMULA_START.match(value) \
            and not _PLAIN_NUMBER.fullmatch(value):  # a lone "-" is no formula
        return "'" + value
    return value


def _texts(values) -> bool:
    dtype = values.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        dtype = dtype.categories.dtype
    return pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)


def _formula_safe_labels(index: pd.Index) -> pd.Index:
    if isinstance(index, pd.MultiIndex):
        return index.set_levels([level.map(formula_safe) if _texts(level) else level for level in index.levels])
    return index.map(formula_safe) if _texts(index) else index


CSV_ENCODING = "utf-8-sig"  # UTF-8 with a byte-order mark: a spreadsheet opens the letters (é, €) as written


def write_csv(df: pd.DataFrame | pd.Series, path: Path) -> None:
    """A table as CSV, at full precision (formatting only on pages), its text cells, labels and
    column names :func:`formula_safe`; UTF-8 with a byte-order mark (:data:`CSV_ENCODING`: without
    one, Excel reads the file in the machine's code page and writes ``€`` as ``â‚¬``, review 13; pandas,
    R's ``readr`` and Python's ``utf-8-sig`` skip it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frame = pd.DataFrame(df)
    text_columns = [i for i in range(frame.shape[1]) if _texts(frame.iloc[:, i])]
    if text_columns or _texts(frame.index) or _texts(frame.columns) or isinstance(frame.index, pd.MultiIndex):
        frame = frame.copy()
        for i in text_columns:
            frame.isetitem(i, frame.iloc[:, i].astype(object).map(formula_safe))
        frame.index, frame.columns = _formula_safe_labels(frame.index), _formula_safe_labels(frame.columns)
        frame.index.names = [formula_safe(n) for n in frame.index.names]
        frame.columns.names = [formula_safe(n) for n in frame.columns.names]
    text = frame.to_csv(lineterminator="\n")
    path.write_text(text, encoding=CSV_ENCODING)


# the provenance sheet's two columns in the file's language (review 13: "key"/"value" in a Dutch file)
PROVENANCE_COLUMNS = {"nl": ["gegeven", "waarde"], "en": ["key", "value"]}


def write_xlsx(df: pd.DataFrame | pd.Series, path: Path, provenance: Provenance | None = None,
               person_counts: bool = True, lang: str = "nl") -> None:
    """XLSX with a ``provenance`` sheet; zip entry and document timestamps are fixed so
    the bytes depend only on the content. In a table of person counts an empty cell is a
    withheld one, written ``x``; in any other table an empty cell is undefined and stays
    empty (a withheld row says so in its note)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    frame = pd.DataFrame(df)
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        shown = frame.astype(object).where(frame.notna(), disclosure.SUPPRESSED if person_counts else None)
        shown.to_excel(xw, sheet_name="tabel", merge_cells=False)  # every row says its groups (review 9: merged cells)
        if provenance is not None:
            pd.DataFrame(provenance.records(), columns=PROVENANCE_COLUMNS[lang]).to_excel(
                xw, sheet_name="provenance", index=False)
        xlsx_layout.lay_out(xw.book["tabel"], header_rows=max(1, frame.columns.nlevels))
        source = provenance.notebook if provenance is not None else path.stem
        xlsx_layout.add_notes(xw.book, lang, f"{source}; {path.stem}", person_counts)
        text_never_formula(xw.book)
        props = xw.book.properties
        props.created = props.modified = datetime(2000, 1, 1)
        props.creator = props.lastModifiedBy = "vwnw-evaluation"
    path.write_bytes(fixed_zip_bytes(buf.getvalue(), datetime(2000, 1, 1)))


def text_never_formula(book) -> None:
    """openpyxl stores a string starting with ``=`` as a formula; store it as text. (Strings
    starting with ``+``, ``-`` or ``@`` are already stored as text; Excel does not re-read a
    stored text cell as a formula.)"""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


WRITTEN = ".written"  # the record of every file ReportOutputs wrote into its output folder
FIGURE_DPI = 120
DISPLAY_DPI = 100  # on-screen size in the notebook: as matplotlib's inline backend


def drawn_png(fig) -> bytes:
    """The PNG of ``fig`` as its canvas was last drawn (at :data:`FIGURE_DPI`: the layout
    check's draw), without a creation timestamp: what ``savefig(format="png")`` writes after
    drawing the figure once more (matplotlib's Agg canvas: draw, then ``image.imsave`` of its
    buffer). Figures are laid out by ``tight_layout`` when drawn, so no ``bbox_inches="tight"``."""
    from matplotlib import image  # pyplot's backend is chosen inside the kernel, on use

    buf = io.BytesIO()
    image.imsave(buf, fig.canvas.buffer_rgba(), format="png", origin="upper", dpi=fig.dpi,
                 metadata={"Software": None})
    return buf.getvalue()


def write_figure(fig, stem: Path, png: bytes) -> list[Path]:
    """Write ``png`` (``fig`` rendered) as ``<stem>.png`` and ``fig`` as ``<stem>.svg``."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    png_path, svg = stem.with_suffix(".png"), stem.with_suffix(".svg")
    png_path.write_bytes(png)
    fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    return [png_path, svg]


def checked_output_dir(output_dir: str | Path) -> Path:
    """The folder outputs go to. The runner passes its staging folder and announces it to the
    kernel; any other run's folder is judged like every other write target
    (:func:`analysis.write_targets.write_problem`, role ``output``: never in a published
    folder, ``data/raw/`` or the project's own folders) and the run says where its outputs go
    (its first output)."""
    target = paths.resolve(output_dir).resolve()
    if write_targets.is_runner_output(target):  # announced by the runner, never recognised by a name
        return target
    if (problem := write_targets.write_problem(paths.resolve(output_dir), "output")) is not None:
        raise ValueError(f"output_dir {output_dir!r} {problem}")
    print(f"Interactive run: outputs go to {display_path(target)}/ (not reports/; only `make report` "
          "publishes there).")
    return target


def _in_kernel() -> bool:
    """Whether this process is a notebook kernel (one run per process)."""
    from IPython import get_ipython  # IPython (0.3 s) only where a kernel displays: scripts and tests go without

    return get_ipython() is not None


def is_synthetic(data: pd.DataFrame) -> bool:
    """Whether every row of a participant frame is marked synthetic (column ``synthetisch``)."""
    return "synthetisch" in data.columns and len(data) > 0 and bool(data["synthetisch"].astype(bool).all())


@dataclass
class ReportOutputs:
    """Where a notebook writes, and the provenance each output carries."""

    output_dir: Path
    provenance: Provenance
    min_cell_count: int | None = None  # disclosure threshold for person-count tables
    private: bool = False  # the data are not synthetic: only what the release made is written

    def __post_init__(self):
        if self.min_cell_count is not None:  # zero and negative thresholds refused everywhere
            self.min_cell_count = disclosure.check_threshold(self.min_cell_count)

    @classmethod
    def create(cls, notebook: str, parameters: dict, inputs: dict | None = None,
               output_dir: str | Path = "reports", min_cell_count: int | None = None,
               data: pd.DataFrame | None = None) -> ReportOutputs:
        """Set up outputs for a notebook: resolve ``output_dir`` against the project root,
        hash the inputs, configure matplotlib for deterministic files. A ``min_cell_count``
        below the default needs ``data`` whose every row is marked synthetic
        (:func:`analysis.stats.disclosure.threshold_for`)."""
        if min_cell_count is not None:
            min_cell_count = disclosure.threshold_for(data if data is not None else pd.DataFrame(),
                                                      min_cell_count, ", ".join(map(str, (inputs or {}).values()))
                                                      or "the input")
        configure_matplotlib()

        outside = [p for p in (inputs or {}).values() if in_private_folder(p)]  # where real data are kept
        if outside and min_cell_count is not None and int(min_cell_count) < disclosure.DEFAULT_THRESHOLD:
            raise disclosure.DisclosureError(
                f"min_cell_count {min_cell_count}: an input in the private folder is treated as real data, "
                f"whatever it says of itself (a 'synthetisch' column or a mapping constant); the threshold must "
                f"be at least {disclosure.DEFAULT_THRESHOLD}")
        private = bool(outside) or (data is not None and not is_synthetic(data))
        prov = Provenance.collect(notebook, parameters, inputs, private=private)
        display_guard.install(private)  # the kernel shows only what the release made
        if _in_kernel():  # a synthetic run publishes on the public site: no real file read
            private_reads.allow_in_this_process() if private else private_reads.refuse_in_this_process()
        return cls(checked_output_dir(output_dir), prov, min_cell_count, private)

    def table(self, df: pd.DataFrame | pd.Series, name: str, person_counts: bool = False) -> Path:
        """Write a table. With ``person_counts=True`` the table must already have passed
        disclosure control at ``min_cell_count`` (checked, not trusted). On data that are not
        synthetic, only a table the release made (:mod:`analysis.stats.released`)."""
        if self.private:
            released.require(df, name)
        if person_counts:
            if self.min_cell_count is None:
                raise ValueError("person-count tables need ReportOutputs(min_cell_count=...)")
            disclosure.assert_protected(df, self.min_cell_count)
        tables = Path(self.output_dir) / "tables"
        csv = tables / f"{name}.csv"
        # in the run's language, as the page writes it, a table of person counts too (its withheld cells as x);
        # codes stay in `<header> (code)` columns, where a program (the declared intruder audit) reads them
        shown = downloads.for_download(disclosure.display(df) if person_counts else df, self.language())
        write_csv(shown, csv)
        write_xlsx(shown, tables / f"{name}.xlsx", self.provenance, person_counts=person_counts,
                   lang=self.language())
        self.provenance.write(tables / f"{name}.provenance.json")
        self._written(csv, tables / f"{name}.xlsx", tables / f"{name}.provenance.json")
        return csv

    def language(self) -> str:
        """The run's language (its parameter ``language``; Dutch when it has none): the language
        of its downloads' headers and labels."""
        lang = str(self.provenance.parameters.get("language", "nl"))
        return lang if lang in ("nl", "en") else "nl"

    def _written(self, *files: Path) -> None:
        """Record what this writer wrote (``.written`` in the output folder): the runner
        publishes only these files (and its own pages), so a file a cell writes into the
        output folder by hand is refused, not published."""
        with open(Path(self.output_dir) / WRITTEN, "a", encoding="utf-8") as fh:
            for f in files:
                fh.write(f"{sha256_file(f)}  {Path(f).relative_to(self.output_dir).as_posix()}\n")

    def figure(self, fig, name: str, show: bool = True, data=None) -> list[Path]:
        """Write ``fig`` as PNG and SVG, show the PNG in the notebook (``show``) and close
        the figure. The PNG is rendered once, for the file and the notebook alike. On data
        that are not synthetic, the figure must be drawn from ``data``, a table the release
        made (or be marked released itself)."""
        import matplotlib.pyplot as plt  # pyplot picks its backend when imported: inside the kernel, on use

        if data is not None and released.is_marked(data):
            released.mark(fig)
        if self.private:
            released.require(fig, name)

        fig.set_dpi(FIGURE_DPI)  # the layout check draws the canvas the PNG is taken from (one draw, not two)
        if issues := problems(fig):  # nothing clipped, nothing overlapping (presentation.layout)
            plt.close(fig)  # refused: never shown by the inline backend at the end of the cell (eighth intruder)
            raise ValueError(f"figure {name}: " + "; ".join(issues))
        png = drawn_png(fig)
        paths = write_figure(fig, Path(self.output_dir) / "figures" / name, png)
        self.provenance.write(Path(self.output_dir) / "figures" / f"{name}.provenance.json")
        self._written(*paths, Path(self.output_dir) / "figures" / f"{name}.provenance.json")
        if show:
            # IPython (0.3 s) only where a kernel displays: scripts and tests go without
            from IPython.display import Image, display

            image = Image(data=png, format="png", width=round(fig.get_figwidth() * DISPLAY_DPI),
                          metadata={"alt": getattr(fig, "alt_text", ""), "output": name})  # alt: presentation.plots
            display(released.mark(image) if released.is_marked(fig) else image)
        plt.close(fig)
        if released.is_marked(fig):  # written and shown as checked: a later change to it is not (eighth intruder:
            setattr(fig, released.MARK, None)  # a title with counts added after, then display(fig), was published)
        return paths
