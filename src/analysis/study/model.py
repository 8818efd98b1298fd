"""What a study is, once its file has been validated: a frozen :class:`Study`.

Statuses carry a *kind* that says what the analysis does with them (the words and codes
are the study's own): ``work`` and ``work_and_education`` are outflow into work,
``education`` started an education programme, ``in_progress`` is still in the trajectory,
``old_employer`` stayed with (or returned to) the dismissing employer, ``stopped`` left the
programme, ``not_started`` never started. Staying in the pilot is work, work and education,
education or in progress, as the first shipped study's report counts its 25 of 30.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

STATUS_KINDS = ("work", "work_and_education", "education", "in_progress", "old_employer", "stopped",
                "not_started")
WORK_KINDS = ("work", "work_and_education")
STAYED_KINDS = ("work", "work_and_education", "education", "in_progress")
FINAL_KINDS = ("work", "work_and_education", "old_employer", "stopped", "not_started")
MOVER_KINDS = ("in_progress", "education")  # may move into work between the snapshot dates


# How many months after ``dates.follow_up_end`` a dated record may have (the study key
# ``dates.late_records_months``; docs/new-pilot.md): a registration runs on a little; a much later
# date is a mistyped year (2042 for 2024). At most five years: a pilot's records are not kept longer.
LATE_RECORDS_MONTHS = 12
LATE_RECORDS_RANGE = (0, 60)


def latest_record(follow_up_end: date, months: int = LATE_RECORDS_MONTHS) -> date:
    """The last date a dated record (status change, service) of a study may have: ``months``
    calendar months after its ``follow_up_end`` (by default a year). A day the month lacks
    gives its last day (29 February and 12 months: 28 February of the next year)."""
    total = follow_up_end.month - 1 + months
    year, month = follow_up_end.year + total // 12, total % 12 + 1
    last_day = (date(year + month // 12, month % 12 + 1, 1) - date.resolution).day
    return date(year, month, min(follow_up_end.day, last_day))


@dataclass(frozen=True)
class Study:
    """One pilot. Tuples keep the file's order (the order of the figures' categories);
    ``labels`` maps every code of the study to its (Dutch, English) label."""

    id: str
    source: str  # the file it was read from (for messages)
    name: tuple[str, str]
    short_name: tuple[str, str]  # in a page's title (the name when the file gives none)
    report: str | None  # the report's reference; None: no report (yet)
    citation: dict | None = field(hash=False)  # authors, title, note: the landing page's source line
    region: str
    municipality: str | None
    employers: tuple[str, ...]
    case_manager_orgs: tuple[str, ...]
    pilot_start: date
    inflow_end: date
    pilot_end: date
    follow_up_end: date
    snapshots: tuple[str, str]  # ISO dates of the participant file's two status columns
    statuses: tuple[str, ...]
    status_kinds: dict = field(hash=False)  # code -> kind
    outflow_can_end: bool
    services: tuple[str, ...]
    sectors: tuple[str, ...]
    same_sector: tuple[str, ...]
    functions_operational: tuple[str, ...]
    functions_staff: tuple[str, ...]
    contracts: tuple[str, ...]
    found_via: tuple[str, ...]
    stop_reasons: tuple[str, ...]
    triage_paths: tuple[int, ...]
    published_facts: str | None  # a document of the report's facts; None: no checks against a report
    published_rates: tuple = field(hash=False)  # the report's uptake rates (source, cutoff, wording, ...)
    facts: object = field(hash=False)  # analysis.study.facts.Facts: the report's facts as checks; None: none
    synthetic: dict = field(hash=False)  # data/raw files of its synthetic data, seed, size
    labels: dict = field(hash=False)  # code -> (nl, en)
    exhibits: object = field(default=None, hash=False)  # analysis.study.exhibits.Exhibits; None: none declared
    late_records_months: int = LATE_RECORDS_MONTHS  # dates.late_records_months: see latest_record
    # the participant file's columns filled only after outflow / only for who started (``outcome_linked``)
    after_outflow: tuple[str, ...] = ()
    started_only: tuple[str, ...] = ()
    # how a status may change between the two snapshot dates (``follow_up_moves``): "any" (but never
    # from an outflow, which is final), or "into_work" (only from in progress or education into work:
    # a report's administration that records nothing else during the follow-up)
    follow_up_moves: str = "any"

    def of_kind(self, *kinds: str) -> tuple[str, ...]:
        """The study's status codes of the given kinds, in the study's order."""
        return tuple(s for s in self.statuses if self.status_kinds[s] in kinds)

    @property
    def work_statuses(self) -> tuple[str, ...]:
        return self.of_kind(*WORK_KINDS)

    @property
    def stayed_statuses(self) -> tuple[str, ...]:
        return self.of_kind(*STAYED_KINDS)

    @property
    def final_statuses(self) -> tuple[str, ...]:
        """Statuses no other status may follow: every outflow, except that work may end
        (re-entry) where the study allows it."""
        kinds = tuple(k for k in FINAL_KINDS if not (self.outflow_can_end and k in WORK_KINDS))
        return self.of_kind(*kinds)

    @property
    def mover_statuses(self) -> tuple[str, ...]:
        """Statuses from which a person may move into work between the snapshot dates
        (in progress first, then education)."""
        return tuple(s for kind in MOVER_KINDS for s in self.of_kind(kind))

    @property
    def outcome_linked(self) -> frozenset[str]:
        """The participant file's columns whose values tell the outcome for some persons: filled
        only after outflow or only for who started (the study file's ``outcome_linked``)."""
        return frozenset(self.after_outflow + self.started_only)

    @property
    def functions(self) -> tuple[str, ...]:
        return self.functions_operational + self.functions_staff

    def label(self, code: object, lang: str = "nl") -> str | None:
        """The study's label of ``code`` in ``lang`` (``nl`` or ``en``); None when the
        study does not label it."""
        pair = self.labels.get(str(code))
        return None if pair is None else pair[("nl", "en").index(lang)]

    def text(self, lang: str = "nl") -> str:
        """The study's name in ``lang``."""
        return self.name[("nl", "en").index(lang)]
