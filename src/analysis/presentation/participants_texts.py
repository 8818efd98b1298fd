"""What the participants page (notebook 02) says about the study itself: its statuses, in its own
words (the retail review: a retail pilot's page said *nog in bemiddeling*, another pilot's status, where its
own is *In begeleiding*), and, for a study without a report, its figures' numbers: true for a
study with its own exhibits file (``exhibits:`` in its study file: its own numbers, such as
Figuur P1-P7) and for one without (the retail review: the page said *genummerd zoals dit project
zijn eigen figuren nummert (Figuur 7-13)*, while a study without its own file inherits the
shipped ``studies/vwnw_pilot.exhibits.yml``, the numbering of another pilot's final report).

Written by hand: the sentences are the page's text; which file numbers the figures comes from
the study's files (:func:`analysis.study.load.study_files`), the statuses from the study file.
"""

from __future__ import annotations

from pathlib import Path

from analysis.presentation import markup
from analysis.study.load import DEFAULT_EXHIBITS, SHIPPED, study_files

TEXT = {
    "nl": {
        "statuses": "De statussen van deze pilot, waarin de pagina telt waar de deelnemers op {date} stonden: "
                    "{statuses}.",
        "and": "en",
        "own": "Deze pilot heeft (nog) geen eindrapport om mee te vergelijken. De figuren ({range}) zijn genummerd "
               "zoals het eigen figurenbestand van deze studie ({file}) ze nummert, niet met de nummers van het "
               "rapport van een andere pilot.",
        "inherited": "Deze pilot heeft (nog) geen eindrapport om mee te vergelijken en geen eigen figurenbestand "
                     "(`exhibits:` in het studiebestand). De figuren ({range}) dragen daarom de nummers van het "
                     "gedeelde bestand {file}: de nummering van het eindrapport van een andere pilot, niet "
                     "die van een rapport over deze pilot. Een eigen figurenbestand geeft eigen nummers (zie "
                     "`docs/new-pilot.md`).",
    },
    "en": {
        "statuses": "The statuses of this pilot, in which the page counts where the participants stood on {date}: "
                    "{statuses}.",
        "and": "and",
        "own": "This pilot has no final report (yet) to compare with. Its figures ({range}) are numbered as this "
               "study's own exhibits file ({file}) numbers them, not with the numbers of another pilot's report.",
        "inherited": "This pilot has no final report (yet) to compare with and no exhibits file of its own "
                     "(`exhibits:` in the study file). Its figures ({range}) therefore carry the numbers of the shared "
                     "file {file}: the numbering of another pilot's final report, not that of a report on "
                     "this pilot. An exhibits file of its own gives it its own numbers (see `docs/new-pilot.md`).",
    },
}
UNTIL = {"nl": "tot en met", "en": "to"}


def figure_range(exhibits, lang: str) -> str:
    """``Figuur 7 tot en met Figuur 13`` / ``Figure 7 to Figure 13``: the first and last of
    ``exhibits`` (one: its label), each with its word (a private run's sentence may carry no
    number but an exhibit's: ``7-13`` would say 13 as a count)."""
    first, last = exhibits[0], exhibits[-1]
    return first.label(lang) if first is last else f"{first.label(lang)} {UNTIL[lang]} {last.label(lang)}"


def status_sentence(study, lang: str, date: str) -> str:
    """The study's statuses in its own words (its status labels, in its order, each as
    written), as the page names them once under its introduction; ``date`` the cut-off date in
    words."""
    words = [f"*{markup.text(study.label(code, lang) or code)}*" for code in study.statuses]
    listed = words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {TEXT[lang]['and']} {words[-1]}"
    return TEXT[lang]["statuses"].format(date=date, statuses=listed)


def exhibits_file(study_source: str | Path) -> Path | None:
    """The exhibits file that numbers the figures of the study read from ``study_source``
    (its study file: the second of :func:`study_files`); None when it cannot be read."""
    files = study_files(Path(study_source))
    return files[1] if len(files) > 1 and not files[1].name.endswith(".facts.yml") else None


def inherited(exhibits: Path | None) -> bool:
    """Whether ``exhibits`` is the shipped, shared ``studies/vwnw_pilot.exhibits.yml`` (a study
    without its own exhibits file, or one that names the shared file)."""
    return exhibits is None or exhibits.resolve() == (SHIPPED / DEFAULT_EXHIBITS).resolve()


def numbering_sentence(exhibits, exhibits_path: Path | None, lang: str) -> str:
    """What the page says about its figures' numbers (see the module): ``exhibits`` the page's
    declared exhibits in order, ``exhibits_path`` the file that declares them."""
    key = "inherited" if inherited(exhibits_path) else "own"
    name = DEFAULT_EXHIBITS if exhibits_path is None else exhibits_path.name
    shown = markup.code(f"studies/{name}" if key == "inherited" else name)  # a study's file name, as written
    return TEXT[lang][key].format(range=figure_range(exhibits, lang), file=shown)
