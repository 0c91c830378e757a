"""Plain-Chinese explanations of failures of the disk or the database, for messages shown to a clerk."""
from __future__ import annotations

import errno


def describe(exc: BaseException) -> str:
    """What went wrong, in words a clerk can act on (the technical detail in brackets for the administrator)."""
    orig = getattr(exc, "orig", None) or exc
    text = str(orig)
    if isinstance(orig, OSError) and orig.errno == errno.ENOSPC or "database or disk is full" in text:
        return "磁盘空间不足，请清理磁盘后重试"
    if "locked" in text or "busy" in text:
        return "数据库正被其他程序占用，请稍候重试"
    if "readonly" in text or (isinstance(orig, OSError) and orig.errno in (errno.EACCES, errno.EPERM, errno.EROFS)):
        return f"没有写入数据目录的权限（{text}），请联系管理员"
    return f"读写数据时出错（{text}）"
