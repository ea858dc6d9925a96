"""User text is never a link: escaping stops Markdown links, but GFM also links bare URLs and addresses.

The check mirrors the rules of GitHub-flavoured Markdown's "autolink literal" extension (what Streamlit
uses): on the text after Markdown escapes are resolved, "http(s)://" or "www." before a domain, and
"name@domain.tld", become links. The browser test proves it on the page as drawn.
"""

import re
from datetime import timedelta
from pathlib import Path

import browser_support as support
import pytest
import test_account_pages
from browser_support import NO_PLAYWRIGHT, main_area, open_heading
from helpers import APP, APP_TIMEOUT
from streamlit.testing.v1 import AppTest
from test_account_pages import account, factory, signed_in_app

from tracker.care_team import accounts
from tracker.care_team.access import LOCAL
from tracker.care_team.sharing import accept_invitation, create_invitation
from tracker.diary.entries import store_check_in
from tracker.diary.patients import add_patient, ensure_default_patient, rename_patient
from tracker.diary.validation import EntryInput
from tracker.storage.engine import create_db_engine, session_factory
from tracker.storage.tables import utcnow
from ui.text import plain

NAME = "Ada https://evil.example/x"
SYMPTOM = "www.evil.example ache"
_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_URL = re.compile(r"(https?://|www(?=\.))[-.\w]+", re.IGNORECASE | re.ASCII)
_EMAIL = re.compile(r"[-.\w+]+@[-\w]+(?:\.[-\w]+)+", re.ASCII)

password_app = test_account_pages.password_app


def autolinks(markdown: str) -> list[str]:
    """Return what GFM would turn into links in `markdown` (after its escapes are resolved)."""
    text = _UNESCAPE.sub(r"\1", markdown)
    return [match.group(0) for pattern in (_URL, _EMAIL) for match in pattern.finditer(text)]


@pytest.mark.parametrize(
    "text",
    [
        "https://evil.example/login",
        "see http://evil.example",
        "www.evil.example",
        "WWW.Evil.Example/path",
        "ada@example.org",
        "mailto:ada@example.org",
        "[click](https://evil.example)",
    ],
)
def test_plain_text_holds_nothing_gfm_would_link(text):
    assert autolinks(text), "the case is one GFM links"
    assert autolinks(plain(text)) == []


def test_plain_text_still_reads_as_typed():
    shown = _UNESCAPE.sub(r"\1", plain("Ada https://evil.example ada@x.org")).replace("\u2060", "")
    assert shown == "Ada https://evil.example ada@x.org"


def seed(url: str) -> None:
    """A single-user diary whose name and symptom hold a URL."""
    with session_factory(create_db_engine(url)).begin() as session:
        (me,) = ensure_default_patient(session, LOCAL)
        rename_patient(session, LOCAL, me.id, NAME)
        now = utcnow()
        store_check_in(session, LOCAL, me.id, [EntryInput(SYMPTOM, 2, now - timedelta(hours=1))], now=now)


def test_a_symptom_holding_a_url_is_no_link_in_most_frequent(app_url, monkeypatch):
    monkeypatch.setenv("TRACKER_DATABASE_URL", app_url)
    seed(app_url)
    at = AppTest.from_file(APP, default_timeout=APP_TIMEOUT)
    at.run()
    at.switch_page("pages/history.py").run()
    assert not at.exception, at.exception
    (most,) = [metric for metric in at.metric if metric.label.startswith("Most frequent")]
    assert "evil" in most.value and autolinks(most.value) == []


def test_a_patient_name_holding_a_url_is_no_link_in_the_clinicians_caption(password_app, app_url):
    account(app_url, "pat@example.org", "caregiver", "Pat")
    account(app_url, "lee@example.org", "clinician", "Dr Lee")
    with factory(app_url).begin() as session:
        pat = accounts.actor_for_email(session, "pat@example.org")
        lee = accounts.actor_for_email(session, "lee@example.org")
        sam = add_patient(session, pat, NAME)
        accept_invitation(session, lee, create_invitation(session, pat, sam.id, utcnow()), utcnow())
    at = signed_in_app(app_url, "lee@example.org")
    assert not at.exception, at.exception
    (caption,) = [c.value for c in at.caption if "shared with you" in c.value]
    assert "evil" in caption and autolinks(caption) == []


# The browser proof: the History page as drawn holds no <a> made from user text.
chromium = support.chromium
streamlit_app = support.streamlit_app
open_page = support.open_page


@pytest.mark.browser
@pytest.mark.timeout(90)
def test_no_user_text_is_a_link_on_the_drawn_history_page(open_page, tmp_path: Path):
    pytest.importorskip("playwright.sync_api", reason=NO_PLAYWRIGHT)
    seed(f"sqlite:///{tmp_path / 'tracker.sqlite3'}")
    page = open_page(path="history")
    open_heading(page, "History")
    main = main_area(page)
    support.playwright_expect()(main.get_by_text("evil.example ache").first).to_be_visible()
    assert main.locator("a[href*='evil']").count() == 0
    assert page.locator("a[href*='evil']").count() == 0, "nor in the sidebar"
