"""Hostile inputs, round eleven (H36h, what hostile round 13 left, issue 28): labels matched
by a mapping's *pattern* that hold a character that does not show (a zero-width space, a soft
hyphen, a word joiner, a right-to-left override) or a letter that can be taken for another
(Cyrillic, full-width); ``hbo`` followed by a zero-width space was read as ``hoog`` by the
pattern ``^hbo`` without a word. An en dash (punctuation) is read as written; a label listed
exactly as written is read. Each case is the synthetic export with the edit named in its
``expected.yml`` comment; the expected outcomes are written by hand from these edits. Run from
the project folder: ``.venv/bin/python tests/corpus/hostile/make_hostile_round11.py``. Two run
configurations with a key of 1,000 characters (quoted whole in the message before) come too."""

from __future__ import annotations

import sys
from pathlib import Path

HOSTILE = Path(__file__).resolve().parent
ROOT = HOSTILE.parents[2]
sys.path.insert(0, str(HOSTILE))
from make_hostile_round3 import cell, export_case  # noqa: E402

LEVEL = ("Jansen (UWV)", "G13")  # SYN0026's Opleiding: 'hbo' (pattern ^(hbo|...) gives hoog)
STATUS_MAP = '        "In bemiddeling": "in_bemiddeling"\n'


def status_pattern(text: str) -> str:
    """The status recode with a pattern for 'In bemiddeling' instead of its exact label."""
    assert STATUS_MAP in text, "the shipped mapping changed: update make_hostile_round11.py"
    return text.replace(STATUS_MAP, "").replace(
        "      map:\n        \"Nieuwe baan\"",
        "      patterns: [{match: \"^in bemiddeling\", value: in_bemiddeling}]\n      map:\n        \"Nieuwe baan\"", 1)


def configs() -> None:
    """Run configurations whose keys are 1,000 characters long (YAML's longest plain key is
    1,024): quoted as an excerpt with the length, never whole."""
    config = HOSTILE / "config"
    long_key = "x" * 1_000
    (config / "r11_run_key_1000_chars.yml").write_text(f"runs:\n  p:\n    - {{{long_key}: 1}}\n", encoding="utf-8")
    (config / "r11_top_key_1000_chars.yml").write_text(f"{long_key}:\n  a: 1\nruns: {{}}\n", encoding="utf-8")


def files() -> None:
    """The same characters on the routes that match a label exactly (the participant file and
    the status history): refused as before, the rule now naming the character."""
    base = (ROOT / "data" / "raw" / "pilot_participants_synthetic.csv").read_text(encoding="utf-8").splitlines()
    header = base[0].split(",")
    row = base[1].split(",")  # data row 1: SYN0001, opleidingsniveau laag
    row[header.index("opleidingsniveau")] = "laag\u00ad"
    (HOSTILE / "files" / "r11_level_soft_hyphen.csv").write_text("\n".join([base[0], ",".join(row), *base[2:]]) + "\n",
                                                                  encoding="utf-8")
    history = (ROOT / "data" / "raw" / "pilot_status_history_synthetic.csv").read_text(encoding="utf-8").splitlines()
    assert history[1] == "SYN0001,2020-09-12,in_bemiddeling", "the shipped history changed: update this script"
    history[1] = "SYN0001,2020-09-12,in_bemiddeling\u200b"
    (HOSTILE / "files" / "r11_hist_status_zero_width.csv").write_text("\n".join(history) + "\n", encoding="utf-8")


def main() -> None:
    files()
    configs()
    sheet, ref = LEVEL
    export_case("r11_exp_level_zero_width_after", cell(sheet, ref, "hbo\u200b"))
    export_case("r11_exp_level_soft_hyphen", cell(sheet, ref, "hbo\u00ad"))
    export_case("r11_exp_level_word_joiner_upper", cell(sheet, ref, "HBO\u2060"))
    export_case("r11_exp_level_rlo_after", cell(sheet, ref, "hbo \u202ebachelor"))
    export_case("r11_exp_level_cyrillic_word", cell(sheet, ref, "hbo \u0412"))  # Cyrillic В after the match
    export_case("r11_exp_level_fullwidth", cell(sheet, ref, "\uff48\uff42\uff4f"))
    export_case("r11_exp_level_en_dash_ok", cell(sheet, ref, "hbo \u2013 bachelor"))  # punctuation: read as hoog
    # a label listed exactly, with its zero-width space, under map: a decision made in writing, read
    anchor = "    default: onbekend  # the code"
    export_case("r11_exp_level_mapped_exactly_ok", cell(sheet, ref, "hbo\u200b"),
                mapping_edit=lambda t: t.replace(anchor, "    map: {\"hbo\\u200b\": hoog}\n" + anchor, 1))
    # the status history's recode through a pattern: the same rule on that sheet (row 2: SYN0001, In bemiddeling)
    export_case("r11_exp_status_pattern_zero_width", cell("Statushistorie", "C2", "In bemiddeling\u200b"),
                mapping_edit=status_pattern)
    export_case("r11_exp_status_pattern_ok", mapping_edit=status_pattern)


if __name__ == "__main__":
    main()
