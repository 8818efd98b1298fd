"""Time to work (analysis.stats.survival) against R's survival package (values stored in
tests/reference/survival_reference.csv by tests/reference/make_survival_reference.sh) and
against independent computations written here."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.pilot import history as pilot_history, synthetic
from analysis.pilot.inputs import load_participants
from analysis.pilot.time_to_work import durations
from analysis.stats import survival as sv

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = pd.read_csv(ROOT / "tests/reference/survival_reference.csv", keep_default_na=False, na_values=["NA"])
GRID = np.arange(1, 7) * sv.DAYS_PER_MONTH
CASES = [("work", "start"), ("work_or_education", "start"), ("work", "inflow")]


def population(name: str):
    if name == "shipped":
        p = load_participants(ROOT / "data/raw/pilot_participants_synthetic.csv", None)
        return p, pilot_history.load_history(ROOT / "data/raw/pilot_status_history_synthetic.csv", p)
    df = synthetic.generate_participants(int(name[1:]))
    return df, synthetic.status_history(df)


@pytest.fixture(scope="module")
def shipped():
    return population("shipped")


def durations_by_hand(participants, history, definition, origin, end="2021-04-16"):
    """Per person, walking the history in date order: the first outcome or exit status."""
    from analysis.pilot.outcomes import DEFINITIONS

    rows = []
    for r in participants.itertuples(index=False):
        begin = getattr(r, "startdatum" if origin == "start" else "instroomdatum")
        if pd.isna(begin):
            continue
        status, when = 0, pd.Timestamp(end)
        for h in history[history["deelnemer_id"] == r.deelnemer_id].sort_values("datum").itertuples(index=False):
            if h.datum > pd.Timestamp(end):
                break
            if h.status in DEFINITIONS[definition]:
                status, when = 1, h.datum
                break
            if h.status in ("gestopt", "niet_gestart", "oude_werkgever"):
                status, when = 2, h.datum
                break
        rows.append((r.deelnemer_id, max(0, (when - pd.Timestamp(begin)).days), status))
    return pd.DataFrame(rows, columns=["deelnemer_id", "time", "status"])


@pytest.mark.parametrize("definition,origin", CASES)
def test_durations_walk_the_history(shipped, definition, origin):
    p, h = shipped
    ours = durations(p, h, definition, origin).set_index("deelnemer_id").sort_index()
    ref = durations_by_hand(p, h, definition, origin).set_index("deelnemer_id").sort_index()
    assert ours.index.tolist() == ref.index.tolist()
    assert ours["time"].tolist() == ref["time"].astype(float).tolist()
    assert ours["status"].tolist() == ref["status"].tolist()


def test_follow_up_end_is_a_parameter(shipped):
    p, h = shipped
    with pytest.raises(ValueError, match="follow_up_end 2021-05-01 is after"):
        durations(p, h, "work", "start", follow_up_end="2021-05-01")
    early = durations(p, h, "work", "start", follow_up_end="2021-01-31")
    late = durations(p, h, "work", "start")
    assert early["time"].max() < late["time"].max()
    assert (early["status"] == 1).sum() < (late["status"] == 1).sum()


def _curves(d):
    out = {"all": d}
    for g in ("triage", "opleiding"):
        for lev in sorted(d[g].unique()):
            out[f"{g}={lev}"] = d[d[g] == lev]
    return out


def _compare_with_r(name: str):
    p, h = population(name)
    checked = 0
    for definition, origin in CASES:
        ds = f"{name}_{definition}_{origin}"
        r = REFERENCE[REFERENCE["dataset"] == ds]
        assert len(r), f"no R reference for {ds}"
        d = durations(p, h, definition, origin)
        for curve, s in _curves(d).items():
            ends = sorted(set(s["time"]) | set(GRID) | {max(s["time"].max(), GRID[-1])})
            km = sv.kaplan_meier(s, ends).set_index("end")
            cif = sv.cumulative_incidence(s, ends).set_index("end")
            for quantity, column, frame in [("km_surv", "surv", km), ("km_se", "se", km), ("km_lower", "ci_low", km),
                                            ("km_upper", "ci_high", km), ("n_risk", "n_risk", km),
                                            ("aj_cif", "cif", cif), ("aj_se", "se", cif)]:
                rows = r[(r["quantity"] == quantity) & (r["curve"] == curve)]
                for t, want in zip(rows["time"], rows["value"]):
                    got = frame.loc[frame.index[np.isclose(frame.index, t)][0], column]
                    if pd.isna(want):  # R: no limits without events, no se where S = 0; ours the same or (1, 1)
                        assert pd.isna(got) or (quantity in ("km_lower", "km_upper") and got == 1.0)
                        continue
                    assert got == pytest.approx(want, abs=1e-9), (ds, curve, quantity, t)
                    checked += 1
        for g in ("triage", "opleiding"):
            want = r[(r["quantity"] == "logrank_chisq") & (r["curve"] == g)]["value"]
            got = sv.logrank(d, g)
            if len(want) and np.isfinite(got["chi2"]):
                assert got["chi2"] == pytest.approx(want.iloc[0], rel=1e-9)
                checked += 1
            want_p = r[(r["quantity"] == "logrank_p") & (r["curve"] == g)]["value"]
            want_df = r[(r["quantity"] == "logrank_df") & (r["curve"] == g)]["value"]
            if len(want_p) and np.isfinite(got["chi2"]):  # R's pchisq(lower.tail = FALSE): tiny p keep their digits
                assert got["df"] == int(want_df.iloc[0]) and got["p_value"] == pytest.approx(want_p.iloc[0], rel=1e-8)
                checked += 1
        cox = sv.cox(d[d["triage"] != "geen"], ["triage", "opleiding"]).set_index("term")
        for quantity, column in [("cox_hr", "estimate"), ("cox_lower", "ci_low"), ("cox_upper", "ci_high"),
                                 ("cox_p", "p_value")]:
            for term, want in r[r["quantity"] == quantity][["curve", "value"]].itertuples(index=False):
                assert cox.loc[term, column] == pytest.approx(want, rel=1e-6), (ds, quantity, term)
                checked += 1
    return checked


@pytest.mark.parametrize("name", ["shipped", "n200"])
def test_estimates_agree_with_r(name):
    assert _compare_with_r(name) > 100


@pytest.mark.slow
@pytest.mark.parametrize("name", ["n1000", "n15000"])
def test_estimates_agree_with_r_at_scale(name):
    assert _compare_with_r(name) > 100


def test_without_competing_exits_the_cumulative_incidence_is_one_minus_km():
    rng = np.random.default_rng(3)
    d = pd.DataFrame({"time": rng.integers(0, 60, 80).astype(float), "status": rng.integers(0, 2, 80)})
    ends = sorted(d["time"].unique())
    km, cif = sv.kaplan_meier(d, ends), sv.cumulative_incidence(d, ends)
    assert cif["cif"].to_numpy() == pytest.approx(km["one_minus"].to_numpy(), abs=1e-14)
    defined = km["se"].notna().to_numpy()  # statsmodels leaves the se undefined where S = 0
    assert cif["se"].to_numpy()[defined] == pytest.approx(km["se"].to_numpy()[defined], abs=1e-14)  # Greenwood


def test_competing_exits_make_one_minus_km_exceed_the_cumulative_incidence(shipped):
    p, h = shipped
    d = durations(p, h, "work", "inflow")
    assert (d["status"] == 2).any()
    ends = sorted(d["time"].unique())
    km, cif = sv.kaplan_meier(d, ends), sv.cumulative_incidence(d, ends)
    assert (km["one_minus"] >= cif["cif"] - 1e-12).all() and (km["one_minus"] > cif["cif"] + 1e-6).any()


def test_coarsening_moves_times_to_their_interval_end():
    d = pd.DataFrame({"time": [0.0, 3.0, 4.0, 10.0], "status": [1, 0, 1, 1]})
    assert sv.coarsen(d, [4.0, 10.0])["time"].tolist() == [4.0, 4.0, 4.0, 10.0]
    with pytest.raises(ValueError, match="last interval"):
        sv.coarsen(d, [4.0])


def test_the_six_month_estimate_is_missing_when_six_months_is_inside_an_interval():
    d = pd.DataFrame({"time": [30.0, 100.0, 200.0, 210.0], "status": [1, 1, 1, 0]})
    curves = sv.published_curves(d, [100.0, 210.0], {"all": np.ones(4, bool)})
    row = sv.six_month_rows(curves).iloc[0]
    assert pd.isna(row["one_minus"]) and row["note"] == "six_months_inside"
    curves = sv.published_curves(d, [100.0, sv.SIX_MONTHS, 210.0], {"all": np.ones(4, bool)})
    row = sv.six_month_rows(curves).iloc[0]
    assert row["one_minus"] == pytest.approx(0.5) and row["report_share"] == 0.7


def test_cox_says_when_a_level_has_no_events():
    d = pd.DataFrame({"time": [1.0, 2, 3, 4, 5, 6], "status": [1, 1, 0, 0, 1, 0],
                      "g": ["a", "a", "b", "b", "a", "b"]})
    out = sv.cox(d, ["g"])
    assert out["estimate"].isna().all() and out["note"].iloc[0].startswith("undefined")


def test_the_generalised_log_rank_is_statsmodels_where_the_variance_is_regular(shipped):
    from statsmodels.duration.survfunc import survdiff

    p, h = shipped
    d = durations(p, h, "work_or_education", "start")
    event = (d["status"] == 1).astype(int).to_numpy()
    for g in ("triage", "opleiding"):
        chi2, df = sv.logrank_generalised(d["time"], event, d[g])
        assert chi2 == pytest.approx(survdiff(d["time"].to_numpy(), event, d[g].to_numpy())[0], rel=1e-12)
        assert df == d[g].nunique() - 1
