"""Where fx-desktop keeps its files. Nothing happens at import time; callers pass a root or take the default."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

APP_NAME = "fx-desktop"
APP_AUTHOR = "Fengxian"


@dataclass(frozen=True)
class DataPaths:
    root: Path

    @classmethod
    def default(cls) -> "DataPaths":
        import platformdirs

        return cls(Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR)))

    @classmethod
    def at(cls, root: str | Path | None) -> "DataPaths":
        return cls.default() if root is None else cls(Path(root).expanduser().resolve())

    @property
    def database(self) -> Path:
        return self.root / "fx-desktop.sqlite"

    @property
    def blobs(self) -> Path:
        """Evidence files, content-addressed by sha256."""
        return self.root / "blobs"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def opened(self) -> Path:
        """Named copies of evidence handed to the system viewer."""
        return self.root / "opened"

    @property
    def drafts(self) -> Path:
        """Unsaved editor contents, kept so a crash or power cut loses nothing typed."""
        return self.root / "drafts"

    @property
    def lock(self) -> Path:
        return self.root / "fx-desktop.lock"

    def ensure(self) -> "DataPaths":
        for d in (self.root, self.blobs, self.backups):
            d.mkdir(parents=True, exist_ok=True)
        return self
