"""Recheck of attack 26 (issue 23): releases of nearly the same people, attacked as such.

V3: ten persons of one profile added to a file. Every count of the larger file's release
differed from the first file's by 0 or by 10, so the cell-by-cell comparison found nothing; but
the margins that changed by 10 (women, a notice given) beside those that did not (men, no
notice) told that all ten added persons were women with a notice, and with that the larger
file's table gave the first file's table back (the third table of a cycle). A count shown in both
releases that did not change, in a table where others did, is a zero of the table of the persons
who differ between the files: on real data it is refused like any zero the release would pin.

V2 and the corrected file: the same people with a history added, or with one unpublished value
corrected, are other data whose published counts an intruder cannot tell from the first file's;
their releases are attacked as releases of one file (:mod:`analysis.release.editions`)."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from unittest import mock

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_attack25_cycle_across_runs import _published, cycle_file  # noqa: E402,F401  (attack 25's cycle file)

from analysis import ledger  # noqa: E402
from analysis.pilot import tables as pt  # noqa: E402
from analysis.pilot.synthetic import generate_participants  # noqa: E402
from analysis.release import audit, editions  # noqa: E402

K = 10
DATES = ["2021-04-01", "2021-04-16"]


@pytest.fixture(scope="module")
def first_and_grown() -> tuple[pd.DataFrame, pd.DataFrame]:
    df = generate_participants(300, seed=11).assign(synthetisch=False)
    added = pd.concat([df.iloc[[0]]] * K, ignore_index=True)
    added["deelnemer_id"] = [f"K{i:04d}" for i in range(K)]
    return df, pd.concat([df, added], ignore_index=True)


def _entry(release, inputs: str) -> ledger.Entry:
    return ledger.Entry("study", inputs, "02", K, tuple(DATES), release.shown_cells(), ledger.describe(release))


def _releases(frames):
    return [pt.joint_figure_tables(d, K, cutoffs=DATES)[2] for d in frames]


def _shown_in_both(first, grown) -> dict[str, int]:
    a, b = first.shown_cells(), grown.shown_cells()
    return {k: b[k] - a[k] for k in a.keys() & b.keys()}


def test_the_old_comparison_finds_nothing_and_the_unchanged_cells_are_refused(first_and_grown):
    first, grown = _releases(first_and_grown)
    change = _shown_in_both(first, grown)
    # the attack's precondition, from the two releases' own cells: every difference 0 or 10, some of each
    assert set(change.values()) == {0, K}
    withheld = {k: int(c.value) for k, c in grown.cells.items() if not c.shown}
    recorded = [_entry(first, "hmac:first")]
    assert ledger.differences(recorded, "hmac:grown", grown.shown_cells(), K, withheld=withheld) == []
    clash = ledger.differences(recorded, "hmac:grown", grown.shown_cells(), K, withheld=withheld, zeros=True)
    tables_changed = {k.split("|", 1)[0] for k, v in change.items() if v}
    expected = sorted(k for k, v in change.items() if v == 0 and k.split("|", 1)[0] in tables_changed)
    assert expected and sorted(clash) == expected


def test_the_ledger_audit_and_the_check_of_recorded_releases_see_it(first_and_grown):
    entries = [_entry(r, f"hmac:{i}") for i, r in enumerate(_releases(first_and_grown))]
    leaks = audit.attack_ledger(entries)
    assert any("unchanged from another file's release" in leak for leak in leaks)
    assert ledger.clashes(entries)


def test_a_table_none_of_whose_cells_changed_says_nothing():
    assert ledger.unchanged_beside_changed({"a|x": 0, "a|y": 0, "b|x": 10, "b|y": 0}) == ["b|y"]
    assert ledger.unchanged_beside_changed({"a|x": 0, "a|y": 0}) == []


def test_synthetic_releases_keep_the_cell_by_cell_rule(first_and_grown):
    """Where zeros are not disclosive (synthetic data) nothing more is refused."""
    first, grown = _releases([d.assign(synthetisch=True) for d in first_and_grown])
    entries = [_entry(r, f"hmac:{i}") for i, r in enumerate([first, grown])]
    assert not any("unchanged" in leak for leak in audit.attack_ledger(entries))


# -- V2 and the corrected file: other data no published count tells apart from the first --------------

PAIRS = [("geslacht", "functietype"), ("werkgever", "functietype"), ("geslacht", "werkgever")]


def _on(entry: ledger.Entry, inputs: str) -> ledger.Entry:
    return dataclasses.replace(entry, inputs=inputs)


def test_the_third_table_of_a_cycle_on_a_corrected_copy_is_refused(cycle_file):  # noqa: F811
    """The third release runs on a copy of the file with one value no table shows corrected
    (whether a person was interviewed): other data, whose counts of sex and employer are the first file's.
    Attack 25's three-way count of 3 is pinned all the same."""
    corrected = cycle_file.copy()
    person = corrected.index[7]
    corrected.loc[person, "geinterviewd"] = next(v for v in corrected["geinterviewd"].dropna().unique()
                                                 if v != corrected.at[person, "geinterviewd"])
    first = [_published(cycle_file, [p])[1] for p in PAIRS[:2]]
    third = _on(_published(corrected, PAIRS[2:])[1], "corrected")
    assert all(e.inputs == "file" for e in first)
    # the control: as releases of two files, nothing is linked (the old behaviour)
    assert audit.new_leaks(first, _on(third, "file")) != [] and editions_apart(first, third) == []
    leaks = audit.new_leaks(first, third)
    assert leaks and any("joint" in x for x in leaks)


def editions_apart(recorded, candidate):
    """What the audit found before: releases of other data never joined."""
    with mock.patch.object(editions, "joined_with", side_effect=lambda entries, target: list(entries)):
        return audit.new_leaks(recorded, candidate)


def test_the_third_table_on_a_copy_whose_shown_services_all_rose_by_ten_is_refused(cycle_file):  # noqa: F811
    """Recheck 27, F2: ten persons more recorded with each service (a late registration) raised every
    cell of Figuur 11 by 10, so the two files differ visibly, but only there: the tables of the cycle
    agree, and the count of 3 is pinned all the same. The block that changed is left out of the join."""
    late = cycle_file.copy()
    for service in (c for c in late.columns if c.startswith("dv_")):
        without = late.index[late[service] == False]  # noqa: E712  (a yes/no column: False, not falsy)
        late.loc[without[:10], service] = True
    first = [_published(cycle_file, [p])[1] for p in PAIRS[:2]]
    third = _on(_published(late, PAIRS[2:])[1], "late")
    changed, _, agreeing = editions.changed_blocks(third, first[0])
    assert changed and agreeing  # the precondition: a table visibly changed, others agree
    assert editions_apart(first, third) == []
    assert any("joint" in x for x in audit.new_leaks(first, third))


def _structure(withheld: int, shown: int = 12) -> dict:
    atoms = [["a"], ["b"], ["c"]]
    cells = {"t|a": {"block": "T", "atoms": [0], "value": shown, "shown": True},
             "t|b": {"block": "T", "atoms": [1], "value": withheld, "shown": False},
             "t|c": {"block": "T", "atoms": [2], "value": 5, "shown": False},
             "u|x": {"block": "U", "atoms": [0], "value": 20, "shown": True}}
    blocks = {"T": {"columns": ["g"], "atoms": atoms, "counts": [shown, withheld, 5]},
              "U": {"columns": ["h"], "atoms": [["x"]], "counts": [20]}}
    return {"blocks": blocks, "cells": cells}


def _edition(inputs: str, **kw) -> ledger.Entry:
    s = _structure(**kw)
    return ledger.Entry("study", inputs, "02", K, tuple(DATES), {k: c["value"] for k, c in s["cells"].items()
                                                                 if c["shown"]}, s)


def test_a_correction_inside_withheld_cells_joins_the_two_files():
    """Recheck 27, F1: the true counts differ only in withheld cells, which the intruder does not
    see; the copy is taken as the first file's (the join used to compare the true counts)."""
    joined = editions.joined_with([_edition("first", withheld=3), _edition("copy", withheld=4)], 0)
    assert [e.inputs for e in joined] == ["first", "first"] and set(joined[1].structure["blocks"]) == {"T", "U"}


def test_a_table_that_visibly_changed_is_left_out_and_a_copy_with_nothing_agreeing_stays_apart():
    joined = editions.joined_with([_edition("first", withheld=3), _edition("copy", withheld=3, shown=22)], 0)
    assert joined[1].inputs == "first" and set(joined[1].structure["blocks"]) == {"U"}
    assert set(joined[1].cells) == {"u|x"}
    other = _edition("other", withheld=3, shown=22)
    other = dataclasses.replace(other, structure={**other.structure, "blocks": {"T": other.structure["blocks"]["T"]},
                                                  "cells": {k: c for k, c in other.structure["cells"].items()
                                                            if c["block"] == "T"}})
    assert editions.joined_with([_edition("first", withheld=3), other], 0)[1].inputs == "other"


def test_a_file_whose_third_table_differs_is_joined_without_it(cycle_file):  # noqa: F811
    """A copy in which one person's sex differs shows sex x employer otherwise: that table is left
    out of the join (its difference is refused cell by cell: :func:`analysis.ledger.differences`),
    so no cycle is closed with it."""
    changed = cycle_file.copy()
    woman = changed.index[(changed["geslacht"] == "vrouw")][0]
    changed.loc[woman, "geslacht"] = "man"
    first = [_published(cycle_file, [p])[1] for p in PAIRS[:2]]
    other = _on(_published(changed, PAIRS[2:])[1], "changed")
    joined = editions.joined_with([*first, other], 2)
    crosstab = [b for b in other.structure["blocks"] if b not in first[0].structure["blocks"]]
    assert crosstab and joined[0].inputs == "changed"
    assert not any("joint" in x for x in audit.new_leaks(first, other))
    withheld = ledger.withheld_cells(other.structure)
    current = ledger.meanings(other.structure, {**other.cells, **withheld})
    assert ledger.differences(first, "changed", other.cells, K, current, withheld)


def test_a_refusal_names_an_atom_by_its_values():
    """Attack 26: the refusal said "A atom 10, A atom 13"; it names the persons' values now."""
    structure = {"blocks": {"A": {"columns": ["geslacht", "opleiding", "part"],
                                  "atoms": [["man", "laag", None], ["vrouw", "hoog", None]]}}}
    assert audit.named_atoms("A atom 1", [{}, structure]) == "A (geslacht vrouw, opleiding hoog)"
    assert audit.named_atoms("A atom 7", [structure]) == "A atom 7"  # not recorded: as it was
    assert audit.named_atoms("joint a x b = 1,2", [structure]) == "joint a x b = 1,2"
