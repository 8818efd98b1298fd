"""The message refusing two ids a reader takes for one person names what they differ by
(H32h, issue 28: it named case, spaces and leading zeros whatever the ids were)."""

import pytest

from analysis.data.id_likeness import difference


@pytest.mark.parametrize("a, b, want", [
    ("syn0001", "SYN0001", "case"), ("SYN01", "SYN0001", "leading zeros"), ("SYN 0001", "SYN0001", "spaces"),
    ("k 07", "K7", "spaces, case and leading zeros"), ("0007", 7, "leading zeros"),
    ("Syn0001", "sYN1", "case and leading zeros"),
])
def test_the_difference_of_two_like_ids_is_named(a, b, want):
    assert difference(a, b) == want
