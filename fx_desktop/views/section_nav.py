"""The sidebar of sections: an icon and a title per section, and a live count at the right where the section has
one (cases waiting for review, open referrals, changes not yet synced) — red when it needs attention (overdue,
conflicts)."""
from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QStyledItemDelegate, QStyleOptionViewItem, QWidget

COUNT_ROLE = Qt.ItemDataRole.UserRole + 1  # int, or None for no count
ALERT_ROLE = Qt.ItemDataRole.UserRole + 2  # bool: the count is drawn red
BADGE = QColor("#5f6b7a")
ALERT = QColor("#b3261e")
ICON_SIZE = 20
QSS = """
QListWidget#section_nav { border: none; background: #eef1f5; outline: 0; }
QListWidget#section_nav::item { padding: 7px 4px; border-radius: 4px; color: #263238; }
QListWidget#section_nav::item:selected { background: #d6e4f7; color: #0b3d91; }
QListWidget#section_nav::item:hover:!selected { background: #e2e8f0; }
"""


class _BadgeDelegate(QStyledItemDelegate):
    """The item as usual, its text kept clear of the badge, then the count in a rounded badge at the right."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        count = index.data(COUNT_ROLE)
        badge = self._badge_rect(option, count) if count is not None else QRect()
        super().paint(painter, option, index)
        if badge.isNull():
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(ALERT if index.data(ALERT_ROLE) else BADGE)
        painter.drawRoundedRect(badge, badge.height() / 2, badge.height() / 2)
        painter.setPen(QColor("white"))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, _count_text(count))
        painter.restore()

    @staticmethod
    def _badge_rect(option: QStyleOptionViewItem, count: int) -> QRect:
        metrics = option.fontMetrics
        height = metrics.height() + 2
        width = max(height, metrics.horizontalAdvance(_count_text(count)) + 10)
        rect = option.rect
        return QRect(rect.right() - width - 4, rect.center().y() - height // 2 + 1, width, height)

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width() + option.fontMetrics.horizontalAdvance("999+") + 18, size.height())


def _count_text(count: int) -> str:
    return str(count) if count < 1000 else "999+"


class SectionNav(QListWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("section_nav")
        self.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
        self.setItemDelegate(_BadgeDelegate(self))
        self.setStyleSheet(QSS)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def add(self, title: str, icon: QIcon | None = None) -> QListWidgetItem:
        item = QListWidgetItem(icon or QIcon(), title)
        item.setData(COUNT_ROLE, None)
        self.addItem(item)
        return item

    def set_count(self, row: int, count: int | None, *, alert: bool = False, tip: str = "") -> None:
        """Show `count` beside section `row` (None or 0 hides it); `tip` says what it counts."""
        item = self.item(row)
        if item is None:
            return
        shown = count if count else None
        item.setData(COUNT_ROLE, shown)
        item.setData(ALERT_ROLE, bool(alert and shown))
        item.setToolTip(tip if shown else "")

    def count_of(self, row: int) -> int | None:
        item = self.item(row)
        return None if item is None else item.data(COUNT_ROLE)

    def fit_width(self) -> None:
        """As wide as the widest title with its icon and a three-digit badge."""
        widest = max((self.fontMetrics().horizontalAdvance(self.item(r).text()) for r in range(self.count())),
                     default=self.fontMetrics().horizontalAdvance("数据与备份"))
        self.setFixedWidth(widest + ICON_SIZE + self.fontMetrics().horizontalAdvance("999+") + 48)
