"""Settings Qt reads from the environment once, made before the QApplication exists (by the application and by
bench/, which builds the same window).

QT_NO_GUI_THREADPOOL: Qt's raster engine splits large fills and image conversions across a pool of threads and
waits for them. On the 2-core machines the bureau's dispatchers use, shared with other programs, the GUI thread
then waited ~40 times per search of the case register (strace: 33 waits over 1 ms in 520 searches), each time
for threads the system had not scheduled yet; without the pool it never waits, and a search costs the same CPU.
"""
from __future__ import annotations

import os
from collections.abc import MutableMapping


def prepare_qt(environ: MutableMapping[str, str] = os.environ) -> None:
    """Set what the user has not set already; call before QApplication (a later call changes nothing Qt read)."""
    environ.setdefault("QT_NO_GUI_THREADPOOL", "1")
