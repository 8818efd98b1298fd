"""Shared statistics: outcome models, power and disclosure control."""
