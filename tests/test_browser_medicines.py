"""A journey in headless Chromium: add a medicine with a dose due now, correct its dose, log it from
the Log page in one tap, and see it on History (doses and adherence).

Screenshots: artifacts/screenshots/medicines-*.png."""

import browser_support as support
import pytest
from browser_support import (
    DESKTOP,
    NO_PLAYWRIGHT,
    WAIT_MS,
    add_medicine_due_now,
    add_patient,
    dose_time_due_now,
    expect_shown,
    go_to,
    main_area,
    open_log_page,
    save_screenshot,
    wait_for_app_idle,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(90)]

expect = pytest.importorskip("playwright.sync_api", reason=NO_PLAYWRIGHT).expect
expect.set_options(timeout=WAIT_MS)

chromium = support.chromium
streamlit_app = support.streamlit_app
open_page = support.open_page


def test_a_medicine_added_is_logged_from_the_log_page_and_shown_on_history(open_page):
    page = open_page(DESKTOP)
    open_log_page(page)
    add_patient(page, "Medicine journey")  # its own profile: the Log page of others stays as it was
    go_to(page, "Medicines", "Medicines")
    main = main_area(page)
    expect(main.get_by_text("No medicines yet")).to_be_visible()

    add_medicine_due_now(page, "Sumatriptan", "50")
    expect(main.get_by_text("Sumatriptan 50 mg · tablet")).to_be_visible()

    main.get_by_role("button", name="Edit").click()  # a typo in the dose, corrected in place
    dialog = page.get_by_role("dialog")
    dose = dialog.get_by_label("Dose")
    dose.fill("0")
    dose.press("Enter")
    dialog.get_by_role("button", name="Save changes").click()
    expect(dialog.get_by_text("The dose must be more than 0")).to_be_visible()  # kept open, beside the field
    dose.fill("100")
    dose.press("Enter")
    dialog.get_by_role("button", name="Save changes").click()
    expect(dialog).to_have_count(0)
    expect(main.get_by_text("Saved Sumatriptan 100 mg")).to_be_visible()
    expect(main.get_by_text("Sumatriptan 100 mg · tablet")).to_be_visible()
    save_screenshot(page, "medicines-list.png")

    go_to(page, "Log", "Log symptoms")
    expect(main.get_by_text("Due now:")).to_be_visible()
    expect(main.get_by_text(f"Sumatriptan 100 mg · {dose_time_due_now()}")).to_be_visible()
    save_screenshot(page, "medicines-due-now.png")
    main.get_by_role("button", name="Taken").click()
    expect_shown(page, main.get_by_text("Dose logged."))
    expect(main.get_by_text("Due now:")).to_have_count(0)

    go_to(page, "History", "History")
    main.get_by_role("radiogroup", name="View").get_by_role("radio", name="Medicines").click()
    wait_for_app_idle(page)
    table = main.get_by_test_id("stDataFrame").first
    expect(table.get_by_role("gridcell", name="Sumatriptan", include_hidden=True).first).to_be_attached()
    expect(main.get_by_test_id("stVegaLiteChart")).to_have_count(2)  # doses, and taken as planned
    save_screenshot(page, "medicines-history.png")
