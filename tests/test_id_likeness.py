"""The message refusing two ids a reader takes for one person names what they differ by
(H32h, issue 28: it named case, spaces and leading zeros whatever the ids were); ids that
differ only by a look-alike letter or a separator are one id to the reader (H38n, hostile
round 14's H17: a row copied under ``SYNO001`` was counted as a second person)."""

import pytest

from analysis.data.id_likeness import difference, id_key, reader_key


@pytest.mark.parametrize("a, b, want", [
    ("k0007", "K0007", "case"), ("K07", "K0007", "leading zeros"), ("K 0007", "K0007", "spaces"),
    ("k 07", "K7", "spaces, case and leading zeros"), ("0007", 7, "leading zeros"),
    ("Kx0007", "kX7", "case and leading zeros"),
    ("SYNO001", "SYN0001", "look-alike characters (O for 0, l or I for 1)"),
    ("SYN000l", "SYN0001", "look-alike characters (O for 0, l or I for 1)"),
    ("SYN000I", "SYN0001", "look-alike characters (O for 0, l or I for 1)"),
    ("SYN-0001", "SYN0001", "'-' or '_'"), ("SYN_0001", "SYN0001", "'-' or '_'"),
    ("syn-O1", "SYN0001", "'-' or '_', case, look-alike characters (O for 0, l or I for 1) and leading zeros"),
])
def test_the_difference_of_two_like_ids_is_named(a, b, want):
    assert difference(a, b) == want


@pytest.mark.parametrize("a, b", [("SYNO001", "SYN0001"), ("SYN000l", "SYN0001"), ("SYN000I", "SYN0001"),
                                  ("SYN-0001", "SYN0001"), ("SYN_0001", "SYN0001"), ("s-y-n_o0o1", "SYN1"),
                                  ("k0007", "K7")])
def test_look_alikes_and_separators_are_one_id_to_the_reader(a, b):
    assert reader_key(a) == reader_key(b)


@pytest.mark.parametrize("a, b", [("SYN0001", "SYN0002"), ("SYN0010", "SYN0001"), ("SYNA001", "SYN0001"),
                                  ("SYN10", "SYN1")])
def test_ids_that_differ_otherwise_stay_two(a, b):
    assert reader_key(a) != reader_key(b)


def test_the_ledger_key_is_unchanged():
    """The ledger's sketches were hashed with :func:`id_key`: it still keeps '-', '_' and
    look-alike letters (else the same people would be strangers to their earlier releases)."""
    assert (id_key("SYN-O01"), id_key("K 0007")) == ("syn-o1", "k7")
