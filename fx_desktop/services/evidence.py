"""Attaching evidence files: copy into the content-addressed store first, then record it with audit and outbox."""
from __future__ import annotations

import errno
import mimetypes
from datetime import datetime
from pathlib import Path
from typing import Callable

from ..domain.errors import DomainError
from ..domain.evidence import EVIDENCE_KINDS
from ..domain.lifecycle import CaseStatus
from ..domain.roles import require_case_handler
from ..store import Store
from ..domain.text_cleaning import clean_name
from ..store.blobs import DEFAULT_LIMIT, check_source
from .cases import CaseRecord, ensure_same_town, load_case, to_record, add_evidence_row
from .profile import Profile

KINDS = EVIDENCE_KINDS


def guess_kind(name: str) -> str:
    mime = mimetypes.guess_type(name)[0] or ""
    if mime.startswith("image/"):
        return "photo"
    if mime.startswith("video/"):
        return "video"
    return "document"


def _ensure_open(case) -> None:
    status = CaseStatus(case.status)
    if status.is_terminal:
        raise DomainError(f"案件已处于“{status.label}”状态，不能再添加证据。", "evidence")


def add_evidence(store: Store, actor: Profile, case_id: str, source: Path, *, kind: str | None = None,
                 limit: int = DEFAULT_LIMIT, now: datetime | None = None,
                 progress: Callable[[int], None] | None = None) -> CaseRecord:
    """`progress(bytes_copied)` follows the copy into the blob store."""
    now = now or datetime.now()
    require_case_handler(actor.role)
    source = Path(source)
    name = clean_name(source.name)
    kind = kind or guess_kind(name)
    if kind not in KINDS:
        raise DomainError(f"证据类型“{kind}”无效，应为照片、视频或文档。", "evidence")
    with store.sessions() as session:  # fail before copying gigabytes for a case that is gone, closed or not ours
        case = load_case(session, case_id)
        ensure_same_town(case, actor)
        _ensure_open(case)
    try:
        check_source(source, limit)  # missing, empty, a folder, too big: said plainly before anything else
        captured = datetime.fromtimestamp(source.stat().st_mtime)
        blob = store.blobs.put_file(source, limit, progress)
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise DomainError("磁盘空间不足，证据文件未能保存。请清理磁盘后重试，已保存的案件资料不受影响。",
                              "evidence") from exc
        if exc.filename and Path(exc.filename) != source:
            raise DomainError(f"证据文件“{name}”无法写入数据目录：{exc.strerror or exc}。请联系管理员检查数据目录。",
                              "evidence") from exc
        raise DomainError(f"无法读取文件“{name}”：{exc.strerror or exc}。", "evidence") from exc
    with store.writes.begin() as session:
        case = load_case(session, case_id)
        ensure_same_town(case, actor)
        _ensure_open(case)
        add_evidence_row(session, case, actor, kind=kind, name=name, sha256=blob.sha256, size=blob.size,
                         captured_at=captured, now=now)
        session.flush()
        session.refresh(case)
        return to_record(case)
