"""Doses for the History timeline, pure pandas: one row per dose, or counts per day, week or month.

No chart carries more than MAX_CHART_ROWS rows: a long history is counted in the finest buckets that fit.
"""

import pandas as pd

from tracker.insights.analytics import MAX_CHART_ROWS
from tracker.medicines.schedule import dose_text

BUCKETS = ("dose", "day", "week", "month")
STATUS_WORDS = {"taken": "Taken", "skipped": "Skipped", "extra": "Extra / as needed"}
TIMELINE_COLUMNS = ["medicine", "time", "bucket", "status", "doses", "amount"]


def dose_timeline_data(doses: pd.DataFrame, tz: str, max_rows: int = MAX_CHART_ROWS) -> pd.DataFrame:
    """Return TIMELINE_COLUMNS rows: each dose (local time) when they fit, else counts per finest bucket.

    `status` is the status in words; `amount` says the dose taken ("50 mg") for single doses only.
    """
    if doses.empty:
        return pd.DataFrame(columns=TIMELINE_COLUMNS)
    local = doses["taken_at"].dt.tz_convert(tz).dt.tz_localize(None)
    status = doses["status"].map(STATUS_WORDS)
    if len(doses) <= max_rows:
        amount = [
            dose_text(value, unit) if value == value else ""
            for value, unit in zip(doses["amount"], doses["dose_unit"], strict=True)
        ]
        single = {"medicine": doses["medicine"], "time": local, "bucket": "dose", "status": status}
        return pd.DataFrame(single | {"doses": 1, "amount": amount})[TIMELINE_COLUMNS]
    for bucket in BUCKETS[1:]:
        rows = _counted(doses["medicine"], local, status, bucket)
        if len(rows) <= max_rows or bucket == BUCKETS[-1]:
            return rows
    raise AssertionError("unreachable")


def _counted(medicine: pd.Series, local: pd.Series, status: pd.Series, bucket: str) -> pd.DataFrame:
    start = local.dt.normalize() if bucket == "day" else local.dt.to_period(bucket[0].upper()).dt.start_time
    counts = pd.DataFrame({"medicine": medicine, "time": start, "status": status})
    rows = counts.groupby(["medicine", "time", "status"], observed=True).size().rename("doses").reset_index()
    return rows.assign(bucket=bucket, amount="")[TIMELINE_COLUMNS]
