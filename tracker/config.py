"""Configuration in one place: environment, then Streamlit secrets, then defaults."""

import os
import tempfile
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
MODELS_DIR = PROJECT_ROOT / "models"
SECRETS_FILE = PROJECT_ROOT / ".streamlit" / "secrets.toml"

DATABASE_URL_ENV = "TRACKER_DATABASE_URL"
STATE_DIR_ENV = "TRACKER_STATE_DIR"
REGION_ENV = "TRACKER_REGION"
DEFAULT_STATE_DIR = PROJECT_ROOT / "var"


def read_secrets_file(path: Path = SECRETS_FILE) -> dict[str, Any]:
    """Return the secrets TOML as a dict, or {} when the file does not exist (CLI use)."""
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        return tomllib.load(handle)


def state_dir() -> Path:
    """Return the folder for local state (SQLite file, retrained model), creating it.

    A read-only checkout (a locked-down server) falls back to the user's state folder, then the
    temporary folder, so the app still starts without writing beside the code.
    """
    if configured := os.environ.get(STATE_DIR_ENV):
        candidates = [Path(configured)]
    else:
        candidates = [DEFAULT_STATE_DIR, Path.home() / ".local" / "state" / "symptom-tracker"]
        candidates.append(Path(tempfile.gettempdir()) / "symptom-tracker")
    for folder in candidates:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(folder, os.W_OK):
            return folder
    raise OSError(f"No writable folder for the app's data among {', '.join(map(str, candidates))}.")


def default_database_url() -> str:
    """Return the embedded default: a SQLite file under the (git-ignored) state folder."""
    return f"sqlite:///{state_dir() / 'tracker.sqlite3'}"


def database_url(secrets: Mapping[str, Any] | None = None) -> str:
    """Return the database URL: `TRACKER_DATABASE_URL`, else secrets, else embedded SQLite.

    `secrets` is `st.secrets` in the app and the parsed secrets file on the command line.
    """
    if url := os.environ.get(DATABASE_URL_ENV):
        return url
    source = read_secrets_file() if secrets is None else secrets
    if url := _lookup(source, "database_url") or _lookup(source.get("tracker", {}), "database_url"):
        return str(url)
    return default_database_url()


def display_url(url: str) -> str:
    """Return `url` fit to print or log: the password, if any, masked as ***."""
    from sqlalchemy.engine import make_url  # here, so reading the configuration needs no SQLAlchemy
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(a database URL that cannot be read)"


def region_code(secrets: Mapping[str, Any] | None = None) -> str | None:
    """Return the configured region (GB, US, EU …) that sets the emergency and crisis numbers."""
    if code := os.environ.get(REGION_ENV):
        return code
    source = read_secrets_file() if secrets is None else secrets
    found = _lookup(source, "region") or _lookup(source.get("tracker", {}), "region")
    return str(found) if found else None


AUTH_ENV = "TRACKER_AUTH"
AUTH_MODES = ("none", "password", "oidc")


class ConfigError(ValueError):
    """A setting with a value the app cannot use; the message says which and what would work."""


def auth_mode(secrets: Mapping[str, Any] | None = None) -> str:
    """Return the sign-in mode: `TRACKER_AUTH`, else `auth_mode` in secrets, else "none".

    "none": one local user, no sign-in (the embedded default). "password": accounts in our database.
    "oidc": Streamlit's st.login with the provider under [auth] in secrets.toml. Raises ConfigError
    for anything else, and for "oidc" without an [auth] section.
    """
    source = read_secrets_file() if secrets is None else secrets
    mode = (
        os.environ.get(AUTH_ENV)
        or _lookup(source, "auth_mode")
        or _lookup(source.get("tracker", {}), "auth_mode")
    )
    mode = str(mode or "none").strip().lower()
    if mode not in AUTH_MODES:
        raise ConfigError(f"Sign-in mode {mode!r} is not one of {', '.join(AUTH_MODES)}.")
    if mode == "oidc" and not _lookup(source, "auth"):
        raise ConfigError(
            "Sign-in mode 'oidc' needs an [auth] section in .streamlit/secrets.toml "
            "(redirect_uri, cookie_secret, client_id, client_secret, server_metadata_url)."
        )
    return mode


def _lookup(source: Any, key: str) -> Any:
    try:
        return source.get(key)
    except AttributeError:
        return None


REFRESH_ENV = "TRACKER_REFRESH_SECONDS"
DEFAULT_REFRESH_SECONDS = 10.0


def refresh_seconds() -> float | None:
    """Return how often the History page looks for entries added elsewhere; 0 turns it off."""
    try:
        seconds = float(os.environ.get(REFRESH_ENV, DEFAULT_REFRESH_SECONDS))
    except ValueError:
        return DEFAULT_REFRESH_SECONDS
    return seconds if seconds > 0 else None


ALLOWED_NETWORKS_ENV = "TRACKER_NOTIFY_ALLOWED_NETWORKS"
EXTRA_SCHEMES_ENV = "TRACKER_NOTIFY_EXTRA_SCHEMES"


def notify_allowed_networks(secrets: Mapping[str, Any] | None = None) -> tuple[str, ...]:
    """Return the private networks an operator lets channels reach (e.g. "10.0.0.0/8" for a LAN ntfy).

    `TRACKER_NOTIFY_ALLOWED_NETWORKS` (comma-separated), else `notify_allowed_networks` in secrets
    (a list or a comma-separated string), else none: loopback, private and link-local are refused.
    """
    return _words(ALLOWED_NETWORKS_ENV, "notify_allowed_networks", secrets)


def notify_extra_schemes(secrets: Mapping[str, Any] | None = None) -> tuple[str, ...]:
    """Return apprise schemes an operator allows beyond the personal channels (e.g. "json").

    `TRACKER_NOTIFY_EXTRA_SCHEMES`, else `notify_extra_schemes` in secrets, else none.
    """
    return tuple(word.lower() for word in _words(EXTRA_SCHEMES_ENV, "notify_extra_schemes", secrets))


def _words(env: str, key: str, secrets: Mapping[str, Any] | None) -> tuple[str, ...]:
    raw: Any = os.environ.get(env)
    if raw is None:
        source = read_secrets_file() if secrets is None else secrets
        raw = _lookup(source, key) or _lookup(source.get("tracker", {}), key) or ()
    items = raw.split(",") if isinstance(raw, str) else [str(item) for item in raw]
    return tuple(item.strip() for item in items if item.strip())
