"""Page tests with Streamlit's AppTest: log through the form, see the advice and the chart."""

import pytest
from helpers import APP
from helpers import APP_TIMEOUT as TIMEOUT
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from tracker.care_team.access import LOCAL
from tracker.diary.validation import local_now
from tracker.storage.engine import create_db_engine
from tracker.storage.tables import SymptomEntry


def log(at: AppTest, *symptoms: tuple[str, int], note: str = "") -> AppTest:
    for index, (symptom, severity) in enumerate(symptoms):
        if index:
            at.button[[b.label for b in at.button].index("Add another symptom")].click().run()
        row = at.session_state["rows"][index]
        at.selectbox(key=f"symptom_{row}").set_value(symptom)
        at.select_slider(key=f"severity_{row}").set_value(severity)
    at.text_area(key="note").input(note)
    at.button(key="save").click().run()
    assert not at.exception, at.exception
    return at


def page_text(at: AppTest) -> str:
    parts = [el.value for el in [*at.markdown, *at.caption, *at.error, *at.warning, *at.info, *at.success]]
    return "\n".join(str(part) for part in parts)


def test_fresh_install_opens_on_the_log_page_with_a_default_patient(app):
    assert app.title[0].value == "Log symptoms"
    assert app.selectbox(key="patient_id").value is not None
    assert "not a medical device" not in page_text(app)  # no advice before a check-in


def test_logging_chest_pain_shows_emergency_advice_with_the_number(app):
    at = log(app, ("Chest pain", 5))
    text = page_text(at)
    assert "Call emergency services now" in text
    assert "999" in text
    assert "not a medical device" in text
    assert at.error, "emergency advice is shown in the red callout"


def test_crisis_advice_gives_the_crisis_line_and_says_you_are_not_alone_once(app):
    from tracker.regions import region_for

    at = log(app, ("Suicidal thoughts", 2))
    callouts = [str(e.value) for e in at.error]
    crisis = [text for text in callouts if region_for("GB").crisis in text]
    advice = [text for text in callouts if "emergency services" in text]
    assert crisis and advice, callouts
    assert all("**999**" in text for text in crisis)
    for text in advice + crisis:  # each panel says it once, not in its advice and again beside the number
        assert text.count("You do not have to cope with this alone") <= 1
    assert not any("cope with this alone" in text for text in crisis)


def test_logged_entries_appear_in_the_chart_below_at_once(app):
    at = log(app, ("Headache", 2), ("Fever", 3))
    charts = at.get("vega_lite_chart")
    assert charts, "the history chart is on the Log page"
    spec_data = str(charts[-1].proto)
    assert "Headache" in spec_data and "Fever" in spec_data


def stored_entries(url: str) -> int:
    """Return how many symptom entries the app's database holds."""
    engine = create_db_engine(url, migrate=False)
    try:
        with engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(SymptomEntry)) or 0
    finally:
        engine.dispose()


def test_an_empty_symptom_gets_a_message_next_to_the_field_and_nothing_is_saved(app, app_url):
    app.button(key="save").click().run()
    assert any("enter a symptom" in e.value for e in app.error)
    assert "last_assessment" not in app.session_state
    assert stored_entries(app_url) == 0
    log(app, ("Cough", 2))
    assert stored_entries(app_url) == 1, "the form still saves once the symptom is there"


def test_recent_symptoms_are_one_click_away(app):
    at = log(app, ("Back pain", 2))
    assert "Back pain" in at.get("button_group")[0].proto.options[0].content


def test_lay_words_are_understood(app):
    at = log(app, ("tummy ache", 2))
    assert at.session_state["last_assessment"].matched == {"tummy ache": "Abdominal pain"}


@pytest.mark.parametrize(
    "page",
    [
        "pages/history.py",
        "pages/medicines.py",
        "pages/alerts.py",
        "pages/data.py",
        "pages/model.py",
        "pages/settings.py",
    ],
)
def test_every_page_renders_without_error(app, page):
    log(app, ("Cough", 2))
    app.switch_page(page).run()
    assert not app.exception, app.exception
    assert app.title


def test_medicines_sleep_and_tags_are_saved_with_the_check_in(app, app_url):
    from tracker.diary.entries import list_factors
    from tracker.storage.engine import create_db_engine, session_factory

    gen = app.session_state["form_gen"]
    app.multiselect(key=f"medications_{gen}").set_value(["Ibuprofen"])
    app.number_input(key=f"sleep_{gen}").set_value(5.5)
    app.multiselect(key=f"tags_{gen}").set_value(["coffee"])
    at = log(app, ("Headache", 3))
    with session_factory(create_db_engine(app_url)).begin() as session:
        factors = list_factors(session, LOCAL, 1)
    assert sorted(factors["name"]) == ["Ibuprofen", "Sleep", "coffee"]
    assert at.multiselect(key=f"tags_{gen + 1}").value == [], "the form starts empty again"


def test_data_page_offers_every_download_once_there_are_entries(app):
    log(app, ("Cough", 2))
    app.switch_page("pages/data.py").run()
    labels = [button.proto.label for button in app.get("download_button")]
    assert len(labels) == 5 and any("PDF" in label for label in labels)
    assert "Download everything (JSON)" in labels


def test_import_without_a_file_says_so_next_to_the_field(app):
    app.switch_page("pages/data.py").run()
    app.button(key="import").click().run()
    assert not app.exception
    assert any("Nothing was imported" in error.value for error in app.error)


def upload_and_import(at: AppTest, content: bytes, name: str = "entries.csv") -> AppTest:
    at.switch_page("pages/data.py").run()
    at.file_uploader(key="upload").set_value((name, content, "text/csv")).run()
    at.button(key="import").click().run()
    assert not at.exception, at.exception
    return at


def test_a_good_file_is_imported_once_and_shows_in_history(app):
    good = (
        b"occurred_at,symptom,severity,note\n"
        b"2026-01-05T09:00:00+00:00,Cough,2,dry\n2026-01-06T09:00:00+00:00,Fever,3,\n"
    )
    at = upload_and_import(app, good)
    assert any("Imported 2 entries" in s.value for s in at.success)
    at = upload_and_import(at, good)
    assert any("Imported 0 entries" in s.value for s in at.success)


def test_a_file_with_a_bad_row_imports_nothing_and_lists_the_row(app):
    bad = (
        b"occurred_at,symptom,severity\n"
        b"2026-01-05T09:00:00+00:00,Cough,2\n2026-01-06T09:00:00+00:00,Fever,7\n"
    )
    at = upload_and_import(app, bad)
    assert any("Nothing was imported" in e.value for e in at.error)
    assert any("row 3" in m.value and "whole number from 1" in m.value for m in at.markdown)
    at.switch_page("pages/data.py").run()
    assert any("Nothing to download yet" in i.value for i in at.info)


def use_local_smtp(monkeypatch, inbox) -> None:
    smtp = inbox.settings.smtp
    for key, value in {"HOST": smtp.host, "PORT": smtp.port, "FROM": smtp.sender, "SECURITY": "none"}.items():
        monkeypatch.setenv(f"TRACKER_SMTP_{key}", str(value))


def click(at: AppTest, label: str) -> AppTest:
    at.button[[b.label for b in at.button].index(label)].click().run()
    assert not at.exception, at.exception
    return at


def test_a_contact_is_added_on_settings_and_a_bad_address_is_explained(app, monkeypatch, smtp_inbox):
    use_local_smtp(monkeypatch, smtp_inbox)
    app.switch_page("pages/settings.py").run()
    app.text_input(key="contact_address").input("not an address")
    click(app, "Add contact and send a code")
    assert any("e-mail address" in e.value for e in app.error)
    app.text_input(key="contact_address").input("carer@example.org")
    click(app, "Add contact and send a code")
    assert any("carer@\u2060example" in str(m.value) for m in app.markdown), "shown, never as a link"
    assert any("Not confirmed yet" in w.value for w in app.warning), "the page says it is not confirmed"
    add_confirmed_contact(app, smtp_inbox, "nurse@example.org")
    assert any("Confirmed" in s.value for s in app.success)
    click(app, "Send a test")
    assert any("Test sent" in s.value for s in app.success)
    assert any("Last message sent" in c.value for c in app.caption)
    assert [m["Subject"] for _, m in smtp_inbox.messages][
        -1
    ] == "Test message from the Patient Symptom Tracker"


def test_an_email_contact_is_refused_on_settings_without_an_email_server(app):
    app.switch_page("pages/settings.py").run()
    app.text_input(key="contact_address").input("carer@example.org")
    click(app, "Add contact and send a code")
    assert any("E-mail is not set up" in e.value for e in app.error)
    assert not any("carer@\u2060example" in str(m.value) for m in app.markdown)


def add_confirmed_contact(app: AppTest, inbox, address: str = "carer@example.org") -> str:
    """Add a contact on Settings and type in the code it received; return its id."""
    app.switch_page("pages/settings.py").run()
    app.text_input(key="contact_address").input(address)
    click(app, "Add contact and send a code")
    code = inbox.bodies()[-1].split("give them this code: ")[1].split()[0]
    contact_id = [k for k in (b.key for b in app.button) if k and k.startswith("confirm_contact_")][-1][16:]
    app.text_input(key=f"contact_code_{contact_id}").input(code)
    app.button(key=f"confirm_contact_{contact_id}").click().run()
    assert not app.exception, app.exception
    return contact_id


def test_the_alerts_page_shows_a_contact_whose_messages_fail_and_why(app, monkeypatch, smtp_inbox):
    use_local_smtp(monkeypatch, smtp_inbox)
    add_confirmed_contact(app, smtp_inbox)
    monkeypatch.setenv("TRACKER_SMTP_PORT", "1")  # the e-mail server goes away
    click(app, "Send a test")
    assert any("could not be reached" in e.value for e in app.error)
    app.switch_page("pages/alerts.py").run()
    assert not app.exception
    assert [e.label for e in app.expander] == ["Who is told about Me's alerts (1 need attention)"]
    (warning,) = [w.value.replace("\\", "") for w in app.warning]  # shown as plain text: Markdown escaped
    assert warning.startswith("Failing: the last message")
    assert warning.endswith("The e-mail server could not be reached (connection refused).")


def test_a_severe_check_in_raises_an_alert_shown_in_the_sidebar_and_inbox(app):
    at = log(app, ("Fever", 4))
    fresh = AppTest.from_file(APP, default_timeout=TIMEOUT).run()  # AppTest drops the sidebar on reruns
    assert "1 new alert" in str([element.proto for element in fresh.sidebar])
    at.switch_page("pages/alerts.py").run()
    assert not at.exception
    assert any("Fever" in e.value for e in at.error), "the new alert is in the inbox"
    at.button(key=next(b.key for b in at.button if b.key and b.key.startswith("resolve_"))).click().run()
    assert any("No open alerts" in s.value for s in at.success)


def test_the_region_chosen_on_settings_holds_after_a_reload(app):
    app.switch_page("pages/settings.py").run()
    labelled(app, "Region").set_value("US").run()
    labelled(app, "Show times in").set_value("America/Chicago").run()
    assert not app.exception, app.exception
    reloaded = AppTest.from_file(APP, default_timeout=TIMEOUT).run()  # a new browser session
    assert "Times are in America/Chicago" in page_text(reloaded)
    reloaded.switch_page("pages/settings.py").run()
    assert labelled(reloaded, "Region").value == "US"
    assert "call **911** now" in page_text(reloaded)


def labelled(at: AppTest, start: str):
    """Return the selectbox whose label starts with `start`."""
    (found,) = [box for box in at.selectbox if box.label.startswith(start)]
    return found


def test_contacts_show_material_icons_not_emoji_some_fonts_lack(app):
    app.switch_page("pages/settings.py").run()
    app.radio(key="contact_kind").set_value("apprise")
    app.text_input(key="contact_address").input("tgram://123456789:abcdefg_hijklmnop/12345")
    app.button[[b.label for b in app.button].index("Add contact and send a code")].click().run()
    assert not app.exception, app.exception
    (row,) = [str(m.value) for m in app.markdown if "tgram" in str(m.value)]
    assert row.startswith(":material/chat:") and "💬" not in row


def test_the_import_date_defaults_to_today_in_the_log_pages_format(app):
    app.switch_page("pages/data.py").run()
    day = app.date_input(key="default_day")
    assert day.value == local_now("UTC").date()  # AppTest has no browser zone: UTC
    assert day.proto.format == "DD/MM/YYYY"


def test_an_imported_severe_chest_pain_is_listed_as_needing_care(app):
    original = b"Symptom,Severity Level,Recommendation\nChest pain,Severe,See a doctor.\nCough,Mild,Rest.\n"
    at = upload_and_import(app, original, "original.csv")
    assert any("Imported 2 entries" in s.value and "no dates" in s.value for s in at.success)
    assert any("urgent or emergency care" in w.value and "Chest pain" in w.value for w in at.warning)


def test_the_entries_table_shows_the_recognised_name_and_what_was_typed(app, app_url, monkeypatch):
    from datetime import UTC, datetime, timedelta

    from tracker.diary.checkins import log_check_in
    from tracker.diary.validation import EntryInput
    from tracker.storage.engine import create_db_engine, session_factory
    from tracker.triage.engine import default_triager

    monkeypatch.setenv("TRACKER_REFRESH_SECONDS", "0")
    when = datetime.now(UTC) - timedelta(hours=1)
    typed = [EntryInput("headahce", 2, when), EntryInput("Fever", 3, when)]
    with session_factory(create_db_engine(app_url)).begin() as session:
        log_check_in(session, LOCAL, app.session_state["patient_id"], typed, default_triager())
    app.switch_page("pages/history.py").run()
    app.button_group(key="view").set_value("Entries").run()
    assert not app.exception, app.exception
    table = app.data_editor[0].value
    shown = sorted(zip(table["symptom"], table["typed"], strict=True))
    assert shown == [("Fever", ""), ("Headache", "headahce")]


def test_the_log_form_says_how_lay_words_are_read_before_saving(app):
    # AppTest cannot hold typed text outside a selectbox's options; the captions for free text
    # (several symptoms, "not understood" with the closest symptoms) are tested in test_vocabulary.
    app.selectbox(key="symptom_0").set_value("tummy ache").run()
    assert not app.exception, app.exception
    assert any(c.value == "Understood as **Abdominal pain**." for c in app.caption)
    assert not [p for p in app.button_group if str(p.key).startswith("nearest_")]


def test_a_screens_which_of_these_is_one_list_of_tick_boxes_that_changes_the_advice(app):
    row = app.session_state["rows"][0]
    app.selectbox(key=f"symptom_{row}").set_value("Headache")
    at = app.select_slider(key=f"severity_{row}").set_value(3).run()
    for start in ("Is there any of these now", "Did this start after a knock", "Is it the worst pain"):
        at = (
            next(radio for radio in at.radio if radio.label.startswith(start))
            .set_value("yes" if start.startswith("Is it the worst") else "no")
            .run()
        )
    assert not at.exception, at.exception
    assert "**Which of these?** Tick all that apply." in [text.value for text in at.markdown]
    ticks = [box.label for box in at.checkbox]
    assert "Are you seeing double?" in ticks and "None of these" in ticks
    assert "Call emergency services now" not in page_text(at)
    at = next(box for box in at.checkbox if box.label == "Are you seeing double?").check().run()
    assert not at.exception, at.exception
    assert "Call emergency services now" in page_text(at)


def test_follow_up_questions_appear_before_save_change_the_advice_and_are_saved(app, app_url):
    row = app.session_state["rows"][0]
    app.selectbox(key=f"symptom_{row}").set_value("Headache")
    at = app.select_slider(key=f"severity_{row}").set_value(3).run()
    assert "A few questions" in [header.value for header in at.subheader]
    assert "Manage at home" in page_text(at)  # the advice before any answer
    sudden = next(radio for radio in at.radio if radio.label.startswith("Did it start suddenly"))
    at = sudden.set_value("yes").run()
    assert not at.exception, at.exception
    assert "Call emergency services now" in page_text(at)  # changed live, nothing saved yet
    assert stored_entries(app_url) == 0
    at.button(key="save").click().run()
    assert not at.exception, at.exception
    assert stored_entries(app_url) == 1
    assert at.session_state["last_assessment"].details["answers"] == {"sudden-onset": "yes"}
    # a fresh form: no symptom, so no questions
    assert not [radio for radio in at.radio if radio.label.startswith("Did it start suddenly")]
