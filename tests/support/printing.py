"""Stands in for the print preview window in GUI tests: keeps what would have been shown."""
from __future__ import annotations


class CapturedPreview:
    """Called like FormPrinter's `open_preview(pdf, name, parent, notice=None)`; `documents` holds (pdf, name)
    pairs and `notices` the notice shown with each (None: none)."""

    def __init__(self):
        self.documents: list[tuple[bytes, str]] = []
        self.notices: list[str | None] = []

    def __call__(self, pdf: bytes, name: str, _parent, notice: str | None = None):
        self.documents.append((pdf, name))
        self.notices.append(notice)
        return self

    def show(self) -> None:
        pass
