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


@dataclass(frozen=True)
class TextSetting:
    """A short text (a file path); missing reads as the default. Checked where it is entered
    (services/office_settings.py), not here: a stale value is the caller's to handle."""

    key: str
    default: str = ""

    def read(self, session: Session) -> str:
        raw = meta.get(session, self.key)
        return raw if raw is not None else self.default

    def write(self, session: Session, value: str) -> None:
        meta.put(session, self.key, str(value))

    def get(self, store) -> str:
        with store.sessions() as session:
            return self.read(session)

    def put(self, store, value: str) -> None:
        with store.writes.begin() as session:
            self.write(session, value)


# The district's own CA certificate(s) (PEM) that the bureau server's certificate is checked against; empty: the
# system's certificates.
CA_FILE = TextSetting("settings.ca_file")
# The font printed forms use for every role ("path" or "path.ttc#n"); empty: the official fonts installed, else a
# free CJK TrueType font (printing/fonts.py). FX_PRINT_FONT, when set, wins.
PRINT_FONT = TextSetting("settings.print_font")
