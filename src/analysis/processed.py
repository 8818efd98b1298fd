"""Validated data stored as Parquet in ``data/processed/``.

A raw file is read as text and validated on every load unless its validated form is
already in ``data/processed/<stem>.parquet``. That Parquet file carries, in its own
metadata, the key it was made under: the sha256 of the raw file's bytes, the table spec's
name and a hash of the validation code. A load whose key matches reads the Parquet file
(typed, columnar, fast at a million rows); any other load validates the raw file again and
replaces the Parquet file atomically. Because the key sits inside the one file that is
replaced, two notebooks loading the same file at once can never pair one file's key with
another's data. A readable ``<stem>.parquet.json`` beside it says where it came from.

Raw files are only read. ``data/processed/`` is not committed (``.gitignore``); with a real
participant file it holds a validated copy of personal data, removed by ``make clean``.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .provenance import sha256_file

KEY = b"vwnw_processed_key"


@lru_cache(maxsize=1)
def validation_code_hash() -> str:
    """Hash of the package's Python sources: a change to any rule invalidates every
    processed file (the sources are small; hashing them takes milliseconds)."""
    h = hashlib.sha256()
    for f in sorted(Path(__file__).parent.glob("*.py")):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def processed_path(raw: Path, processed_dir: Path) -> Path:
    return Path(processed_dir) / f"{Path(raw).stem}.parquet"


def cache_key(raw: Path, spec_name: str) -> str:
    return f"{sha256_file(raw)}:{spec_name}:{validation_code_hash()}"


def read_if_current(raw: Path, spec_name: str, processed_dir: Path) -> pd.DataFrame | None:
    """The validated frame from ``processed_dir`` if it was made from exactly this raw
    file by this validation code; otherwise ``None``."""
    target = processed_path(raw, processed_dir)
    if not target.is_file():
        return None
    try:
        table = pq.read_table(target)
    except (OSError, pa.ArrowInvalid):
        return None  # a damaged file is rebuilt, never trusted
    stored = (table.schema.metadata or {}).get(KEY, b"").decode()
    if stored != cache_key(raw, spec_name):
        return None
    return table.to_pandas()


def write(df: pd.DataFrame, raw: Path, spec_name: str, processed_dir: Path) -> Path:
    """Write the validated ``df`` as Parquet with its key, atomically, plus a JSON note."""
    target = processed_path(raw, processed_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    key = cache_key(raw, spec_name)
    table = pa.Table.from_pandas(df, preserve_index=False)
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), KEY: key.encode()})
    tmp = target.with_name(f".{target.name}.tmp{os.getpid()}-{id(df)}")
    pq.write_table(table, tmp)
    os.replace(tmp, target)
    note = {"source": Path(raw).name, "source_sha256": key.split(":")[0], "spec": spec_name,
            "validation_code_sha256": validation_code_hash(), "rows": len(df), "columns": list(df.columns)}
    note_path = target.with_name(target.name + ".json")
    tmp_note = note_path.with_name(f".{note_path.name}.tmp{os.getpid()}-{id(df)}")
    tmp_note.write_text(json.dumps(note, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp_note, note_path)
    return target
