"""Verification code printed on every page: a short digest of the form's data, so a paper copy can be matched
with the record it was printed from (recompute and compare) and two printouts of different data never share one.

The code is base32 (A-Z, 2-7: no 0/1/8/9 to mistake for O/I/B/g) of SHA-256 over a canonical JSON serialisation of
the dossier plus the form name, cut to 8 characters in two groups: "7F3K-Q9M2". `printed_at` is left out: it says
when the copy was made, not what it says, and reprinting the same data must give the same code.
"""
from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
from datetime import date, datetime
from decimal import Decimal

EXCLUDED = frozenset({"printed_at"})


def canonical(form_name: str, data) -> bytes:
    """Deterministic bytes for (form, data): dataclasses as dicts with sorted keys, dates ISO, decimals as text."""
    payload = {"form": form_name, "data": _plain(dataclasses.asdict(data))}
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def verification_code(form_name: str, data) -> str:
    digest = hashlib.sha256(canonical(form_name, data)).digest()
    text = base64.b32encode(digest).decode("ascii")[:8]
    return f"{text[:4]}-{text[4:]}"


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items() if k not in EXCLUDED}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # 5000 and 5000.00 are the same amount
    return value


def pdf_metadata(*, title: str, form_name: str, code: str, number: str, draft: bool = False) -> dict:
    """Keyword arguments for BaseDocTemplate: metadata, plus invariant=1 so equal data gives equal bytes."""
    keywords = [form_name, f"校验码 {code}"] + ([number] if number else []) + (["草稿"] if draft else [])
    return {"title": title, "author": "fx-desktop", "subject": form_name, "creator": "fx-desktop",
            "keywords": keywords, "invariant": 1, "lang": "zh-CN"}
