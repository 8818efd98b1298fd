"""Per-stage timings of a report run on its real path, without changing the code it runs.

``benchmarks/run.py`` runs the report runner (``python -m analysis report``) in-process and
its notebook kernels as usual. Before anything runs, :func:`install` replaces the project's
functions of each stage by timed wrappers that call the original unchanged: in the runner
process directly, in every kernel through an IPython startup file (:func:`kernel_startup`,
found through ``IPYTHONDIR``), which runs before the notebook's first cell. A module is
wrapped when it is first imported (an import hook), so the notebook's own imports (``from
analysis.pilot.inputs import load_participants``) receive the wrappers and a kernel imports
nothing its notebook does not. Each call appends one JSON line (process, stage, function, wall and CPU seconds of
the calling thread, the process's peak resident memory so far) to a file per process in
``$VWNW_BENCH_TIMINGS``; :func:`read` collects them.

Times are *exclusive*: a timed function called inside another timed function (say
``joint_figure_tables`` inside ``protected_figure_tables``, or the integer programmes inside
either) is counted in its own stage and taken out of the caller's. Written by hand because
a profiler (cProfile, py-spy) reports functions, not the report's stages, and slows the
kernels; this costs a few microseconds per call of a handful of functions.
"""

from __future__ import annotations

import functools
import importlib
import importlib.abc
import importlib.util
import inspect
import json
import os
import resource
import sys
import threading
import time
from pathlib import Path

ENV = "VWNW_BENCH_TIMINGS"
STAGES = ("hash inputs", "validate", "prepare", "release/gate", "gate: integer programmes", "tables", "figures",
          "models", "survival", "pages", "publish", "other")

# Calls whose arguments say which notebook run they belong to (the runner passes each run its
# own staging folder as ``output_dir``), and the size of each integer programme.
LABELS = {
    "ReportOutputs.create": lambda a: {"run": Path(str(a["output_dir"])).name},
    "export_html": lambda a: {"run": a["name"]},
    "publish_all": lambda a: {"runs": len(a["finished"])},
    "milp": lambda a: {"variables": len(a["c"])},
}

# (module, attribute or Class.method, stage). Kernels: notebooks 02, 03 and 04; runner: the rest.
TARGETS = (
    ("analysis.data.processed", "cache_key", "hash inputs"),
    ("analysis.pipeline.provenance", "Provenance.collect", "hash inputs"),
    ("analysis.pipeline.runner", "fingerprint", "hash inputs"),
    ("analysis.data.loading", "read_raw", "validate"),
    ("analysis.data.loading", "validate_frame", "validate"),
    ("analysis.pilot.history", "load_history", "validate"),
    ("analysis.data.processed", "read_if_current", "prepare"),
    ("analysis.data.processed", "write", "prepare"),
    ("analysis.pilot.history", "with_cutoffs", "prepare"),
    ("analysis.pilot.outcomes", "analysis_frame", "prepare"),
    ("analysis.pilot.tables", "protected_figure_tables", "release/gate"),
    ("analysis.pilot.tables", "joint_figure_tables", "release/gate"),
    ("analysis.pilot.tables", "model_release", "release/gate"),
    ("analysis.stats.output_gate", "Release.check", "release/gate"),
    ("analysis.stats.output_gate", "gate_rates", "release/gate"),
    ("analysis.stats.output_gate", "gate_terms", "release/gate"),
    ("analysis.stats.output_gate", "gate_tests", "release/gate"),
    ("analysis.stats.output_gate", "milp", "gate: integer programmes"),
    ("analysis.pipeline.export", "ReportOutputs.create", "other"),
    ("analysis.pipeline.export", "ReportOutputs.table", "tables"),
    ("analysis.presentation.styling", "show", "tables"),
    ("analysis.presentation.styling", "styled", "tables"),
    ("analysis.pilot.constraints", "check_all", "tables"),
    ("analysis.presentation.plots", "bar_counts", "figures"),
    ("analysis.presentation.plots", "grouped_counts", "figures"),
    ("analysis.presentation.plots", "finish", "figures"),
    ("analysis.presentation.model_figures", "forest_plot", "figures"),
    ("analysis.presentation.model_figures", "power_plot", "figures"),
    ("analysis.pipeline.export", "ReportOutputs.figure", "figures"),
    *(("analysis.stats.models", f, "models") for f in (
        "rates_by_group", "separation", "firth_logit", "ml_logit", "linear_probability", "fitted_means",
        "average_marginal_effects", "exact_tests", "multinomial_view", "model_rows")),
    *(("analysis.stats.power", f, "models") for f in (
        "power_table", "mde_table", "balanced_designs", "observed_designs")),
    ("analysis.pilot.outcomes", "published_rates", "models"),
    ("analysis.pilot.time_to_work", "durations", "survival"),
    ("analysis.release.survival", "release", "release/gate"),
    ("analysis.release.survival", "published_tables", "survival"),
    ("analysis.pipeline.html_export", "export_html", "pages"),
    ("analysis.pipeline.runner", "publish_all", "publish"),
)

_local = threading.local()
_lock = threading.Lock()


def peak_rss_mib() -> float:
    """This process's peak resident memory: ``VmHWM`` of its own image (Linux). Not
    ``ru_maxrss``, which a kernel inherits from the process it was forked from."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _log_line(record: dict) -> None:
    folder = os.environ.get(ENV)
    if not folder:
        return
    record["peak_rss_mib"] = peak_rss_mib()
    with _lock, open(Path(folder) / f"{os.getpid()}.jsonl", "a", encoding="utf-8") as fh:
        fh.write(json.dumps(record) + "\n")


def _labels(fn, name: str, args, kwargs) -> dict:
    label = LABELS.get(name)
    if label is None:
        return {}
    try:
        return label(inspect.signature(fn).bind(*args, **kwargs).arguments)
    except (TypeError, KeyError, ValueError):
        return {}


def timed(fn, stage: str, name: str):
    """``fn`` that logs its exclusive wall and thread CPU time under ``stage``."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        stack = _local.__dict__.setdefault("stack", [])
        frame = [0.0, 0.0]  # wall and CPU of timed calls inside this one
        stack.append(frame)
        wall0, cpu0 = time.perf_counter(), time.thread_time()
        try:
            return fn(*args, **kwargs)
        finally:
            wall, cpu = time.perf_counter() - wall0, time.thread_time() - cpu0
            stack.pop()
            if stack:
                stack[-1][0] += wall
                stack[-1][1] += cpu
            _log_line({"pid": os.getpid(), "stage": stage, "function": name,
                       "wall": wall - frame[0], "cpu": cpu - frame[1], **_labels(fn, name, args, kwargs)})
    wrapper.__bench_timed__ = True
    return wrapper


def _patch(module, attrs) -> None:
    for attr, stage in attrs:
        owner, _, name = attr.rpartition(".")
        holder = getattr(module, owner, None) if owner else module
        fn = getattr(holder, name, None)
        if fn is None or getattr(fn, "__bench_timed__", False):
            continue
        if owner and isinstance(holder.__dict__.get(name), classmethod):
            setattr(holder, name, classmethod(timed(fn.__func__, stage, attr)))
        else:
            setattr(holder, name, timed(fn, stage, attr))


class _PatchOnImport(importlib.abc.MetaPathFinder):
    """Wraps a target module's functions right after the module is first imported, so that
    a kernel imports only what its notebook imports (its start is not inflated)."""

    def __init__(self, by_module: dict[str, list]):
        self.by_module = by_module

    def find_spec(self, name, path, target=None):
        if name not in self.by_module:
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(name)
        finally:
            sys.meta_path.insert(0, self)
        if spec is None or spec.loader is None:
            return spec
        run, attrs = spec.loader.exec_module, self.by_module[name]

        def exec_module(module):
            run(module)
            _patch(module, attrs)
        spec.loader.exec_module = exec_module
        return spec


def install(targets=TARGETS) -> None:
    """Wrap every target: at once in modules already imported, else when first imported
    (a missing target is skipped, so the benchmark keeps running while the code moves, and
    :func:`missing` says which)."""
    by_module: dict[str, list] = {}
    for module_name, attr, stage in targets:
        by_module.setdefault(module_name, []).append((attr, stage))
    for module_name in [m for m in by_module if m in sys.modules]:
        _patch(sys.modules[module_name], by_module.pop(module_name))
    if by_module:
        sys.meta_path.insert(0, _PatchOnImport(by_module))


def missing(targets=TARGETS) -> list[str]:
    """Targets that no longer exist (renamed or moved): their stage is under-counted."""
    out = []
    for module_name, attr, _ in targets:
        try:
            holder = importlib.import_module(module_name)
        except ImportError:
            out.append(f"{module_name}.{attr}")
            continue
        for part in attr.split("."):
            holder = getattr(holder, part, None)
        if holder is None:
            out.append(f"{module_name}.{attr}")
    return out


def kernel_startup(ipython_dir: Path) -> None:
    """An IPython profile in ``ipython_dir`` whose startup file installs the wrappers in every
    kernel started with ``IPYTHONDIR=ipython_dir``."""
    startup = ipython_dir / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    here = Path(__file__).resolve().parent
    (startup / "00-vwnw-bench.py").write_text(
        f"import sys\nsys.path.insert(0, {str(here)!r})\nimport stage_timing\nstage_timing.install()\n"
        "sys.path.remove(" + repr(str(here)) + ")\n", encoding="utf-8")


def read(folder: Path) -> list[dict]:
    """Every logged call, from every process."""
    rows = []
    for path in sorted(Path(folder).glob("*.jsonl")):
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return rows
