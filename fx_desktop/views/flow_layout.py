"""A layout that places its widgets left to right and wraps onto the next line where the width runs out, so that
a row of filters or of tick boxes never makes its pane wider than the screen has room for: its minimum width is
that of its widest item, and its height follows its width (heightForWidth)."""
from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget


class FlowLayout(QLayout):
    """`uniform`: the items in equal columns, each as wide as the widest (a list of tick boxes reads as a grid);
    else each at its own width (a bar of filters)."""

    def __init__(self, parent: QWidget | None = None, *, uniform: bool = False, spacing: int = 6):
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self.uniform = uniform
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    # --- QLayout ----------------------------------------------------------------------------------------------
    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt override
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt override
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt override
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt override
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt override
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """All on one line."""
        shown = self._shown()
        m = self.contentsMargins()
        width = sum(self._width(i) for i in shown) + self._spacing * max(0, len(shown) - 1)
        height = max((i.sizeHint().height() for i in shown), default=0)
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt override
        """As wide as the widest item: one item a line."""
        size = QSize()
        for item in self._shown():
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    # --- placing ----------------------------------------------------------------------------------------------
    def _shown(self) -> list[QLayoutItem]:
        return [i for i in self._items if not i.isEmpty()]

    def _width(self, item: QLayoutItem) -> int:
        if self.uniform:
            return max((i.sizeHint().width() for i in self._shown()), default=0)
        return item.sizeHint().width()

    def _arrange(self, rect: QRect, *, apply: bool) -> int:
        """Place the items inside `rect` (when `apply`); the height they take."""
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, line = area.x(), area.y(), 0
        for item in self._shown():
            width = min(self._width(item), area.width())
            width = max(width, item.minimumSize().width())
            height = item.sizeHint().height()
            if x > area.x() and x + width > area.x() + area.width():  # no room left on this line
                x, y, line = area.x(), y + line + self._spacing, 0
            if apply:
                item.setGeometry(QRect(QPoint(x, y), QSize(width, height)))
            x += width + self._spacing
            line = max(line, height)
        return y + line - rect.y() + m.bottom()
