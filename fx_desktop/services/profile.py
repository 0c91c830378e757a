"""Who is using this client: set on first run (accounts and login arrive with sync)."""
from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass

from ..domain.errors import DomainError
from ..domain.roles import Role
from ..domain.text_limits import checked_text
from ..store import Store, meta
from ..store.models import Town, User


@dataclass(frozen=True)
class Profile:
    user_id: str
    name: str
    role: Role
    town_code: str | None


def load_profile(store: Store) -> Profile | None:
    with store.sessions() as session:
        raw = meta.get(session, "profile")
    if not raw:
        return None
    data = json.loads(raw)
    return Profile(data["user_id"], data["name"], Role(data["role"]), data.get("town_code"))


def save_profile(store: Store, *, name: str, role: Role, town_code: str | None) -> Profile:
    name = checked_text("user_name", name)
    if not name:
        raise DomainError("请填写您的姓名。", "name")
    if role != Role.BUREAU_DISPATCHER and not town_code:
        raise DomainError("请选择您所在的街镇。", "town")
    with store.writes.begin() as session:
        if town_code and session.get(Town, town_code) is None:
            raise DomainError(f"街镇代码“{town_code}”不在街镇名单中。", "town")
        old = meta.get(session, "profile")
        user_id = json.loads(old)["user_id"] if old else str(uuid.uuid4())
        profile = Profile(user_id, name, Role(role), town_code)
        session.merge(User(id=user_id, name=name, role=str(role), town_code=town_code))
        meta.put(session, "profile", json.dumps({**asdict(profile), "role": str(role)}, ensure_ascii=False))
        meta.client_id(session)
    return profile
