"""The landing page names a run's study also when its study file lies outside the project:
the state keeps only the study's id (intruder round 12: a study file in the private folder
made the landing page fail after the runs' files had been moved into the published folder,
half a publication)."""

from __future__ import annotations

from analysis.pipeline.site import studies_named


def test_a_study_known_only_by_its_id_is_named_by_it():
    state = {"02_pilot_participants-mine": {"notebook": "02_pilot_participants.ipynb",
                                            "parameters": {"study": "mijn_herstelde_studie"}},
             "02_pilot_participants": {"notebook": "02_pilot_participants.ipynb", "parameters": {}}}
    for lang in ("nl", "en"):
        named = studies_named(state, lang)
        assert "mijn_herstelde_studie" in named
        assert "catering" in named.lower() or "horeca" in named.lower()  # the shipped study by its name
