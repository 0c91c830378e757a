"""Small form helpers: a field with its inline error line, and marking a field as faulty."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

ERROR_STYLE = "color: #b3261e;"


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    widget.setProperty("invalid", invalid)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class FieldBox(QWidget):
    """An input with a red message line below it that is hidden while the input is valid."""

    def __init__(self, editor: QWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self.editor = editor
        self.error = QLabel(self)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(editor)
        lay.addWidget(self.error)

    def set_error(self, message: str | None) -> None:
        mark_invalid(self.editor, bool(message))
        self.error.setText(message or "")
        self.error.setVisible(bool(message))


# Applied once to the main window: the "invalid" property set by mark_invalid() draws a red frame.
INVALID_QSS = """
*[invalid="true"] { border: 2px solid #b3261e; border-radius: 3px; }
"""
