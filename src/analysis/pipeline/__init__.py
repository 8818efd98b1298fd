"""Pipeline machinery: run discovery and configuration (runs), fingerprints and state
(state), execution (execute), publishing, index and manifest (publish), the runner (runner),
HTML export, provenance, verify and table/figure export."""
