"""Validated data stored as Parquet in ``data/processed/``.

A raw file is read as text and validated on every load unless its validated form is
already in ``data/processed/<stem>.parquet``. That Parquet file carries, in its own
metadata, the key it was made under: the sha256 of the raw file's bytes, the table spec's
name and a hash of the validation code. A load whose key matches reads the Parquet file
(typed, columnar, fast at a million rows); any other load validates the raw file again and
replaces the Parquet file atomically. Because the key sits inside the one file that is
replaced, two notebooks loading the same file at once can never pair one file's key with
another's data. A readable ``<stem>.parquet.json`` beside it says where it came from and
holds the copy's own sha256, compared on every read: a copy changed after validation (its
key kept) is validated again from the raw file, never trusted (hostile round 15, H11).

Raw files are only read. ``data/processed/`` is not committed (``.gitignore``); with a real
participant file it holds a validated copy of personal data, removed by ``make clean``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analysis.data.digests import sha256_of
from analysis.data.errors import InputError, Problem
from analysis.files import replace_atomically, source_hash
from analysis.write_targets import write_problem

KEY = b"vwnw_processed_key"




def processed_path(raw: Path, processed_dir: Path) -> Path:
    return Path(processed_dir) / f"{Path(raw).stem}.parquet"


def cache_key(raw: Path, spec_name: str) -> str:
    """What a processed file must have been made under to stand for ``raw`` (computed once
    per load: it hashes the raw file, once per process while it is unchanged:
    :mod:`analysis.data.digests`)."""
    return f"{sha256_of(raw)}:{spec_name}:{source_hash()}"


def read_if_current(raw: Path, key: str, processed_dir: Path) -> pd.DataFrame | None:
    """The validated frame from ``processed_dir`` if it was made under ``key`` (see
    :func:`cache_key`); otherwise ``None``. Key and data come from one open file, and the
    data are read only when the key matches."""
    target = processed_path(raw, processed_dir)
    if not target.is_file():
        return None
    try:
        data = target.read_bytes()  # hashed and read from the same bytes
        note = json.loads(target.with_name(target.name + ".json").read_text(encoding="utf-8"))
        if not isinstance(note, dict) or note.get("parquet_sha256") != hashlib.sha256(data).hexdigest():
            return None  # a copy changed after validation (its key kept) is validated again (hostile round 15, H11)
        with pq.ParquetFile(pa.BufferReader(data)) as parquet:
            if (parquet.schema_arrow.metadata or {}).get(KEY, b"").decode() != key:
                return None
            return parquet.read().to_pandas()
    except (OSError, ValueError, pa.ArrowInvalid):
        return None  # a damaged file is rebuilt, never trusted




def refuse_unsafe_folder(processed_dir: Path) -> None:
    """:class:`~analysis.data.errors.InputError` when the folder of validated copies may not be
    written (:func:`analysis.write_targets.write_problem`, role ``cache``)."""
    problem = write_problem(processed_dir, "cache")
    if problem is not None:
        raise InputError(processed_dir, [Problem(f"the folder of validated copies {problem}")])


def write(df: pd.DataFrame, raw: Path, key: str, processed_dir: Path) -> Path:
    """Write the validated ``df`` as Parquet carrying ``key``, plus a JSON note. A folder that
    cannot be written is one :class:`~analysis.data.errors.InputError` naming the parameter
    and the remedy (hostile round 14, H18: pyarrow's PermissionError named a temporary file)."""
    refuse_unsafe_folder(Path(processed_dir))  # the runner checked it; a caller in Python may not have
    try:
        return _write(df, raw, key, processed_dir)
    except OSError as exc:
        raise InputError(processed_dir, [Problem(unwritable(exc))]) from None


def unwritable(exc: OSError) -> str:
    """The rule of a folder of validated copies that cannot be written."""
    code = exc.errno or next((int(m) for m in re.findall(r"\[errno (\d+)\]", str(exc))), 0)  # pyarrow's
    why = os.strerror(code) if code else "the file system refused a write"  # never the temporary file's name
    return (f"the folder of validated copies (the parameter processed_dir) cannot be written ({why}): make it "
            "writable (chmod u+w; an immutable folder: chattr -i) and free space if the disk is full, or name "
            "another folder with -p processed_dir=<folder>")


def _write(df: pd.DataFrame, raw: Path, key: str, processed_dir: Path) -> Path:
    target = processed_path(raw, processed_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(df, preserve_index=False)
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), KEY: key.encode()})
    buffer = pa.BufferOutputStream()
    pq.write_table(table, buffer)
    data = buffer.getvalue().to_pybytes()
    replace_atomically(target, lambda tmp: tmp.write_bytes(data))
    source_sha256, spec_name, code_sha256 = key.split(":")
    note = {"source": Path(raw).name, "source_sha256": source_sha256, "spec": spec_name,
            "validation_code_sha256": code_sha256, "parquet_sha256": hashlib.sha256(data).hexdigest(),
            "rows": len(df), "columns": list(df.columns)}
    replace_atomically(target.with_name(target.name + ".json"),
                        lambda tmp: tmp.write_text(json.dumps(note, indent=2) + "\n", encoding="utf-8"))
    return target
