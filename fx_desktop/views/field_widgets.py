"""Small form helpers: a field with its inline error line, marking a field as faulty, inputs that take no more
text than the domain's limit for it (domain.text_limits, the same numbers the services and fx-bureau enforce), and
date and date-time fields that are one Tab stop each."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QAbstractItemDelegate,
    QStyledItemDelegate,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from ..domain.text_limits import TEXT_LIMITS, TextLimit

from .style import ERROR_STYLE, MUTED_STYLE as COUNTER_STYLE  # noqa: F401 - ERROR_STYLE is used by other views


class _OneStop:
    """For QDateTimeEdit and QDateEdit: the field is one stop of the Tab chain. Tab and Shift+Tab leave it
    (QDateTimeEdit moves between its sections with them: five stops for a date and a time); Left and Right select
    the section before or after, Up and Down (or typing) change it; the calendar opens with Alt+Down or its
    button."""

    def focusNextPrevChild(self, next_: bool) -> bool:  # noqa: N802 - Qt override
        return QWidget.focusNextPrevChild(self, next_)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        step = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1}.get(event.key())
        plain = not (event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier)
        if step is not None and plain and self.sectionCount() > 1:
            index = min(max(self.currentSectionIndex() + step, 0), self.sectionCount() - 1)
            self.setCurrentSectionIndex(index)
            self.setSelectedSection(self.currentSection())
            event.accept()
            return
        super().keyPressEvent(event)


class DateTimeField(_OneStop, QDateTimeEdit):
    """A date and time: one Tab stop, its sections reached with Left and Right."""


class DateField(_OneStop, QDateEdit):
    """A date: one Tab stop, its sections reached with Left and Right."""


def narrow_combo(combo: QComboBox, chars: int = 6) -> QComboBox:
    """A drop-down that may be narrower than its longest item (the list still opens as wide as it needs): a form
    with it fits a narrow pane."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(chars)
    return combo


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    widget.setProperty("invalid", invalid)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def _utf16(text: str) -> int:
    """Qt measures a line edit's text in UTF-16 units (a rare ideograph outside the BMP takes two)."""
    return len(text.encode("utf-16-le")) // 2


def limit_line(edit: QLineEdit, key: str) -> QLineEdit:
    """Typing and pasting stop at the limit of text `key`."""
    edit.setProperty("text_limit", TEXT_LIMITS[key].max_chars)
    edit.setMaxLength(TEXT_LIMITS[key].max_chars)
    return edit


def set_limited_text(edit: QLineEdit, text: str) -> None:
    """setText without cutting a stored text that is longer than today's limit: it is shown whole (saving it is
    refused with the reason), and typing cannot make it longer."""
    limit = edit.property("text_limit")
    if limit:
        edit.setMaxLength(max(int(limit), _utf16(text)))
    edit.setText(text)


class LimitedTextEdit(QPlainTextEdit):
    """A QPlainTextEdit that takes no more typed, composed (input method) or pasted text than its limit, with a
    counter line "已输入 n / 上限 m 字" for the form to show below it. Text set by the program (a stored case) is
    never cut: it is shown whole, the counter turns red, and saving is refused with the reason."""

    def __init__(self, key: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.limit: TextLimit = TEXT_LIMITS[key]
        self.counter = QLabel()
        self.counter.setWordWrap(True)  # the message of a refused paste is long: it wraps, never widens the form
        self.counter.setObjectName(f"{key}_counter")
        self.textChanged.connect(self._count)
        self._count()

    def room(self) -> int:
        """Characters that may still be entered (typing replaces the selection)."""
        return self.limit.max_chars - len(self.toPlainText()) + len(self.textCursor().selectedText())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if (enter or (text and text.isprintable())) and self.room() < max(1, len(text)):
            self._refused(max(1, len(text)))
            return
        super().keyPressEvent(event)

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:
        commit = event.commitString()
        room = max(0, self.room())
        if len(commit) > room:
            event.setCommitString(commit[:room], event.replacementStart(), event.replacementLength())
            super().inputMethodEvent(event)
            self._refused(len(commit) - room)
            return
        super().inputMethodEvent(event)

    def insertFromMimeData(self, source) -> None:
        if not source.hasText():
            return super().insertFromMimeData(source)
        text, room = source.text(), max(0, self.room())
        if len(text) <= room:
            return super().insertFromMimeData(source)
        self.textCursor().insertText(text[:room])
        self.ensureCursorVisible()
        self._refused(len(text) - room)

    def _count(self) -> None:
        n = len(self.toPlainText())
        self.counter.setText(self.tr("%1 / %2 characters").replace("%1", str(n))
                             .replace("%2", str(self.limit.max_chars)))
        self.counter.setStyleSheet(ERROR_STYLE if n >= self.limit.max_chars else COUNTER_STYLE)

    def _refused(self, dropped: int) -> None:
        self.counter.setText(self.tr("Limit of %1 characters reached: %2 characters were not entered.")
                             .replace("%1", str(self.limit.max_chars)).replace("%2", str(dropped)))
        self.counter.setStyleSheet(ERROR_STYLE)


class LimitedCellDelegate(QStyledItemDelegate):
    """Table cells edited through a line edit limited per column: {column: text key}."""

    def __init__(self, keys: dict[int, str], parent=None):
        super().__init__(parent)
        self.keys = keys

    def createEditor(self, parent, option, index):
        editor = super().createEditor(parent, option, index)
        if isinstance(editor, QLineEdit) and index.column() in self.keys:
            limit_line(editor, self.keys[index.column()])
        return editor

    def setEditorData(self, editor, index) -> None:
        if isinstance(editor, QLineEdit) and index.column() in self.keys:
            set_limited_text(editor, str(index.data() or ""))
        else:
            super().setEditorData(editor, index)


class FormTable(QTableWidget):
    """A table in a form, one stop of the Tab chain: Tab and Shift+Tab leave it, also from a cell being edited
    (the cell is kept; Qt would open the next cell's editor instead). Arrow keys move between cells."""

    def __init__(self, rows: int, columns: int, parent: QWidget | None = None):
        super().__init__(rows, columns, parent)
        self.setTabKeyNavigation(False)

    def closeEditor(self, editor: QWidget, hint) -> None:  # noqa: N802 - Qt override
        Hint = QAbstractItemDelegate.EndEditHint
        if hint in (Hint.EditNextItem, Hint.EditPreviousItem) and not self.tabKeyNavigation():
            super().closeEditor(editor, Hint.NoHint)
            self.focusNextPrevChild(hint == Hint.EditNextItem)
            return
        super().closeEditor(editor, hint)


class FieldBox(QWidget):
    """An input with a red message line below it that is hidden while the input is valid (and the input's
    character counter, when it has one)."""

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
        counter = getattr(editor, "counter", None)
        if isinstance(counter, QLabel):
            lay.addWidget(counter)
        lay.addWidget(self.error)

    def set_error(self, message: str | None) -> None:
        mark_invalid(self.editor, bool(message))
        self.error.setText(message or "")
        self.error.setVisible(bool(message))


# The red frame of an invalid field is part of the application's style sheet (views/style.py).
