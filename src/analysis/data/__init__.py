"""Shared data code: the column-spec language (spec), input errors (errors), readers and
encodings (readers), typed parsing (parsing), the pandera bridge, loading, the codebook,
text CSV writing and the processed cache."""
