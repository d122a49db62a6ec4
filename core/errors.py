"""The two kinds of failure: a user error (shown, nothing changed) and a bug."""
from __future__ import annotations

from dataclasses import dataclass


class UserError(Exception):
    """Input or state the program refuses. The message is Vietnamese, for people.

    Raising it inside a transaction rolls the transaction back, so the database
    stays as it was. The command line maps it to exit code 1.
    """


@dataclass(frozen=True)
class FieldError:
    """One faulty field of a record, with a Vietnamese message."""

    field: str
    message: str


class ValidationError(UserError):
    """A record with one or more faulty fields."""

    def __init__(self, errors: list[FieldError]):
        self.errors = list(errors)
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in self.errors))


class NotFound(UserError):
    """A record that does not exist (or was deleted)."""


class DatabaseError(UserError):
    """The database file cannot be used: missing, not initialised, too new, locked."""


class PermissionDenied(UserError):
    """The current user may not do this."""
