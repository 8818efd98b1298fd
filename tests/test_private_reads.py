"""A synthetic run's kernel opens nothing in the private folder (``analysis.private_reads``):
the check on paths, and the hook in a process of its own (a hook cannot be removed, so never
in the test process). The route through a notebook kernel: ``test_new_analysis_cell``."""

from __future__ import annotations

import subprocess
import sys

import pytest

from analysis.private_reads import check_open, reads


@pytest.fixture
def private(tmp_path, monkeypatch):
    folder = tmp_path / "private"
    folder.mkdir()
    (folder / "echt.csv").write_text("a\n1\n", encoding="utf-8")
    (tmp_path / "open.csv").write_text("a\n1\n", encoding="utf-8")
    monkeypatch.setenv("VWNW_PRIVATE_DIR", str(folder))
    return folder


def printed_by(code: str, tmp_path) -> list[str]:
    """The lines ``code`` prints, run as a script in a process of its own (a hook cannot be
    removed; a spawned worker imports the script as its main module)."""
    script = tmp_path / "tries.py"
    script.write_text(code, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.split("\n")


def each_try(refusal_says: str, otherwise: str) -> str:
    """The end of a script that runs each of its ``tries`` and prints, per try, ``refused
    True`` (a PermissionError saying ``refusal_says``), ``refused False`` or ``otherwise``."""
    return f"""
for attempt in tries:
    try:
        attempt()
    except PermissionError as e:
        print("refused", {refusal_says!r} in str(e))
    else:
        print({otherwise!r})
"""


def test_a_path_in_the_private_folder_is_refused_in_every_spelling(private, tmp_path):
    for spelling in (private / "echt.csv", str(private / "echt.csv"), bytes(private / "echt.csv"),
                     tmp_path / "x" / ".." / "private" / "echt.csv", private / "sub" / "new.xlsx"):
        with pytest.raises(PermissionError, match="synthetic data.*private folder"):
            check_open(spelling)


def test_a_path_elsewhere_a_file_descriptor_and_the_provenance_key_pass(private, tmp_path):
    check_open(tmp_path / "open.csv")
    check_open(3)
    check_open(private / ".provenance-key")  # no personal data: seals the results stored between kernels


def test_reading_modes_are_told_from_writing_ones():
    import os

    assert [reads(m, None) for m in ("r", "rb", "r+", "w+b", "w", "wb", "a", "xb")] == [True] * 4 + [False] * 4
    assert reads(None, os.O_RDONLY) and reads(None, os.O_RDWR | os.O_CREAT)
    assert not reads(None, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)


def test_the_hook_refuses_pandas_csv_and_os_open_in_its_process_and_only_after_it_is_set(private, tmp_path):
    code = f"""
import os, pandas as pd
from analysis import private_reads
path = {str(private / 'echt.csv')!r}
assert len(pd.read_csv(path)) == 1  # before: read
private_reads.refuse_in_this_process()
assert len(pd.read_csv({str(tmp_path / 'open.csv')!r})) == 1  # elsewhere: read
open(path.replace("echt", "bundle"), "w").write("written")  # writing is allowed (the checker's bundle)
import subprocess
folder = os.path.dirname(path)
tries = [lambda: pd.read_csv(path), lambda: open(path), lambda: os.open(path, os.O_RDONLY),
         lambda: os.listdir(folder), lambda: os.link(path, path + ".2"),
         lambda: subprocess.run(["cat", path], capture_output=True),
         lambda: subprocess.run("grep -c 1 " + path, shell=True, capture_output=True)]
""" + each_try("echt.csv", "read")
    printed = printed_by(code, tmp_path)
    assert printed[:5] == ["refused True"] * 3 + ["refused False"] + ["refused True"]
    assert printed[5:7] == ["refused False"] * 2  # programs: refused whatever they name


def test_no_program_starts_but_the_project_s_own_even_one_that_never_names_the_folder(private, tmp_path):
    """Intruder round 10 (G1/G2): ``!grep -rc ",hoog," ../data/raw/`` and ``!cat ../data/raw/*/...``
    name no private path, so a check of the command's words let them read the folder; their
    output went to the public site. No program starts in a synthetic kernel now, but for git's
    two commands the provenance and the folder's check run."""
    parent = str(private.parent)
    code = f"""
import os, subprocess
from analysis import private_reads
private_reads.refuse_in_this_process()
tries = [lambda: subprocess.run(["grep", "-rc", "1", {parent!r}], capture_output=True),
         lambda: subprocess.run("cat " + {parent!r} + "/p*/echt.csv", shell=True, capture_output=True),
         lambda: os.system("ls -R " + {parent!r}),
         lambda: os.execv("/bin/cat", ["cat", "/etc/hostname"]),
         lambda: subprocess.run(["/usr/bin/git", "grep", "--no-index", "1", {parent!r}], capture_output=True),
         lambda: subprocess.run(["git", "describe", "--always"], capture_output=True),
         lambda: subprocess.run(["git", "check-ignore", "-q", "--", "x/"], capture_output=True)]
""" + each_try("may not start a program", "ran")
    assert printed_by(code, tmp_path)[:7] == ["refused True"] * 5 + ["ran"] * 2


def test_worker_processes_a_shell_line_behind_git_and_a_rename_out_are_refused_too(private, tmp_path):
    """Intruder round 11 (G1): a spawn pool and joblib's workers are new interpreters without the
    hook, started by ``_posixsubprocess.fork_exec`` with no audit event; ``os.system("git describe;
    head ...")`` passed as git; ``os.rename`` moved a private file out to be read."""
    path = str(private / "echt.csv")
    code = f"""
import multiprocessing, os, pathlib
from analysis import private_reads
if __name__ == "__main__":
    private_reads.refuse_in_this_process()
    read = pathlib.Path({path!r}).read_text  # run in the worker
    tries = [lambda: multiprocessing.get_context("spawn").Pool(1).apply(read),
             lambda: __import__("joblib").Parallel(n_jobs=2, backend="loky")(
                 __import__("joblib").delayed(read)() for _ in range(2)),
             lambda: os.system("git describe --always; cat " + {path!r}),
             lambda: os.rename({path!r}, {str(tmp_path / 'out.csv')!r}),
             lambda: (open({str(private / 'b.tmp')!r}, "w").write("x"),  # a file written in place: allowed
                      os.rename({str(private / 'b.tmp')!r}, {str(private / 'bundle.json')!r}))]
    for attempt in tries:
        try:
            attempt()
        except PermissionError as e:
            print("refused")
        except Exception as e:  # a pool that could not start its worker
            print("refused" if "may not start a program" in repr(e) else "other " + repr(e)[:200])
        else:
            print("ran")
"""
    assert printed_by(code, tmp_path)[:5] == ["refused"] * 4 + ["ran"]
    assert (private / "echt.csv").is_file() and (private / "bundle.json").is_file()


def test_pyarrow_s_native_readers_are_refused_the_private_folder(private, tmp_path):
    """Intruder round 11: ``pd.read_parquet`` of a validated copy in the private folder, and
    ``pyarrow.dataset`` over a folder that holds it, are read by pyarrow in native code,
    past the audit hook. Their Python entry points refuse it now; a file elsewhere is read."""
    import pandas as pd

    pd.DataFrame({"a": [1, 2]}).to_parquet(private / "echt.parquet")
    pd.DataFrame({"a": [1, 2]}).to_parquet(tmp_path / "open.parquet")
    pd.DataFrame({"a": [1, 2]}).to_feather(private / "echt.feather")
    code = f"""
import pandas as pd, pyarrow as pa, pyarrow.parquet as pq, pyarrow.dataset as ds, pyarrow.feather as pf
import pyarrow.csv as pc
from analysis import private_reads
real, folder, holder = {str(private / 'echt.parquet')!r}, {str(private)!r}, {str(private.parent)!r}
assert len(pq.read_table(real)) == 2  # before the guard: read
private_reads.refuse_in_this_process()
print("elsewhere", len(pd.read_parquet({str(tmp_path / 'open.parquet')!r})))
tries = [lambda: pd.read_parquet(real, engine="pyarrow"), lambda: pq.read_table(real), lambda: pq.ParquetFile(real),
         lambda: ds.dataset(folder), lambda: ds.dataset(holder, format="parquet"), lambda: pq.read_table(holder),
         lambda: pd.read_feather(real.replace("parquet", "feather")), lambda: pa.memory_map(real),
         lambda: pc.read_csv(folder + "/echt.csv"), lambda: pd.read_csv(folder + "/echt.csv", engine="pyarrow")]
""" + each_try("private folder", "read")
    printed = printed_by(code, tmp_path)
    assert printed[0] == "elsewhere 2"
    assert printed[1:11] == ["refused True"] * 10
