from datetime import UTC, date, datetime

from tracker.insights.periods import range_bounds

NOW = datetime(2026, 11, 25, 23, 30, tzinfo=UTC)


def test_seven_days_means_today_and_the_six_days_before_in_local_time():
    start, end = range_bounds("7 d", NOW, "Asia/Tokyo")  # already the 26th in Tokyo
    assert start == datetime(2026, 11, 20, tzinfo=start.tzinfo)
    assert str(start.tzinfo) == "Asia/Tokyo"
    assert end is None


def test_all_has_no_bounds():
    assert range_bounds("All", NOW, "UTC") == (None, None)


def test_custom_range_includes_its_last_day_whichever_order_it_is_picked_in():
    start, end = range_bounds("Custom", NOW, "UTC", (date(2026, 11, 10), date(2026, 11, 1)))
    assert (start.day, end.day) == (1, 11)


def test_an_unknown_preset_falls_back_to_thirty_days():
    start, _ = range_bounds("bogus", NOW, "UTC")
    assert start.day == 27 and start.month == 10
