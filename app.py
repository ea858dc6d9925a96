"""Patient Symptom Tracker: the Streamlit entry point (sign-in, patient picker, navigation).

`streamlit run app.py` first imports this file to find `app`, the server to start, whose start-up
warms it before the first visit (ui/startup.py); every visit then runs the file as its script.
"""

import streamlit as st

from tracker.care_team.access import ActorKind, Role
from ui import auth, bootstrap, components, problems, resources, startup, widget_guard


def main() -> None:
    """Sign in, pick the pages for the actor, draw the sidebar and run the chosen page."""
    sign_in_mode = auth.mode()
    actor = auth.current_actor(sign_in_mode)
    auth.remember(actor)
    if actor is None:
        st.navigation([st.Page("pages/sign_in.py", title="Sign in", icon=":material/login:")]).run()
        st.stop()

    url = resources.database_url()
    new_alerts = resources.new_alert_count(url, actor, resources.inbox_version(url, actor))
    alerts_page = st.Page(
        "pages/alerts.py",
        title=f"Alerts ({new_alerts} new)" if new_alerts else "Alerts",
        icon=":material/notifications_active:" if new_alerts else ":material/notifications:",
    )
    clinician = actor.role is Role.CLINICIAN and actor.kind is ActorKind.USER
    if clinician:
        pages = [
            st.Page("pages/history.py", title="History", icon=":material/timeline:", default=True),
            alerts_page,
            st.Page("pages/outcomes.py", title="Outcomes", icon=":material/fact_check:"),
            st.Page("pages/model.py", title="How the advice works", icon=":material/model_training:"),
            st.Page("pages/settings.py", title="Settings", icon=":material/settings:"),
        ]
    else:
        pages = [
            st.Page("pages/log.py", title="Log", icon=":material/edit_note:", default=True),
            st.Page("pages/history.py", title="History", icon=":material/timeline:"),
            st.Page("pages/medicines.py", title="Medicines", icon=":material/medication:"),
            alerts_page,
            st.Page("pages/data.py", title="Your data", icon=":material/folder_open:"),
            st.Page("pages/model.py", title="How the advice works", icon=":material/model_training:"),
            st.Page("pages/settings.py", title="Settings", icon=":material/settings:"),
        ]
    page = st.navigation(pages)
    if deep_link := bootstrap.pending_deep_link():  # before drawing anything this run would throw away
        path, params = deep_link
        st.switch_page(path, query_params=params)
    components.app_title()  # Streamlit draws the navigation first in the sidebar; the logo slot is above it
    components.account_box(sign_in_mode, actor)
    components.patient_picker(actor)
    if new_alerts:
        st.sidebar.badge(
            f"{new_alerts} new alert{'s' if new_alerts > 1 else ''}", icon=":material/warning:", color="red"
        )
    page.run()


if __name__ == "__main__":  # a visit: Streamlit runs the file as the script
    startup.settle_imports()  # every import above is done: before the first element and the run's end
    st.set_page_config(page_title="Symptom Tracker", page_icon=":material/stethoscope:", layout="wide")
    widget_guard.install()
    bootstrap.entered_through_app()
    resources.notifier(resources.database_url())  # the server's start starts it; this restarts a stopped one
    with problems.shown_plainly():  # a database that is down, read-only or full: a plain message
        main()
else:  # `streamlit run app.py` looking for the server to start
    app = st.App(__file__, lifespan=startup.lifespan)
