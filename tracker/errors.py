"""Typed errors with messages a patient can read."""

from collections.abc import Mapping


class TrackerError(Exception):
    """Base class for every error the library raises on purpose."""


class ValidationError(TrackerError, ValueError):
    """Input that cannot be stored; `errors` maps each field to a plain-English message."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors: dict[str, str] = dict(errors)
        super().__init__("; ".join(self.errors.values()))


class NotFoundError(TrackerError, LookupError):
    """A patient or entry that does not exist (or is not visible to the caller)."""


def raise_if_any(errors: Mapping[str, str | None]) -> None:
    """Raise ValidationError naming each field that has a message; return when none has."""
    if problems := {field: message for field, message in errors.items() if message}:
        raise ValidationError(problems)
