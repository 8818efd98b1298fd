"""A VWNW pilot, from its study file (:mod:`analysis.study`): participant schema, synthetic
generators, published facts and constraints, Figures 7-13 tables and outcome definitions."""
