"""A user of another organisation as the services see one (user_id, name, role, town, organisation), for tests that
act as a department's or a police organisation's liaison without building a full Profile."""
from dataclasses import dataclass

from fx_desktop.domain.roles import Role


@dataclass(frozen=True)
class Person:
    user_id: str
    name: str
    role: Role
    town_code: str | None
    org_code: str
