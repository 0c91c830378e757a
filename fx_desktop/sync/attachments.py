"""Evidence files to and from the server: ask whether it has the bytes, upload the missing part in chunks that
are verified one by one and resumed after a crash (the server says how much it holds), download with HTTP Range
so an interrupted download continues where it stopped."""
from __future__ import annotations

import hashlib
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable

from ..store.blobs import BlobStore
from .transport import BureauClient, Refused, SyncProblem

Progress = Callable[[int, int], None]


class BlobMissingLocally(SyncProblem):
    pass


def upload(client: BureauClient, blobs: BlobStore, sha256: str, size: int,
           progress: Progress | None = None) -> str:
    """Make sure the server holds `sha256`. Returns "exists" or "stored"."""
    path = blobs.path_for(sha256)
    if not path.is_file():
        raise BlobMissingLocally(f"本机缺少附件文件 {sha256[:12]}…，无法上传；请在证据面板重新添加该文件。")
    answer = client.upload_start(sha256, size)
    if answer.get("status") == "exists":
        return "exists"
    upload_id, offset = str(answer["upload_id"]), int(answer.get("received") or 0)
    chunk = int(answer.get("chunk_bytes") or 8 * 1024 * 1024)

    def read(at: int) -> tuple[int, bytes, str]:
        with open(path, "rb") as fh:
            fh.seek(at)
            data = fh.read(chunk)
        return at, data, hashlib.sha256(data).hexdigest()

    with ThreadPoolExecutor(1) as reader:  # the next chunk is read and hashed while this one travels
        ahead = reader.submit(read, offset)
        while offset < size:
            at, data, digest = ahead.result()
            if at != offset:
                at, data, digest = read(offset)
            if offset + len(data) < size:
                ahead = reader.submit(read, offset + len(data))
            try:
                offset = int(client.upload_chunk(upload_id, offset, data, digest)["received"])
            except Refused as exc:
                if exc.code in ("bad_offset", "chunk_corrupted") and "received" in exc.extra:
                    offset = int(exc.extra["received"])  # resend from where the server really is
                    continue
                raise
            if progress:
                progress(offset, size)
    client.upload_complete(upload_id)
    return "stored"


def download(client: BureauClient, blobs: BlobStore, sha256: str, size: int,
             progress: Progress | None = None) -> Path:
    """Fetch a blob into the local store, resuming a `.part` file left by an interrupted download, and verify
    the whole hash before it is used."""
    target = blobs.path_for(sha256)
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_suffix(".part")
    have = part.stat().st_size if part.exists() else 0
    if have > size:
        part.unlink()
        have = 0
    response = client.download(sha256, start=have)
    if have and response.status_code != 206:  # the server ignored the range: start over
        have = 0
    with open(part, "ab" if have else "wb") as fh:
        for block in response.iter_content(1024 * 1024):
            fh.write(block)
            have += len(block)
            if progress:
                progress(have, size)
        fh.flush()
        os.fsync(fh.fileno())
    digest = hashlib.sha256()
    with open(part, "rb") as fh:
        while block := fh.read(1024 * 1024):
            digest.update(block)
    if digest.hexdigest() != sha256:
        part.unlink()
        raise SyncProblem("下载的附件校验失败，已丢弃，请稍后重试。")
    os.replace(part, target)
    return target
