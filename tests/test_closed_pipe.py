"""``python -m analysis ... | head``: once the reader has gone, the output is dropped and the
command ends as it would have, without a BrokenPipeError traceback (H32h, issue 28)."""

import io
import subprocess
import sys

from analysis.closed_pipe import PipeSafeStream
from tests.conftest import ROOT


class _Closed(io.StringIO):
    def write(self, text):
        raise BrokenPipeError(32, "Broken pipe")


def test_a_stream_whose_reader_has_gone_drops_the_rest():
    stream = PipeSafeStream(_Closed())
    assert stream.write("first line\n") == len("first line\n") and stream.reader_gone
    stream.write("more\n")
    stream.flush()


def test_a_command_piped_into_a_reader_that_stops_ends_without_a_traceback():
    process = subprocess.Popen([sys.executable, "-m", "analysis", "report", "--dry-run"], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # the reader stops before the first line (head -0)
    err = process.stderr.read().decode()
    assert process.wait(timeout=300) == 0, err
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
