"""Hostile round 18, left then: a participant Parquet file with a list column (services as a list per
person) was reported as "damaged or truncated". It is refused naming the column and the rule."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analysis.data.errors import InputError
from analysis.data.readers import read_parquet


@pytest.mark.parametrize("values", [[["coaching", "cv"], []], [{"a": 1}, {"a": 2}], [[("k", 1)], [("k", 2)]]],
                         ids=["list", "struct", "map"])
def test_a_column_of_several_values_per_cell_is_named(tmp_path, values):
    path = tmp_path / "deelnemers.parquet"
    typ = pa.map_(pa.string(), pa.int64()) if isinstance(values[0], list) and values[0] and \
        isinstance(values[0][0], tuple) else None
    table = pa.table({"deelnemer_id": ["P-1", "P-2"], "diensten": pa.array(values, type=typ)})
    pq.write_table(table, path)
    with pytest.raises(InputError) as err:
        read_parquet(path)
    text = str(err.value)
    assert "diensten" in text and "one value" in text and "damaged" not in text


def test_a_plain_file_reads(tmp_path):
    path = tmp_path / "deelnemers.parquet"
    pq.write_table(pa.table({"deelnemer_id": ["P-1"], "leeftijd": [40]}), path)
    assert read_parquet(path).shape == (1, 2)
