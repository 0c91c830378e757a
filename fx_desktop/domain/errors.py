"""Errors raised by the domain layer.

Messages are Simplified Chinese, written for the clerk at the keyboard: they say what is
wrong and what to fix, so the UI can show them as they are.
"""

from __future__ import annotations


class DomainError(ValueError):
    """A business rule was broken by user input or a requested action.

    ``field`` names the form field at fault (e.g. ``"party_id_number"``) so the UI can
    highlight it; ``None`` when the error is not about a single field.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"DomainError({self.message!r}, field={self.field!r})"
