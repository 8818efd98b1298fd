"""Reading and validating a study file (``studies/<id>.yml``).

Plain checks rather than pandera: a study file is a small nested document, not a table;
each problem names the file, the key (dotted path), the value as written and the rule, and
all problems are listed at once.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

from analysis import paths
from analysis.near_miss import did_you_mean
from analysis.strict_yaml import NumberTextLoader, YamlLimitError, load, plain
from analysis.study import plain_text
from analysis.study.exhibits import exhibits_path, load_exhibits
from analysis.study.facts import facts_path, load_facts
from analysis.study.model import LATE_RECORDS_MONTHS, LATE_RECORDS_RANGE, STATUS_KINDS, WORK_KINDS, Study
from analysis.terminal_text import visible

SHIPPED = Path(__file__).resolve().parents[3] / "studies"  # the studies of this source checkout
CODE = re.compile(r"^[a-z0-9_]+$")
MAX_ID = 60  # characters of a study's id: with an output stem (at most 100) and a run's tag, a file name stays short
MAX_WORD = 80  # characters of a word of the study's vocabulary (an employer, a function, a reason to stop)
DEFAULT_EXHIBITS = "vwnw_pilot.exhibits.yml"  # a study without ``exhibits:``: the VWNW pilots' numbering
RESERVED = ("onbekend",)
REQUIRED = ("id", "name", "report", "region", "employers", "case_manager_orgs", "dates", "statuses",
            "outflow_can_end", "outcome_linked",
            "services", "sectors", "same_sector", "functions", "contracts", "found_via",
            "triage_paths")
DATE_KEYS = ("pilot_start", "inflow_end", "pilot_end", "follow_up_end", "snapshots", "late_records_months")
OPTIONAL = ("municipality", "stop_reasons", "synthetic", "labels", "exhibits", "default", "short_name",
            "follow_up_moves")
FOLLOW_UP_MOVES = ("any", "into_work")


def default_study(folder: Path = SHIPPED) -> str:
    """The id of the study a run without a ``study`` parameter reads: the one study file of
    ``folder`` that says ``default: true`` (read from the files, so no pilot is named in code)."""
    marked = []
    for path in sorted(Path(folder).glob("*.yml")):
        if "." not in path.stem and re.search(r"(?m)^default:\s*true\s*(#.*)?$", path.read_text(encoding="utf-8")):
            marked.append(path.stem)
    if len(marked) != 1:
        raise StudyError(folder, [("default", ", ".join(marked) or None,
                                   "exactly one study file of the folder says default: true")])
    try:  # the strict loader's bounds (a number of thousands of digits, aliases): the study's own check reports
        doc = load((Path(folder) / f"{marked[0]}.yml").read_text(encoding="utf-8"), "the study file")
    except YamlLimitError:
        return marked[0]
    return str(doc.get("id", marked[0])) if isinstance(doc, dict) else marked[0]


def quota_studies(folder: Path | None = None) -> list[Path]:
    """The study files of ``folder`` whose ``synthetic`` section says ``generator: quota`` (a
    file that is no readable YAML is left to its own check when it is used)."""
    folder = SHIPPED if folder is None else Path(folder)
    files = [folder / f"{study_id}.yml" for study_id in study_ids(folder)]
    stamps = tuple((p, p.stat().st_mtime_ns, p.stat().st_size) for p in files if p.is_file())
    return list(_quota_studies(stamps))


@lru_cache(maxsize=4)
def _quota_studies(stamps: tuple[tuple[Path, int, int], ...]) -> tuple[Path, ...]:
    """:func:`quota_studies` of the files in ``stamps``, read once while none changes. Only
    the node tree is composed (libyaml, no values constructed, so an alias is one node and
    costs nothing): a fifth of the strict reader's time, which the no-op rerun would pay."""
    return tuple(path for path, _, _ in stamps if _says_quota(path))


def _says_quota(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
        if "quota" not in text and "\\" not in text:  # no way to write the word (an escape could)
            return False
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (yaml.YAMLError, OSError, UnicodeDecodeError, RecursionError):
        return False
    synthetic = _value_node(root, "synthetic")
    generator = _value_node(synthetic, "generator")
    return isinstance(generator, yaml.ScalarNode) and generator.value == "quota"


def _value_node(node, key: str):
    """The value node of ``key`` in a mapping node (any of them if written twice), else None."""
    if not isinstance(node, yaml.MappingNode):
        return None
    found = [v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key]
    return found[-1] if found else None


def quota_problem(folder: Path | None = None) -> str | None:
    """Why the quota generator (the shipped synthetic pilot's, :mod:`analysis.pilot.synthetic`)
    cannot pick its study: it needs exactly one study file of ``folder`` with ``generator:
    quota``. Checked with a run's configuration, before any kernel starts (hostile round 13:
    a copied study that kept the section was refused only inside the notebook)."""
    folder = SHIPPED if folder is None else Path(folder)
    found = quota_studies(folder)
    if len(found) == 1:
        return None
    named = ", ".join(str(p) for p in found) or "none"
    return (f"exactly one study file of {folder} may say `synthetic: generator: quota` (the generator of the "
            f"shipped synthetic pilot); found {len(found)}: {named}. A copied study keeps its own synthetic section "
            "only with another generator (generator: study) or none: change it in the copy")


class StudyError(ValueError):
    """A study file that cannot be used; ``problems`` lists (key, value, rule)."""

    def __init__(self, file, problems):
        self.file, self.problems = str(file), list(problems)
        lines = [f"key '{k}'" + ("" if v is None else f": value {_text(v)}") + f" breaks rule: {r}"
                 for k, v, r in self.problems]
        super().__init__(f"{self.file}: {len(lines)} problem(s) in the study file\n  " + "\n  ".join(lines))


def _text(value) -> str:
    """A value as the file writes it (YAML scalars back to their text, no Python repr)."""
    if isinstance(getattr(value, "written", None), str):  # a number as the file writes it (1e1, +10)
        return value.written
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_text(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_text(v)}" for k, v in value.items()) + "}"
    return visible(str(value))  # a look-alike or a control character as its escape


DEFAULT_STUDY = default_study()  # the shipped study file marked default: true


def study_path(study: str | Path) -> Path:
    """The file of ``study``: a path to a ``.yml`` file, or the id of a file in ``studies/``."""
    text = str(study)
    if text.endswith((".yml", ".yaml")) or "/" in text:
        return paths.resolve(text)
    own = paths.PROJECT_ROOT / "studies" / f"{text}.yml"
    shipped = SHIPPED / f"{text}.yml"  # a project folder without studies/ still has the shipped ones
    return own if own.is_file() or not shipped.is_file() else shipped


def study_ids(folder: Path) -> list[str]:
    """The studies of ``folder``: its ``<id>.yml`` files (``<id>.report.yml``, a study's run
    configuration, and ``<id>.facts.yml``, its report's facts, belong to a study)."""
    return sorted(p.stem for p in Path(folder).glob("*.yml") if "." not in p.stem)


def load_study(study: str | Path | None = None) -> Study:
    """The validated study ``study`` (an id of ``studies/`` or a path; None: the default study)."""
    path = study_path(DEFAULT_STUDY if study is None else study)
    if not path.is_file():
        known = study_ids(paths.PROJECT_ROOT / "studies")
        raise StudyError(path, [("study", str(study), f"a study is a file studies/<id>.yml; known: {known}")])
    return _load(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=16)
def _load(path: Path, _mtime: int) -> Study:
    try:  # strict: a key written twice is an error (safe_load kept the last: hostile round 5), no aliases bomb
        doc = load(path.read_text(encoding="utf-8"), "the study file", NumberTextLoader)  # numbers keep their text
    except YamlLimitError as err:
        raise StudyError(path, [("(file)", None, str(err))]) from None
    problems: list = plain_text.control_problems(doc)
    parse_study(doc, path, problems)  # the rules first: a message quotes a number as written
    if problems:
        raise StudyError(path, problems)
    return parse_study(plain(doc), path, [])  # the study holds plain numbers


def _setting_problems(doc: dict) -> list:
    """The study's settings of one value: triage paths, default, outflow_can_end, follow_up_moves."""
    problems = []
    triage = doc["triage_paths"]
    if triage != [1, 2, 3]:
        problems.append(("triage_paths", triage, "must be [1, 2, 3] (the VWNW triage: the figures show paths 1-3)"))
    if not isinstance(doc.get("default", False), bool):
        problems.append(("default", doc["default"], "must be true or false"))
    if not isinstance(doc["outflow_can_end"], bool):
        problems.append(("outflow_can_end", doc["outflow_can_end"], "must be true or false"))
    if doc.get("follow_up_moves", "any") not in FOLLOW_UP_MOVES:
        problems.append(("follow_up_moves", doc["follow_up_moves"], "must be any (a status may change between the "
                         "snapshot dates, but an outflow is final) or into_work (only into work)"))
    return problems


def parse_study(doc, path: Path, problems: list) -> Study | None:
    """The :class:`Study` of the parsed document ``doc``; appends (key, value, rule) to
    ``problems`` for everything that breaks a rule (then returns None)."""
    if not _keys_ok(doc, problems):
        return None
    p = _Checker(problems)
    sid = p.code("id", doc["id"])
    if sid and len(sid) > MAX_ID:  # hostile round 19: a 235-character id failed at the file system, minutes in
        problems.append(("id", None, f"must be at most {MAX_ID} characters (it names every output file of the study's "
                                     f"runs), not {len(sid)}"))
    elif sid and sid != path.stem:
        problems.append(("id", sid, f"must be the file's name without .yml ({path.stem})"))
    name = p.pair("name", doc["name"])
    short = p.pair("short_name", doc["short_name"]) if "short_name" in doc else None
    report = _report(doc["report"], problems)
    dates = p.dates(doc["dates"])
    statuses, kinds = _statuses(p, doc["statuses"], problems)
    services = p.labelled("services", doc["services"], pattern=re.compile(r"^dv_[a-z0-9_]+$"))
    sectors = p.labelled("sectors", doc["sectors"])
    same = p.codes("same_sector", doc["same_sector"])
    for s in same:
        if s not in sectors:
            problems.append(("same_sector", s, f"must be one of the study's sectors {list(sectors)}"))
    functions = doc["functions"] if isinstance(doc["functions"], dict) else {}
    if set(functions) != {"uitvoerend", "staf"}:
        problems.append(("functions", doc["functions"], "must have the keys uitvoerend and staf, each a list"))
    operational = p.codes("functions.uitvoerend", functions.get("uitvoerend", []), words=True)
    staff = p.codes("functions.staf", functions.get("staf", []), words=True)
    problems += _in_both_groups(operational, staff)
    problems += _setting_problems(doc)
    linked = _outcome_linked(p, doc["outcome_linked"], problems)
    labels = {**_pairs(doc.get("labels") or {}, p), **{c: (e["nl"], e["en"]) for group in
                                                         (statuses, services, sectors) for c, e in group.items()
                                                         if "nl" in e and "en" in e}}
    _synthetic_problems(doc.get("synthetic"), problems)
    facts = report.get("published_facts")
    rates = _rates(report.get("published_rates") or [], problems)
    if problems:
        return None
    vocab = {"status_1": statuses, "status_2": statuses, "sector_nieuw": sectors, "functie": [*operational, *staff],
             **{s: [True, False] for s in services}}
    checks = _checks(doc, report, path, p, vocab, problems)
    exhibits = load_exhibits(_exhibits_file(path, doc.get("exhibits") or DEFAULT_EXHIBITS), problems)
    if problems:
        return None
    return Study(
        id=sid, source=str(path), name=name, short_name=short or name, report=report.get("reference"),
        citation=report.get("citation"), region=str(doc["region"]), municipality=doc.get("municipality"),
        employers=p.words("employers", doc["employers"]),
        case_manager_orgs=p.words("case_manager_orgs", doc["case_manager_orgs"]), **dates,
        statuses=tuple(statuses), status_kinds=kinds, outflow_can_end=doc["outflow_can_end"],
        follow_up_moves=doc.get("follow_up_moves", "any"),
        services=tuple(services), sectors=tuple(sectors), same_sector=tuple(same),
        functions_operational=operational, functions_staff=staff, contracts=p.codes("contracts", doc["contracts"]),
        found_via=p.codes("found_via", doc["found_via"]),
        stop_reasons=p.words("stop_reasons", doc["stop_reasons"]) if doc.get("stop_reasons") not in (None, []) else (),
        triage_paths=(1, 2, 3),
        published_facts=str(facts) if facts else None, published_rates=rates, facts=checks,
        synthetic=dict(doc.get("synthetic") or {}), labels=labels, exhibits=exhibits, **linked)


SYNTHETIC_RANGES = {"n": (1, 2_000_000), "seed": (0, 4_294_967_295)}  # as the synthetic command's --n and --seed


def _in_both_groups(operational: tuple, staff: tuple) -> list:
    """A function listed as operational and as staff (hostile round 15, H10): functietype
    follows from it, so it would be both."""
    return [("functions.staf", f, "is also in functions.uitvoerend: a function is operational or staff, not both "
             "(functietype follows from it)") for f in staff if f in operational]


def _synthetic_problems(block, problems: list) -> None:
    """The numbers and words of a study's ``synthetic`` block that the generators take as
    they are (a size of -5 or 2.5, a seed 1e3 or true were accepted)."""
    if block is None:
        return
    if not isinstance(block, dict):
        problems.append(("synthetic", block, "must be a mapping (participants, status_history, seed, n, ...)"))
        return
    for key, (low, high) in SYNTHETIC_RANGES.items():
        value = block.get(key)
        if key in block and (isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high):
            problems.append((f"synthetic.{key}", value, f"must be a whole number from {low:,} to {high:,}"))
    if "generator" in block and block["generator"] not in ("study", "quota"):
        problems.append(("synthetic.generator", block["generator"], "must be study or quota"))
    prefix = block.get("id_prefix")
    if "id_prefix" in block and not (isinstance(prefix, str) and re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]{0,15}", prefix)):
        problems.append(("synthetic.id_prefix", prefix, "must be a letter and at most 15 letters, digits, - or _ "
                                                        "(the start of every synthetic id)"))


def study_files(study: str | Path | None = None) -> list[Path]:
    """The files that define ``study`` (its id or file; None: the default study): the study
    file, its exhibits file and its facts file where it names one. A run's outputs depend on
    them as on its inputs: the runner's fingerprint hashes them, so that an edited study file
    makes its runs stale (newpilot2's F11). Never raises: a file that cannot be read is
    listed as far as it is known (the study's own check says what is wrong with it)."""
    path = study_path(DEFAULT_STUDY if study is None else study)
    if not path.is_file():
        return []
    info = path.stat()
    return [f for f in _study_files(path, info.st_mtime_ns, info.st_size) if f.is_file()]


def synthetic_section(study: str | Path) -> tuple[str, dict]:
    """The id and the ``synthetic`` section of ``study``'s file as written, read once per version
    of the file: all the runner needs to name a study's own input files
    (:mod:`analysis.pipeline.study_inputs`), without validating the whole study, its facts and
    exhibits for every run (0.9 s of the no-op rerun). The study's own check validates the file.
    ``("", {})`` where the file cannot be read."""
    path = study_path(study)
    if not path.is_file():
        return "", {}
    info = path.stat()
    doc = _study_doc(path, info.st_mtime_ns, info.st_size)
    section = doc.get("synthetic")
    return str(doc.get("id") or ""), dict(section) if isinstance(section, dict) else {}


def late_months_problem(value: object) -> str | None:
    """Why ``value`` is no ``dates.late_records_months`` (a whole number of months in
    :data:`~analysis.study.model.LATE_RECORDS_RANGE`), or None."""
    low, high = LATE_RECORDS_RANGE
    if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
        return None
    return (f"must be a whole number of months from {low} to {high} (default {LATE_RECORDS_MONTHS}): how long after "
            "follow_up_end a status change or service may still be dated")


def study_span(study: str | Path | None = None) -> tuple[str, date, date, int] | None:
    """The id, ``dates.pilot_start``, ``dates.follow_up_end`` and ``dates.late_records_months``
    (its default when not given) of ``study``'s file as written,
    read once per version of the file and not validated (None where they cannot be read: the
    study's own check says why). All the parameter check of a cut-off date needs, on every
    run of every invocation, the no-op rerun too: validating two studies with their facts took
    0.7 s of it."""
    path = study_path(DEFAULT_STUDY if study is None else study)
    if not path.is_file():
        return None
    info = path.stat()
    doc = _study_doc(path, info.st_mtime_ns, info.st_size)
    dates = doc.get("dates") if isinstance(doc.get("dates"), dict) else {}
    start, end = _written_date(dates.get("pilot_start")), _written_date(dates.get("follow_up_end"))
    months = dates.get("late_records_months", LATE_RECORDS_MONTHS)
    if start is None or end is None or late_months_problem(months) is not None:
        return None
    return str(doc.get("id") or ""), start, end, int(months)


def _written_date(value: object) -> date | None:
    """A date of the study file as the strict loader gives it (its text), or None."""
    if type(value) is date:
        return value
    try:
        return date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        return None


@lru_cache(maxsize=32)
def _study_doc(path: Path, _mtime_ns: int, _size: int) -> dict:
    """One version of a study file as YAML reads it ({} where it cannot be read); never changed
    by a caller (each takes what it needs). Read by the strict loader, as the study's own check
    reads it: an alias bomb or a key written twice gives {} here, and the check says why."""
    try:
        doc = load(path.read_text(encoding="utf-8"), "the study file")
    except (OSError, UnicodeDecodeError, YamlLimitError):
        return {}
    return doc if isinstance(doc, dict) else {}


@lru_cache(maxsize=32)
def _study_files(path: Path, _mtime_ns: int, _size: int) -> tuple[Path, ...]:
    """:func:`study_files` of one version of the study file (read once: every run of a study
    parsed it again, 0.3 s of the no-op rerun's CPU)."""
    doc = _study_doc(path, _mtime_ns, _size)
    if not doc:
        return (path,)
    found = [path, _exhibits_file(path, doc.get("exhibits") or DEFAULT_EXHIBITS)]
    report = doc.get("report") if isinstance(doc.get("report"), dict) else {}
    if isinstance(report.get("facts"), str):
        found.append(facts_path(path, report["facts"]))
    return tuple(found)


def _exhibits_file(study_file: Path, name) -> Path:
    """The exhibits file a study names: beside the study file, else the shipped one of that
    name (a new study may use the VWNW pilots' declaration without copying it)."""
    beside = exhibits_path(study_file, name)
    shipped = exhibits_path(SHIPPED / "x.yml", name)
    return beside if beside.is_file() or not shipped.is_file() else shipped


def _keys_ok(doc, problems: list) -> bool:
    """Whether ``doc`` is a mapping with every required key and no unknown one."""
    if not isinstance(doc, dict):
        problems.append(("(file)", None, "must be a mapping of keys (id, name, dates, statuses, ...)"))
        return False
    problems += [(key, None, "is required") for key in REQUIRED if key not in doc]
    problems += [(str(key), None, f"unknown key; {did_you_mean(key, REQUIRED + OPTIONAL)}the keys of a study are "
                                  f"{list(REQUIRED + OPTIONAL)}")
                 for key in doc if key not in REQUIRED + OPTIONAL]
    return not problems


def _checks(doc, report: dict, path: Path, p, vocab: dict, problems: list):
    """The report's facts as checks (None for a study whose report publishes none), read
    in the study's vocabulary."""
    if not report.get("facts"):
        return None
    vocab = {**vocab, "werkgever": p.words("employers", doc["employers"]),
             "casemanager_org": p.words("case_manager_orgs", doc["case_manager_orgs"]),
             "contract_nieuw": doc["contracts"], "gevonden_via": doc["found_via"],
             "reden_stoppen": doc.get("stop_reasons") or [], "triage": [1, 2, 3]}
    return load_facts(facts_path(path, report["facts"]), vocab, problems)


def _report(report, problems: list) -> dict:
    """The ``report`` mapping (reference, published facts and rates), its keys checked."""
    report = report or {}
    if not isinstance(report, dict):
        problems.append(("report", report, "must be a mapping with reference and (optional) published_facts"))
        return {}
    if set(report) - REPORT_KEYS:
        problems.append(("report", sorted(set(report) - REPORT_KEYS), f"unknown keys; allowed: {sorted(REPORT_KEYS)}"))
    citation = report.get("citation")
    if citation is not None and not (isinstance(citation, dict) and set(citation) == set(CITATION_KEYS)
                                     and all(_citation_text(k, v) for k, v in citation.items())):
        problems.append(("report.citation", citation, f"must give the texts {list(CITATION_KEYS)} (the landing "
                                                      "page cites the report: authors, title in italics, note; the "
                                                      "note as one Dutch text or as {nl: ..., en: ...})"))
    if bool(report.get("published_facts")) != bool(report.get("facts")):
        problems.append(("report.facts", report.get("facts"), "a report's facts come as two files named together: "
                         "published_facts (the document that cites the report) and facts (its checks, a YAML file "
                         "beside the study file)"))
    return report


def _statuses(p, doc, problems: list) -> tuple[dict, dict]:
    """The status vocabulary (code -> entry) and each status's kind."""
    statuses = p.labelled("statuses", doc, extra=("kind",))
    kinds = {}
    for code, entry in statuses.items():
        kind = entry.get("kind")
        if kind not in STATUS_KINDS:
            problems.append((f"statuses.{code}.kind", kind, f"must be one of {list(STATUS_KINDS)}"))
        kinds[code] = kind
    if statuses and not any(k in WORK_KINDS for k in kinds.values()):
        problems.append(("statuses", None, "at least one status must be of kind work or work_and_education"))
    return statuses, kinds


LINKED_KEYS = ("after_outflow", "started_only")


def _outcome_linked(p, doc, problems: list) -> dict:
    """``outcome_linked``: the participant file's columns filled only after outflow and only
    for who started, each a list of column names (possibly empty), none in both and none a
    status column (every status column is outcome-linked anyway). That each is a column of
    the codebook is checked where the codebook is built (:func:`analysis.pilot.schema.use_study`)."""
    if not isinstance(doc, dict) or set(doc) != set(LINKED_KEYS):
        problems.append(("outcome_linked", doc, f"must be a mapping with exactly the keys {list(LINKED_KEYS)}, "
                                                "each a list of the participant file's columns ([] for none)"))
        return {}
    out = {}
    for key in LINKED_KEYS:
        values = doc[key] if doc[key] is not None else []
        if not isinstance(values, list):
            problems.append((f"outcome_linked.{key}", values, "must be a list of column names ([] for none)"))
            continue
        out[key] = tuple(p.code(f"outcome_linked.{key}[{i}]", v) for i, v in enumerate(values))
        problems += [(f"outcome_linked.{key}", v, "must not be a status column (every status column is "
                      "outcome-linked already)") for v in out[key] if v and str(v).startswith("status_")]
    both = set(out.get("after_outflow", ())) & set(out.get("started_only", ()))
    problems += [("outcome_linked", sorted(both), "a column is filled either after outflow or for who "
                  "started, not both")] if both else []
    return out


def _citation_text(key: str, value: object) -> bool:
    """Whether ``value`` is a citation's text: a non-empty string; the note may be one per language
    (``{nl: ..., en: ...}``: the Dutch page's and the English page's words, review 13 item 6)."""
    if key == "note" and isinstance(value, dict):
        return set(value) == {"nl", "en"} and all(isinstance(v, str) and v for v in value.values())
    return isinstance(value, str) and bool(value)


REPORT_KEYS = {"reference", "published_facts", "facts", "published_rates", "citation"}
CITATION_KEYS = ("authors", "title", "note")
RATE_KEYS = ("source", "cutoff", "wording", "events", "n", "definition")


def _rates(rates, problems: list) -> tuple:
    """The report's published uptake rates (``report.published_rates``)."""
    if not isinstance(rates, list):
        problems.append(("report.published_rates", rates, f"must be a list of mappings with {list(RATE_KEYS)}"))
        return ()
    for i, r in enumerate(rates):
        if not isinstance(r, dict) or set(r) != set(RATE_KEYS):
            problems.append((f"report.published_rates[{i}]", r, f"must have exactly the keys {list(RATE_KEYS)}"))
        elif r["definition"] not in ("work", "work_or_education"):
            problems.append((f"report.published_rates[{i}].definition", r["definition"],
                             "must be work or work_or_education"))
    return tuple(dict(r, cutoff=str(r["cutoff"])) for r in rates if isinstance(r, dict))


def _pairs(doc, p) -> dict:
    out = {}
    for code, entry in doc.items():
        pair = p.pair(f"labels.{code}", entry)
        if pair:
            out[str(code)] = pair
    return out


class _Checker:
    def __init__(self, problems: list):
        self.problems = problems

    def code(self, key: str, value) -> str | None:
        if not isinstance(value, str) or not CODE.match(value):
            self.problems.append((key, value, "must be a code of lower-case letters, digits and _"))
            return None
        if value in RESERVED:
            self.problems.append((key, value, "onbekend is reserved for values that were not recorded"))
        return value

    def codes(self, key: str, values, words: bool = False) -> tuple:
        if not isinstance(values, list) or not values:
            self.problems.append((key, values, "must be a non-empty list"))
            return ()
        out = tuple(self.word(f"{key}[{i}]", v) if words else self.code(f"{key}[{i}]", v)
                    for i, v in enumerate(values))
        if len(set(out)) != len(out):
            self.problems.append((key, values, "must not name a value twice"))
        return out

    def word(self, key: str, value) -> str:
        if not isinstance(value, str) or not value.strip():
            self.problems.append((key, value, "must be a text"))
        elif value in RESERVED:
            self.problems.append((key, value, "onbekend is reserved for values that were not recorded"))
        elif len(value) > MAX_WORD:
            self.problems.append((key, None, f"must be at most {MAX_WORD} characters (a name or a word of the export, "
                                             f"not {len(value)})"))
        elif rule := plain_text.plain_rule(value.replace("_", " ")):  # shown as a category's label on every page
            self.problems.append((key, value, rule))
        return str(value)

    def words(self, key: str, values) -> tuple:
        return self.codes(key, values, words=True)

    def pair(self, key: str, value) -> tuple[str, str] | None:
        if not isinstance(value, dict) or not all(isinstance(value.get(k), str) and value[k] for k in ("nl", "en")):
            self.problems.append((key, value, "must give a Dutch (nl) and an English (en) text"))
            return None
        return value["nl"], value["en"]

    def labelled(self, key: str, value, extra: tuple = (), pattern=None) -> dict:
        """A mapping code -> {nl, en, *extra}, in the file's order."""
        if not isinstance(value, dict) or not value:
            self.problems.append((key, value, "must map each code to its labels (nl, en)"))
            return {}
        out, seen = {}, {}
        for code, entry in value.items():
            if isinstance(entry, dict):  # one label for two codes: a figure could not tell them apart (round 15, H9)
                for lang in ("nl", "en"):
                    label = " ".join(str(entry.get(lang, "")).split()).casefold()
                    if label and (lang, label) in seen:
                        self.problems.append((f"{key}.{code}.{lang}", entry[lang], f"is also the {lang} label of "
                                              f"{key}.{seen[lang, label]}: a figure, its table and its sentences "
                                              "would name two codes by the same words; give each its own label"))
                    seen.setdefault((lang, label), code)
            if pattern is not None and not (isinstance(code, str) and pattern.match(code)):
                self.problems.append((f"{key}.{code}", None, f"the code must match {pattern.pattern}"))
            self.code(f"{key}.{code}", code)
            if self.pair(f"{key}.{code}", entry) is None:
                continue
            unknown = set(entry) - {"nl", "en", *extra}
            if unknown:
                self.problems.append((f"{key}.{code}", entry, f"unknown keys {sorted(unknown)}; allowed: nl, en"
                                      + "".join(f", {e}" for e in extra)))
            out[str(code)] = entry
        return out

    def dates(self, value) -> dict:
        names = ("pilot_start", "inflow_end", "pilot_end", "follow_up_end")
        if not isinstance(value, dict):
            self.problems.append(("dates", value, f"must be a mapping of {list(names)} and snapshots"))
            return {}
        out = {}
        for key in value:
            if key not in DATE_KEYS:
                self.problems.append((f"dates.{key}", value[key], f"unknown key; {did_you_mean(str(key), DATE_KEYS)}"
                                      f"the keys of dates are {list(DATE_KEYS)}"))
        for n in names:
            out[n] = self.day(f"dates.{n}", value.get(n))
        days = [out[n] for n in names]
        if all(days) and days != sorted(days):
            self.problems.append(("dates", value, "must be in order: pilot_start <= inflow_end <= pilot_end <= "
                                                  "follow_up_end"))
        snaps = value.get("snapshots")
        if not isinstance(snaps, list) or len(snaps) != 2:
            self.problems.append(("dates.snapshots", snaps, "must be a list of two dates (the participant file's "
                                                            "status columns)"))
            return out | {"snapshots": ("", "")}
        s = [self.day(f"dates.snapshots[{i}]", v) for i, v in enumerate(snaps)]
        if all(s) and all(days) and not (days[0] <= s[0] < s[1] <= days[3]):
            self.problems.append(("dates.snapshots", snaps, "must be two dates in order, from pilot_start to "
                                                            "follow_up_end"))
        return out | {"snapshots": tuple(str(d) for d in s), "late_records_months": self.late_months(value)}

    def late_months(self, dates: dict) -> int:
        """``dates.late_records_months``: how many months after follow_up_end a dated record may
        have (:func:`~analysis.study.model.latest_record`); the default when not given."""
        value = dates.get("late_records_months", LATE_RECORDS_MONTHS)
        if late_months_problem(value) is None:
            return int(value)
        self.problems.append(("dates.late_records_months", value, late_months_problem(value)))
        return LATE_RECORDS_MONTHS

    def day(self, key: str, value) -> date | None:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.problems.append((key, value, "must be a date written YYYY-MM-DD"))
            return None
