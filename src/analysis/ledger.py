"""The release ledger: every release made from a participant file that is not synthetic,
recorded privately, so that later releases are protected together with it.

An intruder keeps every release. Two releases from one file at different cut-off dates,
in different invocations, or a release from a corrected file beside the first, can be
differenced: a cell that moved by one person tells what happened to that person. The
ledger (``<private folder>/releases/ledger.jsonl``, one JSON object per release, never
under a published folder) holds what each release showed, and the next release uses it:

- **the same file, another release** (another cut-off date, another invocation): every
  cut-off date any recorded release published joins the run's jointly protected dates, and
  every cell an earlier release showed is shown again as a fixed, known number before this
  release decides anything (:meth:`analysis.stats.output_gate.Release.prior`): the gate
  protects the new cells against the old;
- **another file of the same study** (a corrected export): a cell both releases show whose
  counts differ by 1 to k-1 persons would reveal the corrected persons, so the release is
  refused (:func:`differences`) with a message that says what to do.

A release enters the ledger when its invocation is about to publish it: the runs of one
``make report`` write their records into a pending file of the invocation
(:func:`pending_releases`), which the runner appends to the ledger once every run succeeded,
before it publishes; a failed run means nothing is published and nothing recorded, and a
publication that fails after the records were made leaves a record too many (which only makes
later releases more careful), never a published release without its record. A run outside
the runner (JupyterLab, papermill by hand) records at once.

Releases are related when they share their study id **or their people**: each record keeps a
sketch of the keyed hashes of its participants' ids and one of their records without the ids
(the smallest :data:`SKETCH` of each, bottom-k sketches), so a copy of the study file under
another id, another study file over the same people, or the same people under new pseudonyms,
still meets the releases made before (found by the sixth intruder: a copied study file started
with an empty memory; by the sixteenth: re-keyed ids under a copied study file). Cells are
compared by **what they count**, not by their key: a cell's meaning is its population and the
least set of variable values that selects its persons (:func:`meanings`), so a crosstab
published again under another name is recognised as the same cell.

A release is identified by its study, the keyed hash of its inputs
(:mod:`analysis.private_data`), its threshold and its jointly protected dates; rerunning the
same release (same file, same dates) is not "another release" and gives the same bytes.
Written by hand: no SDC tool keeps a ledger across releases (ACRO's ``diff_risk`` flags
tables of the same variables within one session only).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import stat
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from analysis.data.id_likeness import id_key
from analysis.files import file_kind
from analysis.private_data import KEY_FILE, LEDGER, key, private_dir, private_dir_path

PENDING = Path("releases") / "pending"
PENDING_ENV = "VWNW_PENDING_RELEASES"  # the invocation's pending file (set by the runner for its kernels)
SKETCH = 256  # keyed id hashes kept per release: every person of a pilot of a few hundred
MAX_LEDGER_BYTES = 64 * 1024 * 1024  # a release records a few kilobytes: thousands of releases (hostile round 13)


@dataclass(frozen=True)
class Entry:
    study: str
    inputs: str  # keyed hash of the inputs (participants and history)
    notebook: str
    threshold: int
    cutoffs: tuple[str, ...]
    cells: Mapping[str, int] = field(default_factory=dict)  # shown cell key -> persons
    structure: Mapping = field(default_factory=dict)  # the intruder's programme (describe()), for the audit
    people: tuple[str, ...] = ()  # sketches of the keyed hashes of ids and records (people_sketch, records_sketch)
    key_id: str = ""  # the provenance key the inputs and people are named under (key_fingerprint())
    derived: Mapping[str, int] = field(default_factory=dict)  # counts of derived tables no cell published

    @property
    def published(self) -> dict[str, int]:
        """Every count the release published: its shown cells and its derived tables' counts."""
        return {**self.cells, **self.derived}

    @property
    def identity(self) -> tuple:
        return (self.study, self.inputs, self.notebook, self.threshold, tuple(sorted(self.cutoffs)))


def ledger_path(folder: Path | None = None) -> Path:
    return (folder or private_dir()) / LEDGER


def refuse_unusual(path: Path) -> None:
    """ValueError when ``path`` exists as anything but a regular file of one name: a link (the
    records would be read from, and written to, wherever it points, outside the private folder),
    a hard link (hostile round 14: what is appended lands in the other name's folder too), a named
    pipe (read as empty, then the writer blocked; as the lock: the run waited for ever) or a
    folder (hostile round 13, session 10: a dangling link made every release start empty)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISREG(info.st_mode) and info.st_nlink == 1:
        return
    kind = ("a symbolic link" if stat.S_ISLNK(info.st_mode) else file_kind(info.st_mode)
            or f"a file with {info.st_nlink} names (a hard link: what is written to it lands elsewhere too)")
    if path.suffix == ".lock":
        raise ValueError(f"{path} is {kind}, not the lock file the ledger's writers share (a regular file): "
                         f"remove it (rm {path}) and rerun; nothing was recorded")
    raise ValueError(f"{path} is {kind}, not the ledger file the project writes; the ledger is the memory of "
                     "what was published: put the ledger file itself there (restore it from your backup of the "
                     "private folder) rather than delete it; nothing was run on the data")


def read(folder: Path | None = None) -> list[Entry]:
    """Every recorded release (an empty list when there is none yet)."""
    path = ledger_path(folder)
    refuse_unusual(path)
    if not path.is_file():
        return []
    if (size := path.stat().st_size) > MAX_LEDGER_BYTES:  # refused before it is read into memory
        raise ValueError(f"{path}: the ledger is {size:,} bytes; a release records a few kilobytes, so at most "
                         f"{MAX_LEDGER_BYTES:,} bytes were written by this project (thousands of releases): it is "
                         "damaged or not the ledger. The ledger is the memory of what was published: restore it "
                         "from your backup rather than delete it")
    out = []
    for n, line in enumerate(path.read_bytes().splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append(_entry(json.loads(line.decode("utf-8"))))
        except (ValueError, KeyError, TypeError, RecursionError, OverflowError) as exc:  # UnicodeDecodeError too
            reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)[:200]
            raise ValueError(f"{path}, line {n}: not a ledger record, the ledger is damaged ({reason}); the ledger "
                             "is the memory of what was published: restore it from your backup rather than delete "
                             "it") from None
    return out


def line(entry: Entry) -> str:
    return json.dumps({**asdict(entry), "cutoffs": list(entry.cutoffs), "cells": dict(sorted(entry.cells.items())),
                       "derived": dict(sorted(entry.derived.items())),
                       "people": list(entry.people)}, ensure_ascii=False, sort_keys=True)


def record(entry: Entry, folder: Path | None = None) -> bool:
    """Record ``entry``: into the invocation's pending file when the runner set one (the
    runner appends it to the ledger once every run succeeded, before publishing), else into
    the ledger at once."""
    token = os.environ.get(PENDING_ENV)
    if token and folder is None:
        append_line(_pending_path(token), line(entry))
        return True
    return _record_line(line(entry), entry, folder)


def _record_line(line: str, entry: Entry, folder: Path | None) -> bool:
    """Append one record unless the same release (identity and cells) is recorded; returns
    whether it was appended. Runs record in parallel: one at a time (a lock on the ledger)."""
    with locked(folder):
        if any(e.identity == entry.identity and e.published == entry.published for e in read(folder)):
            return False
        append_line(ledger_path(folder), line)
    return True


@contextmanager
def locked(folder: Path | None = None) -> Iterator[None]:
    """The ledger's lock, held by one writer at a time (a recording run, a withdrawal)."""
    import fcntl  # POSIX only: imported where a record is written, so the module imports on Windows

    path = ledger_path(folder)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    lock_path = path.with_suffix(".lock")
    refuse_unusual(lock_path)  # a named pipe there blocked the run for ever (hostile round 14, H21)
    fd = os.open(lock_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0),
                 0o600)
    with open(fd, "a") as lock:  # never through a link or pipe made after the check
        refuse_unusual(lock_path)
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def append_line(path: Path, line: str) -> None:
    import fcntl  # POSIX only: imported where a record is written, so the module imports on Windows

    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    refuse_unusual(path)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    with open(fd, "a", encoding="utf-8") as fh:  # never through a link, even one made after the check
        fcntl.flock(fh, fcntl.LOCK_EX)
        fh.write(line + "\n")


def _pending_path(token: str) -> Path:
    if not token.isalnum():
        raise ValueError(f"{PENDING_ENV}: {token!r} is not a pending-release token")
    return private_dir() / PENDING / f"{token}.jsonl"


class Pending:
    """The releases of one invocation, waiting for its publication."""

    def __init__(self, token: str):
        self.token = token

    def commit(self) -> int:
        """Append the invocation's records to the ledger (before it publishes); returns how
        many were new. Raises :class:`ReleaseClash` (nothing recorded) when two runs of the
        invocation released different files of the same people whose shown counts differ by
        fewer than the threshold: each run was compared with the ledger, not with the others
        (found by the seventh intruder: a file and its corrected version, one run each)."""
        path = _pending_path(self.token)
        if not path.is_file():
            return 0
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        entries = [_entry(json.loads(line)) for line in lines]
        if together := analyses_together(entries):
            path.unlink()
            raise ReleaseClash(together, analyses=True)
        if clash := clashes(entries):
            path.unlink()
            raise ReleaseClash(clash)
        added = sum(_record_line(line, entry, None) for line, entry in zip(lines, entries))
        path.unlink()
        return added


class ReleaseClash(ValueError):
    """Runs of one invocation that would be differenced with each other."""

    def __init__(self, clash: list[str], analyses: bool = False):
        super().__init__(
            f"disclosure control: runs of this invocation released {' and '.join(clash)} of one file (the same "
            "study or the same people, however the file was named); these analyses are not protected together "
            "and their difference could reveal persons. Nothing was published or recorded. A file publishes the "
            "models (notebook 03) or the time to work (notebook 04), one analysis each: keep the runs of one."
            if analyses else
            f"disclosure control: {len(clash)} published count(s) of one run differ by fewer than the threshold from "
            "another run of this invocation on another file of the same people; publishing both would reveal the "
            "persons whose records differ. Nothing was published or recorded. Run one file per invocation, and "
            "decide with your data owner which release stands.")
        self.clash = clash


def analyses_together(entries: list[Entry]) -> list[str]:
    """The analyses (scopes) that releases of one invocation publish of one file and that are
    not protected together: of one notebook with other analysis parameters, or of two
    notebooks of a :data:`NOT_TOGETHER` family, related by study or people (attack 16: the
    runner's check compared the runs' parameters as written, and ``data/raw/private/./x.csv``
    published notebooks 03 and 04 of one file; the kernels compare with the ledger, which
    holds no release of the invocation itself until it is published)."""
    found: set[str] = set()
    for i, e in enumerate(entries):
        for scope in other_analyses(related(entries[:i] + entries[i + 1:], e.study, e.people), e.notebook):
            found |= {e.notebook, scope}
    return sorted(found)


def clashes(entries: list[Entry]) -> list[str]:
    """Cells of one entry that a related entry of another file, same notebook, shows with a
    count 1 to k-1 persons away (each entry against every other)."""
    out = []
    for i, e in enumerate(entries):
        others = [o for o in related(entries[:i] + entries[i + 1:], e.study, e.people) if o.notebook == e.notebook]
        hidden = withheld_cells(e.structure) if e.structure else {}
        current = meanings(e.structure, {**e.cells, **hidden}) if e.structure else None
        zeros = bool(e.structure.get("zeros_disclosive")) if e.structure else False
        out += [f"{e.notebook}:{k}" for k in differences(others, e.inputs, e.published, e.threshold, current, hidden,
                                                          zeros)]
    return sorted(set(out))


def _entry(d: Mapping) -> Entry:
    """A ledger record, each field of the type the ledger writes (a damaged record -- a cut-off
    list that is a text, a threshold ``true``, a count ``12.7`` -- raises TypeError or ValueError
    rather than being read as something else)."""
    if not isinstance(d, dict):
        raise TypeError(f"a record is a JSON object, not {type(d).__name__}")
    for name in ("study", "inputs", "notebook"):
        _typed(d, name, d[name], str)
    threshold = _typed(d, "threshold", d["threshold"], int)
    if threshold < 1:
        raise ValueError(f"'threshold' must be a whole number of at least 1, not {threshold}")
    cutoffs = tuple(_typed(d, "cutoffs", c, str) for c in _typed(d, "cutoffs", d["cutoffs"], list))
    cells, derived = _counts(d, "cells", d["cells"]), _counts(d, "derived", d.get("derived") or {})
    structure = d.get("structure") or {}
    _typed(d, "structure", structure, dict)
    people = tuple(_typed(d, "people", x, str) for x in _typed(d, "people", d.get("people") or [], list))
    return Entry(d["study"], d["inputs"], d["notebook"], threshold, cutoffs, cells, structure, people,
                 _typed(d, "key_id", d.get("key_id") or "", str), derived)


def _counts(record: Mapping, name: str, value) -> dict[str, int]:
    """Field ``name`` of a record: counts of persons (0 or more) by text keys."""
    out = {_typed(record, name, k, str): _typed(record, name, v, int)
           for k, v in _typed(record, name, value, dict).items()}
    if any(v < 0 for v in out.values()):
        raise ValueError(f"'{name}' must hold counts of persons (0 or more)")
    return out


def _typed(record: Mapping, name: str, value, kind: type):
    """``value`` (of field ``name``) when it is a ``kind`` (a bool is no int here), else TypeError."""
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        shown = json.dumps(value)[:60] if not isinstance(value, dict) else "{...}"
        kinds = {int: "a whole number", str: "text", list: "a list", dict: "a mapping (a JSON object)"}
        raise TypeError(f"'{name}' must hold {kinds[kind]}, not {shown}")
    return value


def key_fingerprint() -> str:
    """Which provenance key this is, without telling it (an HMAC of a constant under it)."""
    return hmac.new(key(), b"vwnw-evaluation ledger key\0", hashlib.sha256).hexdigest()[:16]


def require_one_key(entries: Iterable[Entry]) -> None:
    """Refuse to go on when recorded releases were named under another provenance key: their
    inputs and persons would be strangers to every new release (the ninth intruder replaced
    the key and published a corrected file's difference)."""
    keyed = [e for e in entries if e.key_id]
    mine = key_fingerprint() if keyed else ""
    other = [e for e in keyed if e.key_id != mine]
    if other:
        raise ValueError(f"{len(other)} recorded release(s) in the ledger were named under another provenance key "
                         f"than the one in the private folder ({KEY_FILE}); a new release could not be related to "
                         "them. Restore the key they were recorded under from your backup of the private folder; "
                         "nothing was run on the data")


@contextmanager
def pending_releases() -> Iterator[Pending]:
    """Let the runs started inside record into one pending file (their kernels inherit the
    token); the caller commits it after publishing. Left uncommitted, it is discarded: a
    failed invocation published nothing, so it recorded nothing."""
    token, before = secrets.token_hex(8), os.environ.get(PENDING_ENV)
    os.environ[PENDING_ENV] = token
    try:
        yield Pending(token)
    finally:
        os.environ.pop(PENDING_ENV) if before is None else os.environ.update({PENDING_ENV: before})
        _discard(token)


def _discard(token: str) -> None:
    """Remove an uncommitted pending file and its lock (without creating the private folder)."""
    for suffix in (".jsonl", ".lock"):
        (private_dir_path() / PENDING / f"{token}{suffix}").unlink(missing_ok=True)


@contextmanager
def pending_records() -> Iterator[list[Entry]]:
    """The releases the runs of this invocation recorded so far (its pending file; none outside
    the runner), held under the invocation's lock until the block ends: a run attacks its
    release jointly with them and records it inside the block, so two runs of one invocation,
    even in parallel, are each attacked with every one recorded before (an invocation's runs
    were compared with the ledger only, which holds none of them until they are published)."""
    import fcntl  # POSIX only: imported where a record is written, so the module imports on Windows

    token = os.environ.get(PENDING_ENV)
    if not token:
        yield []
        return
    path = _pending_path(token)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    lock_path = path.with_suffix(".lock")
    refuse_unusual(lock_path)
    fd = os.open(lock_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0),
                 0o600)
    with open(fd, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        refuse_unusual(path)
        lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
        yield [_entry(json.loads(line)) for line in lines if line.strip()]


# what a person brings into a pilot, the same in every export of it whatever its ids (its pseudonym is not)
RECORD_COLUMNS = ("werkgever", "instroomdatum", "startdatum", "geslacht", "leeftijd", "opleidingsniveau",
                  "dienstjaren", "functie")


def records_sketch(participants) -> tuple[str, ...]:
    """The :data:`SKETCH` smallest keyed hashes of the participants' records without their ids
    (:data:`RECORD_COLUMNS`, as validated), marked ``r``, and a quarter as many of the records
    without each one of those columns in turn, marked ``r<i>-``: two files of the same people
    under new pseudonyms share most of them, and files of other people almost none (attack 16:
    the same people re-keyed, under a copy of the study file with another id, met no earlier
    release; attack 17: with every inflow date moved by a day too, no whole record matched).
    A false match only makes a release more careful."""
    columns = [c for c in RECORD_COLUMNS if c in participants.columns]
    if not columns or participants.empty:
        return ()
    values = participants[columns].astype("string").fillna("\0")  # unknown: a mark no value has
    out = _bottom(_record_texts(values, columns), "r", b"record\0", SKETCH)
    if len(columns) > 1:
        for i, left_out in enumerate(columns):
            rest = [c for c in columns if c != left_out]
            out += _bottom(_record_texts(values, rest), f"r{i}-", f"record without {left_out}\0".encode(), SKETCH // 4)
    return out


def _record_texts(values, columns: list[str]):
    texts = values[columns[0]]
    for column in columns[1:]:
        texts = texts + "|" + values[column]
    return texts.unique()


def _bottom(texts, mark: str, context: bytes, size: int) -> tuple[str, ...]:
    """The ``size`` smallest keyed hashes of ``texts``, each marked ``mark``."""
    secret = key()
    digests = {mark + hmac.new(secret, context + t.encode(), hashlib.sha256).hexdigest()[:15] for t in texts}
    return tuple(sorted(digests)[:size])


def study_sketch(study) -> tuple[str, ...]:
    """One keyed hash of what makes a pilot the pilot it is, whatever its study id: its
    employers and its dates (start, end of inflow, end, follow-up), marked ``s``. A copy of a
    study file under another id meets the releases of the original (the eighteenth intruder
    re-exported the same people with two columns changed in every record, under such a copy,
    and no sketch of ids or records met)."""
    if study is None:
        return ()
    text = "|".join([*sorted(study.employers), *(str(d) for d in (study.pilot_start, study.inflow_end,
                                                                   study.pilot_end, study.follow_up_end))])
    return ("s" + hmac.new(key(), b"study\0" + text.encode(), hashlib.sha256).hexdigest()[:15],)


def data_id(participants, history=None) -> str:
    """The keyed hash of the validated data, whatever bytes held them and whatever the
    people's pseudonyms: the participants' records without their ids, sorted, and the status
    history's records with each id replaced by its person's record, sorted (attack 26: the
    same file with its rows reversed, or saved as a semicolon CSV, was "another file", so its
    tables were never attacked with those of the first, and a cycle of two invocations pinned a
    count of 3; recheck of attack 26, V1: the same people under new pseudonyms were another file
    the same way)."""
    mac = hmac.new(key(), b"data\0", hashlib.sha256)
    records = _record_lines(participants.drop(columns="deelnemer_id", errors="ignore"))
    mac.update("\n".join(sorted(records)).encode())
    if history is not None:
        person = dict(zip(participants["deelnemer_id"].map(id_key), records))
        rest = history.drop(columns="deelnemer_id")
        owners = [person.get(id_key(i), "id:" + id_key(i)) for i in history["deelnemer_id"]]
        lines = [o + "\0" + r for o, r in zip(owners, _record_lines(rest))]
        mac.update(b"\0history\0" + "\n".join(sorted(lines)).encode())
    return "data:" + mac.hexdigest()


def _record_lines(frame) -> list[str]:
    """Each row of ``frame`` as one text (its columns named, values as validated)."""
    values = frame.astype("string").fillna("\0")
    names = [str(c) for c in frame.columns]
    return [json.dumps(dict(zip(names, row)), ensure_ascii=False, sort_keys=True)
            for row in values.itertuples(index=False)]


def people_sketch(ids: Iterable) -> tuple[str, ...]:
    """The :data:`SKETCH` smallest keyed hashes of the participants' ids (private: under the
    provenance key). Two files of the same people share most of their sketches, whatever
    their study ids; files of other people share none. Ids are taken as the reader takes
    them (:func:`analysis.data.id_likeness.id_key`: without case, spaces and leading zeros):
    a re-export in lower case is the same people (intruder round 13)."""
    secret = key()
    digests = {hmac.new(secret, b"person\0" + id_key(i).encode(), hashlib.sha256).hexdigest()[:16] for i in ids}
    return tuple(sorted(digests)[:SKETCH])


def related(entries: Iterable[Entry], study: str, people: Iterable[str] = ()) -> list[Entry]:
    """Recorded releases of the same study or of some of the same people."""
    mine = set(people)
    return [e for e in entries if e.study == study or mine & set(e.people)]


def earlier(entries: Iterable[Entry], notebook: str, identity: tuple) -> list[Entry]:
    """Recorded releases (already :func:`related`) of ``notebook`` other than this very release."""
    return [e for e in entries if e.notebook == notebook and e.identity != identity]


def other_analyses(entries: Iterable[Entry], scope: str) -> list[str]:
    """The scopes of recorded releases (already :func:`related`: the same study, or some of the
    same people) of the same notebook (the part of ``scope`` before its first ``:``), or of a
    notebook of its :data:`NOT_TOGETHER` family, whose analysis differs from ``scope`` (another
    notebook, population, outcome, cut-off date or grouping): those releases are not protected
    jointly. The same study counts whatever the people's ids
    (intruder round 13: a re-export of the same people under new pseudonyms shared no id)."""
    notebook = scope.split(":", 1)[0]
    family = next((f for f in NOT_TOGETHER if notebook in f), {notebook})
    return sorted({e.notebook for e in entries if e.notebook.split(":", 1)[0] in family and e.notebook != scope})


# notebooks whose releases of one file are not gated together: a file publishes one analysis of
# them (intruder round 15: notebook 03's rates at 1 March against notebook 04's curves by triage
# path gave 2, 4 and 6 who went back to the old employer in March; its outcome "work or
# education" against 04's "work" gave who was in education on 16 April)
NOT_TOGETHER = ({"03", "04"},)


def recorded_cutoffs(entries: Iterable[Entry]) -> list[str]:
    """Every cut-off date a recorded (related) release published."""
    return sorted({c for e in entries for c in e.cutoffs})


def prior_cells(entries: Iterable[Entry], inputs: str, threshold: int | None = None,
                current: Mapping[str, str] | None = None) -> dict[str, int]:
    """Cells earlier releases of the same inputs showed, at any threshold (a release at
    another threshold is published all the same: found by the second independent intruder,
    who differenced a k = 10 and a k = 11 release of one file), by their keys and, for the
    cells of ``current`` (key -> meaning, :func:`meanings`), by what they count."""
    out: dict[str, int] = {}
    for e in entries:
        if e.inputs == inputs:
            out.update(e.cells)
            if current:
                by_meaning = _by_meaning(e, e.cells)
                out.update({k: by_meaning[m] for k, m in current.items() if m in by_meaning})
    return out


def differences(entries: Iterable[Entry], inputs: str, cells: Mapping[str, int], threshold: int,
                current: Mapping[str, str] | None = None, withheld: Mapping[str, int] | None = None,
                zeros: bool = False) -> list[str]:
    """Cells of this release that a release of another file of the study also counts (found by
    key or, with ``current`` (key -> meaning), by what they count) whose counts differ by 1 to
    ``threshold - 1`` persons, where at least one of the two releases shows it: ``cells`` are
    this release's shown cells, ``withheld`` its withheld cells' true counts, and a recorded
    release's withheld cells are read from its structure. A cell shown in one release and
    withheld in the other is a difference too (attack 19: a corrected file turned
    "oude werkgever 10" into x while every other shown cell stayed, so the corrected person
    had left it and 9 remained); a cell withheld in both is compared by neither. A level one
    release's table has and the other's lacks counts 0 there, and its absence is shown
    (attack 23: an "onbekend" row that appears after a correction is a count of 1):
    :func:`_absent_levels`. Where zeros are disclosive (real data), a cell shown in both with
    the same count, in a table whose other cells changed, is one too: :func:`unchanged_beside_changed`."""
    out = []
    for e in entries:
        if e.inputs == inputs:
            continue
        shown, hidden = e.published, _withheld(e)
        shown_by_meaning = _by_meaning(e, shown) if current else {}
        any_by_meaning = {**_by_meaning(e, hidden), **shown_by_meaning} if current else {}
        both = {}  # shown in both releases: the difference an intruder reads
        for key_, value in cells.items():  # shown now: against the old count, shown or withheld
            old = shown.get(key_, hidden.get(key_, any_by_meaning.get((current or {}).get(key_))))
            if old is not None and 0 < abs(value - old) < threshold:
                out.append(key_)
            before = shown.get(key_, shown_by_meaning.get((current or {}).get(key_)))
            if before is not None:
                both[key_] = value - before
        if zeros and not e.notebook.startswith("04"):
            out += unchanged_beside_changed(both)
        for key_, value in (withheld or {}).items():  # withheld now: against the old count if it was shown
            old = shown.get(key_, shown_by_meaning.get((current or {}).get(key_)))
            if old is not None and 0 < abs(value - old) < threshold:
                out.append(key_)
        if e.structure and withheld is not None:  # both releases' whole tables known, withheld cells too
            out += _absent_levels(e, {**hidden, **shown}, {**withheld, **cells}, threshold)
    return sorted(set(out))


def unchanged_beside_changed(change: Mapping[str, int]) -> list[str]:
    """Cells (key -> count now less count then, shown in both releases) that did not change in a
    table (the key's part before ``|``) where another cell did: the persons who differ between
    the two files (added, removed or corrected) hold none of that cell's values, a zero of their
    own table (recheck of attack 26, V3: ten persons added to a file changed the women's and the
    notices' margins by 10 and the men's by 0, so all ten were women with a notice, and the third
    table of a cycle, published of the larger file, gave the first file's table back). Compared
    per table, so a table none of whose cells changed says nothing of the persons who differ."""
    tables: dict[str, list[str]] = {}
    for key_ in change:
        tables.setdefault(key_.split("|", 1)[0], []).append(key_)
    return [k for keys in tables.values() if any(change[k] for k in keys) for k in keys if change[k] == 0]


def _absent_levels(entry: Entry, old: Mapping[str, int], new: Mapping[str, int], threshold: int) -> list[str]:
    """Cells of a table both releases publish that only one of them has: a level (a row or a
    column of counts by category, a model's predictor level) nobody held in the other file,
    so the other's count is 0 and its absence says so. Compared as a shown 0 against the
    count here, each way. Not for the time-to-work curves, whose cells are intervals merged
    per file (a missing interval is not an empty one)."""
    if entry.notebook.startswith("04"):
        return []

    def table(key: str) -> str:
        return key.split("|", 1)[0]

    old_tables, new_tables = {table(k) for k in old}, {table(k) for k in new}
    appeared = [k for k, v in new.items() if k not in old and table(k) in old_tables and 0 < v < threshold]
    vanished = [k for k, v in old.items() if k not in new and table(k) in new_tables and 0 < v < threshold]
    return [*appeared, *vanished]


def _withheld(entry: Entry) -> dict[str, int]:
    """The true counts of the cells ``entry``'s release withheld (from its recorded structure)."""
    cells = (entry.structure or {}).get("cells") or {}
    return {k: int(c["value"]) for k, c in cells.items() if not c.get("shown") and k not in entry.cells}


def withheld_cells(structure: Mapping) -> dict[str, int]:
    """The true counts of the withheld cells of a :func:`describe` structure."""
    return {k: int(c["value"]) for k, c in (structure.get("cells") or {}).items() if not c.get("shown")}


def _by_meaning(entry: Entry, values: Mapping[str, int]) -> dict[str, int]:
    found = meanings(entry.structure, values)
    return {found[k]: v for k, v in values.items() if k in found}


def meanings(structure: Mapping, keys: Iterable[str] | None = None) -> dict[str, str]:
    """What each cell of a :func:`describe` structure counts, as text: its population (a
    block or a merged block's part; a crosstab's part, whatever its name, counts the whole
    release frame) and the least set of variables, with their values, that selects its
    atoms. Two cells with equal meanings count the same persons of the same data."""
    blocks, cells = structure.get("blocks") or {}, structure.get("cells") or {}
    out = {}
    for k in cells if keys is None else keys:
        c = cells.get(k)
        if c is not None and c["block"] in blocks:
            b = blocks[c["block"]]
            out[k] = _meaning(c["block"], b["columns"], b["atoms"], c["atoms"])
    return out


def _population(name) -> str:
    return "X" if str(name).startswith("X_") else str(name)


def _meaning(block: str, columns: list[str], atoms: list[list], chosen: list[int]) -> str:
    cols = list(columns)
    rows = [tuple(_population(v) if c == "part" else v for c, v in zip(cols, a)) for a in atoms]
    if "part" not in cols:
        cols, rows = ["part", *cols], [(_population(block), *r) for r in rows]
    cell = {rows[i] for i in chosen}
    keep = list(range(len(cols)))
    for j in range(len(cols)):  # drop each variable the cell does not restrict
        trial = [i for i in keep if i != j]
        selected = {tuple(r[i] for i in trial) for r in cell}
        if {r for r in rows if tuple(r[i] for i in trial) in selected} == cell:
            keep = trial
    values = sorted({tuple(r[i] for i in keep) for r in cell}, key=lambda t: json.dumps(t))
    return json.dumps([[cols[i] for i in keep], [list(v) for v in values]], ensure_ascii=False)


def describe(release) -> dict:
    """What a release published, as the intruder's programme over its finest cells: every
    block's atoms (variable values) with their true counts, the identities the intruder is
    granted (population sizes, linked margins) and the source report's numbers (exact, and as
    bounds: "at least 16", a rounded share), and every
    cell (its atoms, true value, shown or not). Private: it holds the finest counts. The
    audit attacks this, not a model written by hand, so a table added to a notebook is
    attacked without editing the audit."""
    def rows(pairs):
        return [[[int(i) for i in (row != 0).nonzero()[0]], [float(x) for x in row[row != 0]], int(v)]
                for row, v in pairs]
    blocks = {name: {"columns": [str(c) for c in b.atoms.columns],
                     "atoms": [[None if v is None or v != v else str(v) for v in t] for t in
                               b.atoms.astype(object).itertuples(index=False)],
                     "counts": [int(x) for x in b.counts], "identities": rows(b.identities), "public": rows(b.public),
                     "ranges": [[*rows([(coef, 0)])[0][:2], float(lo), float(hi)] for coef, lo, hi in b.ranges],
                     "own_identities": int(b.base)}  # the rest are counts another release published
              for name, b in release.blocks.items()}
    cells = {k: {"block": c.block, "atoms": [int(i) for i in c.coef.nonzero()[0]], "value": int(c.value),
                 "shown": bool(c.shown)} for k, c in release.cells.items()}
    return {"threshold": int(release.threshold), "zeros_disclosive": bool(release.zeros_disclosive),
            "zero_exempt": list(release.zero_exempt), "blocks": blocks, "cells": cells}
