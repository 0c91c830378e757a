"""Who is making a request, as established from the access token and the users table on every request."""
from __future__ import annotations

from dataclasses import dataclass

from fx_desktop.domain.organisations import OrgKind, sees_all
from fx_desktop.domain.roles import Role


@dataclass(frozen=True)
class Principal:
    user_id: int
    username: str
    name: str
    role: Role
    org_code: str
    org_kind: str
    client_id: str
    sync_generation: int = 0  # raised when the organisation changes: cursors issued before then are unknown

    @property
    def sees_all(self) -> bool:
        """The bureau sees every organisation's records."""
        return sees_all(self.org_kind)

    @property
    def town_code(self) -> str | None:
        """The user's town when they belong to one (a department, the police or the bureau: None)."""
        return self.org_code if self.org_kind == OrgKind.TOWN else None

    def sees_town(self, town_code: str) -> bool:
        return self.sees_all or self.town_code == town_code
