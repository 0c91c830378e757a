"""One process per data directory: a second one is told, not allowed to write to the same database."""
from __future__ import annotations

from pathlib import Path

from filelock import FileLock, Timeout


class AlreadyRunning(Exception):
    def __init__(self, root: Path):
        super().__init__(f"fx-desktop 已在使用数据目录 {root}，请切换到已打开的窗口，不要重复启动。")
        self.root = root


def acquire(lock_path: Path) -> FileLock:
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(lock_path))
    try:
        lock.acquire(timeout=0)
    except Timeout as exc:
        raise AlreadyRunning(lock_path.parent) from exc
    return lock
