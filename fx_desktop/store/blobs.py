"""Evidence files stored by content: <blobs>/<sha[:2]>/<sha>. The user's original is only ever read, never moved."""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..domain.errors import DomainError
from ..domain.text_cleaning import clean_name

CHUNK = 1 << 20
DEFAULT_LIMIT = 2 * 1024**3  # 2 GiB


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    size: int
    path: Path


def _human(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def check_source(path: Path, limit: int = DEFAULT_LIMIT) -> int:
    """Size of a file the user picked, or a DomainError saying what is wrong with it."""
    if not path.exists():
        raise DomainError(f"找不到文件：{path}。请确认文件仍在原处。", "evidence")
    if path.is_dir():
        raise DomainError(f"“{path.name}”是一个文件夹，请选择其中的文件。", "evidence")
    size = path.stat().st_size
    if size == 0:
        raise DomainError(f"文件“{path.name}”是空文件（0 字节），请检查后重新选择。", "evidence")
    if size > limit:
        raise DomainError(
            f"文件“{path.name}”大小为 {_human(size)}，超过上限 {_human(limit)}，请压缩或拆分后再添加。", "evidence")
    return size


class BlobStore:
    def __init__(self, root: Path):
        self.root = root

    def path_for(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a sha256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def stored(self) -> set[str]:
        """Every digest held, from one listing per folder (faster than asking `has` for each of many)."""
        found: set[str] = set()
        try:
            folders = [d for d in os.scandir(self.root) if d.is_dir() and len(d.name) == 2]
        except FileNotFoundError:
            return found
        for folder in folders:
            with os.scandir(folder.path) as entries:
                found.update(e.name for e in entries if len(e.name) == 64 and e.is_file())
        return found

    def put_file(self, source: Path, limit: int = DEFAULT_LIMIT,
                 progress: Callable[[int], None] | None = None) -> StoredBlob:
        """Copy `source` in while hashing it; an identical file already stored is kept once.
        `progress(bytes_copied)` is called after each chunk."""
        check_source(source, limit)
        self.root.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        fd, tmp_name = tempfile.mkstemp(dir=self.root, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as out, source.open("rb") as src:
                while chunk := src.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
                    if size > limit:
                        raise DomainError(f"文件“{source.name}”在复制过程中超过了大小上限，已停止。", "evidence")
                    if progress:
                        progress(size)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            target = self.path_for(sha)
            if target.is_file():
                os.unlink(tmp_name)
            else:
                target.parent.mkdir(exist_ok=True)
                os.replace(tmp_name, target)
            return StoredBlob(sha, size, target)
        except BaseException:
            if os.path.exists(tmp_name):
                os.unlink(tmp_name)
            raise

    def export_named(self, sha256: str, name: str, into: Path) -> Path:
        """A copy under its display name (for the system viewer), always inside `into`."""
        source = self.path_for(sha256)  # validates the digest before it becomes part of a path
        folder = into / sha256[:16]
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / clean_name(name)
        if target.resolve().parent != folder.resolve():  # belt and braces: clean_name already strips paths
            raise DomainError("文件名不合法。", "evidence")
        if not (target.is_file() and target.stat().st_size == source.stat().st_size):
            tmp = folder / f".{target.name[:200]}.part"
            shutil.copyfile(source, tmp)
            tmp.chmod(0o444)  # a viewer cannot save changes over what is shown as evidence
            os.replace(tmp, target)
        return target
