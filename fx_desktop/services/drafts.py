"""Unsaved edits written aside every few seconds, so that a crash or a power cut loses nothing typed.
A draft is the form's content as JSON, one file per case ("new" for a case not yet saved); it is removed when
the case is saved or the user discards the changes."""
from __future__ import annotations

import json
import os
import re
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from ..domain.case_draft import CaseDraft, Officer

NEW = "new"
OFFERED = "new-offered"  # a new case's draft found at start, offered on the workbench (views/workbench.py)


class DraftStore:
    def __init__(self, folder: Path):
        self.folder = folder

    def _path(self, key: str) -> Path:
        if not re.fullmatch(r"[0-9a-zA-Z-]{1,64}", key):
            raise ValueError(f"bad draft key {key!r}")
        return self.folder / f"{key}.json"

    def save(self, key: str, draft: CaseDraft, *, now: datetime | None = None) -> None:
        data = asdict(draft)
        data["occurred_at"] = draft.occurred_at.isoformat() if draft.occurred_at else None
        body = json.dumps({"saved_at": (now or datetime.now()).isoformat(timespec="seconds"), "draft": data},
                          ensure_ascii=False)
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self._path(key)
        tmp = target.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(body)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)

    def load(self, key: str) -> tuple[CaseDraft, datetime] | None:
        path = self._path(key)
        try:
            raw = json.loads(path.read_text("utf-8"))
            data = raw["draft"]
            data["officers"] = [Officer(**o) for o in data.get("officers", [])]
            data["occurred_at"] = datetime.fromisoformat(data["occurred_at"]) if data.get("occurred_at") else None
            return CaseDraft(**data), datetime.fromisoformat(raw["saved_at"])
        except FileNotFoundError:
            return None
        except OSError:  # unreadable now (permissions, I/O): leave it for a later start
            return None
        except (ValueError, KeyError, TypeError, AttributeError):  # torn or foreign: keep it aside, don't offer it
            path.replace(path.with_suffix(".unreadable"))
            return None

    def discard(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def set_aside_new(self) -> tuple[CaseDraft, datetime] | None:
        """At start: a new case's draft left by a crash moves to OFFERED, where the workbench offers it once
        instead of the new-case form asking before anything else can be done. An older offered draft is replaced
        by a newer one. Returns the draft offered, if any."""
        try:
            self._path(NEW).replace(self._path(OFFERED))
        except FileNotFoundError:
            pass
        except OSError:  # cannot move it now: it stays where the new-case form will offer it
            return None
        return self.load(OFFERED)
