"""User roles (DOMAIN.md section 1)."""

from __future__ import annotations

from enum import StrEnum

from .errors import DomainError


class Role(StrEnum):
    OFFICER = "officer"
    SQUAD_LEADER = "squad_leader"
    LEGAL_REVIEWER = "legal_reviewer"
    OFFICE_STAFF = "office_staff"
    BUREAU_DISPATCHER = "bureau_dispatcher"
    DEPARTMENT_LIAISON = "department_liaison"
    POLICE_LIAISON = "police_liaison"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        """Chinese name shown to users."""
        return _LABELS[self]

    @classmethod
    def from_label(cls, label: str) -> Role:
        """The role whose Chinese name is ``label`` (surrounding spaces ignored)."""
        text = (label or "").strip()
        for role, name in _LABELS.items():
            if name == text:
                return role
        names = "、".join(_LABELS.values())
        raise DomainError(f"没有名为“{text}”的角色，可选角色为：{names}。", field="role")


_LABELS: dict[Role, str] = {
    Role.OFFICER: "执法队员",
    Role.SQUAD_LEADER: "中队长",
    Role.LEGAL_REVIEWER: "法制审核员",
    Role.OFFICE_STAFF: "内勤",
    Role.BUREAU_DISPATCHER: "区城管执法局调度员",
    Role.DEPARTMENT_LIAISON: "行业管理部门联络员",
    Role.POLICE_LIAISON: "公安联络员",
    Role.ADMIN: "系统管理员",
}

# Who registers, edits and documents cases (DOMAIN.md section 1): the client's services and the server's
# mutation handlers both check this set.
CASE_HANDLERS = frozenset({Role.OFFICER, Role.SQUAD_LEADER})


# The bureau's dispatcher also registers clues, in the town they are routed to.
CASE_REGISTRARS = CASE_HANDLERS | {Role.BUREAU_DISPATCHER}


def require_case_registrar(role: Role) -> None:
    if Role(role) not in CASE_REGISTRARS:
        raise DomainError(f"您的角色“{Role(role).label}”不能登记案件，该工作由执法队员、中队长或区局调度员办理。")


def require_case_handler(role: Role) -> None:
    if Role(role) not in CASE_HANDLERS:
        raise DomainError(f"您的角色“{Role(role).label}”不能登记或修改案件，该工作由执法队员或中队长办理。")
