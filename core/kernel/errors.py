"""Errors are values the user can read: a translatable message, its parameters and the field concerned."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refusal by a core service. ``message`` is an English source string marked for translation."""

    def __init__(self, message: str, field: str | None = None, **params: Any) -> None:
        self.message = message
        self.field = field
        self.params = params
        super().__init__(self.english())

    def english(self) -> str:
        return self.message.format(**self.params) if self.params else self.message


class ValidationError(DomainError):
    """Input that cannot be accepted; nothing was written."""


class ValidationErrors(DomainError):
    """Several fields rejected at once (a form)."""

    def __init__(self, errors: list[ValidationError]) -> None:
        self.errors = errors
        first = errors[0]
        super().__init__(first.message, first.field, **first.params)


class NotFound(DomainError):
    pass


class PermissionDenied(DomainError):
    pass


class AuthenticationFailed(DomainError):
    pass


class Conflict(DomainError):
    pass


class StoreError(DomainError):
    """The local database cannot be used (locked, damaged, from a newer version)."""
