"""Substring search over Chinese and ASCII text with FTS5.

FTS5's trigram tokenizer cannot answer two-character queries (surnames, 违建), which are the most common ones in
a case register. So a second index holds the overlapping character *bigrams* of the same text: a two-character
query is one bigram token. Each field also ends with its last character as a one-character token, so a
one-character query is the prefix query "x"* and still finds a character at the very end of a field. Queries of
three characters or more go to the trigram index.
Normalisation (NFKC, casefold, letters and digits only) is applied to both sides,
so "2026-0012" finds "2026〔0012〕" and full-width digits match ASCII ones.
"""
from __future__ import annotations

import operator
import re
import unicodedata
from typing import NamedTuple

BIGRAM_TABLE = "case_search"
TRIGRAM_TABLE = "case_trigrams"


_NOT_ALNUM = re.compile(r"[\W_]+")  # \w is str.isalnum() plus "_": this keeps exactly the letters and digits


def normalize(text: str | None) -> str:
    if not text:
        return ""
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", text).casefold())


def bigrams(text: str | None) -> str:
    """Space-separated bigrams of the normalised text, then its last character on its own."""
    n = normalize(text)
    if len(n) < 2:
        return n
    return " ".join(map(operator.add, n, n[1:])) + " " + n[-1]


class SearchMatch(NamedTuple):
    table: str  # the FTS5 table that answers the query
    expr: str  # its MATCH expression


def match_for(query: str) -> SearchMatch | None:
    """How to find `query` as a substring, or None when it has no letters or digits. One or two characters go
    to the bigram index; three or more to the trigram index, whose tokens are rarer (digit runs in ID and case
    numbers above all), so its phrases are cheaper to match. Tokens are letters and digits only, so the
    expression cannot carry FTS5 syntax."""
    n = normalize(query)
    if not n:
        return None
    if len(n) == 1:
        return SearchMatch(BIGRAM_TABLE, f'"{n}"*')
    if len(n) == 2:
        return SearchMatch(BIGRAM_TABLE, f'"{n}"')
    return SearchMatch(TRIGRAM_TABLE, f'"{n}"')
