"""A table whose rows open: Enter on the current row does what a double-click does, and Tab leaves the table; one
column may fill the width left by the others without ever becoming narrower than it can be read."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHeaderView, QTableView, QWidget


class ActivatingTable(QTableView):
    activatedRow = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTabKeyNavigation(False)
        self.doubleClicked.connect(lambda index: self.activatedRow.emit(index.row()))
        self._fill: tuple[int, int] | None = None

    def fill_column(self, column: int, minimum: int) -> None:
        """`column` takes the width the other columns leave, but at least `minimum` pixels: on a narrow screen the
        table then scrolls sideways instead of squeezing it to "…" (a Stretch section has no minimum of its own)."""
        self._fill = (column, minimum)
        header = self.horizontalHeader()
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.sectionResized.connect(lambda index, _old, _new: index != column and self._fit())
        self._fit()

    def _fit(self) -> None:
        if self._fill is None:
            return
        column, minimum = self._fill
        header = self.horizontalHeader()
        others = sum(header.sectionSize(c) for c in range(header.count()) if c != column and not header.isSectionHidden(c))
        header.resizeSection(column, max(minimum, self.viewport().width() - others))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activatedRow.emit(self.currentIndex().row())
            return
        super().keyPressEvent(event)
