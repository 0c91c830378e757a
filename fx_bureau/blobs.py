"""Attachment storage on disk, content-addressed by sha256, with resumable chunked uploads.

Layout under the blob directory: `ab/abcdef...` for stored blobs, `uploads/<id>.part` for uploads in progress.
For several servers, point `--blob-dir` at one shared directory (NFS/SMB mount) or an object-storage bucket
mounted with s3fs/rclone: every write is a new file renamed into place, and a blob is immutable once stored."""
from __future__ import annotations

import hashlib
import os
import re
import threading
import uuid
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .arguments import SHA256_PATTERN
from .models import Blob, BlobHolder, BlobRef, Upload
from .principal import Principal

HASH_BLOCK = 1024 * 1024


class UploadProblem(Exception):
    def __init__(self, status: int, code: str, message: str, **extra):
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra


_SHA256 = re.compile(SHA256_PATTERN)


def is_sha256(text: str) -> bool:
    return _SHA256.fullmatch(text) is not None


class BlobDir:
    def __init__(self, root: Path):
        self.root = Path(root)
        (self.root / "uploads").mkdir(parents=True, exist_ok=True)
        # Running hashes of uploads in progress, so completing one does not read it all again. Only a cache:
        # after a restart, or with chunks spread over several worker processes, complete() re-reads the file.
        self._running: dict[str, tuple[int, object]] = {}
        self._lock = threading.Lock()

    def running_copy(self, upload_id: str, offset: int):
        """A copy of the upload's running hash when it covers exactly the bytes before `offset`, else None (and
        the cache entry is dropped: complete() will read the file)."""
        with self._lock:
            done, h = self._running.get(upload_id, (0, None))
            if h is None and offset == 0:
                return hashlib.sha256()
            if h is None or done != offset:
                self._running.pop(upload_id, None)
                return None
            return h.copy()

    def keep_running(self, upload_id: str, done: int, h) -> None:
        with self._lock:
            if h is None:
                self._running.pop(upload_id, None)
            else:
                self._running[upload_id] = (done, h)

    def finished_hash(self, upload_id: str, size: int) -> str | None:
        with self._lock:
            done, h = self._running.pop(upload_id, (0, None))
        return h.hexdigest() if h is not None and done == size else None

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def part(self, upload_id: str) -> Path:
        return self.root / "uploads" / f"{upload_id}.part"


def start(session: Session, blobs: BlobDir, p: Principal, sha256: str, size: int, limit: int, chunk: int,
          now: datetime) -> dict:
    """Ask whether the server has the bytes; if not, open (or resume) an upload and say how much it holds."""
    if not is_sha256(sha256):
        raise UploadProblem(422, "bad_hash", "附件校验值格式不正确（应为 64 位小写十六进制 SHA-256）。")
    if size < 0:
        raise UploadProblem(422, "bad_size", "附件大小不正确。")
    if size > limit:
        raise UploadProblem(413, "too_large", f"附件大小 {size / 1024**2:.1f} MB 超过服务器允许的上限 "
                                              f"{limit / 1024**2:.0f} MB。", limit=limit)
    if may_read(session, p, sha256):
        return {"status": "exists"}
    # Anyone else gets an upload whether or not the server holds the bytes (the answer must not tell), and proves
    # possession by sending them.
    upload = session.execute(
        select(Upload).where(Upload.sha256 == sha256, Upload.user_id == p.user_id, Upload.size == size)
    ).scalars().first()
    if upload is None:
        upload = Upload(id=str(uuid.uuid4()), sha256=sha256, size=size, received=0, user_id=p.user_id,
                        created_at=now)
        session.add(upload)
        blobs.part(upload.id).write_bytes(b"")
    received = _on_disk(blobs, upload)
    return {"status": "upload", "upload_id": upload.id, "received": received, "chunk_bytes": chunk}


def _on_disk(blobs: BlobDir, upload: Upload) -> int:
    """What is really in the part file (a crash may have lost bytes the database row counted)."""
    part = blobs.part(upload.id)
    if not part.exists():  # discarded after a failed verification (or lost): the upload starts again from zero
        part.write_bytes(b"")
    actual = part.stat().st_size
    if actual < upload.received:
        upload.received = actual
    elif actual > upload.received:  # bytes written but not acknowledged: drop them, the client resends
        with open(part, "r+b") as fh:
            fh.truncate(upload.received)
    return upload.received


def _upload(session: Session, p: Principal, upload_id: str) -> Upload:
    upload = session.execute(select(Upload).where(Upload.id == upload_id).with_for_update()).scalar_one_or_none()
    if upload is None or upload.user_id != p.user_id:
        raise UploadProblem(404, "no_upload", "没有该上传任务，请重新开始上传。")
    return upload


class ChunkWriter:
    """One chunk, written to the part file as it arrives and hashed on the way (its own hash, and the upload's
    running hash on a copy): writing new file pages costs about as much as receiving them here, so doing both at
    once nearly halves the time of a chunk. Nothing counts until `finish_chunk` accepts it; `discard` cuts the file
    back (and `_on_disk` would drop unacknowledged bytes anyway)."""

    def __init__(self, blobs: BlobDir, upload_id: str, start: int, size: int, chunk_limit: int):
        self.blobs, self.upload_id, self.start, self.size, self.chunk_limit = blobs, upload_id, start, size, chunk_limit
        self.length = 0
        self.digest = hashlib.sha256()
        self.running = blobs.running_copy(upload_id, start)
        self.fh = open(blobs.part(upload_id), "r+b")  # no fsync per chunk: see complete()
        self.fh.seek(start)

    def add(self, data: bytes) -> None:
        self.length += len(data)
        if self.length > self.chunk_limit:
            raise UploadProblem(413, "chunk_too_large", f"分块不能超过 {self.chunk_limit} 字节。", received=self.start)
        if self.start + self.length > self.size:
            raise UploadProblem(422, "too_long", "上传的数据超过了声明的附件大小。", received=self.start)
        self.fh.write(data)
        self.digest.update(data)
        if self.running is not None:
            self.running.update(data)

    def discard(self) -> None:
        if not self.fh.closed:
            self.fh.truncate(self.start)
            self.fh.close()


def begin_chunk(session: Session, blobs: BlobDir, p: Principal, upload_id: str, offset: int,
                chunk_limit: int) -> ChunkWriter:
    upload = _upload(session, p, upload_id)
    received = _on_disk(blobs, upload)
    if offset != received:
        raise UploadProblem(409, "bad_offset", f"上传位置不符：服务器已收到 {received} 字节。", received=received)
    return ChunkWriter(blobs, upload.id, received, upload.size, chunk_limit)


def finish_chunk(session: Session, p: Principal, writer: ChunkWriter, chunk_sha256: str | None) -> dict:
    """Accept the streamed chunk when its hash matches (a corrupted one is cut off and asked for again)."""
    upload = _upload(session, p, writer.upload_id)
    if upload.received != writer.start:
        writer.discard()
        raise UploadProblem(409, "bad_offset", f"上传位置不符：服务器已收到 {upload.received} 字节。",
                            received=upload.received)
    if chunk_sha256 is not None and writer.digest.hexdigest() != chunk_sha256:
        writer.discard()
        raise UploadProblem(422, "chunk_corrupted", "该分块在传输中损坏（校验值不符），请重新发送。",
                            received=writer.start)
    writer.fh.close()
    writer.blobs.keep_running(writer.upload_id, writer.start + writer.length, writer.running)
    upload.received = writer.start + writer.length
    return {"received": upload.received}


def complete(session: Session, blobs: BlobDir, p: Principal, upload_id: str, now: datetime) -> dict:
    """Verify the whole file against its sha256 before it becomes a blob; a mismatch discards the upload."""
    upload = _upload(session, p, upload_id)
    part = blobs.part(upload.id)
    if _on_disk(blobs, upload) != upload.size:
        raise UploadProblem(409, "incomplete", f"附件尚未传完：已收到 {upload.received}/{upload.size} 字节。",
                            received=upload.received)
    actual = blobs.finished_hash(upload.id, upload.size)
    if actual is None:
        h = hashlib.sha256()
        with open(part, "rb") as fh:
            while block := fh.read(HASH_BLOCK):
                h.update(block)
        actual = h.hexdigest()
    if actual != upload.sha256:  # the refusal rolls this transaction back: the row stays, its bytes do not
        part.unlink(missing_ok=True)
        raise UploadProblem(422, "hash_mismatch", "附件校验失败：收到的文件与其 SHA-256 不符，已丢弃，请重新上传。")
    target = blobs.path(upload.sha256)
    if target.is_file():  # the same bytes are already stored (another user's upload): kept as they are
        part.unlink()
    else:
        with open(part, "rb+") as fh:  # durable before it becomes a blob; chunks were not synced one by one, because
            os.fsync(fh.fileno())    # _on_disk() trusts only the real file size and the hash above checks every byte
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(part, target)
    _insert_once(session, Blob, sha256=upload.sha256, size=upload.size, stored_at=now)
    _insert_once(session, BlobHolder, sha256=upload.sha256, user_id=p.user_id)
    session.delete(upload)
    return {"status": "stored", "sha256": upload.sha256}


def _insert_once(session: Session, model, **values) -> None:
    """Insert the row unless its key is there already (two uploads of the same bytes may complete at once)."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.execute(insert(model).values(**values).on_conflict_do_nothing())


def may_read(session: Session, p: Principal, sha256: str) -> bool:
    """Whether the user may read a stored blob, attach it to a case and be told the server has it: bureau staff
    every blob; others those their organisation's records use (a town's cases, the evidence referred to a
    department: blob_refs) and those they uploaded themselves. Knowing the hash is never enough."""
    if session.get(Blob, sha256) is None:
        return False
    if p.sees_all or session.get(BlobRef, (sha256, p.org_code)) is not None:
        return True
    return session.get(BlobHolder, (sha256, p.user_id)) is not None
