"""A published table read back by code, as a program reads a download: the file is written in its
run's language (headers and categories as the page writes them, codes in ``<header> (code)``
columns); ``read`` gives the named columns their machine names and codes again."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from analysis.presentation.downloads import from_download


def language(path: Path) -> str:
    """The language of the run that wrote ``path`` (its provenance sidecar's parameter)."""
    sidecar = path.with_name(path.name.removesuffix(".csv") + ".provenance.json")
    return json.loads(sidecar.read_text(encoding="utf-8"))["parameters"].get("language", "nl")


def read(path: Path, names: tuple[str, ...], **kwargs) -> pd.DataFrame:
    """``path`` (a published CSV) with the columns ``names`` by code (other columns as written)."""
    return from_download(pd.read_csv(path, **kwargs), language(path), names)
