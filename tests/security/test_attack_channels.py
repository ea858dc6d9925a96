"""Attack: make the server call an internal address through an apprise contact (issue 11.3).

Only schemes that reach one person's own channel are allowed, and a self-hosted channel's server must
resolve to public addresses. Every test stays on 127.0.0.1: destinations are IP literals or localhost,
and the one server contacted is a local webhook that must receive nothing.
"""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tracker.care_team.access import LOCAL
from tracker.care_team.contacts import add_contact, list_contacts
from tracker.diary.patients import add_patient
from tracker.errors import ValidationError
from tracker.notify.transport import NotifySettings, channel_error, destination_error, notify_settings
from tracker.storage.tables import Contact, Delivery

pytestmark = pytest.mark.filterwarnings("ignore:'imghdr' is deprecated:DeprecationWarning")  # inside apprise


@pytest.fixture
def webhook():
    """An internal HTTP service on 127.0.0.1 that records every request it gets."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.received = received
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def patient(session):
    return add_patient(session, LOCAL, "Ada")


@pytest.mark.parametrize(
    "scheme", ["json", "jsons", "xml", "form", "forms", "mailto", "apprise", "windows", "dbus", "syslog"]
)
def test_a_generic_webhook_or_local_scheme_is_refused(session, patient, webhook, scheme):
    url = f"{scheme}://127.0.0.1:{webhook.server_port}/"
    with pytest.raises(ValidationError, match="Generic webhooks are not allowed"):
        add_contact(session, LOCAL, patient.id, "apprise", url, settings=NotifySettings())
    assert list_contacts(session, LOCAL, patient.id) == []
    assert webhook.received == []


@pytest.mark.parametrize(
    "url",
    [
        "gotify://127.0.0.1/token",  # loopback
        "gotify://127.8.9.10/token",
        "ntfy://localhost/topic",  # a name that resolves to loopback
        "ntfys://10.1.2.3/topic",  # private
        "ntfys://192.168.0.10/topic",
        "gotifys://172.16.5.4/token",
        "matrixs://user:pass@169.254.169.254/#room",  # link-local: cloud metadata
        "gotify://0.0.0.0/token",
        "gotify://[::1]/token",
        "gotify://[fe80::1]/token",
        "gotify://[::ffff:127.0.0.1]/token",  # loopback written as IPv6
        "gotify://[fd00::1]/token",
        "gotify://100.64.0.1/token",  # shared (carrier-grade NAT) space
    ],
)
def test_a_channel_on_a_private_loopback_or_link_local_address_is_refused(session, patient, url):
    with pytest.raises(ValidationError, match="private or local network"):
        add_contact(session, LOCAL, patient.id, "apprise", url, settings=NotifySettings())
    assert list_contacts(session, LOCAL, patient.id) == []


def test_every_address_a_name_resolves_to_must_be_public():
    def resolves_to(*addresses):
        return lambda host, port: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, 0)) for a in addresses]

    assert destination_error("mixed.example", (), resolves_to("93.184.215.14", "10.0.0.1")) is not None
    assert destination_error("public.example", (), resolves_to("93.184.215.14")) is None
    assert "could not be found" in destination_error("nowhere.invalid", (), resolves_to())


def test_one_channel_address_reaches_one_person_not_many(session, patient):
    many = "tgram://123456789:abcdefg_hijklmnop/" + "/".join(
        str(chat) for chat in range(1000, 1050)
    )  # 50 chats
    with pytest.raises(ValidationError, match="exactly one person"):
        add_contact(session, LOCAL, patient.id, "apprise", many, settings=NotifySettings())


def test_personal_channels_are_accepted():
    for url in ("tgram://123456789:abcdefg_hijklmnop/12345", "pover://user@token", "ntfy://my-topic"):
        assert channel_error(url, NotifySettings()) is None, url


def test_an_operator_can_allow_a_private_network_and_an_extra_scheme(monkeypatch):
    monkeypatch.setenv("TRACKER_NOTIFY_ALLOWED_NETWORKS", "127.0.0.0/8, 10.0.0.0/8")
    settings = notify_settings({"notify_extra_schemes": ["json"]})
    assert channel_error("gotify://127.0.0.1/token", settings) is None
    assert channel_error("ntfys://10.1.2.3/topic", settings) is None
    assert channel_error("json://127.0.0.1:8080/", settings) is None
    assert channel_error("ntfys://192.168.0.10/topic", settings) is not None  # not in the allowed networks
    monkeypatch.delenv("TRACKER_NOTIFY_ALLOWED_NETWORKS")
    from_secrets = notify_settings({"notify_allowed_networks": "192.168.0.0/16"})
    assert channel_error("ntfys://192.168.0.10/topic", from_secrets) is None
    assert channel_error("json://127.0.0.1:8080/", from_secrets) is not None


def test_a_bad_network_setting_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("TRACKER_NOTIFY_ALLOWED_NETWORKS", "my lan")
    with pytest.raises(ValidationError, match="Not a network"):
        notify_settings({})


def test_a_stored_webhook_contact_is_refused_again_when_sending(factory, webhook, now):
    """A contact from before this check (or written around it) still cannot make the server call inside."""
    from tracker.alerts.reminders import send_reminders
    from tracker.notify.worker import send_pending

    url = f"json://127.0.0.1:{webhook.server_port}/"
    with factory.begin() as session:
        patient = add_patient(session, LOCAL, "Ada")
        contact = Contact(
            patient_id=patient.id, kind="apprise", address=url, reminders=True, confirmed_at=now
        )
        session.add(contact)
    assert send_reminders(factory, NotifySettings(), now, "UTC").failed == 1
    send_pending(factory, NotifySettings(), now)
    assert webhook.received == []
    with factory.begin() as session:
        (delivery,) = session.query(Delivery).all()
    assert "Generic webhooks are not allowed" in delivery.last_error
