"""Notebook 02's joint release counts its blocks on category codes (issue 29: at 1,000,000
participants the release frame of Python objects, built twice, and the group-bys over it
took most of the release's 5 s of CPU). The codes must be the same frame and the same
counts: the reference here is the frame as it was built before, value by value in Python
objects (kept as written then), and the blocks counted on it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.pilot import schema as ps, tables as pt
from analysis.pilot.synthetic import generate_participants


def reference_release_frame(df: pd.DataFrame, cutoffs=ps.CUTOFF_DATES) -> pd.DataFrame:
    """The release frame as :func:`analysis.pilot.tables._release_frame` built it before the
    codes (2026-12-06): every column converted to Python objects."""
    def known(values: pd.Series) -> pd.Series:
        return values.astype(object).where(values.notna(), ps.UNKNOWN)

    return pd.DataFrame({
        "opleiding": known(df["opleidingsniveau"]),
        "leeftijd": known(pd.cut(df["leeftijd"].astype(float), pt.AGE_BINS, labels=pt.AGE_LABELS, right=True)),
        "dienstjaren": known(pd.cut(df["dienstjaren"].astype(float), pt.TENURE_BINS, labels=pt.TENURE_LABELS,
                                    right=True)),
        "functietype": known(df["functietype"]),
        "triage": ("triage_" + df["triage"].astype("Int64").astype("string")).fillna("geen_triage").astype(object),
        "gestart": ~df[ps.STATUS_END].isin(ps.NOT_STARTED).to_numpy(),
        **{pt.status_var(c): ps.status_on(df, c).astype(object).to_numpy() for c in pt.joint_cutoffs(cutoffs)},
        "sector": df["sector_nieuw"].astype(object).where(df["sector_nieuw"].notna(), pt.SECTOR_NONE),
        "mover": (df[ps.STATUS_END] != df[ps.STATUS_FOLLOW_UP]).to_numpy(),
        **{s: df[s].astype(object).where(df[s].notna(), ps.UNKNOWN).to_numpy() for s in ps.SERVICES},
    }, index=df.index)


def _participants(seed: int, gaps: bool) -> pd.DataFrame:
    df = generate_participants(int(np.random.default_rng(seed).integers(40, 300)), seed=3000 + seed)
    if gaps:  # values never recorded where the codebook allows it: onbekend, an empty age or tenure
        rng = np.random.default_rng(seed)
        for column in ("opleidingsniveau", "functietype", "leeftijd", "dienstjaren", *ps.SERVICES[:3]):
            if pd.api.types.is_bool_dtype(df[column]) or pd.api.types.is_integer_dtype(df[column]):
                df[column] = df[column].astype("boolean" if pd.api.types.is_bool_dtype(df[column]) else "Int64")
            df.loc[rng.random(len(df)) < 0.2, column] = None
    return df.iloc[::-1].set_index(np.arange(len(df)) * 3)  # an index that is not 0..n-1


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("gaps", [False, True])
def test_release_frame_is_the_objects_frame(seed, gaps):
    df = _participants(seed, gaps)
    expected = reference_release_frame(df)
    pd.testing.assert_frame_equal(pt._release_frame(df), expected)
    codes = pt.release_codes(df)
    assert any(isinstance(t, pd.CategoricalDtype) for t in codes.dtypes)
    pd.testing.assert_frame_equal(codes.astype(object), expected.astype(object))


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("gaps", [False, True])
def test_blocks_counted_on_codes_are_counted_on_objects(seed, gaps):
    df = _participants(seed, gaps)
    on_codes = pt.pilot_release(df, 10, ps.CUTOFF_DATES)
    on_objects = pt.pilot_release(df, 10, ps.CUTOFF_DATES, frame=reference_release_frame(df))
    assert list(on_codes.blocks) == list(on_objects.blocks)
    for name, block in on_codes.blocks.items():
        pd.testing.assert_frame_equal(block.atoms, on_objects.blocks[name].atoms)
        np.testing.assert_array_equal(block.counts, on_objects.blocks[name].counts)
    assert pt.release_levels(pt.release_codes(df)) == pt.release_levels(reference_release_frame(df))


def test_per_distinct_codes_each_value_once_and_keeps_missing():
    values = pd.Series(["b", None, "a", "b", "a", None], index=[5, 4, 3, 2, 1, 0], dtype="str")
    seen = []

    def code(distinct: pd.Series) -> pd.Series:
        seen.append(len(distinct))
        return distinct.astype(object).where(distinct != "a", None).where(distinct.notna(), "x")

    out = pt.per_distinct(values, code)
    assert seen == [3]  # b, missing, a
    assert list(out.index) == [5, 4, 3, 2, 1, 0]
    assert out.astype(object).tolist()[:2] == ["b", "x"] and out.isna().tolist() == [False, False, True, False, True,
                                                                                       False]


@pytest.mark.parametrize("values", [
    pd.Series(["laag", "hoog", None], dtype="str"), pd.Series(["laag", "onbekend"], dtype="str"),
    pd.Series(["laag", "hoog"], dtype="str"), pd.Series([True, None, False], dtype="boolean"),
    pd.Series([True, False], dtype="boolean"), pd.Series([31.0, np.nan]), pd.Series([31, 40]),
    pd.Series(pd.Categorical(["a", "onbekend", "a"])), pd.Series(pd.Categorical(["a", None])),
    pd.Series(pd.Categorical(["a"], categories=["a", "onbekend"])),  # an unused category is no value
    pd.Series([True, "onbekend", False], dtype=object), pd.Series([], dtype="str")])
def test_counted_levels_reads_the_distinct_values_as_it_read_every_row(values):
    unknown = values.isna().any() or (values.astype(object) == ps.UNKNOWN).any()  # as it read them before
    assert ps.counted_levels(["x"], values) == (["x", ps.UNKNOWN] if unknown else ["x"])
