"""First start on a data folder: who is working here, and whether to load demo data to try things out."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..domain.errors import DomainError
from ..domain.roles import Role
from .field_widgets import ERROR_STYLE, limit_line, mark_invalid

FIELD_ROLES = (Role.OFFICER, Role.SQUAD_LEADER, Role.LEGAL_REVIEWER, Role.OFFICE_STAFF, Role.BUREAU_DISPATCHER)


class FirstRunDialog(QDialog):
    def __init__(self, towns: list[dict], save, *, offer_demo: bool = True, parent: QWidget | None = None):
        """`save(name, role, town_code)` stores the profile or raises DomainError naming the field. Demo data is
        offered only for an empty database."""
        super().__init__(parent)
        self.save = save
        self.profile = None
        self.setWindowTitle(self.tr("Welcome to fx-desktop"))
        intro = QLabel(self.tr(
            "Please tell us who will use this computer. Your cases stay on this computer until synchronisation "
            "with the district bureau is set up."))
        intro.setWordWrap(True)
        self.name = limit_line(QLineEdit(), "user_name")
        self.role = QComboBox()
        for r in FIELD_ROLES:
            self.role.addItem(r.label, r)
        self.role.setCurrentIndex(0)
        self.town = QComboBox()
        self.town.addItem(self.tr("— choose —"), None)
        for t in towns:
            self.town.addItem(t["name"], t["code"])
        self.demo = QCheckBox(self.tr("Load demo cases to try the application"))
        self.demo_count = QSpinBox()
        self.demo_count.setRange(100, 100000)
        self.demo_count.setSingleStep(500)
        self.demo_count.setValue(2000)
        self.demo_count.setSuffix(self.tr(" cases"))
        self.demo_count.setEnabled(False)
        self.demo.toggled.connect(self.demo_count.setEnabled)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Your name"), self.name)
        form.addRow(self.tr("Your role"), self.role)
        form.addRow(self.tr("Town or subdistrict"), self.town)
        if offer_demo:
            form.addRow(self.demo, self.demo_count)
        else:
            self.demo.hide()
            self.demo_count.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Start"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(buttons)
        self.setMinimumWidth(460)

    @property
    def demo_cases(self) -> int:
        return self.demo_count.value() if self.demo.isChecked() else 0

    def accept(self) -> None:
        for w in (self.name, self.town):
            mark_invalid(w, False)
        try:
            self.profile = self.save(self.name.text(), self.role.currentData(), self.town.currentData())
        except DomainError as exc:
            self.error.setText(exc.message)
            widget = {"name": self.name, "town": self.town}.get(exc.field or "")
            if widget is not None:
                mark_invalid(widget, True)
                widget.setFocus()
            return
        super().accept()
