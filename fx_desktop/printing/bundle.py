"""Binding several printed documents into one PDF (pypdf, no Qt): one top-level bookmark per document, so a clerk
printing a whole case file gets one job and can still jump to each document in a PDF reader."""
from __future__ import annotations

import io
from typing import Sequence

from pypdf import PdfReader, PdfWriter

from ..domain.errors import DomainError


def _read(pdf: bytes, name: str) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(pdf))
        if reader.is_encrypted:
            raise DomainError(f"“{name}”是加密的 PDF 文件，无法合并打印。")
        if len(reader.pages) == 0:
            raise DomainError(f"“{name}”没有任何页面，无法合并打印。")
    except DomainError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds of error on damaged input
        raise DomainError(f"“{name}”不是有效的 PDF 文件，无法合并打印（{exc}）。") from exc
    return reader


def page_count(pdf: bytes, name: str = "文书") -> int:
    """Pages in `pdf`; DomainError naming `name` when it is not a readable PDF."""
    return len(_read(pdf, name).pages)


def combine(documents: Sequence[tuple[str, bytes]]) -> bytes:
    """One PDF of all `(name, pdf)` documents in order, each with a bookmark titled `name` at its first page.

    Pages are copied with their resources, so embedded fonts stay embedded; bookmarks a document already had are
    kept under its own bookmark.
    """
    if not documents:
        raise DomainError("没有要合并打印的文书。")
    readers = [(name, _read(pdf, name)) for name, pdf in documents]  # every document checked before any work
    writer = PdfWriter()
    for name, reader in readers:
        writer.append(reader, outline_item=name)
    writer.page_mode = "/UseOutlines"  # readers open with the bookmark panel shown
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
