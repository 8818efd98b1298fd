"""The repository's own public inputs, known by their bytes.

A file is *shipped* (the repository's own and public: named and hashed in plain on the site,
its synthetic claim believed) only when its path in the project and its sha256 are listed in
``shipped_files.sha256`` beside this module, a list kept with the code. Before, git decided:
tracked and unchanged since ``HEAD``. That held only where the checkout is a git repository
whose ``HEAD`` is the project's. The tenth intruder typed real records over the shipped
synthetic participant file in a copy without git (``git archive``, a downloaded zip), in a
clone after ``git update-index --assume-unchanged`` (sparse checkouts set ``--skip-worktree``),
and after committing it locally; each time the file counted as shipped, its claim to be
synthetic was believed and cells of 1 to 9 went to the public site. A list of contents does
not depend on git, on its index or on a local commit.

The test suite checks the list against the repository (``tests/test_shipped_files.py``);
after a shipped input changes, ``python -m analysis.shipped_files --write`` rewrites it (the
test's message says so), but not over a participant data file in ``data/raw`` that the
project's generator did not write (:func:`unsealed_changes`). Written by hand: the list is
sha256sum's format, read and written with a few lines of hashlib, and git lists the candidates.
"""

from __future__ import annotations

import os
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

from analysis import paths
from analysis.files import sha256_file

FOLDERS = ("data/raw", "studies", "tests")  # where the repository keeps inputs (not code: *.py is left out)
MANIFEST = Path(__file__).with_name("shipped_files.sha256")


@lru_cache(maxsize=4)
def _read(manifest: Path, stamp: tuple[int, int]) -> dict[str, str]:
    rows = {}
    for line in manifest.read_text(encoding="utf-8").splitlines():
        digest, sep, name = line.partition("  ")
        if sep and name:
            rows[name] = digest
    return rows


def listed() -> dict[str, str]:
    """Path in the project (POSIX) -> sha256 of every shipped input."""
    try:
        st = MANIFEST.stat()
    except OSError:
        return {}
    return _read(MANIFEST, (st.st_mtime_ns, st.st_size))


TRUSTED = ("data/raw/", "studies/")  # where a listed file's synthetic claim is believed (not tests/)


def digests() -> frozenset[str]:
    """The sha256 of every shipped input whose claim to be synthetic is believed (a copy of
    one has the same): those in ``data/raw/`` and ``studies/``. The files under ``tests/``
    are listed (public, named in plain) but not believed: :func:`unsealed_changes` cannot tell
    a test case from a real file there (the hostile corpus changes by its own scripts), and the
    seventeenth intruder staged a real file under ``tests/`` and had it listed."""
    return frozenset(d for name, d in listed().items() if name.startswith(TRUSTED))


def is_listed(path: str | Path) -> bool:
    """Whether ``path`` is a shipped input at its own place with its own bytes."""
    p = Path(path).resolve()
    try:
        name = p.relative_to(paths.PROJECT_ROOT.resolve()).as_posix()
    except ValueError:
        return False
    want = listed().get(name)
    return want is not None and p.is_file() and sha256_file(p) == want


def seal_folder() -> Path:
    """Where the project's generator keeps its seals (:mod:`analysis.synthetic_seal`): an empty
    file named by the sha256 of each file it wrote (``VWNW_SEAL_DIR``, else
    ``$XDG_CACHE_HOME/vwnw-evaluation/synthetic-seals``, else ``~/.cache/...``)."""
    given = os.environ.get("VWNW_SEAL_DIR")
    if given:
        return Path(given).expanduser()
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / "vwnw-evaluation" / "synthetic-seals"


def is_sealed(digest: str) -> bool:
    """Whether the generator sealed a file of these bytes (its sha256 ``digest``)."""
    return (seal_folder() / digest).is_file()


GENERATED = ("data/raw/",)  # where a changed data file must come from the generator (not dwsra_*: public facts)
TEXT_SUFFIXES = (".md", ".yml", ".yaml")  # the documentation and mappings beside the data, not data


def unsealed_changes(rows: dict[str, str]) -> list[str]:
    """The data files under ``data/raw/`` in ``rows`` (path -> sha256) that are new or changed
    since the list was written and that the project's generator did not write: typed over by
    hand. Every file there is data whatever its name's suffix (the readers read an unknown
    suffix as text), except documentation and mappings. The eleventh intruder typed real
    records over the shipped synthetic file, then ran ``--write`` as the test's message said,
    and the list took the typed-over file in as shipped; the seventeenth named a new real file
    ``.txt`` (or ``.CSV``), which this check did not look at."""
    old = listed()
    return [name for name, digest in rows.items()
            if name.startswith(GENERATED) and not name.lower().endswith(TEXT_SUFFIXES)
            and not Path(name).name.startswith("dwsra_") and old.get(name) != digest
            and not is_sealed(digest)]


def in_repository(root: Path | None = None) -> dict[str, str]:
    """What the list should hold: every file git tracks in ``FOLDERS`` (no ``*.py``), hashed
    as it is in the work tree."""
    root = root or paths.PROJECT_ROOT
    out = subprocess.run(["git", "ls-files", "-z", "--", *FOLDERS], cwd=root, capture_output=True, check=True)
    names = sorted(n for n in out.stdout.decode("utf-8").split("\0") if n and not n.endswith(".py"))
    return {n: sha256_file(root / n) for n in names if (root / n).is_file()}


def manifest_text(rows: dict[str, str]) -> str:
    return "".join(f"{digest}  {name}\n" for name, digest in sorted(rows.items()))


def main(argv: list[str] | None = None) -> int:
    """``--write``: rewrite the list from the repository; ``--check``: say what differs."""
    args = sys.argv[1:] if argv is None else argv
    rows = in_repository()
    want = manifest_text(rows)
    if args == ["--write"]:
        if typed := unsealed_changes(rows):
            print(f"error: {', '.join(typed)} changed since the list was written, and the project's generator did not "
                  "write it (its seal is missing): a shipped participant file is only ever rewritten by "
                  "`python -m analysis synthetic`. If real records were typed into it, restore it (git checkout) "
                  "and keep real data in data/raw/private/.", file=sys.stderr)
            return 1
        MANIFEST.write_text(want, encoding="utf-8")
        return 0
    if args == ["--check"]:
        have = MANIFEST.read_text(encoding="utf-8") if MANIFEST.is_file() else ""
        return 0 if have == want else 1
    print("usage: python -m analysis.shipped_files --write | --check", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
