"""Analysis package for the evaluation of Dutch Van Werk Naar Werk (VWNW) programmes.

One folder per kind of concern, one module per concern:

- ``pipeline/``: the report run: run discovery and parameters, fingerprints and state,
  execution, publishing (index, manifest), HTML export, provenance, verify, file export.
- ``data/``: reading raw files and validating them: the column-spec language, readers and
  encodings, parsing, the pandera bridge, loading, the codebook, the processed cache.
- ``stats/``: shared statistics: outcome models, power, disclosure control.
- ``study/``: a VWNW pilot as configuration: reading and validating ``studies/<id>.yml``
  (dates, vocabulary, employers, services, sectors, published facts, labels) and its
  declared exhibits (numbered tables and figures as data); the active study.
- ``pilot/``: any VWNW pilot, from its study file: schema, synthetic generators, published
  facts as constraints, Figures 7-13 tables, outcome definitions.
- ``dwsra/``: the DWSRA interim evaluation (2018): schema, Tables 2.1-4.2, checks.
- ``presentation/``: Dutch/English labels and titles, figures.
- ``cli`` (``python -m analysis``), ``paths`` (project folders), ``files`` (hashes and
  atomic file replacement).
"""

__version__ = "0.1.0"
