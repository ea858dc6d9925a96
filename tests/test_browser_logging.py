"""Logging journeys in headless Chromium: a recent-symptom chip, a slider and a note on a desktop and a
phone, and the phone's pages fitting the screen with the advice on its first screen.

One server (and one fresh database) serves the whole module; each journey logs under its own person.
Split from test_browser_journeys.py so that the two CI workers share the browser journeys.
Screenshots: artifacts/screenshots/<journey>.png.
"""

import browser_support as support
import pytest
from browser_support import (
    DESKTOP,
    NO_PLAYWRIGHT,
    PHONE,
    SCREENSHOTS,
    WAIT_MS,
    add_patient,
    advice_dialog,
    advice_panel,
    assert_on_first_screen,
    close_advice,
    go_to,
    leave_field,
    log_check_in,
    main_area,
    open_log_page,
    save_screenshot,
    set_severity,
    show_entries,
    sideways_overflow,
    wait_for_app_idle,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(60)]

expect = pytest.importorskip("playwright.sync_api", reason=NO_PLAYWRIGHT).expect
expect.set_options(timeout=WAIT_MS)

# The fixtures live in browser_support; binding them here is how pytest finds them for this module.
chromium = support.chromium
streamlit_app = support.shared_streamlit_app
open_page = support.open_page


def test_phone_pages_fit_the_screen_and_the_advice_is_on_the_first_screen(open_page):
    page = open_page(PHONE, mobile=True)
    open_log_page(page)
    add_patient(page, "Phone journey")  # a first check-in: no recent symptoms above the form

    # Its follow-up questions make the form longer than the screen: Save is pressed further down.
    log_check_in(page, "Sore throat", "Sore throat", 2, close=False)
    assert_on_first_screen(page, advice_dialog(page))  # the advice opens on screen all the same
    close_advice(page)
    form = main_area(page).get_by_role("combobox", name="Symptom").first
    assert advice_panel(page).bounding_box()["y"] < form.bounding_box()["y"], "the advice tops the page"
    overflow = {"Log": sideways_overflow(page)}
    save_screenshot(page, "phone.png")
    # A second one: the advice opens in a dialog on screen again.
    log_check_in(page, "Earache", "Earache", 2, close=False)
    assert_on_first_screen(page, advice_dialog(page))
    page.screenshot(path=SCREENSHOTS / "phone-second-check-in.png")  # just what the screen shows
    close_advice(page)
    go_to(page, "History", "History")
    overflow["History"] = sideways_overflow(page)
    save_screenshot(page, "phone-history.png")
    show_entries(page)
    overflow["History: Entries"] = sideways_overflow(page)
    save_screenshot(page, "phone-history-entries.png")
    go_to(page, "Your data", "Your data")
    overflow["Your data"] = sideways_overflow(page)
    save_screenshot(page, "phone-data.png")
    assert all(pixels <= 1 for pixels in overflow.values()), f"sideways scrolling (px): {overflow}"


@pytest.mark.parametrize(("viewport", "mobile"), [(DESKTOP, False), (PHONE, True)], ids=["desktop", "phone"])
def test_a_recent_symptom_chip_then_a_slider_and_a_note_save_one_entry(open_page, viewport, mobile):
    page = open_page(viewport, mobile=mobile)
    open_log_page(page)
    add_patient(page, f"Chips on {'a phone' if mobile else 'a desktop'}")  # only this journey's chips
    log_check_in(page, "Hoarse voice", "Hoarse voice", 2)
    main = main_area(page)

    main.get_by_role("radiogroup", name="Recent symptoms").get_by_role("radio", name="Hoarse voice").click()
    expect(main.get_by_role("combobox", name="Symptom")).to_have_value("Hoarse voice")
    wait_for_app_idle(page)
    set_severity(page, 4)
    wait_for_app_idle(page)
    main.get_by_role("textbox", name="Note (optional)").fill("after lunch")
    leave_field(page, main.get_by_role("textbox", name="Note (optional)"))
    expect(main.get_by_role("combobox", name="Symptom")).to_have_count(1)
    main.get_by_role("button", name="Save check-in").click()

    expect(advice_dialog(page)).to_be_visible()
    expect(page.get_by_role("dialog")).to_contain_text("Saved 1 symptom.")
    close_advice(page)
    go_to(page, "History", "History")
    table = show_entries(page)
    cells = table.get_by_role("gridcell", name="Hoarse voice", exact=True, include_hidden=True)
    expect(cells).to_have_count(2)  # the first check-in and the one from the chip, no copies
