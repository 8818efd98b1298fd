"""What the command line prints is safe for a terminal (:mod:`analysis.terminal_text`), and
the one definition of the running system's folders (:mod:`analysis.system_paths`) with its
two exceptions, the project and the temporary folder. Each caller of the definition has its
corpus case in ``tests/corpus/hostile/expected.yml`` (section "the running system's folders")."""

import io
import sys
import tempfile
from pathlib import Path

import pytest

from analysis import paths, system_paths
from analysis.terminal_text import PrintableStream, printable, printable_output, visible

ESC = "\x1b"


@pytest.mark.parametrize(("text", "shown"), [
    (f"{ESC}[2Jkok", "\\x1b[2Jkok"),  # clear screen
    (f"{ESC}]8;;http://x{ESC}\\link", "\\x1b]8;;http://x\\x1b\\\\link"),  # a terminal hyperlink (its \\ doubled)
    ("a\rb", "a\\rb"),  # a carriage return would overwrite the line
    ("SYN\u202e0001", "SYN\\u202e0001"),  # right-to-left override
    ("ABC0001\u200b", "ABC0001\\u200b"),  # zero-width space
    ("kok\u00a0", "kok\\xa0"),  # no-break space
    ("\u0085x", "\\x85x"),  # a C1 control (next line)
    ("Geïnterviewd, café", "Geïnterviewd, café"),  # letters stay letters
])
def test_visible_writes_what_does_not_show_as_its_escape(text, shown):
    assert visible(text) == shown


def test_printable_keeps_line_breaks_and_tabs_and_escapes_the_rest():
    assert printable(f"file{ESC}[31m.csv: 1 problem\n  row\t2\r") == "file\\x1b[31m.csv: 1 problem\n  row\t2\\r"


def test_the_command_lines_streams_print_only_printable_text():
    out = io.StringIO()
    stream = PrintableStream(out)
    assert stream.write(f"{ESC}[2J\n") == 5  # the length given, as a text stream says
    assert out.getvalue() == "\\x1b[2J\n"
    saved = sys.stdout
    with printable_output():
        assert isinstance(sys.stdout, PrintableStream)
    assert sys.stdout is saved


def test_a_missing_file_named_with_escape_codes_is_printed_escaped(capsys):
    from analysis.cli import main

    assert main(["inspect", f"/nonexistent/x{ESC}[2J{ESC}]0;title\x07.csv"]) == 1
    printed = capsys.readouterr()
    text = printed.out + printed.err
    assert ESC not in text and "\x07" not in text and "x\\x1b[2J\\x1b]0;title\\x07" in text


@pytest.mark.parametrize(("path", "folder"), [
    ("/etc/passwd", "etc/"), ("/proc/self/environ", "proc/"), ("/dev/null", "dev/"), ("/sys", "sys/"),
    ("/run/user/1000/x.csv", "run/"), ("/usr/share/x.csv", "usr/"), ("/var/lib/x.csv", "var/"),
    ("/boot/x", "boot/"), ("/", "/"), ("/root/.ssh/id_ed25519", "root/.ssh/"),
    (str(Path.home() / ".ssh" / "config"), f"{Path.home().as_posix().lstrip('/')}/.ssh/"),
])
def test_system_folders_are_named(path, folder):
    assert system_paths.system_folder(path) == folder


def test_the_project_the_temporary_folder_and_the_home_are_not_the_systems(tmp_path):
    assert system_paths.system_folder(paths.PROJECT_ROOT / "data" / "raw" / "x.csv") is None
    assert system_paths.system_folder(Path(tempfile.gettempdir()) / "x.csv") is None
    assert system_paths.system_folder(tmp_path / "export.xlsx") is None
    assert system_paths.system_folder(Path.home() / "exports" / "x.csv") is None
    assert system_paths.system_folder("/etcetera/x.csv") is None  # a folder that only starts like one


def test_a_project_under_opt_is_the_projects_but_a_link_from_it_into_etc_is_not(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "PROJECT_ROOT", Path("/opt/vwnw-evaluation"))
    assert system_paths.system_folder("/opt/vwnw-evaluation/data/raw/x.csv") is None
    assert system_paths.system_folder("/opt/other/x.csv") == "opt/"
    link = tmp_path / "deelnemers.csv"
    link.symlink_to("/etc/hostname")
    assert system_paths.system_folder(link) == "etc/"  # the path a link leads to counts too
