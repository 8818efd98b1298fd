from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
SYNTHETIC_CSV = ROOT / "data" / "raw" / "pilot_participants_synthetic.csv"


@pytest.fixture(scope="session")
def pilot30() -> pd.DataFrame:
    from analysis.pilot.inputs import load_participants

    return load_participants(SYNTHETIC_CSV)


@pytest.fixture()
def raw_pilot_text() -> str:
    return SYNTHETIC_CSV.read_text(encoding="utf-8")


# Files that take a worker for half a minute or more (measured with --durations), first: pytest-xdist
# hands out whole files (--dist loadfile) or tests (worksteal) in collection order, and a long file
# collected last keeps one core busy while the other idles. The order changes no result.
HEAVY_FIRST = (
    "test_runner_kill.py", "test_intruder_audit_random.py", "test_real_data_kinds.py",
    "test_browser.py", "test_runner_hostile.py", "test_readme_real_data.py", "test_runner.py",
    "test_survival_notebook.py", "test_benchmark_smoke.py", "test_intruder_audit_declared.py",
    "test_html_export.py", "test_new_pilot_guide.py", "test_mapping_notebooks.py", "test_hostile_corpus.py",
)


DEEP_LIST = Path(__file__).parent / "deep_tests.txt"


def deep_tests(text: str) -> set[str]:
    """The node ids and file paths of ``deep_tests.txt``'s text (comments after ``#`` dropped)."""
    return {line.split("#", 1)[0].strip() for line in text.splitlines()} - {""}


def pytest_collection_modifyitems(items):
    deep = deep_tests(DEEP_LIST.read_text(encoding="utf-8"))
    for item in items:
        node = item.nodeid if item.nodeid.startswith("tests/") else f"tests/{item.nodeid}"
        if node in deep or node.split("::", 1)[0] in deep:
            item.add_marker(pytest.mark.deep)
    rank = {name: i for i, name in enumerate(HEAVY_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: a file's tests keep their order
