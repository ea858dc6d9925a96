"""How a message reaches a contact: e-mail over SMTP, or an apprise channel the app may use.

Apprise can reach 100+ services, including generic webhooks (json://, form:// …) that would let a user
make the server call any address. Only schemes that reach one person's own channel are allowed, and a
channel on a self-hosted server must resolve to public addresses: loopback, private and link-local
destinations are refused after DNS resolution, when a contact is added and again before every send.
An operator may widen this (notify_allowed_networks, notify_extra_schemes in tracker.config).
Imports no alert or model code: contacts use it too.
"""

import ipaddress
import logging
import os
import smtplib
import socket
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import make_msgid
from enum import StrEnum
from typing import Any

from tracker.config import notify_allowed_networks, notify_extra_schemes, read_secrets_file, region_code
from tracker.errors import TrackerError, ValidationError
from tracker.regions import region_for

SMTP_TIMEOUT_SECONDS = 20
MAX_ATTEMPTS = 5  # tries of an alert or reminder before giving up (tracker.notify.worker)
SMTP_ENV_PREFIX = "TRACKER_SMTP_"  # TRACKER_SMTP_HOST … override [smtp] in the secrets
SMTP_KEYS = ("host", "port", "username", "password", "from", "security")
SECURITY_PORTS = {"starttls": 587, "ssl": 465, "none": 25}

# Services whose servers are the vendor's own: the URL names an account or a chat, not a host to call.
VENDOR_SCHEMES = frozenset({"tgram", "pover", "pbul", "discord", "slack"})
# Services a person may run on their own server: the URL's host is called, so it must be public.
SELF_HOSTED_SCHEMES = frozenset({"ntfy", "ntfys", "gotify", "gotifys", "matrix", "matrixs"})
SCHEME_HELP = (
    "Use a channel that reaches one person: Telegram (tgram://), Pushover (pover://), Pushbullet "
    "(pbul://), Discord (discord://), Slack (slack://), ntfy (ntfy://), Gotify (gotify://) or Matrix "
    "(matrix://). Generic webhooks are not allowed."
)
PRIVATE_DESTINATION = (
    "That channel's server is on a private or local network address, which the app does not send to."
)

MESSAGE_DOMAIN = "symptom-tracker.invalid"  # without an e-mail sender to take the domain from

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[..., list[Any]]


class Purpose(StrEnum):
    ALERT = "alert"
    REMINDER = "reminder"
    DOSE = "dose"  # a planned dose not logged yet (tracker.medicines.reminders)
    CONFIRM = "confirm"  # the confirmation code, sent before anything else (recorded, never retried)
    TEST = "test"  # "Send a test" on the Settings page (recorded, never retried)


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # not tried yet, or being tried (attempts > 0, lease_until in the future)
    SENT = "sent"
    FAILED = "failed"  # the latest attempt failed: tried again later while attempts < MAX_ATTEMPTS


class DeliveryError(TrackerError):
    """A notification could not be handed over; the message says why."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str  # the "from" key
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    security: str = "starttls"  # "starttls", "ssl" (implicit TLS) or "none"


@dataclass(frozen=True)
class NotifySettings:
    smtp: SmtpSettings | None = None  # None: e-mail is not set up (apprise channels still work)
    emergency: str = region_for(None).emergency  # the number named in every message
    interval_seconds: float = 30.0
    allowed_networks: tuple[Network, ...] = ()  # private networks the operator lets channels reach
    extra_schemes: frozenset[str] = frozenset()  # apprise schemes the operator allows beyond the usual


def notify_settings(secrets: Mapping[str, Any] | None = None) -> NotifySettings:
    """Return the settings: TRACKER_* variables, then the secrets, then defaults.

    Raises ValidationError for a bad port, security value or network.
    """
    source = read_secrets_file() if secrets is None else secrets
    table = dict(source.get("smtp") or {})
    table |= {key: value for key in SMTP_KEYS if (value := os.environ.get(SMTP_ENV_PREFIX + key.upper()))}
    try:
        networks = tuple(ipaddress.ip_network(n, strict=False) for n in notify_allowed_networks(source))
    except ValueError as error:
        raise ValidationError({"notify_allowed_networks": f"Not a network: {error}."}) from None
    return NotifySettings(
        smtp=smtp_settings(table),
        emergency=region_for(region_code(source)).emergency,
        allowed_networks=networks,
        extra_schemes=frozenset(notify_extra_schemes(source)),
    )


def smtp_settings(table: Mapping[str, Any]) -> SmtpSettings | None:
    """Return SMTP settings from an `[smtp]` table (None without a host). Raises ValidationError."""
    if not (host := str(table.get("host") or "").strip()):
        return None
    security = str(table.get("security") or "starttls").lower()
    if security not in SECURITY_PORTS:
        raise ValidationError({"smtp.security": f"security must be one of {', '.join(SECURITY_PORTS)}."})
    try:
        port = int(table.get("port") or SECURITY_PORTS[security])
    except ValueError:
        raise ValidationError({"smtp.port": "port must be a whole number, e.g. 587."}) from None
    username = str(table["username"]) if table.get("username") else None
    sender = str(table.get("from") or username or "symptom-tracker@localhost")
    password = str(table["password"]) if table.get("password") else None
    return SmtpSettings(host, port, sender, username, password, security)


def message_id(settings: NotifySettings) -> str:
    """Return a new globally unique Message-ID in the sender's domain."""
    domain = settings.smtp.sender.rpartition("@")[2] if settings.smtp else ""
    return make_msgid("tracker", domain=domain.strip("<> ") or MESSAGE_DOMAIN)


def channel_error(url: str, settings: NotifySettings, resolve: Resolver = socket.getaddrinfo) -> str | None:
    """Return why the app may not send to the apprise `url`, or None when it may."""
    import apprise  # imported on first use: the app starts without loading every channel

    scheme = url.partition("://")[0].lower()
    if scheme not in VENDOR_SCHEMES | SELF_HOSTED_SCHEMES | settings.extra_schemes:
        return SCHEME_HELP
    try:
        plugin = apprise.Apprise.instantiate(url)
    except Exception:  # apprise's parsers raise on some malformed input instead of returning None
        plugin = None
    if not plugin:
        return "apprise cannot use this address: check it against the channel's page in the apprise wiki."
    if len(plugin) != 1:
        return "A channel address must reach exactly one person or chat: remove the extra targets."
    if scheme in VENDOR_SCHEMES or getattr(plugin, "mode", None) == "cloud":  # ntfy://topic is ntfy.sh
        return None
    return destination_error(str(plugin.host or ""), settings.allowed_networks, resolve)


def destination_error(
    host: str, allowed: tuple[Network, ...] = (), resolve: Resolver = socket.getaddrinfo
) -> str | None:
    """Return why `host` may not be called (private after resolution, or unknown), or None."""
    host = host.strip().strip("[]")  # apprise keeps an IPv6 literal's brackets
    try:
        found = {info[4][0] for info in resolve(host, None)} if host else set()
    except (OSError, UnicodeError):
        found = set()
    if not found:
        return f"The server {host or '(none)'} could not be found."
    for text in found:
        address = ipaddress.ip_address(str(text).split("%")[0])
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        if not address.is_global and not any(address in network for network in allowed):
            return PRIVATE_DESTINATION
    return None


def send_message(
    kind: str, address: str, subject: str, body: str, settings: NotifySettings, message_id: str | None = None
) -> None:
    """Hand one message to the e-mail server or the apprise channel. Raises on failure."""
    if kind == "email":
        _send_email(address, subject, body, settings, message_id)
    else:
        _send_apprise(address, subject, body, settings)


def _send_email(
    address: str, subject: str, body: str, settings: NotifySettings, message_id: str | None
) -> None:
    smtp = settings.smtp
    if smtp is None:
        raise DeliveryError("E-mail is not set up: add host and from under [smtp] in the secrets.")
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = smtp.sender, address, subject
    if message_id:
        message["Message-ID"] = message_id
    message.set_content(body)
    context = ssl.create_default_context()
    if smtp.security == "ssl":
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            smtp.host, smtp.port, timeout=SMTP_TIMEOUT_SECONDS, context=context
        )
    else:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=SMTP_TIMEOUT_SECONDS)
    with client:
        if smtp.security == "starttls":
            client.starttls(context=context)
        if smtp.username:
            client.login(smtp.username, smtp.password or "")
        client.send_message(message, to_addrs=[address])  # never the To header's parse: one recipient


def _send_apprise(url: str, subject: str, body: str, settings: NotifySettings) -> None:
    import apprise

    if problem := channel_error(url, settings):  # again: a name may resolve elsewhere since it was added
        raise DeliveryError(problem)
    notifier = apprise.Apprise()
    if not notifier.add(url):
        raise DeliveryError("The address is not a notification URL that apprise understands.")
    with apprise.LogCapture(level=logging.WARNING) as output:
        if not notifier.notify(body=body, title=subject):
            raise DeliveryError(output.getvalue().strip() or "apprise could not send the notification.")


PLAIN_REASONS = (
    ("SMTPRecipientsRefused", "The e-mail server refused this address."),
    ("SMTPAuthenticationError", "The e-mail server did not accept the app's user name or password."),
    ("ConnectionRefusedError", "The e-mail server could not be reached (connection refused)."),
    ("TimeoutError", "The server did not answer in time."),
    ("gaierror", "The server's name could not be found."),
    ("SSLError", "A secure connection to the server could not be made."),
    ("SMTP", "The e-mail server did not accept the message."),
)


def plain_reason(error: str | None) -> str:
    """Return a failure recorded as "Type: detail" in words a patient can read."""
    if not error:
        return ""
    kind, _, detail = error.partition(": ")
    if not kind.isidentifier():  # already in words, e.g. "Not sent: the alert was resolved …"
        return error
    if kind == "DeliveryError":
        return detail
    for name, words in PLAIN_REASONS:
        if kind.startswith(name):
            return words
    return "The message could not be handed over. Check the address, or ask whoever runs the app."
