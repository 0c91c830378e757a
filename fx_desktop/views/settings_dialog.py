"""文件 → 设置…: what an office changes — the bureau server's address, the district's CA certificate, the size above
which evidence files come down only when opened, and the print font. Every field is checked as it is typed, its
message below it says what to fix, and 确定 stays disabled until all are valid; nothing is saved before that
(services/office_settings.py checks, saves and applies)."""
from __future__ import annotations

import os
from typing import Callable

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..domain.errors import DomainError
from ..printing import fonts
from ..services import office_settings as office
from ..services.storage_errors import describe
from ..store import Store
from ..sync.credentials import NoSecureStorage
from .field_widgets import ERROR_STYLE, FieldBox

HINT_STYLE = "color: #555;"


class _Rows:
    """Label | field rows with a hint under the field, on a grid (a form layout gives wrapped texts the height
    they would need at a narrower width)."""

    def __init__(self, parent: QWidget):
        self.grid = QGridLayout(parent)
        self.grid.setColumnStretch(1, 1)
        self.grid.setVerticalSpacing(6)

    def addRow(self, label: str, field: QWidget) -> None:
        row = self.grid.rowCount()
        if label:
            title = QLabel(label)
            title.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            title.setContentsMargins(0, 4, 0, 0)
            self.grid.addWidget(title, row, 0)
        self.grid.addWidget(field, row, 1)


class SettingsDialog(QDialog):
    saved = Signal(object)  # OfficeSettings, once stored and applied

    def __init__(self, store: Store, settings: QSettings, tasks, *, controller=None,
                 credentials: Callable | None = None, font_dirs=None, parent: QWidget | None = None):
        """`controller`: the running SyncController (its client, account and downloads take the new values);
        `credentials` makes the store of refresh tokens (the token follows a moved server); `font_dirs` replaces
        the system font folders (tests)."""
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.store, self.settings, self.tasks, self.controller = store, settings, tasks, controller
        self.credentials = credentials
        self.setWindowTitle(self.tr("Settings"))
        now = office.current(store, settings)

        self.server = QLineEdit(now.server_url)
        self.server.setObjectName("settingsServer")
        self.server.setPlaceholderText("https://fx-bureau.fengxian.gov.cn")
        self.ca_file = QLineEdit(now.ca_file)
        self.ca_file.setObjectName("settingsCaFile")
        self.ca_file.setPlaceholderText(self.tr("Empty: the system's certificates"))
        self.download_mb = QLineEdit(str(now.download_mb))
        self.download_mb.setObjectName("settingsDownloadMb")
        self.download_mb.setMaximumWidth(120)
        self.font = self._font_combo(now.print_font, font_dirs)

        self.boxes = {"server_url": FieldBox(self.server), "ca_file": FieldBox(self._with_browse(
                          self.ca_file, self._browse_ca)),
                      "download_mb": FieldBox(self._with_suffix(self.download_mb, "MB")),
                      "print_font": FieldBox(self._with_browse(self.font, self._browse_font))}
        self.boxes["ca_file"].editor = self.ca_file  # the red frame goes round the text, not the button
        self.boxes["download_mb"].editor = self.download_mb
        self.boxes["print_font"].editor = self.font

        sync = QGroupBox(self.tr("Bureau server"))
        form = _Rows(sync)
        form.addRow(self.tr("Server address"), self.boxes["server_url"])
        form.addRow("", self._hint(self.tr(
            "If you are logged in, your account moves to the new address (when the server has moved); to use "
            "another server, log out on the Sync page first.")))
        form.addRow(self.tr("District CA certificate"), self.boxes["ca_file"])
        form.addRow("", self._hint(self.tr(
            "The PEM file the bureau gives you when its server certificate is issued by the district's own "
            "certification authority.")))
        evidence = QGroupBox(self.tr("Evidence files"))
        form2 = _Rows(evidence)
        form2.addRow(self.tr("Download automatically up to"), self.boxes["download_mb"])
        form2.addRow("", self._hint(self.tr(
            "Larger files attached on other computers are downloaded only when someone opens them; 0: all of them.")))
        printing = QGroupBox(self.tr("Printing"))
        form3 = _Rows(printing)
        form3.addRow(self.tr("Print font"), self.boxes["print_font"])
        hint = self.tr("Automatic: 仿宋_GB2312 / 方正小标宋简体 / SimSun when installed, else AR PL UMing or "
                       "WenQuanYi. The font is embedded in every PDF.")
        if os.environ.get(fonts.ENV_VAR):
            hint += " " + self.tr("The environment variable %1 is set and takes precedence on this computer."
                                  ).replace("%1", fonts.ENV_VAR)
        form3.addRow("", self._hint(hint))

        self.error = QLabel()
        self.error.setObjectName("settingsError")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        for w in (sync, evidence, printing, self.error):
            lay.addWidget(w)
        lay.addStretch(1)
        lay.addWidget(self.buttons)
        self.setMinimumWidth(720)

        self.errors: dict[str, str] = {}
        self.server.textChanged.connect(lambda _t: self._check("server_url"))
        self.ca_file.textChanged.connect(lambda _t: self._check("ca_file"))
        self.download_mb.textChanged.connect(lambda _t: self._check("download_mb"))
        self.font.currentTextChanged.connect(lambda _t: self._check("print_font"))
        for field in self.boxes:
            self._check(field)
        self._saving = False

    # --- widgets ----------------------------------------------------------------------------------------------------

    def _hint(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        label.setStyleSheet(HINT_STYLE)
        return label

    def _with_browse(self, editor: QWidget, slot) -> QWidget:
        row = QWidget()
        lay = QHBoxLayout(row)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(editor, 1)
        button = QPushButton(self.tr("Browse…"))
        button.clicked.connect(slot)
        lay.addWidget(button)
        return row

    def _with_suffix(self, editor: QWidget, suffix: str) -> QWidget:
        row = QWidget()
        lay = QHBoxLayout(row)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(editor)
        lay.addWidget(QLabel(suffix))
        lay.addStretch(1)
        return row

    def _font_combo(self, chosen: str, font_dirs) -> QComboBox:
        """自动 first, then the installed Chinese TrueType fonts; editable so a font file's path can be typed."""
        combo = QComboBox()
        combo.setObjectName("settingsPrintFont")
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.addItem(self.tr("Automatic"), "")
        for label, path in office.installed_cjk_fonts(font_dirs):
            try:
                office.check_print_font(path)
            except DomainError:
                continue  # claims Chinese in its header but lacks the forms' characters
            combo.addItem(f"{label}（{path}）", path)
        index = combo.findData(chosen) if chosen else 0
        if index >= 0:
            combo.setCurrentIndex(index)
        else:
            combo.setEditText(chosen)
        return combo

    def _browse_ca(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, self.tr("District CA certificate"), self.ca_file.text(),
                                                    self.tr("Certificates (*.pem *.crt *.cer);;All files (*)"))
        if path:
            self.ca_file.setText(path)

    def _browse_font(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, self.tr("Print font"), "",
                                                    self.tr("TrueType fonts (*.ttf *.ttc);;All files (*)"))
        if path:
            self.font.setEditText(path)

    # --- values and checks ------------------------------------------------------------------------------------------

    @property
    def logged_in(self) -> bool:
        return self.controller is not None and self.controller.account is not None

    def font_value(self) -> str:
        text = self.font.currentText().strip()
        index = self.font.findText(text)
        return self.font.itemData(index) if index >= 0 else text

    def values(self) -> office.OfficeSettings:
        return office.OfficeSettings(self.server.text(), self.ca_file.text(), self.download_mb.text(),
                                     self.font_value())

    def _check(self, field: str) -> None:
        check = {"server_url": lambda v: office.check_server_url(v, logged_in=self.logged_in),
                 "ca_file": office.check_ca_file,
                 "download_mb": office.check_download_mb, "print_font": office.check_print_font}[field]
        try:
            check(getattr(self.values(), field))
            self.errors.pop(field, None)
        except DomainError as exc:
            self.errors[field] = exc.message
        self.boxes[field].set_error(self.errors.get(field))
        self.ok.setEnabled(not self.errors)
        self.error.hide()
        self._fit()

    def _fit(self) -> None:
        """As tall as the wrapped texts need at the dialog's width: taller when a message appears, never clipped."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        wanted = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else layout.sizeHint().height()
        if wanted != self.height():
            self.resize(self.width(), wanted)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._fit()

    # --- saving -----------------------------------------------------------------------------------------------------

    def accept(self) -> None:
        """All fields checked once more; then stored off the GUI thread, applied, and the dialog closes."""
        if self._saving:
            return
        clean, errors = office.check_all(self.values(), logged_in=self.logged_in)
        if errors:
            for field in self.boxes:
                self.boxes[field].set_error(errors.get(field))
            self.errors = errors
            self.ok.setEnabled(False)
            return
        self._saving = True
        self.ok.setEnabled(False)
        running = self.controller.creds if self.controller is not None else None
        factory = self.credentials

        def work() -> None:
            creds = running
            if creds is None and factory is not None:  # off the GUI thread: a locked keyring may ask
                try:
                    creds = factory()
                except NoSecureStorage:
                    creds = None  # no token kept here to move with a moved server
            office.save(self.store, clean, creds=creds)

        def done(_result) -> None:
            self._saving = False
            office.apply(self.store, clean, self.settings, self.controller)
            self.saved.emit(clean)
            super(SettingsDialog, self).accept()

        def failed(exc, _trace) -> None:
            self._saving = False
            self.ok.setEnabled(True)
            self.error.setText(self.tr("The settings were not saved: %1").replace("%1", describe(exc)))
            self.error.show()

        self.tasks.run(work, on_done=done, on_error=failed)
