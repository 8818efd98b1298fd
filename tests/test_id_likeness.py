"""The message refusing two ids a reader takes for one person names what they differ by
(H32h, issue 28: it named case, spaces and leading zeros whatever the ids were)."""

import pytest

from analysis.data.id_likeness import difference


@pytest.mark.parametrize("a, b, want", [
    ("k0007", "K0007", "case"), ("K07", "K0007", "leading zeros"), ("K 0007", "K0007", "spaces"),
    ("k 07", "K7", "spaces, case and leading zeros"), ("0007", 7, "leading zeros"),
    ("Kx0007", "kX7", "case and leading zeros"),
])
def test_the_difference_of_two_like_ids_is_named(a, b, want):
    assert difference(a, b) == want
