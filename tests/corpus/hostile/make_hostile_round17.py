"""Hostile inputs, round seventeen (H42n, issue 28: hostile round 17's failures): a recode map
whose keys differ only by spacing (a trailing space, a no-break space) merged silently, the last
one winning. Each case is the synthetic export with its mapping's status map given a second key
``In bemiddeling`` written with other spacing and mapped to another code; the expected outcomes
in ``expected.yml`` are written by hand from these edits. Run from the project folder:
``.venv/bin/python tests/corpus/hostile/make_hostile_round17.py``."""

from __future__ import annotations

import sys
from pathlib import Path

HOSTILE = Path(__file__).resolve().parent
sys.path.insert(0, str(HOSTILE))
from make_hostile_round3 import export_case  # noqa: E402

SHIPPED_KEY = '        "In bemiddeling": "in_bemiddeling"\n'


def second_key(written: str, code: str):
    """The status map with ``written`` (a YAML double-quoted key) mapped to ``code`` below the
    shipped key ``In bemiddeling``."""
    return lambda text: text.replace(SHIPPED_KEY, f'{SHIPPED_KEY}        "{written}": "{code}"\n', 1)


def main() -> None:
    export_case("r17_exp_status_key_trailing_space", mapping_edit=second_key("In bemiddeling ", "gestopt"))
    export_case("r17_exp_status_key_nbsp", mapping_edit=second_key("In\\u00a0bemiddeling", "opleiding"))
    export_case("r17_exp_status_key_double_space", mapping_edit=second_key("In  bemiddeling", "in_bemiddeling"))


if __name__ == "__main__":
    main()
