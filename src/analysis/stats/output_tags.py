"""Which outputs of a private run's notebook the release vouches for: a keyed tag on each.

The kernel's display guard (:mod:`analysis.presentation.display_guard`) refuses to *render* a
table or figure the release did not make, but a notebook cell can print numbers in many
other ways (``print(df.to_csv())``, ``df.to_dict()``, an f-string, ``logging``,
``HTML(df.to_html())``). Checking every string a cell prints is not possible; instead, on a
private run the published page keeps **only** the outputs the release tagged:

- in the kernel, every display of a released or public object (a marked DataFrame, Series,
  Styler, Figure, or a sentence made by ``run.say``) carries, per MIME type, an HMAC of its
  content under the private provenance key (:func:`tag`), in the output's metadata;
- in the runner, :func:`keep_tagged` drops every other output of a private run's executed
  notebook (streams, errors, untagged displays, MIME types whose content changed) before the
  notebook is written or rendered, and says how many it dropped.

The tag covers what a page shows of the display beside its content too: the metadata kept for it
(``DISPLAY_KEYS``: an image's alt text, width and height). ``display(released_table,
metadata={"text/html": {"alt": "..."}})`` merges the cell's own metadata after the tag is made,
so a count written into an alt text or a width no longer matches the tag and the output is
dropped (issue 23: display metadata carried text past the tag).

The tag is keyed so that a string printed by a cell cannot carry it by accident; an evaluator
who computes it on purpose with the private key is making a deliberate release. Written by hand:
neither papermill, nbconvert nor ACRO marks outputs by origin.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

TAG = "vwnw_release"
# what a kept output's metadata may hold ("output": the file a figure display belongs to)
DISPLAY_KEYS = {"width", "height", "alt", "needs_background", "isolated", "output"}


def _content(mime: str, value: Any) -> bytes:
    """The bytes a MIME bundle's value is stored as in a notebook (images base64, JSON
    canonical, text as one string), so the kernel and the runner tag the same bytes."""
    if isinstance(value, bytes | bytearray):
        value = base64.b64encode(bytes(value)).decode("ascii")
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        value = "".join(value)  # nbformat's split lines
    if not isinstance(value, str):
        value = json.dumps(value, sort_keys=True, default=str)
    return mime.encode() + b"\0" + value.strip().encode("utf-8", "surrogatepass")


def shown_metadata(metadata: Any) -> dict:
    """The part of one MIME type's metadata a page shows (alt text, size): kept, so tagged."""
    if not isinstance(metadata, dict):
        return {}
    return {k: metadata[k] for k in sorted(metadata) if k in DISPLAY_KEYS}


def tag(mime: str, value: Any, key: bytes, shown: dict | None = None) -> str:
    """HMAC of a MIME type's content and of the metadata a page shows with it."""
    extra = json.dumps(shown or {}, sort_keys=True, default=str).encode()
    return hmac.new(key, _content(mime, value) + b"\0" + extra, hashlib.sha256).hexdigest()


def tagged_metadata(data: dict, metadata: dict, key: bytes) -> dict:
    """``metadata`` of a display with every MIME type of ``data`` tagged."""
    out = dict(metadata or {})
    for mime, value in data.items():
        own = out.get(mime) if isinstance(out.get(mime), dict) else {}
        out[mime] = dict(own, **{TAG: tag(mime, value, key, shown_metadata(own))})
    return out


def _kept(output: dict, key: bytes) -> dict | None:
    """``output`` with only its tagged MIME types, or None."""
    if output.get("output_type") not in ("display_data", "execute_result"):
        return None  # streams (print, logging, warnings) and errors
    meta = output.get("metadata") or {}
    data = {m: v for m, v in (output.get("data") or {}).items()
            if isinstance(meta.get(m) or {}, dict)
            and hmac.compare_digest(str((meta.get(m) or {}).get(TAG, "")), tag(m, v, key, shown_metadata(meta.get(m))))}
    if not data:
        return None
    kept = type(output)(output)
    kept["data"] = data
    kept["metadata"] = {m: {k: v for k, v in md.items() if k in DISPLAY_KEYS}
                        for m, md in meta.items() if m in data and isinstance(md, dict)}
    return kept


def keep_tagged(nb: Any, key: bytes) -> int:
    """Drop every output of ``nb``'s code cells the release did not tag (in place); returns
    how many outputs were dropped. The tags themselves are removed from what is kept."""
    dropped = 0
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        kept = [k for k in (_kept(o, key) for o in cell.get("outputs", [])) if k is not None]
        dropped += len(cell.get("outputs", [])) - len(kept)
        cell["outputs"] = kept
    return dropped
