"""Write tests/deep_tests.txt: the tests that take longest, measured, for `make test-audit`.

`make test` is the loop a developer runs after each change and should finish in a few minutes on
two cores; the tests that each run a report in a temporary project, print every page in
Chromium, or attack hundreds of populations take most of the suite's time. They run in
`make test-audit` (CI runs both targets). Which tests those are is measured, not guessed: run
the fast target with a JUnit report and give it to this script:

    .venv/bin/python -m pytest -n 2 -m "not audit and not heavy and not scale" --junitxml=/tmp/t.xml
    .venv/bin/python tools/deep_tests.py /tmp/t.xml --seconds 8 >> tests/deep_tests.txt

Each line is a test's node id (or a file's path: all its tests) and, after ``#``, its measured
seconds. Written by hand because it is twenty
lines over the standard library's XML reader; pytest's own --durations prints, it does not keep.
"""

from __future__ import annotations

import argparse
import xml.etree.ElementTree as ET


def slow_tests(junit: str, seconds: float) -> list[tuple[str, float]]:
    """(node id, seconds) of every test of ``junit`` that took ``seconds`` or more, by node id."""
    out = []
    for case in ET.parse(junit).iter("testcase"):
        took = float(case.get("time") or 0)
        if took >= seconds:
            path = case.get("classname", "").replace(".", "/") + ".py"
            out.append((f"{path}::{case.get('name')}", took))
    return sorted(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("junit")
    parser.add_argument("--seconds", type=float, default=8.0)
    args = parser.parse_args()
    for node, took in slow_tests(args.junit, args.seconds):
        print(f"{node}  # {took:.0f} s")


if __name__ == "__main__":
    main()
