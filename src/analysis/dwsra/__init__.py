"""The DWSRA interim evaluation (2018): register schema, Tables 2.1-4.2 and the checks
against the published cells and source lines."""
