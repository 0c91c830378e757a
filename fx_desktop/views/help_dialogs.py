"""帮助: the user guide (F1), read from the Markdown file shipped in the package so it works offline, with a
table of contents made from its headings; and the About box with the version."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QRect, QSize, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QMessageBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from .icons import icon
from .screen_fit import fitted

GUIDE = Path(__file__).resolve().parent.parent / "resources" / "guide" / "guide.md"
GUIDE_SIZE = QSize(980, 680)
TITLE = "奉贤区城管综合行政执法协调联动"  # the application's name, as on the printed forms
PURPOSE = QT_TRANSLATE_NOOP("MainWindow", "Case register, legal review, case referrals and sync with the district "
                            "bureau; works offline.")
CREDITS = ("图标：Material Design Icons（Apache 2.0），经 QtAwesome（MIT）绘制；界面：Qt for Python / PySide6"
           "（LGPL v3）；PDF：ReportLab（BSD）。")


def version() -> str:
    """The installed distribution's version (fx_desktop.__version__)."""
    from .. import __version__

    return __version__


class GuideDialog(QDialog):
    """The guide beside its contents: choosing a heading scrolls the text to it. Not modal: it stays open while
    the user works."""

    def __init__(self, parent: QWidget | None = None, *, path: Path = GUIDE):
        super().__init__(parent)
        self.setWindowTitle(self.tr("User guide"))
        self.setWindowIcon(icon("guide"))
        self.text = QTextBrowser()
        self.text.setObjectName("guide_text")
        self.text.setOpenExternalLinks(True)
        self.text.setMarkdown(path.read_text(encoding="utf-8"))
        self.text.document().setDocumentMargin(16)
        self.contents = QListWidget()
        self.contents.setObjectName("guide_contents")
        self._positions: list[int] = []
        block = self.text.document().begin()
        while block.isValid():
            if block.blockFormat().headingLevel() == 2:
                self.contents.addItem(block.text())
                self._positions.append(block.position())
            block = block.next()
        self.contents.setFixedWidth(max((self.fontMetrics().horizontalAdvance(self.contents.item(r).text())
                                         for r in range(self.contents.count())), default=120) + 36)
        self.contents.setSpacing(3)
        self.contents.setCurrentRow(-1)  # opens at the top: the title and the introduction first ...
        self.contents.currentRowChanged.connect(self.show_chapter)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        row = QHBoxLayout()
        row.addWidget(self.contents)
        row.addWidget(self.text, 1)
        lay = QVBoxLayout(self)
        lay.addLayout(row, 1)
        lay.addWidget(buttons)
        self.text.setFocus()  # ... the contents given the focus first would go to its first chapter

    def chapters(self) -> list[str]:
        return [self.contents.item(r).text() for r in range(self.contents.count())]

    def show_chapter(self, row: int) -> None:
        """Scroll so that chapter `row` starts at the top of the text."""
        if not 0 <= row < len(self._positions):
            return
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(self._positions[row])
        bar = self.text.verticalScrollBar()
        bar.setValue(bar.maximum())  # from the end back up: the heading ends at the top, not the bottom
        self.text.setTextCursor(cursor)
        self.text.ensureCursorVisible()

    def fit(self, available: QRect) -> None:
        self.setGeometry(fitted(available, GUIDE_SIZE))


def about_box(parent: QWidget) -> QMessageBox:
    """The About box (not yet shown): name, version, what it is for, credits."""
    box = QMessageBox(parent)
    box.setObjectName("about_box")
    box.setWindowTitle(QCoreApplication.translate("MainWindow", "About fx-desktop"))
    box.setIconPixmap(icon("about", "#1f5fbf").pixmap(48, 48))
    box.setTextFormat(Qt.TextFormat.RichText)
    line = QCoreApplication.translate("MainWindow", "fx-desktop version %1").replace("%1", version())
    box.setText(f"<h3>{TITLE}</h3><p>{line}</p>")
    purpose = QCoreApplication.translate("MainWindow", PURPOSE)
    box.setInformativeText(f"<p>{purpose}</p><p style='color:#5f6b7a'>{CREDITS}</p>")
    box.setStyleSheet("QLabel#qt_msgbox_informativelabel { min-width: 26em; }")
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    return box

