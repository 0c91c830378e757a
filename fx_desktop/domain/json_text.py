"""The JSON text both sides store and send: compact, with characters as they are (UTF-8 on the wire and on disk),
not \\u escapes, which take six bytes for a Chinese character's three and made pull pages about a third larger.
A JSON column's text travels verbatim (fx-bureau's pull pages, the client's push bodies), so the database engines
of both sides write it with `encode`. Text stored escaped by earlier versions is valid JSON and is read and sent as
it is. NaN and infinity are refused (ValueError): they are not JSON, and a push body holding one would be refused
whole, again and again."""
from __future__ import annotations

import json

encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode
MEDIA_TYPE = "application/json; charset=utf-8"  # what every answer and push body of JSON declares
