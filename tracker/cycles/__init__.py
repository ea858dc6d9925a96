"""Cycles: period days and flow, and the cycle day and phase derived from them (pure `derive`, `store`)."""
