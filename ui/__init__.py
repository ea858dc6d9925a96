"""Streamlit-side helpers: caching, session state and shared widgets. Calls only into tracker/."""
