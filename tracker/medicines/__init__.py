"""Medicines: a profile's medicine list, the doses taken or skipped, adherence and dose reminders.

May import storage, care_team, diary and notify; never scikit-learn (the `remind` job stays light).
"""
