"""A pilot as configuration: one YAML file per study in ``studies/`` holds everything of one
VWNW pilot (name and report, employers, region, dates, status vocabulary, services, sectors,
functions, published facts, labels). :func:`load_study` reads and validates one;
:func:`analysis.pilot.schema.use_study` makes it the study the pilot modules work with."""

from analysis.study.load import DEFAULT_STUDY, StudyError, load_study, study_path
from analysis.study.model import STATUS_KINDS, Study

__all__ = ["DEFAULT_STUDY", "STATUS_KINDS", "Study", "StudyError", "load_study", "study_path"]
