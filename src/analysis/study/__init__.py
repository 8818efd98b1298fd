"""A pilot as configuration: one YAML file per study in ``studies/`` holds everything of one
VWNW pilot (name and report, employers, region, dates, status vocabulary, services, sectors,
functions, published facts, labels, its numbered exhibits). :func:`load_study` reads and
validates one; :func:`analysis.pilot.schema.use_study` makes it the study the pilot modules
work with (:func:`active_study`)."""

from analysis.study.active import activate, active_study
from analysis.study.exhibits import Exhibit, Exhibits
from analysis.study.load import DEFAULT_STUDY, SHIPPED, StudyError, load_study, study_ids, study_path, synthetic_section
from analysis.study.model import STATUS_KINDS, Study

__all__ = ["DEFAULT_STUDY", "SHIPPED", "STATUS_KINDS", "Exhibit", "Exhibits", "Study", "StudyError", "activate",
           "active_study", "load_study", "study_ids", "study_path", "synthetic_section"]
