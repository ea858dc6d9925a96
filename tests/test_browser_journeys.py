"""Journeys through the real app in headless Chromium: filter, edit, download and import.

One server (and one fresh database) serves the whole module, so each journey logs symptoms no other
journey uses and tolerates the others' entries. Screenshots: artifacts/screenshots/<journey>.png.
"""

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import browser_support as support
import pytest
from browser_support import (
    DESKTOP,
    NO_PLAYWRIGHT,
    WAIT_MS,
    edit_grid_cell,
    expect_only_row,
    go_to,
    grid_cell,
    log_check_in,
    main_area,
    open_heading,
    open_log_page,
    save_screenshot,
    show_entries,
    wait_for_app_idle,
)

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

pytestmark = [pytest.mark.browser, pytest.mark.timeout(60)]

expect = pytest.importorskip("playwright.sync_api", reason=NO_PLAYWRIGHT).expect
expect.set_options(timeout=WAIT_MS)

# The fixtures live in browser_support; binding them here is how pytest finds them for this module.
chromium = support.chromium
streamlit_app = support.shared_streamlit_app
open_page = support.open_page

TZ = "Europe/London"  # the browser's zone (open_page), which the app shows times in


def pick_symptom_filter(page: "Page", symptom: str) -> None:
    """Add `symptom` to History's "Symptoms" filter."""
    box = main_area(page).get_by_role("combobox", name="Symptoms")
    box.click()
    page.get_by_role("option", name=symptom, exact=True).click()
    box.press("Escape")
    expect(selected_symptoms(page)).to_have_count(1)
    wait_for_app_idle(page)


def selected_symptoms(page: "Page") -> "Locator":
    return main_area(page).get_by_role("group", name="Selected values").locator("[data-tag]")


def period_radio(page: "Page", label: str) -> "Locator":
    return main_area(page).get_by_role("radiogroup", name="Period").get_by_role("radio", name=label)


def download(page: "Page", button: str) -> bytes:
    """Click the download button whose label starts with `button`; return the file it gives."""
    with page.expect_download() as started:
        main_area(page).get_by_role("button", name=re.compile(rf"^{button}")).click()
    return Path(started.value.path()).read_bytes()


def upload(page: "Page", file: Path) -> None:
    """Choose `file` in the uploader and wait until the server has it."""
    main_area(page).locator("input[type=file]").set_input_files(file)
    # The chip's button reads "Cancel upload of …" while uploading and "Remove …" once it is done.
    expect(main_area(page).get_by_role("button", name=f"Remove {file.name}")).to_be_visible()
    wait_for_app_idle(page)


def import_csv(tmp_path: Path, name: str, rows: list[str]) -> Path:
    file = tmp_path / name
    file.write_text("\n".join(["occurred_at,symptom,severity,note", *rows]) + "\n")
    return file


def test_history_filters_stay_in_the_url_after_a_reload(open_page):
    page = open_page(DESKTOP)
    open_log_page(page)
    log_check_in(page, "Sneezing", "Sneezing", 2)
    log_check_in(page, "Runny nose", "Runny nose", 3)
    go_to(page, "History", "History")

    period_radio(page, "7 d").click()
    wait_for_app_idle(page)
    pick_symptom_filter(page, "Runny nose")

    expect(page).to_have_url(re.compile(r"[?&]range=7(\+|%20)d(&|$)"))
    expect(page).to_have_url(re.compile(r"[?&]symptoms=Runny(\+|%20)nose(&|$)"))
    page.reload()
    open_heading(page, "History")
    expect(period_radio(page, "7 d")).to_be_checked()
    expect(selected_symptoms(page)).to_have_count(1)
    expect(selected_symptoms(page)).to_have_attribute("aria-label", "Runny nose")
    save_screenshot(page, "filter-history.png")


def test_a_severity_edited_in_the_table_is_saved(open_page):
    page = open_page(DESKTOP)
    open_log_page(page)
    log_check_in(page, "Back pain", "Back pain", 2)
    go_to(page, "History", "History")
    table = show_entries(page)
    pick_symptom_filter(page, "Back pain")
    expect_only_row(table, "Back pain")
    # Its only row: eight cells, from the symptom to "Your answers" (the check-in's follow-up answers).
    expect(table.get_by_role("gridcell", include_hidden=True)).to_have_count(8)

    edit_grid_cell(page, table, "Severity", 0, "4")
    main_area(page).get_by_role("button", name="Save changes").click()

    # Said in a toast and under the table, also when the save raised an alert (which reruns the page).
    expect(page.get_by_test_id("stToast").get_by_text("Saved changes to 1 entry.")).to_be_visible()
    expect(main_area(page).get_by_text("Saved changes to 1 entry.")).to_be_visible()
    page.reload()
    open_heading(page, "History")
    expect(grid_cell(table, 1, 0)).to_have_text("Back pain")
    expect(grid_cell(table, 3, 0)).to_have_text("4")  # the same view, read afresh: the edit shows
    save_screenshot(page, "edit-entry-after-reload.png")
    period_radio(page, "All").click()
    expect(grid_cell(table, 3, 0)).to_have_text("4")
    save_screenshot(page, "edit-entry.png")


def test_the_csv_and_pdf_downloads_hold_the_record(open_page):
    page = open_page(DESKTOP)
    open_log_page(page)
    log_check_in(page, "Toothache", "Toothache", 3)
    go_to(page, "Your data", "Your data")

    csv = download(page, "CSV").decode("utf-8")
    pdf = download(page, "PDF")

    assert csv.startswith("occurred_at,"), csv[:200]
    assert ",Toothache," in csv, csv
    assert pdf.startswith(b"%PDF"), pdf[:20]
    save_screenshot(page, "download-export.png")


def test_import_adds_a_good_file_and_lists_the_bad_rows_of_another(open_page, tmp_path):
    day = (datetime.now(ZoneInfo(TZ)) - timedelta(days=1)).strftime("%Y-%m-%d")
    good = import_csv(tmp_path, "good.csv", [f"{day} 09:30,Bloating,2,", f"{day} 18:00,Heartburn,3,"])
    bad = import_csv(tmp_path, "bad.csv", [f"{day} 10:30,Bloating,2,", f"{day} 19:00,Heartburn,9,"])
    page = open_page(DESKTOP, path="data")
    open_heading(page, "Your data")
    main = main_area(page)

    upload(page, good)
    main.get_by_role("button", name="Import", exact=True).click()
    expect(main.get_by_text("Imported 2 entries")).to_be_visible()

    upload(page, bad)
    main.get_by_role("button", name="Import", exact=True).click()
    expect(main.get_by_text("Nothing was imported")).to_be_visible()
    # The whole explanation is on screen (a table used to cut it off at its column width).
    problem = main.get_by_role("listitem").filter(has_text="row 3")
    expect(problem).to_be_visible()
    expect(problem).to_contain_text("to 5 (very severe). The file says “9”.")
    expect(main.get_by_text("Imported 2 entries")).to_be_hidden()
    save_screenshot(page, "import-file.png")


def test_a_severity_raised_in_history_redoes_the_advice_and_raises_an_alert(open_page):
    page = open_page(DESKTOP)
    open_log_page(page)
    log_check_in(page, "Knee pain", "Knee pain", 2)
    go_to(page, "History", "History")
    table = show_entries(page)
    pick_symptom_filter(page, "Knee pain")
    expect_only_row(table, "Knee pain")
    main = main_area(page)

    edit_grid_cell(page, table, "Severity", 0, "9")  # not turned into a 5 on the way
    main.get_by_role("button", name="Save changes").click()
    expect(main.get_by_text("Severity must be a whole number from 1 (very mild) to 5")).to_be_visible()
    page.reload()  # nothing was saved: the table reads 2 again
    open_heading(page, "History")
    expect(grid_cell(table, 3, 0)).to_have_text("2")

    edit_grid_cell(page, table, "Severity", 0, "5")
    main.get_by_role("button", name="Save changes").click()
    expect(main.get_by_text("The advice for this check-in was checked again")).to_be_visible()
    expect(page.get_by_test_id("stSidebarNav")).to_contain_text(re.compile(r"Alerts \(\d+ new\)"))
    save_screenshot(page, "edit-raises-alert.png")
    go_to(page, re.compile(r"^Alerts"), "Alerts")
    expect(main.get_by_test_id("stAlertContentError").filter(has_text="Knee pain")).to_be_visible()
