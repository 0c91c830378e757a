"""The access log and the protocol header, as plain ASGI middleware: one log line per request (method, path,
status, milliseconds until the answer was sent) and `X-FX-Protocol` on every answer. Plain ASGI rather than
`@app.middleware("http")`, whose BaseHTTPMiddleware costs about a millisecond of CPU on every request."""
from __future__ import annotations

import logging
import time

from .body_limit import Receive, Scope, Send
from .logs import event


class AccessLog:
    def __init__(self, app, *, protocol: int, logger: logging.Logger):
        self.app, self.header, self.logger = app, (b"x-fx-protocol", str(protocol).encode()), logger

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def answer(message: dict) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", ()), self.header]}
            await send(message)

        await self.app(scope, receive, answer)
        event(self.logger, "request", method=scope["method"], path=scope["path"], status=status,
              ms=round((time.perf_counter() - started) * 1000, 1))
