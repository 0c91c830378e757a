"""The desk's visual language, written down once (docs/visual-language.md explains when to use what).

Tokens: type sizes, the spacing unit, the colours of the main action, of destructive or irreversible steps, of
states and of secondary text. `apply(app)` sets the body font size; views mark buttons with `mark_primary()` /
`mark_destructive()` and labels with `heading()` / `muted()` (each such widget carries ROLE_SHEET, built from the
tokens), and show `EmptyState` where a list has nothing yet. Other modules take their colours from here,
not from hex literals."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

# --- type (points; at 96 dpi 10.5 pt is 14 px, the smallest size comfortable for Chinese body text) ------------
BODY_PT = 10.5
SMALL_PT = 9.5  # counters and footnotes only, never running text
H1_PT = 15.0  # a page's title (工作台, the case number over the case)
H2_PT = 12.0  # a section inside a page or dialog
HEADING_PT = {1: H1_PT, 2: H2_PT}

# --- spacing (pixels): multiples of one unit ---------------------------------------------------------------------
UNIT = 4
SPACE_S, SPACE_M, SPACE_L = 2 * UNIT, 3 * UNIT, 6 * UNIT  # within a group, between groups, around a page

# --- colours -------------------------------------------------------------------------------------------------------
PRIMARY = "#1f5fbf"  # the one main action of a form or dialog; the selected section
PRIMARY_HOVER = "#174c99"
PRIMARY_PRESSED = "#123c7a"
DESTRUCTIVE = "#b3261e"  # removes something or cannot be taken back: always asks first
DESTRUCTIVE_HOVER = "#8c1d18"
DESTRUCTIVE_PRESSED = "#6e1410"
ON_COLOUR = "#ffffff"  # text on a primary or destructive button
DISABLED_BG, DISABLED_TEXT = "#d5d9de", "#7a828a"

OK = "#1b7f3b"  # synced, saved, passed
WARN = "#9a5b00"  # due soon, offline, waiting
OVERDUE = "#b3261e"  # past a legal deadline, failed, refused
INFO = "#1565c0"  # in progress, neutral news
MUTED = "#5f6368"  # secondary text: hints, counters, empty states
INK = "#263238"  # body text on the light surfaces
WARN_BG, WARN_BORDER = "#fff4e5", "#e0a040"  # banners: something to look at
DANGER_BG, DANGER_BORDER = "#fdecea", DESTRUCTIVE  # banners: something was refused or returned
STATUS = {"ok": OK, "warn": WARN, "overdue": OVERDUE, "info": INFO, "muted": MUTED}

ERROR_STYLE = f"color: {OVERDUE};"
MUTED_STYLE = f"color: {MUTED};"
OK_STYLE = f"color: {OK};"


def _button_rule(role: str, base: str, hover: str, pressed: str) -> str:
    sel = f'QPushButton[role="{role}"]'
    return (f"{sel} {{ background: {base}; color: {ON_COLOUR}; border: 1px solid {pressed}; border-radius: 4px; "
            f"padding: {UNIT}px {2 * UNIT}px; }}\n"
            f"{sel}:hover {{ background: {hover}; }}\n"
            f"{sel}:pressed {{ background: {pressed}; }}\n"
            f"{sel}:focus {{ border: 2px solid {INK}; }}\n"
            f"{sel}:disabled {{ background: {DISABLED_BG}; color: {DISABLED_TEXT}; border-color: {DISABLED_BG}; }}\n")


# The rules of the roles set by mark_primary(), mark_destructive(), muted(), heading() and EmptyState. Each
# marked widget carries this sheet itself, so it looks the same wherever it is shown (a dialog without a parent,
# the first-run questions before the main window), and nothing else is restyled: the rest keeps the platform's
# look and its sizes. Neither set on the QApplication: an application-wide sheet measured ~100 ms more at
# start-up (bench/startup.py at 100,000 cases: 0.86 s against 0.76 s).
ROLE_SHEET = (
    _button_rule("primary", PRIMARY, PRIMARY_HOVER, PRIMARY_PRESSED)
    + _button_rule("destructive", DESTRUCTIVE, DESTRUCTIVE_HOVER, DESTRUCTIVE_PRESSED)
    + f'QLabel[role="empty"], QLabel[role="muted"] {{ color: {MUTED}; }}\n'
    + f'QLabel[role="h1"], QLabel[role="h2"] {{ color: {INK}; }}\n'
)
# The main window's sheet: mark_invalid() (field_widgets) sets the "invalid" property, drawn as a red frame.
STYLE_SHEET = f'*[invalid="true"] {{ border: 2px solid {OVERDUE}; border-radius: 3px; }}\n'


def apply(app: QApplication) -> None:
    """Body text at BODY_PT at least (the platform's default is often 9 pt); before any window is made."""
    font = app.font()
    if font.pointSizeF() < BODY_PT:
        font.setPointSizeF(BODY_PT)
        app.setFont(font)


def style_window(window: QWidget) -> None:
    """STYLE_SHEET on a top-level window (and so on its children and the dialogs parented to it). Also makes
    sure of the body size, for windows built without app.py (tests)."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        apply(app)
    window.setStyleSheet(STYLE_SHEET)


def _set_role(widget: QWidget, role: str | None) -> None:
    if widget.property("role") == role:
        return
    widget.setProperty("role", role)
    if widget.styleSheet() != ROLE_SHEET:
        widget.setStyleSheet(ROLE_SHEET)
    style = widget.style()  # a changed dynamic property is only seen once the widget is polished again
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def fit_text(button: QPushButton) -> None:
    """A styled button is never narrower than its text and padding (a row of buttons short of room would
    otherwise squeeze it first and cut its words). Call again after changing its text."""
    icon = button.iconSize().width() + UNIT if not button.icon().isNull() else 0
    button.setMinimumWidth(button.fontMetrics().horizontalAdvance(button.text()) + icon + 4 * UNIT + 4)


def mark_primary(button: QPushButton) -> QPushButton:
    """The main action of its form or dialog (one per button row): drawn in PRIMARY."""
    _set_role(button, "primary")
    fit_text(button)
    return button


def mark_destructive(button: QPushButton) -> QPushButton:
    """A step that removes something or cannot be taken back: drawn in DESTRUCTIVE. Its handler must ask first
    (QMessageBox.question naming what happens, No the default) — the colour is a warning, not a confirmation."""
    _set_role(button, "destructive")
    fit_text(button)
    if button.autoDefault() or button.isDefault():  # Enter must never start it
        button.setAutoDefault(False)
        button.setDefault(False)
    return button


def mark_plain(button: QPushButton) -> QPushButton:
    _set_role(button, None)
    return button


def heading(label: QLabel, level: int = 1) -> QLabel:
    """`label` as a heading: H1_PT for a page's title, H2_PT for a section; bold."""
    font = label.font()
    font.setPointSizeF(HEADING_PT[level])
    font.setBold(True)
    label.setFont(font)
    _set_role(label, f"h{level}")
    return label


def muted(label: QLabel) -> QLabel:
    """Secondary text (hints, counts): MUTED."""
    _set_role(label, "muted")
    return label


class EmptyState(QWidget):
    """What a list shows when it has nothing: what is missing, and (optionally) a button for the next step.
    `set_text(what, action)`; `nextStep` is emitted when the button is pressed. Put it in a QStackedWidget
    beside the list, or over a list's viewport with `EmptyState.over(view)` (then `show_when(empty)`)."""

    nextStep = Signal()

    def __init__(self, text: str = "", action: str | None = None, parent: QWidget | None = None, *,
                 width_chars: int = 30):
        super().__init__(parent)
        self.label = QLabel(text)
        self.label.setObjectName("empty_state_text")
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        _set_role(self.label, "empty")
        font = self.label.font()
        font.setPointSizeF(H2_PT)
        self.label.setFont(font)
        # a measure of lines a reader can follow, narrower when the space is (resizeEvent); fixed, so that Qt
        # computes the wrapped height right
        self.measure = self.label.fontMetrics().horizontalAdvance("中") * width_chars
        self.label.setFixedWidth(self.measure)
        self.button = QPushButton()
        self.button.setObjectName("empty_state_action")
        self.button.clicked.connect(self.nextStep)
        mark_primary(self.button)
        box = QVBoxLayout(self)
        box.setContentsMargins(SPACE_L, SPACE_L, SPACE_L, SPACE_L)
        box.addStretch(2)
        box.addWidget(self.label, 0, Qt.AlignmentFlag.AlignHCenter)
        box.addSpacing(SPACE_S)
        line = QHBoxLayout()
        line.addStretch(1)
        line.addWidget(self.button)
        line.addStretch(1)
        box.addLayout(line)
        box.addStretch(3)
        self.setMinimumSize(1, 1)  # never widens the page: the text's measure narrows instead (_fit)
        self.set_text(text, action)

    def set_text(self, text: str, action: str | None = None) -> None:
        self.label.setText(text)
        self.button.setText(action or "")
        fit_text(self.button)
        self.button.setVisible(bool(action))
        self._fit()

    def _fit(self) -> None:
        least = self.label.fontMetrics().horizontalAdvance("中") * 8
        width = max(least, min(self.measure, self.width() - 2 * SPACE_L))
        if width != self.label.width():
            self.label.setFixedWidth(width)
        self.label.setMinimumHeight(max(0, self.label.heightForWidth(width)))  # all its lines, wrapped

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit()

    def text(self) -> str:
        return self.label.text()

    @classmethod
    def over(cls, view: QAbstractScrollArea, text: str = "", action: str | None = None, *,
             width_chars: int = 30) -> "EmptyState":
        """An empty state laid over `view`'s viewport (the headers stay visible), sized with it; hidden until
        show_when(True)."""
        state = cls(text, action, view.viewport(), width_chars=width_chars)
        state._follower = _FollowSize(view.viewport(), state)
        state.hide()
        return state

    def show_when(self, empty: bool) -> None:
        if empty:
            self.setGeometry(self.parentWidget().rect())
        self.setVisible(empty)


class _FollowSize(QObject):
    """Keeps `child` the size of `host` (an event filter on the host's resizes)."""

    def __init__(self, host: QWidget, child: QWidget):
        super().__init__(child)
        self.child = child
        host.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Resize:
            self.child.setGeometry(watched.rect())
        return False
