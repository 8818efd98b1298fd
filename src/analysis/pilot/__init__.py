"""The catering pilot (Noordoost Brabant, 2021): participant schema, synthetic generator,
published facts and constraints, Figures 7-13 tables and outcome definitions."""
