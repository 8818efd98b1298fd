"""Command line: ``python -m analysis <command>``; ``python -m analysis <command> --help``
describes each command's options.

Each command is a pair: a function that declares its arguments and one that runs it.
Heavy imports happen inside the handlers, so ``--help`` and a no-op report stay fast.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from analysis import paths, synthetic_seal
from analysis.closed_pipe import pipe_safe_stdout, write_error_line
from analysis.data.digests import distrust_environment
from analysis.data.errors import InputError, written
from analysis.data.file_pairs import mapping_beside
from analysis.option_ranges import RANGES, OneLineParser, ranged
from analysis.paths import resolve
from analysis.pipeline import runner, verify
from analysis.pipeline.parameter_rules import published_folders, study_problem
from analysis.pipeline.private_runs import private_inputs
from analysis.system_paths import name_length_problem, system_folder, undecodable_problem
from analysis.terminal_text import printable_output
from analysis.write_targets import write_problem


def _report_arguments(ap: argparse.ArgumentParser) -> None:
    runner.add_arguments(ap)


def _report(args: argparse.Namespace) -> int:
    return runner.command(args)


def _verify_arguments(ap: argparse.ArgumentParser) -> None:
    verify.add_arguments(ap)


def _verify(args: argparse.Namespace) -> int:
    return verify.command(args)


DEFAULT_SYNTHETIC_OUT = "data/raw/pilot_participants_synthetic.csv"
DEFAULT_SYNTHETIC_EXPORT = "data/raw/pilot_export_synthetic.xlsx"


def _synthetic_arguments(ap: argparse.ArgumentParser) -> None:
    # no import of the generator here: every subcommand builds this parser (pandas would cost
    # a second of every no-op report)

    ap.add_argument("--n", type=ranged("--n"), default=30,
                    help="number of participants, 1 to 2,000,000 (default: 30, as the pilot)")
    ap.add_argument("--seed", type=ranged("--seed"), default=None,
                    help="random seed, 0 to 4,294,967,295 (default: the study file's synthetic seed)")
    ap.add_argument("--movers-from-education", type=ranged("--movers-from-education"), default=None,
                    help="of the three April movers, how many come from education, 0 to 2 (default: the "
                         "generator's, 2)")
    ap.add_argument("--out", default=DEFAULT_SYNTHETIC_OUT,
                    help="output CSV, relative to the project root")
    ap.add_argument("--export", default=DEFAULT_SYNTHETIC_EXPORT,
                    help="also write the same people as a messy case-manager export (.xlsx) with its mapping "
                         "beside it (default: %(default)s; '' to skip)")


def _synthetic(args: argparse.Namespace) -> int:
    # the command's own modules, on use: they load pandas, which the report command never needs
    from analysis.pilot.synthetic import (
        DEFAULT_MOVERS_FROM_EDUCATION,
        DEFAULT_SEED,
        generate_participants,
        history_path_beside,
        write_participants,
    )

    targets = synthetic_targets(args.out, args.export, history_path_beside)
    regenerated = {(option, target.resolve()) for target, _, option in
                   synthetic_targets(DEFAULT_SYNTHETIC_OUT, DEFAULT_SYNTHETIC_EXPORT, history_path_beside)}
    for target, suffixes, option in targets:
        owner = resolve(args.export) if option == "--export (its mapping beside it)" else target
        problem = synthetic_target_problem(target, suffixes, option) or raw_data_problem(target, option, regenerated)
        if (option, target.resolve()) not in regenerated:
            problem = problem or replaced_file_problem(target, option, owner)
        if problem:
            print(f"error: {problem}; nothing was written", file=sys.stderr)
            return 1
    if problem := synthetic_seal.folder_problem():  # before anything is written: the files are sealed after
        print(f"error: {problem}; nothing was written", file=sys.stderr)
        return 1
    seed = DEFAULT_SEED if args.seed is None else args.seed
    movers = DEFAULT_MOVERS_FROM_EDUCATION if args.movers_from_education is None else args.movers_from_education
    frame = generate_participants(args.n, seed, movers)
    write_participants(frame, resolve(args.out))
    print(f"wrote {args.n} synthetic participants to {args.out}")
    if args.export:
        from analysis.pilot.messy_export import write_export  # on use: openpyxl, as the generator above

        mapping = write_export(frame, resolve(args.export))
        print(f"wrote them as a case-manager export to {args.export}, with its mapping {mapping.name}")
    return 0


def _inspect_arguments(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("file", help="the export to profile (.xlsx or .csv)")
    ap.add_argument("--threshold", type=int, default=10,
                    help="counts below this are shown as <threshold, 1 to 1,000 (default: 10, the disclosure "
                         "threshold)")
    ap.add_argument("--draft", default=None,
                    help="where to write the draft mapping (default: <file stem>.mapping.draft.yml beside the file)")
    ap.add_argument("--force", action="store_true", help="overwrite an existing draft")
    ap.add_argument("--check", action="store_true",
                    help="instead: read FILE through its completed mapping (<stem>.mapping.yml) and report problems")
    ap.add_argument("--study", default=None,
                    help="the study (studies/<id>.yml or a path) whose vocabulary the draft uses (default: the "
                         "mapping's study with --check, else the default study)")
    ap.add_argument("--config", default=None,
                    help="with --check: the run configuration you will run the report with; its cut-off dates are "
                         "checked (default: notebooks/report.yml and studies/<study>.report.yml)")


def _inspect(args: argparse.Namespace) -> int:
    # the command's own modules, on use: they load pandas, which the report command never needs
    from analysis.export_inspection import command

    problem = threshold_problem(args.file, args.threshold)
    if args.study is not None:
        problem = problem or study_problem("study", args.study, paths.REPORTS)
        problem = problem and problem.replace("study=", "--study ", 1)
    if args.config is not None and not args.check:  # hostile round 20: ignored without a word
        problem = problem or (f"--config {args.config}: a run configuration is read only with --check (its cut-off "
                              "dates are checked against the export); add --check, or leave --config out to "
                              "profile the file and write its draft mapping")
    if not args.check:
        problem = problem or draft_target_problem(args.file, args.draft or _default_draft(args.file),
                                                  named=args.draft is not None)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    return command(args)


def _default_draft(file: str) -> str:
    return str(Path(file).with_name(Path(file).stem + ".mapping.draft.yml"))


def threshold_problem(file: str, threshold: int) -> str | None:
    """``--threshold`` below 10 only for a file the repository ships (synthetic): a real file's
    profile never shows a count of 1 to 9 persons."""
    low, high = RANGES["--threshold"][:2]
    if threshold < low or threshold > high:
        return f"--threshold {threshold}: the threshold must be between {low:,} and {high:,} (10 for real data)"
    if threshold < 10 and private_inputs({"file_path": str(Path(file).resolve())}):
        return (f"--threshold {threshold}: {Path(file).name} is not a file the repository ships, so it is real data "
                "and counts below 10 are never shown; leave --threshold out (10)")
    return None


def _tracked(target) -> bool:
    """Whether ``target`` is a file git tracks in this project (git missing or no repository: False)."""
    try:
        rel = target.resolve().relative_to(paths.PROJECT_ROOT.resolve())
    except ValueError:
        return False
    try:
        done = subprocess.run(["git", "ls-files", "--error-unmatch", "--", str(rel)], cwd=paths.PROJECT_ROOT,
                              capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


DRAFT_MARK = "# DRAFT mapping of "  # the first line of every draft inspect writes (export_inspection.draft_mapping)


def draft_target_problem(file: str, draft: str | None, named: bool = True) -> str | None:
    """Where the draft mapping may be written: never over the export itself or its completed
    mapping (``--force`` or not), a file git tracks, a file in a published folder, a link,
    something other than a regular file, or a file of the running system (an existing draft
    is replaced only with ``--force``: :func:`analysis.export_inspection.command`)."""
    if not draft:
        return None

    target, export = Path(draft), Path(file)
    option = f"--draft {draft}" if named else f"the draft {draft}"
    if target.resolve() == export.resolve() or (target.exists() and export.exists() and target.samefile(export)):
        return f"{option} is the export itself; the draft is written beside it (leave --draft out)"
    if target.resolve() == export.resolve().with_name(export.stem + ".mapping.yml"):
        return (f"{option} is the export's completed mapping, an input of the report run; the draft is written as "
                f"{export.stem}.mapping.draft.yml (leave --draft out) and compared by hand")
    if target.suffix.lower() not in (".yml", ".yaml"):
        return f"{option} must end in .yml (a mapping draft); it would overwrite a file of another kind"
    problem = unsafe_target(target, "--draft" if named else "the draft", private_allowed=True)
    if problem:
        return problem + ("; a draft mapping names the export's labels and may not be published: write it beside "
                          "the export" if "published folder" in problem else "")
    if not target.parent.is_dir():
        return f"{option}: the folder {target.parent} does not exist"
    if target.exists() and _tracked(target):
        return (f"{option} is a file of the repository (tracked by git); a draft is never written over it: name "
                "a new file beside the export")
    if target.exists() and not is_inspect_draft(target):
        return (f"{option} is an existing file that is not a mapping draft (its first line is not the "
                f"'{DRAFT_MARK}...' inspect writes); a draft is never written over another file, --force or not: "
                "name a new file")
    return None  # an existing draft is replaced only with --force (said by the command, after the profile)


def is_inspect_draft(target: Path) -> bool:
    """Whether the existing file ``target`` is a draft mapping ``inspect`` wrote (its first line):
    only such a file is replaced, with ``--force``, wherever it lies (hostile round 17: a
    ``--draft`` outside the project with ``--force`` wrote over a configuration file there)."""
    try:
        with open(target, "rb") as fh:
            return fh.read(len(DRAFT_MARK)) == DRAFT_MARK.encode()
    except OSError:
        return False


def replaced_file_problem(target: Path, option: str, owner: Path) -> str | None:
    """``synthetic`` writes over an existing file only when the project made ``owner`` (the file
    itself; for the mapping beside an export, that export): shipped, or written by the generator
    and unchanged (sealed: :mod:`analysis.synthetic_seal`). A file of the user's own, inside the
    project or outside it, is never replaced (hostile round 17: ``--out`` outside the project
    wrote over a CSV file there)."""
    if not target.exists() or (owner.is_file() and synthetic_seal.made_by_project(owner)):
        return None
    return (f"{option} {target} is an existing file the project's generator did not write (not shipped, not "
            "written by `synthetic` unchanged); synthetic never writes over another file: name a new file")


def unsafe_target(target, option: str, private_allowed: bool = False) -> str | None:
    """What no command may write over: a file of the running system, a link, something that
    is not a regular file, anything in a published folder, or (unless ``private_allowed``)
    in the private data folder."""
    target = Path(target)
    if system_folder(target) is not None:
        return f"{option} {target} is a file of the running system ({system_folder(target)})"
    if target.is_symlink():
        return f"{option} {target} is a symbolic link; name the file itself"

    problem = write_problem(target, "draft" if private_allowed else "synthetic")
    if problem is not None:
        return f"{option} {target} {problem}"
    for folder in published_folders(paths.REPORTS):
        if folder == target.resolve() or folder in target.resolve().parents:
            return f"{option} {target} is inside {folder.name}/, a published folder"
    private = (paths.PROJECT_ROOT / "data" / "raw" / "private").resolve()
    if not private_allowed and (private == target.resolve() or private in target.resolve().parents):
        return f"{option} {target} is inside data/raw/private/, where the real files are kept (read-only)"
    if target.exists() and not target.is_file():
        return f"{option} {target} exists and is not a regular file (a folder, pipe or device)"
    return None


def synthetic_targets(out: str, export: str, history_beside) -> list[tuple[Path, tuple[str, ...], str]]:
    """The files ``synthetic --out OUT --export EXPORT`` writes: each with its allowed suffixes and
    the option that names it (``history_beside``: where a CSV's status history goes)."""
    targets = [(resolve(out), (".csv", ".parquet"), "--out")]
    if str(resolve(out)).endswith(".csv"):
        targets.append((history_beside(resolve(out)), (".csv",), "--out (its status history beside it)"))
    if export:
        targets += [(resolve(export), (".xlsx",), "--export"),
                    (mapping_beside(resolve(export)), (".yml",), "--export (its mapping beside it)")]
    return targets


def raw_data_problem(target: Path, option: str, regenerated: set[tuple[str, Path]]) -> str | None:
    """The raw data are read-only: an existing file in data/raw/ is written over only as the file the
    default ``synthetic`` run regenerates in the same role (``regenerated``: option and path)."""
    raw = paths.DATA_RAW.resolve()
    if not (target.exists() and raw in target.resolve().parents) or (option, target.resolve()) in regenerated:
        return None
    return (f"{option} {target} is an existing file in data/raw/, where the raw data are kept (read-only); "
            f"only the synthetic participant file {DEFAULT_SYNTHETIC_OUT} and the files beside it are regenerated: "
            "name a new file")


def synthetic_target_problem(target, suffixes: tuple[str, ...], option: str) -> str | None:
    """Where ``synthetic`` may write: a file of the right kind, not unsafe (:func:`unsafe_target`);
    over a file of the repository (tracked by git) only when its name says it is synthetic."""
    if target.suffix.lower() not in suffixes:
        return f"{option} {target} must end in {' or '.join(suffixes)}"
    problem = unsafe_target(target, option)
    if problem:
        return problem
    if target.exists() and _tracked(target) and "synthetic" not in target.name:
        return (f"{option} {target} is a file of the repository (tracked by git) that is not synthetic; name a new "
                "file")
    return None


def _codebook(args: argparse.Namespace) -> int:
    # the command's own modules, on use: they load pandas, which the report command never needs
    from analysis.codebook import render

    print(render())
    return 0


def _dwsra_sources_arguments(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("text", help="plain text of the DWSRA interim evaluation (dwsra_interim_evaluation_2018.txt)")


def _dwsra_sources(args: argparse.Namespace) -> int:
    # the command's own modules, on use: they load pandas, which the report command never needs
    from analysis.dwsra import schema
    from analysis.dwsra.checks import source_line_problems
    from analysis.dwsra.source_text import report_lines

    try:
        lines = report_lines(args.text)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    data = schema.load_inputs(*(resolve(f"data/raw/{f}") for f in schema.RAW_FILES))
    problems = source_line_problems(data, lines)
    for p in problems:
        print(p)
    print(f"{len(problems)} mismatch(es) between the DWSRA raw files and {args.text}")
    return 1 if problems else 0


def _ledger_records():
    # the command's own module, on use: the report command never needs it
    from analysis import ledger_records

    return ledger_records


def _no_arguments(ap: argparse.ArgumentParser) -> None:
    pass


Command = tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]
COMMANDS: dict[str, Command] = {
    "report": ("execute the notebooks with papermill and publish HTML (make report)", _report_arguments, _report),
    "verify": ("rerun everything into a temporary folder and compare with reports/", _verify_arguments, _verify),
    "synthetic": ("write the synthetic participant file (seeded)", _synthetic_arguments, _synthetic),
    "inspect": ("profile an unknown export (counts below the threshold suppressed) and draft its mapping",
                _inspect_arguments, _inspect),
    "codebook": ("print the codebook of the raw files (Markdown)", _no_arguments, _codebook),
    "releases": ("list the releases the private ledger recorded; withdraw one that never left this machine",
                 lambda ap: _ledger_records().arguments(ap), lambda args: _ledger_records().command(args)),
    "dwsra-sources": ("check every DWSRA raw value that cites a line of the report against that line",
                      _dwsra_sources_arguments, _dwsra_sources),
}


def parser() -> argparse.ArgumentParser:
    ap = OneLineParser(prog="python -m analysis", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="command", metavar="COMMAND", required=True, parser_class=OneLineParser)
    for name, (help_text, arguments, handler) in COMMANDS.items():
        cmd = sub.add_parser(name, help=help_text, description=help_text)
        arguments(cmd)
        cmd.set_defaults(handler=handler)
    return ap


PATH_ARGUMENTS = {"file": "FILE", "draft": "--draft", "out": "--out", "export": "--export", "config": "--config",
                  "notebooks": "--notebooks", "reports": "--reports", "study": "--study"}


def path_argument_problem(args: argparse.Namespace) -> str | None:
    """A path on the command line with a line break, tab or other control character: no file
    needs one, and every message that names the path would print it as two lines (one of
    them looking like another message). Refused before anything is read or written."""
    for name, option in PATH_ARGUMENTS.items():
        value = getattr(args, name, None)
        if value is not None and (problem := undecodable_problem(value)):
            return f"{option} {written(str(value), 200)} {problem}"
        if value is not None and not str(value).isprintable():
            return (f"{option} {written(str(value), 200)} holds a character that does not show (a line break, a "
                    "tab or another control character); no path needs one: rename the file or folder")
        if value is not None and (problem := name_length_problem(value)):
            return f"{option} {written(str(value), 60)} {problem}"
    return None


def main(argv: list[str] | None = None) -> int:
    """Run one command; Ctrl-C anywhere ends it with one line and exit code 130 (no traceback).
    What it prints passes :func:`analysis.terminal_text.printable`: a file name, label or cell
    with a terminal escape code or control character is shown escaped, never obeyed."""
    with pipe_safe_stdout() as out, printable_output():  # `... | head`: the rest is dropped, no traceback
        code = _run(argv)
    if out.write_error is not None:  # a full disk under standard output: one line, not a traceback
        print(write_error_line(out.write_error), file=sys.stderr)
        return code or 1
    return code


def _run(argv: list[str] | None) -> int:
    distrust_environment()  # a command hashes its inputs itself (only kernels take the runner's digests)
    try:
        args = parser().parse_args(sys.argv[1:] if argv is None else argv)
        problem = path_argument_problem(args)
        if problem:
            print(f"error: {problem}", file=sys.stderr)
            return 1
        return args.handler(args)
    except KeyboardInterrupt:
        print("interrupted (Ctrl-C)", file=sys.stderr)
        return 130
    except ValueError as exc:  # the studies folder, checked where a command first needs a study (G7: two defaults)
        load = sys.modules.get("analysis.study.load")  # imported when it raised; importing it here costs 0.9 s
        if load is None or not isinstance(exc, load.StudyError):
            raise
        print(f"error: {exc}", file=sys.stderr)
        return 1
