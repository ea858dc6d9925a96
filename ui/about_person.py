"""Settings: the "About this person" section (date of birth or age, sex, pregnancy, conditions)."""

from datetime import date

import streamlit as st

from tracker.care_team.access import Actor
from tracker.diary.profile_facts import EARLIEST_BIRTH_YEAR, FactsInput, save_profile_facts
from tracker.errors import NotFoundError, ValidationError
from tracker.storage.tables import utcnow
from tracker.triage.patient import SEX_WORDS, AgeUnit, ProfileFacts, age_unit_for, condition_labels, whole_age
from ui import resources

ss = st.session_state
FIELDS = ("mode", "birth_date", "age", "age_unit", "sex", "pregnant", "weeks", "conditions")
MODES = {
    "date": "Date of birth",
    "age": "Age in months or years (a baby or child, or the date is not known)",
}
SEX_CHOICES = {"": "Not said", **SEX_WORDS}


def key(field: str, patient_id: int) -> str:
    """Return the widget key of `field` for this profile: switching profile shows its own values."""
    return f"about_{field}_{patient_id}"


def form_values(facts: ProfileFacts, today: date) -> dict[str, object]:
    """Return the widget values that show `facts` (an age given earlier shows as an age again)."""
    unit = age_unit_for(facts.birth_date, today) if facts.birth_date else AgeUnit.MONTHS
    return {
        "mode": "age" if facts.age_given_on else "date",
        "birth_date": facts.birth_date,
        "age": whole_age(facts.birth_date, unit, today) if facts.birth_date else None,
        "age_unit": str(unit),
        "sex": facts.sex or "",
        "pregnant": facts.pregnancy_recorded_at is not None,
        "weeks": facts.pregnancy_weeks_at(utcnow()),
        "conditions": list(facts.conditions),
    }


def entered(patient_id: int) -> FactsInput:
    """Return the form as entered: the date of birth, or the age, whichever way was chosen."""

    def value(field: str) -> object:
        return ss.get(key(field, patient_id))

    by_age = value("mode") == "age"
    pregnant = bool(value("pregnant"))
    birth_date, age, weeks = value("birth_date"), value("age"), value("weeks")
    conditions = value("conditions")
    return FactsInput(
        birth_date=birth_date if isinstance(birth_date, date) and not by_age else None,
        age=int(age) if isinstance(age, (int, float)) and by_age else None,
        age_unit=AgeUnit(str(value("age_unit") or AgeUnit.YEARS)),
        sex=str(value("sex") or "") or None,
        pregnant=pregnant,
        pregnancy_weeks=int(weeks) if isinstance(weeks, (int, float)) and pregnant else None,
        conditions=[str(c) for c in conditions] if isinstance(conditions, list) else [],
    )


def save(actor: Actor, patient_id: int) -> None:
    """Callback for Save: store the facts, or keep every field's message to show next to it."""
    try:
        with resources.sessions().begin() as session:
            saved = save_profile_facts(session, actor, patient_id, entered(patient_id), utcnow())
    except ValidationError as error:
        ss.about_errors = (patient_id, error.errors)
        return
    except NotFoundError as error:
        ss.about_errors = (patient_id, {"form": str(error)})
        return
    ss.pop("about_errors", None)
    for field in FIELDS:  # shown again from what was stored (an age becomes its date of birth)
        ss.pop(key(field, patient_id), None)
    ss.about_saved = (patient_id, saved_message(saved))


def saved_message(saved: ProfileFacts) -> str:
    if saved.age_given_on and saved.birth_date:
        return (
            f"Saved. From the age given we store the date of birth {saved.birth_date:%d/%m/%Y} "
            "(as if the birthday were today), so the age keeps up as time passes."
        )
    return "Saved."


def field_error(patient_id: int, field: str) -> None:
    """Show the message for `field` right under it, if the last save refused it."""
    errors = ss.get("about_errors")
    if errors and errors[0] == patient_id and field in errors[1]:
        st.error(errors[1][field], icon=":material/error:")


def about_person_section(actor: Actor, patient_id: int) -> None:
    """Show and save the profile's facts about the person."""
    st.subheader("About this person")
    st.caption(
        "Optional. Age, pregnancy and some long-term conditions change what a symptom can mean, so the "
        "advice takes them into account. Leave blank what you would rather not say."
    )
    today = utcnow().date()
    stored = resources.profile_facts(resources.database_url(), actor, patient_id).current(utcnow())
    if summary := stored.summary(utcnow()):
        st.caption(f"Recorded: {summary}")
    for field, shown in form_values(stored, today).items():
        ss.setdefault(key(field, patient_id), shown)
    by_age = st.radio(
        "Give the age as", list(MODES), format_func=MODES.__getitem__, key=key("mode", patient_id)
    )
    if by_age == "date":
        st.date_input(
            "Date of birth",
            key=key("birth_date", patient_id),
            min_value=date(EARLIEST_BIRTH_YEAR, 1, 1),
            format="DD/MM/YYYY",
        )
        field_error(patient_id, "birth_date")
    else:
        amount, unit = st.columns(2)
        amount.number_input("Age", min_value=0, step=1, key=key("age", patient_id))
        unit.selectbox("In", [str(u) for u in AgeUnit], key=key("age_unit", patient_id))
        field_error(patient_id, "age")
        st.caption("We store the date of birth this age implies, so the age keeps up as time passes.")
    if stored.age_given_on and stored.birth_date:
        st.caption(
            f"Date of birth {stored.birth_date:%d/%m/%Y}, worked out from the age given on "
            f"{stored.age_given_on:%d/%m/%Y}."
        )
    st.radio(
        "Sex",
        list(SEX_CHOICES),
        format_func=SEX_CHOICES.__getitem__,
        horizontal=True,
        key=key("sex", patient_id),
    )
    field_error(patient_id, "sex")
    st.checkbox("Pregnant", key=key("pregnant", patient_id))
    field_error(patient_id, "pregnant")
    if ss.get(key("pregnant", patient_id)):
        st.number_input(
            "Weeks pregnant (optional)",
            min_value=0,
            step=1,
            key=key("weeks", patient_id),
            help="They go up by themselves each week; after 42 weeks the pregnancy is no longer counted.",
        )
        field_error(patient_id, "pregnancy_weeks")
    labels = condition_labels()
    st.multiselect(
        "Long-term conditions",
        list(labels),
        format_func=labels.__getitem__,
        key=key("conditions", patient_id),
        placeholder="None",
    )
    field_error(patient_id, "conditions")
    st.button("Save", key="save_about", on_click=save, args=(actor, patient_id))
    field_error(patient_id, "form")
    done = ss.pop("about_saved", None)
    if done and done[0] == patient_id:
        st.success(done[1])
