"""HTTP transport to fx-bureau (requests). Every call has a timeout and TLS verification stays on. Answers are
checked before use: a wrong content type or malformed JSON is a ServerProblem, never a crash or a silent skip.
A 401 `token_expired` refreshes the access token once and repeats the request; writes are idempotent on the
server (mutation ids, content hashes), so a repeat never applies anything twice."""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass

import requests

from ..domain import json_text

PROTOCOL = 1
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 60.0


class SyncProblem(Exception):
    """Base: `message` is Chinese and says what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Unreachable(SyncProblem):
    """No answer: offline, refused, timed out. The client stays offline and retries later."""


class ServerProblem(SyncProblem):
    """The server answered badly: 5xx, malformed JSON, wrong content type. Retried with backoff."""

    def __init__(self, message: str, status: int | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.status, self.retry_after = status, retry_after


class AuthRequired(SyncProblem):
    """The refresh token is gone or revoked: the user must log in again. `code`: the server's, or `other_device`
    when the tokens turned out to belong to another data folder's login."""

    def __init__(self, message: str, code: str = ""):
        super().__init__(message)
        self.code = code


KEPT = "请在本机重新登录；本机未推送的变更会保留，登录后推送。"
LOGGED_OUT_HERE = ("本机的登录已失效：已在本机退出登录，或服务器不再认可本机的这次登录（例如服务器数据已从备份恢复）。"
                   + KEPT)
OTHER_DEVICE = ("本机的登录已失效：本机使用的登录凭据属于该账户在另一台电脑或另一个数据目录上的登录"
                "（同一账户在多处登录过），不能用于本机的数据。" + KEPT)


class Refused(SyncProblem):
    """403 and other answers that retrying cannot change (a withdrawn role, a client id not yours)."""

    def __init__(self, message: str, code: str = "", status: int = 403, extra: dict | None = None):
        super().__init__(message)
        self.code, self.status, self.extra = code, status, extra or {}


class IncompatibleServer(SyncProblem):
    """The server speaks a newer protocol than this client."""


@dataclass
class Tokens:
    access: str | None
    refresh: str | None


class BureauClient:
    """One server. `on_refresh_failed` is told when the refresh token no longer works."""

    def __init__(self, base_url: str, *, session: requests.Session | None = None, verify: bool | str = True,
                 timeout: tuple[float, float] = (CONNECT_TIMEOUT, READ_TIMEOUT)):
        self.base_url = base_url.rstrip("/")
        self.http = session or requests.Session()
        self.verify = verify  # True: the system's CA certificates; a path: the district's own CA bundle
        self.timeout = timeout
        self.tokens = Tokens(None, None)
        self.client_id: str | None = None  # the client (data folder) these tokens must be bound to, once known
        self._refresh_lock = threading.Lock()

    # --- plumbing -------------------------------------------------------------------------------------------

    def _send(self, method: str, path: str, *, auth: bool = True, **kw) -> requests.Response:
        headers = kw.pop("headers", {})
        if auth and self.tokens.access:
            headers["Authorization"] = f"Bearer {self.tokens.access}"
        try:
            # verify passed per request: a Session attribute would lose to REQUESTS_CA_BUNDLE (requests #3829)
            return self.http.request(method, self.base_url + path, headers=headers, timeout=self.timeout,
                                     verify=self.verify, **kw)
        except requests.exceptions.SSLError as exc:
            raise Unreachable(f"与服务器的安全连接校验失败（证书不受信任或已过期）：{exc}") from exc
        except requests.exceptions.Timeout as exc:
            raise Unreachable("服务器响应超时，稍后将自动重试。") from exc
        except requests.exceptions.ConnectionError as exc:
            raise Unreachable(f"无法连接服务器 {self.base_url}，当前处于离线状态。") from exc
        except requests.exceptions.RequestException as exc:
            raise Unreachable(f"网络请求失败：{exc}") from exc

    def request(self, method: str, path: str, *, auth: bool = True, raw: bool = False, **kw):
        response = self._send(method, path, auth=auth, **kw)
        if response.status_code == 401 and auth and self.tokens.refresh:
            code = _code(response)
            if code in ("token_expired", "token_invalid", "not_authenticated"):
                self.refresh_access(stale=self.tokens.access)
                response = self._send(method, path, auth=auth, **kw)
        return response if raw and response.ok else self._json(response)

    def _json(self, response: requests.Response):
        proto = response.headers.get("X-FX-Protocol")
        if proto and proto.isdigit() and int(proto) > PROTOCOL:
            raise IncompatibleServer("服务器版本较新，与本客户端的同步协议不兼容，请升级 fx-desktop 后再同步。"
                                     "（本机数据不受影响，可继续离线工作。）")
        kind = response.headers.get("Content-Type", "")
        body = None
        if "application/json" in kind:
            try:
                body = response.json()
            except ValueError:
                body = None
        if response.status_code >= 500:
            retry = response.headers.get("Retry-After")
            message = body.get("message") if isinstance(body, dict) and body.get("message") else None
            raise ServerProblem(message or f"服务器暂时出错（HTTP {response.status_code}），稍后将自动重试。",
                                response.status_code, float(retry) if retry and retry.isdigit() else None)
        if not isinstance(body, dict) and 400 <= response.status_code < 500 and response.status_code not in (408, 429):
            # Not fx-bureau's own answer (its errors are all JSON): a proxy in between, or a wrong address. The
            # same request gets the same answer, so it is not retried like a server failure.
            raise Refused(f"服务器拒绝了请求（HTTP {response.status_code}），且未说明原因：可能连接到了错误的地址，或"
                          "中间的代理拒绝了它（例如请求过大）。请检查服务器地址，或联系系统管理员。", "", response.status_code)
        if not isinstance(body, dict):
            raise ServerProblem(f"服务器返回了无法识别的内容（HTTP {response.status_code}，{kind or '无类型'}），"
                                "可能连接到了错误的地址或代理，稍后将重试。", response.status_code)
        if response.status_code == 401:
            code = str(body.get("code", ""))
            if code in ("logged_out", "refresh_invalid"):
                raise AuthRequired(LOGGED_OUT_HERE, code)
            raise AuthRequired(body.get("message") or "登录已失效，请重新登录。", code)
        if response.status_code == 429:
            raise Refused(body.get("message") or "请求过于频繁，请稍后再试。", body.get("code", ""), 429)
        if response.status_code >= 400:
            extra = {k: v for k, v in body.items() if k not in ("code", "message")}
            raise Refused(body.get("message") or f"服务器拒绝了请求（HTTP {response.status_code}）。",
                          body.get("code", ""), response.status_code, extra)
        return body

    def refresh_access(self, stale: str | None = None) -> dict:
        with self._refresh_lock:
            if stale is not None and self.tokens.access != stale:
                return {}  # another thread refreshed meanwhile
            if not self.tokens.refresh:
                raise AuthRequired("登录已失效，请重新登录。")
            response = self._send("POST", "/auth/refresh", auth=False, json={"refresh_token": self.tokens.refresh})
            if response.status_code in (401, 403):
                body = _body(response)
                self.tokens.access = None
                if response.status_code == 403:
                    raise Refused(body.get("message") or "您的账户已停用。", body.get("code", ""))
                if body.get("code") == "refresh_invalid":
                    raise AuthRequired(LOGGED_OUT_HERE, "refresh_invalid")
                raise AuthRequired(body.get("message") or "登录已失效，请重新登录。", str(body.get("code", "")))
            body = self._json(response)
            access = _field(body, "access_token", str)
            self._check_bound(body)
            self.tokens.access = access
            return body

    def _check_bound(self, body: dict) -> None:
        """Tokens issued to another client id (another data folder's login of this user) are never used here:
        pushing with them would be refused, and they are not this folder's to use. Servers that do not name
        the client id are trusted as before."""
        bound = body.get("client_id")
        if self.client_id and isinstance(bound, str) and bound != self.client_id:
            self.tokens = Tokens(None, None)
            raise AuthRequired(OTHER_DEVICE, "other_device")

    # --- API ------------------------------------------------------------------------------------------------

    def health(self) -> dict:
        return self.request("GET", "/health", auth=False)

    def limits(self) -> dict:
        return self.request("GET", "/limits", auth=False)

    def login(self, username: str, password: str, client_id: str, device_name: str) -> dict:
        body = self.request("POST", "/auth/login", auth=False, json={
            "username": username, "password": password, "client_id": client_id, "device_name": device_name})
        self.tokens = Tokens(_field(body, "access_token", str), _field(body, "refresh_token", str))
        self.client_id = client_id
        _field(body, "user", dict)
        return body

    def rebind(self, client_id: str) -> dict:
        """Register a new client id for the logged-in user; the tokens switch to it."""
        body = self.request("POST", "/auth/rebind", json={"client_id": client_id})
        self.tokens = Tokens(_field(body, "access_token", str), _field(body, "refresh_token", str))
        self.client_id = client_id
        return body

    def bound_client_id(self) -> str | None:
        """The client id the current tokens are bound to, as the server says (refreshing first)."""
        body = self.refresh_access()
        if isinstance(body.get("client_id"), str):
            return body["client_id"]
        me = self.request("GET", "/me")  # a server that does not name it in the refresh answer
        return me.get("client_id") if isinstance(me.get("client_id"), str) else None

    def me(self) -> dict:
        """Who the server says the logged-in user is (name, role, organisation)."""
        return self.request("GET", "/me")

    def logout(self) -> None:
        if self.tokens.refresh:
            self.request("POST", "/auth/logout", auth=False, json={"refresh_token": self.tokens.refresh})
        self.tokens = Tokens(None, None)

    def push(self, client_id: str, mutations: list[dict | str], client_now: str) -> dict:
        """`mutations`: each a dict, or already the JSON text of one (the sync engine sends its outbox so)."""
        listed = ",".join(m if isinstance(m, str) else json_text.encode(m) for m in mutations)
        data = '{"client_id":%s,"client_now":%s,"mutations":[%s]}' % (json.dumps(client_id), json.dumps(client_now),
                                                                        listed)
        body = self.request("POST", "/sync/push", data=data.encode("utf-8"),
                            headers={"Content-Type": json_text.MEDIA_TYPE})
        _field(body, "results", list)
        _field(body, "last_mutation_id", int)
        return body

    def pull(self, cursor: str | None, limit: int) -> dict:
        params = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        body = self.request("GET", "/sync/pull", params=params)
        _field(body, "changes", list)
        _field(body, "cursor", str)
        return body

    def digest(self) -> dict:
        """Of the record kinds this client keeps (sync/kinds.py): the server's default is an older client's."""
        from .kinds import KINDS

        return self.request("GET", "/sync/digest", params={"kinds": ",".join(KINDS)})

    def upload_start(self, sha256: str, size: int) -> dict:
        return self.request("POST", "/blobs/uploads", json={"sha256": sha256, "size": size})

    def upload_chunk(self, upload_id: str, offset: int, data: bytes, chunk_sha256: str) -> dict:
        return self.request("PUT", f"/blobs/uploads/{upload_id}", params={"offset": offset}, data=data,
                            headers={"X-Chunk-Sha256": chunk_sha256, "Content-Type": "application/octet-stream"})

    def upload_complete(self, upload_id: str) -> dict:
        return self.request("POST", f"/blobs/uploads/{upload_id}/complete")

    def download(self, sha256: str, start: int = 0) -> requests.Response:
        """A streaming response from byte `start` (HTTP Range), to resume an interrupted download."""
        headers = {"Range": f"bytes={start}-"} if start else {}
        return self.request("GET", f"/blobs/{sha256}", raw=True, stream=True, headers=headers)


def _body(response: requests.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _code(response: requests.Response) -> str:
    return str(_body(response).get("code", ""))


def _field(body: dict, name: str, kind: type):
    value = body.get(name)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ServerProblem(f"服务器的回答缺少或弄错了“{name}”字段，稍后将重试。")
    return value


