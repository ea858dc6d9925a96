"""Drive History's Entries table the way a raw websocket client could: any edit state it likes."""

import json
from collections.abc import Mapping

from helpers import APP, APP_TIMEOUT
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest


def open_entries(at: AppTest) -> AppTest:
    """Switch to History's Entries view (the editable table)."""
    at.switch_page("pages/history.py").run()
    at.button_group(key="view").set_value("Entries").run()
    assert not at.exception, at.exception
    assert at.data_editor, "the Entries view shows the editable table"
    return at


def send_editor_state(at: AppTest, state: Mapping[str, object], click: str | None = "save_edits") -> AppTest:
    """Rerun with the table's edit state replaced by `state` (as JSON, keys and all), pressing `click`."""
    if click:
        at.button(key=click).click()
    widgets = at._tree.get_widget_states()
    editor_id = at.data_editor[0].proto.id
    kept = [widget for widget in widgets.widgets if widget.id != editor_id]
    del widgets.widgets[:]
    widgets.widgets.extend([*kept, WidgetState(id=editor_id, string_value=json.dumps(state))])
    return at._run(widgets)


def fresh_app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=APP_TIMEOUT)
