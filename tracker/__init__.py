"""Patient Symptom Tracker: the library behind the Streamlit app (never imports streamlit)."""

__version__ = "0.5.17"  # the one place: pyproject.toml reads it; CHANGELOG.md heads with it
