"""Settings of this computer that the headless commands need as much as the application, kept in the database's
meta table. Each is declared once here with its type, default and bounds; a stored value that is missing,
unreadable or out of bounds reads as the default (never an error at start-up)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from . import meta


@dataclass(frozen=True)
class IntSetting:
    key: str
    default: int
    minimum: int
    maximum: int
    unit: str = ""

    def read(self, session: Session) -> int:
        raw = meta.get(session, self.key)
        try:
            value = int(raw) if raw is not None else self.default
        except ValueError:
            return self.default
        return value if self.minimum <= value <= self.maximum else self.default

    def write(self, session: Session, value: int) -> None:
        if not self.minimum <= int(value) <= self.maximum:
            raise ValueError(f"{self.key}: {value} is outside {self.minimum}..{self.maximum}")
        meta.put(session, self.key, str(int(value)))

    def get(self, store) -> int:
        with store.sessions() as session:
            return self.read(session)

    def put(self, store, value: int) -> None:
        with store.writes.begin() as session:
            self.write(session, value)


# Evidence files up to this size are downloaded in the background after each sync; larger ones only when a user
# opens them (a 2 GiB video need not fill every laptop of the town). 0: none in the background.
DOWNLOAD_AUTO_MAX_MB = IntSetting("settings.download_auto_max_mb", default=50, minimum=0, maximum=2048, unit="MB")
