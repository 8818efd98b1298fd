"""``make verify``: rerun every notebook into a temporary folder and compare each table and
figure file with ``reports/``: CSV, PNG and SVG byte for byte; XLSX cell by cell in every
sheet, apart from the ``git_commit`` row of its provenance sheet (outputs that no change
made stale keep the commit they were made at, while the rerun carries the current one).
Provenance sidecars and HTML carry the commit and run times and are not compared.

Each run is redone with the parameters it was published with (from the run state), not with
today's ``report.yml``: verify checks that what ``reports/`` holds can be made again."""

from __future__ import annotations

import argparse
import filecmp
import sys
import tempfile
from pathlib import Path

from analysis import paths
from analysis.pipeline import runner, runs
from analysis.pipeline.state import read_state
from analysis.private_data import PRIVATE_LABEL

COMPARED = ("tables/*.csv", "tables/*.xlsx", "figures/*.png", "figures/*.svg")


def compare(a: Path, b: Path) -> list[str]:
    """Differences between two report folders, as messages (empty: identical)."""
    problems = []
    for pattern in COMPARED:
        left = {p.relative_to(a) for p in a.glob(pattern)}
        right = {p.relative_to(b) for p in b.glob(pattern)}
        problems += [f"only in {a}: {p}" for p in sorted(left - right)]
        problems += [f"only in {b}: {p}" for p in sorted(right - left)]
        problems += [f"differs: {p}" for p in sorted(left & right) if not same_file(a / p, b / p)]
    return problems


def same_file(a: Path, b: Path) -> bool:
    if filecmp.cmp(a, b, shallow=False):
        return True
    return a.suffix == ".xlsx" and xlsx_cells(a) == xlsx_cells(b)


def xlsx_cells(path: Path) -> dict[str, list[tuple]]:
    """Every sheet's cell values, without the provenance sheet's ``git_commit`` row."""
    from openpyxl import load_workbook  # openpyxl (0.3 s) only when a workbook is compared

    book = load_workbook(path, read_only=True)
    cells = {ws.title: [row for row in ws.iter_rows(values_only=True)
                        if not (ws.title == "provenance" and row and row[0] == "git_commit")]
             for ws in book.worksheets}
    book.close()
    return cells


def published_runs(reports: Path, notebooks: Path = paths.NOTEBOOKS) -> list[runs.NotebookRun]:
    """Every run published in ``reports``, with the parameters it was made with. A run on a
    private input is refused: the published state does not keep its path."""
    recorded = read_state(reports)
    private = sorted(n for n, e in recorded.items() if PRIVATE_LABEL in (e.get("parameters") or {}).values())
    if private:
        raise runs.ReportError(f"run {private[0]!r} read a private input, whose path the published state does not "
                               "keep: verify it by rerunning your real-data command with --reports "
                               "reports-private-verify (git ignores reports-private*/) and comparing the two folders "
                               "(diff -r)")
    return [runs.NotebookRun(name, notebooks / entry["notebook"], dict(entry.get("parameters") or {}))
            for name, entry in sorted(recorded.items()) if entry.get("notebook")]


def add_arguments(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("--reports", type=Path, default=paths.REPORTS, help="published outputs to check")
    ap.add_argument("-j", "--workers", default="auto", type=runner.workers_option,
                    help="parallel notebook runs (number or 'auto')")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m analysis verify")
    add_arguments(ap)
    return command(ap.parse_args(argv))


def command(args: argparse.Namespace) -> int:
    """``python -m analysis verify``."""
    runner.skip_slow_optional_imports()
    if not (args.reports / "tables").is_dir():
        print(f"error: {args.reports} has no outputs yet; run `make report` first", file=sys.stderr)
        return 1
    try:
        run_list = published_runs(args.reports)
    except runs.ReportError as exc:  # newpilot2 (F12): a traceback whose last line was this message
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if not run_list:
        print(f"error: {args.reports} has no run state; run `make report` first", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="vwnw-verify-") as tmp:
        try:
            runner.run_report(run_list, Path(tmp), workers=args.workers, force=True, log=lambda _: None)
        except runs.ReportError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        problems = compare(args.reports, Path(tmp))
        n = sum(len(list(Path(tmp).glob(p))) for p in COMPARED)
    if problems:
        print("verify: outputs are NOT reproducible:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    print(f"verify: {n} table and figure files identical (CSV, PNG, SVG byte for byte; XLSX cell by cell)")
    return 0
