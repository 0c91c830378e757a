"""Stands in for the print preview window in GUI tests: keeps what would have been shown."""
from __future__ import annotations


class CapturedPreview:
    """Called like FormPrinter's `open_preview(pdf, name, parent)`; `documents` holds (pdf, name) pairs."""

    def __init__(self):
        self.documents: list[tuple[bytes, str]] = []

    def __call__(self, pdf: bytes, name: str, _parent):
        self.documents.append((pdf, name))
        return self

    def show(self) -> None:
        pass
