"""Analysis package for the evaluation of Dutch Van Werk Naar Werk (VWNW) programmes.

Modules, one concern each:

- ``paths``: project folders and path resolution.
- ``labels``: Dutch report labels with English translations.
- ``validation``: reading raw files (CSV/XLSX/Parquet) and turning schema failures
  into messages naming file, row, column and rule.
- ``pilot_schema``, ``pilot_synthetic``, ``pilot_constraints``, ``pilot_tables``:
  the catering pilot's participant file, its synthetic stand-in and Figures 7-13.
- ``disclosure``: statistical disclosure control before anything is written.
- ``processed``: validated inputs kept as Parquet in ``data/processed``.
- ``outcomes``, ``models``, ``power``: outcome definitions, small-sample models and
  power (exact for Fisher's test, simulated for the z-test).
- ``dwsra_schema``, ``dwsra_tables``, ``dwsra_checks``: the DWSRA project register,
  Tables 2.1-4.2 and their comparison with the published cells.
- ``plots``, ``export``, ``provenance``: figures, deterministic output files and
  their provenance.
- ``runner``: ``python -m analysis report``, the notebook runner; ``html_export``: its
  HTML pages (reviewer and full).
"""

__version__ = "0.1.0"
