"""The command that started this report run, as the evaluator can type it again: a failure's
advice repeats it (newpilot2's F4: "rerun `make report`" ran other runs when the failed run
was started with ``--config``)."""

from __future__ import annotations

import os
import shlex
import sys


def rerun_command(argv: list[str] | None = None, environ=None) -> str:
    """``make report`` (with its ``ARGS``) when the run was started by the Makefile's report
    target (``-m analysis report -j N ...`` under make), else ``.venv/bin/python -m analysis``
    with the arguments as given. ``argv``: the arguments after ``-m analysis`` (default
    ``sys.argv[1:]``)."""
    args = list(sys.argv[1:] if argv is None else argv)
    environ = os.environ if environ is None else environ
    if not args or args[0] != "report":
        return "make report"
    if "MAKELEVEL" in environ and args[1:2] == ["-j"]:  # the Makefile's recipe: report -j $(REPORT_JOBS) $(ARGS)
        rest = args[3:]
        return f"make report ARGS={shlex.quote(shlex.join(rest))}" if rest else "make report"
    return shlex.join([".venv/bin/python", "-m", "analysis", *args])


def rerun_command_without_only(argv: list[str] | None = None, environ=None) -> str:
    """:func:`rerun_command` without its ``--only`` options: every configured run."""
    args = list(sys.argv[1:] if argv is None else argv)
    kept, skip = [], False
    for arg in args:
        if skip:
            skip = False
        elif arg == "--only":
            skip = True
        elif not arg.startswith("--only="):
            kept.append(arg)
    return rerun_command(kept, environ)
