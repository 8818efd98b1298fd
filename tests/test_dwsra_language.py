"""The DWSRA page's texts in one language each: every explanation, claim and finding has a
Dutch and an English text, each free of the other language's words; check tables put their
codes, recomputed values and published cells into the page's language; the report's own
words stay verbatim and are marked Dutch on the English page."""

import re
from xml.etree import ElementTree

import pandas as pd
import pytest
from test_page_language import DUTCH_ONLY, ENGLISH_ONLY, WORD

from analysis import paths
from analysis.data.loading import load_table
from analysis.dwsra import ceiling, checks, schema, texts
from analysis.presentation import titles
from analysis.presentation.styling import styled

RAW = paths.PROJECT_ROOT / "data" / "raw"
DECIMAL_COMMA = re.compile(r"\d,\d{1,2}(?!\d)")  # 30,55 (not the thousands of 30,545,648)


def _words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(re.sub(r"\{\w+\}", "", text))}  # not a template's field names


def _pairs() -> list[tuple[str, str, str]]:
    """(where, Dutch, English) of every text pair the DWSRA page shows."""
    claims = load_table(RAW / "dwsra_report_claims.csv", schema.REPORT_CLAIMS)
    numbers = load_table(RAW / "dwsra_printed_numbers.csv", schema.PRINTED_NUMBERS)
    found = numbers[numbers["finding"].notna()]
    out = [(f"KNOWN_DIFFERENCES {k}", nl, en) for k, (nl, en) in checks.KNOWN_DIFFERENCES.items()]
    out += [(f"NOT_COMPUTABLE {k}", nl, en) for k, (nl, en) in checks.NOT_COMPUTABLE.items()]
    out += [(f"claim {r.id}", r.description_nl, r.description_en) for r in claims.itertuples()]
    out += [(f"finding line {r.line}", r.reason_nl, r.reason) for r in found.itertuples()]
    out += [(f"CODES {k}", nl, en) for k, (nl, en) in texts.CODES.items()]
    out += [("ceiling.RULE", *ceiling.RULE)]
    out += [(f"HEADERS {k}", nl, en) for k, (nl, en) in texts.HEADERS.items()]
    out += [(f"SENTENCES {k}", nl, en) for k, (nl, en) in titles.SENTENCES.items() if k.startswith("dwsra_")]
    return out


@pytest.mark.parametrize("where, nl, en", _pairs(), ids=lambda x: x if isinstance(x, str) and len(x) < 60 else "")
def test_each_text_has_both_languages_and_no_words_of_the_other(where, nl, en):
    assert nl.strip() and en.strip(), where
    assert not _words(nl) & ENGLISH_ONLY, f"{where}: English in the Dutch text: {_words(nl) & ENGLISH_ONLY}"
    assert not _words(en) & DUTCH_ONLY, f"{where}: Dutch in the English text: {_words(en) & DUTCH_ONLY}"
    assert not DECIMAL_COMMA.search(en), f"{where}: a decimal comma in the English text: {en}"


def test_a_finding_is_explained_in_both_languages_or_the_file_is_rejected(tmp_path):
    df = pd.read_csv(RAW / "dwsra_printed_numbers.csv", dtype=str, keep_default_na=False)
    at = df.index[df["finding"] != ""][0]
    df.loc[at, "reason_nl"] = ""
    df.to_csv(tmp_path / "dwsra_printed_numbers.csv", index=False)
    with pytest.raises(Exception, match="a finding is explained in both languages"):
        load_table(tmp_path / "dwsra_printed_numbers.csv", schema.PRINTED_NUMBERS)


def test_check_tables_show_codes_values_and_cells_in_the_pages_language():
    df = pd.DataFrame({"kind": ["text_vs_text", "reference"], "table": ["tabel_2_2", "tekst_2_1"],
                       "printed": ["de meeste", "1"], "recomputed": ["67.91..68.26", "2019-07-01"]})
    nl = texts.for_page(df, "nl", quoted=("printed",))
    assert nl["kind"].tolist() == ["tekst tegen tekst", "verkeerde verwijzing"]
    assert nl["table"].tolist() == ["Tabel 2.2", "Tekst, paragraaf 2.1"]
    assert nl["recomputed"].tolist() == ["67,91–68,26", "1 juli 2019"]
    en = texts.for_page(df, "en", quoted=("printed",))
    assert en["kind"].tolist() == ["text against text", "wrong reference"]
    assert en["recomputed"].tolist() == ["67.91–68.26", "1 July 2019"]
    assert en["printed"].tolist() == ["de meeste", "1"]  # the report's words, untouched
    claims = texts.for_page(pd.DataFrame({"rule": ["totaal = DW + SRA"]}), "nl")
    assert list(claims.columns) == ["Bewering"]  # not the catalogue's "Regel", which reads as "line"
    cells = pd.DataFrame({"published": [10.0, 1.7, 30.55], "computed": [10.0, 1.25, None], "digits": [0, 1, 2]})
    assert texts.for_page(cells, "nl")[["published", "computed"]].values.tolist() == [
        ["10", "10"], ["1,7", "1,3"], ["30,55", "–"]]  # half up, as the comparison rounds (checks.round_half_up)
    html = styled(texts.for_page(cells, "nl"), "nl").to_html()
    assert html.count('num" >') == 6  # written out, still aligned as numbers


def test_quoted_cells_are_verbatim_and_marked_dutch_on_an_english_page():
    df = pd.DataFrame({"printed": ["de meeste", "1"], "recomputed": ["21.28", "1"]})
    english = styled(texts.for_page(df, "en", quoted=("printed",)), "en").to_html()
    assert '<span lang="nl">de meeste</span>' in english and '<span lang="nl">1</span>' in english
    assert "Triage" not in english  # "1" is the report's number, not the catalogue's triage path
    dutch = styled(texts.for_page(df, "nl", quoted=("printed",)), "nl").to_html()
    assert "lang=" not in dutch and ">de meeste<" in dutch and ">21,28<" in dutch


def test_the_comparison_explains_in_the_language_asked():
    data = schema.load_inputs(*(RAW / f for f in schema.RAW_FILES))
    computed = checks.computed_cells(data["register"], data["applications"])
    nl = checks.compare_with_published(data["published"], computed, "nl")
    en = checks.compare_with_published(data["published"], computed, "en")
    key = (nl["table"] == "tekst_2_1") & (nl["row"] == "DW") & (nl["column"] == "max_subsidy_pct")
    assert nl.loc[key, "explanation"].item().startswith("Fout in het rapport: 20,8 van 30,55 mln is 68%")
    assert en.loc[key, "explanation"].item().startswith("Report error: 20.8 of 30.55 mln is 68%")
    assert set(nl["status"]) == {"reproduced", "differs", "not_computable"}
    with pytest.raises(ValueError, match="language"):
        checks.compare_with_published(data["published"], computed, "de")


def test_the_page_sentences_fill_their_fields():
    assert titles.sentence("dwsra_round2_apr_jun", "nl", k=22, n=31) == \
        "Beschikkingen van de tweede ronde in april-juni 2017: **22 van 31**."
    assert titles.sentence("dwsra_inconsistencies", "en", n=14) == "**14 inconsistencies**:"


FIGURES = sorted((paths.REPORTS / "figures").glob("dwsra_figuur_*_[ne][ln].svg"))


@pytest.mark.skipif(not FIGURES, reason="needs reports/figures (make report runs before the tests)")
@pytest.mark.parametrize("path", FIGURES, ids=[p.stem for p in FIGURES])
def test_every_text_of_a_published_figure_is_in_its_language(path):
    lang = path.stem.rsplit("_", 1)[1]
    texts = [" ".join(e.itertext()) for e in ElementTree.parse(path).iter() if e.tag.endswith("}text")]
    words = set().union(*map(_words, texts))
    assert len(words) > 5, f"{path.name}: no texts found (fonts drawn as paths?)"
    assert not words & (ENGLISH_ONLY if lang == "nl" else DUTCH_ONLY), path.name
