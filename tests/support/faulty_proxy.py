"""A real HTTP proxy in front of a real fx-bureau that injects the faults a network and a sick server produce:
503 before or after forwarding, 500, malformed JSON, a wrong content type, a dropped connection, an answer cut off
after some bytes of its body, a newer protocol header, a request held before it reaches the server or an answer
held after the server gave it (an answer too slow for the client, or a point for a crash test to kill a process
at). The events of a held request tell the test where it is, so nothing depends on the machine's speed. Only the
fault is simulated; every forwarded request reaches the real server."""
from __future__ import annotations

import http.client
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


HOLD_LIMIT_S = 300  # a held request lets go at last, should a test never release it


@dataclass
class Fault:
    kind: str  # 503_before / 503_after / 500 / malformed / html / drop_after / cut_body / protocol / hold_before /
    # hold_after
    path: str = ""  # applies to requests whose path starts with this
    times: int = 1
    at: int = 0  # cut_body: bytes of the body sent before the connection is dropped
    forwarded: threading.Event = field(default_factory=threading.Event)  # the request was sent to the server
    held: threading.Event = field(default_factory=threading.Event)  # the proxy holds it (hold_before/hold_after)
    release: threading.Event = field(default_factory=threading.Event)  # the held connection is then closed


@dataclass
class Proxy:
    target_port: int
    faults: deque = field(default_factory=deque)
    log: list = field(default_factory=list)  # (method, path, request body bytes, status)
    holding: list = field(default_factory=list)  # faults holding a connection, released by stop()
    headers: list = field(default_factory=list)  # (method, path, {request header: value}) of every request
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def add(self, kind: str, path: str = "", times: int = 1, at: int = 0) -> Fault:
        fault = Fault(kind, path, times, at)
        self.faults.append(fault)
        return fault

    def _take(self, path: str) -> Fault | None:
        for fault in list(self.faults):
            if path.startswith(fault.path):
                fault.times -= 1
                if fault.times <= 0:
                    self.faults.remove(fault)
                return fault
        return None

    def start(self) -> "Proxy":
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args):
                pass

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                proxy.headers.append((self.command, self.path, dict(self.headers.items())))
                fault = proxy._take(self.path)
                kind = fault.kind if fault else None
                if kind == "503_before":
                    return self._reply(503, b"<html>503 Service Unavailable</html>", "text/html", body)
                if kind == "500":
                    return self._reply(500, b"Internal Server Error", "text/plain", body)
                if kind == "hold_before":  # the request never reaches the server
                    return self._hold(fault, body)
                conn = http.client.HTTPConnection("127.0.0.1", proxy.target_port, timeout=HOLD_LIMIT_S)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
                try:
                    conn.request(self.command, self.path, body=body, headers=headers)
                    if fault:
                        fault.forwarded.set()
                    resp = conn.getresponse()
                    data = resp.read()
                except (OSError, http.client.HTTPException):  # the server died meanwhile: so does this connection
                    return self._drop(body, "server gone")
                finally:
                    conn.close()
                if kind == "hold_after":  # the server did the work; its answer never arrives
                    return self._hold(fault, body)
                if kind == "503_after":  # the server did the work; the answer is lost on the way back
                    return self._reply(503, b"<html>503 Service Unavailable</html>", "text/html", body)
                if kind == "malformed":
                    return self._reply(200, b'{"results": [', "application/json", body)
                if kind == "html":
                    return self._reply(200, b"<html>portal login</html>", "text/html", body)
                if kind == "drop_after":
                    return self._drop(body, "dropped")
                extra = {"X-FX-Protocol": "99"} if kind == "protocol" else {}
                passthrough = {k: v for k, v in resp.getheaders()
                               if k.lower() in ("content-type", "content-range", "accept-ranges", "retry-after",
                                                "x-fx-protocol") and not (extra and k.lower() == "x-fx-protocol")}
                return self._reply(resp.status, data, None, body, {**passthrough, **extra},
                                   cut=fault.at if kind == "cut_body" else None)

            def _drop(self, body, why):
                proxy.log.append((self.command, self.path, len(body), why))
                self.close_connection = True
                try:
                    self.connection.shutdown(2)
                except OSError:
                    pass  # the client is gone already
                return None

            def _hold(self, fault, body):
                proxy.holding.append(fault)
                fault.held.set()
                fault.release.wait(HOLD_LIMIT_S)
                return self._drop(body, "held")

            def _reply(self, status, data, kind, body, headers=None, cut=None):
                proxy.log.append((self.command, self.path, len(body), status if cut is None else "cut"))
                self.send_response(status)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                if kind:
                    self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if cut is None:
                    self.wfile.write(data)
                    return
                self.wfile.write(data[:cut])  # the announced length never arrives: the network went away
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(2)

            do_GET = do_POST = do_PUT = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        for fault in [*self.faults, *self.holding]:
            fault.release.set()
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    def bytes_put(self, prefix: str) -> int:
        return sum(n for method, path, n, _ in self.log if method == "PUT" and path.startswith(prefix))
