"""The message refusing two ids a reader takes for one person names what they differ by
(H32h, issue 28: it named case, spaces and leading zeros whatever the ids were); ids that
differ only by a look-alike letter or a separator are one id to the reader (H38n, hostile
round 14's H17: a row copied under ``KLTO001`` was counted as a second person)."""

import pytest

from analysis.data.id_likeness import difference, id_key, reader_key


@pytest.mark.parametrize("a, b, want", [
    ("k0007", "K0007", "case"), ("K07", "K0007", "leading zeros"), ("K 0007", "K0007", "spaces"),
    ("k 07", "K7", "spaces, case and leading zeros"), ("0007", 7, "leading zeros"),
    ("Kx0007", "kX7", "case and leading zeros"),
    ("KLTO001", "KLT0001", "look-alike characters (O for 0, l or I for 1)"),
    ("KLT000l", "KLT0001", "look-alike characters (O for 0, l or I for 1)"),
    ("KLT000I", "KLT0001", "look-alike characters (O for 0, l or I for 1)"),
    ("KLT-0001", "KLT0001", "'-' or '_'"), ("KLT_0001", "KLT0001", "'-' or '_'"),
    ("klt-O1", "KLT0001", "'-' or '_', case, look-alike characters (O for 0, l or I for 1) and leading zeros"),
])
def test_the_difference_of_two_like_ids_is_named(a, b, want):
    assert difference(a, b) == want


@pytest.mark.parametrize("a, b", [("KLTO001", "KLT0001"), ("KLT000l", "KLT0001"), ("KLT000I", "KLT0001"),
                                  ("KLT-0001", "KLT0001"), ("KLT_0001", "KLT0001"), ("k-l-t_o0o1", "KLT1"),
                                  ("k0007", "K7")])
def test_look_alikes_and_separators_are_one_id_to_the_reader(a, b):
    assert reader_key(a) == reader_key(b)


@pytest.mark.parametrize("a, b", [("KLT0001", "KLT0002"), ("KLT0010", "KLT0001"), ("KLTA001", "KLT0001"),
                                  ("KLT10", "KLT1")])
def test_ids_that_differ_otherwise_stay_two(a, b):
    assert reader_key(a) != reader_key(b)


def test_the_ledger_key_is_unchanged():
    """The ledger's sketches were hashed with :func:`id_key`: it still keeps '-', '_' and
    look-alike letters (else the same people would be strangers to their earlier releases)."""
    assert (id_key("KLT-O01"), id_key("K 0007")) == ("klt-o1", "k7")
