"""移送: the squad leader's referral form. Pre-filled from the case (services.referrals.prepare); submitting calls
the service it is given. A refusal is shown next to the field it names and everything typed stays; closing the
form with text in it asks first (Esc too), Ctrl+Enter submits."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from sqlalchemy.exc import SQLAlchemyError

from ..domain.errors import DomainError
from ..domain.organisations import Organisation
from ..services import storage_errors
from .field_widgets import ERROR_STYLE, FieldBox, LimitedTextEdit, limit_line, mark_invalid
from .referral_tables import ItemsTable, MaterialsTable
from .style import mark_primary, muted

FIELDS = ("receiving_org", "reason", "legal_basis", "summary", "materials", "items", "contact")


def _error_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(f"{name}_error")
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


def _text_box(key: str, name: str, placeholder: str, lines: int, most: int | None = None) -> LimitedTextEdit:
    """`lines` high at least, `most` lines at most (None: takes the room left)."""
    edit = LimitedTextEdit(key)
    edit.setObjectName(name)
    edit.setTabChangesFocus(True)
    edit.setPlaceholderText(placeholder)
    line = edit.fontMetrics().lineSpacing()
    edit.setMinimumHeight(line * lines + 12)
    if most is not None:
        edit.setMaximumHeight(line * most + 12)
    return edit


class ReferralDialog(QDialog):
    """`prepared` is what services.referrals.prepare returned; `submit(form) -> ReferralRecord` runs the service.
    On success `submitted` carries the record and the dialog closes."""

    submitted = Signal(object)

    def __init__(self, case_number: str, prepared: dict, departments: list[Organisation],
                 evidence: list[tuple[str, str]], submit: Callable[[dict], object], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Refer case %1 to a department").replace("%1", case_number))
        self._submit = submit
        self.result_record = None

        self.receiving = QComboBox()
        self.receiving.setObjectName("referral_receiving")
        self.receiving.setEditable(True)
        self.receiving.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.receiving.lineEdit().setPlaceholderText(self.tr("Type to search the departments"))
        self.receiving.addItem("", None)
        for org in sorted(departments, key=lambda o: o.name):
            self.receiving.addItem(org.name, org.code)
        completer = self.receiving.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.reason = _text_box("referral_reason", "referral_reason", self.tr(
            "Why the case is not for this town to handle and which department has jurisdiction"), 3, 5)
        self.legal_basis = _text_box("referral_legal_basis", "referral_legal_basis", self.tr(
            "The provisions that give the department jurisdiction"), 2, 4)
        self.summary = _text_box("referral_summary", "referral_summary", self.tr(
            "What was found: who, when, where, what was done"), 5)
        self.materials = MaterialsTable(evidence)
        self.items = ItemsTable()
        self.contact_name = limit_line(QLineEdit(), "contact_name")
        self.contact_name.setObjectName("referral_contact_name")
        self.contact_phone = limit_line(QLineEdit(), "contact_phone")
        self.contact_phone.setObjectName("referral_contact_phone")

        self.boxes = {"receiving_org": FieldBox(self.receiving), "reason": FieldBox(self.reason),
                      "legal_basis": FieldBox(self.legal_basis), "summary": FieldBox(self.summary)}
        for name in ("reason", "legal_basis"):  # their few lines; the summary takes the height left
            self.boxes[name].setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.errors = {name: box.error for name, box in self.boxes.items()}
        for name in ("materials", "items", "contact"):
            self.errors[name] = _error_label(name)
        self.general_error = _error_label("referral")

        left = QFormLayout()
        left.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        left.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        left.addRow(self.tr("Receiving department *"), self.boxes["receiving_org"])
        left.addRow(self.tr("Reason for referral *"), self.boxes["reason"])
        left.addRow(self.tr("Legal basis *"), self.boxes["legal_basis"])
        left.addRow(self.tr("Summary of the conduct *"), self.boxes["summary"])
        contact = QHBoxLayout()
        contact.addWidget(QLabel(self.tr("Name")))
        contact.addWidget(self.contact_name, 1)
        contact.addWidget(QLabel(self.tr("Phone")))
        contact.addWidget(self.contact_phone, 1)
        contact_box = QVBoxLayout()
        contact_box.addLayout(contact)
        contact_box.addWidget(self.errors["contact"])
        left.addRow(self.tr("Contact *"), contact_box)

        materials_box = QGroupBox(self.tr("Materials referred (numbered, with page counts) *"))
        mb = QVBoxLayout(materials_box)
        mb.addWidget(self.materials, 1)
        mb.addWidget(self.errors["materials"])
        items_box = QGroupBox(self.tr("Seized items handed over"))
        ib = QVBoxLayout(items_box)
        ib.addWidget(self.items, 1)
        ib.addWidget(self.errors["items"])
        right = QVBoxLayout()
        right.addWidget(materials_box, 3)
        right.addWidget(items_box, 2)

        body = QWidget()
        columns = QHBoxLayout(body)
        columns.addLayout(left, 5)
        columns.addLayout(right, 6)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the fields, which scroll into sight
        scroll.setWidget(body)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Submit referral"))
        self.ok_button.setObjectName("referral_submit")
        mark_primary(self.ok_button)
        self.ok_button.setAutoDefault(False)  # Enter in a table cell must not submit; Ctrl+Enter does
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAutoDefault(False)
        self.buttons.accepted.connect(self.try_submit)
        self.buttons.rejected.connect(self.reject)
        hint = QLabel(self.tr("Ctrl+Enter submits; Esc closes (you are asked before typed text is discarded)."))
        muted(hint)
        bottom = QHBoxLayout()
        bottom.addWidget(hint, 1)
        bottom.addWidget(self.buttons)
        lay = QVBoxLayout(self)
        lay.addWidget(scroll, 1)
        lay.addWidget(self.general_error)
        lay.addLayout(bottom)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self.try_submit)

        self.setTabOrder(self.receiving, self.reason)
        self.setTabOrder(self.reason, self.legal_basis)
        self.setTabOrder(self.legal_basis, self.summary)
        self.setTabOrder(self.summary, self.contact_name)
        self.setTabOrder(self.contact_name, self.contact_phone)
        self.setTabOrder(self.contact_phone, self.materials.table)
        self.setTabOrder(self.materials.table, self.items.table)

        avail = (parent or self).screen().availableGeometry()
        self.resize(min(1240, avail.width() - 40), min(780, avail.height() - 40))  # a 1366x768 laptop included
        self.fill(prepared)
        self._extra = {k: v for k, v in prepared.items() if k not in FIELDS}  # e.g. the case status it was made on
        self._initial = self.form()
        self.receiving.setFocus()

    # --- values -------------------------------------------------------------------------------------------------
    def fill(self, prepared: dict) -> None:
        code = prepared.get("receiving_org")
        self.receiving.setCurrentIndex(max(0, self.receiving.findData(code)) if code else 0)
        self.reason.setPlainText(prepared.get("reason") or "")
        self.legal_basis.setPlainText(prepared.get("legal_basis") or "")
        self.summary.setPlainText(prepared.get("summary") or "")
        self.materials.set_rows(prepared.get("materials") or [])
        self.items.set_rows(prepared.get("items") or [])
        contact = prepared.get("contact") or {}
        self.contact_name.setText(contact.get("name") or "")
        self.contact_phone.setText(contact.get("phone") or "")

    def receiving_code(self) -> str | None:
        """The department chosen: the item whose name was picked or typed in full."""
        text = self.receiving.currentText().strip()
        if not text:
            return None
        found = self.receiving.findText(text, Qt.MatchFlag.MatchFixedString)
        return self.receiving.itemData(found) if found > 0 else text

    def form(self) -> dict:
        return {"receiving_org": self.receiving_code(), "reason": self.reason.toPlainText(),
                "legal_basis": self.legal_basis.toPlainText(), "summary": self.summary.toPlainText(),
                "materials": self.materials.rows(), "items": self.items.rows(),
                "contact": {"name": self.contact_name.text(), "phone": self.contact_phone.text()}}

    def is_dirty(self) -> bool:
        return self.form() != self._initial

    # --- submit and close ---------------------------------------------------------------------------------------
    def clear_errors(self) -> None:
        for name, box in self.boxes.items():
            box.set_error(None)
        for name in ("materials", "items", "contact"):
            self.errors[name].hide()
        for widget in (self.materials.table, self.items.table, self.contact_name, self.contact_phone):
            mark_invalid(widget, False)
        self.general_error.hide()

    def show_error(self, message: str, field: str | None) -> None:
        """At the field the message names (DomainError.field), or under the form when it names none."""
        self.clear_errors()
        if field in self.boxes:
            self.boxes[field].set_error(message)
            self.boxes[field].editor.setFocus()
            return
        targets = {"materials": self.materials.table, "items": self.items.table, "contact": self.contact_name,
                   "org": self.receiving}
        if field == "org":
            self.boxes["receiving_org"].set_error(message)
        elif field in self.errors:
            self.errors[field].setText(message)
            self.errors[field].show()
            mark_invalid(targets[field], True)
        else:
            self.general_error.setText(message)
            self.general_error.show()
            return
        targets[field].setFocus()

    def try_submit(self) -> None:
        self.materials.table.setCurrentItem(None)  # commits a cell still being edited
        self.items.table.setCurrentItem(None)
        try:
            record = self._submit({**self._extra, **self.form()})
        except DomainError as exc:
            self.show_error(exc.message, exc.field)
            return
        except (SQLAlchemyError, OSError) as exc:  # the disk or the database: said here, the typing kept
            self.show_error(self.tr("Not saved: %1. What you typed is still in the form.")
                            .replace("%1", storage_errors.describe(exc)), None)
            return
        self.result_record = record
        self._initial = self.form()
        self.submitted.emit(record)
        self.accept()

    def reject(self) -> None:
        """Cancel, Esc or the close box: typed text is not thrown away without asking."""
        if self.is_dirty():
            answer = QMessageBox.question(
                self, self.tr("Discard the referral?"),
                self.tr("The referral form has text you typed. Close it and discard what you typed?"),
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel)
            if answer != QMessageBox.StandardButton.Discard:
                return
        super().reject()
