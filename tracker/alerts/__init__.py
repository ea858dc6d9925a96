"""Alerts for a care team: the rule file, the pure engine, the alerts stored, and reminders."""
