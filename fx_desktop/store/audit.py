"""The audit trail: append-only, each entry's hash covering its content and the previous entry's hash, so an
entry edited or removed behind the application's back breaks the chain at that point."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import AuditEntry

GENESIS = "0" * 64


def digest(prev_hash: str, at: datetime, actor: str, role: str, case_id: str | None, action: str, detail,
           kind: str | None = None, record_id: str | None = None) -> str:
    """The hash covers the record kind and id only when an entry names them, so older chains still verify."""
    parts = [prev_hash, at.isoformat(timespec="microseconds"), actor, role, case_id, action, detail]
    if kind is not None or record_id is not None:
        parts += [kind, record_id]
    body = json.dumps(
        parts,
        ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str,
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def last_hash(session: Session) -> str:
    found = session.execute(select(AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)).scalar()
    return found or GENESIS


def append(session: Session, *, actor: str, role: str, case_id: str | None, action: str, detail: dict,
           at: datetime | None = None, prev_hash: str | None = None, kind: str | None = None,
           record_id: str | None = None) -> AuditEntry:
    """Add one entry to the session (the caller commits it with the change it records). `case_id` is the case
    concerned; `kind`/`record_id` name another record acted on (a referral of that case)."""
    at = at or datetime.now()
    prev = prev_hash if prev_hash is not None else last_hash(session)
    detail = json.loads(json.dumps(detail, ensure_ascii=False, default=str))  # what is stored is what is hashed
    entry = AuditEntry(at=at, actor=actor, role=role, case_id=case_id, kind=kind, record_id=record_id,
                       action=action, detail=detail,
                       prev_hash=prev, hash=digest(prev, at, actor, role, case_id, action, detail, kind, record_id))
    session.add(entry)
    return entry


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_at: int | None = None  # seq of the first entry that does not verify

    @property
    def message(self) -> str:
        if self.ok:
            return f"审计记录完整，共校验 {self.checked} 条。"
        return f"审计记录第 {self.broken_at} 条校验失败：该条或其之前的记录已被改动或删除。"


def verify_chain(session: Session, batch: int = 5000) -> ChainReport:
    prev, checked, last_seq = GENESIS, 0, 0
    while True:
        rows = session.execute(
            select(AuditEntry).where(AuditEntry.seq > last_seq).order_by(AuditEntry.seq).limit(batch)
        ).scalars().all()
        if not rows:
            return ChainReport(True, checked)
        for e in rows:
            expected = digest(prev, e.at, e.actor, e.role, e.case_id, e.action, e.detail, e.kind, e.record_id)
            if e.prev_hash != prev or e.hash != expected:
                return ChainReport(False, checked, e.seq)
            prev, last_seq, checked = e.hash, e.seq, checked + 1
        session.expunge_all()
