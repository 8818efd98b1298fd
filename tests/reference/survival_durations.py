"""Write the duration files the R reference script reads: one CSV per (data, definition,
origin), named as tests/test_survival.py looks them up (see make_survival_reference.sh)."""

import sys
from pathlib import Path

from analysis.pilot import history as pilot_history, synthetic
from analysis.pilot.inputs import load_participants
from analysis.pilot.time_to_work import durations

ROOT = Path(__file__).resolve().parents[2]
CASES = [("work", "start"), ("work_or_education", "start"), ("work", "inflow")]


def populations():
    shipped = load_participants(ROOT / "data/raw/pilot_participants_synthetic.csv", None)
    yield "shipped", shipped, pilot_history.load_history(ROOT / "data/raw/pilot_status_history_synthetic.csv",
                                                         shipped)
    for n in (200, 1000, 15000):
        df = synthetic.generate_participants(n)
        yield f"n{n}", df, synthetic.status_history(df)


def main(outdir: str) -> None:
    for name, participants, history in populations():
        for definition, origin in CASES:
            d = durations(participants, history, definition, origin)
            d.to_csv(Path(outdir) / f"{name}_{definition}_{origin}.csv", index=False)


if __name__ == "__main__":
    main(sys.argv[1])
