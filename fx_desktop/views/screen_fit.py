"""Windows that open inside the screen's available area (the screen less taskbars and docks).

The frame the window manager adds (title bar, borders) is not known before a window is first shown, so room is
kept for a typical one; a window that fits with that room fits on Windows, GNOME and KDE alike."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QByteArray, QMargins, QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

FRAME = QMargins(8, 32, 8, 8)  # a title bar and thin borders: Windows 10/11 at 100 % (GNOME and KDE are smaller)
TITLE_BAR = QMargins(0, FRAME.top(), 0, 0)  # what a restored window needs on screen besides itself: its title bar

Available = Callable[[], QRect]


def screen_available(widget: QWidget) -> Available:
    """The available geometry of the screen the widget is on (the primary screen before it is shown)."""

    def available() -> QRect:
        screen = widget.screen() or QGuiApplication.primaryScreen()
        return screen.availableGeometry() if screen is not None else QRect(0, 0, 1366, 728)

    return available


def frame_margins(widget: QWidget) -> QMargins:
    """The window manager's frame around `widget` once shown, else the typical FRAME."""
    if widget.isVisible():
        frame, inner = widget.frameGeometry(), widget.geometry()
        real = QMargins(inner.left() - frame.left(), inner.top() - frame.top(),
                        frame.right() - inner.right(), frame.bottom() - inner.bottom())
        if real.top() > 0:
            return real
    return FRAME


def fitted(available: QRect, preferred: QSize, minimum: QSize = QSize(0, 0), frame: QMargins = FRAME) -> QRect:
    """The client rectangle for a window that prefers `preferred`: as large as that if it fits inside `available`
    with its frame, else as large as fits; centred. Never smaller than `minimum` (a window that cannot shrink
    enough is placed at the top left of the area instead of centred)."""
    room = available.marginsRemoved(frame)
    width = max(minimum.width(), min(preferred.width(), room.width()))
    height = max(minimum.height(), min(preferred.height(), room.height()))
    left = room.left() + max(0, (room.width() - width) // 2)
    top = room.top() + max(0, (room.height() - height) // 2)
    return QRect(left, top, width, height)


def fits(available: QRect, client: QRect, frame: QMargins = FRAME) -> bool:
    return available.contains(client.marginsAdded(frame))


def place(window: QWidget, available: QRect, preferred: QSize, saved: QByteArray | None = None) -> bool:
    """Restore the `saved` geometry (QWidget.saveGeometry) if it still fits inside `available` (the window and
    its title bar: a window the user pushed against the screen's edge is left there), else give the window its
    fitted size. True when the saved geometry was used."""
    if saved is not None:
        before = window.geometry()
        if window.restoreGeometry(saved) and fits(available, window.geometry(), TITLE_BAR):
            return True
        window.setGeometry(before)
    window.setGeometry(fitted(available, preferred, window.minimumSizeHint().boundedTo(preferred),
                              frame_margins(window)))
    return False
