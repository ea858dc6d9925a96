"""AppTest: the Medicines page (field errors), Due now on the Log page, doses and adherence on History."""

from datetime import UTC, date, datetime, timedelta

from streamlit.testing.v1 import AppTest

from tracker.care_team.access import LOCAL
from tracker.medicines.doses import list_doses
from tracker.medicines.medicine_list import add_medicine, list_medicines
from tracker.medicines.schedule import MedicineInput
from tracker.storage.engine import create_db_engine, session_factory


def stored(url: str, read):
    engine = create_db_engine(url, migrate=False)
    try:
        with session_factory(engine).begin() as session:
            return read(session)
    finally:
        engine.dispose()


def medicines_page(app: AppTest) -> AppTest:
    app.switch_page("pages/medicines.py").run()
    assert not app.exception, app.exception
    return app


def fill(at: AppTest, name: str, amount: float | None, times: list[str]) -> AppTest:
    gen = at.session_state["med_gen"]
    at.text_input(key=f"med_name_{gen}").input(name)
    at.number_input(key=f"med_amount_{gen}").set_value(amount)
    at.multiselect(key=f"med_times_{gen}").set_value(times)
    at.button(key="FormSubmitter:add_medicine-Add medicine").click().run()
    assert not at.exception, at.exception
    return at


def test_a_missing_dose_is_named_next_to_its_field_and_nothing_is_stored(app, app_url):
    at = fill(medicines_page(app), "Sumatriptan", None, ["08:00"])
    assert [e.value for e in at.error] == ["The dose must be a number, such as 50 or 2.5."]
    assert stored(app_url, lambda s: list_medicines(s, LOCAL, 1)) == []
    at = fill(at, "Sumatriptan", 50.0, ["08:00"])
    assert not at.error
    assert at.text_input(key=f"med_name_{at.session_state['med_gen']}").value == "", "the form starts empty"
    assert "Sumatriptan 50 mg" in "\n".join(m.value for m in at.markdown)
    (medicine,) = stored(app_url, lambda s: list_medicines(s, LOCAL, 1))
    assert (medicine.label, medicine.schedule_text) == ("Sumatriptan 50 mg", "08:00")


def test_a_typed_time_that_is_no_time_is_refused_in_plain_words(app):
    at = fill(medicines_page(app), "Metformin", 500.0, ["8 in the morning"])
    assert "is not a time of day" in at.error[0].value


def add_due_now(url: str, name: str = "Sumatriptan") -> None:
    """A medicine planned for this very minute (UTC: AppTest's browser zone)."""
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    medicine = MedicineInput(
        name, 50, "mg", "tablet", (now.time(),), start_date=now.date() - timedelta(days=3)
    )
    stored(url, lambda s: add_medicine(s, LOCAL, 1, medicine, now.date()))


def test_the_due_dose_is_logged_in_one_tap_from_the_log_page(app, app_url):
    add_due_now(app_url)
    app.run()
    assert any(m.value.startswith("**Due now:** Sumatriptan 50 mg") for m in app.markdown)
    taken = next(b for b in app.button if b.label == "Taken")
    taken.click().run()
    assert not app.exception, app.exception
    assert [s.value for s in app.success] == ["Dose logged."]
    assert not any(b.label == "Taken" for b in app.button), "a logged dose is no longer due"
    doses = stored(app_url, lambda s: list_doses(s, LOCAL, 1))
    assert list(doses["status"]) == ["taken"] and doses["slot_at"].notna().all()


def test_skip_is_one_tap_too(app, app_url):
    add_due_now(app_url)
    app.run()
    next(b for b in app.button if b.label == "Skip").click().run()
    assert list(stored(app_url, lambda s: list_doses(s, LOCAL, 1))["status"]) == ["skipped"]


def test_an_as_needed_dose_is_logged_with_its_amount(app, app_url):
    inhaler = MedicineInput("Salbutamol", 2, "puffs", "inhaler", as_needed=True, start_date=date(2026, 1, 1))
    stored(app_url, lambda s: add_medicine(s, LOCAL, 1, inhaler, date(2026, 11, 25)))
    app.run()
    app.number_input(key=f"as_needed_amount_{1}").set_value(4.0)
    app.button(key="log_as_needed").click().run()
    doses = stored(app_url, lambda s: list_doses(s, LOCAL, 1))
    assert list(zip(doses["medicine"], doses["status"], doses["amount"], strict=True)) == [
        ("Salbutamol", "extra", 4.0)
    ]


def test_history_shows_the_doses_and_adherence(app, app_url):
    add_due_now(app_url)
    app.run()
    next(b for b in app.button if b.label == "Taken").click().run()
    app.switch_page("pages/history.py").run()
    charts = [str(chart.proto) for chart in app.get("vega_lite_chart")]
    assert any("Sumatriptan" in spec and "Doses" in spec for spec in charts), "doses on the overview"
    app.segmented_control(key="view").set_value("Medicines").run()
    assert not app.exception, app.exception
    texts = [str(chart.proto) for chart in app.get("vega_lite_chart")]
    assert any("Doses taken as planned" in text for text in texts)
    totals = app.dataframe[0].value  # per medicine over the period (week by week comes next)
    assert totals.loc[0, "medicine"] == "Sumatriptan" and totals.loc[0, "taken"] == 1


def test_the_medicines_page_renders_for_a_new_profile(app):
    at = medicines_page(app)
    assert at.title[0].value == "Medicines"
    assert "No medicines yet" in at.info[0].value


def test_a_medicine_is_corrected_from_its_edit_dialog_and_a_bad_dose_changes_nothing(app, app_url):
    add_due_now(app_url)
    (medicine,) = stored(app_url, lambda s: list_medicines(s, LOCAL, 1))
    at = medicines_page(app)
    at.button(key=f"edit_medicine_{medicine.id}").click().run()
    suffix = f"edit_{medicine.id}"
    assert at.text_input(key=f"med_name_{suffix}").value == "Sumatriptan", "the dialog shows what is stored"
    assert at.number_input(key=f"med_amount_{suffix}").value == 50
    at.number_input(key=f"med_amount_{suffix}").set_value(0.0)
    at.button(key=f"save_medicine_{medicine.id}").click().run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == ["The dose must be more than 0 and at most 100,000."]
    assert stored(app_url, lambda s: list_medicines(s, LOCAL, 1))[0].label == "Sumatriptan 50 mg"
    at.number_input(key=f"med_amount_{suffix}").set_value(100.0)
    at.button(key=f"save_medicine_{medicine.id}").click().run()
    assert not at.exception, at.exception
    (saved,) = stored(app_url, lambda s: list_medicines(s, LOCAL, 1))
    assert (saved.id, saved.label) == (medicine.id, "Sumatriptan 100 mg")
    assert "Saved Sumatriptan 100 mg" in at.info[0].value
