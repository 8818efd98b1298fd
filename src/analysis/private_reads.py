"""A run on synthetic data opens nothing in the private folder.

A run on synthetic data publishes into ``reports/``, the public site, and its kernel shows
what it computes (the display guard is on only for data that are not synthetic). A cell that
reads a real file by its path, say ``pd.read_excel("data/raw/private/deelnemers.xlsx")`` kept
from an exploration in JupyterLab, would put real counts on the public site the next time
``make report`` runs the synthetic configuration. So in the kernel of a synthetic run,
opening a file inside the private folder for reading (:func:`analysis.private_data.in_private_folder`:
``data/raw/private`` or ``VWNW_PRIVATE_DIR``) raises :class:`PermissionError` naming the
file and the route to use; the cell fails, and a failed run publishes nothing. The one
exceptions are the provenance key, no personal data, with which the project seals the results
it stores between kernels (:mod:`analysis.release.joint_once`), and the one such result the
kernel's own run stored under a key of its own inputs (:func:`permit`).

Written by hand on the standard library's audit hooks (PEP 578, ``sys.addaudithook``): the
only place that sees every ``open`` of a Python process, the reads of pandas, openpyxl and
``csv`` included. A hook cannot be removed, so it is installed only in a notebook kernel
(one run per process), never in a test or command process. Listing the folder, and linking or
copying a file out of it, are refused too.

No program is started at all (a shell escape ``!grep``, ``subprocess``, ``os.system``, an
``exec``, a worker process of ``multiprocessing``'s spawn context or of joblib), but for the two
the project itself runs (``git describe`` for the provenance, ``git
check-ignore`` for the private folder's check) and matplotlib's font listing (``fc-list``). A
shell reads what it likes without naming it: the tenth intruder's ``!grep -rc ",hoog,"
../data/raw/``, ``!cat ../data/raw/*/.provenance-key`` and ``!awk ... ../data/raw/p*/...``
put real counts, the key and raw records on the public site, past a check of the command's
words. pyarrow's readers open files in native code, past the audit hooks (``pd.read_parquet``
of a validated copy in the private folder, ``pyarrow.dataset`` over ``data/raw``): their
Python entry points (:data:`NATIVE_READERS`) refuse a path in the private folder or a folder
that holds it. Not seen: other native readers (a C extension of one's own) and real files
kept outside the private folder. The output checker reads the notebook's diff for those.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from analysis.private_data import KEY_FILE, in_private_folder, private_dir_path

_ACTIVE = False
_CHECKING = False  # the check itself resolves paths: no check of the check


REFUSED = "may not open"  # in every refusal: the runner keeps such a run's failed notebook privately


def refusal(path: str) -> str:
    """The message for a synthetic run that opens ``path`` in the private folder."""
    return (f"this run is on synthetic data and publishes on the public site; it {REFUSED} {Path(path).name!r} "
            "in the private folder, where real data are kept. Read a real file through the real-data "
            "command (docs/real-data.md), which publishes into reports-private/ with every number released")


def reads(mode: object, flags: object) -> bool:
    """Whether an ``open`` audit event's ``mode`` (``open``: text such as ``"rb"``) or
    ``flags`` (``os.open``) opens for reading. Writing is allowed: a synthetic run writes its
    output checker's bundle to the private folder."""
    if isinstance(mode, str):
        return "r" in mode or "+" in mode
    if isinstance(flags, int):
        return flags & os.O_ACCMODE != os.O_WRONLY
    return True


def check_open(path: object) -> None:
    """Raise :class:`PermissionError` if ``path`` (as the ``open`` audit event gives it: a
    path, bytes, or a file descriptor) lies in the private folder."""
    if isinstance(path, int):  # an open file descriptor: its opening was checked
        return
    text = _text(path)
    if in_private_folder(text) and Path(text).resolve() not in {private_dir_path() / KEY_FILE, *_PERMITTED}:
        raise PermissionError(refusal(text))


_PERMITTED: set[Path] = set()  # single files this process may read in the private folder: see permit()


def permit(path: str | Path) -> None:
    """Let this process read the one file ``path`` in the private folder, nothing else of it:
    the joint release a kernel of this very run stored there (:mod:`analysis.release.joint_once`:
    its name carries a key over the run's own input files, and its content is unpickled only
    under the seal of the provenance key). Without it a synthetic run's kernel could write the
    stored release but not read it, and every kernel made it again."""
    _PERMITTED.add(Path(path).resolve())


LISTINGS = ("os.listdir", "os.scandir", "os.link", "os.symlink", "shutil.copyfile", "shutil.copytree")
PROGRAMS = ("subprocess.Popen", "os.system", "os.exec", "os.spawn", "os.posix_spawn")  # audit events that start one
OWN_PROGRAMS = (("git", "describe"), ("git", "check-ignore"), ("fc-list",))  # what the project and matplotlib run


def program_refusal(command: str) -> str:
    return (f"this run is on synthetic data and publishes on the public site; it may not start a program "
            f"({command[:60]!r}): a shell command reaches the private folder without naming it, so it {REFUSED} "
            "anything there. Compute in Python in the notebook, or run the command in a terminal")


def command_words(event: str, args: tuple) -> list[str]:
    """The command line of a ``PROGRAMS`` audit event (``os.system`` gives one string)."""
    given = {"subprocess.Popen": 1, "os.system": 0, "os.exec": 1, "os.spawn": 2, "os.posix_spawn": 1}[event]
    argv = args[given] if len(args) > given else ()
    if isinstance(argv, str | bytes | os.PathLike):
        return _text(argv).split()
    return [_text(a) for a in argv or ()]


def _text(path: object) -> str:
    """A path as an audit event gives it (text, bytes or path-like), as text."""
    return os.fsdecode(path) if isinstance(path, bytes | os.PathLike) else str(path)


def _moved_out(source: object, target: object) -> bool:
    """Whether a rename takes a file out of the private folder (the eleventh intruder moved one
    to /tmp, then read it there)."""
    return in_private_folder(_text(source)) and not in_private_folder(_text(target))


def own_program(words: list[str], shell: bool = False) -> bool:
    """Whether ``words`` run one of ``OWN_PROGRAMS`` (by its name, with its first argument);
    never a ``shell`` line (``os.system``: "git describe; head ..." runs more than git)."""
    if not words or shell:
        return False
    head = [os.path.basename(words[0]), *words[1:]]
    return any(tuple(head[:len(own)]) == own for own in OWN_PROGRAMS)


def refuse_program(words: list[str], shell: bool = False) -> None:
    """Raise :class:`PermissionError` unless ``words`` run one of the project's own programs."""
    if not own_program(words, shell):
        raise PermissionError(program_refusal(" ".join(words)))


def _hook(event: str, args: tuple) -> None:
    global _CHECKING
    if not _ACTIVE or _CHECKING or not args:
        return
    if event == "open":
        targets = [args[0]] if args[0] is not None and reads(*args[1:3]) else []
    elif event in LISTINGS:  # file names are data too; a link or copy reads the file later elsewhere
        targets = [a for a in args[:2] if isinstance(a, str | bytes | os.PathLike)]
    elif event == "os.rename":  # a move out of the folder (a file written into it is renamed in place: allowed)
        targets = [args[0]] if _moved_out(*args[:2]) else []
    elif event in PROGRAMS:  # a shell escape (!cat, !grep) or any other program: only the project's own
        refuse_program(command_words(event, args), shell=event == "os.system")
        return
    else:
        return
    _CHECKING = True
    try:
        for target in targets:
            check_open(target)
    finally:
        _CHECKING = False


_INSTALLED = False


def refuse_in_this_process() -> None:
    """From now on, this process opens nothing in the private folder (for a kernel: see the
    module's docstring). The runner calls it when a kernel of a run on shipped inputs starts."""
    global _ACTIVE, _INSTALLED
    _ACTIVE = True
    if not _INSTALLED:
        _INSTALLED = True
        sys.addaudithook(_hook)
        _guard_fork_exec()
        _guard_native_readers()


def _guard_fork_exec() -> None:
    """Refuse the programs started without an audit event: ``multiprocessing``'s spawn and
    forkserver contexts and joblib's loky workers call ``_posixsubprocess.fork_exec``
    directly, and start a new Python without this hook (the eleventh intruder read the
    private file with ``joblib.Parallel(n_jobs=2)(delayed(pd.read_csv)(...))`` and a spawn
    pool). A pool of the fork context inherits the hook and needs no exception."""
    try:
        import _posixsubprocess  # POSIX only: elsewhere there is no fork_exec to guard
    except ImportError:  # not POSIX
        return
    original = _posixsubprocess.fork_exec

    def fork_exec(args, *rest):
        if _ACTIVE:
            refuse_program([_text(a) for a in args or ()])
        return original(args, *rest)

    _posixsubprocess.fork_exec = fork_exec


# pyarrow's Python entry points that open files natively (pandas' read_parquet, read_feather,
# read_orc and engine="pyarrow" CSV readers call them at call time): functions, and classes whose
# __init__ takes the path
NATIVE_READERS = (("pyarrow.parquet", ("read_table", "read_metadata", "read_schema", "read_pandas", "ParquetFile",
                                       "ParquetDataset")),
                  ("pyarrow.dataset", ("dataset", "parquet_dataset")),
                  ("pyarrow.feather", ("read_table", "read_feather")),
                  ("pyarrow.csv", ("read_csv", "open_csv")),
                  ("pyarrow.json", ("read_json",)),
                  ("pyarrow.orc", ("read_table", "ORCFile")),
                  ("pyarrow.ipc", ("open_file", "open_stream")),
                  ("pyarrow", ("memory_map", "OSFile", "input_stream", "MemoryMappedFile")))


def check_native(value: object) -> None:
    """Raise :class:`PermissionError` if ``value`` (an argument of a native reader: a path, or a
    list of them) names the private folder, a file in it, or a folder that holds it."""
    if isinstance(value, list | tuple):
        for item in value:
            check_native(item)
        return
    if not isinstance(value, str | bytes | os.PathLike):
        return
    text = _text(value)
    try:
        target = Path(text).expanduser().resolve()
    except (OSError, RuntimeError, ValueError):
        return
    check_open(target)  # a file in the folder, or the folder itself
    if target in private_dir_path().resolve().parents:  # a folder a dataset reads the private files from
        raise PermissionError(refusal(text))


def _checked(reader):
    def guarded(*args, **kwargs):
        if _ACTIVE:
            for value in (*args, *kwargs.values()):
                check_native(value)
        return reader(*args, **kwargs)
    guarded.__wrapped__ = reader
    guarded.__name__ = getattr(reader, "__name__", "reader")
    guarded.__doc__ = getattr(reader, "__doc__", None)
    return guarded


def _guard_native_readers() -> None:
    """Wrap :data:`NATIVE_READERS` (the kernel zygote imported their modules already)."""
    import importlib

    for module_name, names in NATIVE_READERS:
        try:
            module = importlib.import_module(module_name)
        except ImportError:  # a pyarrow built without ORC, say
            continue
        for name in names:
            reader = getattr(module, name, None)
            if reader is None or id(reader) in _GUARDED:
                continue
            try:
                if not isinstance(reader, type):
                    raise TypeError
                reader.__init__ = _checked(reader.__init__)  # isinstance() of the class still holds
            except TypeError:  # a function, or a Cython class whose constructor cannot be replaced: the name
                reader = _checked(reader)
                setattr(module, name, reader)
            _GUARDED.add(id(reader))


_GUARDED: set[int] = set()  # the readers wrapped in this process


def allow_in_this_process() -> None:
    """The run's data turned out not to be synthetic (a private run; its kernel reads the
    ledger and the key in the private folder): the check stops."""
    global _ACTIVE
    _ACTIVE = False
