"""Cycle day and phase from period days: pure functions over dates, no database.

- A period starts on a day with flow (spotting does not start one) when no day with flow came in the
  NEW_PERIOD_GAP days before: bleeding a day or two apart is one period, not two.
- Cycle day 1 is the first day of the latest period on or before the day. After MAX_CYCLE_DAYS without
  a new period the cycle day is unknown (a period was probably not noted), never a made-up number.
- Phases follow the usual textbook split: menstrual (the period's own days), follicular (until the
  fertile window), ovulation (ovulation is estimated LUTEAL_DAYS before the next period, ±1 day),
  luteal (after). The cycle length is the person's median of their last cycles (28 days until known).
"""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from enum import StrEnum
from itertools import pairwise
from statistics import median

NEW_PERIOD_GAP = 7
MAX_CYCLE_DAYS = 60
DEFAULT_CYCLE_DAYS = 28
LUTEAL_DAYS = 14  # the luteal phase is the steadier half: ovulation is about 14 days before a period
RECENT_CYCLES = 6  # the median of this many latest cycles estimates the next length
CYCLE_START_DAYS = (1, 3)  # "days 1-3 of your cycle", the factor the History page can show


class Flow(StrEnum):
    SPOTTING = "spotting"
    LIGHT = "light"
    MEDIUM = "medium"
    HEAVY = "heavy"


class Phase(StrEnum):
    MENSTRUAL = "menstrual"
    FOLLICULAR = "follicular"
    OVULATION = "ovulation"
    LUTEAL = "luteal"


def period_starts(days: Mapping[date, Flow]) -> list[date]:
    """Return the first day of each period, oldest first (see the module docstring for the rule)."""
    bleeding = sorted(day for day, flow in days.items() if flow is not Flow.SPOTTING)
    starts: list[date] = []
    previous: date | None = None
    for day in bleeding:
        if previous is None or (day - previous).days > NEW_PERIOD_GAP:
            starts.append(day)
        previous = day
    return starts


def cycle_lengths(starts: Sequence[date]) -> list[int]:
    """Return the days between consecutive starts (cycles over MAX_CYCLE_DAYS are left out as gaps)."""
    lengths = [(later - earlier).days for earlier, later in pairwise(starts)]
    return [length for length in lengths if length <= MAX_CYCLE_DAYS]


def typical_length(starts: Sequence[date]) -> int:
    """Return the median of the latest RECENT_CYCLES cycle lengths (DEFAULT_CYCLE_DAYS until one is known)."""
    lengths = cycle_lengths(starts)[-RECENT_CYCLES:]
    return round(median(lengths)) if lengths else DEFAULT_CYCLE_DAYS


def cycle_day(day: date, starts: Sequence[date]) -> int | None:
    """Return the day of the cycle `day` falls on (1 = the period's first day), or None when unknown."""
    begun = [start for start in starts if start <= day]
    if not begun:
        return None
    number = (day - begun[-1]).days + 1
    return number if number <= MAX_CYCLE_DAYS else None


def phase_of(number: int, period_days: int, length: int) -> Phase:
    """Return the phase of cycle day `number` for a period of `period_days` days in a `length`-day cycle."""
    ovulation = max(length - LUTEAL_DAYS, period_days + 2)
    if number <= period_days:
        return Phase.MENSTRUAL
    if number < ovulation - 1:
        return Phase.FOLLICULAR
    if number <= ovulation + 1:
        return Phase.OVULATION
    return Phase.LUTEAL


def cycle_calendar(period_days: Mapping[date, Flow], days: Iterable[date]) -> dict[date, tuple[int, Phase]]:
    """Return day -> (cycle day, phase) for each of `days` whose cycle day is known."""
    starts = period_starts(period_days)
    length = typical_length(starts)
    lengths = _period_lengths(period_days, starts)
    found = {}
    for day in days:
        number = cycle_day(day, starts)
        if number is not None:
            start = day - timedelta(days=number - 1)
            found[day] = (number, phase_of(number, lengths.get(start, 5), length))
    return found


def _period_lengths(period_days: Mapping[date, Flow], starts: Sequence[date]) -> dict[date, int]:
    """Return start -> how many days that period ran (to its last day with flow, gaps of a day allowed)."""
    lengths = {}
    for start in starts:
        last: date | None = start
        end = start
        while last is not None:
            end = last
            ahead = (last + timedelta(days=step) for step in (1, 2))
            last = next((d for d in ahead if period_days.get(d, Flow.SPOTTING) is not Flow.SPOTTING), None)
        lengths[start] = (end - start).days + 1
    return lengths
