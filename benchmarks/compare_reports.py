"""Two report folders compared for a speed change that must not change any output
(docs/performance.md): ``python benchmarks/compare_reports.py BEFORE AFTER``.

Tables, figures and their files (CSV, PNG, SVG, TXT, Markdown) must be the same bytes; XLSX
the same cells (``analysis.pipeline.verify``: the provenance sheet names the commit);
provenance JSON the same apart from ``git_commit``; HTML pages and executed notebooks the
same apart from what differs on every rerun of unchanged code: the commit, the run's
duration (``in 28.2 s``), papermill's random id of the injected-parameters cell, the cells'
execution timestamps, the memory address in an object's repr; the manifest apart from the
hashes of those files. Prints every difference; exit code 1 when there is one.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from analysis.pipeline.verify import same_file

SKIPPED = {".lock", ".runner-state.json"}
MASKS = [
    (re.compile(rb"\b[0-9a-f]{64}\b"), b"<sha256>"),  # the manifest's hashes (of files compared here themselves)
    (re.compile(rb"\b[0-9a-f]{12}(-dirty)?(?=</code>|`|\"|<)"), b"<commit>"),  # short commit ids
    (re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z"), b"<timestamp>"),
    (re.compile(rb"\bin \d+[.,]\d s\b"), b"in <duration>"),
    (re.compile(rb"cell-id=[0-9a-f]{8}"), b"cell-id=<id>"),
    (re.compile(rb'"id": "[0-9a-f]{8}"'), b'"id": "<id>"'),
    (re.compile(rb'"(start_time|end_time|duration)": [^,\n]+'), rb'"\1": <time>'),
    (re.compile(rb"\d+[.,]\d+ ?s(?=[ )<])"), b"<seconds>"),
    (re.compile(rb" at 0x[0-9a-f]+>"), b" at <address>>"),  # an object's repr in a notebook's text output
]


def masked(data: bytes) -> bytes:
    for pattern, replacement in MASKS:
        data = pattern.sub(replacement, data)
    return data


def same(a: Path, b: Path) -> bool:
    if same_file(a, b):
        return True
    if a.suffix == ".json":
        try:
            left, right = json.loads(a.read_bytes()), json.loads(b.read_bytes())
        except ValueError:
            return False
        if isinstance(left, dict) and isinstance(right, dict):
            left.pop("git_commit", None), right.pop("git_commit", None)
        return left == right or masked(a.read_bytes()) == masked(b.read_bytes())
    if a.suffix in (".html", ".ipynb"):
        return masked(a.read_bytes()) == masked(b.read_bytes())
    return False


def compare(before: Path, after: Path) -> list[str]:
    left = {p.relative_to(before) for p in before.rglob("*") if p.is_file() and p.name not in SKIPPED}
    right = {p.relative_to(after) for p in after.rglob("*") if p.is_file() and p.name not in SKIPPED}
    out = [f"only in {before}: {p}" for p in sorted(left - right)]
    out += [f"only in {after}: {p}" for p in sorted(right - left)]
    return out + [f"differs: {p}" for p in sorted(left & right) if not same(before / p, after / p)]


def main(argv: list[str] | None = None) -> int:
    before, after = (Path(a) for a in (argv or sys.argv[1:]))
    problems = compare(before, after)
    print("\n".join(problems) or f"same outputs: {before} and {after}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
