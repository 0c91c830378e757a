"""Accounts: creating users, logging in (rate-limited), refresh tokens bound to one client, and resolving the
principal of a request. Functions take a session and raise AuthProblem with an HTTP status and a Chinese message."""
from __future__ import annotations

import uuid
import weakref
from datetime import datetime, timedelta

from sqlalchemy import Engine, Integer, String, bindparam, select
from sqlalchemy.orm import Session

from fx_desktop.domain.errors import DomainError
from fx_desktop.domain.organisations import Organisation, OrgKind, allowed_roles, check_role
from fx_desktop.domain.roles import Role
from fx_desktop.domain.text_cleaning import clean_text
from fx_desktop.domain.text_limits import TEXT_LIMITS, checked_text

from fx_desktop.domain import passwords

from . import directory, organisations, tokens
from .config import Settings
from .models import Client, Meta, RefreshToken, User
from .models import Organisation as OrgRow
from .principal import Principal
from .schema import STAMP_COLUMNS, meta_value, meta_values, note_reference_stamp

SERVER_ROLES = frozenset(Role)  # every role: which one a user may hold depends on their organisation


class AuthProblem(Exception):
    def __init__(self, status: int, code: str, message: str, *, retry_after: int | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.retry_after = status, code, message, retry_after


def create_user(session: Session, *, username: str, name: str, role: str, password: str, org: str | None = None,
                town: str | None = None, now: datetime | None = None) -> User:
    """A user of organisation `org` (`town` is the older way to name a town: the same thing). Bureau roles need
    no organisation: they belong to the bureau. The role must be one the organisation's kind allows."""
    username = (username or "").strip()
    if not username or len(username) > 64:
        raise DomainError("用户名不能为空，且不超过 64 个字符。", "username")
    role_ = _role(role)
    org_ = _organisation(session, org=org, town=town, role=role_)
    check_role(org_, role_)
    problem = passwords.check_strength(password)
    if problem:
        raise DomainError(problem, "password")
    if session.execute(select(User).where(User.username == username)).scalar_one_or_none() is not None:
        raise DomainError(f"用户名“{username}”已存在。", "username")
    user = User(username=username, name=checked_text("user_name", name or username), role=str(role_),
                org_code=org_.code, town_code=_town_of(org_), sync_generation=0,
                password_hash=passwords.hash_password(password), active=True, failed_logins=0,
                created_at=now or datetime.now())
    session.add(user)
    session.flush()
    directory.rebuild(session)
    return user


def _role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise DomainError(f"没有“{role}”这一角色，可选：{'、'.join(sorted(r.value for r in SERVER_ROLES))}。",
                          "role") from None


def _town_of(org: Organisation) -> str | None:
    return org.code if org.kind == OrgKind.TOWN else None


def _organisation(session: Session, *, org: str | None, town: str | None, role: Role) -> Organisation:
    if org and town and org != town:
        raise DomainError(f"--org（{org}）与 --town（{town}）指定了不同的单位，请只保留一个。", "org")
    code = org or town
    orgs = organisations.directory(session)
    if not code:
        if role not in allowed_roles(OrgKind.BUREAU):
            raise DomainError("请用 --org 指定用户所属单位（街镇用户也可用 --town 指定街镇）。", "org")
        return next(iter(orgs.of_kind(OrgKind.BUREAU)))
    found = orgs.get(code)
    if found is None or (town and not org and found.kind != OrgKind.TOWN):
        if town and not org:
            codes = "、".join(sorted(o.code for o in orgs.of_kind(OrgKind.TOWN)))
            raise DomainError(f"没有代码为“{town}”的街镇，可选：{codes}。", "town")
        codes = "、".join(sorted(o.code for o in orgs))
        raise DomainError(f"没有代码为“{code}”的单位，可选：{codes}。", "org")
    return found


def user_json(session: Session, user: User) -> dict:
    org = organisations.get(session, user.org_code)
    return {"username": user.username, "name": user.name, "role": user.role, "town_code": user.town_code,
            "org_code": user.org_code, "org_name": org.name if org else user.org_code,
            "org_kind": str(org.kind) if org else None}


def _usable(user) -> None:
    """`user`: a User, or a row with its `active` and `role`."""
    if not user.active or not user.role:
        raise AuthProblem(403, "account_disabled", "您的账户已停用或角色已被撤销，请联系系统管理员。")


def login(session: Session, settings: Settings, *, username: str, password: str, client_id: str,
          device_name: str = "", now: datetime | None = None) -> dict:
    now = now or datetime.now()
    try:
        uuid.UUID(client_id)
    except (ValueError, TypeError):
        raise AuthProblem(422, "bad_request", "客户端标识格式不正确。") from None
    user = session.execute(select(User).where(User.username == username).with_for_update()).scalar_one_or_none()
    if user is not None and user.failed_logins >= settings.login_attempts and user.last_failed_at is not None:
        wait = user.last_failed_at + timedelta(seconds=settings.login_window_s) - now
        if wait > timedelta(0):
            minutes = max(1, round(wait.total_seconds() / 60))
            raise AuthProblem(429, "too_many_attempts", f"登录失败次数过多，请约 {minutes} 分钟后再试。",
                              retry_after=int(wait.total_seconds()) + 1)
        user.failed_logins = 0
    if user is None or not passwords.verify_password(password, user.password_hash):
        raise AuthProblem(401, "bad_credentials", "用户名或密码不正确。")
    _usable(user)
    user.failed_logins = 0
    client = session.get(Client, client_id)
    if client is None:
        client = Client(id=client_id, user_id=user.id, device_name=_device_name(device_name),
                        last_mutation_id=0, created_at=now)
        session.add(client)
    elif client.user_id != user.id:
        raise AuthProblem(403, "client_not_yours", "该客户端标识已属于其他用户，请使用本人的数据目录登录。")
    client.last_seen = now
    token, token_hash = tokens.new_refresh_token()
    session.add(RefreshToken(token_hash=token_hash, user_id=user.id, client_id=client_id, created_at=now))
    return {"refresh_token": token, **_access(session, settings, user, client_id, token_hash),
            "user": user_json(session, user), "last_mutation_id": client.last_mutation_id}


def record_failure(session: Session, settings: Settings, username: str, now: datetime | None = None) -> None:
    """Failures count within a window; an old streak starts again at one."""
    now = now or datetime.now()
    user = session.execute(select(User).where(User.username == username).with_for_update()).scalar_one_or_none()
    if user is None:
        return
    recent = user.last_failed_at and now - user.last_failed_at < timedelta(seconds=settings.login_window_s)
    user.failed_logins = user.failed_logins + 1 if recent else 1
    user.last_failed_at = now


def rebind(session: Session, settings: Settings, p: Principal, client_id: str, now: datetime | None = None) -> dict:
    """A client whose database went backwards continues under a new client id bound to the same user; the old
    refresh tokens of that device stop working."""
    now = now or datetime.now()
    try:
        uuid.UUID(client_id)
    except (ValueError, TypeError):
        raise AuthProblem(422, "bad_request", "客户端标识格式不正确。") from None
    if session.get(Client, client_id) is not None:
        raise AuthProblem(409, "client_exists", "该客户端标识已被使用。")
    old = session.get(Client, p.client_id)
    session.add(Client(id=client_id, user_id=p.user_id, device_name=old.device_name if old else "",
                       last_mutation_id=0, created_at=now, last_seen=now))
    for row in session.execute(select(RefreshToken).where(RefreshToken.client_id == p.client_id,
                                                          RefreshToken.revoked_at.is_(None))).scalars():
        row.revoked_at = now
    token, token_hash = tokens.new_refresh_token()
    session.add(RefreshToken(token_hash=token_hash, user_id=p.user_id, client_id=client_id, created_at=now))
    user = session.get(User, p.user_id)
    session.flush()
    return {"refresh_token": token, **_access(session, settings, user, client_id, token_hash),
            "user": user_json(session, user)}


def _access(session: Session, settings: Settings, user: User, client_id: str, refresh_hash: str) -> dict:
    """A new access token issued under the refresh token `refresh_hash`; the answer names the client it is bound
    to, so a client can tell a token of another device (data folder) from its own."""
    secret, generation = _token_keys(session)
    return {"access_token": tokens.issue_access(secret, user.id, client_id, settings.access_ttl_s,
                                                refresh_hash=refresh_hash, generation=generation),
            "expires_in": settings.access_ttl_s, "client_id": client_id}


def token_generation(session: Session) -> int:
    return int(meta_value(session, "token_generation") or 0)


def _token_keys(session: Session) -> tuple[bytes, int]:
    """The token secret and generation, in one query: every request reads them."""
    meta = meta_values(session, "token_secret", "token_generation")
    return bytes.fromhex(meta["token_secret"]), int(meta.get("token_generation") or 0)


def expire_access_tokens(session: Session) -> int:
    """End every access token issued so far (`fx-bureau expire-tokens`): each is answered 401 token_expired, and
    clients get a new one with their refresh token and repeat the request. Refresh tokens stay valid. Returns the
    new generation."""
    generation = token_generation(session) + 1
    session.merge(Meta(key="token_generation", value=str(generation)))
    return generation


def refresh(session: Session, settings: Settings, refresh_token: str) -> dict:
    row = session.get(RefreshToken, tokens.hash_refresh(refresh_token or ""))
    if row is None or row.revoked_at is not None:
        raise AuthProblem(401, "refresh_invalid", "登录已失效（已退出登录，或服务器不再认可这次登录），请重新登录。")
    user = session.get(User, row.user_id)
    _usable(user)
    return {**_access(session, settings, user, row.client_id, row.token_hash), "user": user_json(session, user)}


def logout(session: Session, refresh_token: str, now: datetime | None = None) -> None:
    row = session.get(RefreshToken, tokens.hash_refresh(refresh_token or ""))
    if row is not None and row.revoked_at is None:
        row.revoked_at = now or datetime.now()


def principal(session: Session, authorization: str | None) -> Principal:
    """The caller of a request; 401 with code token_expired tells the client to refresh and retry. Every request
    pays for this, so the user, their organisation's kind, the token generation and the refresh token the access
    token was issued under come back in one query (prepared once), together with the reference stamp
    (schema.from_reference) the request's rules and numbers depend on."""
    if not authorization or not authorization.startswith("Bearer "):
        raise AuthProblem(401, "not_authenticated", "请先登录。")
    claims = _claims(session, authorization[7:])
    found = session.connection().execute(_PRINCIPAL, {"user_id": claims.user_id,
                                                      "refresh_hash": claims.refresh_hash or ""}).first()
    if found is not None and claims.generation != int(found.generation or 0):  # ended by `fx-bureau expire-tokens`
        raise AuthProblem(401, "token_expired", "访问令牌已过期。")
    if found is None:
        raise AuthProblem(401, "token_invalid", "访问令牌无效，请重新登录。")
    note_reference_stamp(session, found[-len(STAMP_COLUMNS):])
    _usable(found)
    if found.org_kind is None:
        raise AuthProblem(403, "account_disabled", "您的账户所属单位不在单位名单中，请联系系统管理员。")
    signed_in = (found.refresh_client is None or (found.revoked_at is None and found.refresh_client == claims.client_id)
                 if claims.refresh_hash else _signed_in(session, claims))
    if not signed_in:
        raise AuthProblem(401, "logged_out", "本设备已退出登录，此前的登录已失效，请重新登录。")
    return Principal(found.id, found.username, found.name, Role(found.role), found.org_code, found.org_kind,
                     claims.client_id, found.sync_generation or 0)


def _principal_query():
    users, orgs, refresh, meta = User.__table__, OrgRow.__table__, RefreshToken.__table__, Meta.__table__
    generation = select(meta.c.value).where(meta.c.key == "token_generation").scalar_subquery()
    return (select(users.c.id, users.c.username, users.c.name, users.c.role, users.c.org_code,
                   users.c.sync_generation, users.c.active, orgs.c.kind.label("org_kind"),
                   generation.label("generation"), refresh.c.revoked_at,
                   refresh.c.client_id.label("refresh_client"), *STAMP_COLUMNS)
            .select_from(users.outerjoin(orgs, orgs.c.code == users.c.org_code)
                         .outerjoin(refresh, refresh.c.token_hash == bindparam("refresh_hash", type_=String)))
            .where(users.c.id == bindparam("user_id", type_=Integer)))


_PRINCIPAL = _principal_query()


_SECRETS: "weakref.WeakKeyDictionary[Engine, bytes]" = weakref.WeakKeyDictionary()


def _claims(session: Session, token: str) -> tokens.AccessClaims:
    """The access token's claims, checked with the token secret. The secret is made once when the database is
    initialised and never changes, so it is read once per engine; a signature that fails with the remembered
    secret is checked again with the one in the database (which may have been restored from another server)."""
    engine = session.get_bind()
    remembered = _SECRETS.get(engine)
    claims = _verified(remembered, token) if remembered is not None else None
    if claims is None:
        _SECRETS[engine] = secret = bytes.fromhex(meta_value(session, "token_secret"))
        claims = _verified(secret, token)
    if claims is None:
        raise AuthProblem(401, "token_invalid", "访问令牌无效，请重新登录。")
    return claims


def _verified(secret: bytes, token: str) -> tokens.AccessClaims | None:
    """The claims of a token signed with `secret`, None when the signature does not match."""
    try:
        return tokens.read_access(secret, token)
    except tokens.TokenInvalid as exc:
        if exc.reason == "expired":
            raise AuthProblem(401, "token_expired", "访问令牌已过期。") from None
        return None


def _signed_in(session: Session, claims: tokens.AccessClaims) -> bool:
    """Whether the refresh token this access token was issued under is still live: a logout (or a rebind) revokes
    it, and every access token issued under it stops working with the next request (one primary-key lookup).
    Refresh tokens are revoked, never deleted, so an unknown one means this database was restored from a backup
    older than the login: its access tokens (signed with our secret) stay usable until they expire, long enough
    for the client to register again (unknown_client, then rebind), as before. Tokens issued before they named
    their refresh token: any live refresh token of that user's client will do."""
    if claims.refresh_hash:
        row = session.get(RefreshToken, claims.refresh_hash)
        return row is None or (row.revoked_at is None and row.client_id == claims.client_id)
    return session.execute(select(RefreshToken.token_hash).where(
        RefreshToken.user_id == claims.user_id, RefreshToken.client_id == claims.client_id,
        RefreshToken.revoked_at.is_(None)).limit(1)).first() is not None


def set_user(session: Session, username: str, *, role: str | None = None, active: bool | None = None,
             password: str | None = None, org: str | None = None) -> User:
    """Changes to a user. A new organisation (`org`) is checked against the role (the new one when given) and
    raises the user's sync generation: their next pull is a reset, so their devices drop what they may no longer
    see and receive what they may now see."""
    user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is None:
        raise DomainError(f"没有用户“{username}”。", "username")
    if role is not None and role != "none":
        role = str(_role(role))
    if org is not None and org != user.org_code:
        new_org = organisations.directory(session).require(org)
        keep = role if role is not None else user.role
        if keep and keep != "none":
            check_role(new_org, keep)
        user.org_code, user.town_code = new_org.code, _town_of(new_org)
        user.sync_generation = (user.sync_generation or 0) + 1
    elif role is not None and role != "none":
        current = organisations.get(session, user.org_code)
        if current is not None:
            check_role(current, role)
    if role is not None:
        if role == "none":
            user.role = None
        else:
            user.role = role
    if active is not None:
        user.active = active
    if password is not None:
        problem = passwords.check_strength(password)
        if problem:
            raise DomainError(problem, "password")
        user.password_hash = passwords.hash_password(password)
    directory.rebuild(session)
    return user


def _device_name(raw: str) -> str:
    """The name a device gives itself (its host name, not typed): cleaned and cut to its catalogue limit, never a
    reason to refuse a login."""
    limit = TEXT_LIMITS["device_name"]
    return clean_text(raw, multiline=limit.multiline)[:limit.max_chars]
