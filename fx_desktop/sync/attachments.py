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
from .transport import BureauClient, Refused, ServerProblem, SyncProblem, Unreachable

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


class DownloadStopped(Exception):
    """The caller asked the download to stop (closing, logging out, a more urgent file). The `.part` file stays
    and the next download of the same blob continues from it."""


# Bytes taken from the socket at a time: iter_content waits until a whole block arrived, so cancel, making way for
# an opened file and progress act once per block: 256 KiB is about a second on a 2 Mbit/s town link.
DOWNLOAD_BLOCK = 256 * 1024
HASH_BLOCK = 1024 * 1024


def download(client: BureauClient, blobs: BlobStore, sha256: str, size: int,
             progress: Progress | None = None, should_stop: Callable[[], bool] | None = None) -> Path:
    """Fetch a blob into the local store, resuming a `.part` file left by an interrupted download (HTTP Range),
    and verify the whole hash before the file is renamed into place (so a blob in the store is always whole).
    The hash is computed while the bytes arrive; only a resumed prefix is read back. A connection lost midway
    raises Unreachable and keeps what arrived; `should_stop()` true between blocks raises DownloadStopped."""
    target = blobs.path_for(sha256)
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_suffix(".part")
    have = part.stat().st_size if part.exists() else 0
    if have > size:
        part.unlink()
        have = 0
    digest = hashlib.sha256()
    if have < size:
        try:
            response = client.download(sha256, start=have)
        except (ServerProblem, Refused) as exc:
            if not have or exc.status != 416:
                raise
            part.unlink()  # the part does not fit the server's file (416 Range Not Satisfiable): start over
            have = 0
            response = client.download(sha256)
        with response:
            if have and (response.status_code != 206 or not _starts_at(response, have)):
                have = 0  # the server ignored the range: start over
            if have:
                with open(part, "rb") as fh:
                    while block := fh.read(HASH_BLOCK):
                        digest.update(block)
            _receive(response, part, have, size, digest, progress, should_stop)
    else:  # a whole file that was not renamed yet (a crash between the last write and the rename)
        with open(part, "rb") as fh:
            while block := fh.read(HASH_BLOCK):
                digest.update(block)
    if digest.hexdigest() != sha256:
        part.unlink(missing_ok=True)
        raise SyncProblem("下载的附件校验失败，已丢弃，请稍后重试。")
    os.replace(part, target)
    return target


def _starts_at(response, offset: int) -> bool:
    """Content-Range: bytes <offset>-<end>/<size>."""
    value = response.headers.get("Content-Range", "")
    return value.startswith(f"bytes {offset}-")


def _receive(response, part: Path, have: int, size: int, digest, progress: Progress | None,
             should_stop: Callable[[], bool] | None) -> None:
    import requests

    with open(part, "ab" if have else "wb") as fh:
        try:
            for block in response.iter_content(DOWNLOAD_BLOCK):
                if have + len(block) > size:
                    fh.truncate(0)
                    raise SyncProblem("服务器发来的附件比记录的大小更大，已丢弃，请稍后重试。")
                fh.write(block)
                digest.update(block)
                have += len(block)
                if progress:
                    progress(have, size)
                if should_stop is not None and should_stop() and have < size:
                    raise DownloadStopped()
        except (requests.exceptions.RequestException, ConnectionError, TimeoutError) as exc:  # not the disk
            raise Unreachable("下载附件时与服务器的连接中断，已下载的部分会保留，下次从中断处继续。") from exc
        finally:
            fh.flush()
            os.fsync(fh.fileno())
