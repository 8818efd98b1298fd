"""A published table read back by code, as a program reads a download: the file is written in its
run's language (headers and categories as the page writes them, codes in ``<header> (code)``
columns); ``read`` gives the named columns their machine names and codes again."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from analysis.presentation.downloads import CODE_SUFFIX, from_download, header
from analysis.presentation.labels import LABELS, OUTCOME_KINDS, STUDY_WORDS
from analysis.study import active_study


def language(path: Path) -> str:
    """The language of the run that wrote ``path`` (its provenance sidecar's parameter)."""
    sidecar = path.with_name(path.name.removesuffix(".csv") + ".provenance.json")
    return json.loads(sidecar.read_text(encoding="utf-8"))["parameters"].get("language", "nl")


def read(path: Path, names: tuple[str, ...], **kwargs) -> pd.DataFrame:
    """``path`` (a published CSV) with the columns ``names`` by code (other columns as written)."""
    return from_download(pd.read_csv(path, **kwargs), language(path), names)


def read_counts(path: Path, codes=(), dtype=str) -> pd.DataFrame:
    """A published table of person counts (``pilot_figuur_*``) by code, as the release made it: its rows
    by their codes (the file's ``<header> (code)`` column; a file without one by its first column), its
    columns by the code among ``codes`` (or the label catalogue's) whose header the file shows in its
    language; a header that is no code's stays as written. Cells as written (``dtype``; withheld: ``x``)."""
    lang = language(path)
    raw = pd.read_csv(path, dtype=dtype, keep_default_na=False)
    coded = [c for c in raw.columns if str(c).endswith(CODE_SUFFIX)]
    if len(coded) > 1:
        raise ValueError(f"{path.name}: more than one code column: {coded}")
    if coded:
        raw.pop(coded[0].removesuffix(CODE_SUFFIX))
        rows = raw.pop(coded[0])
    else:
        rows = raw.pop(raw.columns[0])
    out = raw.set_axis(pd.Index(rows.astype(str), name=None), axis=0)
    return out.set_axis([code_of(c, lang, codes) for c in out.columns], axis=1)


def code_of(shown: str, lang: str, codes=()) -> str:
    """The code whose header in ``lang`` is ``shown``: among ``codes`` first, else the only one in the
    label catalogue (the active study's codes included); ``shown`` itself when no code gives it.
    Two codes giving it are refused: the caller names the one it means in ``codes``."""
    given = [c for c in codes if header(c, lang) == shown]
    if len(set(given)) == 1:
        return given[0]
    found = {c for c in (*LABELS, *OUTCOME_KINDS, *STUDY_WORDS, *study_codes()) if header(c, lang) == shown}
    if len(given) > 1 or len(found) > 1:
        raise ValueError(f"header {shown!r} ({lang}) is the label of more than one code: {sorted(set(given) | found)}")
    return found.pop() if found else shown


def study_codes() -> list[str]:
    """The codes the active study's file labels (statuses, services, sectors)."""
    study = active_study()
    return [*getattr(study, "statuses", {}), *getattr(study, "services", {}), *getattr(study, "sectors", {})]
