"""The right-hand pane of a record beside its list (a criminal referral, a supervision sheet): its heading, the line
with its clock, the actions of the user's side (wrapping onto more lines in a narrow window) and its details."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

from .flow_layout import FlowLayout
from .style import heading


class RecordPane(QWidget):
    """`name` prefixes the object names of its widgets (`<name>_title`, `<name>_clock`, `<name>_details`)."""

    def __init__(self, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.record = None
        self.title = QLabel()
        self.title.setObjectName(f"{name}_title")
        heading(self.title, 1)
        self.title.setWordWrap(True)
        self.clock = QLabel()
        self.clock.setObjectName(f"{name}_clock")
        self.clock.setWordWrap(True)
        self.buttons = FlowLayout()
        self.details = QTextBrowser()
        self.details.setObjectName(f"{name}_details")
        self.details.setOpenLinks(False)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.title)
        lay.addWidget(self.clock)
        lay.addLayout(self.buttons)
        lay.addWidget(self.details, 1)

    def clear_buttons(self) -> None:
        while self.buttons.count():
            widget = self.buttons.takeAt(0).widget()
            if widget:
                widget.setParent(None)
                widget.deleteLater()

    def show_nothing(self, title: str, hint: str) -> None:
        """No record chosen: `title` as the heading, `hint` (how to get one) as the details."""
        self.record = None
        self.clear_buttons()
        self.title.setText(title)
        self.clock.clear()
        self.details.setPlainText(hint)
