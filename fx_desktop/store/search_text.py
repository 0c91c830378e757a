"""Substring search over Chinese and ASCII text with FTS5.

FTS5's trigram tokenizer cannot answer two-character queries (surnames, 违建), which are the most common ones in
a case register. So the index holds overlapping character *bigrams* of a normalised text, and a query of n >= 2
characters becomes the phrase of its n-1 bigrams: consecutive positions, hence an exact substring match, answered
from the index for any length. Each field also ends with its last character as a one-character token, so a
one-character query is the prefix query "x"* and still finds a character at the very end of a field.
Normalisation (NFKC, casefold, letters and digits only) is applied to both sides,
so "2026-0012" finds "2026〔0012〕" and full-width digits match ASCII ones.
"""
from __future__ import annotations

import unicodedata


def normalize(text: str | None) -> str:
    if not text:
        return ""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def bigrams(text: str | None) -> str:
    """Space-separated bigrams of the normalised text, then its last character on its own."""
    n = normalize(text)
    if len(n) < 2:
        return n
    return " ".join(n[i : i + 2] for i in range(len(n) - 1)) + " " + n[-1]


def match_expression(query: str) -> str | None:
    """FTS5 MATCH expression for a substring query, or None when the query has no letters or digits.
    Tokens are letters and digits only, so the expression cannot carry FTS5 syntax."""
    n = normalize(query)
    if not n:
        return None
    if len(n) == 1:
        return f'"{n}"*'
    return '"' + " ".join(n[i : i + 2] for i in range(len(n) - 1)) + '"'
