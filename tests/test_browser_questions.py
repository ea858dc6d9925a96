"""A journey through the follow-up questions in headless Chromium: answer, see the advice change, save,
and find the answers in History and in the PDF report."""

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
    choose_symptom,
    go_to,
    main_area,
    open_log_page,
    save_check_in,
    save_screenshot,
    set_severity,
    wait_for_app_idle,
)

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(90)]

expect = pytest.importorskip("playwright.sync_api", reason=NO_PLAYWRIGHT).expect
expect.set_options(timeout=WAIT_MS)

chromium = support.chromium
streamlit_app = support.streamlit_app
open_page = support.open_page

SUDDEN = "Did it start suddenly, reaching its worst within a minute?"


def download(page: "Page", button: str) -> bytes:
    with page.expect_download() as started:
        main_area(page).get_by_role("button", name=re.compile(rf"^{button}")).click()
    return Path(started.value.path()).read_bytes()


def log_and_preview(page: "Page", symptom: str, severity: int) -> "Locator":
    """Choose one symptom at `severity` on the Log page; return the live advice, still "Manage at home"."""
    open_log_page(page)
    choose_symptom(page, symptom, symptom)
    set_severity(page, severity)
    preview = page.locator(".st-key-recommendation_preview")
    expect(preview).to_contain_text("Manage at home")
    return preview


def test_a_sudden_headache_becomes_an_emergency_before_saving_and_its_answer_is_kept(open_page):
    page = open_page(DESKTOP)
    preview = log_and_preview(page, "Headache", 3)
    expect(preview).to_contain_text("Get help sooner if")

    question = main_area(page).get_by_role("radiogroup", name=SUDDEN)
    question.get_by_text("Yes, within a minute").click()
    expect(preview).to_contain_text("Call emergency services now")  # before Save: the advice moved
    wait_for_app_idle(page)
    save_screenshot(page, "questions-answered.png")
    save_check_in(page, "Headache")

    go_to(page, "History", "History")
    main_area(page).get_by_role("radiogroup", name="View").get_by_role("radio", name="Entries").click()
    table = main_area(page).get_by_test_id("stDataFrame")
    expect(table.get_by_role("columnheader", name="Your answers", include_hidden=True)).to_be_attached()
    cells = table.get_by_role("gridcell", include_hidden=True).filter(has_text="sudden onset: yes")
    expect(cells).to_have_count(1)

    go_to(page, "Your data", "Your data")
    pdf = download(page, "PDF")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    assert b"Answers to follow-up questions" in text
    assert SUDDEN.encode() in text.replace(b"\n", b" ")


def test_a_yes_to_the_life_threatening_signs_is_an_emergency_before_saving(open_page):
    """NHS 111: any of the 999 signs is a 999 call, whatever was logged (screens.csv `level`)."""
    page = open_page(DESKTOP)
    preview = log_and_preview(page, "Hay fever", 2)
    screen = main_area(page).get_by_role("radiogroup", name=re.compile(r"^Is there any of these now"))
    screen.get_by_text("Yes, one or more").click()
    expect(preview).to_contain_text("Call emergency services now")
    wait_for_app_idle(page)
    save_screenshot(page, "emergency-signs-answered.png")


def test_yes_to_a_screen_shows_which_of_these_under_it_and_a_tick_moves_the_advice(open_page):
    page = open_page(support.PHONE)
    preview = log_and_preview(page, "Headache", 3)
    for start, answer in (
        ("Is there any of these now", "No, none of these"),
        ("Did this start after a knock", "No, none of these"),
        ("Is it the worst pain", "Yes, one or more"),
    ):
        main_area(page).get_by_role("radiogroup", name=re.compile(f"^{start}")).get_by_text(answer).click()
        wait_for_app_idle(page)
    ticks = main_area(page).get_by_test_id("stCheckbox")
    expect(ticks).to_have_text(  # every sign the screen named, the most urgent first
        [
            "Is this the worst pain you have ever had?",
            "Are you seeing double?",
            "Is your neck stiff, so that it hurts to bend your chin to your chest?",
            "None of these",
        ]
    )
    expect(preview).not_to_contain_text("Call emergency services now")
    ticks.filter(has_text="Are you seeing double?").locator("label").click()
    expect(preview).to_contain_text("Call emergency services now")  # before Save: the tick moved it
    wait_for_app_idle(page)
    save_screenshot(page, "questions-which-of-these.png")
