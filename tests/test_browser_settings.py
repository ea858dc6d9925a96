"""Settings in headless Chromium: the region holds after a reload; the sidebar reads top to bottom."""

from typing import TYPE_CHECKING

import browser_support as support
import pytest
from browser_support import (
    NO_PLAYWRIGHT,
    WAIT_MS,
    advice_panel,
    go_to,
    log_check_in,
    main_area,
    open_heading,
    open_log_page,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.timeout(150)]

expect = pytest.importorskip("playwright.sync_api", reason=NO_PLAYWRIGHT).expect
expect.set_options(timeout=WAIT_MS)

chromium = support.chromium
streamlit_app = support.streamlit_app  # the server's own region is GB (999)
open_page = support.open_page


def pick(page: "Page", label: str, option: str) -> None:
    """Choose `option` in the selectbox labelled `label` and wait for the run it starts."""
    box = main_area(page).get_by_role("combobox", name=label)
    box.click()
    page.get_by_role("option", name=option, exact=True).click()
    expect(box).to_have_value(option)
    support.wait_for_app_idle(page)


def test_united_states_picked_on_settings_is_still_911_on_the_log_page_after_a_reload(open_page):
    page = open_page()
    open_log_page(page)
    go_to(page, "Settings", "Settings")
    pick(page, "Region (sets the emergency and crisis numbers we show)", "United States — emergency 911")
    page.reload()
    open_heading(page, "Settings")
    go_to(page, "Log", "Log symptoms")
    log_check_in(page, "Headache", "Headache", 2)
    expect(advice_panel(page)).to_contain_text("call 911 now")
    other_tab = open_page()  # and in a new browser session altogether
    go_to(other_tab, "Settings", "Settings")
    expect(main_area(other_tab)).to_contain_text("call 911 now")


def test_the_sidebar_names_the_app_above_its_pages_and_the_advice_page_has_one_name(open_page):
    page = open_page()
    open_log_page(page)
    sidebar = page.get_by_test_id("stSidebar")
    title = sidebar.get_by_role("img", name="Symptom Tracker").or_(sidebar.get_by_alt_text("Logo")).first
    expect(title).to_be_visible()
    nav = page.get_by_test_id("stSidebarNav")
    assert title.bounding_box()["y"] < nav.bounding_box()["y"], "the app's name comes first"
    go_to(page, "How the advice works", "How the advice works")
