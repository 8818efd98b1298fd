"""The run context of a pilot notebook: one set-up call, and every published number through
one release.

``run = setup("02_pilot_participants", globals())`` reads the notebook's papermill
parameters (every name its ``parameters`` cell declares, so none is copied by hand),
loads and validates the participant file and its status history, decides which cut-off
dates are protected together (the run's own, the ``joint_cutoffs`` the runner passes for
the whole invocation, and, on real data, every date an earlier release published), and
returns a :class:`Run`. A notebook then publishes only through it:

- ``run.figure_tables()``: Figures 7-13 of the report and the published-versus-pipeline
  table, protected jointly across dates;
- ``run.crosstab("geslacht", "status")``: any other count table of the release's variables,
  protected together with everything released before it;
- ``run.model_release(...)``: the gate of the outcome models (notebook 03);
- ``run.table(df, name)``, ``run.figure(fig, name, data=table)``, ``run.show(df, caption)``:
  write and show; on real data they refuse anything the release did not make;
- ``run.finish()``: attacks the whole release once more, writes the output checker's bundle
  (never published) and, on real data, records the release in the ledger.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import math
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis import ledger, paths, synthetic_seal
from analysis.pilot import outcomes, schema as ps, tables as pilot_tables
from analysis.pipeline.export import ReportOutputs, is_synthetic
from analysis.pipeline.parameter_rules import value_problem
from analysis.pipeline.runs import as_list, declared_parameters
from analysis.presentation import (
    model_exhibits,
    model_findings,
    model_texts,
    page_texts,
    pilot_findings,
    plots,
    survival_findings,
    survival_texts,
    titles,
)
from analysis.presentation.labels import LABELS, label
from analysis.presentation.styling import show, styled, use_report_tables
from analysis.private_data import keyed_hash
from analysis.release import (
    audit,
    checking,
    crosstab as xt,
    figure_check,
    joint_once,
    loading,
    sentences,
    survival as release_survival,
)
from analysis.stats import disclosure, models, power, released
from analysis.stats.survival import settings_digest
from analysis.study import DEFAULT_STUDY

STUDY = DEFAULT_STUDY  # the study whose file the pilot notebooks read by default
NOTEBOOK_IDS = {"02_pilot_participants": "02", "03_outcome_models": "03", "04_time_to_work": "04"}

# how a refusal's "withdrawn" is acted on (analysis.ledger_records)
WITHDRAW = (" (`python -m analysis releases` lists the recorded releases; `--withdraw N --reason ...` withdraws one "
            "that never left this machine)")


@dataclass
class Run:
    notebook: str
    parameters: dict[str, Any]
    participants: pd.DataFrame
    out: ReportOutputs
    cutoffs: list[str]
    tag: str
    study: str = STUDY
    entries: list = field(default_factory=list)  # the ledger's related earlier releases (real data only)
    input_files: dict = field(default_factory=dict)  # role -> path
    _figures: tuple | None = None
    _model: Any = None
    _scope: dict = field(default_factory=lambda: {"02": "02", "03": "03", "04": "04"})
    history: Any = None  # the status history (None: the snapshot columns only)
    people: tuple = ()  # the ledger's sketch of the participants (real data only)
    _survival: Any = None
    _published: set = field(default_factory=set)  # numbers of released tables shown or written
    _percentages: set = field(default_factory=set)  # their shares as a view writes them in whole percent
    _requests: list = field(default_factory=list)  # the evaluator's exception requests (checker's bundle)
    _finished: bool = False  # run.finish() has checked and recorded the release: no new cells after it
    _crosstabs: dict = field(default_factory=dict)  # (index, columns, name) -> the released crosstab
    _derived: dict = field(default_factory=dict)  # counts of derived tables no cell published (for the ledger)

    def _content_problem(self, df, caption: str | None = None) -> str | None:
        """A column the release did not produce (a statistic added by hand), or a whole number
        in a released table (its values, its labels and a caption) that nothing released
        published (a count written into it by hand), or None."""
        if released.added_columns(df):  # the message names no column (a label may hold a number)
            return ("not shown: this released table has a column the release did not produce (a statistic of a group "
                    "added by hand: a mean or share of a group whose count is withheld is that group's own value); "
                    "show the table as the release made it, and count persons with run.crosstab(...)")
        written = {v for _, v, _ in sentences.numbers(str(caption or ""), self.language, levels=level_names())}
        whole = {v for v in _table_numbers(df, self.language) | written if v == int(v)}
        known = self._sayable()
        if whole - known - _whole_percentages(known) - self._percentages - released.marked_numbers(df):
            # the message takes the table's place on the page: it names no number (the ninth intruder's
            # typed-in cell came back in it)
            return ("not shown: this released table holds a whole number the release did not publish (a cell "
                    "written by hand?); show the table as the release made it")
        return None

    # -- what the run is ----------------------------------------------------------------
    @property
    def language(self) -> str:
        return str(self.parameters.get("language", "nl"))

    @property
    def threshold(self) -> int:
        return int(self.out.min_cell_count or 10)

    @property
    def cutoff(self) -> str:
        return str(self.parameters.get("cutoff_date"))

    @property
    def synthetic(self) -> bool:
        return not self.out.private

    @property
    def has_published_facts(self) -> bool:
        """Whether the study's report publishes facts to check against (its study file)."""
        return ps.STUDY.published_facts is not None

    @functools.cached_property
    def files_id(self) -> str:
        """The keyed hashes of the run's input files, once per run (each call read and hashed
        every input file again): a synthetic run's identity, and each release's checker folder."""
        return ";".join(keyed_hash(p) for _, p in sorted(self.input_files.items()))

    @functools.cached_property
    def inputs_id(self) -> str:
        """The data's identity in the private ledger: the keyed hash of every input, without
        the release's context (never published), so releases of one file are recognised.
        Once per run (each call read and hashed every input file again). On real data the data's
        own identity (:func:`analysis.ledger.data_id`: the same people and records in other bytes
        are the same data)."""
        if self.synthetic:
            return self.files_id
        columns = [c for c in ps.PARTICIPANTS.column_names if c in self.participants.columns]
        return ledger.data_id(self.participants[columns], self.history)

    def name(self, stem: str) -> str:
        """An output name: ``stem`` and the run's tag (cut-off, language, threshold, ...)."""
        return f"{stem}_{self.tag}"

    # -- the release --------------------------------------------------------------------
    def figure_tables(self) -> tuple[dict, pd.DataFrame]:
        """Figures 7-13 at the run's cut-off date (name -> table with totals, withheld cells
        ``<NA>``) and the published-versus-pipeline table."""
        if self._figures is None:
            self._refuse_after_finish("run.figure_tables")
            by_date, comparison, r = joint_once.joint_figure_tables(self, self._prior("02"))  # once per report run
            self._refuse_differencing("02", r)  # before anything is written
            self._figures = (by_date, comparison, r)
            for table in [*by_date[self.cutoff].values(), comparison]:  # the release's own numbers
                if table is not None:
                    self._published |= sentences.numbers_of(table, texts=False)
        by_date, comparison, _ = self._figures
        return by_date[self.cutoff], comparison

    @property
    def release(self):
        """The run's joint release (:class:`analysis.stats.output_gate.Release`)."""
        if self._figures is None:
            self.figure_tables()
        return self._figures[2]

    def crosstab(self, index: str, columns: str | None = None, name: str | None = None) -> pd.DataFrame:
        """Persons by ``index`` (and ``columns``), with totals, protected together with every
        table released before; ``status`` is the status on the run's cut-off date. Any
        column of the participant file (``geslacht``, ...) or of the release (``opleiding``,
        ``leeftijd`` in Figuur 7's age groups, ``triage``, ``sector``) may be used."""
        key = (index, columns, name)
        if key in self._crosstabs:  # the same table again (a findings cell after finish): as released
            return self._crosstabs[key].copy()
        self._refuse_after_finish("run.crosstab")
        frame = self.release_frame()
        names = {"status": pilot_tables.status_var(self.cutoff)}
        rows, cols = names.get(index, index), names.get(columns, columns) if columns else None
        for var in (rows, cols):
            if var is not None and var not in frame.columns:
                raise KeyError(f"crosstab: {var!r} is not a column of the participant file or the release")
            if var is not None and var not in _coded(frame, var):
                raise released.UnreleasedOutput(
                    f"crosstab: {var!r} is not a coded variable (a category of the codebook, a yes/no or a variable "
                    "of the release); its values (dates, ids, numbers) would each be an individual fact. Group it "
                    "into codes first (e.g. ages: leeftijd, years of service: dienstjaren).")
        for var in (rows, cols):
            self._refuse_shadow(frame, var)
        self._refuse_model_links(index, columns)
        name = name or "_".join(filter(None, (index, columns)))
        if "status" in (index, columns):
            table = self._status_crosstabs(frame, index, columns, name)
        elif linked := [v for v in (rows, cols) if v in ps.STUDY.outcome_linked]:
            table = self._outcome_linked_crosstab(frame, rows, cols, name, linked)
        else:
            table = xt.protected_crosstab(self.release, frame, rows, cols, name,
                                          prior=lambda keys: self._prior_by_meaning("02", keys))
        table = table.rename_axis(index=index, columns=columns) if columns else table.rename_axis(index)
        self._crosstabs[key] = table
        return table.copy()

    def _status_crosstabs(self, frame: pd.DataFrame, index: str, columns: str | None, name: str):
        """A crosstab by status, released at every published cut-off date in one block (the
        invocation's runs of notebook 02 each publish it at their own date; with a final
        status never changing, two dates' tables pin what each alone does not: found by the
        seventh intruder). Every run makes the same decisions; this run's date is returned."""
        dates = pilot_tables.joint_cutoffs(self.cutoffs)

        def at(var, date):
            return pilot_tables.status_var(date) if var == "status" else var

        tables = [(at(index, d), at(columns, d) if columns else None, f"{name}@{d}")  # the same names in every run
                  for d in dates]
        released_tables = xt.protected_crosstabs(self.release, frame, tables,
                                                 prior=lambda keys: self._prior_by_meaning("02", keys),
                                                 allowed=pilot_tables.transitions_allowed)
        return released_tables[dates.index(self.cutoff)]

    def _outcome_linked_crosstab(self, frame: pd.DataFrame, rows: str, cols: str | None, name: str, linked):
        """A crosstab of a column recorded only for some outcomes (the study's
        ``outcome_linked``: a new contract only for who is in work), released in one joint
        table with the status at every published date, whose combinations the pattern of
        recording (:func:`analysis.release.crosstab.recorded_by_status`) and the codebook's
        transitions restrict: beside a table by status, its "onbekend" is "not in work", and
        the gate sees the two as the intruder does (attack 23 pinned a withheld 3)."""
        statuses = [pilot_tables.status_var(d) for d in pilot_tables.joint_cutoffs(self.cutoffs)]
        pattern = xt.pattern_allowed(xt.recorded_by_status(frame, linked, statuses, ps.UNKNOWN))

        def allowed(atoms: pd.DataFrame) -> pd.Series:
            return pilot_tables.transitions_allowed(atoms) & pattern(atoms)
        return xt.protected_crosstabs(self.release, frame, [(rows, cols, name)],
                                      prior=lambda keys: self._prior_by_meaning("02", keys), allowed=allowed,
                                      latent=statuses)[0]

    def _refuse_shadow(self, frame: pd.DataFrame, var: str | None) -> None:
        """Refuse a column of the file that holds what a variable of the release holds (its
        values determine the release variable's, or the other way round, e.g. the raw
        ``status_20210416``, ``sector_nieuw`` or ``opleidingsniveau`` beside the release's
        status, sector and education): the gate links tables by variable, so the raw twin
        would be protected only against its own total (found by the fifth intruder: the
        movers between two dates came back as 9, 3 and 3)."""
        own = list(frame.attrs.get("release_variables", ()))
        if var is None or var in own:
            return
        if twin := next((v for v in own if _determines(frame, var, v) or _determines(frame, v, var)), None):
            raise released.UnreleasedOutput(
                f"crosstab: {var!r} holds the same information as the release's variable {twin!r} (on this file one "
                f"determines the other), which the release protects together with every table of it; count by "
                f"{'status' if twin in ('s1', 's2') else twin!r} instead.")

    def _refuse_model_links(self, index: str, columns: str | None) -> None:
        """On real data, refuse a table of a model predictor by status: notebook 03 publishes
        the outflow rates by that predictor from its own release, and the two together give
        back cells neither shows (found by the third independent intruder: triage by status
        here and the rates by triage gave a count of 7 and two zeros). Refuse a table of two
        model predictors too, in any run (a declared exhibit is a crosstab as well): the ML
        logit's score equations give their joint table among the persons modelled, and the
        table of everyone minus that one is the table of those who left (the 21st intruder:
        counts 0, 0, 0, 9 and 7 of triage by education among the leavers)."""
        predictors = set(pilot_tables.model_domains())
        if not self.synthetic and index in predictors and columns in predictors and index != columns:
            raise released.UnreleasedOutput(  # intruder round 21 (F1): with the logit's score equations
                f"crosstab: a table of {index} by {columns} is not released on real data: both are predictors of the "
                "outcome models (notebook 03), whose estimates give their joint table among the persons modelled; "
                "beside a table of everyone it gives the table of those left out (who left), in this run or a later "
                "one. Figuur 7 and the models' rates show what is released of these variables; cross one of them "
                "with a variable the models do not use.")
        if self.synthetic or not {index, columns} & predictors or not {index, columns} & self._outcome_linked():
            return
        raise released.UnreleasedOutput(
            f"crosstab: a table of {index} by {columns} is not released on real data: the outcome models "
            f"(notebook 03) publish the outflow rates by {({index, columns} & predictors).pop()}, which are not "
            "protected together with this table. Use the models' rates, or a variable the models do not use.")

    def _outcome_linked(self) -> set[str]:
        """Variables whose values tell the models' outcome for some persons: the release's
        statuses at every date, the movers, who started and the sector (a new job's sector
        means work: the sixth intruder got 10 of 10 in work from education by sector), and the
        file's columns the study declares filled only after outflow or only for who started
        (its ``outcome_linked``: new job, contract, how found, reason for stopping, case manager),
        and whether a job on a date is the follow-up date's (``j1``, ``j_<date>``, ``zelfde_baan_<date>``:
        held only by who is in work on both dates)."""
        declared = ps.STUDY.outcome_linked  # the active study (its file, validated on load)
        return {"status", "mover", "gestart", "sector", *(pilot_tables.status_var(c) for c in self.cutoffs),
                *(pilot_tables.job_var(c) for c in self.cutoffs),
                *(c for c in self.participants.columns if c in declared or c.startswith(("status_", "zelfde_baan_")))}

    def release_frame(self) -> pd.DataFrame:
        """The participants in the release's codes, with every other column of the file
        beside them (a value never recorded is ``onbekend``; a coded column has the levels
        the study declares, held or not: :func:`analysis.release.crosstab.declared_levels`)."""
        frame = pilot_tables._release_frame(self.participants, self.cutoffs)
        rest = [c for c in self.participants.columns if c not in frame.columns and c != "deelnemer_id"]
        extra = self.participants[rest].astype(object).where(self.participants[rest].notna(), ps.UNKNOWN)
        extra = xt.declared_levels(extra, {c.name: c for c in ps.PARTICIPANTS.columns}, ps.UNKNOWN)
        out = pd.concat([frame, extra], axis=1)
        out.attrs["release_variables"] = list(frame.columns)
        return out

    def model_release(self, terms, definition: str, population: str):
        """The gate of notebook 03's models, linked to notebook 02's tables of this file."""
        if self._model is None:
            self._refuse_after_finish("run.model_release")
            self._scope["03"] = f"03:{definition}:{self.cutoff}:{population}:{'+'.join(map(str, terms))}"
            self._refuse_other_analysis("03")
            by_date = self._figures[0] if self._figures else joint_once.joint_figure_tables(self, self._prior("02"))[0]
            model = pilot_tables.model_release(self.participants, terms, definition, self.cutoff, population,
                                               self.threshold, by_date, prior=self._prior("03"))
            self._refuse_differencing("03", model)
            self._refuse_linked("03", model)
            self._model = model
        return self._model

    def survival(self, by_origin, groupings, forced=()):
        """Notebook 04's curves (:mod:`analysis.release.survival`): merged intervals, and on
        real data released after the figure tables of this file, jointly with them (the curves
        linked to the statuses person by person)."""
        if self._survival is None:
            self._refuse_after_finish("run.survival")

            definitions = dict.fromkeys(d for by_def in by_origin.values() for d in by_def)
            self._scope["04"] = (f"04:{self.cutoff}:{'+'.join(definitions)}:{'+'.join(by_origin)}:"
                                 f"{'+'.join(map(str, groupings))}")
            self._refuse_other_analysis("04")
            s = release_survival.release(self, by_origin, groupings, forced, prior=self._prior("04"))
            if s.release is not None:
                if self._figures is not None and s.release is not self._figures[2]:  # the copy holding the curves
                    self._figures = (*self._figures[:2], s.release)
                self._refuse_differencing("04", s.release)
            self._survival = s
        return self._survival

    def _prior(self, notebook: str) -> dict[str, int]:
        """Cells earlier releases of this file showed (real data only)."""
        if self.synthetic:
            return {}
        scope = self._scope[notebook]
        earlier = ledger.earlier(self.entries, scope, self._identity(notebook))
        return ledger.prior_cells(earlier, self.inputs_id, self.threshold)

    def _prior_by_meaning(self, notebook: str, keys: list[str]) -> dict[str, int]:
        """Of ``keys`` (cells just added to the release, e.g. a crosstab's), those an earlier
        release of this file showed, under any name: found by what they count."""
        if self.synthetic:
            return {}
        earlier = ledger.earlier(self.entries, self._scope[notebook], self._identity(notebook))
        current = ledger.meanings(ledger.describe(self.release), keys)
        found = ledger.prior_cells(earlier, self.inputs_id, self.threshold, current)
        return {k: v for k, v in found.items() if k in current}

    def _identity(self, notebook: str) -> tuple:
        return (self.study, self.inputs_id, self._scope[notebook], self.threshold, tuple(sorted(self.cutoffs)))

    def _refuse_other_analysis(self, notebook: str) -> None:
        """Refuse a release of notebook 03 or 04 on a file whose ledger holds a release of
        another analysis of the same people by that notebook (real data only: intruder
        round 12 differenced two cut-off dates' curves, and two populations' rates)."""
        if self.synthetic:
            return
        others = ledger.other_analyses(self.entries, self._scope[notebook])
        other_notebooks = sorted({o.split(":", 1)[0] for o in others} - {notebook})
        if other_notebooks:
            raise released.UnreleasedOutput(
                f"disclosure control: notebook {' and '.join(other_notebooks)} was published earlier for this study "
                f"or these participants; notebook {notebook} of the same file is not protected together with it "
                "(their difference could reveal persons). Nothing was published. A file publishes the models "
                "(notebook 03) or the time to work (notebook 04), not both; decide with your data owner which.")
        if others:
            raise released.UnreleasedOutput(
                f"disclosure control: notebook {notebook} was published earlier for this study or these participants "
                "with "
                f"other analysis parameters ({'; '.join(o.split(':', 1)[1] for o in others)}; now "
                f"{self._scope[notebook].split(':', 1)[1]}). Two analyses of one file are not protected "
                "together, and their difference could reveal persons. Nothing was published. Keep the "
                "earlier parameters, or decide with your data owner whether the earlier release is "
                f"withdrawn{WITHDRAW}.")

    def _refuse_differencing(self, notebook: str, r, structure: dict | None = None) -> None:
        """Refuse, before anything is written, a release of another file of the study that a
        recorded release would be differenced with (real data only)."""
        if self.synthetic:
            return
        cells = {**r.shown_cells(), **self._derived}
        withheld = {k: int(c.value) for k, c in r.cells.items() if not c.shown}
        others = ledger.earlier(self.entries, self._scope[notebook], ())
        if any(e.structure for e in others):
            current = ledger.meanings(structure or ledger.describe(r), {**cells, **withheld})
        else:
            current = None
        clash = ledger.differences(others, self.inputs_id, cells, self.threshold, current, withheld,
                                     zeros=bool(r.zeros_disclosive))
        if clash:
            raise released.UnreleasedOutput(
                f"disclosure control: {len(clash)} published count(s) ({', '.join(sorted(clash)[:5])}"
                f"{', ...' if len(clash) > 5 else ''}) would differ by fewer than {self.threshold} "
                "persons from a recorded release of another file of this study, or stay the same where other "
                "counts of their table changed; publishing both would reveal the persons whose records changed. "
                "Nothing was published. Decide with your data owner "
                f"whether the earlier release is withdrawn or the correction waits{WITHDRAW}.")

    def _refuse_linked(self, notebook: str, r, structure: dict | None = None, pending: list = ()) -> None:
        """Refuse, before anything is written, a release that a recorded release of the same file
        by another notebook (or another analysis) completes into a leak: its cells written over
        the other's finest atoms and attacked jointly (:func:`analysis.release.audit.new_leaks`;
        a ledger written before crosstabs of two model predictors were refused holds notebook 02's
        triage by education, which beside notebook 03's models gives who left: round 21, F1).
        Real data only; the message names cells, never their counts. ``pending``: the (related)
        releases earlier runs of this invocation recorded, not yet in the ledger."""
        entries = [*self.entries, *pending]
        if self.synthetic or not entries:
            return
        candidate = ledger.Entry(self.study, self.inputs_id, self._scope[notebook], self.threshold,
                                 tuple(self.cutoffs), r.shown_cells(), structure or ledger.describe(r), self.people,
                                 derived=dict(self._derived))
        if leaks := audit.new_leaks(entries, candidate):
            structures = [candidate.structure, *(e.structure for e in entries)]
            cells = sorted({audit.named_atoms(re.sub(r" \(.*\)$", "", x.split(": ")[-1]), structures)
                            for x in leaks})  # no count, no bound
            raise released.UnreleasedOutput(
                "disclosure control: a release recorded earlier of this file, or of a file of nearly the same "
                "people whose shown counts agree with it (the ledger or this invocation: "
                f"{', '.join(sorted({e.notebook.split(':', 1)[0] for e in entries}))}), and notebook "
                f"{notebook}'s release together bound counts below {self.threshold} persons "
                f"({', '.join(cells[:3])}); each was protected alone. Nothing was published. Leave out the table "
                f"that closes the cycle, or decide with your data owner whether the earlier release is "
                f"withdrawn{WITHDRAW}.")

    # -- writing and showing --------------------------------------------------------------
    def table(self, df, stem: str, person_counts: bool = False):
        """Write ``df`` (CSV, XLSX, provenance); a count table of the release is written with
        its withheld cells as ``x``."""
        counts = person_counts or bool(getattr(df, "attrs", {}).get("person_counts"))
        self._refuse_unpublished("run.table (file name)", stem)
        self._note_published(df)
        written = self.out.table(df, self.name(stem), person_counts=counts)
        # the output checker's record names every file a run writes, and what it was written from
        how = getattr(df, "attrs", {}).get(released.MARK) or "not marked (synthetic data)"
        self._requests.append({"output": f"tables/{written.stem}.csv, .xlsx", "outcome": "pass",
                               "rule": f"file of a table: {how}", "cells": int(getattr(df, "size", 0)),
                               "threshold": self.threshold})
        return written

    def _note_published(self, df) -> None:
        """Add a released table's numbers to what the run has published (after checking that
        no count was written into it by hand)."""
        if not self.synthetic and released.is_marked(df):
            data = getattr(df, "data", df)
            if hasattr(data, "attrs") and (problem := self._content_problem(data)):
                raise released.UnreleasedOutput(problem)
            self._published |= sentences.numbers_of(data, texts=False)
            self._percentages |= share_percentages(data)

    def _known_numbers(self) -> set[float]:
        """Numbers already public in this run: shown cells, released tables shown or
        written, the run's parameters."""
        known = set(self._published) | self._parameter_numbers() | _report_numbers()
        for r in (self.release, self._model):
            if r is not None:  # shown cells, and what the intruder is granted (population sizes, linked margins)
                known |= {float(v) for v in r.shown_cells().values()}
                known |= {float(v) for b in r.blocks.values() for _, v in b.identities}
        return known

    def _parameter_numbers(self) -> set[float]:
        """The numbers of the run's parameters as a page shows them, but not the digits in a
        file's or folder's name ("deelnemers-3.csv": a page names a private input only as such,
        so its digits are no published number; found by the eighth intruder)."""
        known = {float(self.threshold)}
        for name, value in self.parameters.items():
            if name.endswith(("_path", "_dir")) or name == "study":
                continue
            known |= sentences.numbers_of(value if isinstance(value, int | float | str) else str(value))
        return known

    def _unpublished(self, text, extra: frozenset = frozenset()) -> list[str]:
        """The numbers of ``text`` (digits, words, numerals) not already published, as
        written; none on synthetic data."""
        if self.synthetic or not text:
            return []
        named = [name for name in self._input_names() if name.lower() in str(text).lower()]
        return named + sentences.unpublished(str(text), self.language, self._sayable() | extra, _public_words(),
                                             level_names(), self._public_dates())

    def _public_dates(self) -> list[str]:
        """The dates a page may name: the run's cut-offs, its date parameters and the study's
        dates (start, inflow end, end, follow-up end, snapshots)."""
        study = ps.STUDY
        own = [v for v in self.parameters.values() if isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v)]
        return [*self.cutoffs, *own, *map(str, (study.pilot_start, study.inflow_end, study.pilot_end,
                                                  study.follow_up_end)), *study.snapshots]

    def _input_names(self) -> set[str]:
        """The names of the run's private input files (the name, and a stem that is no ordinary
        word: with a digit, an underscore or a hyphen; of 4 characters or more):
        a page never names them (found by the eighth intruder: "Bron: statushistorie_Jansen.csv"
        in a sentence; a name may carry a person's or an employer's name)."""
        names = {Path(path).name for path in self.input_files.values()}  # with its extension: no ordinary word
        names |= {Path(path).stem for path in self.input_files.values() if re.search(r"[_\-\d]", Path(path).stem)}
        return {name for name in names if len(name) >= 4}

    def _sayable(self) -> set[float]:
        """The numbers a text may name: the published ones, but a whole number below the
        threshold (a zero included) only as a parameter of the run. A small count is never
        shown, so a small number in a text matches a shown count only by chance (found by the
        seventh intruder: "stopten er 2" passed on a report's 2; 0 and 1 are known on every
        real file)."""
        k = self.threshold
        return {v for v in self._known_numbers() if v != int(v) or v >= k} | self._parameter_numbers()

    def _refuse_unpublished(self, where: str, text: str) -> None:
        """On data that are not synthetic, refuse ``text`` (a caption, a title, a file name)
        when it carries a number that is not already published."""
        if bad := self._unpublished(str(text or "").replace("_", " ").replace("-", " ")):
            raise released.UnreleasedOutput(
                f"{where}: {', '.join(bad[:5])} in {text!r} is not a published number; a caption, title or file "
                "name may only carry numbers the release has shown (show the count first, then name it).")

    def say(self, text: str) -> None:
        """Show a sentence (Markdown) on the page. On data that are not synthetic, every
        number in it must already be published (a shown count, a number of a released
        table, a parameter): a count typed in from participant rows is refused."""
        from IPython.display import Markdown, display  # IPython only where a kernel displays: tests go without

        if bad := self._unpublished(text):
            raise released.UnreleasedOutput(
                f"run.say: {', '.join(bad[:5])} in this sentence is not a published number; show counts with "
                "run.crosstab(...) and run.show/run.display first, then say them.")
        display(released.public(Markdown(text)))

    def sentence(self, key: str, **fields) -> None:
        """Show a sentence of the text catalogue (``titles.sentence``) in the page's language.
        Its template is public; on data that are not synthetic every number among
        ``fields`` must already be published (see :meth:`say`)."""
        from IPython.display import Markdown, display  # IPython only where a kernel displays: tests go without

        if not self.synthetic:
            known = self._sayable()
            if bad := [f"{name}={value}" for name, value in fields.items()
                       if any(not sentences.published(v, 12, known) for v in sentences.numbers_of(value))
                       or isinstance(value, str) and self._unpublished(value)]:
                raise released.UnreleasedOutput(
                    f"run.sentence({key!r}): {', '.join(bad[:5])} is not a published number; show counts with "
                    "run.crosstab(...) and run.show/run.display first, then say them.")
        display(released.public(Markdown(titles.sentence(key, self.language, **fields))))

    def heading(self, title: str, level: int = 3) -> None:
        """A heading (an exhibit's title) on the page."""
        self.say(f"{'#' * level} {title}")

    def derived(self, df, because: str):
        """Mark a table computed only from released numbers (a power grid from the released
        base rate and group sizes, a view of gated model rows) as released. The reason goes
        into the output checker's bundle as an exception request for the checker to review.
        On data that are not synthetic a count of ``df`` (an integer column) below the
        threshold must already be published (a table counted anew from the participant rows
        and called derived is refused); larger unpublished counts are listed in the request."""
        if self.synthetic:
            unpublished = []
        else:  # a published rate may be shown as a whole percentage (the power grid's 7 for 0.0717)
            known = self._sayable()
            shares = {r for k in known if 0 < k < 1 for r in whole_either_way(100 * k)}
            unpublished = _unpublished_counts(df, known | shares, self.language)
            self._note_derived(df, known | shares)
        if small := [v for v in unpublished if v < self.threshold]:
            raise released.UnreleasedOutput(  # names the columns, never the counts (intruder round 10: the
                # message, in the terminal and the failed notebook, listed them)
                f"run.derived: this table ({_where(df, small)}) holds a count below {self.threshold} that nothing "
                "released has published; a derived table is computed from released numbers only (count persons "
                "with run.crosstab).")
        if unpublished:
            because += f" (counts not published elsewhere: {', '.join(f'{v:g}' for v in unpublished[:10])})"
        self._published |= sentences.numbers_of(getattr(df, "data", df), texts=False)
        self._requests.append({"output": str(getattr(df, "name", None) or "derived table"), "outcome": "review",
                               "rule": "derived from released numbers", "exception": because})
        return released.mark(df)

    def _note_derived(self, df, known: set[float]) -> None:
        """Keep the counts of a derived table that nothing released published, by their place
        (``derived|<n>|row|column``, the run's n-th derived table): the ledger records them
        with the release, so that the audit compares them with every release of another file
        of the study (a count that moved by 1 to k-1 persons) as it compares shown cells."""
        n = sum(1 for r in self._requests if r.get("rule") == "derived from released numbers")
        cells = count_cells(df, self.language)
        self._derived |= {f"derived|{n}|{place}": int(v) for place, v in cells.items()
                          if v not in known and v == int(v)}

    def figure(self, fig, stem: str, data=None, title: str | None = None):
        """Write ``fig`` (PNG, SVG). With ``title``, in the house frame first: the title, the
        synthetic mark, the source and n (``data``'s shown grand total), laid out."""
        self._refuse_unpublished("run.figure (file name)", stem)
        self._refuse_unpublished("run.figure (title)", title or "")
        if not self.synthetic and data is not None and released.added_columns(data):
            raise released.UnreleasedOutput(f"run.figure {stem}: its data table has a column the release did not "
                                            "produce (a statistic added by hand); pass the table as the release "
                                            "made it (run.crosstab(...)).")
        unread = [] if self.synthetic or data is None else figure_check.unreadable_marks(fig)
        foreign = [] if self.synthetic or data is None or unread else figure_check.foreign_numbers(
            fig, data, self.language, self._parameter_numbers(), self._sayable(), _public_words(), level_names(),
            self._public_dates())
        if unread or foreign:
            import matplotlib.pyplot as plt  # pyplot picks its backend when imported: inside the kernel, on use

            plt.close(fig)  # refused: not left open for the inline backend to show at the end of the cell
        if unread:  # an allow-list (intruder round 21): a rug, a step patch, one marker per person
            raise released.UnreleasedOutput(
                f"run.figure {stem}: the figure holds marks the release cannot read back ({'; '.join(unread[:3])}); "
                "count with run.crosstab(...) and draw that released table as bars, lines of its values or text "
                "(e.g. sns.barplot(data=table.stack()...)), passing it as data.")
        if foreign:
            raise released.UnreleasedOutput(
                f"run.figure {stem}: the figure shows numbers its data table does not hold ({', '.join(foreign[:4])}); "
                "draw it from the released table you pass as data (e.g. sns.barplot(data=table.stack()...)), not "
                "from the participant rows.")
        if title is not None:
            source = titles.source("pilot_synthetic" if self.synthetic else "pilot", self.language)
            fig = plots.finish(fig, title, self.language, source, self._shown_total(data),
                               label("synthetisch", self.language) if self.synthetic else None)
        return self.out.figure(fig, self.name(stem), data=data)

    def _shown_total(self, data) -> int | None:
        try:
            n = data.loc[xt.TOTAL, xt.TOTAL] if isinstance(data, pd.DataFrame) else data.get(xt.TOTAL)
        except (KeyError, AttributeError):
            return None
        return None if n is None or pd.isna(n) or n < self.threshold else int(n)

    def labelled(self, df: pd.DataFrame) -> pd.DataFrame:
        """``df`` with its codes (the text values; column names stay) in the page's language."""
        out = df.copy()
        for col in out.columns:
            if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
                out[col] = out[col].map(lambda v: label(v, self.language))
        return out

    def show(self, df, caption_key: str, **fields) -> None:
        for name, value in fields.items():
            self._refuse_unpublished(f"run.show ({caption_key}: {name})", str(value))
        self._note_published(df)
        show(df, caption_key, self.language, **fields)

    def display(self, df, caption: str | None = None) -> None:
        """Show a table formatted in the page's language, with a caption of your own."""
        from IPython.display import display  # IPython only where a kernel displays: tests go without

        self._note_published(df)
        self._refuse_unpublished("run.display (caption)", caption or "")
        display(styled(df, self.language, caption))

    def public(self, df):
        """Mark a table that holds no participant data (a legend, a list of methods): text
        only (see :func:`public_table`), and none of its columns a column of the participant
        file (rows of the file are records of persons); its texts' numbers may then be said."""
        frame = df.to_frame() if isinstance(df, pd.Series) else df
        named = [c for c in [*frame.columns, *frame.index.names] if c in self.participants.columns]
        if named:
            raise released.UnreleasedOutput(
                f"run.public: this table has columns of the participant file ({', '.join(map(str, named[:3]))}): "
                "rows of the file are records of persons. Count them with run.crosstab.")
        positions = frame.index.name is None and pd.api.types.is_integer_dtype(frame.index)  # row numbers, not data
        index = [] if positions else list(frame.index)
        texts = " ; ".join(map(str, [*frame.to_numpy().ravel(), *index, *frame.columns]))
        if bad := self._unpublished(texts, _public_digits() | released.marked_numbers(frame)):
            where = next((t for t in texts.split(" ; ") if bad[0] in t), "")[:120]
            raise released.UnreleasedOutput(
                f"run.public: {', '.join(bad[:5])} in this table (e.g. in {where!r}) is not a published number nor a "
                "number of the project's texts; a table without participant data names no count of persons.")
        marked = public_table(df)
        self._published |= sentences.numbers_of(marked)
        return marked

    # -- the end of the run ---------------------------------------------------------------
    def _refuse_after_finish(self, what: str) -> None:
        """New cells after :meth:`finish` would be neither attacked again nor recorded in the
        ledger (found by the seventh intruder: a crosstab in a cell after ``run.finish()``
        was published, and a corrected file's version of it was never compared)."""
        if self._finished:
            raise released.UnreleasedOutput(
                f"{what} after run.finish(): the release was checked once more and recorded when the run finished; "
                "a table counted after it would be neither. Move this cell above the run.finish() cell.")

    def finish(self) -> None:
        """Attack the release once more, write the output checker's bundle (private folder)
        and, on real data, record the release in the ledger (refused when a release of
        another file of the study would be differenced with it). Counting anything new
        after it is refused; sentences and displays of what was released may follow."""
        self._finished = True
        parts = [("02", self._figures[2] if self._figures else None), ("03", self._model)]
        log = list(self._survival.log) if self._survival is not None else []
        if self._survival is not None:  # notebook 04: the figure tables and the curves, one release
            parts = [("04", self._survival.release)]
        # the invocation's other runs (real data only: a synthetic run makes no private folder)
        with contextlib.nullcontext([]) if self.synthetic else ledger.pending_records() as pending:
            others = ledger.related(pending, self.study, self.people)
            for notebook, r in parts:
                if r is None:
                    continue
                r.check()
                log += r.log
                if not self.synthetic:  # again: crosstabs added cells after the figure tables were checked
                    structure = ledger.describe(r)  # the intruder's programme: compared, then recorded
                    self._refuse_differencing(notebook, r, structure)
                    self._refuse_linked(notebook, r, structure, others)
                    self._record(notebook, r, structure)
        checking.write_bundle(log + self._requests, self.bundle_name())

    def bundle_name(self) -> str:
        """The checker's folder of this release: the run's tag, and the data's identity (a
        digest of the keyed hashes of its inputs) or ``synthetic``, so that a synthetic run of
        the same tag, or another file, never overwrites a release's material (hostile round 5)."""
        data = "synthetic" if self.synthetic else hashlib.sha256(self.files_id.encode()).hexdigest()[:12]
        return f"{self.notebook}_{self.tag}-{data}"

    def _record(self, notebook: str, r, structure: dict) -> None:
        cells = r.shown_cells()
        ledger.record(ledger.Entry(self.study, self.inputs_id, self._scope[notebook], self.threshold,
                                   tuple(self.cutoffs), cells, structure, self.people, ledger.key_fingerprint(),
                                   dict(self._derived)))


_SCIENTIFIC = re.compile(r"\d+(?:[.,]\d+)?[eE][-+]?\d+")  # "8,3e-105": a p-value as the pages write it


def _table_numbers(df, language: str) -> set[float]:
    """The numbers a table shows: its values and the numbers in its labels as the page's
    language writes them ("0,1055" is no 1055 on a Dutch page), but not a default row or
    column numbering (0, 1, 2, ...: positions, not data), and the digits inside its text
    values (read as :func:`analysis.stats.released.whole_numbers` reads them when the release
    marks a table, so a text the stats modules wrote passes and a count typed in after does not)."""
    frame = df.to_frame() if isinstance(df, pd.Series) else df
    if not isinstance(frame, pd.DataFrame):
        return sentences.numbers_of(df, texts=False)

    levels = level_names()

    def in_text(x) -> set[float]:
        return {v for _, v, _ in sentences.numbers(str(x), language, levels=levels)}

    found = sentences.numbers_of(frame, texts=False)
    texts = pd.Series(frame.to_numpy().ravel(), dtype=object)
    for text in texts[texts.map(lambda v: isinstance(v, str))].unique():  # whole numbers, not a p-value's exponent
        found |= {v for _, v, d in sentences.numbers(_SCIENTIFIC.sub(" ", text), language, levels=levels) if d == 0}
    for labels in (frame.index, frame.columns):
        if not isinstance(labels, pd.RangeIndex):
            found |= {v for x in labels.to_flat_index() for part in (x if isinstance(x, tuple) else (x,))
                      for v in _label_numbers(part, in_text)}
    return found


def _label_numbers(part, in_text) -> set[float]:
    """The numbers of one level of a label: a number as itself (a step's end of 182.625 days
    was read as the text "182.625", 182625 on a Dutch page: intruder round 9), text as written."""
    if isinstance(part, int | float | np.integer | np.floating) and not isinstance(part, bool | np.bool_):
        return {float(part)} if np.isfinite(float(part)) else set()
    return in_text(part)


def _unpublished_counts(df, known: set[float], language: str = "nl") -> list[float]:
    """The counts of ``df`` (:func:`count_cells`) that are not already published."""
    return sorted(set(count_cells(df, language).values()) - known)


def count_cells(df, language: str = "nl") -> dict[str, float]:
    """The counts of ``df`` by place (``row|column``, and ``#i`` for the i-th number of a
    text): the values of its integer columns and of its float columns that hold whole
    numbers only (counts stored as floats), and the whole numbers written in its text cells
    ("3 van 12"; not percentages)."""
    frame = getattr(df, "data", df)
    frame = frame.to_frame() if isinstance(frame, pd.Series) else frame
    if not isinstance(frame, pd.DataFrame):
        return {}
    found: dict[str, float] = {}
    levels = level_names()
    for name, column in frame.items():
        values = column.dropna()
        if pd.api.types.is_bool_dtype(column):
            continue
        if pd.api.types.is_float_dtype(column):
            values = values[np.isfinite(values.to_numpy(dtype=float))]
            values = values if len(values) and (values % 1 == 0).all() else values.iloc[:0]
        if pd.api.types.is_numeric_dtype(column):
            found |= {f"{row}|{name}": float(v) for row, v in values.items()}
            continue
        phrases = _public_words()  # a method's note ("power stays below 0.8 at every odds ratio above 1")
        for row, text in values.astype(str).items():
            whole = [v for _, v, d, pct in sentences.numbers(sentences.without_phrases(text, phrases), language,
                                                              True, levels) if d == 0 and not pct]
            found |= {f"{row}|{name}|#{i}": v for i, v in enumerate(whole)}
    return found


def _whole_percentages(known: set[float]) -> set[float]:
    """The published fractions and rates as a page rounds them to whole numbers or percentages
    (a half either way: Python rounds it to even, a page up)."""
    return {g for k in known if np.isfinite(k) and k != int(k) for f in (k, 100 * k) for g in whole_either_way(f)}


def whole_either_way(x: float) -> tuple[float, float]:
    """``x`` rounded to a whole number as Python rounds a half (to even) and as a page does (up)."""
    return float(round(x)), float(math.floor(x + 0.5))


def share_percentages(df) -> set[float]:
    """The shares of a released table (its float columns whose values all lie in 0-1: an
    estimate, a rate) in whole percent, 0 and 100 included: a view of the table writes
    "100%" for a share of 1.0, which :func:`_whole_percentages` leaves out because a 1 is
    also a count (notebook 04's six-month view failed on a real file where a curve reached
    1.0: intruder round 10). Only a table's own view may use them, not a sentence."""
    frame = df.to_frame() if isinstance(df, pd.Series) else df
    out: set[float] = set()
    for _, column in (frame.items() if isinstance(frame, pd.DataFrame) else ()):
        if not pd.api.types.is_float_dtype(column):
            continue
        values = column.to_numpy(dtype=float)
        values = values[np.isfinite(values)]
        if len(values) and ((values >= 0) & (values <= 1)).all():
            out |= {g for v in np.unique(values) for g in whole_either_way(100 * v)}
    return out


def _where(df, values) -> str:
    """The columns of ``df`` in which ``values`` stand (as numbers or inside text), for a message."""
    frame = getattr(df, "data", df)
    frame = frame.to_frame() if isinstance(frame, pd.Series) else frame
    if not isinstance(frame, pd.DataFrame):
        return "its values"
    wanted = {float(v) for v in values}
    columns = [str(name) for name, column in frame.items()
               if wanted & sentences.numbers_of(column.dropna().to_frame(), texts=column.dtype == object)]
    return "column " + ", ".join(columns[:3]) if columns else "its labels"


def level_names() -> dict[str, frozenset]:
    """The participant file's categorical variables with numbered levels (the triage path:
    1, 2, 3), under their code and their labels in both languages (lower case): a number
    right after one of these names that is one of its levels names the level, not a count
    (:func:`analysis.release.sentences.level_name`). Read from the active study's codebook."""
    out = {}
    for column in ps.PARTICIPANTS.columns:
        if column.kind == "category" and column.allowed and all(isinstance(v, int) for v in column.allowed):
            levels = frozenset(float(v) for v in column.allowed)
            out |= {name.lower(): levels for name in (column.name, label(column.name, "nl"), label(column.name, "en"))}
    return out


def _report_numbers() -> set[float]:
    """The numbers the active study's report prints (its facts file): public knowledge."""
    facts = ps.STUDY.facts
    return {float(r.published) for r in (facts.comparison if facts is not None else ())
            if isinstance(r.published, int | float)}


def _catalogues() -> tuple:
    """The project's text catalogues (public texts: titles, sentences, legends, labels)."""
    return (titles.SENTENCES, titles.CAPTIONS, titles.TITLES, model_texts.PHRASES, survival_texts.TEXTS,
            survival_texts.HEADERS, survival_texts.TESTS_EXPLAINED, survival_texts.SINGULAR_EXPLAINED,
            model_texts.TWO_CATEGORIES, page_texts.TEXT, LABELS, models.COLUMN_MEANINGS, power.COLUMN_MEANINGS,
            model_findings.TEXT, pilot_findings.TEXT, survival_findings.TEXT, model_exhibits.TABLES)


@functools.cache
def _public_words() -> frozenset[str]:
    """The pieces of the project's text catalogues that hold a number word: a page's template
    says "one or two persons decide the estimate" of a method, not of the run's persons.
    Phrases, not words: exempting the words ("twee", "niemand") let any sentence say them
    (found by the seventh intruder)."""
    return sentences.catalogue_phrases(*_catalogues())


@functools.cache
def _public_digits() -> frozenset[float]:
    """Numbers written in digits in the project's text catalogues ("95% interval")."""
    return sentences.catalogue_words(*_catalogues(), digits=True)


def _determines(frame: pd.DataFrame, a: str, b: str) -> bool:
    """Whether on ``frame`` every value of column ``a`` goes with one value of ``b``."""
    pair = frame[[a, b]].astype(str)
    return bool((pair.groupby(a)[b].nunique() <= 1).all())


def _coded(frame: pd.DataFrame, var: str) -> set[str]:
    """The columns of ``frame`` (:meth:`Run.release_frame`) a crosstab may count by: the
    release's variables and the participant file's categories and yes/no columns."""
    kinds = {c.name: c.kind for c in ps.PARTICIPANTS.columns}
    own = set(frame.attrs.get("release_variables", ()))
    return {c for c in frame.columns if c in own or kinds.get(c) in ("category", "bool")}


def public_table(df):
    """``df`` marked as holding no participant data: a table of text (a legend, a list of
    methods). A table with numbers is refused (count persons with ``run.crosstab``)."""
    frame = df.to_frame() if isinstance(df, pd.Series) else df
    numbers = [c for c in frame.columns if (pd.api.types.is_numeric_dtype(frame[c])
               and not pd.api.types.is_bool_dtype(frame[c]))
               or pd.to_numeric(frame[c].astype(str).str.strip(), errors="coerce").notna().any()]
    if numbers:  # (an integer index is row numbers)
        raise released.UnreleasedOutput(
            f"run.public: this table has numbers ({', '.join(map(str, numbers[:3]))}); only a "
            "table of text (a legend, a list of methods) can be marked public. Count persons with run.crosstab.")
    return released.public(df)


def declared(notebook: str) -> dict[str, Any]:
    return declared_parameters(paths.NOTEBOOKS / f"{notebook}.ipynb")


def parameters_of(notebook: str, namespace: dict) -> dict[str, Any]:
    """Every parameter the notebook declares, with its value in ``namespace`` (the
    notebook's globals after papermill injected its overrides)."""
    return {name: namespace[name] for name in declared(notebook) if name in namespace}


def tag_of(notebook: str, p: dict[str, Any]) -> str:
    """The output-name tag: every parameter that changes the tables."""
    sid = study_id(p.get("study", STUDY))
    study = "" if sid == STUDY else f"{sid}_"  # another pilot: its own names (its id, never a path)
    base = f"{str(p['cutoff_date']).replace('-', '')}_{p['language']}_k{p['min_cell_count']}"
    if notebook == "04_time_to_work":
        return (study + base + (f"_n{p['synthetic_n']}" if p.get("synthetic_n") else "")
                + settings_digest(**{s: list(as_list(p[s])) for s in ("definitions", "origins", "groupings")}))
    if notebook != "03_outcome_models":
        return study + base
    date = base.split("_", 1)[0]
    return (f"{study}{p['outcome_definition']}_{date}_{p['population']}_{p['language']}_k{p['min_cell_count']}"
            + (f"_n{p['synthetic_n']}" if p.get("synthetic_n") else "")
            + outcomes.settings_digest(predictors=p["predictors"], power_ns=p["power_ns"],
                                       power_sims=p["power_sims"], min_group_n=p["min_group_n"]))


def study_id(study) -> str:
    """The id of ``study`` (an id of studies/ or a study file's path: the file's name), for
    output names: a path's folders never reach a file name."""
    return Path(str(study or STUDY)).name.removesuffix(".yaml").removesuffix(".yml")


DATA_ROLES = ("participants", "status_history")  # the input files whose people a run counts


def believed_claim(participants: pd.DataFrame, inputs: dict, min_cell_count=None) -> pd.DataFrame:
    """``participants`` as the run treats them. A claim that every person is synthetic (the
    file's column, or a mapping's constant) is believed only for input files the project made
    (:mod:`analysis.synthetic_seal`); otherwise they are real data (the column set to false:
    the release protects every count, the kernel shows only what it made), and a threshold
    below the default is refused, naming the rule."""
    if not is_synthetic(participants):
        return participants
    unsealed = [(role, f) for role, f in inputs.items() if role in DATA_ROLES and not synthetic_seal.made_by_project(f)]
    if not unsealed:
        return participants
    if min_cell_count is not None and int(min_cell_count) < disclosure.DEFAULT_THRESHOLD:
        role, path = unsealed[0]
        raise disclosure.DisclosureError(f"min_cell_count={min_cell_count}: " + synthetic_seal.refusal(
            path, "the input", _seal_role(role, inputs)))
    warnings.warn("the input says every person is synthetic, but the project did not make it: treated as real "
                  "data (docs/disclosure-control.md, 'Which files may call themselves synthetic')", stacklevel=2)
    return participants.assign(synthetisch=False)


def _seal_role(role: str, inputs: dict) -> str:
    """The role of an input file in :data:`analysis.synthetic_seal.REMEDIES` (a notebook opened
    without the runner told a status history to set the participant file's column)."""
    if role == "status_history":
        return "status history"
    return "export" if "participants_mapping" in inputs else "participant file"


def checked_parameters(notebook: str, p: dict[str, Any]) -> dict[str, Any]:
    """``p``, each value within its documented range and choices
    (:func:`analysis.pipeline.parameter_rules.value_problem`), as the runner checks them before
    any kernel starts: a notebook run by hand (JupyterLab, papermill) had no bound, and
    ``power_sims=1000000000`` sat in the power cell for hours (hostile round 14)."""
    for name, value in p.items():
        if problem := value_problem(name, value):
            raise ValueError(f"{notebook}: {problem} (docs/runner_safety.md lists every parameter's range)")
    return p


def setup(notebook: str, namespace: dict) -> Run:
    """The run context of a pilot notebook (see the module docstring)."""
    p = checked_parameters(notebook, parameters_of(notebook, namespace))
    use_report_tables(str(p.get("language", "nl")))
    participants, history, inputs = loading.participants_and_history(p)
    if not int(p.get("synthetic_n") or 0) > 0:  # the parameters name the files read (a study's own synthetic ones)
        p = {**p, **loading.paths_read(p)}
    participants = believed_claim(participants, inputs, p.get("min_cell_count"))
    private = not is_synthetic(participants)
    study = study_id(p.get("study"))
    people = (ledger.people_sketch(participants["deelnemer_id"]) + ledger.records_sketch(participants)
              + ledger.study_sketch(ps.STUDY) if private else ())
    recorded = ledger.read() if private else []
    ledger.require_one_key(recorded)
    entries = ledger.related(recorded, study, people)
    cutoffs = loading.joint_dates(p, history, ledger.recorded_cutoffs(entries))
    participants = loading.with_dates(participants, history, cutoffs)
    out = ReportOutputs.create(f"{notebook}.ipynb", p, inputs, p.get("output_dir", "scratch"),
                               p.get("min_cell_count"), data=participants)
    files = {role: path for role, path in inputs.items() if role != "study"}
    run = Run(notebook, p, participants, out, cutoffs, tag_of(notebook, p), study, entries, files, history=history,
              people=people)
    released.set_content_check(None if run.synthetic else run._content_problem)  # the kernel's displays
    return run
