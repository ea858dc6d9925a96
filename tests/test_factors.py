import numpy as np
import pandas as pd
import pytest

from tracker.charts.factors import factor_chart
from tracker.diary.entries import entries_frame
from tracker.insights import factors
from tracker.insights.factors import SHORT_SLEEP, Direction, FactorFinding, FactorKind

START = pd.Timestamp("2026-01-01 09:00", tz="UTC")
DAYS = 30


def entries(*rows: tuple[str, int, pd.Timestamp]) -> pd.DataFrame:
    """Return an entries frame from (symptom, severity, UTC time) rows, one check-in each."""
    records = [
        (i + 1, i + 1, symptom, symptom, severity, at, at, None, None, None, "v1")
        for i, (symptom, severity, at) in enumerate(rows)
    ]
    return entries_frame(records)


def factor_rows(*rows: tuple[str, str, pd.Timestamp, float]) -> pd.DataFrame:
    """Return a factors frame from (kind, name, UTC time, value) rows."""
    frame = pd.DataFrame(rows, columns=["kind", "name", "occurred_at", "value"])
    frame.insert(0, "check_in_id", range(1, len(frame) + 1))
    frame["occurred_at"] = pd.to_datetime(frame["occurred_at"], utc=True)
    return frame.astype({"value": "float64", "kind": "object", "name": "object"})


def day(i: int) -> pd.Timestamp:
    return START + pd.Timedelta(days=i)


def headaches(severity_on: dict[int, int] | None = None, days: int = DAYS) -> pd.DataFrame:
    """Return a daily headache check-in over `days` days; severity 2 unless given per day."""
    return entries(*[("Headache", (severity_on or {}).get(i, 2), day(i)) for i in range(days)])


def tags(name: str, on: list[int]) -> pd.DataFrame:
    return factor_rows(*[("tag", name, day(i), np.nan) for i in on])


def find(found: list[FactorFinding], factor: str, lag: int) -> FactorFinding:
    (finding,) = [f for f in found if f.factor == factor and f.lag == lag]
    return finding


# Coffee every 4th day (0, 4, …, 28). The day after coffee the headache is 3 or 4 (mean 3.5); other
# days 2, or 1 when i % 4 == 3. Days after a check-in without coffee (2..29, minus 5, 9, …) are 21:
# 14 at 2 and 7 at 1, mean 5/3.
COFFEE_DAYS = list(range(0, DAYS, 4))
COFFEE_HEADACHE = {
    i: (3 if i % 8 == 5 else 4) if i % 4 == 1 else (1 if i % 4 == 3 else 2) for i in range(DAYS)
}


def test_coffee_followed_by_worse_headaches_is_a_next_day_worse_finding():
    found = factors.factor_findings(headaches(COFFEE_HEADACHE), tags("coffee", COFFEE_DAYS), "UTC")
    finding = find(found, "coffee", lag=1)
    assert found[0] == finding  # the largest difference comes first
    assert (finding.symptom, finding.kind, finding.direction) == ("Headache", FactorKind.TAG, Direction.WORSE)
    assert (finding.days_with, finding.days_without) == (8, 21)
    assert finding.mean_with == pytest.approx(3.5)
    assert finding.mean_without == pytest.approx(5 / 3)
    assert finding.difference == pytest.approx(3.5 - 5 / 3)
    assert finding.sentence == (
        "On days after coffee your headache averaged 3.5, against 1.7 on other days "
        "(8 days with, 21 without)."
    )


def test_same_day_coffee_with_the_same_data_shows_no_difference():
    found = factors.factor_findings(headaches(COFFEE_HEADACHE), tags("coffee", COFFEE_DAYS), "UTC")
    assert find(found, "coffee", lag=0).direction is Direction.NO_DIFFERENCE


@pytest.mark.parametrize(
    ("on", "why"),
    [
        ([3, 10], "only 2 days with"),
        ([i for i in range(DAYS) if i not in (3, 10)], "only 2 days without"),
    ],
)
def test_a_factor_without_three_days_on_each_side_gives_no_finding(on, why):
    found = factors.factor_findings(headaches({3: 5, 10: 5}), tags("coffee", on), "UTC")
    assert not [f for f in found if f.factor == "coffee"], why


def test_an_unrelated_factor_shows_no_difference():
    # Severity cycles 1, 2, 3; a walk on every even day sees each value five times, as do the odd days.
    cycle = headaches({i: i % 3 + 1 for i in range(DAYS)})
    finding = find(factors.factor_findings(cycle, tags("walk", list(range(0, DAYS, 2))), "UTC"), "walk", 0)
    assert (finding.mean_with, finding.mean_without) == (2.0, 2.0)
    assert finding.direction is Direction.NO_DIFFERENCE


@pytest.mark.parametrize(
    ("difference", "standard_error", "comparisons", "direction"),
    [
        (1.0, 0.1, 1, Direction.WORSE),
        (-1.0, 0.1, 1, Direction.BETTER),
        (0.4, 0.0, 1, Direction.NO_DIFFERENCE),  # under MIN_DIFFERENCE
        (1.0, 0.6, 1, Direction.NO_DIFFERENCE),  # within two standard errors: could be noise
        (1.0, 0.4, 1, Direction.WORSE),  # 2.5 standard errors is clear for one comparison …
        (1.0, 0.4, 400, Direction.NO_DIFFERENCE),  # … but not among 400, where it happens by chance
        (1.0, float("nan"), 1, Direction.NO_DIFFERENCE),  # no spread to judge by
    ],
)
def test_direction_needs_a_gap_both_large_and_clear_of_chance(
    difference, standard_error, comparisons, direction
):
    assert factors.direction_of(difference, standard_error, comparisons) is direction


def test_random_tags_on_random_days_show_no_clear_pattern_though_some_pass_a_single_test():
    rng = np.random.default_rng(4)
    logged = headaches({i: int(rng.integers(1, 6)) for i in range(60)}, days=60)
    recorded = factor_rows(
        *[("tag", f"tag {t}", day(i), np.nan) for i in range(60) for t in range(20) if rng.random() < 0.3]
    )
    found = factors.factor_findings(logged, recorded, "UTC")
    assert len(found) == 20 * len(factors.LAGS)
    one_at_a_time = [
        f for f in found if factors.direction_of(f.difference, f.standard_error) != "no_difference"
    ]
    assert one_at_a_time  # chance alone clears two standard errors somewhere among 40 comparisons
    assert {f.direction for f in found} == {Direction.NO_DIFFERENCE}


@pytest.mark.parametrize(
    ("tz", "local_day"),
    [
        ("America/New_York", "2026-01-04"),  # 04:30 UTC on the 5th is 23:30 on the 4th
        ("UTC", "2026-01-05"),
        ("Pacific/Auckland", "2026-01-05"),  # 17:30 on the 5th
    ],
)
def test_a_late_evening_check_in_counts_on_its_local_day(tz, local_day):
    at = pd.Timestamp("2026-01-05 04:30", tz="UTC")
    table = factors.daily_factor_table(
        entries(("Headache", 3, at)), factor_rows(("tag", "coffee", at, np.nan)), tz
    )
    assert table.index.tolist() == [pd.Timestamp(local_day)]
    assert table.loc[local_day, ("factor", "coffee")]


def test_days_without_a_check_in_are_unknown_and_a_check_in_without_the_symptom_is_zero():
    logged = entries(("Headache", 4, day(0)), ("Nausea", 2, day(0)), ("Nausea", 3, day(2)))
    table = factors.daily_factor_table(logged, tags("coffee", [0]), "UTC")
    assert table.index.tolist() == [
        day(0).normalize().tz_localize(None),
        day(2).normalize().tz_localize(None),
    ]
    assert table[("symptom", "Headache")].tolist() == [4.0, 0.0]


def test_a_day_counts_its_worst_severity_once():
    logged = entries(("Headache", 2, day(0)), ("Headache", 5, day(0) + pd.Timedelta(hours=3)))
    table = factors.daily_factor_table(logged, tags("coffee", []), "UTC")
    assert table[("symptom", "Headache")].tolist() == [5.0]


def test_a_factor_is_unknown_before_the_patient_first_recorded_it():
    table = factors.daily_factor_table(headaches(days=4), tags("coffee", [2]), "UTC")
    assert table[("factor", "coffee")].tolist() == [pd.NA, pd.NA, True, False]


def test_short_sleep_is_derived_from_hours_and_unknown_without_them():
    hours = {0: 5.0, 1: 6.0, 2: 8.0}  # exactly 6 h is not short; day 3 has no hours
    sleep = factor_rows(*[("sleep", "Sleep", day(i), h) for i, h in hours.items()])
    table = factors.daily_factor_table(headaches(days=4), sleep, "UTC")
    assert table[("factor", SHORT_SLEEP)].tolist() == [True, False, False, pd.NA]
    assert "Sleep" not in table["factor"].columns  # hours are not a yes/no factor


def test_short_sleep_with_worse_headaches_is_a_same_day_sleep_finding():
    nights = {i: 5.0 if i % 3 == 0 else 7.5 for i in range(DAYS)}
    severity = {i: 4 if i % 3 == 0 else 2 for i in range(DAYS)}
    sleep = factor_rows(*[("sleep", "Sleep", day(i), h) for i, h in nights.items()])
    finding = find(factors.factor_findings(headaches(severity), sleep, "UTC"), SHORT_SLEEP, lag=0)
    assert (finding.kind, finding.direction) == (FactorKind.SLEEP, Direction.WORSE)
    assert (finding.days_with, finding.days_without, finding.mean_with, finding.mean_without) == (
        10,
        20,
        4,
        2,
    )
    assert finding.sentence.startswith("On days you slept under 6 h your headache averaged 4.0, against 2.0")


def test_severity_by_sleep_averages_each_band_with_enough_days():
    nights = {i: [5.0, 6.5, 9.0][i % 3] for i in range(DAYS - 2)}
    severity = {i: [4, 3, 1][i % 3] for i in range(DAYS)}
    sleep = factor_rows(*[("sleep", "Sleep", day(i), h) for i, h in nights.items()])
    bands = factors.severity_by_sleep(headaches(severity), sleep, "UTC")
    assert bands["sleep"].astype(str).tolist() == ["under 6 h", "6 to 7 h", "8 h or more"]
    assert bands["mean_severity"].tolist() == [4.0, 3.0, 1.0]
    assert bands["days"].tolist() == [10, 9, 9]


def test_medication_sentences_say_taken_and_never_claim_a_cause():
    severity = {i: 1 if i % 2 else 3 for i in range(DAYS)}
    pills = factor_rows(*[("medication", "Ibuprofen", day(i), np.nan) for i in range(1, DAYS, 2)])
    found = factors.factor_findings(headaches(severity), pills, "UTC")
    assert find(found, "Ibuprofen", 0).sentence.startswith("On days you took Ibuprofen your headache")
    assert find(found, "Ibuprofen", 1).sentence.startswith("On days after you took Ibuprofen")
    assert all("caus" not in f.sentence for f in found)
    assert factors.NOT_CAUSE_NOTE.startswith("These are patterns, not proof")


@pytest.mark.parametrize(
    ("logged", "recorded"),
    [
        (headaches(days=0), tags("coffee", [])),
        (headaches(days=0), tags("coffee", [0, 1, 2, 3])),
        (headaches(), tags("coffee", [])),
    ],
    ids=["nothing", "no entries", "no factors"],
)
def test_empty_input_gives_no_findings(logged, recorded):
    assert factors.factor_findings(logged, recorded, "UTC") == []


def test_min_days_below_two_is_refused():
    with pytest.raises(ValueError, match="at least 2"):
        factors.factor_findings(headaches(), tags("coffee", [1]), "UTC", min_days=1)


def test_factor_chart_plots_a_dot_per_finding_coloured_by_direction():
    found = factors.factor_findings(
        headaches(COFFEE_HEADACHE), tags("coffee", COFFEE_DAYS), "UTC", lags=(0, 1)
    )
    spec = factor_chart(found).to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert [row["label"] for row in rows] == ["day after coffee", "coffee"]
    assert spec["title"]["subtitle"] == "Headache: average severity with it minus without"
    assert spec["width"] == "container"
    dots = spec["layer"][1]["encoding"]["color"]["scale"]
    assert dots["range"] == ["#0072B2", "#D55E00", "#999999"]


def test_factor_chart_names_the_symptom_on_each_row_when_there_are_several():
    logged = pd.concat([headaches(COFFEE_HEADACHE), headaches(COFFEE_HEADACHE).assign(symptom="Nausea")])
    found = factors.factor_findings(logged, tags("coffee", COFFEE_DAYS), "UTC", lags=(0, 1))
    spec = factor_chart(found).to_dict()
    labels = {row["label"] for row in next(iter(spec["datasets"].values()))}
    assert labels == {
        "Headache · coffee",
        "Headache · day after coffee",
        "Nausea · coffee",
        "Nausea · day after coffee",
    }


def test_factor_chart_says_what_is_missing_when_there_are_no_findings():
    spec = factor_chart([]).to_dict()
    assert next(iter(spec["datasets"].values())) == [{"message": factors.NOT_ENOUGH_MESSAGE}]


def year_of_data(
    symptoms: int = 10, tags_count: int = 19, seed: int = 3
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return a year of 3 check-ins a day over `symptoms` symptoms, with tags and sleep, built vectorised."""
    rng = np.random.default_rng(seed)
    at = START + pd.to_timedelta(np.sort(rng.integers(0, 365 * 86_400, 3 * 365)), unit="s")
    logged = pd.DataFrame(
        {
            "id": range(len(at)),
            "check_in_id": range(len(at)),
            "symptom": np.array([f"Symptom {i}" for i in range(symptoms)])[
                rng.integers(0, symptoms, len(at))
            ],
            "severity": rng.integers(1, 6, len(at)),
            "occurred_at": at,
        }
    )
    recorded = logged[["check_in_id", "occurred_at"]].sample(frac=2, replace=True, random_state=seed)
    recorded = recorded.assign(
        kind="tag",
        name=np.array([f"tag {i}" for i in range(tags_count)])[rng.integers(0, tags_count, len(recorded))],
    )
    nights = logged[["check_in_id", "occurred_at"]].assign(
        kind="sleep", name="Sleep", value=rng.uniform(4, 9, len(at))
    )
    return logged, pd.concat([recorded.assign(value=np.nan), nights], ignore_index=True)


def test_a_year_of_twenty_factors_and_ten_symptoms_finds_every_pair():
    """Its speed is measured by benchmarks/bench.py (History, Factors view), not here."""
    logged, recorded = year_of_data()
    found = factors.factor_findings(logged, recorded, "Europe/London")
    assert len({f.factor for f in found}) == 20 and len({f.symptom for f in found}) == 10


def test_an_effect_two_days_later_is_the_one_worse_finding_at_lag_two():
    # Every 5th day a late night; two days later the headache is 4, other days 1 or 2.
    nights = list(range(0, 60, 5))
    severity = {i: 4 if (i - 2) % 5 == 0 else 1 + i % 2 for i in range(60)}
    found = factors.factor_findings(headaches(severity, days=60), tags("late night", nights), "UTC")
    worse = [(f.factor, f.lag) for f in found if f.direction is Direction.WORSE]
    assert worse == [("late night", 2)]
    finding = found[0]  # the largest gap
    assert (finding.lag, finding.direction) == (2, Direction.WORSE)
    assert finding.sentence.startswith("Two days after late night your headache averaged 4.0")
    assert finding.comparisons == len(found) == len(factors.LAGS)
    assert finding.q_value <= factors.CHANCE_RATE and finding.p_value <= finding.q_value
    assert finding.numbers.startswith("Difference +2.")
    assert f"allowing for {len(found)} comparisons" in finding.numbers


def test_lags_are_configurable_and_checked():
    only_same_day = factors.factor_findings(
        headaches(COFFEE_HEADACHE), tags("coffee", COFFEE_DAYS), "UTC", lags=(0,)
    )
    assert {f.lag for f in only_same_day} == {0}
    with pytest.raises(ValueError, match="0 to 3"):
        factors.factor_findings(headaches(), tags("coffee", [1]), "UTC", lags=(4,))


@pytest.mark.parametrize(
    ("p_values", "expected"),
    [
        ([0.01, 0.04, 0.03, 0.2], [0.04, 0.16 / 3, 0.16 / 3, 0.2]),  # 0.03·4/2 = 0.06 > 0.04·4/3: monotone
        ([0.5], [0.5]),
        ([0.02, 0.02], [0.02, 0.02]),
        ([0.9, 0.95, 1.0], [1.0, 1.0, 1.0]),
        ([], []),
    ],
)
def test_benjamini_hochberg_adjusts_each_chance_for_its_rank(p_values, expected):
    assert factors.adjusted(np.array(p_values)).tolist() == pytest.approx(expected)


def test_bh_finds_more_than_bonferroni_when_several_effects_are_real():
    p = np.array([0.001, 0.002, 0.003, 0.004] + [0.5] * 16)
    bonferroni = p * len(p) <= factors.CHANCE_RATE
    assert bonferroni.sum() == 2
    assert (factors.adjusted(p) <= factors.CHANCE_RATE).sum() == 4
