"""Access tokens: short-lived, signed with the server's secret (HMAC-SHA256), naming user, client, the refresh
token they were issued under and the token generation (`fx-bureau expire-tokens` starts a new one, ending every
earlier access token at once). The server still loads the user and that refresh token on every request, so a
withdrawn role and a logout take effect at once. Refresh tokens: random, stored only as their sha256, bound to one
client (device)."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class AccessClaims:
    user_id: int
    client_id: str
    expires: float
    refresh_hash: str | None = None  # the refresh token (its stored hash) this access token was issued under
    generation: int = 0


class TokenInvalid(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "expired" or "invalid"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def issue_access(secret: bytes, user_id: int, client_id: str, ttl_s: float, *, refresh_hash: str | None = None,
                 generation: int = 0, now: float | None = None) -> str:
    claims = {"u": user_id, "c": client_id, "e": (now or time.time()) + ttl_s, "g": generation}
    if refresh_hash:
        claims["r"] = refresh_hash
    payload = _b64(json.dumps(claims).encode())
    sig = _b64(hmac.new(secret, payload.encode(), hashlib.sha256).digest())
    return f"v1.{payload}.{sig}"


def read_access(secret: bytes, token: str, *, now: float | None = None) -> AccessClaims:
    """Whatever arrives in the header (non-ASCII, wrong parts, a payload of another shape) is TokenInvalid."""
    try:
        version, payload, sig = token.split(".")
        expected = _b64(hmac.new(secret, payload.encode("utf-8"), hashlib.sha256).digest())
        if version != "v1" or not hmac.compare_digest(sig.encode("utf-8"), expected.encode("ascii")):
            raise TokenInvalid("invalid")
        data = json.loads(_unb64(payload))
        claims = AccessClaims(int(data["u"]), str(data["c"]), float(data["e"]),
                              str(data["r"]) if data.get("r") else None, int(data.get("g", 0)))
    except (ValueError, TypeError, KeyError, UnicodeError, AttributeError):
        raise TokenInvalid("invalid") from None
    if claims.expires < (now or time.time()):
        raise TokenInvalid("expired")
    return claims


def new_refresh_token() -> tuple[str, str]:
    """(token for the client, hash to store)."""
    token = secrets.token_urlsafe(32)
    return token, hash_refresh(token)


def hash_refresh(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
