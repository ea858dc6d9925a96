"""Patient Symptom Tracker: the library behind the Streamlit app (never imports streamlit)."""

__version__ = "0.5.36"
