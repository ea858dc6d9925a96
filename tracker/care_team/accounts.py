"""Accounts: sign-up and sign-in with argon2 password hashes, throttling, expiring sessions, OIDC users.

Passwords are hashed with argon2id (argon2-cffi: the OWASP first choice, salted and tuned for us).
A session token is shown to the browser session once and stored only as its SHA-256, so a copy of the
database cannot be replayed as a sign-in. Wrong e-mail and wrong password read the same, sign-up
answers the same for a new and a taken address, and too many tries are throttled per address and
client (never a lock a stranger can put on someone else's account): no form tells who has an account.
"""

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import CursorResult, Insert, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from tracker.care_team.access import Actor, ActorKind, Role
from tracker.care_team.contacts import EMAIL_PATTERN
from tracker.diary.validation import clean_text, valid_id
from tracker.errors import NotFoundError, TrackerError, raise_if_any
from tracker.storage.limits import EMAIL_MAX_LENGTH, USER_NAME_MAX_LENGTH
from tracker.storage.tables import Patient, SignInAttempt, User, UserSession

PASSWORD_MIN_LENGTH = 10  # NIST SP 800-63B asks for at least 8; a passphrase is easier to remember
PASSWORD_MAX_LENGTH = 256
MAX_FAILED_SIGN_INS = 5  # password checks per address and client in ATTEMPT_WINDOW
ATTEMPT_WINDOW = timedelta(minutes=15)
ADDRESS_HOURLY_LIMIT = 100  # OWASP ASVS v4 2.2.1: at most 100 failed attempts an hour on one account
ADDRESS_WINDOW = timedelta(hours=1)
ALL_CLIENTS = "*"  # the client key of the per-address count (a real key is a 64-digit hash)
SESSION_IDLE = timedelta(minutes=30)  # signed out after this long without a page load
SESSION_MAX = timedelta(hours=12)  # and after this long in any case
SEEN_EVERY = timedelta(minutes=1)  # a page load refreshes the idle clock at most this often
PROVIDERS = ("password", "oidc")
_hasher = PasswordHasher()
_WRONG = "That e-mail and password do not match an account."
SIGNED_UP = (
    "Thank you. Sign in below with that e-mail and password. If the address already had an account, "
    "its password is unchanged: use that one."
)
ADDRESS_TAKEN_NOTICE = (
    "Someone tried to create an account with your e-mail",
    "Someone tried to create a Symptom Tracker account with this e-mail address, which already has one.\n\n"
    "If it was you, simply sign in with your password. If it was not you, you need not do anything: "
    "nothing was changed and nobody was told that you have an account.",
)
SESSION_ENDED = "Your session ended. Please sign in again."


class SignInError(TrackerError):
    """A sign-in that failed: wrong details, or an account locked for a while."""


@dataclass(frozen=True)
class SignedIn:
    """A new session: the token for this browser session and the actor it stands for."""

    token: str
    actor: Actor


def normal_email(email: object) -> str:
    """Return the e-mail as stored: trimmed and casefolded (one account per address)."""
    return clean_text(email).casefold()


def email_error(email: str) -> str | None:
    if not email or len(email) > EMAIL_MAX_LENGTH or not EMAIL_PATTERN.match(email):
        return "Please enter an e-mail address such as name@example.org."
    return None


def password_error(password: str) -> str | None:
    if len(password) < PASSWORD_MIN_LENGTH:
        return f"Use at least {PASSWORD_MIN_LENGTH} characters; a few words together are easy to remember."
    if len(password) > PASSWORD_MAX_LENGTH:
        return f"Use at most {PASSWORD_MAX_LENGTH} characters."
    return None


def name_error(name: str) -> str | None:
    if not name or len(name) > USER_NAME_MAX_LENGTH:
        return f"Please enter a name of 1 to {USER_NAME_MAX_LENGTH} characters."
    return None


def role_error(role: object) -> str | None:
    return None if role in tuple(Role) else "Choose patient, caregiver or clinician."


def actor_for(user: User) -> Actor:
    """Return the actor a signed-in user acts as."""
    return Actor.user(user.id, user.role, user.name)


def sign_up(session: Session, email: str, name: str, password: str, role: str, now: datetime) -> User | None:
    """Create a password account and return it; None when the address already has one.

    Raises ValidationError naming each bad field. A taken address is not an error: the caller gives
    the same answer either way, so the form does not tell a stranger who has an account (OWASP ASVS
    v4 2.2 / 3.x), and the same argon2 work is done so the timing does not tell either.
    """
    email, name = normal_email(email), clean_text(name)
    raise_if_any(
        {
            "email": email_error(email),
            "name": name_error(name),
            "password": password_error(password),
            "role": role_error(role),
        }
    )
    password_hash = _hasher.hash(password)
    if _by_email(session, email) is not None:
        return None
    user = User(
        email=email,
        name=name,
        role=str(role),
        provider="password",
        password_hash=password_hash,
        created_at=now,
    )
    session.add(user)
    session.flush()
    return user


def sign_in(session: Session, email: str, password: str, now: datetime, client: str = "") -> SignedIn:
    """Check the password and open a session. Raises SignInError (wrong, or too many tries).

    At most MAX_FAILED_SIGN_INS passwords are checked per address and client (`client`: the browser's
    IP address) in ATTEMPT_WINDOW, and ADDRESS_HOURLY_LIMIT per address from all clients together.
    Each check is counted *before* the password is verified, by one conditional UPDATE whose row lock
    holds parallel attempts back until this one commits: none is lost. Known and unknown addresses are
    counted alike, so neither the answers nor the waits tell who has an account; and a stranger's
    wrong guesses hold back only the stranger's own client, not the owner's. Commit the session on
    SignInError too: the count is the point.
    """
    address = normal_email(email)
    account_key, client_key = _key(address), _key(client)
    for key, limit, window in (
        (client_key, MAX_FAILED_SIGN_INS, ATTEMPT_WINDOW),
        (ALL_CLIENTS, ADDRESS_HOURLY_LIMIT, ADDRESS_WINDOW),
    ):
        if (wait := _take_attempt(session, account_key, key, limit, window, now)) is not None:
            minutes = max(1, math.ceil(wait / timedelta(minutes=1)))
            raise SignInError(
                f"Too many tries with this e-mail. Please wait {minutes} minute{'s' if minutes != 1 else ''} "
                "and try again."
            )
    user = _by_email(session, address)
    if user is None or user.provider != "password" or not user.password_hash:
        _hasher.hash(password)  # the same work as a real check, so timing does not reveal accounts
        raise SignInError(_WRONG)
    try:
        _hasher.verify(user.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        raise SignInError(_WRONG) from None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    # The right password gives its own check back (a person opening several tabs is never held up);
    # wrong ones stay counted for the window, so no success lets more than MAX_FAILED_SIGN_INS through.
    session.execute(
        update(SignInAttempt)
        .where(
            SignInAttempt.account_key == account_key, SignInAttempt.client_key.in_([client_key, ALL_CLIENTS])
        )
        .where(SignInAttempt.checks > 0)
        .values(checks=SignInAttempt.checks - 1)
    )
    return open_session(session, user, now)


def _take_attempt(
    session: Session, account_key: str, client_key: str, limit: int, window: timedelta, now: datetime
) -> timedelta | None:
    """Count one password check; return None, or how long until the next is allowed when `limit` is used.

    A window starts at the first check and lasts `window`; an older one starts afresh.
    """
    where = (SignInAttempt.account_key == account_key, SignInAttempt.client_key == client_key)
    session.execute(
        _insert_ignoring_duplicates(session).values(
            account_key=account_key, client_key=client_key, checks=0, window_started=now
        )
    )
    session.execute(
        update(SignInAttempt)
        .where(*where, SignInAttempt.window_started <= now - window)
        .values(checks=0, window_started=now)
    )
    counted = session.execute(
        update(SignInAttempt)
        .where(*where, SignInAttempt.checks < limit)
        .values(checks=SignInAttempt.checks + 1)
    )
    if cast(CursorResult[Any], counted).rowcount == 1:
        return None
    started = session.scalar(select(SignInAttempt.window_started).where(*where))
    return (started or now) + window - now


def _insert_ignoring_duplicates(session: Session) -> Insert:
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(SignInAttempt).on_conflict_do_nothing()
    return sqlite.insert(SignInAttempt).on_conflict_do_nothing()


def _key(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def open_session(session: Session, user: User, now: datetime) -> SignedIn:
    """Start a session for `user` and return its token (shown once; only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    user.last_sign_in_at = now
    session.add(
        UserSession(
            user_id=user.id,
            token_hash=_token_hash(token),
            created_at=now,
            last_seen_at=now,
            expires_at=now + SESSION_MAX,
        )
    )
    session.flush()
    return SignedIn(token, actor_for(user))


class SessionEndedError(TrackerError):
    """The browser session's sign-in has ended (signed out, idle too long, or too old)."""

    def __init__(self) -> None:
        super().__init__(SESSION_ENDED)


def resume_session(session: Session, token: str, now: datetime, touch: bool = True) -> Actor | None:
    """Return the actor of a live session, or None when the token is unknown, idle too long or too old.

    An expired session is deleted: signing in again is the only way back. `touch=False` checks without
    counting as activity (a page refreshing by itself is not the person using it).
    """
    found = session.scalar(select(UserSession).where(UserSession.token_hash == _token_hash(token)))
    if found is None:
        return None
    if now >= found.expires_at or now - found.last_seen_at >= SESSION_IDLE:
        session.delete(found)
        return None
    if touch and now - found.last_seen_at >= SEEN_EVERY:
        found.last_seen_at = now
    user = session.get(User, found.user_id)
    return actor_for(user) if user is not None else None


def end_session(session: Session, token: str) -> None:
    """Sign out: forget the session (a no-op for an unknown token)."""
    session.execute(delete(UserSession).where(UserSession.token_hash == _token_hash(token)))


def oidc_user(session: Session, email: str, now: datetime) -> User | None:
    """Return the account of an identity-provider user, or None until they have chosen a role."""
    user = _by_email(session, normal_email(email))
    if user is not None and (user.last_sign_in_at is None or now - user.last_sign_in_at >= SEEN_EVERY):
        user.last_sign_in_at = now  # not on every rerun: a page load would be a write
    return user


def create_oidc_user(session: Session, email: str, name: str, role: str, now: datetime) -> User:
    """Create the account of an identity-provider user on their first visit. Raises ValidationError."""
    email, name = normal_email(email), clean_text(name) or normal_email(email).split("@")[0]
    raise_if_any(
        {"email": _new_email_error(session, email), "name": name_error(name), "role": role_error(role)}
    )
    user = User(
        email=email, name=name[:USER_NAME_MAX_LENGTH], role=str(role), provider="oidc", created_at=now
    )
    session.add(user)
    session.flush()
    return user


def get_user(session: Session, actor: Actor) -> User:
    """Return the signed-in actor's own account. Raises NotFoundError (also for a local or system actor)."""
    user = (
        session.get(User, actor.user_id) if actor.kind is ActorKind.USER and valid_id(actor.user_id) else None
    )
    if user is None:
        raise NotFoundError("There is no account signed in.")
    return user


def actor_for_email(session: Session, email: str) -> Actor:
    """Return the actor of the account with this e-mail (for the operator's CLI). Raises NotFoundError."""
    user = _by_email(session, normal_email(email))
    if user is None:
        raise NotFoundError(f"There is no account with the e-mail {email!r}.")
    return actor_for(user)


def delete_account(session: Session, actor: Actor) -> int:
    """Delete the account, every profile it keeps (with all their data) and its sessions and shares.

    Returns how many profiles went. Raises NotFoundError when no account is signed in.
    """
    user = get_user(session, actor)
    deleted = session.execute(delete(Patient).where(Patient.owner_id == user.id))
    profiles = cast(CursorResult[Any], deleted).rowcount
    session.delete(user)  # sessions, shares with them and their outcomes' authorship go by foreign key
    session.flush()
    return int(profiles or 0)


def _new_email_error(session: Session, email: str) -> str | None:
    """Return why a new account cannot have `email` (malformed, or taken), or None."""
    if message := email_error(email):
        return message
    return "There is already an account with this e-mail." if _by_email(session, email) else None


def _by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == email))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
