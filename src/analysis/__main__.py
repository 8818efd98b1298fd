"""Command line: ``python -m analysis <command>``.

- ``report``: execute the notebooks and publish HTML (see ``analysis.runner``).
- ``synthetic``: write the synthetic participant file (``--n``, ``--seed``, ``--out``).
- ``codebook``: print the codebook of the raw files (Markdown).
- ``verify``: rerun everything into a temporary folder and compare with ``reports/``.
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
    print(f"unknown command {command!r}\n{__doc__}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
