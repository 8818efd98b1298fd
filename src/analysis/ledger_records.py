"""The data owner's view of the release ledger: list the recorded releases, withdraw one.

A refusal that names an earlier release ("decide with your data owner whether the earlier
release is withdrawn") needs a way to act on that decision. A release that never left this
machine (a trial run, a run on the wrong file) may be withdrawn: its record leaves the ledger,
so later releases are no longer protected against it. A release that was shared cannot be
withdrawn in fact; that is the data owner's judgement, not the program's. Every withdrawal
is kept, with its reason and time, in ``withdrawn.jsonl`` beside the ledger, so the record of
what was once published is never lost.

Written here rather than with a library: the ledger is the project's own JSON-lines file,
written under its own lock (:mod:`analysis.ledger`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

from analysis import ledger

MAX_REASON = 500


def lines(entries: list[ledger.Entry]) -> list[str]:
    """One line per recorded release: its number, study, notebook and analysis, dates, threshold,
    how many cells it showed and the first characters of its data's keyed name (private)."""
    out = []
    for n, e in enumerate(entries, 1):
        data = e.inputs.split(":", 1)[-1][:12]
        out.append(f"{n:>3}  {e.study}  {e.notebook}  {', '.join(e.cutoffs)}  k={e.threshold}  "
                   f"{len(e.cells)} cell(s) shown  data {data}")
    return out


def withdraw(number: int, reason: str, folder: Path | None = None, now: dt.datetime | None = None) -> ledger.Entry:
    """Remove release ``number`` (1-based, as :func:`lines` numbers them) from the ledger and
    keep it, with ``reason`` and the time, in ``withdrawn.jsonl`` beside it."""
    reason = " ".join(str(reason).split())
    if not reason or len(reason) > MAX_REASON:
        raise ValueError(f"--reason: say in 1 to {MAX_REASON} characters why the release is withdrawn "
                         "(e.g. 'trial run on the wrong file, never shared'); it is kept with the record")
    path = ledger.ledger_path(folder)
    with ledger.locked(folder):
        entries = ledger.read(folder)
        if not 1 <= number <= len(entries):
            raise ValueError(f"release {number}: the ledger {path} holds {len(entries)} release(s), numbered "
                             f"1 to {len(entries)} by `python -m analysis releases`")
        kept = [e for n, e in enumerate(entries, 1) if n != number]
        when = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
        ledger.append_line(path.with_name("withdrawn.jsonl"), json.dumps(
            {"withdrawn_at": when, "reason": reason, "record": json.loads(ledger.line(entries[number - 1]))},
            ensure_ascii=False, sort_keys=True))
        _replace(path, [ledger.line(e) for e in kept])
    return entries[number - 1]


def _replace(path: Path, records: list[str]) -> None:
    """Write ``records`` as the ledger, whole or not at all (a temporary file renamed over it)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    with open(fd, "w", encoding="utf-8") as fh:
        fh.write("".join(r + "\n" for r in records))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def arguments(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("--withdraw", type=int, metavar="N", help="withdraw release N (a release that never left this "
                    "machine: later releases are no longer protected against it)")
    ap.add_argument("--reason", default="", help="why release N is withdrawn (kept in withdrawn.jsonl)")


def command(args: argparse.Namespace) -> int:
    try:
        if args.withdraw is None:
            if args.reason:
                raise ValueError("--reason goes with --withdraw N")
            found = ledger.read()
            print("\n".join(lines(found)) if found else f"no release recorded in {ledger.ledger_path()}")
            return 0
        gone = withdraw(args.withdraw, args.reason)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    kept = ledger.ledger_path().with_name("withdrawn.jsonl")
    print(f"withdrawn: release {args.withdraw}, {lines([gone])[0].split(None, 1)[1]} (kept in {kept})")
    return 0
