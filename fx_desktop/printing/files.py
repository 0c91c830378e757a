"""Writing a finished document to disk (no Qt): used by the preview's "save as PDF" and by `fx-desktop print`."""
from __future__ import annotations

import os
import secrets
from pathlib import Path


def write_atomically(path: str | os.PathLike, data: bytes) -> None:
    """Write a temporary file next to `path`, then rename it over `path`: a failure (disk full, no permission)
    leaves any file already at `path` untouched and no partial file behind."""
    target = Path(path)
    temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
