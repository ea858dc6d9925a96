"""Date-range presets of the History filters, in the patient's local days."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

RANGE_PRESETS: dict[str, int | None] = {
    "7 d": 7,
    "30 d": 30,
    "90 d": 90,
    "1 y": 365,
    "All": None,
    "Custom": None,
}
DEFAULT_PRESET = "30 d"
CUSTOM = "Custom"


def local_midnight(day: date, tz: str) -> datetime:
    """Return the aware start of `day` in the zone `tz`."""
    return datetime.combine(day, datetime.min.time(), tzinfo=ZoneInfo(tz))


def range_bounds(
    preset: str, now: datetime, tz: str, custom: tuple[date, date] | None = None
) -> tuple[datetime | None, datetime | None]:
    """Return [start, end) for a preset: whole local days, today included; (None, None) for "All".

    Day boundaries keep the cache key stable through the day, so reruns reuse the cached entries.
    """
    today = now.astimezone(ZoneInfo(tz)).date()
    if preset == CUSTOM and custom:
        first, last = sorted(custom)
        return local_midnight(first, tz), local_midnight(last + timedelta(days=1), tz)
    days = RANGE_PRESETS.get(preset, RANGE_PRESETS[DEFAULT_PRESET])
    if days is None:
        return None, None
    return local_midnight(today - timedelta(days=days - 1), tz), None
