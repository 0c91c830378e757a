"""The two lists of the referral form: the numbered materials (name, pages, the evidence file attached) and the
seized items handed over. Plain QTableWidgets whose rows are read back as the dicts the domain takes."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..domain.referral import MAX_ITEMS, MAX_MATERIALS
from .field_widgets import LimitedCellDelegate

_TITLE, _PAGES, _EVIDENCE = 1, 2, 3
ITEM_KEYS = ("name", "spec", "quantity", "unit", "condition", "kept_at")


def _table(columns: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.verticalHeader().hide()
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setTabKeyNavigation(False)  # Tab leaves the table for the next field; arrows move inside it
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 14)
    return table


def _table_above_buttons(owner: QWidget, table: QWidget, buttons) -> None:
    """The editable table filling `owner`, with its row buttons in a line below it."""
    row = QHBoxLayout()
    for b in buttons:
        row.addWidget(b)
    row.addStretch(1)
    lay = QVBoxLayout(owner)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.addWidget(table, 1)
    lay.addLayout(row)


def _button(text: str, name: str, slot) -> QPushButton:
    b = QPushButton(text)
    b.setObjectName(name)
    b.setAutoDefault(False)
    b.clicked.connect(slot)
    return b


class MaterialsTable(QWidget):
    """序号 / 材料名称 / 页数 / 所附证据文件; rows added, removed and moved; the numbers follow the order."""

    changed = Signal()

    def __init__(self, evidence: list[tuple[str, str]], parent: QWidget | None = None):
        """`evidence`: (id, name) of the case's evidence files, offered in each row's attachment list."""
        super().__init__(parent)
        self.evidence = evidence
        self.table = _table([self.tr("No."), self.tr("Material"), self.tr("Pages"), self.tr("Evidence file attached")])
        self.table.setObjectName("referral_materials")
        self.table.setItemDelegate(LimitedCellDelegate({_TITLE: "material_title"}, self.table))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(_TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(_PAGES, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(_EVIDENCE, QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(lambda _item: self.changed.emit())
        self.add = _button(self.tr("Add"), "material_add", self.add_row)
        self.remove = _button(self.tr("Remove"), "material_remove", self.remove_row)
        self.up = _button(self.tr("Move up"), "material_up", lambda: self.move(-1))
        self.down = _button(self.tr("Move down"), "material_down", lambda: self.move(1))
        _table_above_buttons(self, self.table, (self.add, self.remove, self.up, self.down))

    def rows(self) -> list[dict]:
        out = []
        for r in range(self.table.rowCount()):
            title = self.table.item(r, _TITLE)
            pages: QSpinBox = self.table.cellWidget(r, _PAGES)
            combo: QComboBox = self.table.cellWidget(r, _EVIDENCE)
            out.append({"no": r + 1, "title": (title.text() if title else "").strip(), "pages": pages.value(),
                        "evidence_id": combo.currentData() or None})
        return out

    def set_rows(self, rows: list[dict]) -> None:
        self.table.blockSignals(True)
        try:
            self.table.setRowCount(0)
            for m in rows:
                self._append(m)
        finally:
            self.table.blockSignals(False)
        self.changed.emit()

    def _append(self, m: dict) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        number = QTableWidgetItem(str(r + 1))
        number.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        number.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        self.table.setItem(r, 0, number)
        self.table.setItem(r, _TITLE, QTableWidgetItem(str(m.get("title") or "")))
        pages = QSpinBox()
        pages.setRange(1, 9999)
        pages.setValue(int(m.get("pages") or 1))
        pages.valueChanged.connect(lambda _v: self.changed.emit())
        self.table.setCellWidget(r, _PAGES, pages)
        combo = QComboBox()
        combo.addItem(self.tr("(none)"), None)
        for evidence_id, name in self.evidence:
            combo.addItem(name, evidence_id)
        found = combo.findData(m.get("evidence_id")) if m.get("evidence_id") else 0
        combo.setCurrentIndex(max(0, found))
        combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.table.setCellWidget(r, _EVIDENCE, combo)

    def add_row(self) -> None:
        if self.table.rowCount() >= MAX_MATERIALS:
            return
        self._append({"title": "", "pages": 1})
        r = self.table.rowCount() - 1
        self.table.setCurrentCell(r, _TITLE)
        self.table.editItem(self.table.item(r, _TITLE))
        self.changed.emit()

    def remove_row(self) -> None:
        r = self.table.currentRow()
        if r < 0:
            return
        rows = self.rows()
        del rows[r]
        self.set_rows(rows)
        if rows:
            self.table.setCurrentCell(min(r, len(rows) - 1), _TITLE)

    def move(self, step: int) -> None:
        r = self.table.currentRow()
        rows = self.rows()
        to = r + step
        if r < 0 or not 0 <= to < len(rows):
            return
        rows[r], rows[to] = rows[to], rows[r]
        self.set_rows(rows)
        self.table.setCurrentCell(to, _TITLE)


class ItemsTable(QWidget):
    """物品名称 / 规格 / 数量 / 单位 / 状况 / 存放地点 of the seized items handed over (may be empty)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.table = _table([self.tr("Item"), self.tr("Specification"), self.tr("Quantity"), self.tr("Unit"),
                             self.tr("Condition"), self.tr("Where kept")])
        self.table.setObjectName("referral_items")
        self.table.setItemDelegate(LimitedCellDelegate({c: "item_text" for c in range(len(ITEM_KEYS))}, self.table))
        header = self.table.horizontalHeader()
        for c, mode in enumerate((QHeaderView.ResizeMode.Stretch, QHeaderView.ResizeMode.Stretch,
                                  QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.ResizeToContents,
                                  QHeaderView.ResizeMode.Stretch, QHeaderView.ResizeMode.Stretch)):
            header.setSectionResizeMode(c, mode)
        self.table.itemChanged.connect(lambda _item: self.changed.emit())
        self.add = _button(self.tr("Add"), "item_add", self.add_row)
        self.remove = _button(self.tr("Remove"), "item_remove", self.remove_row)
        _table_above_buttons(self, self.table, (self.add, self.remove))

    def rows(self) -> list[dict]:
        out = []
        for r in range(self.table.rowCount()):
            row = {k: (self.table.item(r, c).text().strip() if self.table.item(r, c) else "")
                   for c, k in enumerate(ITEM_KEYS)}
            if any(row.values()):  # a row left blank is no item
                out.append(row)
        return out

    def set_rows(self, rows: list[dict]) -> None:
        self.table.blockSignals(True)
        try:
            self.table.setRowCount(0)
            for it in rows:
                r = self.table.rowCount()
                self.table.insertRow(r)
                for c, k in enumerate(ITEM_KEYS):
                    self.table.setItem(r, c, QTableWidgetItem(str(it.get(k) or "")))
        finally:
            self.table.blockSignals(False)
        self.changed.emit()

    def add_row(self) -> None:
        if self.table.rowCount() >= MAX_ITEMS:
            return
        r = self.table.rowCount()
        self.table.insertRow(r)
        for c in range(len(ITEM_KEYS)):
            self.table.setItem(r, c, QTableWidgetItem(""))
        self.table.setCurrentCell(r, 0)
        self.table.editItem(self.table.item(r, 0))

    def remove_row(self) -> None:
        r = self.table.currentRow()
        if r >= 0:
            self.table.removeRow(r)
            self.changed.emit()
