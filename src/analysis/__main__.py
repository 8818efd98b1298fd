"""Command line: ``python -m analysis <command>``.

- ``report``: execute the notebooks and publish HTML (see ``analysis.runner``).
- ``synthetic``: write the synthetic participant file (``--n``, ``--seed``, ``--out``).
- ``codebook``: print the codebook of the raw files (Markdown).
- ``verify``: rerun everything into a temporary folder and compare with ``reports/``.
- ``dwsra-sources TEXT``: check every DWSRA raw value that cites a line of the report's
  plain text (``dwsra_interim_evaluation_2018.txt``) against that line.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    command, rest = argv[0], argv[1:]
    if command == "report":
        from .runner import main as report

        return report(rest)
    if command == "synthetic":
        import argparse

        from .pilot_synthetic import DEFAULT_SEED, generate_participants, write_participants

        ap = argparse.ArgumentParser(prog="python -m analysis synthetic")
        ap.add_argument("--n", type=int, default=30)
        ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
        ap.add_argument("--movers-from-education", type=int, default=1)
        ap.add_argument("--out", default="data/raw/pilot_participants_synthetic.csv")
        a = ap.parse_args(rest)
        from .paths import resolve

        write_participants(generate_participants(a.n, a.seed, a.movers_from_education), resolve(a.out))
        print(f"wrote {a.n} synthetic participants to {a.out}")
        return 0
    if command == "codebook":
        from .codebook import render

        print(render())
        return 0
    if command == "verify":
        from .verify import main as verify

        return verify(rest)
    if command == "dwsra-sources":
        from . import dwsra_schema
        from .dwsra_checks import source_line_problems
        from .paths import resolve

        if len(rest) != 1:
            print("usage: python -m analysis dwsra-sources <dwsra_interim_evaluation_2018.txt>", file=sys.stderr)
            return 2
        data = dwsra_schema.load_inputs(*(resolve(f"data/raw/{f}") for f in dwsra_schema.RAW_FILES))
        with open(rest[0], encoding="utf-8") as fh:
            problems = source_line_problems(data, fh.read().split("\n"))
        for p in problems:
            print(p)
        print(f"{len(problems)} mismatch(es) between the DWSRA raw files and {rest[0]}")
        return 1 if problems else 0
    print(f"unknown command {command!r}\n{__doc__}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
