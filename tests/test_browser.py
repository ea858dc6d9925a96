"""End-to-end: the real app under `streamlit run`, driven in headless Chromium (desktop and phone).

Screenshots for the visual check go to artifacts/screenshots/. Helpers and fixtures: browser_support.py.
"""

from typing import TYPE_CHECKING

import browser_support as support
import pytest
from browser_support import (
    DESKTOP,
    NO_PLAYWRIGHT,
    PHONE,
    WAIT_MS,
    advice_panel,
    expect_shown,
    log_check_in,
    main_area,
    open_log_page,
    wait_for_app_idle,
)
from browser_support import save_screenshot as screenshot

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

pytestmark = [pytest.mark.browser, pytest.mark.timeout(60)]

expect = pytest.importorskip("playwright.sync_api", reason=NO_PLAYWRIGHT).expect
expect.set_options(timeout=WAIT_MS)

# The fixtures live in browser_support; binding them here is how pytest finds them for this module.
chromium = support.chromium
streamlit_app = support.streamlit_app
open_page = support.open_page


def chart_marks(page: "Page") -> "Locator":
    """Return the drawn chart (canvas or SVG) of the first Vega-Lite chart on the page."""
    return main_area(page).get_by_test_id("stVegaLiteChart").first.locator("canvas, svg.marks").first


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
