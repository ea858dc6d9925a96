"""Make every visit go through app.py, even a deep link to a page on a just-started server.

Streamlit still routes the first visit of a fresh server by the legacy `pages/` folder rules, which
run `pages/history.py` on its own (no navigation, no patient picker) until some session has run
app.py's `st.navigation`. A page opened that way sends the visit through app.py, which then opens
the page that was asked for, with its query parameters (the History filters of a shared link).
"""

import streamlit as st

from ui import startup

ENTRYPOINT_RAN = "_entrypoint_ran"
DEEP_LINK = "_deep_link"


def entered_through_app() -> None:
    """Called by app.py: mark the run, and return a deep-linked visit to the page it asked for."""
    st.session_state[ENTRYPOINT_RAN] = True


def pending_deep_link() -> tuple[str, dict[str, str]] | None:
    """Return (page path, query parameters) of a visit that arrived before app.py ran, once."""
    return st.session_state.pop(DEEP_LINK, None)


def require_entrypoint(page_path: str) -> None:
    """Called first by each page: hand a visit that skipped app.py over to it."""
    startup.settle_imports()  # the page's imports are done: before its first element and run's end
    if st.session_state.get(ENTRYPOINT_RAN):
        return
    st.session_state[DEEP_LINK] = (page_path, st.query_params.to_dict())
    st.switch_page("app.py")
