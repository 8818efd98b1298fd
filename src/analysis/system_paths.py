"""The running system's folders: the one definition of where no command reads an input
from or writes an output to (issue 28). It is used by every check of a path a user names:
the readers of raw files and mappings (:func:`analysis.data.readers.check_path`), the
targets of ``inspect --draft`` and ``synthetic`` (:func:`analysis.cli.unsafe_target`),
``--reports`` (:func:`analysis.pipeline.private_runs.reports_folder_problem`), a study file
and a cache folder given as parameters (:mod:`analysis.pipeline.parameter_rules`).

Written by hand: no library says which folders belong to the operating system. The list is
the Filesystem Hierarchy Standard's system folders, the kernel's virtual file systems and
the secret folders of the user's home; the root folder itself counts too. Two places inside
them are not the system's: the project itself (a clone may live under ``/opt`` or ``/srv``)
and the temporary folder (``/var/folders/...`` on macOS, ``/var/tmp``).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from analysis import paths

SYSTEM_FOLDERS = ("/proc", "/sys", "/dev", "/run", "/etc", "/boot", "/bin", "/sbin", "/lib", "/lib32", "/lib64",
                  "/libx32", "/usr", "/var", "/opt", "/srv", "/snap", "/root/.ssh", "/root/.gnupg")
HOME_SECRETS = (".ssh", ".gnupg")


def _inside(text: str, folder: str) -> bool:
    return text == folder or text.startswith(folder.rstrip("/") + "/")


def _allowed_places() -> list[str]:
    places = [paths.PROJECT_ROOT, Path(tempfile.gettempdir())]
    return sorted({p for place in places for p in (os.path.abspath(place), os.path.realpath(place))})


def _folders() -> list[str]:
    home = Path.home()
    return list(SYSTEM_FOLDERS) + [(home / name).as_posix() for name in HOME_SECRETS]


def system_folder(path: str | Path) -> str | None:
    """The folder of the running system ``path`` lies in, as ``etc/`` (``/`` for the root
    folder itself), or None. Both the path as written (made absolute) and the path its links
    lead to are checked, so a link into ``/etc`` is caught as well."""
    allowed = _allowed_places()
    for text in dict.fromkeys((os.path.abspath(path), os.path.realpath(path))):
        if text == "/":
            return "/"
        if any(_inside(text, place) for place in allowed):
            continue
        folder = next((f for f in _folders() if _inside(text, f)), None)
        if folder is not None:
            return folder.lstrip("/") + "/"
    return None


NAME_MAX = 255  # bytes of one name in a path (Linux, macOS); a longer one is refused by the system (ENAMETOOLONG)
PATH_MAX = 4096  # bytes of a whole path


def name_length_problem(path: str | Path) -> str | None:
    """Why the system would refuse ``path`` as too long (one name over :data:`NAME_MAX` bytes
    or the whole over :data:`PATH_MAX`), before any call raises ``OSError: File name too long``."""
    raw = os.fsencode(str(path))
    longest = max((len(part) for part in raw.split(b"/")), default=0)
    if longest > NAME_MAX:
        return (f"holds a name of {longest:,} bytes; a file or folder name has at most {NAME_MAX} bytes: "
                "give a shorter name")
    if len(raw) > PATH_MAX:
        return f"is {len(raw):,} bytes long; a path has at most {PATH_MAX:,} bytes: give a shorter path"
    return None


def undecodable_problem(path: str | Path) -> str | None:
    """A path holding a byte that is not UTF-8 (Python shows it as ``\\udcff``): said as such,
    not as a character that does not show."""
    if any("\udc80" <= c <= "\udcff" for c in str(path)):
        return ("holds a byte that is not UTF-8 text (shown as \\udc..): the name was written in another "
                "encoding; rename the file or folder")
    return None
