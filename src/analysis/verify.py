"""``make verify``: rerun every notebook into a temporary folder and compare each table and
figure file with ``reports/`` byte for byte (provenance sidecars and HTML carry the commit
and run times, so they are compared by content of their data, not here)."""

from __future__ import annotations

import argparse
import filecmp
import sys
import tempfile
from pathlib import Path

from . import paths, runner

COMPARED = ("tables/*.csv", "tables/*.xlsx", "figures/*.png", "figures/*.svg")


def compare(a: Path, b: Path) -> list[str]:
    """Differences between two report folders, as messages (empty: identical)."""
    problems = []
    for pattern in COMPARED:
        left = {p.relative_to(a) for p in a.glob(pattern)}
        right = {p.relative_to(b) for p in b.glob(pattern)}
        problems += [f"only in {a}: {p}" for p in sorted(left - right)]
        problems += [f"only in {b}: {p}" for p in sorted(right - left)]
        problems += [f"differs: {p}" for p in sorted(left & right)
                     if not filecmp.cmp(a / p, b / p, shallow=False)]
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m analysis verify")
    ap.add_argument("--reports", type=Path, default=paths.REPORTS)
    ap.add_argument("-j", "--workers", default="auto", help="parallel notebook runs (number or 'auto')")
    args = ap.parse_args(argv)
    runner.skip_slow_optional_imports()
    if not (args.reports / "tables").is_dir():
        print(f"error: {args.reports} has no outputs yet; run `make report` first", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="vwnw-verify-") as tmp:
        runs = runner.discover_runs(paths.NOTEBOOKS, paths.NOTEBOOKS / "report.yml")
        runner.run_report(runs, Path(tmp), workers=args.workers, force=True)
        problems = compare(args.reports, Path(tmp))
        n = sum(len(list(Path(tmp).glob(p))) for p in COMPARED)
    if problems:
        print("verify: outputs are NOT reproducible:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    print(f"verify: {n} table and figure files identical byte for byte")
    return 0
