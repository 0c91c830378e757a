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


def kind_of(value: object) -> str:
    """How a refusal names the JSON type of a value that has the wrong one ("收到的是整数")."""
    if isinstance(value, str):
        return "文本" if value else "空文本"
    kinds = {type(None): "空值", bool: "布尔值", int: "整数", float: "数字", list: "列表", dict: "对象"}
    return kinds.get(type(value), "其他类型的值")
