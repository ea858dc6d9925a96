"""Altair charts of the history: data in, a chart out."""
