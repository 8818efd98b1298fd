"""Scale changes of issue 29 checked against what they replaced: ``same_ids`` on whole columns
(:func:`analysis.data.loading.same_ids`) against the row-by-row loop (kept here as the
reference) on ids that differ by case, spaces, leading zeros, non-ASCII letters and empty
cells; the cross-column rules run alone after the column rules, with the problems of the
two full-schema passes they replaced; the release's numbers shared, not copied, by pandas."""

from __future__ import annotations

import random
from types import SimpleNamespace

import pandas as pd
import pytest

from analysis.data.errors import Problem, written
from analysis.data.id_likeness import difference, reader_key
from analysis.data.loading import ID_ADVICE, ID_LIKENESS, id_keys, same_ids


def reference_same_ids(typed, spec, raw, rows="line"):
    """The loop of the version before 2026-12-06 (5 s of CPU at 1,000,000 ids), with the
    message's wording of the same day (what the two ids differ by: hostile round 6); its key
    is :func:`reader_key`, value by value (separators and look-alikes since hostile round 14)."""
    problems = []
    for col in spec.columns:
        if not (col.unique and col.kind == "str"):
            continue
        values = typed[col.name]
        key = values.map(reader_key, na_action="ignore")
        first: dict[str, int] = {}
        for i, (k, v) in enumerate(zip(key, values)):
            if pd.isna(k):
                continue
            if k in first and values.iloc[first[k]] != v:
                problems.append(Problem(f"'{col.name}' must be unique also when {ID_LIKENESS} are ignored: it is "
                                        f"{written(values.iloc[first[k]])} in {Problem('', row=first[k]).where(rows)}, "
                                        f"which it differs from only by {difference(v, values.iloc[first[k]])}; "
                                        + ID_ADVICE, col.name, i, raw[col.name].iloc[i]))
            first.setdefault(k, i)
    return problems


def spec_of(*names):
    return SimpleNamespace(columns=[SimpleNamespace(name=n, unique=True, kind="str") for n in names]
                           + [SimpleNamespace(name="other", unique=False, kind="str")])


def random_ids(rng, n, alphabet):
    return [None if rng.random() < 0.05 else "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6)))
            for _ in range(n)]


@pytest.mark.parametrize("alphabet", ["0a0A1 0b", "0K0k7 \t0", "0Kk7 ß0É", "00x", "0Oo1lI-_", "0O1lß-"])
def test_same_problems_in_the_same_order_as_the_loop(alphabet):
    rng = random.Random(alphabet)
    ids = pd.Series(random_ids(rng, 3000, alphabet), dtype="str")
    other = pd.Series(random_ids(rng, 3000, alphabet), dtype="str")
    typed = {"deelnemer_id": ids, "other": other}
    raw = pd.DataFrame(typed)
    spec = spec_of("deelnemer_id")
    expected = reference_same_ids(typed, spec, raw)
    assert expected, "the sample must hold ids that collide"
    assert same_ids(typed, spec, raw) == expected


def test_keys_are_the_id_key_of_each_value():
    given = ["K 0007", "k7", "A0b00c0", "007", "0", "x00", None, "Straße 01", "SYN-O0l", "SYN_I01", "o0L"]
    for values in (given, [*given, "é"]):  # all ASCII (the Arrow steps) and not (value by value)
        keys = id_keys(pd.Series(values, dtype="str"))
        assert keys.to_pylist() == [None if v is None else reader_key(v) for v in values]


def test_no_problem_for_distinct_ids_and_exact_repeats():
    values = pd.Series(["SYN0000001", "SYN0000002", "SYN0000001", None, "SYN10"], dtype="str")
    typed = {"deelnemer_id": values, "other": values}
    assert same_ids(typed, spec_of("deelnemer_id"), pd.DataFrame(typed)) == []


def test_release_numbers_are_shared_not_copied_by_pandas():
    """pandas deep-copies ``attrs`` on every derived frame; the release's numbers are
    immutable and shared (analysis.stats.released.Numbers), with their values intact."""
    import copy

    from analysis.stats import released

    df = released.mark(pd.DataFrame({"n": [10, 20, 3000]}))
    numbers = df.attrs[released.NUMBERS]
    assert {10.0, 20.0, 3000.0} <= numbers
    assert copy.deepcopy(numbers) is numbers
    derived = df.head(2)
    assert derived.attrs[released.NUMBERS] is numbers
    assert isinstance(released.marked_numbers(derived) | {7.0}, released.Numbers)


def reference_validate(df, spec):
    """The two pandera passes before 2026-12-06: the column rules, then the column rules again
    with the cross-column rules (the problems of the first pass that fails); since H38n the
    empty cells that mean onbekend are filled before the second, and a cross-column problem
    quotes its row's cells (newpilot2, F14 and F8b)."""
    import pandera.errors as pae

    from analysis.data.loading import as_written, fill_unrecorded, with_cells
    from analysis.data.pandera_bridge import pandera_schema, problems_from_pandera
    from analysis.data.parsing import parse_column

    out = pd.DataFrame({c.name: parse_column(df[c.name], c, None)[0] for c in spec.columns})
    for with_rows in (False, True):
        out = fill_unrecorded(out, spec) if with_rows else out
        try:
            pandera_schema(spec, row_rules=with_rows).validate(out, lazy=True)
        except pae.SchemaErrors as err:
            return [with_cells(as_written(p, df), df) for p in problems_from_pandera(err, spec)]
    return []


@pytest.mark.parametrize("broken", [
    {"startdatum": "2019-01-01"},  # before inflow: a cross-column rule
    {"casemanager_org": ""},  # a started participant without a case manager
    {"leeftijd": "7"},  # a column rule
])
def test_cross_column_rules_give_the_problems_of_the_full_schema(broken):
    from analysis.data.errors import InputError
    from analysis.data.loading import validate_frame
    from analysis.data.readers import read_raw
    from analysis.paths import resolve
    from analysis.pilot import schema as ps

    raw = read_raw(resolve("data/raw/pilot_participants_synthetic.csv")).frame.copy()
    started = raw.index[raw["startdatum"].fillna("").ne("")][:3]
    for column, value in broken.items():
        raw.loc[started, column] = value
    expected = reference_validate(raw, ps.PARTICIPANTS)
    assert expected
    with pytest.raises(InputError) as err:
        validate_frame(raw, ps.PARTICIPANTS)
    assert err.value.problems == expected


@pytest.mark.parametrize("shape", ["sorted", "shuffled", "with NaT", "one row", "empty", "unsorted dates"])
def test_latest_first_record_is_the_group_by(shape):
    from analysis.pilot.history import latest_first_record

    rng = random.Random(shape)
    rows = [(f"P{rng.randint(1, 40):03d}", pd.Timestamp("2020-09-01") + pd.Timedelta(days=rng.randint(0, 200)))
            for _ in range(300)]
    history = pd.DataFrame(rows, columns=["deelnemer_id", "datum"]).astype({"deelnemer_id": "str"})
    history = history.sort_values(["deelnemer_id", "datum"], kind="stable").reset_index(drop=True)
    if shape == "shuffled":
        history = history.sample(frac=1, random_state=1).reset_index(drop=True)
    elif shape == "with NaT":
        history.loc[[0, 5], "datum"] = pd.NaT
    elif shape == "one row":
        history = history.iloc[:1]
    elif shape == "empty":
        history = history.iloc[:0]
    elif shape == "unsorted dates":
        history.loc[1, "datum"], history.loc[0, "datum"] = history.loc[0, "datum"], history.loc[1, "datum"]
    expected = history.groupby("deelnemer_id")["datum"].min().max()
    got = latest_first_record(history)
    assert (pd.isna(got) and pd.isna(expected)) or got == expected


def test_fact_codes_kept_per_arrow_column_and_never_stale():
    """A study's facts factorise an Arrow column once (analysis.study.fact_checks._codes); a
    column changed in place is a new Arrow column, so its codes are made again."""
    from analysis.study.fact_checks import _codes, per_distinct

    values = pd.Series(["a", "b", None, "c"] * 5000, dtype="str")
    first = _codes(values)
    assert _codes(values) is first
    assert (first == pd.factorize(values, use_na_sentinel=True)[0]).all()
    values.iloc[1] = "a"
    assert (_codes(values) == pd.factorize(values, use_na_sentinel=True)[0]).all()
    held = per_distinct(values, lambda v: v.eq("a").fillna(False))
    assert held.tolist() == values.eq("a").fillna(False).tolist()


def test_durations_reuse_person_codes_only_for_the_same_columns():
    """Notebook 04's four durations share one set of person codes
    (analysis.pilot.time_to_work._person_codes); another history gets its own."""
    from analysis.pilot import time_to_work
    from analysis.pilot.history import person_codes

    participants = pd.Series([f"P{i}" for i in range(5)], dtype="str")
    index = pd.Index(participants)
    history = pd.Series(["P3", "P1", "P9", "P0"], dtype="str")
    first = time_to_work._person_codes(history, participants, index)
    assert first.tolist() == [3, 1, -1, 0]
    assert time_to_work._person_codes(history, participants, index) is first
    other = pd.Series(["P4", "P4"], dtype="str")
    assert time_to_work._person_codes(other, participants, index).tolist() == person_codes(other, index).tolist()


def test_kernels_take_the_runners_digests_only_for_the_same_file(tmp_path):
    """The runner hands its input digests to its kernels (analysis.data.digests.ENV); a kernel
    uses one only while the file is the one hashed (same identity), else hashes it again."""
    import hashlib
    import json
    import os
    import subprocess
    import sys

    from analysis.data import digests

    data = tmp_path / "input.csv"
    data.write_bytes(b"a,b\n1,2\n")
    with digests.shared_with_kernels([data, tmp_path / "missing.csv"]):
        handed = os.environ[digests.ENV]
    assert digests.ENV not in os.environ or os.environ[digests.ENV] != handed
    [[ident, digest]] = json.loads(handed)
    assert digest == hashlib.sha256(b"a,b\n1,2\n").hexdigest()
    probe = ("from analysis.data import digests; import sys; "
             "print(digests._known.get(digests.identity(sys.argv[1])) or '-', digests.sha256_of(sys.argv[1]))")
    forged = json.dumps([[ident, "0" * 64]])  # what the kernel would believe while the file is unchanged
    out = subprocess.run([sys.executable, "-c", probe, str(data)], env={**os.environ, digests.ENV: forged},
                         capture_output=True, text=True, check=True).stdout.split()
    assert out == ["0" * 64, "0" * 64]
    data.write_bytes(b"a,b\n1,3\n")  # another file now: its identity differs, so it is hashed again
    out = subprocess.run([sys.executable, "-c", probe, str(data)], env={**os.environ, digests.ENV: forged},
                         capture_output=True, text=True, check=True).stdout.split()
    assert out == ["-", hashlib.sha256(b"a,b\n1,3\n").hexdigest()]


def test_a_guarded_kernel_reads_its_own_stored_release_and_nothing_else(tmp_path):
    """A synthetic run's kernel reads nothing in the private folder (analysis.private_reads),
    except the joint release its own run stored there (permit: one exact file); before,
    it could write that file but not read it, and each kernel made the release again."""
    import os
    import subprocess
    import sys

    private = tmp_path / "private"
    (private / "processed").mkdir(parents=True)
    (private / "processed" / "x.0123456789abcdef.joint-release.pickle").write_bytes(b"stored")
    (private / "processed" / "other.parquet.json").write_text("{}")
    probe = """
import sys
from pathlib import Path
from analysis import private_reads
folder = Path(sys.argv[1]) / "processed"
private_reads.refuse_in_this_process()
private_reads.permit(folder / "x.0123456789abcdef.joint-release.pickle")
print(open(folder / "x.0123456789abcdef.joint-release.pickle", "rb").read().decode())
try:
    open(folder / "other.parquet.json").read()
    print("read other")
except PermissionError:
    print("refused other")
"""
    out = subprocess.run([sys.executable, "-c", probe, str(private)], capture_output=True, text=True, check=True,
                         env={**os.environ, "VWNW_PRIVATE_DIR": str(private)}).stdout.split()
    assert out == ["stored", "refused", "other"]
