"""Which columns of the case list are shown: by default the ones that matter for the user's role and
organisation (a town's squad does not need the town column; the ID number and the place are read in the case
itself), the others one right-click on the list's header (or 视图 → 列) away. Widths, order and hidden columns
are remembered (the header's state in QSettings, written by the main window when it closes); a user's own choice
of columns outlives a login with another role, the defaults follow the role until the user chooses."""
from __future__ import annotations

from PySide6.QtCore import QObject, QPoint, QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHeaderView, QMenu, QTableView

from ..services.profile import Profile
from .case_table_model import KEYS
from .icons import icon

HEADER_KEY = "main/header"  # the header's saveState(): widths, order, hidden columns
CHOSEN_KEY = "main/columns_chosen"  # true once the user picked columns: the role's defaults no longer apply
# Default widths: as wide as a typical value (and the column's title); the number, status and dates whole, longer
# texts (cause, party, place) elided at the right.
WIDTH_SAMPLES = {"number": "奉南桥综执立〔2026〕0001号", "status": "线索登记", "town_code": "南桥镇",
                 "cause": "擅自搭建建筑物", "category": "违法建筑", "party_name": "李建国",
                 "party_id_number": "310120********1234", "place": "南桥镇解放东路100号", "opened_on": "2026-03-20",
                 "decision_due": "2026-03-20"}


def default_hidden(profile: Profile) -> frozenset[str]:
    """The columns a user does not need at first sight, so that the others fit a 1366-pixel screen whole: the ID
    number, the place and the category (read in the case itself); a town's own town; for the bureau, which compares
    towns and watches deadlines, the opening date instead of the town."""
    hidden = {"party_id_number", "place", "category"}
    hidden.add("opened_on" if profile.sees_all else "town_code")
    return frozenset(hidden)


class ColumnChooser(QObject):
    """A checkable action per column, in the header's context menu and in `menu` (for the 视图 menu)."""

    def __init__(self, table: QTableView, settings: QSettings, profile: Profile, parent: QObject | None = None):
        super().__init__(parent)
        self.table, self.settings, self.profile = table, settings, profile
        self.header: QHeaderView = table.horizontalHeader()
        self.menu = QMenu(self.tr("Columns"))
        self.menu.setIcon(icon("columns"))
        self.menu.setObjectName("columns_menu")
        self.actions: dict[str, QAction] = {}
        model = table.model()
        for column, key in enumerate(KEYS):
            a = QAction(str(model.headerData(column, Qt.Orientation.Horizontal)), self.menu)
            a.setCheckable(True)
            a.setObjectName(f"column_{key}")
            a.toggled.connect(lambda on, c=column: self._toggled(c, on))
            self.menu.addAction(a)
            self.actions[key] = a
        self.menu.addSeparator()
        self.reset_action = self.menu.addAction(self.tr("Default columns"))
        self.reset_action.triggered.connect(self.reset)
        self.menu.aboutToShow.connect(self._show_state)
        self.header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.header.customContextMenuRequested.connect(self._popup)

    # --- state ------------------------------------------------------------------------------------------------
    def restore(self) -> None:
        """The saved widths, order and hidden columns; the role's hidden columns while the user has not chosen,
        and default widths where nothing was saved (or the save does not fit this list)."""
        state = self.settings.value(HEADER_KEY)
        if state is None or not self.header.restoreState(state) or self.header.count() != len(KEYS):
            self.default_widths()
        if not self.chosen():
            self.apply_hidden(default_hidden(self.profile))
        if self.header.hiddenSectionCount() >= self.header.count():  # a save that hid every column
            self.apply_hidden(default_hidden(self.profile))
        self._show_state()

    def chosen(self) -> bool:
        return str(self.settings.value(CHOSEN_KEY, "false")).lower() == "true"

    def set_profile(self, profile: Profile) -> None:
        """After a login: the new role's default columns, unless the user chose columns."""
        self.profile = profile
        if not self.chosen():
            self.apply_hidden(default_hidden(profile))
            self._show_state()

    def default_width(self, column: int) -> int:
        """Room for the column's sample value or its title (with the sort arrow), and the cell's margins."""
        cells, titles = self.table.fontMetrics(), self.header.fontMetrics()
        title = str(self.table.model().headerData(column, Qt.Orientation.Horizontal))
        pad = cells.horizontalAdvance("中")
        return max(cells.horizontalAdvance(WIDTH_SAMPLES[KEYS[column]]) + pad,
                   titles.horizontalAdvance(title) + pad)

    def default_widths(self) -> None:
        for column in range(len(KEYS)):
            self.table.setColumnWidth(column, self.default_width(column))

    def apply_hidden(self, hidden) -> None:
        for column, key in enumerate(KEYS):
            self.header.setSectionHidden(column, key in hidden)

    def shown(self) -> list[str]:
        """The keys of the columns shown, left to right."""
        return [KEYS[self.header.logicalIndex(v)] for v in range(self.header.count())
                if not self.header.isSectionHidden(self.header.logicalIndex(v))]

    def reset(self) -> None:
        """The role's columns at their default widths; the choice is the role's again."""
        self.settings.setValue(CHOSEN_KEY, False)
        for column in range(self.header.count()):  # the original order
            self.header.moveSection(self.header.visualIndex(column), column)
        self.apply_hidden(default_hidden(self.profile))
        self.default_widths()
        self._show_state()

    # --- the menu ---------------------------------------------------------------------------------------------
    def _show_state(self) -> None:
        shown = set(self.shown())
        for key, a in self.actions.items():
            a.blockSignals(True)
            a.setChecked(key in shown)
            a.blockSignals(False)
            a.setEnabled(not (key in shown and len(shown) == 1))  # the last column shown stays

    def _toggled(self, column: int, on: bool) -> None:
        self.header.setSectionHidden(column, not on)
        if on and self.table.columnWidth(column) < self.header.minimumSectionSize() * 2:
            self.table.setColumnWidth(column, self.default_width(column))
        self.settings.setValue(CHOSEN_KEY, True)
        self._show_state()

    def _popup(self, pos: QPoint) -> None:
        self.menu.popup(self.header.mapToGlobal(pos))
