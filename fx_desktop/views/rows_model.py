"""A flat table model: a list of rows under a list of column headers (the workbench, the referral lists), and one of
records whose late ones show red (the criminal referrals, the supervision sheets)."""
from __future__ import annotations

from typing import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from . import style


class RowsModel(QAbstractTableModel):
    """Subclasses set `headers` and give their rows through `rows()`; they add `data()`."""

    headers: list[str]

    def rows(self) -> Sequence:
        raise NotImplementedError

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802 - Qt signature
        return 0 if parent.isValid() else len(self.rows())

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(self.headers):
            return self.headers[section]
        return None


class RecordRowsModel(RowsModel):
    """Rows of records, each shown as texts, red when late: `set_records` takes the records and `texts(record)` (in
    the subclass) gives a row's texts and whether it is late. UserRole is the record's id."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[tuple[object, tuple[str, ...], bool]] = []

    def texts(self, record) -> tuple[tuple[str, ...], bool]:
        raise NotImplementedError

    def set_records(self, records: list) -> None:
        self.beginResetModel()
        self._rows = [(r, *self.texts(r)) for r in records]
        self.endResetModel()

    def rows(self) -> list:
        return self._rows

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        record, texts, late = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return texts[index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return record.id
        if late and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(style.OVERDUE))
        return None

    def record(self, row: int):
        return self._rows[row][0] if 0 <= row < len(self._rows) else None

    def row_of(self, record_id: str | None) -> int | None:
        return next((i for i, (r, _t, _l) in enumerate(self._rows) if r.id == record_id), None)
