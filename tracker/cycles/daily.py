"""The cycle by local day, for the calendar and as factors ("headaches go with days 1-3 of your cycle")."""

from collections.abc import Iterable, Mapping
from datetime import date

import pandas as pd

from tracker.cycles.derive import CYCLE_START_DAYS, Flow, Phase, cycle_calendar
from tracker.insights.factors import ExtraFactors, FactorKind

FIRST_DAYS = f"days {CYCLE_START_DAYS[0]}–{CYCLE_START_DAYS[1]} of your cycle"
LUTEAL = "the luteal phase (the two weeks before a period)"


def cycle_frame(period_days: Mapping[date, Flow], days: Iterable[date]) -> pd.DataFrame:
    """Return day (naive midnight) → cycle_day, phase, flow ("" if none) for each day with a known cycle."""
    wanted = sorted(set(days) | set(period_days))
    known = cycle_calendar(period_days, wanted)
    rows = [
        (pd.Timestamp(day), number, str(phase), str(period_days.get(day, "")))
        for day, (number, phase) in sorted(known.items())
    ]
    frame = pd.DataFrame(rows, columns=["day", "cycle_day", "phase", "flow"])
    return frame.set_index("day")


def cycle_factors(period_days: Mapping[date, Flow], days: Iterable[date]) -> ExtraFactors:
    """Return the cycle's factors on `days`: days 1-3 of the cycle, and the luteal phase (NA: unknown)."""
    frame = cycle_frame(period_days, days)
    first, last = CYCLE_START_DAYS
    columns = {
        FIRST_DAYS: frame["cycle_day"].between(first, last).astype("boolean"),
        LUTEAL: (frame["phase"] == Phase.LUTEAL).astype("boolean"),
    }
    return ExtraFactors(pd.DataFrame(columns, index=frame.index), dict.fromkeys(columns, FactorKind.CYCLE))
