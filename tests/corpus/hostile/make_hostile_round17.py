"""Hostile inputs, round seventeen (H42n, issue 28: hostile round 17's failures): a recode map
whose keys differ only by spacing (a trailing space, a no-break space) merged silently, the last
one winning. Each case is the synthetic export with its mapping's status map given a second key
``In bemiddeling`` written with other spacing and mapped to another code. Also a study whose
exhibit title holds a bidirectional override (U+202E: ``Functie \\u202eknil`` showed as *Functie
link* on the pages): the cleaning study and its exhibits file under the case's id, one title
changed. And the guide's export (``make_hostile_round16.py``) with its header ``Functie`` renamed
``Werkgever``, a header it already has: the copy was said as "functie has no source" alone (the
skip_rows step dropped what the sheet reader knew of repeated headers). The expected outcomes
in ``expected.yml`` are written by hand from these edits. Run from the project folder:
``.venv/bin/python tests/corpus/hostile/make_hostile_round17.py``."""

from __future__ import annotations

import sys
from pathlib import Path

HOSTILE = Path(__file__).resolve().parent
ROOT = HOSTILE.parents[2]
sys.path.insert(0, str(HOSTILE))
import make_hostile_round16 as r16  # noqa: E402
from make_hostile_round3 import export_case  # noqa: E402

SHIPPED_KEY = '        "In bemiddeling": "in_bemiddeling"\n'


def second_key(written: str, code: str):
    """The status map with ``written`` (a YAML double-quoted key) mapped to ``code`` below the
    shipped key ``In bemiddeling``."""
    return lambda text: text.replace(SHIPPED_KEY, f'{SHIPPED_KEY}        "{written}": "{code}"\n', 1)


def study_with_title(name: str, old: str, new: str) -> None:
    """``studies/<name>.yml`` and ``<name>.exhibits.yml``: the cleaning study and its exhibits under
    the id ``name``, the exhibits' text ``old`` replaced by ``new``."""
    study = (ROOT / "studies" / "schoonmaak_twente_2023.yml").read_text(encoding="utf-8")
    exhibits = (ROOT / "studies" / "schoonmaak_twente_2023.exhibits.yml").read_text(encoding="utf-8")
    assert "id: schoonmaak_twente_2023" in study and old in exhibits, "the study changed: update this script"
    study = study.replace("id: schoonmaak_twente_2023", f"id: {name}").replace(
        "exhibits: schoonmaak_twente_2023.exhibits.yml", f"exhibits: {name}.exhibits.yml")
    (HOSTILE / "studies" / f"{name}.yml").write_text(study, encoding="utf-8")
    (HOSTILE / "studies" / f"{name}.exhibits.yml").write_text(exhibits.replace(old, new, 1), encoding="utf-8")


def header_twice(book) -> None:
    """The participant sheet's header ``Functie`` written as ``Werkgever`` (its column C's header)."""
    ws = book[r16.P]
    ws.cell(r16.npe.HEADER_ROW, r16.column(ws, "Functie")).value = "Werkgever"


def main() -> None:
    export_case("r17_exp_status_key_trailing_space", mapping_edit=second_key("In bemiddeling ", "gestopt"))
    export_case("r17_exp_status_key_nbsp", mapping_edit=second_key("In\\u00a0bemiddeling", "opleiding"))
    study_with_title("r17_exhibit_title_bidi", "{nl: Functie van de deelnemers bij instroom in de pilot,",
                     '{nl: "Functie \\u202Eknil van de deelnemers bij instroom in de pilot",')
    r16.guide_case("r17_np_header_twice", header_twice)
    export_case("r17_exp_status_key_double_space", mapping_edit=second_key("In  bemiddeling", "in_bemiddeling"))


if __name__ == "__main__":
    main()
