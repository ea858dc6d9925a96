"""Notifications go out for real: to an SMTP server and an HTTP endpoint on 127.0.0.1, read back here."""

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from ipaddress import ip_network
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from browser_support import start_server, wait_until_healthy
from helpers import APP, APP_TIMEOUT
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from tracker.alerts.inbox import acknowledge, list_alerts, resolve
from tracker.alerts.store import record_check_in_alerts
from tracker.care_team.access import LOCAL
from tracker.cli import main
from tracker.diary.checkins import LoggedCheckIn
from tracker.diary.entries import store_check_in
from tracker.diary.patients import add_patient
from tracker.diary.validation import EntryInput
from tracker.levels import TriageLevel
from tracker.notify import worker as notify
from tracker.notify.queue import RESOLVED_FIRST, RETRY_DELAYS, is_due, pending_deliveries
from tracker.notify.transport import NotifySettings, SmtpSettings, notify_settings
from tracker.notify.worker import LEASE, MAX_ATTEMPTS, send_now, send_pending, start_background_sender
from tracker.storage.engine import create_db_engine, session_factory
from tracker.storage.tables import Contact, Delivery, utcnow
from tracker.triage.engine import Assessment

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.filterwarnings("ignore:'imghdr' is deprecated:DeprecationWarning")  # inside apprise


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_port():
    return free_port()


@pytest.fixture
def inbox(smtp_port):
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    yield handler
    controller.stop()


@pytest.fixture
def settings(smtp_port):
    # The operator lets apprise's json:// reach this machine: the local webhook below stands in for a channel.
    return NotifySettings(
        SmtpSettings("127.0.0.1", smtp_port, "tracker@example.org", security="none"),
        "999",
        allowed_networks=(ip_network("127.0.0.0/8"),),
        extra_schemes=frozenset({"json"}),
    )


@pytest.fixture
def webhook():
    """A local HTTP endpoint for apprise's json:// channel; answers with `webhook.status`."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(server.status)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.status, server.received = 200, received
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def raise_alert(session, patient, now, severity=5, level=TriageLevel.EMERGENCY):
    stored = store_check_in(session, LOCAL, patient.id, [EntryInput("Chest pain", severity, now)], now=now)
    logged = LoggedCheckIn(stored.id, (), Assessment(level, "advice", 0.9, (), {}))
    return record_check_in_alerts(session, LOCAL, patient.id, logged, {"Chest pain": severity}, {}, now)


def patient_with_alert(factory, now, address="nurse@example.org", kind="email"):
    with factory.begin() as session:
        patient = add_patient(session, LOCAL, "Ada")
        session.add(Contact(patient_id=patient.id, kind=kind, address=address, alerts=True, confirmed_at=now))
        stranger = add_patient(session, LOCAL, "Bob")  # his contact must never hear of Ada's alerts
        session.add(
            Contact(
                patient_id=stranger.id, kind="email", address="bob@example.org", alerts=True, confirmed_at=now
            )
        )
        session.add(
            Contact(
                patient_id=patient.id, kind="email", address="off@example.org", alerts=False, confirmed_at=now
            )
        )
        raise_alert(session, patient, now, severity=4, level=TriageLevel.URGENT)
    return patient


def deliveries(factory):
    with factory.begin() as session:
        return list(session.scalars(select(Delivery).order_by(Delivery.id)))


def test_an_alert_is_mailed_with_the_symptom_and_emergency_advice(factory, settings, inbox, now):
    patient_with_alert(factory, now)
    assert send_pending(factory, settings, now).sent == 1  # severe and urgent advice: one problem, one e-mail
    ((recipients, message),) = inbox.messages
    assert recipients == ["nurse@example.org"]
    assert message["Subject"] == "A symptom was rated severe"
    assert message["To"] == "nurse@example.org"
    body = message.get_content()
    assert "Chest pain was rated 4 out of 5" in body
    assert "If you think it is an emergency, call 999 now." in body
    assert {(d.status, d.attempts, d.sent_at) for d in deliveries(factory)} == {("sent", 1, now)}


def test_a_rerun_sends_nothing_twice_and_an_update_sends_nothing(factory, settings, inbox, now):
    patient = patient_with_alert(factory, now)
    send_pending(factory, settings, now)
    with factory.begin() as session:
        assert pending_deliveries(session, now, settings) == 0
        raise_alert(session, patient, now + timedelta(hours=1), severity=4, level=TriageLevel.URGENT)
    assert send_pending(factory, settings, now + timedelta(hours=1)).sent == 0
    assert len(inbox.messages) == 1


def test_a_round_with_no_alert_to_word_leaves_the_rule_file_unread(factory, settings, monkeypatch, now):
    """The sender's first round at start-up does not parse the Excel rule file while a page is drawn."""

    def unread() -> None:
        raise AssertionError("the rule file was read")

    monkeypatch.setattr("tracker.notify.queue.default_alert_rules", unread)
    with factory.begin() as session:
        assert pending_deliveries(session, now, settings) == 0


def test_a_worse_problem_is_mailed_again_as_worse(factory, settings, inbox, now):
    patient = patient_with_alert(factory, now)
    send_pending(factory, settings, now)
    with factory.begin() as session:
        (alert,) = list_alerts(session, LOCAL, patient.id)
        acknowledge(
            session, LOCAL, patient.id, alert.id, "Nurse Jo", now
        )  # acknowledged, then worse: new again
        (worse,) = raise_alert(session, patient, now, severity=5)
    assert send_pending(factory, settings, now).sent == 1
    assert [m["Subject"] for _, m in inbox.messages[1:]] == ["Worse: A symptom was rated severe"]
    assert {d.reference for d in deliveries(factory)} == {f"alert {worse.id} v1", f"alert {worse.id} v2"}


def test_a_failing_server_records_the_error_and_is_retried_later(factory, smtp_port, settings, now):
    patient_with_alert(factory, now)
    assert send_pending(factory, settings, now).failed == 1
    (first,) = deliveries(factory)
    assert (first.status, first.attempts, first.sent_at) == ("failed", 1, now)
    assert "Connection refused" in first.last_error
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        assert send_pending(factory, settings, now + RETRY_DELAYS[0] / 2).sent == 0  # too soon
        assert send_pending(factory, settings, now + RETRY_DELAYS[0]).sent == 1
    finally:
        controller.stop()
    assert [(d.status, d.attempts) for d in deliveries(factory)] == [("sent", 2)]
    assert len(inbox.messages) == 1


@pytest.mark.parametrize(
    ("status", "attempts", "minutes_ago", "due"),
    [
        ("pending", 0, None, True),
        ("failed", 1, 0.5, False),
        ("failed", 1, 1, True),
        ("failed", 4, 119, False),
        ("failed", MAX_ATTEMPTS, 10_000, False),  # gave up
        ("pending", 1, 1, False),  # another sender is on it
        ("pending", 1, 10, True),  # that sender died mid-attempt
        ("sent", 1, 10_000, False),
    ],
)
def test_retries_wait_longer_each_time_and_stop_at_max_attempts(now, status, attempts, minutes_ago, due):
    last = None if minutes_ago is None else now - timedelta(minutes=minutes_ago)
    assert is_due(status, attempts, last, now) is due


def test_a_resolved_alert_is_not_sent(factory, settings, inbox, now):
    patient = patient_with_alert(factory, now)
    with factory.begin() as session:
        pending_deliveries(session, now, settings)
        for alert in raise_alert(session, patient, now, severity=4, level=TriageLevel.URGENT):
            resolve(session, LOCAL, patient.id, alert.id, "Dr Lee", now)
    assert send_pending(factory, settings, now).sent == 0
    assert {(d.status, d.last_error) for d in deliveries(factory)} == {("failed", RESOLVED_FIRST)}
    assert inbox.messages == []


def test_other_channels_go_through_apprise(factory, settings, webhook, now):
    patient_with_alert(factory, now, address=f"json://127.0.0.1:{webhook.server_port}/", kind="apprise")
    assert send_pending(factory, settings, now).sent == 1
    titles = [payload["title"] for payload in webhook.received]
    assert titles == ["A symptom was rated severe"]
    assert all("call 999" in payload["message"] for payload in webhook.received)


def test_an_apprise_failure_is_recorded(factory, settings, webhook, now):
    webhook.status = 500
    patient_with_alert(factory, now, address=f"json://127.0.0.1:{webhook.server_port}/", kind="apprise")
    assert send_pending(factory, settings, now).failed == 1
    assert all(d.status == "failed" and "500" in d.last_error for d in deliveries(factory))


def test_email_without_smtp_settings_fails_saying_what_to_set(factory, now):
    patient_with_alert(factory, now)
    send_pending(factory, NotifySettings(), now)
    assert all("[smtp]" in d.last_error for d in deliveries(factory))


def test_the_background_sender_sends_without_the_caller_waiting(factory, settings, inbox, now):
    patient_with_alert(factory, now)
    sender = start_background_sender(factory, settings)
    try:
        assert start_background_sender(factory, settings) is sender  # one thread per process
        deadline = time.monotonic() + 10
        while not inbox.messages and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(inbox.messages) == 1
    finally:
        sender.stop()
    assert not sender.is_alive()


def test_send_now_sends_what_is_pending_on_a_database_url(engine, factory, settings, inbox, now):
    patient_with_alert(factory, now)
    report = send_now(engine.url.render_as_string(hide_password=False), settings, now)
    assert (report.sent, report.failed, len(inbox.messages)) == (1, 0, 1)


def test_smtp_settings_come_from_the_environment_then_the_secrets(monkeypatch):
    secrets = {
        "region": "GB",
        "smtp": {"host": "mail.example.org", "username": "u@example.org", "password": "pw"},
    }
    monkeypatch.setenv("TRACKER_SMTP_PORT", "2525")
    settings = notify_settings(secrets)
    assert settings.smtp == SmtpSettings("mail.example.org", 2525, "u@example.org", "u@example.org", "pw")
    assert settings.emergency == "999"
    assert "pw" not in repr(settings)
    assert notify_settings({}).smtp is None


def test_a_retry_after_a_crash_carries_the_same_message_id(factory, settings, inbox, now, monkeypatch):
    """The app dies after the server took the mail but before the outcome was saved (issue 11.5).

    The claim's lease keeps every other sender off until it runs out; then the mail goes again (at
    least once), with the same Message-ID, so the receiving side can tell it is the same message.
    """
    patient_with_alert(factory, now)

    def crash(*args, **kwargs):
        raise SystemExit("killed while the SMTP server held its reply")

    monkeypatch.setattr(notify, "_record", crash)
    with pytest.raises(SystemExit):
        send_pending(factory, settings, now)
    monkeypatch.undo()
    assert len(inbox.messages) == 1
    assert send_pending(factory, settings, now + LEASE - timedelta(seconds=1)).sent == 0, "still claimed"
    assert send_pending(factory, settings, now + LEASE).sent == 1
    first, again = (message for _, message in inbox.messages)
    assert first["Message-ID"] and first["Message-ID"] == again["Message-ID"]
    assert [(d.status, d.attempts, d.lease_until) for d in deliveries(factory)] == [("sent", 2, None)]


def test_every_delivery_has_its_own_message_id(factory, settings, inbox, now):
    with factory.begin() as session:
        patient = add_patient(session, LOCAL, "Ada")
        for address in ("a@example.org", "b@example.org"):
            session.add(Contact(patient_id=patient.id, kind="email", address=address, confirmed_at=now))
        raise_alert(session, patient, now)
    send_pending(factory, settings, now)
    ids = {message["Message-ID"] for _, message in inbox.messages}
    assert len(ids) == 2 and all(i.endswith("@example.org>") for i in ids)


def test_a_slow_server_conversation_does_not_hold_up_the_others(factory, now):
    """One recipient's server stalls mid-conversation; the other contact's mail still goes out."""
    release, arrived = threading.Event(), threading.Event()
    received = []

    class Stalling:
        async def handle_DATA(self, server, session, envelope):
            if envelope.rcpt_tos == ["slow@example.org"]:
                while not release.is_set():
                    await asyncio.sleep(0.02)
            received.append(envelope.rcpt_tos[0])
            arrived.set()
            return "250 Message accepted for delivery"

    port = free_port()
    controller = Controller(Stalling(), hostname="127.0.0.1", port=port)
    controller.start()
    settings = NotifySettings(SmtpSettings("127.0.0.1", port, "tracker@example.org", security="none"), "999")
    with factory.begin() as session:
        patient = add_patient(session, LOCAL, "Ada")
        for address in ("slow@example.org", "fast@example.org"):  # the slow one is first in line
            session.add(Contact(patient_id=patient.id, kind="email", address=address, confirmed_at=now))
        raise_alert(session, patient, now)
    sending = threading.Thread(target=send_pending, args=(factory, settings, now))
    sending.start()
    try:
        arrived.wait(timeout=15)
        assert received == ["fast@example.org"], "the fast contact did not wait for the slow one"
    finally:
        release.set()
        sending.join(timeout=30)
        controller.stop()
    assert sorted(received) == ["fast@example.org", "slow@example.org"]


def test_the_app_starts_sending_on_its_first_run_without_a_check_in(
    app_url, inbox, smtp_port, monkeypatch, now
):
    """After a restart, an alert already waiting goes out as soon as anyone opens the app (issue 11.5)."""
    engine = create_db_engine(app_url)
    patient_with_alert(session_factory(engine), now)
    engine.dispose()
    local_smtp_env(monkeypatch, smtp_port)
    monkeypatch.setenv("TRACKER_DATABASE_URL", app_url)
    AppTest.from_file(APP, default_timeout=APP_TIMEOUT).run()  # the Log page, nothing saved
    deadline = time.monotonic() + 30
    while not inbox.messages and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [recipients for recipients, _ in inbox.messages] == [["nurse@example.org"]]


@pytest.mark.slow
def test_a_started_server_sends_an_alert_waiting_from_before_it_started_with_no_visit(
    tmp_path, inbox, smtp_port, now
):
    """`streamlit run app.py` starts sending as it starts: nobody has to open the app first."""
    url = f"sqlite:///{tmp_path / 'tracker.sqlite3'}"  # the database start_server points the app at
    engine = create_db_engine(url)
    patient_with_alert(session_factory(engine), now)
    engine.dispose()
    env = {"TRACKER_SMTP_HOST": "127.0.0.1", "TRACKER_SMTP_PORT": str(smtp_port)}
    env |= {"TRACKER_SMTP_SECURITY": "none", "TRACKER_SMTP_FROM": "t@example.org"}
    server = start_server(tmp_path, tmp_path / "streamlit.log", extra_env=env)
    try:
        wait_until_healthy(server)
        deadline = time.monotonic() + 30
        while not inbox.messages and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        server.stop()
    assert [recipients for recipients, _ in inbox.messages] == [["nurse@example.org"]], server.log()


def test_the_notify_command_sends_what_is_due_once(
    engine, factory, inbox, smtp_port, monkeypatch, now, capsys
):
    patient_with_alert(factory, now)
    local_smtp_env(monkeypatch, smtp_port)
    url = engine.url.render_as_string(hide_password=False)
    assert main(["notify", "--database-url", url]) == 0
    assert main(["notify", "--database-url", url]) == 0
    assert capsys.readouterr().out.splitlines() == ["Sent 1, failed 0.", "Sent 0, failed 0."]
    assert len(inbox.messages) == 1


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_the_notify_loop_keeps_sending_as_a_separate_worker(tmp_path, inbox, smtp_port, now, stop):
    """`python -m tracker notify --loop` beside the app: a real process, stopped at the end by Ctrl-C or
    by a service manager's SIGTERM, cleanly, after the round it was in."""
    url = f"sqlite:///{tmp_path / 'worker.sqlite3'}"
    engine = create_db_engine(url)
    patient_with_alert(session_factory(engine), utcnow())
    engine.dispose()
    env = {**os.environ, "TRACKER_SMTP_HOST": "127.0.0.1", "TRACKER_SMTP_PORT": str(smtp_port)}
    env |= {"TRACKER_SMTP_SECURITY": "none", "TRACKER_SMTP_FROM": "t@example.org"}
    worker = subprocess.Popen(
        [sys.executable, "-m", "tracker", "notify", "--loop", "--database-url", url],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not inbox.messages and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.1)
        assert len(inbox.messages) == 1, worker.stderr.read() if worker.poll() is not None else "no mail"
    finally:
        worker.send_signal(stop)
        worker.wait(timeout=30)
    assert worker.returncode == 0
    assert "Ctrl-C stops" in worker.stderr.read()


def local_smtp_env(monkeypatch, port) -> None:
    """Point the app's e-mail settings (environment) at the local test SMTP server."""
    for key, value in {
        "HOST": "127.0.0.1",
        "PORT": port,
        "FROM": "t@example.org",
        "SECURITY": "none",
    }.items():
        monkeypatch.setenv(f"TRACKER_SMTP_{key}", str(value))
