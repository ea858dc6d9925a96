"""Typed errors with messages a patient can read."""

from collections.abc import Mapping, Sequence


class TrackerError(Exception):
    """Base class for every error the library raises on purpose."""


class TableProblemsError(TrackerError):
    """A table someone edits (knowledge, readings, alert rules) has problems; `problems` lists each one."""

    subject = "The tables"  # what the message names: "The alert rules have problems: ..."

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__(f"{self.subject} have problems: " + "; ".join(self.problems))

    def __reduce__(self) -> tuple[type["TableProblemsError"], tuple[list[str]]]:
        """Pickle with the problems, not the message (a worker process's error reads as sent)."""
        return (type(self), (self.problems,))


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


class DatabaseError(TrackerError):
    """The database could not be used; the message names the problem, never its address or password."""


class DatabaseUnavailableError(DatabaseError):
    def __init__(self) -> None:
        super().__init__(
            "The database cannot be reached right now: its server may be down or restarting. Nothing "
            "was saved. Please try again in a few minutes."
        )


class DatabaseReadOnlyError(DatabaseError):
    def __init__(self) -> None:
        super().__init__(
            "The database is read-only, so nothing can be saved. Whoever runs this app needs to make "
            "the database (its file or folder) writable."
        )


class DatabaseFullError(DatabaseError):
    def __init__(self) -> None:
        super().__init__(
            "The disk that holds the database is full, so nothing could be saved. Whoever runs this "
            "app needs to free some space."
        )
