"""Widget state a raw websocket client can craft and Streamlit 1.67 would stop the run on.

Streamlit reads every widget's incoming state before any of the app's code runs (to find changed
widgets with callbacks). A data editor state whose row keys are not numbers (`{"x": …}`), or that is
not JSON, raises ValueError there: the page would show a traceback and could not answer. Installed
once by app.py, this reads such a state as "no edits, marked rejected", which the History page
answers with a message (rows that are numbers but not in the table are checked by the page).
"""

from typing import Any

from streamlit.elements.widgets import data_editor

REJECTED = "rejected"  # key set in an edit state that could not be read
_original = data_editor.DataEditorSerde.deserialize


def _deserialize(self: data_editor.DataEditorSerde, ui_value: str | None) -> Any:
    try:
        return _original(self, ui_value)
    except (ValueError, TypeError, AttributeError):
        empty: dict[str, object] = {"edited_rows": {}, "added_rows": [], "deleted_rows": []}
        return data_editor.DataEditorState({**empty, REJECTED: True})


def install() -> None:
    """Read unreadable data editor states as rejected instead of failing the run (idempotent)."""
    data_editor.DataEditorSerde.deserialize = _deserialize  # type: ignore[method-assign]
