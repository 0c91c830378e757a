"""Who is making a request, as established from the access token and the users table on every request."""
from __future__ import annotations

from dataclasses import dataclass

from fx_desktop.domain.roles import Role


@dataclass(frozen=True)
class Principal:
    user_id: int
    username: str
    name: str
    role: Role
    town_code: str | None  # None: bureau staff, who see every town
    client_id: str

    def sees_town(self, town_code: str) -> bool:
        return self.town_code is None or self.town_code == town_code
