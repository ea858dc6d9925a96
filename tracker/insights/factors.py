"""Factors and what goes with them: per symptom, average severity on days with and without a factor.

Pure pandas over the frames `tracker.diary.entries.list_entries` and `list_factors` return. Days are the
patient's local days. Decisions, each made to keep the numbers honest:

- A day's severity of a symptom is its worst that day (as on the calendar): a bad afternoon is not
  diluted by a milder morning check-in, and a day counts once however often the patient checked in.
- Only days with a check-in are known. On such a day a symptom not logged counts as 0 ("none"); days
  without any check-in are unknown and left out, never counted as symptom-free.
- A factor not recorded on a check-in day counts as absent, but only from the first day the patient ever
  recorded it: before that they may simply not have been noting it. Sleep is unknown on days without
  hours; "short sleep" (under SHORT_SLEEP_HOURS) is derived from the hours.
- Lag k (0-3, LAGS) pairs a factor on day d with the symptom on day d + k: both days need a check-in.
  Effects that show up days later (a food, a hard day) are seen at lag 1-3.
- Own measures and the cycle come in as extra daily yes/no columns (`ExtraFactors`): a measure is
  "above" on days over the person's own median for it; the cycle's factors are compared on the day only.
- "Better" or "worse" needs a gap of MIN_DIFFERENCE that is also clear of chance once every comparison
  made (factors × symptoms × lags) is allowed for: Benjamini–Hochberg at CHANCE_RATE (see `adjusted`);
  anything less is reported as no difference, numbers still shown."""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import pairwise
from statistics import NormalDist

import numpy as np
import pandas as pd

from tracker.insights.analytics import local_days

# The best consumer trackers say nothing until a factor has 3 days with and 3 days without it.
MIN_DAYS = 3


# Half a point on the 1–5 scale: smaller gaps in an average are reported as "no difference".
MIN_DIFFERENCE = 0.5


# With 20 factors, 10 symptoms and 4 lags there are 800 comparisons: at the usual two standard errors
# about 40 would look "clear" by chance alone. So each gap's chance (normal approximation to Welch's
# test) is adjusted with Benjamini–Hochberg over every comparison made: among the gaps shown clear, at
# most a CHANCE_RATE share is expected to be noise (when nothing is real, at most a CHANCE_RATE chance
# that any is). Days are not independent, so this is a rough guard, not a formal test.
CHANCE_RATE = 0.05
SHORT_SLEEP_HOURS = 6.0
SHORT_SLEEP = "Short sleep"
MAX_LAG = 3
LAGS = tuple(range(MAX_LAG + 1))  # 0: the same day; 1: the next day; … 3 days later
LAG_WORDS = {1: "On days after", 2: "Two days after", 3: "Three days after"}


# Sleep bands for `severity_by_sleep`, in hours: [0, 6), [6, 7), [7, 8), [8, ∞).
SLEEP_BAND_EDGES = [0.0, SHORT_SLEEP_HOURS, 7.0, 8.0, np.inf]
SLEEP_BANDS = [
    f"under {SLEEP_BAND_EDGES[1]:g} h",
    *[f"{low:g} to {high:g} h" for low, high in pairwise(SLEEP_BAND_EDGES[1:-1])],
    f"{SLEEP_BAND_EDGES[-2]:g} h or more",
]


NOT_CAUSE_NOTE = "These are patterns, not proof: something that goes with worse days need not cause them."
AVERAGES_NOTE = "Averages use the worst severity each day, and count a check-in day without the symptom as 0."
CORRECTION_NOTE = (
    "A pattern counts as clear only when chance is unlikely across every factor, symptom and delay "
    "compared (Benjamini–Hochberg)."
)
NOT_ENOUGH_MESSAGE = f"Needs {MIN_DAYS} days with and {MIN_DAYS} without a factor"


class FactorKind(StrEnum):
    MEDICATION = "medication"
    SLEEP = "sleep"
    TAG = "tag"
    MEASURE = "measure"  # an own measure above the person's usual (tracker.measures.daily)
    CYCLE = "cycle"  # a part of the menstrual cycle (tracker.cycles.daily), compared on the day only


@dataclass(frozen=True)
class ExtraFactors:
    """Daily yes/no factors that do not come from check-in factors: own measures, the cycle.

    `days`: index local days (midnight, naive), one nullable boolean column per factor (NA: unknown).
    """

    days: pd.DataFrame
    kinds: Mapping[str, FactorKind] = field(default_factory=dict)

    def __add__(self, other: "ExtraFactors") -> "ExtraFactors":
        days = pd.concat([self.days, other.days], axis=1, sort=True).astype("boolean")  # days in order
        return ExtraFactors(days, {**self.kinds, **other.kinds})


NO_EXTRA = ExtraFactors(pd.DataFrame(index=pd.DatetimeIndex([], name="day")))


class Direction(StrEnum):
    """How the symptom's average on days with the factor compares with other days (higher is worse)."""

    BETTER = "better"
    WORSE = "worse"
    NO_DIFFERENCE = "no_difference"


@dataclass(frozen=True)
class FactorFinding:
    """One symptom's average severity on days with and without one factor, `lag` days later."""

    symptom: str
    factor: str
    kind: FactorKind
    lag: int
    days_with: int
    days_without: int
    mean_with: float
    mean_without: float
    difference: float  # mean_with - mean_without
    standard_error: float
    direction: Direction
    sentence: str
    p_value: float = 1.0  # the chance of a gap this size from noise alone, for this one comparison
    q_value: float = 1.0  # the same, Benjamini–Hochberg adjusted for every comparison made
    comparisons: int = 1

    @property
    def numbers(self) -> str:
        """Return the numbers behind the sentence, e.g. "Difference +1.8 ± 0.3; chance p = 0.001, …"."""
        return (
            f"Difference {self.difference:+.1f} ± {self.standard_error:.1f}; chance alone p = "
            f"{_p_text(self.p_value)}, {_p_text(self.q_value)} allowing for {self.comparisons} comparisons."
        )


def _p_text(value: float) -> str:
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


_WHEN = {  # (on the day, `after` days later): {name} is the factor, {after} the LAG_WORDS
    FactorKind.MEDICATION: ("On days you took {name}", "{after} you took {name}"),
    FactorKind.TAG: ("On days with {name}", "{after} {name}"),
    FactorKind.SLEEP: (
        f"On days you slept under {SHORT_SLEEP_HOURS:g} h",
        f"{{after}} you slept under {SHORT_SLEEP_HOURS:g} h",
    ),
    FactorKind.MEASURE: ("On days with {name}", "{after} a day with {name}"),
    FactorKind.CYCLE: ("On {name}", "{after} {name}"),
}


def daily_factor_table(
    entries: pd.DataFrame, factors: pd.DataFrame, tz: str, extra: ExtraFactors = NO_EXTRA
) -> pd.DataFrame:
    """Return one row per local day with a check-in (index `day`), columns in three groups.

    ("symptom", name): the day's worst severity, 0 when not logged. ("factor", name): nullable boolean,
    NA where unknown (before first recorded; short sleep without hours; extra factors not known that
    day). ("sleep", "hours"): mean hours.
    """
    entry_days, factor_days = local_days(entries, tz), local_days(factors, tz)
    days = pd.DatetimeIndex(pd.concat([entry_days, factor_days]).unique(), name="day").sort_values()
    worst = entries["severity"].groupby([entry_days.rename("day"), entries["symptom"]]).max()
    severity = worst.unstack(fill_value=0).reindex(days, fill_value=0).astype("float64")
    is_sleep = factors["kind"] == FactorKind.SLEEP
    hours = factors["value"][is_sleep].groupby(factor_days[is_sleep].rename("day")).mean().reindex(days)
    present = _presence(factors["name"][~is_sleep], factor_days[~is_sleep], days)
    present[SHORT_SLEEP] = (hours < SHORT_SLEEP_HOURS).astype("boolean").where(hours.notna())
    if not extra.days.empty:
        present = pd.concat([present, extra.days.reindex(days).astype("boolean")], axis=1)
    return pd.concat(
        {"symptom": severity, "factor": present, "sleep": hours.rename("hours").to_frame()}, axis=1
    ).rename_axis(columns=[None, None])


def _presence(names: pd.Series, days: pd.Series, index: pd.DatetimeIndex) -> pd.DataFrame:
    """Return day × name: True when recorded that day, False on later check-in days, NA before the first."""
    seen = days.groupby([days.rename("day"), names.rename("name")]).size().unstack(fill_value=0)
    present = seen.reindex(index, fill_value=0).gt(0).astype("boolean")
    first = days.groupby(names).min().reindex(present.columns)
    known = index.to_numpy()[:, None] >= first.to_numpy()[None, :]
    return present.where(known).rename_axis(columns=None)


def factor_findings(
    entries: pd.DataFrame,
    factors: pd.DataFrame,
    tz: str,
    min_days: int = MIN_DAYS,
    lags: Sequence[int] = LAGS,
    extra: ExtraFactors = NO_EXTRA,
) -> list[FactorFinding]:
    """Return every symptom × factor × lag with `min_days` days on both sides, largest difference first.

    Each direction allows for every comparison returned (Benjamini–Hochberg, see `adjusted`).
    Raises ValueError when `min_days` is below 2 (one day has no spread to judge noise by) or a lag is
    outside 0..MAX_LAG.
    """
    if min_days < 2:
        raise ValueError("min_days must be at least 2.")
    if not lags or any(lag not in LAGS for lag in lags):
        raise ValueError(f"lags must be days from 0 to {MAX_LAG}.")
    if entries.empty or (factors.empty and extra.days.empty):
        return []
    table = daily_factor_table(entries, factors, tz, extra)
    yes_no = factors[factors["kind"] != FactorKind.SLEEP]
    kinds = {
        **yes_no.groupby("name")["kind"].first().to_dict(),
        SHORT_SLEEP: FactorKind.SLEEP,
        **extra.kinds,
    }
    rows = _compare(table, sorted(set(lags)))
    rows = rows[(rows["days_with"] >= min_days) & (rows["days_without"] >= min_days)]
    cyclic = np.array([kinds.get(name) == FactorKind.CYCLE for name in rows["factor"]], dtype=bool)
    rows = rows[~cyclic | (rows["lag"] == 0).to_numpy()]  # a cycle day already says when
    rows = rows.assign(
        size=rows["difference"].abs(), p_value=chance(rows["difference"], rows["standard_error"])
    )
    rows = rows.assign(q_value=adjusted(rows["p_value"].to_numpy())).sort_values(
        ["size", "symptom", "factor", "lag"], ascending=[False, True, True, True]
    )
    records = rows.to_dict("records")
    return [_finding(row, FactorKind(kinds[row["factor"]]), len(records)) for row in records]


def chance(difference: pd.Series, standard_error: pd.Series) -> np.ndarray:
    """Return the two-sided chance of each gap from noise alone (normal approximation; NaN spread: 1)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.abs(difference.to_numpy(dtype=float)) / standard_error.to_numpy(dtype=float)
    p = np.array([math.erfc(value / math.sqrt(2)) for value in z], dtype=float)  # erfc(NaN) is NaN
    return np.where(np.isnan(p), 1.0, p)


def adjusted(p_values: np.ndarray) -> np.ndarray:
    """Return Benjamini–Hochberg adjusted values (q): p × m / rank, made monotone, at most 1."""
    count = len(p_values)
    if count == 0:
        return np.array([], dtype=float)
    order = np.argsort(p_values, kind="stable")
    scaled = p_values[order] * count / np.arange(1, count + 1)
    monotone = np.minimum.accumulate(scaled[::-1])[::-1]
    result = np.empty(count, dtype=float)
    result[order] = np.clip(monotone, 0.0, 1.0)
    return result


def _compare(table: pd.DataFrame, lags: Sequence[int]) -> pd.DataFrame:
    """Return per lag × factor × symptom the days, mean and spread of severity `lag` days after with/without.

    The yes/no matrices are built once for every lag: each lag only shifts the severities.
    """
    severity, present = table["symptom"], table["factor"]
    known_present = present.to_numpy(dtype=float, na_value=np.nan)
    weights = {"with": (known_present == 1).astype(float).T, "without": (known_present == 0).astype(float).T}
    factor_names = np.repeat(present.columns.to_numpy(dtype=object), len(severity.columns))
    symptom_names = np.tile(severity.columns.to_numpy(dtype=object), len(present.columns))
    frames = []
    for lag in lags:
        later = severity.reindex(severity.index + pd.Timedelta(days=lag)).to_numpy()  # NaN: no check-in
        known, values = (~np.isnan(later)).astype(float), np.nan_to_num(later)
        sides = {}
        for side, mask in weights.items():
            # Matrix products count, sum and sum squares every factor × symptom pair at once.
            days, total, squares = mask @ known, mask @ values, mask @ values**2
            with np.errstate(invalid="ignore", divide="ignore"):
                mean = total / days
                variance = np.clip((squares - days * mean**2) / (days - 1), 0, None)
            sides[side] = (days, mean, variance)
        (n_with, mean_with, var_with), (n_without, mean_without, var_without) = (
            sides["with"],
            sides["without"],
        )
        with np.errstate(invalid="ignore", divide="ignore"):
            error = np.sqrt(var_with / n_with + var_without / n_without)
        columns = {
            "factor": factor_names,
            "symptom": symptom_names,
            "days_with": n_with.ravel(),
            "days_without": n_without.ravel(),
            "mean_with": mean_with.ravel(),
            "mean_without": mean_without.ravel(),
            "difference": (mean_with - mean_without).ravel(),
            "standard_error": error.ravel(),
            "lag": lag,
        }
        frames.append(pd.DataFrame(columns))
    return pd.concat(frames, ignore_index=True)


def direction_from(difference: float, q_value: float) -> Direction:
    """Return worse/better for a gap of MIN_DIFFERENCE or more whose adjusted chance is within CHANCE_RATE."""
    if abs(difference) < MIN_DIFFERENCE or not q_value <= CHANCE_RATE:
        return Direction.NO_DIFFERENCE
    return Direction.WORSE if difference > 0 else Direction.BETTER


def noise_bound(comparisons: int) -> float:
    """Return how many standard errors a gap needs to be clear of chance among `comparisons` comparisons."""
    return NormalDist().inv_cdf(1 - CHANCE_RATE / (2 * max(comparisons, 1)))


def direction_of(difference: float, standard_error: float, comparisons: int = 1) -> Direction:
    """Return worse/better when the gap is at least MIN_DIFFERENCE and clear of noise, else no_difference.

    One comparison among `comparisons` judged alone (Bonferroni); findings use `direction_from` instead.
    """
    # NaN spread (a side with one day) cannot show a gap is clear of noise, so it never counts as clear.
    size = abs(difference)
    clear = size >= MIN_DIFFERENCE and size >= noise_bound(comparisons) * standard_error
    if not clear:
        return Direction.NO_DIFFERENCE
    return Direction.WORSE if difference > 0 else Direction.BETTER


def _finding(row: dict, kind: FactorKind, comparisons: int) -> FactorFinding:
    difference, error = float(row["difference"]), float(row["standard_error"])
    return FactorFinding(
        symptom=str(row["symptom"]),
        factor=str(row["factor"]),
        kind=kind,
        lag=int(row["lag"]),
        days_with=int(row["days_with"]),
        days_without=int(row["days_without"]),
        mean_with=float(row["mean_with"]),
        mean_without=float(row["mean_without"]),
        difference=difference,
        standard_error=error,
        direction=direction_from(difference, float(row["q_value"])),
        sentence=finding_sentence(row, kind),
        p_value=float(row["p_value"]),
        q_value=float(row["q_value"]),
        comparisons=comparisons,
    )


def finding_sentence(row: dict, kind: FactorKind) -> str:
    """Return a comparison row in plain words with its numbers: what went together, never a cause."""
    lag = int(row["lag"])
    name = row["factor"] if kind in (FactorKind.TAG, FactorKind.MEDICATION) else _in_sentence(row["factor"])
    when = _WHEN[kind][1 if lag else 0].format(name=name, after=LAG_WORDS.get(lag, ""))
    return (
        f"{when} your {_in_sentence(row['symptom'])} averaged {row['mean_with']:.1f}, against "
        f"{row['mean_without']:.1f} on other days "
        f"({int(row['days_with'])} days with, {int(row['days_without'])} without)."
    )


def _in_sentence(name: str) -> str:
    """Return a symptom name for mid-sentence: "Chest pain" → "chest pain", but "COVID" stays."""
    return name if name[1:2].isupper() else name[:1].lower() + name[1:]


def severity_by_sleep(
    entries: pd.DataFrame, factors: pd.DataFrame, tz: str, min_days: int = MIN_DAYS
) -> pd.DataFrame:
    """Return per symptom and SLEEP_BANDS band the days and mean severity on days with that much sleep.

    Columns: symptom, sleep (ordered category), days, mean_severity. Bands under `min_days` are left out.
    """
    empty = pd.DataFrame(columns=["symptom", "sleep", "days", "mean_severity"])
    if entries.empty or factors.empty:
        return empty
    table = daily_factor_table(entries, factors, tz)
    band = pd.cut(table[("sleep", "hours")], SLEEP_BAND_EDGES, right=False, labels=SLEEP_BANDS)
    long = table["symptom"].assign(sleep=band).melt(id_vars="sleep", var_name="symptom").dropna()
    stats = long.groupby(["symptom", "sleep"], observed=True)["value"].agg(days="size", mean_severity="mean")
    stats = stats.reset_index()
    return stats[stats["days"] >= min_days].reset_index(drop=True)
