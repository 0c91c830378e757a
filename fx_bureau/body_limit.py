"""The request-body limit, as plain ASGI middleware in front of every route: a body larger than the limit is
answered 413 {"code": "too_large"} before any route (or the JSON parser) sees it. A declared Content-Length is
checked first; a body without one (chunked) is counted as it arrives and refused once it passes the limit, so
no more than the limit is ever held in memory.

Upload chunks (PUT /blobs/uploads/{id}) are streamed to disk by their route, which counts them against the
chunk size itself; here only their declared length is checked, against that chunk size, and refused with the
route's own code (chunk_too_large)."""
from __future__ import annotations

import re
from typing import Awaitable, Callable

from fx_desktop.domain import json_text

Scope = dict
Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]

_CHUNK_ROUTE = re.compile(r"^/blobs/uploads/[^/]+$")


def _human(n: int) -> str:
    return f"{n / 1024**2:.0f} MB" if n >= 1024**2 else f"{n / 1024:.0f} KB"


class BodyLimit:
    def __init__(self, app, *, json_limit: int, chunk_limit: int):
        self.app, self.json_limit, self.chunk_limit = app, json_limit, chunk_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        streamed = scope["method"] == "PUT" and bool(_CHUNK_ROUTE.match(scope["path"]))
        limit = self.chunk_limit if streamed else self.json_limit
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _too_large(send, limit, streamed)
            return
        if streamed:
            await self.app(scope, receive, send)
            return
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away: nobody reads the answer, but the
                await _answer(send, 400, {"code": "client_disconnected",  # access log must see one (else a 500)
                                          "message": "客户端在请求发送完之前断开了连接，请求未处理。"})
                return
            body += message.get("body", b"")
            if len(body) > limit:
                await _too_large(send, limit, streamed)
                return
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay(bytes(body), receive), send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers") or ():
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the HTTP server refuses such a request itself
    return None


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body as one message, then whatever the connection says next (a disconnect)."""
    sent = False

    async def again() -> dict:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()
    return again


async def _too_large(send: Send, limit: int, chunk: bool) -> None:
    """The same code as the upload route's own refusal for a chunk (the client then resends smaller chunks; a
    "too_large" upload means a file over the size limit)."""
    if chunk:
        payload = {"code": "chunk_too_large", "limit": limit, "message": f"分块不能超过 {limit} 字节。"}
    else:
        payload = {"code": "too_large", "limit": limit,
                   "message": f"请求内容超过服务器允许的上限 {_human(limit)}，已拒绝。请减少一次发送的内容后重试。"}
    await _answer(send, 413, payload)


async def _answer(send: Send, status: int, payload: dict) -> None:
    data = json_text.encode(payload).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", json_text.MEDIA_TYPE.encode()),
                            (b"content-length", str(len(data)).encode()), (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": data})
