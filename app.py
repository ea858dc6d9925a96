"""Patient Symptom Tracker: the Streamlit entry point (page setup, patient picker, navigation)."""

import streamlit as st

from ui import bootstrap, components, resources, state

st.set_page_config(page_title="Symptom Tracker", page_icon="🩺", layout="wide")
bootstrap.entered_through_app()

url = resources.database_url()
patient_id = state.patient_id()
new_alerts = resources.new_alert_count(url, patient_id, resources.version(url, patient_id))
pages = [
    st.Page("pages/log.py", title="Log", icon=":material/edit_note:", default=True),
    st.Page("pages/history.py", title="History", icon=":material/timeline:"),
    st.Page(
        "pages/alerts.py",
        title=f"Alerts ({new_alerts} new)" if new_alerts else "Alerts",
        icon=":material/notifications_active:" if new_alerts else ":material/notifications:",
    ),
    st.Page("pages/data.py", title="Your data", icon=":material/folder_open:"),
    st.Page("pages/model.py", title="How advice works", icon=":material/model_training:"),
    st.Page("pages/settings.py", title="Settings", icon=":material/settings:"),
]
page = st.navigation(pages)
if deep_link := bootstrap.pending_deep_link():
    path, params = deep_link
    st.switch_page(path, query_params=params)
st.sidebar.title("Symptom Tracker")
components.patient_picker()
if new_alerts:
    st.sidebar.badge(
        f"{new_alerts} new alert{'s' if new_alerts > 1 else ''}", icon=":material/warning:", color="red"
    )
page.run()
