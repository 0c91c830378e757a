"""Organisations (SYNC.md "Shared records", DOMAIN.md section 1): the towns, the district departments of the joint
meeting, the police sub-bureau and its stations, the procuratorate and the bureau. Reference data distributed by
fx-bureau; every user belongs to one, and which roles a user may hold depends on its kind."""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Iterable

from .errors import DomainError
from .roles import Role


class OrgKind(StrEnum):
    TOWN = "town"
    DEPARTMENT = "department"
    POLICE_BUREAU = "police_bureau"
    POLICE_STATION = "police_station"
    PROCURATORATE = "procuratorate"
    BUREAU = "bureau"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    OrgKind.TOWN: "街镇",
    OrgKind.DEPARTMENT: "区级部门",
    OrgKind.POLICE_BUREAU: "公安分局",
    OrgKind.POLICE_STATION: "派出所",
    OrgKind.PROCURATORATE: "检察院",
    OrgKind.BUREAU: "区城管执法局",
}

ROLES_BY_KIND: dict[OrgKind, tuple[Role, ...]] = {
    OrgKind.TOWN: (Role.OFFICER, Role.SQUAD_LEADER, Role.LEGAL_REVIEWER, Role.OFFICE_STAFF),
    OrgKind.DEPARTMENT: (Role.DEPARTMENT_LIAISON,),
    OrgKind.PROCURATORATE: (Role.DEPARTMENT_LIAISON,),
    OrgKind.POLICE_BUREAU: (Role.POLICE_LIAISON,),
    OrgKind.POLICE_STATION: (Role.POLICE_LIAISON,),
    OrgKind.BUREAU: (Role.BUREAU_DISPATCHER, Role.ADMIN),
}

BUREAU_CODE = "cgzf"  # 区城管执法局: the bureau, also the office of the joint meeting


@dataclass(frozen=True)
class Organisation:
    code: str
    name: str
    short_name: str  # 机关代字 in document numbers (奉南桥) or a short form of the name
    kind: OrgKind
    parent: str | None = None

    @property
    def sees_all(self) -> bool:
        """The bureau sees every organisation's records; everyone else their own and those shared with them."""
        return self.kind == OrgKind.BUREAU

    def to_json(self) -> dict:
        return {"code": self.code, "name": self.name, "short_name": self.short_name, "kind": str(self.kind),
                "parent": self.parent}


def sees_all(kind: str | OrgKind) -> bool:
    return OrgKind(kind) == OrgKind.BUREAU


def allowed_roles(kind: str | OrgKind) -> tuple[Role, ...]:
    return ROLES_BY_KIND[OrgKind(kind)]


def check_role(org: Organisation, role: str | Role) -> Role:
    """The role, when a user of `org` may hold it; otherwise a message naming the roles that organisation allows."""
    try:
        role_ = Role(role)
    except ValueError:
        raise DomainError(f"没有“{role}”这一角色。", "role") from None
    allowed = allowed_roles(org.kind)
    if role_ not in allowed:
        names = "、".join(r.label for r in allowed)
        raise DomainError(f"{org.name}（{org.kind.label}）的用户不能担任“{role_.label}”，可选角色：{names}。", "role")
    return role_


def _organisation(raw: dict) -> Organisation:
    try:
        kind = OrgKind(raw.get("kind"))
    except ValueError:
        kinds = "、".join(k.value for k in OrgKind)
        raise DomainError(f"单位“{raw.get('name') or raw.get('code')}”的类型“{raw.get('kind')}”不正确，"
                          f"可选：{kinds}。", "organisations") from None
    code, name = str(raw.get("code") or "").strip(), str(raw.get("name") or "").strip()
    if not code or not name or len(code) > 32 or len(name) > 64:
        raise DomainError("每个单位都要有代码（不超过 32 个字符）和名称（不超过 64 个字）。", "organisations")
    short = str(raw.get("short_name") or "").strip() or name
    return Organisation(code, name, short[:16], kind, (raw.get("parent") or None))


def _derived(data: dict) -> list[dict]:
    """An older reference file has no organisations list: its towns and departments become organisations."""
    orgs = [{"code": t["code"], "name": t["name"], "short_name": t.get("agency_code") or t["name"], "kind": "town"}
            for t in data.get("towns") or []]
    for d in data.get("departments") or []:
        kind = "bureau" if d["code"] == BUREAU_CODE else "department"
        orgs.append({"code": d["code"], "name": d["name"], "kind": kind})
    return orgs


def organisations_from_reference(data: dict | None) -> list[Organisation]:
    """Checked list: codes unique, parents known, every town of the reference an organisation of kind town, one
    bureau. Raises DomainError saying what to fix in the file."""
    data = data or {}
    raw = data.get("organisations")
    if raw is None:
        raw = _derived(data)
    if not isinstance(raw, list):
        raise DomainError("参考数据中的 organisations 应为单位列表。", "organisations")
    orgs = [_organisation(r if isinstance(r, dict) else {}) for r in raw]
    codes = [o.code for o in orgs]
    twice = sorted({c for c in codes if codes.count(c) > 1})
    if twice:
        raise DomainError(f"单位代码重复：{'、'.join(twice)}。", "organisations")
    known = set(codes)
    orphans = sorted(o.code for o in orgs if o.parent and o.parent not in known)
    if orphans:
        raise DomainError(f"这些单位的上级单位不在名单中：{'、'.join(orphans)}。", "organisations")
    by_code = {o.code: o for o in orgs}
    for t in data.get("towns") or []:
        org = by_code.get(t["code"])
        if org is None or org.kind != OrgKind.TOWN:
            raise DomainError(f"街镇“{t['name']}”（{t['code']}）须同时列为类型为 town 的单位。", "organisations")
    if not any(o.kind == OrgKind.BUREAU for o in orgs):
        raise DomainError("单位名单中须有一个类型为 bureau 的单位（区城管执法局）。", "organisations")
    return orgs


def official_names(data: dict | None) -> dict[str, str]:
    """Each organisation's official full name by code (上海市奉贤区规划和自然资源局), for what a printed form names
    as addressee, issuer or seal (GB/T 9704 主送机关: the full name). The reference's `name` is the working name the
    lists show (区规划资源局) and `short_name` the 机关代字 of document numbers (奉规资); `full_name` is optional and
    defaults to the name. The organisations tables keep only name and short name: this reads the document."""
    names = {}
    for raw in (data or {}).get("organisations") or []:
        if isinstance(raw, dict) and raw.get("code"):
            full = str(raw.get("full_name") or raw.get("name") or "").strip()
            names[str(raw["code"])] = full[:64]
    return names


class OrgDirectory:
    """Organisations by code, for lookups and pick lists."""

    def __init__(self, orgs: Iterable[Organisation]):
        self._orgs = {o.code: o for o in orgs}

    @classmethod
    def from_reference(cls, data: dict | None) -> OrgDirectory:
        return cls(organisations_from_reference(data))

    def __iter__(self):
        return iter(self._orgs.values())

    def __len__(self) -> int:
        return len(self._orgs)

    def get(self, code: str | None) -> Organisation | None:
        return self._orgs.get(code or "")

    def require(self, code: str | None, what: str = "单位") -> Organisation:
        org = self.get(code)
        if org is None:
            raise DomainError(f"{what}代码“{code or ''}”不在单位名单中，请从名单中选择。", "org")
        return org

    def name(self, code: str | None) -> str:
        org = self.get(code)
        return org.name if org else (code or "")

    def of_kind(self, *kinds: OrgKind | str) -> list[Organisation]:
        wanted = {OrgKind(k) for k in kinds}
        return [o for o in self._orgs.values() if o.kind in wanted]
