"""Notebook 02's joint release made once per report run, however many kernels need it.

The release of Figures 7-13 (:func:`analysis.pilot.tables.joint_figure_tables`) is made by
notebook 02 and, for the published tables its models are linked to, again by notebook 03
(and by notebook 04 on real data). At 1,000,000 participants it costs seconds of CPU per
kernel, all of it counting the same rows into the same atoms (docs/performance.md). Here
the first kernel that needs it makes it under an exclusive lock and keeps it beside the
validated copy of the participant file (the folder :func:`analysis.release.loading.cache_folder`
chose: the private folder for a private file, never a published one); a kernel that
comes later, or waits on the lock, reads it.

The stored result is keyed by everything it depends on: the bytes of every input file
(the participant file, its status history, a mapping), the active study (its whole
definition: codebook, vocabulary, facts), the cut-off dates, the threshold, the total's
label, the cells earlier releases showed (``prior``), the code of ``src/analysis`` and the
versions of the libraries that compute it. Key and data are one file, replaced atomically,
and the data are read only when the key matches; anything else (a damaged file, another
key) is made again. A run without a folder for validated copies, or on a synthetic file
drawn in memory (``synthetic_n``), makes it directly as before.

Written by hand (pickle, ``fcntl.flock``) because the result is a few Python objects (the
release with its blocks and cells, some small tables), the standard library stores and
locks them, and the project's validated-copy folder already has the rules for where such a
file may live. The file is unpickled only when its first line is this run's key and its
second an HMAC of the rest under the project's private provenance key
(:func:`analysis.private_data.key`), so a file planted by anyone without that key is never
unpickled.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import pickle
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy
import pandas
import scipy

from analysis import private_reads
from analysis.data.digests import sha256_of
from analysis.data.processed import refuse_unsafe_folder
from analysis.files import file_lock, replace_atomically, source_hash
from analysis.pilot import schema as ps, tables as pilot_tables
from analysis.private_data import key as private_key
from analysis.release.loading import cache_folder

SUFFIX = ".joint-release.pickle"


def release_key(input_digests: Mapping[str, str], study: str, cutoffs, threshold: int, total: str,
                prior: Mapping[str, int] | None, code: str, versions: Mapping[str, str]) -> str:
    """The key of a joint release (a sha256): a pure function of everything it depends on."""
    parts = {"inputs": dict(sorted(input_digests.items())), "study": study, "cutoffs": list(cutoffs),
             "threshold": int(threshold), "total": total,
             "prior": sorted((str(k), int(v)) for k, v in (prior or {}).items()),
             "code": code, "versions": dict(sorted(versions.items()))}
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


KEPT = 8  # stored releases kept per participant file (the newest): a report's runs use a few keys at once


def stored_path(folder: Path, participants: Path, key: str) -> Path:
    """Where the joint release of ``participants`` under ``key`` is kept in ``folder``: one
    file per key, so runs of other thresholds or dates neither replace nor wait for it."""
    return Path(folder) / f"{Path(participants).stem}.{key[:16]}{SUFFIX}"


def prune(folder: Path, participants: Path) -> None:
    """Remove all but the :data:`KEPT` newest stored releases of ``participants`` (and their locks)."""
    stored = sorted(Path(folder).glob(f"{Path(participants).stem}.{'[0-9a-f]' * 16}{SUFFIX}"),
                    key=lambda f: f.stat().st_mtime_ns if f.exists() else 0, reverse=True)
    for old in stored[KEPT:]:
        for f in (old, old.with_name(old.name + ".lock")):
            f.unlink(missing_ok=True)


def _seal(payload: bytes) -> bytes:
    """An HMAC of ``payload`` under the project's private provenance key
    (:func:`analysis.private_data.key`): a file made by anyone without the key is refused."""
    return hmac.new(private_key(), payload, hashlib.sha256).hexdigest().encode()


def read_if_current(path: Path, key: str) -> Any | None:
    """The stored result if ``path`` holds it under ``key``, sealed under the private key;
    otherwise None (also for a damaged, unsealed or unreadable file, which is made again,
    never unpickled)."""
    try:
        with open(path, "rb") as fh:
            if fh.readline().rstrip(b"\n") != key.encode():
                return None
            seal = fh.readline().rstrip(b"\n")
            payload = fh.read()
        if not hmac.compare_digest(seal, _seal(payload)):
            return None
        return pickle.loads(payload)  # noqa: S301 - sealed by this project's private key, under this run's key
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError):
        return None


def write(path: Path, key: str, value: Any) -> None:
    """Store ``value`` under ``key`` and its seal (one file, replaced atomically)."""
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    replace_atomically(path, lambda tmp: tmp.write_bytes(key.encode() + b"\n" + _seal(payload) + b"\n" + payload))


def locked(path: Path):
    """An exclusive advisory lock on ``<path>.lock`` (:func:`analysis.files.file_lock`)."""
    return file_lock(path.with_name(path.name + ".lock"))


def made_once(path: Path, key: str, make: Callable[[], Any]) -> Any:
    """``make()``, or the result a kernel of this run stored under ``key`` at ``path``."""
    with locked(path):
        found = read_if_current(path, key)
        if found is not None:
            return found
        value = make()
        try:
            write(path, key, value)
        except (OSError, ValueError):  # ValueError: no usable private folder for the key
            pass  # not stored: the next kernel makes it again
        return value


def library_versions() -> dict[str, str]:
    return {"numpy": numpy.__version__, "pandas": pandas.__version__, "scipy": scipy.__version__}


def study_identity() -> str:
    """The active study's whole definition (its dataclass fields, facts and exhibits), hashed."""
    return hashlib.sha256(repr(ps.STUDY).encode()).hexdigest()


def folder_of(run) -> Path | None:
    """The folder of the run's validated copies (None: no such folder, or no input file)."""
    source = run.input_files.get("participants")
    if not source or int(run.parameters.get("synthetic_n") or 0) > 0 or not run.parameters.get("processed_dir"):
        return None
    return cache_folder(run.parameters, Path(source))


def joint_figure_tables(run, prior: Mapping[str, int] | None, total: str = "totaal"):
    """:func:`analysis.pilot.tables.joint_figure_tables` of ``run``'s participants at its
    cut-off dates, made once per run of the report (see the module docstring)."""
    def make():
        return pilot_tables.joint_figure_tables(run.participants, run.threshold, total, run.cutoffs, prior=prior)

    folder = folder_of(run)
    if folder is None:
        return make()
    digests = {role: sha256_of(p) for role, p in run.input_files.items()}
    key = release_key(digests, study_identity(), run.cutoffs, run.threshold, total, prior, source_hash(),
                      library_versions())

    refuse_unsafe_folder(Path(folder))
    participants = Path(run.input_files["participants"])
    path = stored_path(folder, participants, key)

    private_reads.permit(path)  # this run's own stored release (a synthetic run's kernel reads nothing else there)
    result = made_once(path, key, make)
    prune(folder, participants)
    return result
