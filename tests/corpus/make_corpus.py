"""Regenerate the malformed-input corpus from the synthetic participant file.

    python tests/corpus/make_corpus.py

Each ``bad_*`` file breaks one rule; ``expected.yml`` lists the fragments its error message
must contain (file, row, column, rule). Each ``ok_*`` file uses a legitimate Dutch
spreadsheet convention and must load to the same data as the original.
"""

from pathlib import Path

import pandas as pd

HERE = Path(__file__).parent
SOURCE = HERE.parents[1] / "data" / "raw" / "pilot_participants_synthetic.csv"


def main() -> None:
    base = pd.read_csv(SOURCE, dtype=str, keep_default_na=False)
    stopped = base.index[base.status_20210416.isin(["gestopt", "niet_gestart"])][0]
    mediation = base.index[(base.status_20210401 == "in_bemiddeling")
                           & (base.status_20210416 == "in_bemiddeling")][0]

    def bad(name, df):
        df.to_csv(HERE / f"bad_{name}.csv", index=False, lineterminator="\n")

    def edit(row, col, value):
        df = base.copy()
        df.loc[row, col] = value
        return df

    bad("missing_column", base.drop(columns=["triage"]))
    bad("extra_column", base.assign(bsn="123456782"))
    bad("unknown_triage", edit(2, "triage", "4"))
    bad("unknown_education", edit(4, "opleidingsniveau", "universitair"))
    bad("duplicate_id", edit(1, "deelnemer_id", base.loc[0, "deelnemer_id"]))
    bad("inflow_out_of_window", edit(3, "instroomdatum", "2021-02-01"))
    bad("negative_tenure", edit(5, "dienstjaren", "-3"))
    bad("nan_outcome", edit(6, "status_20210401", ""))
    bad("impossible_date", edit(7, "startdatum", "2020-02-31"))
    bad("text_in_age", edit(8, "leeftijd", "vijftig"))
    bad("bad_boolean", edit(9, "dv_coaching", "misschien"))
    bad("april_status_change", edit(mediation, "status_20210416", "gestopt"))
    # a worker's empty sector is not recorded (onbekend: unusual/worker_sector_not_recorded.csv);
    # a sector of someone not in work is refused
    bad("sector_without_work", edit(stopped, "sector_nieuw", "zorg"))
    other_function = "staf" if base.loc[10, "functietype"] == "uitvoerend" else "uitvoerend"
    bad("staff_function_mismatch", edit(10, "functietype", other_function))
    bad("age_out_of_range", edit(11, "leeftijd", "130"))
    bad("duplicate_column", pd.concat([base, base[["leeftijd"]]], axis=1))
    (HERE / "bad_empty.csv").write_bytes(b"")
    (HERE / "bad_blank_lines.csv").write_text("\n\n\n")
    (HERE / "bad_header_only.csv").write_text(",".join(base.columns) + "\n")

    # legitimate Dutch conventions
    nl = base.copy()
    nl["dienstjaren"] = nl["dienstjaren"].str.replace(".", ",", regex=False)
    for c in ("instroomdatum", "startdatum", "uitstroomdatum"):
        nl[c] = pd.to_datetime(nl[c]).dt.strftime("%d-%m-%Y").fillna("")
    for c in nl.columns:
        if set(nl[c]) <= {"true", "false"}:
            nl[c] = nl[c].map({"true": "ja", "false": "nee"})
    nl.to_csv(HERE / "ok_semicolon_decimal_comma.csv", sep=";", index=False, lineterminator="\r\n")
    (HERE / "ok_utf8_bom.csv").write_bytes(b"\xef\xbb\xbf" + SOURCE.read_bytes())
    (HERE / "ok_latin1.csv").write_bytes(SOURCE.read_text(encoding="utf-8").encode("latin-1"))
    base.to_excel(HERE / "ok_excel.xlsx", index=False)


if __name__ == "__main__":
    main()
