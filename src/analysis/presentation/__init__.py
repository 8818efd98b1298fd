"""Presentation: Dutch/English labels and titles, and figures."""
