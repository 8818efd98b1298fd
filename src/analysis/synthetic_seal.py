"""Which files may call themselves synthetic: those the project made.

A participant file whose every row is marked synthetic (``synthetisch`` true, or a mapping's
constant) gets what synthetic data get: the public site, the kernel's display unguarded and a
threshold below 10 if asked. A copy of a synthetic file with real records typed in keeps
that mark (found by the fifth hostile tester: the example export, typed over, published cells
of 1 to 9 at ``min_cell_count: 1``); so did its workbook's document creator, which was the
only check. The claim is therefore believed only for a file the project made:

- a **shipped** file or a copy of one (the same bytes: :mod:`analysis.shipped_files` lists the
  repository's own inputs by content, so a shipped file typed over in place is not shipped,
  with or without git), or
- a file the project's generator wrote, **sealed** when written: the sha256 of its bytes is
  kept as an empty file of that name in the seal folder (``VWNW_SEAL_DIR``, else
  ``$XDG_CACHE_HOME/vwnw-evaluation/synthetic-seals``, else ``~/.cache/...``). Any change to
  the bytes breaks the seal; a copy of an unchanged file keeps it.

The seal stops the careless route (a template typed over), not a deliberate one (whoever
writes the seal by hand). It holds hashes of synthetic files only. Written by hand: a content
address is a few lines of ``hashlib``.
"""

from __future__ import annotations

from pathlib import Path

from analysis import shipped_files
from analysis.data.digests import sha256_of
from analysis.shipped_files import seal_folder


def folder_problem() -> str | None:
    """Why the seal folder cannot hold seals (None: it can, or does not exist yet): it is a file
    or a link (hostile round 13, session 10: ``VWNW_SEAL_DIR`` naming a file stopped the writer
    with a traceback after its file was written, unsealed)."""
    folder = seal_folder()
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        return (f"the seal folder {folder} (VWNW_SEAL_DIR, else the cache folder) is not a folder; point "
                "VWNW_SEAL_DIR at a folder of its own, or leave it unset")
    return None


def seal(*files: str | Path) -> None:
    """Seal ``files``, just written by the project's generator."""
    folder = seal_folder()
    folder.mkdir(parents=True, exist_ok=True)
    for f in files:
        (folder / sha256_of(Path(f))).touch()


def made_by_project(path: str | Path) -> bool:
    """Whether ``path`` may call itself synthetic: shipped, a copy of a shipped data file
    (the same bytes), or sealed by the generator."""
    digest = sha256_of(Path(path))  # once: the seal's name and the shipped files' digests
    return digest in shipped_files.digests() or shipped_files.is_sealed(digest)


# what to do when a file in a role claims synthetic people it may not claim (a status history has no
# column ``synthetisch``: hostile round 13 was told to set it); every run on real data has a threshold of 10
REMEDIES = {
    "participant file": "mark its people real (the column synthetisch false) and keep min_cell_count at 10 or more",
    "export": "mark its people real (the mapping's constant synthetisch: nee) and keep min_cell_count at 10 or more",
    "status history": "read the status history the generator wrote with the participant file "
                      "(`.venv/bin/python -m analysis synthetic`), or keep min_cell_count at 10 or more",
}


def refusal(path: str | Path, how: str, role: str = "participant file") -> str:
    """The rule a synthetic claim (``how``: where the file says so) of an unsealed ``path``
    (a file in ``role``, a key of :data:`REMEDIES`) breaks, and what to do."""
    return (f"{how} says every person is synthetic, but its {role} {Path(path).name} is neither a shipped file nor "
            "one the project's generator wrote unchanged (a copy of a synthetic file with real records typed in "
            f"keeps the mark). Real people are real data, whose every count the run protects: {REMEDIES[role]}. "
            "Synthetic data are made with `.venv/bin/python -m analysis synthetic`")
