"""End-to-end in password mode: a caregiver shares a child's diary with a clinician, who is alerted.

Two browser contexts are two people (two server-side sessions) on one app. The app mails alerts to a
local aiosmtpd server, so the e-mail the clinician would get is read back here. Screenshot:
artifacts/screenshots/accounts-clinician-alerts.png.
"""

import re
import socket
import time
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING

import browser_support as support
import pytest
from browser_support import (
    DESKTOP,
    NO_PLAYWRIGHT,
    WAIT_MS,
    StreamlitServer,
    expect_shown,
    go_to,
    log_check_in,
    main_area,
    open_heading,
    open_log_page,
    save_screenshot,
    wait_for_app_idle,
)

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

pytestmark = [pytest.mark.browser, pytest.mark.timeout(90)]

expect = pytest.importorskip("playwright.sync_api", reason=NO_PLAYWRIGHT).expect
expect.set_options(timeout=WAIT_MS)
Controller = pytest.importorskip("aiosmtpd.controller", reason="aiosmtpd is not installed").Controller

# The fixtures live in browser_support; binding them here is how pytest finds them for this module.
chromium = support.chromium
open_page = support.open_page

PASSWORD = "correct horse battery"  # at least 10 characters
CAREGIVER = ("Carol Carer", "carol@example.org")
CLINICIAN = ("Dr Nadia Nurse", "nadia@example.org")
CHILD = "Lily"
CODE = re.compile(r"Invitation code: ([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})")
MAIL_WAIT_S = 20.0


class Inbox:
    """An aiosmtpd handler that keeps every message it is given, with its envelope recipients."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd calls it by this name
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def wait_for(self, address: str, timeout_s: float = MAIL_WAIT_S) -> EmailMessage:
        """Return the first message addressed to `address`, waiting up to `timeout_s` for it."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            for recipients, message in list(self.messages):
                if address in recipients:
                    return message
            time.sleep(0.2)
        got = [(recipients, str(message["Subject"])) for recipients, message in self.messages]
        pytest.fail(f"no e-mail to {address} within {timeout_s:.0f} s; the server got {got}")


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    """A local SMTP server (no TLS, no auth): yields its inbox and port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def streamlit_app(
    request: pytest.FixtureRequest, tmp_path: Path, smtp: tuple[Inbox, int]
) -> Iterator[StreamlitServer]:
    """The app with accounts (password sign-in) that mails alerts to the local SMTP server."""
    env = {
        "TRACKER_AUTH": "password",
        "TRACKER_REGION": "GB",
        "TRACKER_SMTP_HOST": "127.0.0.1",
        "TRACKER_SMTP_PORT": str(smtp[1]),
        "TRACKER_SMTP_SECURITY": "none",
        "TRACKER_SMTP_FROM": "tracker@example.org",
    }
    yield from support.running_app(request, tmp_path, env)


def sign_up(page: "Page", name: str, email: str, role_label: str) -> None:
    """Create an account on the sign-in page, then sign in with it (the address is filled in)."""
    expect_shown(page, page.get_by_role("heading", name="Symptom Tracker", level=1))
    wait_for_app_idle(page)
    page.get_by_role("tab", name="Create an account").click()
    form = page.get_by_test_id("stForm").filter(has=page.get_by_role("button", name="Create account"))
    form.get_by_role("textbox", name="Your name").fill(name)
    form.get_by_role("textbox", name="E-mail").fill(email)
    form.get_by_role("textbox", name="Password").fill(PASSWORD)
    form.get_by_role("radiogroup", name="I am a…").get_by_text(role_label, exact=False).click()
    form.get_by_role("button", name="Create account").click()
    expect_shown(page, page.get_by_text("Sign in below with that e-mail and password"))
    wait_for_app_idle(page)
    page.get_by_role("tab", name="Sign in").click()
    form = page.get_by_test_id("stForm").filter(has=page.get_by_role("button", name="Sign in"))
    form.get_by_role("textbox", name="Password").fill(PASSWORD)
    form.get_by_role("button", name="Sign in").click()
    expect_shown(page, page.get_by_test_id("stSidebar").get_by_text(f"Signed in as {name}"))
    wait_for_app_idle(page)


def patient_box(page: "Page", label: str) -> "Locator":
    """Return the sidebar's profile selector."""
    return page.get_by_test_id("stSidebar").get_by_role("combobox", name=label)


def test_a_caregiver_shares_a_child_with_a_clinician_who_is_alerted_and_mailed(open_page, smtp):
    inbox, _ = smtp
    carer = open_page(DESKTOP)
    clinician = open_page(DESKTOP)  # a second context: another person, another session

    # 1–2. The caregiver signs up and adds the child's profile.
    sign_up(carer, *CAREGIVER, "Caregiver: I track symptoms for people I look after")
    expect_shown(carer, main_area(carer).get_by_text("Add the first person you look after"))
    main_area(carer).get_by_role("textbox", name="Name").fill(CHILD)
    main_area(carer).get_by_role("button", name="Add profile").click()
    open_log_page(carer)
    expect(patient_box(carer, "Patient")).to_have_value(CHILD)

    # 3. An invitation code, made on Settings.
    go_to(carer, "Settings", "Settings")
    main_area(carer).get_by_role("button", name="Create an invitation code").click()
    shown = main_area(carer).get_by_test_id("stAlertContentSuccess").filter(has_text="Invitation code:")
    expect_shown(carer, shown)
    match = CODE.search(shown.inner_text())
    assert match, f"no code in {shown.inner_text()!r}"
    code = match.group(1)

    # 4. The clinician signs up in their own session and accepts it: History opens on the child.
    sign_up(clinician, *CLINICIAN, "Clinician: patients share their diary with me")
    open_heading(clinician, "History")
    main_area(clinician).get_by_role("textbox", name="Invitation code").fill(code)
    main_area(clinician).get_by_role("button", name="Accept").click()
    expect_shown(clinician, main_area(clinician).get_by_text("you can read it, not change it"))
    expect(patient_box(clinician, "Patient (shared with you)")).to_have_value(CHILD)
    wait_for_app_idle(clinician)

    # The caregiver's Settings lists the share.
    go_to(carer, "Settings", "Settings")
    address = CLINICIAN[1].replace("@", "@\u2060")  # as shown: never a mailto link (ui.text.plain)
    expect(main_area(carer).get_by_text(f"{CLINICIAN[0]} ({address})")).to_be_visible()
    contact = (
        main_area(carer)
        .get_by_test_id("stMarkdownContainer")
        .filter(has_text=re.compile(f"^mail {address}"))  # then who shared it and what it gets
    )
    expect(contact).to_be_visible()  # and mails them alerts (a Material icon, not an emoji)

    # 5. The caregiver logs a severe symptom for the child.
    go_to(carer, "Log", "Log symptoms")
    log_check_in(carer, "Chest pain", "Chest pain", 5)

    # 6. The clinician's Alerts page shows it (following the link reruns the app: no reload, which
    # would sign them out).
    alerts_link = clinician.get_by_test_id("stSidebarNav").get_by_role("link", name=re.compile(r"^Alerts"))
    alerts_link.click()
    open_heading(clinician, "Alerts")
    alert = main_area(clinician).get_by_test_id("stAlertContentError").filter(has_text="Chest pain")
    expect_shown(clinician, alert)
    expect(alert).to_contain_text("New")
    expect(clinician.get_by_test_id("stSidebarNav")).to_contain_text("Alerts (1 new)")
    expect(main_area(clinician).get_by_role("button", name="Mark as seen")).to_be_visible()
    save_screenshot(clinician, "accounts-clinician-alerts.png")

    # 7. The e-mail went to the clinician's address.
    mail = inbox.wait_for(CLINICIAN[1])
    assert str(mail["Subject"]) == "A symptom was rated severe"  # no user-chosen text in a subject
    body = mail.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert f"Patient: {CHILD}" in text, text
    assert "Chest pain" in text, text
    assert "999" in text, text
    assert mail["From"] == "tracker@example.org"
