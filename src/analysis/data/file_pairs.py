"""An export and its mapping file as a pair of paths: which file names the other.

Kept apart from :mod:`analysis.data.mapping` and :mod:`analysis.data.mapped` (which need
pandas) because the report runner asks it for every run's input files when it decides what
is stale; without pandas that check stays well under a second."""

from __future__ import annotations

from pathlib import Path

from analysis.strict_yaml import YamlLimitError, load

MAPPING_SUFFIX = ".mapping.yml"


def mapping_beside(export: str | Path) -> Path:
    """Where the mapping of ``export`` is looked for: ``<stem>.mapping.yml`` beside it (a path
    without a name, such as ``/``, has none: a name inside it that the checks of the path refuse)."""
    export = Path(export)
    if not export.name:
        return export / MAPPING_SUFFIX
    return export.with_name(export.stem + MAPPING_SUFFIX)


def is_mapping_file(path: str | Path) -> bool:
    return str(path).lower().endswith((".yml", ".yaml"))


def source_path(path: str | Path) -> Path:
    """An export's path given either the export or its mapping file."""
    path = Path(path)
    if not is_mapping_file(path):
        return path
    try:
        if not path.is_file() or path.is_symlink():
            return path
        data = load(path.read_text(encoding="utf-8"), str(path))
        return path.parent / str(data["source"])
    except (OSError, UnicodeDecodeError, YamlLimitError, TypeError, KeyError, RecursionError):
        return path


def companion_files(path: str | Path) -> list[Path]:
    """The other file of an export/mapping pair: the export named by a mapping file, or the
    mapping beside an export (for run fingerprints: a changed mapping reruns the notebooks)."""
    path = Path(path)
    if is_mapping_file(path):
        others = [source_path(path)]
    else:  # the mapping beside the export, and the file its source: names when that is another
        beside = mapping_beside(path)
        others = [beside, source_path(beside)] if beside.is_file() else []
    found = []
    for other in others:
        if other != path and other not in found and other.is_file():
            found.append(other)
    return found


def linked_member(path: str | Path) -> tuple[str, Path] | None:
    """The file of an input that is a symbolic link, with its role (``file``, ``mapping``,
    ``export``): the path itself, the mapping beside an export, or the export a mapping names;
    None when none is. The readers refuse each of them (links are not followed), so the runner
    says it before any kernel starts (hostile round 17: the kernel refused it after 146 s)."""
    path = Path(path)
    if path.is_symlink():
        return "file", path
    if is_mapping_file(path):
        pair = [("export", source_path(path))]
    else:
        beside = mapping_beside(path)
        pair = [("mapping", beside)] + ([("export", source_path(beside))] if beside.is_file() else [])
    return next(((role, other) for role, other in pair if other != path and other.is_symlink()), None)


def mapped_sheets(mapping: str | Path) -> tuple[str, ...]:
    """The sheets a mapping file says are read (``participants.sheets`` and the sheets of
    ``status_history`` and ``services``), from its YAML alone (nothing checked: the reader
    does that); empty when it cannot be read."""
    try:
        data = load(Path(mapping).read_text(encoding="utf-8"), str(mapping))
    except (OSError, UnicodeDecodeError, YamlLimitError, RecursionError, ValueError):
        return ()
    if not isinstance(data, dict):
        return ()
    people = data.get("participants")
    named = list(people.get("sheets") or {}) if isinstance(people, dict) and isinstance(
        people.get("sheets"), dict) else []
    for kind in ("status_history", "services"):
        if isinstance(data.get(kind), dict) and isinstance(data[kind].get("sheet"), str):
            named.append(data[kind]["sheet"])
    return tuple(str(n) for n in named)


def data_files(path: str | Path) -> list[Path]:
    """The data files behind an input: a mapping's export, an export (with the file its
    mapping names, where that is another), or the file itself. A mapping decides nothing about
    the people by itself (the seventeenth and eighteenth intruders read real exports through
    copies of the shipped mapping)."""
    files = [Path(path), *companion_files(path)]
    return [f for f in files if not is_mapping_file(f)] or files


def near_mappings(export: str | Path) -> list[str]:
    """Files in the folder of ``export`` that look like its mapping under another name (a draft
    not yet renamed, ``.yaml``, another case): an export read without its mapping is named with
    them (hostile round 20: an export without its mapping beside it was read as a plain
    participant workbook)."""
    export = Path(export)
    stem = export.stem.casefold()
    try:
        names = sorted(p.name for p in export.parent.iterdir() if p.name != mapping_beside(export).name)
    except OSError:
        return []
    return [n for n in names if n.casefold().startswith(stem + ".mapping") and is_mapping_file(n)][:5]


def missing_mapping_rule(export: str | Path, read_plain: bool = False) -> str:
    """What is missing when ``export`` is read without a mapping: ``<stem>.mapping.yml`` beside
    it, with the near-named files found there; ``read_plain``: the file was therefore read in the
    codebook's columns."""
    export = Path(export)
    beside = mapping_beside(export)
    near = near_mappings(export)
    found = (f"; beside it: {', '.join(repr(n) for n in near)} (a draft or another name): complete it (resolve "
             f"every TODO) and save it as {beside.name}") if near else ""
    plain = ", so the file was read as a participant file in the codebook's columns" if read_plain else ""
    return f"no mapping beside it: {beside.name} is not in {export.parent}{plain}{found}"
