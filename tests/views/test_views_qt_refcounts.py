"""The Qt binding must not corrupt Python's reference counts. PySide6 6.12.0 dropped a reference to None on every
call of a method returning void and to True/False on every signal emit, so the application died with
"deallocating None" after a few thousand calls (pyproject.toml keeps it out)."""
import sys

from PySide6.QtCore import QModelRoleData, QObject, Qt, Signal
from PySide6.QtWidgets import QLabel


class _Emitter(QObject):
    changed = Signal(int)


def test_void_calls_and_emits_keep_reference_counts(qtbot):
    label, emitter = QLabel(), _Emitter()
    qtbot.addWidget(label)
    slot = QModelRoleData(int(Qt.ItemDataRole.DisplayRole))
    none_before, false_before = sys.getrefcount(None), sys.getrefcount(False)
    for i in range(2000):
        label.setText(str(i % 7))
        slot.setData("x")
        emitter.changed.emit(i)
    assert sys.getrefcount(None) - none_before > -100
    assert sys.getrefcount(False) - false_before > -100
