"""Property-based tests with hostile input through the app's forms, driven by Streamlit's AppTest.

Hostile symptom text, notes and patient names never raise on a page, and user text is never rendered
as HTML or Markdown: it may appear only in elements that show plain text (select boxes, text fields,
tables and charts), or escaped. Few examples: every AppTest run costs a few tenths of a second.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from google.protobuf.message import Message
from hostile import FUZZ, NUL, clean_only, examples, hostile_text
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Selectbox, WidgetState

from tracker import config
from tracker.diary.validation import clean_text
from tracker.storage.limits import NOTE_MAX_LENGTH

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TIMEOUT = 60
# Elements whose text the browser shows as plain text; every other element renders Markdown.
PLAIN_TEXT_ELEMENTS = {
    "selectbox",
    "multiselect",
    "text_area",
    "text_input",
    "vega_lite_chart",
    "arrow_data_frame",
    "arrow_table",
}
SHORTEST_CHECKED = 6  # shorter text can occur in the page's own words by chance


def _typed_selectbox_state(self: Selectbox[Any]) -> WidgetState:
    """Send typed text the way the browser does for `accept_new_options` (AppTest can only pick options)."""
    value = self.value
    if self.proto.accept_new_options and isinstance(value, str) and value not in self.options:
        state = WidgetState()
        state.id = self.id
        state.string_value = value
        return state
    return _ORIGINAL_SELECTBOX_STATE.fget(self)  # type: ignore[attr-defined]


_ORIGINAL_SELECTBOX_STATE = Selectbox._widget_state


class App:
    """The module's AppTest, behind a short repr (Hypothesis prints the arguments of a failing example)."""

    def __init__(self) -> None:
        self.at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        self.at.run()
        assert not self.at.exception, self.at.exception

    def __repr__(self) -> str:
        return "App()"


@pytest.fixture(scope="module")
def fuzz_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A fresh SQLite file for the module, and select boxes that can send typed text."""
    with pytest.MonkeyPatch.context() as patch:
        database = tmp_path_factory.mktemp("fuzz_forms") / "app.sqlite3"
        patch.setenv(config.DATABASE_URL_ENV, f"sqlite:///{database}")
        patch.setenv(config.REGION_ENV, "GB")
        patch.setattr(Selectbox, "_widget_state", property(_typed_selectbox_state))
        yield


@pytest.fixture(scope="module")
def app(fuzz_env: None) -> App:
    """One app for the module; every example starts from the Log page."""
    return App()


def on_log_page(at: AppTest) -> AppTest:
    if not at.title or at.title[0].value != "Log symptoms":
        at.switch_page("pages/log.py").run()
    return at


def log(at: AppTest, symptom: str, severity: int = 3, note: str = "") -> AppTest:
    on_log_page(at)
    row = at.session_state["rows"][0]
    at.selectbox(key=f"symptom_{row}").set_value(symptom)
    at.select_slider(key=f"severity_{row}").set_value(severity)
    at.text_area(key="note").set_value(note)  # set_value, not input: a crafted request skips max_chars
    return at.button(key="save").click().run()


def nodes(node: Any) -> Iterator[Any]:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from nodes(child)


def _items(value: object) -> list[object]:
    """Return a field's values: the items of a repeated field, else the one value."""
    if isinstance(value, str | bytes | Message) or not hasattr(value, "__iter__"):
        return [value]
    return list(value)  # type: ignore[call-overload]


def strings_in(message: Message) -> Iterator[str]:
    """Yield every text field of a protobuf message, nested ones included."""
    for _descriptor, value in message.ListFields():
        for item in _items(value):
            if isinstance(item, str):
                yield item
            elif isinstance(item, Message):
                yield from strings_in(item)


def html_allowed(message: Message) -> bool:
    """Return whether the message (or one nested in it) asks for raw HTML (`unsafe_allow_html`)."""
    for descriptor, value in message.ListFields():
        if descriptor.name == "allow_html" and value:
            return True
        if any(isinstance(item, Message) and html_allowed(item) for item in _items(value)):
            return True
    return False


def shown_texts(at: AppTest) -> Iterator[tuple[str, bool, list[str]]]:
    """Yield (element type, raw HTML allowed, its texts) for every element and labelled block."""
    for node in nodes(at._tree):
        proto = getattr(node, "proto", None)
        if isinstance(proto, Message):
            yield str(getattr(node, "type", "")), html_allowed(proto), list(strings_in(proto))


def checked_forms(text: str) -> set[str]:
    return {form for form in (text, clean_text(text)) if len(form) >= SHORTEST_CHECKED}


def assert_never_html(at: AppTest, text: str) -> None:
    for kind, html, texts in shown_texts(at):
        for form in checked_forms(text):
            assert not (html and any(form in shown for shown in texts)), f"{kind} renders {form!r} as HTML"
        assert kind != "html" or not any(form in shown for shown in texts for form in checked_forms(text))


def markdown_with(at: AppTest, text: str) -> list[str]:
    """Return the types of elements that show `text` raw but render Markdown."""
    return [
        kind
        for kind, _html, texts in shown_texts(at)
        if kind not in PLAIN_TEXT_ELEMENTS
        and any(form in shown for shown in texts for form in checked_forms(text))
    ]


# A browser sends UTF-8, so no lone surrogates; NUL stays in (the app under test runs on SQLite).
form_text = hostile_text(max_size=40, huge=False).filter(lambda text: clean_only(text.replace(NUL, "")))


@settings(FUZZ, max_examples=examples(15))
@given(symptom=form_text, severity=st.integers(1, 5), note=form_text)
def test_hostile_symptoms_and_notes_never_raise_and_are_never_rendered_as_html(app, symptom, severity, note):
    at = log(app.at, symptom, severity, note)
    assert not at.exception, at.exception
    if "log_errors" in at.session_state:  # refused: the message is next to the field
        assert at.error
    else:  # saved: the advice is shown above the form
        assert "What to do next" in [header.value for header in at.subheader]
    assert_never_html(at, symptom)
    assert_never_html(at, note)


@settings(FUZZ, max_examples=examples(5))
@given(name=form_text)
def test_a_hostile_patient_name_added_in_the_sidebar_never_raises_or_renders(fuzz_env, name):
    at = App().at  # AppTest keeps the sidebar of the first run only, so each example starts afresh
    at.text_input(key="new_patient_name").set_value(name)
    at.button(key="add_patient").click().run()
    assert not at.exception, at.exception
    assert_never_html(at, name)
    assert markdown_with(at, name) == []


@settings(FUZZ, max_examples=examples(8))
@given(name=form_text)
def test_a_hostile_patient_rename_never_raises_or_renders(app, name):
    at = app.at.switch_page("pages/settings.py").run()
    (field,) = [field for field in at.text_input if str(field.key).startswith("rename_")]
    field.set_value(name)
    at.button(key="rename").click().run()
    assert not at.exception, at.exception
    assert_never_html(at, name)
    assert markdown_with(at, name) == []


def test_a_note_past_the_limit_is_cut_to_it_or_refused_not_a_traceback(app):
    at = log(app.at, "Headache", 2, "x" * 100_000)  # Streamlit cuts a text area's value to max_chars
    assert not at.exception, at.exception
    saved = "last_assessment" in at.session_state
    assert saved or any(f"{NOTE_MAX_LENGTH:,}" in error.value for error in at.error)


def test_a_symptom_of_100_000_characters_gets_a_message_not_a_traceback(app):
    at = log(app.at, "🤕" * 100_000)
    assert not at.exception, at.exception
    assert any("under 100 characters" in error.value for error in at.error)


# Under the 100-character limit, so it is saved: bold, a link, a remote image and an HTML tag.
PAYLOAD = (
    "**bold** [link](https://evil.example) ![i](https://evil.example/p.png) <img src=x onerror=alert(1)>"
)


def test_markdown_in_a_symptom_is_shown_as_typed_on_the_log_page(app):
    at = log(app.at, PAYLOAD, 4)
    assert not at.exception, at.exception
    assert markdown_with(at, PAYLOAD) == []


def test_markdown_in_a_symptom_is_shown_as_typed_on_the_history_page(app):
    log(app.at, PAYLOAD, 4)
    at = app.at.switch_page("pages/history.py").run()
    assert not at.exception, at.exception
    assert markdown_with(at, PAYLOAD) == []
