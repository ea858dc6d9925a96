"""Streamlit-side helpers: caching, session state and shared widgets. Calls only into tracker/."""

import logging

from streamlit import runtime


class _CachesDeclaredBeforeTheServer(logging.Filter):
    """Hide "No runtime found" while the server has no runtime yet; show it once there is one.

    `streamlit run app.py` imports app.py (and so these modules) to find the `st.App` it serves,
    before that app starts Streamlit's runtime; each `st.cache_data` declared meanwhile logs the
    warning, harmlessly: a cache binds to the runtime's storage at its first call, not when declared.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return runtime.exists() or not record.getMessage().startswith("No runtime found")


logging.getLogger("streamlit.runtime.caching.cache_data_api").addFilter(_CachesDeclaredBeforeTheServer())
