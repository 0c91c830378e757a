"""Who is using this client: set on first run or by the last login. Every user belongs to one organisation (a
town, the bureau, a department, the police, the procuratorate); which cases they see and may act on follows from
its kind (domain/organisations.py)."""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from ..domain.errors import DomainError
from ..domain.organisations import BUREAU_CODE, OrgKind, check_role
from ..domain.roles import Role
from ..domain.text_limits import checked_text
from ..store import Store, meta
from ..store.models import User
from .organisations import directory_in


@dataclass(frozen=True)
class Profile:
    """`town_code` is the organisation's code when it is a town, else None (the code that predates organisations
    reads it); `org_code` and `org_kind` are always set. Made with only a town code (or None), as before
    organisations, they are derived: the town, or the bureau."""

    user_id: str
    name: str
    role: Role
    town_code: str | None
    org_code: str | None = None
    org_kind: OrgKind | None = None

    def __post_init__(self) -> None:
        kind = self.org_kind
        code = self.org_code or self.town_code or (None if kind not in (None, OrgKind.BUREAU) else BUREAU_CODE)
        if code is None:
            raise ValueError("a profile of an organisation other than a town or the bureau needs its org_code")
        if kind is None:
            if code == self.town_code:
                kind = OrgKind.TOWN
            elif code == BUREAU_CODE:
                kind = OrgKind.BUREAU
            else:
                raise ValueError(f"the kind of organisation {code!r} is needed")
        kind = OrgKind(kind)
        object.__setattr__(self, "org_code", code)
        object.__setattr__(self, "org_kind", kind)
        object.__setattr__(self, "town_code", code if kind == OrgKind.TOWN else None)

    @property
    def sees_all(self) -> bool:
        """The bureau sees every town's cases; a department, the police or the procuratorate none of them (only
        what is shared with them)."""
        return self.org_kind == OrgKind.BUREAU

    @property
    def in_town(self) -> bool:
        return self.org_kind == OrgKind.TOWN

    @property
    def case_towns(self) -> tuple[str, ...] | None:
        """The towns whose cases the server lets this user see: None all of them (the bureau), else their own
        town or none."""
        return None if self.sees_all else ((self.town_code,) if self.town_code else ())

    def sees_town(self, code: str | None) -> bool:
        """Whether this user may act on the cases of town `code`."""
        return self.sees_all or (self.town_code is not None and self.town_code == code)

    def to_json(self) -> dict:
        return {"user_id": self.user_id, "name": self.name, "role": str(self.role), "town_code": self.town_code,
                "org_code": self.org_code, "org_kind": str(self.org_kind)}

    @classmethod
    def from_json(cls, data: dict) -> Profile:
        """Also a profile stored before organisations (no org_code: the town, or the bureau)."""
        return cls(data["user_id"], data["name"], Role(data["role"]), data.get("town_code"),
                   data.get("org_code"), data.get("org_kind"))


def load_profile(store: Store) -> Profile | None:
    with store.sessions() as session:
        raw = meta.get(session, "profile")
    return Profile.from_json(json.loads(raw)) if raw else None


def save_profile(store: Store, *, name: str, role: Role, org_code: str | None = None,
                 town_code: str | None = None) -> Profile:
    """The user of an offline client. `org_code` names the organisation; `town_code` (the form before
    organisations) a town. Without either, a bureau role means the bureau. Raises DomainError naming the field."""
    name = checked_text("user_name", name)
    if not name:
        raise DomainError("请填写您的姓名。", "name")
    field, what = ("town", "街镇") if org_code is None and town_code else ("org", "单位")
    code = org_code or town_code
    if not code and role in (Role.BUREAU_DISPATCHER, Role.ADMIN):
        code = BUREAU_CODE
    if not code:
        raise DomainError("请选择您所在的单位（街镇、区级部门等）。", "org")
    with store.writes.begin() as session:
        org = directory_in(session).get(code)
        if org is None or (field == "town" and org.kind != OrgKind.TOWN):
            raise DomainError(f"{what}代码“{code}”不在{what}名单中，请从名单中选择。", field)
        role_ = check_role(org, role)
        old = meta.get(session, "profile")
        user_id = json.loads(old)["user_id"] if old else str(uuid.uuid4())
        profile = Profile(user_id, name, role_, None, org.code, org.kind)
        remember_user(session, profile)
        meta.put(session, "profile", json.dumps(profile.to_json(), ensure_ascii=False))
        meta.client_id(session)
    return profile


def remember_user(session, profile: Profile) -> None:
    """The users row of this profile (names in the audit trail and the review forms come from it)."""
    session.merge(User(id=profile.user_id, name=profile.name, role=str(profile.role), town_code=profile.town_code,
                       org_code=profile.org_code))
