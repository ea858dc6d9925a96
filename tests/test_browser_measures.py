"""Journey in headless Chromium: add a medicine with a dose due now and log it from the Log page, add a
temperature measure and log 38.4 °C, see both on History, and download a PDF of the last 30 days with
only the medicines and measures sections (read back with pdftotext).

Its own server and database: the measure it adds would change the Log page for other journeys.
"""

import re
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import browser_support as support
import pytest
from browser_support import (
    DESKTOP,
    NO_PLAYWRIGHT,
    WAIT_MS,
    add_medicine_due_now,
    add_patient,
    go_to,
    leave_field,
    log_check_in,
    main_area,
    open_log_page,
    save_screenshot,
    wait_for_app_idle,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

expect = pytest.importorskip("playwright.sync_api", reason=NO_PLAYWRIGHT).expect
expect.set_options(timeout=WAIT_MS)

chromium = support.chromium
streamlit_app = support.shared_streamlit_app
open_page = support.open_page


def pick(page: "Page", box_name: str, option: str) -> None:
    """Pick `option` in the select box (or multiselect) labelled `box_name`."""
    box = main_area(page).get_by_role("combobox", name=box_name)
    box.click()
    box.fill(option)  # the list narrows to it: a long list redraws its options while scrolling
    page.get_by_role("option", name=option, exact=True).click()
    wait_for_app_idle(page)


def download(page: "Page", button: str) -> bytes:
    with page.expect_download() as started:
        main_area(page).get_by_role("button", name=re.compile(rf"^{button}")).click()
    return Path(started.value.path()).read_bytes()


def test_a_medicine_and_a_temperature_logged_show_on_history_and_alone_in_a_30_day_pdf(open_page):
    page = open_page(DESKTOP)
    open_log_page(page)
    expect(main_area(page).get_by_role("combobox", name="Symptom")).to_be_visible(timeout=4 * WAIT_MS)
    add_patient(page, "Tracking journey")  # its own profile: the Log page of others stays as it was
    add_medicine_due_now(page, "Sumatriptan", "50")
    go_to(page, "Log", "Log symptoms")
    main_area(page).get_by_role("button", name="Taken").click()
    expect(main_area(page).get_by_text("Dose logged.")).to_be_visible()
    go_to(page, "Settings", "Settings")
    pick(page, "Ready-made measure", "Temperature (°C)")
    main_area(page).get_by_role("button", name="Add", exact=True).click()
    expect(main_area(page).get_by_text("Temperature (°C)", exact=True)).to_be_visible()

    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Log", exact=True).click()
    heading = page.get_by_role("heading", name="Log symptoms", exact=True, level=1)
    expect(heading).to_be_visible(timeout=4 * WAIT_MS)  # a loaded machine may still be reading the model
    wait_for_app_idle(page)
    field = main_area(page).get_by_role("spinbutton", name="Temperature (°C)")
    field.fill("38.4")
    leave_field(page, field)
    log_check_in(page, "Headache", "Headache", 2)

    go_to(page, "History", "History")
    main_area(page).get_by_role("radiogroup", name="View").get_by_role("radio", name="Medicines").click()
    wait_for_app_idle(page)
    table = main_area(page).get_by_test_id("stDataFrame").first
    expect(table.get_by_role("gridcell", name="Sumatriptan", include_hidden=True).first).to_be_attached()
    main_area(page).get_by_role("radiogroup", name="View").get_by_role("radio", name="Measures").click()
    wait_for_app_idle(page)
    expect(main_area(page).get_by_role("combobox", name="Measure")).to_be_visible()
    expect(main_area(page).get_by_test_id("stVegaLiteChart").first).to_be_visible()
    save_screenshot(page, "measures-history.png")

    go_to(page, "Your data", "Your data")
    pick(page, "Dates", "Last 30 days")
    sections = main_area(page).get_by_test_id("stMultiSelect")
    sections.get_by_role("button", name="Clear all").click()
    wait_for_app_idle(page)
    pick(page, "Sections", "Medicines and adherence")
    pick(page, "Sections", "Measures")
    main_area(page).get_by_role("combobox", name="Sections").press(
        "Escape"
    )  # close the list over the buttons
    wait_for_app_idle(page)
    pdf = download(page, "PDF")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "Measures" in text and "Temperature" in text and "38.4" in text, text
    assert "Medicines and adherence" in text and "Sumatriptan 50 mg" in text, text
    for left_out in ("Summary", "Alerts raised", "Newest entries", "Headache"):
        assert left_out not in text, f"{left_out!r} should not be in a medicines-and-measures report"
    save_screenshot(page, "measures-report.png")
