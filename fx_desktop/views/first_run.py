"""First start on a data folder: who is working here (name, organisation, and a role that organisation allows),
and whether to load demo data to try things out."""
from __future__ import annotations

from typing import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ..domain.errors import DomainError
from ..domain.organisations import Organisation, OrgDirectory, OrgKind, allowed_roles
from ..services.organisations import pick_list
from .field_widgets import ERROR_STYLE, limit_line, mark_invalid
from .style import mark_primary

DEMO_KINDS = (OrgKind.TOWN, OrgKind.BUREAU)  # the demo makes cases, which only these organisations work on


def org_label(org: Organisation) -> str:
    """One line of the organisation list: the kind in the label groups them and lets a search find a whole kind
    ("区级部门", "派出所"). A name that already says its kind (南桥派出所, 区城管执法局) is shown as it is."""
    return org.name if org.kind.label in org.name else f"{org.name}（{org.kind.label}）"


class FirstRunDialog(QDialog):
    def __init__(self, orgs: OrgDirectory | Iterable[Organisation], save, *, offer_demo: bool = True,
                 parent: QWidget | None = None):
        """`save(name, role, org_code)` stores the profile or raises DomainError naming the field. Demo data is
        offered only for an empty database, and only to a town or the bureau."""
        super().__init__(parent)
        self.setObjectName("firstRunDialog")
        self.save = save
        self.profile = None
        self.orgs = orgs = orgs if isinstance(orgs, OrgDirectory) else OrgDirectory(orgs)
        self.offer_demo = offer_demo
        self.setWindowTitle(self.tr("Welcome to fx-desktop"))
        intro = QLabel(self.tr(
            "Please tell us who will use this computer. Your cases stay on this computer until synchronisation "
            "with the district bureau is set up."))
        intro.setWordWrap(True)
        self.name = limit_line(QLineEdit(), "user_name")
        self.name.setObjectName("firstRunName")
        self.org = self._org_combo(orgs)
        self.role = QComboBox()
        self.role.setObjectName("firstRunRole")
        self.role_hint = QLabel()
        self.role_hint.setObjectName("firstRunRoleHint")
        self.role_hint.setWordWrap(True)
        self.demo = QCheckBox(self.tr("Load demo cases to try the application"))
        self.demo.setObjectName("firstRunDemo")
        self.demo_count = QSpinBox()
        self.demo_count.setObjectName("firstRunDemoCount")
        self.demo_count.setRange(100, 100000)
        self.demo_count.setSingleStep(500)
        self.demo_count.setValue(2000)
        self.demo_count.setSuffix(self.tr(" cases"))
        self.demo_count.setEnabled(False)
        self.demo.toggled.connect(self._demo_toggled)
        self.error = QLabel()
        self.error.setObjectName("firstRunError")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Your name"), self.name)
        form.addRow(self.tr("Your organisation"), self.org)
        form.addRow(self.tr("Your role"), self.role)
        form.addRow("", self.role_hint)
        if offer_demo:
            form.addRow(self.demo, self.demo_count)
        else:
            self.demo.hide()
            self.demo_count.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Start"))
        mark_primary(buttons.button(QDialogButtonBox.StandardButton.Ok))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(buttons)
        self.setMinimumWidth(520)
        self.org.currentIndexChanged.connect(self._org_changed)
        self._org_changed()

    def _org_combo(self, orgs: OrgDirectory) -> QComboBox:
        """Towns first, then the bureau, departments, police and procuratorate. Editable so a few typed characters
        of any part of the name (or the kind) narrow the list."""
        combo = QComboBox()
        combo.setObjectName("firstRunOrganisation")
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.setMaxVisibleItems(16)
        for org in pick_list(orgs):
            combo.addItem(org_label(org), org.code)
        combo.setCurrentIndex(-1)
        view = combo.view()  # the open list as wide as its longest name, whatever the body size (views/style.py)
        longest = max((view.fontMetrics().horizontalAdvance(combo.itemText(i)) for i in range(combo.count())),
                      default=0)
        view.setMinimumWidth(longest + view.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent) + 24)
        combo.lineEdit().setPlaceholderText(self.tr("Type part of the name, or choose from the list"))
        completer = combo.completer()
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        return combo

    @property
    def org_code(self) -> str | None:
        """The organisation chosen: the list entry whose text is in the box (typed text that names none: None)."""
        index = self.org.findText(self.org.currentText().strip(), Qt.MatchFlag.MatchExactly)
        return self.org.itemData(index) if index >= 0 else None

    @property
    def demo_allowed(self) -> bool:
        org = self.orgs.get(self.org_code)
        return self.offer_demo and org is not None and org.kind in DEMO_KINDS

    @property
    def demo_cases(self) -> int:
        return self.demo_count.value() if self.demo.isChecked() and self.demo_allowed else 0

    def _org_changed(self, *_args) -> None:
        """The role list holds only what the organisation's kind allows; a role still allowed stays chosen."""
        org = self.orgs.get(self.org_code)
        before = self.role.currentData()
        self.role.clear()
        for role in allowed_roles(org.kind) if org else ():
            self.role.addItem(role.label, role)
        index = self.role.findData(before)
        self.role.setCurrentIndex(index if index >= 0 else (0 if self.role.count() else -1))
        self.role.setEnabled(org is not None)
        self.role_hint.setText("" if org else self.tr("Choose your organisation first: the roles depend on it."))
        self.role_hint.setVisible(org is None)
        allowed = self.demo_allowed
        self.demo.setEnabled(allowed)
        self.demo_count.setEnabled(allowed and self.demo.isChecked())
        self.demo.setToolTip("" if allowed or org is None else self.tr(
            "Demo cases belong to towns: they are offered for a town or the district bureau."))

    def _demo_toggled(self, on: bool) -> None:
        self.demo_count.setEnabled(on and self.demo_allowed)

    def accept(self) -> None:
        for w in (self.name, self.org, self.role):
            mark_invalid(w, False)
        self._org_changed()  # typed text may have picked an organisation without a signal
        try:
            self.profile = self.save(self.name.text(), self.role.currentData(), self.org_code)
        except DomainError as exc:
            self.error.setText(exc.message)
            widget = {"name": self.name, "org": self.org, "town": self.org, "role": self.role}.get(exc.field or "")
            if widget is not None:
                mark_invalid(widget, True)
                widget.setFocus()
            return
        super().accept()
