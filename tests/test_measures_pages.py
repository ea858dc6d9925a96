"""Pages with own measures: add in Settings, log on Log (with a check-in or alone), bad values refused."""

from streamlit.testing.v1 import AppTest

from tracker.care_team.access import LOCAL
from tracker.diary.profile_facts import FactsInput, save_profile_facts
from tracker.measures.store import list_values
from tracker.storage.engine import create_db_engine, session_factory
from tracker.storage.tables import utcnow
from tracker.triage.patient import AgeUnit


def values_in(url: str):
    engine = create_db_engine(url, migrate=False)
    try:
        with session_factory(engine).begin() as session:
            from tracker.diary.patients import list_patients

            (patient,) = list_patients(session, LOCAL)
            return list_values(session, LOCAL, patient.id)
    finally:
        engine.dispose()


def add_temperature(app: AppTest) -> AppTest:
    app.switch_page("pages/settings.py").run()
    app.selectbox(key="measure_preset").set_value("temperature_c").run()
    app.button(key="add_preset").click().run()
    assert not app.exception, app.exception
    app.switch_page("pages/log.py").run()
    return app


def measure_field(app: AppTest):
    return next(field for field in app.number_input if field.label == "Temperature (°C)")


def test_a_measure_added_in_settings_is_logged_with_a_check_in(app, app_url):
    at = add_temperature(app)
    measure_field(at).set_value(38.4)
    row = at.session_state["rows"][0]
    at.selectbox(key=f"symptom_{row}").set_value("Headache")
    at.button(key="save").click().run()
    assert not at.exception, at.exception
    values = values_in(app_url)
    assert values[["measure", "value"]].values.tolist() == [["Temperature", 38.4]]
    assert values["check_in_id"].notna().all()


def test_a_value_out_of_range_gets_a_message_and_nothing_is_saved(app, app_url):
    at = add_temperature(app)
    measure_field(at).set_value(83.4)
    at.button(key="save_measures").click().run()
    assert any("between 34 and 43 °C" in error.value for error in at.error)
    assert values_in(app_url).empty


def test_a_measure_can_be_saved_alone(app, app_url):
    at = add_temperature(app)
    measure_field(at).set_value(37.2)
    at.button(key="save_measures").click().run()
    assert any("Saved your measures" in s.value for s in at.success)
    assert values_in(app_url)["check_in_id"].isna().all()


def test_a_fever_measured_alone_for_a_baby_gets_emergency_advice_at_once(app, app_url):
    """A parent logs only a temperature: 38.4 °C at two months old needs care now, not just "saved"."""
    engine = create_db_engine(app_url, migrate=False)
    with session_factory(engine).begin() as session:
        baby = FactsInput(age=2, age_unit=AgeUnit.MONTHS)
        save_profile_facts(session, LOCAL, app.selectbox(key="patient_id").value, baby, utcnow())
    engine.dispose()
    at = add_temperature(app)
    measure_field(at).set_value(38.4)
    at.button(key="save_measures").click().run()
    assert not at.exception, at.exception
    assert at.session_state["last_assessment"].level == "emergency"
    shown = "\n".join(str(element.value) for element in [*at.markdown, *at.error, *at.caption])
    assert "Call emergency services now" in shown and "baby under 3 months" in shown, shown
    assert "A temperature of 38.4 °C is a fever." in shown, shown
    assert values_in(app_url)["check_in_id"].isna().all(), "kept as a measure: no check-in was typed"


def test_the_data_page_offers_dates_and_sections_and_refuses_a_csv_without_rows(app):
    at = add_temperature(app)
    measure_field(at).set_value(37.2)
    at.button(key="save_measures").click().run()
    at.switch_page("pages/data.py").run()
    assert not at.exception, at.exception
    at.selectbox(key="report_dates").set_value("30").run()
    at.multiselect(key="report_sections").set_value(["measures"]).run()
    assert not at.exception, at.exception
    csv_button = next(b for b in at.get("download_button") if "CSV" in b.proto.label)
    assert not csv_button.proto.disabled
    at.multiselect(key="report_sections").set_value(["summary"]).run()
    csv_button = next(b for b in at.get("download_button") if "CSV" in b.proto.label)
    assert csv_button.proto.disabled
    excel_button = next(b for b in at.get("download_button") if "Excel" in b.proto.label)
    assert not excel_button.proto.disabled  # the summary is a sheet
    at.multiselect(key="report_sections").set_value(["trends"]).run()
    excel_button = next(b for b in at.get("download_button") if "Excel" in b.proto.label)
    assert excel_button.proto.disabled and "Excel workbook" in excel_button.proto.help


def test_cycle_tracking_is_off_until_turned_on_then_log_offers_period_flow(app):
    app.switch_page("pages/log.py").run()
    assert "period_0" not in app.session_state
    app.switch_page("pages/settings.py").run()
    (toggle,) = [t for t in app.toggle if t.label == "Track my period and cycle"]
    toggle.set_value(True).run()
    app.switch_page("pages/log.py").run()
    assert not app.exception, app.exception
    assert app.session_state["period_0"] == "none"
