"""Data in and out: CSV, Excel, FHIR and PDF exports, and imports."""
