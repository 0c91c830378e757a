"""Substring search over Chinese and ASCII text with FTS5.

FTS5's trigram tokenizer cannot answer two-character queries (surnames, 违建), which are the most common ones in
a case register. So a second index holds the overlapping character *bigrams* of the same text: a two-character
query is one bigram token. Each field also ends with its last character as a one-character token, so a
one-character query is the prefix query "x"* and still finds a character at the very end of a field. Queries of
three characters or more go to the trigram index, except runs of digits: every trigram of a date, an ID-number or
a case-number fragment ("198", "202", "012") occurs in a large share of a million cases, and matching a phrase of
such trigrams walks all of their lists. So the bigram index also holds, after each field's bigrams, the
overlapping six-digit grams of every run of six digits or more (runs kept apart by a one-character token), and a
query of six digits or more is the phrase of its six-digit grams there: rare tokens, found in microseconds.
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
DIGIT_GRAM = 6
_DIGIT_RUN = re.compile(rf"[0-9]{{{DIGIT_GRAM},}}")  # after NFKC: full-width digits are ASCII ones


def normalize(text: str | None) -> str:
    if not text:
        return ""
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", text).casefold())


def bigrams(text: str | None) -> str:
    """Space-separated bigrams of the normalised text, then its last character on its own, then the six-digit
    grams of its long digit runs, each run's after its last digit as a one-character token (digit_grams())."""
    return bigrams_of_normalized(normalize(text))


def bigrams_of_normalized(n: str) -> str:
    """bigrams() of text normalize() has made already (a rebuild normalises each field once for both indexes)."""
    if len(n) < 2:
        return n
    return " ".join(map(operator.add, n, n[1:])) + " " + n[-1] + digit_grams(n)


def _grams(run: str) -> str:
    return " ".join(run[i:i + DIGIT_GRAM] for i in range(len(run) - DIGIT_GRAM + 1))


def digit_grams(normalized: str) -> str:
    """" g1 g2 ... d" for each run of DIGIT_GRAM digits or more: its overlapping grams, then its last digit, so no
    phrase of grams spans two runs. Every token is a substring of the text: one-character prefix queries ("1"*)
    find nothing they should not."""
    if _DIGIT_RUN.search(normalized) is None:  # most fields: names, causes, places (a search is cheaper)
        return ""
    return "".join(f" {_grams(m.group())} {m.group()[-1]}" for m in _DIGIT_RUN.finditer(normalized))


class SearchMatch(NamedTuple):
    table: str  # the FTS5 table that answers the query
    expr: str  # its MATCH expression


def match_for(query: str) -> SearchMatch | None:
    """How to find `query` as a substring, or None when it has no letters or digits. One or two characters go
    to the bigram index; three or more to the trigram index, whose tokens are rarer, so its phrases are cheaper to
    match; six digits or more to the bigram index's six-digit grams. Tokens are letters and digits only, so the
    expression cannot carry FTS5 syntax."""
    n = normalize(query)
    if not n:
        return None
    if len(n) >= DIGIT_GRAM and _DIGIT_RUN.fullmatch(n):
        return SearchMatch(BIGRAM_TABLE, f'"{_grams(n)}"')
    if len(n) == 1:
        return SearchMatch(BIGRAM_TABLE, f'"{n}"*')
    if len(n) == 2:
        return SearchMatch(BIGRAM_TABLE, f'"{n}"')
    return SearchMatch(TRIGRAM_TABLE, f'"{n}"')
