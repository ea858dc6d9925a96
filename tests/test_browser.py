"""End-to-end: the real app under `streamlit run`, driven in headless Chromium (desktop and phone).

Screenshots for the visual check go to artifacts/screenshots/. Helpers and fixtures: browser_support.py.
"""

import re
from typing import TYPE_CHECKING

import browser_support as support
import pytest
from browser_support import DESKTOP, NO_PLAYWRIGHT, PHONE, SCREENSHOTS, WAIT_MS

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

pytestmark = [pytest.mark.browser, pytest.mark.timeout(60)]

expect = pytest.importorskip("playwright.sync_api", reason=NO_PLAYWRIGHT).expect
expect.set_options(timeout=WAIT_MS)

# The fixtures live in browser_support; binding them here is how pytest finds them for this module.
chromium = support.chromium
streamlit_app = support.streamlit_app
open_page = support.open_page


def main_area(page: "Page") -> "Locator":
    return page.get_by_test_id("stMain")


def expect_shown(page: "Page", target: "Locator") -> None:
    """Wait for `target`; fail at once, with the app's message, if the app shows an exception instead."""
    error = page.get_by_test_id("stException")
    expect(target.or_(error).first).to_be_visible()
    if error.first.is_visible():
        pytest.fail(f"the app showed an error (traceback in the streamlit log):\n{error.first.inner_text()}")


def wait_for_app_idle(page: "Page") -> None:
    """Wait until the script has finished its run (elements are no longer stale)."""
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning")


def open_log_page(page: "Page") -> None:
    expect_shown(page, page.get_by_role("heading", name="Log symptoms"))
    wait_for_app_idle(page)


def choose_symptom(page: "Page", typed: str, option: str) -> None:
    """Type into the symptom box and pick `option` from the suggestions."""
    box = main_area(page).get_by_role("combobox", name="Symptom")
    box.scroll_into_view_if_needed()
    box.click()
    box.fill(typed)
    page.get_by_role("option", name=option, exact=True).click()
    expect(box).to_have_value(option)


def set_severity(page: "Page", level: int) -> None:
    """Move the "How bad is it?" slider (1–5, starts at 3) with the keyboard."""
    slider = main_area(page).get_by_role("slider", name="How bad is it?")
    steps = level - int(slider.input_value()) - 1  # the input's value is the option index
    for _ in range(abs(steps)):
        slider.press("ArrowRight" if steps > 0 else "ArrowLeft")
    expect(slider).to_have_attribute("aria-valuetext", re.compile(rf"^{level} · "))


def log_check_in(page: "Page", typed: str, option: str, level: int, saved_as: str | None = None) -> None:
    """Log one symptom not logged before, and wait until it is saved and the advice is shown.

    The save is done when the symptom (its canonical name, `saved_as`) joins "Your recent symptoms".
    """
    choose_symptom(page, typed, option)
    set_severity(page, level)
    main_area(page).get_by_role("button", name="Save check-in").click()
    recent = main_area(page).get_by_role("radiogroup", name="Your recent symptoms")
    expect_shown(page, recent.get_by_role("radio", name=saved_as or option, exact=True))
    expect(page.get_by_role("heading", name="What to do next")).to_be_visible()
    wait_for_app_idle(page)


def advice_panel(page: "Page") -> "Locator":
    return page.locator(".st-key-recommendation")


def chart_marks(page: "Page") -> "Locator":
    """Return the drawn chart (canvas or SVG) of the first Vega-Lite chart on the page."""
    return main_area(page).get_by_test_id("stVegaLiteChart").first.locator("canvas, svg.marks").first


def screenshot(page: "Page", name: str) -> None:
    """Save the whole page. Streamlit scrolls inside stMain, so the viewport grows to fit it first."""
    viewport = page.viewport_size or DESKTOP
    height = page.get_by_test_id("stMain").evaluate("main => main.scrollHeight")
    page.set_viewport_size({"width": viewport["width"], "height": max(height, viewport["height"])})
    wait_for_app_idle(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / name, full_page=True)
    page.set_viewport_size(viewport)


def test_chest_pain_at_five_shows_emergency_advice_and_the_chart(open_page):
    page = open_page(DESKTOP)
    open_log_page(page)

    log_check_in(page, "Chest pain", "Chest pain", 5)

    advice = advice_panel(page)
    expect(advice).to_contain_text("Call emergency services now")
    expect(advice).to_contain_text("999")
    expect(advice).to_contain_text("not a medical device")
    chart = chart_marks(page)
    expect(chart).to_be_visible()
    assert chart.bounding_box()["y"] > advice.bounding_box()["y"], "the chart is below the advice"
    screenshot(page, "log-desktop.png")


def test_phone_layout_shows_advice_without_sideways_scrolling(open_page):
    page = open_page(PHONE, mobile=True)
    open_log_page(page)

    log_check_in(page, "tummy ache", "tummy ache → Abdominal pain", 2, saved_as="Abdominal pain")

    expect(advice_panel(page)).to_contain_text("not a medical device")
    expect(chart_marks(page)).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the page scrolls sideways by {overflow}px on a 390px-wide phone"
    screenshot(page, "log-phone.png")


def test_history_page_shows_the_chart_and_the_logged_entries(open_page):
    page = open_page(DESKTOP)
    open_log_page(page)
    log_check_in(page, "Headache", "Headache", 4)
    log_check_in(page, "Fever", "Fever", 2)

    page.get_by_test_id("stSidebarNav").get_by_role("link", name="History").click()

    expect_shown(page, page.get_by_role("heading", name="History", exact=True))
    wait_for_app_idle(page)
    expect(chart_marks(page)).to_be_visible()
    screenshot(page, "history-desktop.png")
    main_area(page).get_by_role("radio", name="Entries").click()
    table = main_area(page).get_by_test_id("stDataFrame")
    for symptom in ["Headache", "Fever"]:
        cell = table.get_by_role("gridcell", name=symptom, exact=True, include_hidden=True)
        expect(cell).to_be_attached()  # the grid is drawn on a canvas; its cells are an a11y table
    wait_for_app_idle(page)
    screenshot(page, "history-entries-desktop.png")
