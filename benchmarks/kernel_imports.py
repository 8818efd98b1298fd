"""CPU seconds of a pilot notebook's imports cell in a kernel forked by the zygote, in three
cases: the zygote's preloads before 2026-12-06 evening (the first 21 names of
:data:`analysis.pipeline.kernel_zygote.PRELOAD`) or all of them; the project's bytecode
compiled on import (``PYTHONDONTWRITEBYTECODE`` set and no cache, as every kernel ran before
the Makefile let Python cache it) or compiled beforehand. Each case runs in a fresh process on
a copy of ``src/`` beside links to the rest of the project (first on ``PYTHONPATH``), so the
working tree's ``__pycache__`` folders play no part; the libraries use their installed bytecode.

    .venv/bin/python benchmarks/kernel_imports.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

OLD_PRELOAD = 21  # the first 21 names of PRELOAD are the list before 2026-12-06 evening

PROBE = r"""
import importlib, os, sys, time
os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
from analysis.pipeline.kernel_zygote import PRELOAD
for name in PRELOAD[:int(sys.argv[1])]:
    importlib.import_module(name)
start = time.process_time()
from analysis.pilot import constraints
from analysis.presentation import language, pilot_figures, plots, titles
from analysis.presentation.labels import label
from analysis.presentation.styling import styled
from analysis.release import setup
from analysis.stats import disclosure
from analysis.study import active_study
print(time.process_time() - start)
"""


def one(preloads: int, compiled: bool) -> float:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    src = os.path.join(root, "src")
    with tempfile.TemporaryDirectory() as tmp:
        copy = shutil.copytree(src, os.path.join(tmp, "src"), ignore=shutil.ignore_patterns("__pycache__"))
        for name in os.listdir(root):  # the rest of the project as it is (studies, notebooks, ...)
            if name != "src":
                os.symlink(os.path.join(root, name), os.path.join(tmp, name))
        if compiled:
            subprocess.run([sys.executable, "-m", "compileall", "-q", copy], check=True)
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": copy, "VWNW_PROJECT_ROOT": tmp}
        done = subprocess.run([sys.executable, "-c", PROBE, str(preloads)], env=env, capture_output=True,
                              text=True, cwd=tmp)
        if done.returncode:
            raise SystemExit(done.stderr)
        out = done.stdout
        return float(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from analysis.pipeline.kernel_zygote import PRELOAD
    cases = [("old preloads, compiled on import", OLD_PRELOAD, False),
             ("new preloads, compiled on import", len(PRELOAD), False),
             ("new preloads, bytecode cached", len(PRELOAD), True)]
    for name, preloads, compiled in cases:
        times = [one(preloads, compiled) for _ in range(args.repeat)]
        print(f"{name:36s} median {statistics.median(times):.3f} s CPU  ({', '.join(f'{t:.3f}' for t in times)})")


if __name__ == "__main__":
    main()
