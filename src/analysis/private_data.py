"""Where private material lives, and how a private input is named without being confirmed.

Private material is everything made from a participant file that is not synthetic: the
release ledger, the output-checking bundle, the key below. It lives in one folder, the
**private folder** (``data/raw/private/``, git-ignored, or ``VWNW_PRIVATE_DIR``), beside the
private data and never under a published folder.

**Input identity without confirmation.** A plain sha256 of a private file lets anyone who
holds a near-copy confirm a guess (try the 56 possible ages of one person until the hash
matches) and tells that two releases came from the same file. Published provenance
therefore carries a *keyed* hash: HMAC-SHA256 with a random 32-byte key that is created in
the private folder on first use. The authors, who hold the key, can verify which file made
a release (:func:`keyed_hash` again); an outsider learns nothing from it. The standard
library's ``hmac`` is the well-kept implementation; nothing here is written by hand but the
file handling.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import stat
import subprocess
from pathlib import Path

from analysis import paths, shipped_files
from analysis.files import sha256_file
from analysis.terminal_text import visible

KEY_FILE = ".provenance-key"
LEDGER = Path("releases") / "ledger.jsonl"  # the release ledger in the private folder (analysis.ledger)
PRIVATE_LABEL = "private input"


def private_dir_path() -> Path:
    """Where the private folder is (``VWNW_PRIVATE_DIR`` or ``data/raw/private``), without
    creating or checking it."""
    return env_private_dir() or (paths.DATA_RAW / "private").resolve()


def env_private_dir() -> Path | None:
    """``VWNW_PRIVATE_DIR`` resolved, a relative path from the project root (never from the
    working folder: the runner works in the project, its kernels in ``notebooks/``), or None."""
    env = os.environ.get("VWNW_PRIVATE_DIR")
    if not env:
        return None
    folder = Path(env).expanduser()
    return (folder if folder.is_absolute() else paths.PROJECT_ROOT / folder).resolve()


def private_dir() -> Path:
    """The private folder: :func:`private_dir_path` (created, mode 0700), never inside a
    published folder."""
    folder = private_dir_path()
    default = paths.DATA_RAW / "private"
    if not os.environ.get("VWNW_PRIVATE_DIR") and default.is_symlink():  # hostile round 5 (L3)
        raise ValueError(f"{default} is a symbolic link (to {folder}); a link below the project is refused for "
                         f"every write (docs/runner_safety.md): set VWNW_PRIVATE_DIR={folder} instead")
    if problem := private_dir_problem(folder):
        raise ValueError(problem)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def private_dir_setting_problem() -> str | None:
    """Why ``VWNW_PRIVATE_DIR`` names no usable private folder (:func:`private_dir_problem`),
    as one line naming the setting, or None (not set, or usable): checked before a run."""
    folder = env_private_dir()
    problem = private_dir_problem(folder) if folder is not None else None
    return problem and f"VWNW_PRIVATE_DIR='{visible(os.environ['VWNW_PRIVATE_DIR'])}': {problem}"


SUBFOLDERS = ("releases", "checking", "failed")  # the ledger, the checker's bundles, failed private runs
KEY_TEXT = re.compile(r"[0-9a-fA-F]{64}(\r?\n)?")  # one line end, either case: the same key (round 20)


def private_material_problem(folder: Path) -> str | None:
    """Why the private ``folder``'s own material cannot be used, or None (hostile round 19): a
    subfolder that is a symbolic link (the ledger, the checker's reasons or a failed notebook
    would be written where it points, outside the project) or a file, and a provenance key that
    is not a plain file of 64 hexadecimal digits (a named pipe hung every run, an empty file was
    taken as an empty key, other text gave a traceback)."""
    for name in SUBFOLDERS:
        sub = folder / name
        if sub.is_symlink():
            return _linked_subfolder_rule(sub)
        if sub.exists() and not sub.is_dir():
            return f"{sub} is a file, not a folder; move it aside, the runner makes the folder"
    return key_file_problem(folder / KEY_FILE)


def _linked_subfolder_rule(sub: Path) -> str:
    """A subfolder of the private folder that is a symbolic link: replace the link by the folder it
    points to, with its contents. Removing it alone would start an empty ledger (hostile round 20:
    the advice ``rm`` made a run forget every earlier release, which the disclosure control of
    differencing needs)."""
    shown = visible(str(sub))
    keep = (" (its ledger.jsonl records the earlier releases: a run without it would not protect the persons "
            "they published)") if sub.name == "releases" else ""
    target = visible(str(sub.resolve()))
    return (f"{shown} is a symbolic link: the private material would be written where it points; replace the link "
            f"by the folder it points to, with everything in it{keep}: rm {shown} && cp -a {target} {shown} (then "
            "check the copy and remove the old folder yourself)")


def key_file_problem(path: Path) -> str | None:
    """Why ``path`` is no provenance key (absent: None, it is made on first use)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return (f"the provenance key {path} is not a plain file (a link, a pipe or a folder); restore the key "
                "file from your backup of the private folder")
    text = path.read_bytes()[:200] if info.st_size <= 200 else b""
    if not KEY_TEXT.fullmatch(text.decode("ascii", "replace")):
        return (f"the provenance key {path} is not a key (64 hexadecimal digits, 0-9 and a-f in either case, on one "
                "line; one line end is allowed); restore it from your backup of the private folder (a new key would "
                "make every recorded release a stranger)")
    return None


def private_dir_problem(folder: Path) -> str | None:
    """Why ``folder`` cannot hold the private material (key, ledger, checker's bundle), or
    None: never inside a published folder, and inside the project only where git ignores it
    (``data/raw/private/``): anywhere else in the project a ``git add -A`` would commit the
    ledger's cells and the provenance key. A name with a character that does not show (a line
    break, a tab, another control character) is refused: no folder needs one, and every message
    and listing that names the folder would show another name (hostile round 17)."""
    if not str(folder).isprintable():
        return (f"the private folder {visible(str(folder))} has a character that does not show in its name (a line "
                "break, a tab or another control character, shown escaped); no folder needs one: set "
                "VWNW_PRIVATE_DIR to a folder whose name has none")
    for published in (paths.REPORTS.resolve(), paths.REPORTS_PRIVATE.resolve()):
        if folder == published or published in folder.parents:
            return (f"the private folder {folder} lies inside the published folder {published}; "
                    "set VWNW_PRIVATE_DIR to a folder outside it")
    root = paths.PROJECT_ROOT.resolve()
    if (folder == root or root in folder.parents) and not _ignored_by_git(folder):
        return (f"the private folder {folder} lies inside the project where git does not ignore it (a commit "
                f"would publish the release ledger and the provenance key); use {paths.DATA_RAW / 'private'} "
                "or set VWNW_PRIVATE_DIR to a folder outside the project")
    return None


def _ignored_by_git(folder: Path) -> bool:
    """Whether git ignores ``folder`` (as a folder); without git only ``data/raw/private``."""
    default = (paths.DATA_RAW / "private").resolve()
    in_default = folder == default or default in folder.parents
    try:
        out = subprocess.run(["git", "check-ignore", "-q", "--", f"{folder}/"], cwd=paths.PROJECT_ROOT,
                             capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return in_default
    return out.returncode == 0 if out.returncode in (0, 1) else in_default  # else: not a git repository


def key() -> bytes:
    """The provenance key, created on first use (32 random bytes, hex, file mode 0600); never
    again once the ledger records releases under it (hostile round 5: a deleted key was
    silently re-created, and the ledger no longer knew the same persons in a copied study)."""
    path = private_dir() / KEY_FILE
    if path.is_symlink():
        raise ValueError(f"{path} is a symbolic link; the provenance key must be a plain file")
    if problem := key_file_problem(path):
        raise ValueError(problem)
    if not path.exists():
        if recorded := _recorded_releases(path.parent):
            raise ValueError(
                f"the provenance key {path} is missing, but the release ledger beside it records {recorded} "
                "release(s), which it names by that key (their files and persons): a new key would make every later "
                "release a stranger to them, and nothing would protect the persons they published. Restore the key "
                "from your backup of the private folder; if it is lost for good, your data owner decides whether the "
                "recorded releases are withdrawn before the ledger is moved aside")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_hex(32) + "\n")
    return bytes.fromhex(path.read_text(encoding="ascii").strip())


def _recorded_releases(folder: Path) -> int:
    """How many releases the ledger in the private ``folder`` records (its lines; 0 if none)."""
    ledger = folder / LEDGER
    if not ledger.is_file():
        return 0
    with open(ledger, "rb") as fh:
        return sum(1 for line in fh if line.strip())


def release_context(parameters: dict | None, inputs: str = "") -> bytes:
    """What makes one release differ from another of the same file: its parameters (but
    the folders it writes to). Mixed into the published keyed hash, so that two releases
    of one file (another cut-off date, language or threshold) carry unrelated hashes and an
    outsider cannot tell they came from the same file; the same release rerun carries the
    same hash. The authors verify a release by recomputing :func:`keyed_hash` with its
    parameters (they are in its provenance). ``inputs`` (the digest of all the run's input
    files together: :func:`analysis.pipeline.provenance.inputs_digest`) ties each input's
    hash to the others: when only the participant file is corrected, the status history's
    hash changes too (the tenth intruder linked two releases by an unchanged history's hash,
    and saw that a record had been corrected in between)."""
    kept = {k: v for k, v in (parameters or {}).items()
            if k not in ("output_dir", "processed_dir") and not k.endswith(("_path", "_dir"))}
    if inputs:
        kept["\0inputs"] = inputs
    return json.dumps(kept, sort_keys=True, default=str).encode()


def keyed_hash(path: str | Path, context: bytes = b"") -> str:
    """``hmac-sha256:<hex>`` of ``context`` and the file's bytes under the provenance key."""
    mac = hmac.new(key(), context + b"\0" if context else b"", digestmod=hashlib.sha256)
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            mac.update(block)
    return "hmac-sha256:" + mac.hexdigest()


def is_shipped(path: str | Path) -> bool:
    """Whether ``path`` is one of the repository's own public inputs: inside the project's
    ``data/raw``, ``studies`` or ``tests`` folders, not in the private folder, and listed with
    its bytes among the shipped files (:mod:`analysis.shipped_files`: a file an evaluator drops
    into ``data/raw/``, or edits there, is not shipped, with or without git)."""
    p = Path(path).resolve()
    return _in_public_folder(p) and shipped_files.is_listed(p)


def _in_public_folder(p: Path) -> bool:
    inside = [paths.DATA_RAW.resolve(), (paths.PROJECT_ROOT / "tests").resolve(),
              (paths.PROJECT_ROOT / "studies").resolve()]
    return any(base in p.parents for base in inside) and not in_private_folder(p)


def shown_identity(path: str | Path, parameters: dict | None = None, inputs: str = "") -> tuple[str, str]:
    """How a published file names an input: (name, hash). A shipped input by its path in
    the project and its sha256; any other input as ``private input`` with its keyed hash in
    the release's context (never its name or folder: a file name can hold a person's name
    or number)."""
    p = Path(path).resolve()
    if is_shipped(p) and not _in_tests(p):  # a file listed under tests/ may be anyone's (the eighteenth intruder)
        return p.relative_to(paths.PROJECT_ROOT.resolve()).as_posix(), sha256_file(p)
    return PRIVATE_LABEL, keyed_hash(p, release_context(parameters, inputs))


def _in_tests(p: Path) -> bool:
    return (paths.PROJECT_ROOT / "tests").resolve() in p.parents


def shown_parameter(name: str, value):
    """A run parameter as published: a path parameter (``*_path``, ``*_dir``) that names
    anything but a shipped input (a folder: one outside the project or in the private folder)
    is ``private input`` (its name and folder can identify a person). So is a study given as a
    file (``study: data/raw/private/jansen.yml``) that is not shipped: the tenth intruder found
    such a path in the private site's runner state."""
    if name == "study" and isinstance(value, str) and re.search(r"[/\\]|\.ya?ml$", value.strip(), re.IGNORECASE):
        p = paths.resolve(value)
        return value if p.exists() and is_shipped(p) else PRIVATE_LABEL
    if not (name.endswith(("_path", "_dir")) and isinstance(value, str) and value.strip()):
        return value
    p = paths.resolve(value)
    root = paths.PROJECT_ROOT.resolve()
    inside = p.resolve() == root or root in p.resolve().parents
    if name.endswith("_dir"):  # a folder in the private folder can name a person too (hostile round 14, H19)
        return value if inside and not Path(value).is_absolute() and not in_private_folder(p) else PRIVATE_LABEL
    return value if p.exists() and is_shipped(p) else PRIVATE_LABEL


def in_private_folder(path: str | Path) -> bool:
    """Whether ``path`` lies in the private folder (``data/raw/private`` or
    ``VWNW_PRIVATE_DIR``), where real data are kept: a file there is real data whatever it
    says of itself."""
    p = Path(path).resolve()
    env = env_private_dir()
    folders = [(paths.DATA_RAW / "private").resolve(), *([env] if env else [])]
    return any(f == p or f in p.parents for f in folders)
