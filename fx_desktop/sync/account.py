"""The account this database syncs as: server address, user, client id, offline-login verifier, cursor.
All kept in the local `meta` table except the refresh token (credential store) and never the password."""
from __future__ import annotations

import json
import platform
import uuid
from dataclasses import dataclass, replace

from ..domain import passwords
from ..domain.organisations import OrgDirectory, OrgKind
from ..domain.roles import Role
from ..services.organisations import directory
from ..services.profile import Profile, remember_user
from ..store import Store, meta, outbox
from .credentials import CredentialStore, legacy_token_key, token_key
from .transport import OTHER_DEVICE, AuthRequired, BureauClient, ServerProblem, SyncProblem, Tokens


@dataclass(frozen=True)
class Account:
    """`org_code` / `org_kind` / `org_name`: the user's organisation as the server named it; an older server
    (or an account stored before organisations) gives only `town_code`, and the organisation is derived from it
    as Profile does (the town, or the bureau)."""

    server_url: str
    username: str
    name: str
    role: Role
    town_code: str | None
    client_id: str
    org_code: str | None = None
    org_kind: OrgKind | None = None
    org_name: str | None = None

    def __post_init__(self) -> None:
        profile = Profile(self.username, self.name, self.role, self.town_code, self.org_code, self.org_kind)
        object.__setattr__(self, "org_code", profile.org_code)
        object.__setattr__(self, "org_kind", profile.org_kind)
        object.__setattr__(self, "town_code", profile.town_code)

    @property
    def profile(self) -> Profile:
        return Profile(self.username, self.name, self.role, self.town_code, self.org_code, self.org_kind)

    @property
    def cursor_key(self) -> str:
        return f"sync.cursor:{self.username}"

    @property
    def org_label(self) -> str:
        return self.org_name or self.org_code or ""

    def to_json(self) -> dict:
        return {"server_url": self.server_url, "username": self.username, "name": self.name, "role": str(self.role),
                "town_code": self.town_code, "client_id": self.client_id, "org_code": self.org_code,
                "org_kind": str(self.org_kind), "org_name": self.org_name}

    @classmethod
    def from_json(cls, d: dict) -> Account:
        return cls(d["server_url"], d["username"], d["name"], Role(d["role"]), d.get("town_code"), d["client_id"],
                   d.get("org_code"), d.get("org_kind"), d.get("org_name"))


def from_login(server_url: str, user: dict, client_id: str, orgs: OrgDirectory | None = None) -> Account:
    """The account a login (or refresh) answer's `user` describes. The organisation fields are read when the
    server sends them; an older server sends only `town_code`. A name or kind it does not send is taken from
    `orgs`."""
    code, kind = user.get("org_code") or None, user.get("org_kind") or None
    known = orgs.get(code) if orgs is not None and code else None
    try:
        account = Account(server_url, user["username"], user.get("name") or user["username"], Role(user["role"]),
                          user.get("town_code"), client_id, code, kind or (known.kind if known else None),
                          user.get("org_name") or None)
    except ValueError:  # a role or kind of organisation this version does not know
        raise ServerProblem(f"服务器返回的角色“{user.get('role')}”或单位类型“{user.get('org_kind')}”本机版本不认识，"
                            "请升级 fx-desktop 后再登录。") from None
    if account.org_name is None and orgs is not None and orgs.get(account.org_code) is not None:
        account = replace(account, org_name=orgs.name(account.org_code))
    return account


def current(store: Store) -> Account | None:
    with store.sessions() as session:
        raw = meta.get(session, "sync.account")
    if not raw:
        return None
    return _named(store, Account.from_json(json.loads(raw)))


def _named(store: Store, account: Account) -> Account:
    """An account stored before organisations has no organisation name: the local directory's."""
    if account.org_name is not None:
        return account
    name = directory(store).get(account.org_code)
    return replace(account, org_name=name.name) if name is not None else account


def _client_id(session, username: str) -> str:
    key = f"sync.client:{username}"
    found = meta.get(session, key)
    if not found:
        found = str(uuid.uuid4())
        meta.put(session, key, found)
    return found


def login(store: Store, client: BureauClient, creds: CredentialStore | None, *, username: str, password: str,
          device_name: str | None = None) -> Account:
    """Online login: exchanges the password for tokens once. The refresh token goes to `creds` (None: only the
    caller's BureauClient holds it, for this run). A local scrypt verifier allows offline login later."""
    with store.writes.begin() as session:
        client_id = _client_id(session, username)
    body = client.login(username, password, client_id, device_name or platform.node() or "fx-desktop")
    account = from_login(client.base_url, body["user"], client_id, directory(store))
    if creds is not None:  # first: with no keyring (NoSecureStorage) nothing is recorded here
        creds.set(token_key(client.base_url, account.username, client_id), client.tokens.refresh)
    _remember(store, account, passwords.hash_password(password))
    if counter_behind(store, account, int(body.get("last_mutation_id") or 0)):
        account = reset_client(store, client, creds, account)
    return account


def _remember(store: Store, account: Account, verifier: str | None) -> None:
    profile = account.profile
    with store.writes.begin() as session:
        old = meta.get(session, "profile")
        old_id = json.loads(old)["user_id"] if old else None
        if not meta.get(session, "sync.adopted"):  # the first account on this database takes its local work
            outbox.adopt(session, ["", *([old_id] if old_id else [])], account.username)
            meta.put(session, "sync.adopted", account.username)
        data = account.to_json()
        meta.put(session, "sync.account", json.dumps(data, ensure_ascii=False))
        if verifier:
            meta.put(session, f"sync.verifier:{account.username}", json.dumps({**data, "verifier": verifier},
                                                                               ensure_ascii=False))
        meta.put(session, "profile", json.dumps(profile.to_json(), ensure_ascii=False))
        remember_user(session, profile)


def can_login_offline(store: Store, username: str) -> bool:
    """Whether `username` logged in online here before, so a verifier exists."""
    with store.sessions() as session:
        return bool(meta.get(session, f"sync.verifier:{username}"))


def offline_login(store: Store, username: str, password: str) -> Account:
    """Check the password against the verifier of the last online login; no server needed."""
    with store.sessions() as session:
        raw = meta.get(session, f"sync.verifier:{username}")
    if not raw:
        raise AuthRequired(f"用户“{username}”尚未在本机联网登录过，离线时无法登录。请连接网络后登录一次。")
    d = json.loads(raw)
    if not passwords.verify_password(password, d["verifier"]):
        raise AuthRequired("用户名或密码不正确。")
    account = _named(store, Account.from_json(d))
    _remember(store, account, None)
    return account


def restore_tokens(client: BureauClient, creds: CredentialStore, account: Account) -> bool:
    """Load this data folder's saved refresh token into `client`; False when there is none (log in again).
    Raises AuthRequired (OTHER_DEVICE) when the only token found belongs to another data folder's login."""
    client.client_id = account.client_id
    token = creds.get(token_key(account.server_url, account.username, account.client_id))
    if token is None:
        token = _adopt_legacy_token(client, creds, account)
    client.tokens.refresh = token
    return token is not None


def _adopt_legacy_token(client: BureauClient, creds: CredentialStore, account: Account) -> str | None:
    """Versions before the per-folder key kept one token per server and user, so the last data folder to log in
    overwrote the others'. Such a token is moved to this folder's key only once the server confirms it was
    issued to this folder's client id; another folder's token is left where it is (that folder adopts it when it
    starts), a revoked one is removed. Offline, it is used unconfirmed and not moved: the client still refuses
    tokens bound to another client id at its first refresh, and the next start tries the move again."""
    legacy = legacy_token_key(account.server_url, account.username)
    token = creds.get(legacy)
    if token is None:
        return None
    client.tokens = Tokens(None, token)
    try:
        bound = client.bound_client_id()
    except AuthRequired as exc:
        client.tokens = Tokens(None, None)
        if exc.code in ("refresh_invalid", "logged_out"):
            creds.delete(legacy)  # revoked: of no use to any data folder
            return None
        raise
    except SyncProblem:  # offline, or the server answered badly: use it unconfirmed, move it another time
        return token
    if bound is not None and bound != account.client_id:
        client.tokens = Tokens(None, None)
        raise AuthRequired(OTHER_DEVICE, "other_device")
    creds.set(token_key(account.server_url, account.username, account.client_id), token)
    creds.delete(legacy)
    return token


def logout(store: Store, client: BureauClient | None, creds: CredentialStore | None) -> bool:
    """Forget the tokens here and on the server (if reachable: the server then refuses this login's access tokens
    at once). Pending changes stay in the outbox, owned by this user, and are pushed when they log in again;
    nobody else pushes them. True when the server confirmed the logout."""
    account = current(store)
    if account is None:
        return False
    confirmed = False
    refresh = client.tokens.refresh if client is not None else None
    if client is not None:
        try:
            client.logout()
            confirmed = refresh is not None
        except Exception:  # noqa: BLE001 - offline logout still forgets the tokens locally
            pass
    if creds is not None:
        creds.delete(token_key(account.server_url, account.username, account.client_id))
        legacy = legacy_token_key(account.server_url, account.username)
        if refresh is not None and creds.get(legacy) == refresh:  # not yet moved to this folder's key
            creds.delete(legacy)
    with store.writes.begin() as session:
        meta.put(session, "sync.account", "")
    return confirmed


def counter_behind(store: Store, account: Account, server_last: int) -> bool:
    """True when this database's mutation counter is behind what the server has seen from its client id: it was
    restored from a backup or copied, and must continue under a new client id (SYNC.md)."""
    with store.sessions() as session:
        return outbox.last_seq(session, account.username) < server_last


def reset_client(store: Store, client: BureauClient, creds: CredentialStore | None, account: Account) -> Account:
    """Continue under a fresh client id: pending mutations renumbered from 1, the server told (it binds the new id
    to this user and issues tokens for it), the new refresh token saved."""
    new_id = str(uuid.uuid4())
    body = client.rebind(new_id)
    with store.writes.begin() as session:
        meta.put(session, f"sync.client:{account.username}", new_id)
        outbox.renumber(session, account.username, 1)
        raw = json.loads(meta.get(session, "sync.account") or "{}")
        meta.put(session, "sync.account", json.dumps({**raw, "client_id": new_id}, ensure_ascii=False))
    if creds is not None and body.get("refresh_token"):
        creds.set(token_key(account.server_url, account.username, new_id), body["refresh_token"])
        creds.delete(token_key(account.server_url, account.username, account.client_id))  # revoked by the rebind
    return replace(account, client_id=new_id)
