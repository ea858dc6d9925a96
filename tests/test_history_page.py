"""History page: every view renders real data, filters live in the URL."""

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tracker import config
from tracker.care_team.access import LOCAL
from tracker.diary.demo import fill_demo
from tracker.storage.engine import create_db_engine

APP = str(Path(__file__).resolve().parent.parent / "app.py")
VIEWS = ["Overview", "Calendar", "Trends", "Measures", "Patterns", "Factors", "Entries"]


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('history') / 'demo.sqlite3'}"
    fill_demo(create_db_engine(url), LOCAL, 1, 3000, lambda s: ("self_care", "Rest and fluids.", 0.9, "test"))
    return url


@pytest.fixture
def history(demo_url, monkeypatch) -> AppTest:
    monkeypatch.setenv(config.DATABASE_URL_ENV, demo_url)
    monkeypatch.setenv(config.REFRESH_ENV, "0")
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/history.py").run()
    assert not at.exception, at.exception
    return at


def chart_specs(at: AppTest) -> list[str]:
    return [chart.proto.spec for chart in at.get("vega_lite_chart")]


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_shows_without_error(history, view):
    history.button_group(key="view").set_value(view).run()
    assert not history.exception, history.exception
    if view not in {"Entries", "Factors"}:
        assert chart_specs(history), f"{view} shows charts"


def test_factors_view_shows_patterns_from_a_year_of_demo_data_without_claiming_cause(history):
    history.button_group(key="range").set_value("All").run()
    history.button_group(key="view").set_value("Factors").run()
    text = " ".join(str(caption.value) for caption in history.caption)
    assert "not proof" in text
    assert chart_specs(history), "the factor chart is shown"


def test_summary_tiles_say_their_period(history):
    labels = [metric.label for metric in history.metric]
    assert labels == [
        "Entries, last 7 days",
        "Most frequent, last 7 days",
        "Worst, last 7 days",
        "Trend, last 30 days",
    ]
    history.button_group(key="range").set_value("90 d").run()
    assert history.metric[3].label == "Trend, last 90 days"


def test_no_tile_shows_a_minus_sign_next_to_its_arrow(history):
    deltas = [str(metric.proto.delta) for metric in history.metric if metric.proto.delta]
    assert deltas and not any(delta.lstrip().startswith(("-", "−")) for delta in deltas), deltas


@pytest.mark.parametrize("period", ["7 d", "30 d", "90 d", "All"])
def test_the_trend_tile_and_the_trends_view_say_the_same(history, period):
    history.button_group(key="range").set_value(period).run()
    history.button_group(key="view").set_value("Trends").run()
    tile = history.metric[3]
    sentences = " ".join(str(markdown.value) for markdown in history.markdown)
    shown = [str(caption.value) for caption in history.caption if str(caption.value) in sentences]
    assert tile.value == "—" or shown, f"the tile's sentence {tile.value!r} is one of the Trends view's"
    if shown:
        assert f"{tile.value} {tile.proto.delta} over the last" in shown[0]


def test_a_shared_link_opens_with_its_filters(demo_url, monkeypatch):
    monkeypatch.setenv(config.DATABASE_URL_ENV, demo_url)
    monkeypatch.setenv(config.REFRESH_ENV, "0")
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["range"] = "90 d"
    at.query_params["view"] = "Trends"
    at.run()
    at.switch_page("pages/history.py").run()
    assert at.button_group(key="range").value == "90 d"
    assert at.button_group(key="view").value == "Trends"


def test_symptom_filter_limits_the_charts_to_that_symptom(history):
    history.button_group(key="range").set_value("All").run()
    options = history.multiselect(key="symptoms").options
    history.multiselect(key="symptoms").set_value([options[0]]).run()
    shown = str([chart.proto for chart in history.get("vega_lite_chart")])
    assert options[0] in shown
    assert not any(other in shown for other in options[1:])


def test_the_measures_view_charts_the_demo_temperature(history):
    history.segmented_control(key="view").set_value("Measures").run()
    history.selectbox(key="measure_shown").set_value("Temperature").run()
    assert not history.exception, history.exception
    titles = [json.loads(spec).get("title", {}).get("text") for spec in chart_specs(history)]
    assert "Temperature (°C)" in titles, "the temperature chart is drawn"


def test_the_calendar_shows_period_days_of_a_profile_that_tracks_its_cycle(history):
    history.segmented_control(key="view").set_value("Calendar").run()
    assert any('"Period"' in spec for spec in chart_specs(history))


def test_factors_can_look_only_at_the_same_day_and_show_their_numbers(history):
    history.segmented_control(key="view").set_value("Factors").run()
    three = history.markdown
    history.segmented_control(key="lags").set_value(0).run()
    assert not history.exception, history.exception
    spec = "".join(chart_specs(history))
    assert "days after" not in spec and "day after" not in spec
    assert any("Benjamini" in caption.value for caption in history.caption)
    assert three is not None
