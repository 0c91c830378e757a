"""The account this database syncs as: server address, user, client id, offline-login verifier, cursor.
All kept in the local `meta` table except the refresh token (credential store) and never the password."""
from __future__ import annotations

import json
import platform
import uuid
from dataclasses import dataclass

from ..domain import passwords
from ..domain.roles import Role
from ..services.profile import Profile
from ..store import Store, meta, outbox
from .credentials import CredentialStore, token_key
from .transport import AuthRequired, BureauClient


@dataclass(frozen=True)
class Account:
    server_url: str
    username: str
    name: str
    role: Role
    town_code: str | None
    client_id: str

    @property
    def profile(self) -> Profile:
        return Profile(self.username, self.name, self.role, self.town_code)

    @property
    def cursor_key(self) -> str:
        return f"sync.cursor:{self.username}"


def current(store: Store) -> Account | None:
    with store.sessions() as session:
        raw = meta.get(session, "sync.account")
    if not raw:
        return None
    d = json.loads(raw)
    return Account(d["server_url"], d["username"], d["name"], Role(d["role"]), d.get("town_code"), d["client_id"])


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
    user = body["user"]
    account = Account(client.base_url, user["username"], user.get("name") or username, Role(user["role"]),
                      user.get("town_code"), client_id)
    if creds is not None:  # first: with no keyring (NoSecureStorage) nothing is recorded here
        creds.set(token_key(client.base_url, account.username), client.tokens.refresh)
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
        data = {"server_url": account.server_url, "username": account.username, "name": account.name,
                "role": str(account.role), "town_code": account.town_code, "client_id": account.client_id}
        meta.put(session, "sync.account", json.dumps(data, ensure_ascii=False))
        if verifier:
            meta.put(session, f"sync.verifier:{account.username}", json.dumps({**data, "verifier": verifier},
                                                                               ensure_ascii=False))
        meta.put(session, "profile", json.dumps({"user_id": profile.user_id, "name": profile.name,
                                                 "role": str(profile.role), "town_code": profile.town_code},
                                                ensure_ascii=False))
        from ..store.models import User

        session.merge(User(id=profile.user_id, name=profile.name, role=str(profile.role),
                           town_code=profile.town_code))


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
    account = Account(d["server_url"], d["username"], d["name"], Role(d["role"]), d.get("town_code"), d["client_id"])
    _remember(store, account, None)
    return account


def restore_tokens(client: BureauClient, creds: CredentialStore, account: Account) -> bool:
    """Load the saved refresh token into `client`; False when there is none (log in again)."""
    token = creds.get(token_key(account.server_url, account.username))
    client.tokens.refresh = token
    return token is not None


def logout(store: Store, client: BureauClient | None, creds: CredentialStore | None) -> None:
    """Forget the tokens here and on the server (if reachable). Pending changes stay in the outbox, owned by
    this user, and are pushed when they log in again; nobody else pushes them."""
    account = current(store)
    if account is None:
        return
    if client is not None:
        try:
            client.logout()
        except Exception:  # noqa: BLE001 - offline logout still forgets the tokens locally
            pass
    if creds is not None:
        creds.delete(token_key(account.server_url, account.username))
    with store.writes.begin() as session:
        meta.put(session, "sync.account", "")


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
        creds.set(token_key(account.server_url, account.username), body["refresh_token"])
    return Account(account.server_url, account.username, account.name, account.role, account.town_code, new_id)
