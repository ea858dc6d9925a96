"""Adherence, pure pandas: planned doses against those taken or skipped, per medicine and per local week.

Decisions: a planned dose counts once its time has come (or once it is answered, if earlier); "missed"
is planned and neither taken nor skipped; adherence is taken / planned. As-needed medicines have no
plan, so only their doses are counted. Weeks start on Monday in the profile's zone.
"""

from collections.abc import Sequence
from datetime import date, datetime

import numpy as np
import pandas as pd

from tracker.medicines.schedule import DoseStatus, MedicineView

WEEKLY_COLUMNS = [
    "medicine_id", "medicine", "week", "planned", "taken", "skipped", "missed", "extra", "adherence"
]  # fmt: skip
# The hour a clock skips in spring: a time inside it is read with the offset before the change, as
# tracker.diary.validation.local_datetime does (fold=0), which lands an hour later on the new clock.
SPRING_GAP = pd.Timedelta(hours=1)
UTC_NS = "datetime64[ns, UTC]"  # one resolution on both sides of a merge


def planned_slots(
    medicines: Sequence[MedicineView], first_day: date, last_day: date, tz: str
) -> pd.DataFrame:
    """Return every planned dose on the local days `first_day`..`last_day`: medicine_id, slot_at (UTC)."""
    parts = []
    for medicine in medicines:
        first, last = max(first_day, medicine.start_date), min(last_day, medicine.end_date or last_day)
        if medicine.as_needed or first > last:
            continue
        days = pd.date_range(first, last, freq="D")
        for clock in medicine.times:
            local = days + pd.Timedelta(hours=clock.hour, minutes=clock.minute)
            slots = local.tz_localize(tz, ambiguous=np.ones(len(local), dtype=bool), nonexistent=SPRING_GAP)
            parts.append(pd.DataFrame({"medicine_id": medicine.id, "slot_at": slots.tz_convert("UTC")}))
    if not parts:
        return pd.DataFrame(
            {"medicine_id": pd.Series(dtype="int64"), "slot_at": pd.Series(dtype="datetime64[ns, UTC]")}
        )
    return pd.concat(parts, ignore_index=True)


def local_week(times: pd.Series, tz: str) -> pd.Series:
    """Return the local Monday (a naive midnight timestamp) of each UTC time."""
    local = times.dt.tz_convert(tz).dt.tz_localize(None).dt.normalize()
    return local - pd.to_timedelta(local.dt.day_of_week, unit="D")


def weekly_adherence(
    medicines: Sequence[MedicineView],
    doses: pd.DataFrame,
    tz: str,
    now: datetime,
    start: datetime | None = None,
) -> pd.DataFrame:
    """Return one row per medicine and local week from `start` (default: the first start date) to `now`.

    Columns WEEKLY_COLUMNS; `adherence` is NaN for as-needed medicines (nothing planned).
    """
    if not medicines:
        return pd.DataFrame(columns=WEEKLY_COLUMNS)
    today = pd.Timestamp(now).tz_convert(tz).date()
    first = (
        pd.Timestamp(start).tz_convert(tz).date()
        if start is not None
        else min(m.start_date for m in medicines)
    )
    slots = planned_slots(medicines, first, today, tz)
    answered = doses.dropna(subset=["slot_at"])[["medicine_id", "slot_at", "status"]]
    answered = answered.astype({"medicine_id": "int64", "slot_at": UTC_NS})
    slots = slots.astype({"medicine_id": "int64", "slot_at": UTC_NS})
    slots = slots.merge(answered, on=["medicine_id", "slot_at"], how="left")
    slots = slots[(slots["slot_at"] <= pd.Timestamp(now)) | slots["status"].notna()]
    slots = slots.assign(week=local_week(slots["slot_at"], tz))
    counts = pd.DataFrame(
        {
            "planned": slots.groupby(["medicine_id", "week"]).size(),
            "taken": (slots["status"] == DoseStatus.TAKEN)
            .groupby([slots["medicine_id"], slots["week"]])
            .sum(),
            "skipped": (slots["status"] == DoseStatus.SKIPPED)
            .groupby([slots["medicine_id"], slots["week"]])
            .sum(),
        }
    )
    extra = _unplanned(doses, tz, pd.Timestamp(first, tz=tz))
    table = counts.join(extra, how="outer").fillna(0).astype("int64").reset_index()
    names = {m.id: m.name for m in medicines}
    table = table[table["medicine_id"].isin(list(names))]
    table["medicine"] = table["medicine_id"].map(names)
    table["missed"] = table["planned"] - table["taken"] - table["skipped"]
    with np.errstate(invalid="ignore", divide="ignore"):
        table["adherence"] = np.where(
            table["planned"] > 0, table["taken"] / table["planned"].where(table["planned"] > 0), np.nan
        )
    return table.sort_values(["medicine", "week"]).reset_index(drop=True)[WEEKLY_COLUMNS]


def _unplanned(doses: pd.DataFrame, tz: str, since: pd.Timestamp) -> pd.Series:
    """Return per medicine and week how many doses answered no slot (as-needed and extra doses)."""
    free = doses[
        doses["slot_at"].isna() & (doses["status"] != DoseStatus.SKIPPED) & (doses["taken_at"] >= since)
    ]
    weeks = local_week(free["taken_at"], tz)
    return free.groupby([free["medicine_id"], weeks.rename("week")]).size().rename("extra")


def adherence_by_medicine(weekly: pd.DataFrame) -> pd.DataFrame:
    """Return per medicine the totals of `weekly_adherence` and the adherence over the whole period."""
    columns = ["planned", "taken", "skipped", "missed", "extra"]
    totals = weekly.groupby("medicine", sort=True)[columns].sum().reset_index()
    planned = totals["planned"].where(totals["planned"] > 0)
    return totals.assign(adherence=totals["taken"] / planned)


def week_label(week: pd.Timestamp) -> str:
    """Return "week of Mon 23 Nov" for a week's Monday."""
    return f"week of {week:%a %d %b %Y}"
