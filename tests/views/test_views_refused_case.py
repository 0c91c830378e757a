"""qtbot: a case the bureau refused to register is marked in the register (status text, red, the reason as tooltip)
and carries a banner with the server's reason in the case detail; 重新提交 sends the corrected form, 放弃草稿 asks
first and then removes it, leaving an audit entry."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox, QPushButton
from sqlalchemy import select

from fx_desktop.services import cases
from fx_desktop.store import outbox, reference
from fx_desktop.store.models import AuditEntry, OutboxEntry
from fx_desktop.tasks import TaskRunner
from fx_desktop.views.case_table_model import KEYS, REFUSED
from fx_desktop.views.main_window import MainWindow
from tests.conftest import case_draft

TODAY = date(2026, 11, 26)
REASON = "案件数据未通过校验：没有这些重大执法情形：demolition。"
_STATUS, _NUMBER = KEYS.index("status"), KEYS.index("number")


@pytest.fixture
def window(qtbot, store, profile, tmp_path):
    tasks = TaskRunner()
    with store.sessions() as session:
        ref = reference.current(session)
    w = MainWindow(store, profile, ref, tasks, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat),
                   today=lambda: TODAY)
    qtbot.addWidget(w)
    w.show()
    yield w
    tasks.wait()


def refuse(store, case_id: str) -> None:
    """The server's answer as the sync engine records it."""
    with store.writes.begin() as session:
        entry = session.execute(select(OutboxEntry).where(OutboxEntry.case_id == case_id)).scalar_one()
        outbox.mark(session, entry.owner, entry.seq, outbox.REJECTED, REASON)


@pytest.fixture
def refused(window, store, profile):
    cases.create_case(store, profile, case_draft(party_name="已受理的案件"))
    made = cases.create_case(store, profile, case_draft(party_name="被拒的案件"))
    refuse(store, made.id)
    window.model.reload()
    return made


def test_the_register_marks_the_refused_case_and_the_detail_offers_the_way_out(qtbot, window, refused):
    model = window.model
    row = model.row_of(refused.id)
    texts, colours = model.row_cells(row)
    assert texts[_STATUS].endswith("(not accepted by the bureau)")
    assert colours[_STATUS] == REFUSED and colours[_NUMBER] == REFUSED
    assert REASON in model.data(model.index(row, _STATUS), Qt.ItemDataRole.ToolTipRole)
    other = 1 - row
    assert model.row_cells(other)[1] is None and "not accepted" not in model.row_cells(other)[0][_STATUS]

    window.show_case(refused.id)
    banner = window.detail.refused_banner
    qtbot.waitUntil(banner.isVisible)
    assert REASON in banner.reason.text()
    assert not window.detail.header.findChildren(QPushButton)  # no workflow step until the bureau has the case


def test_resubmit_sends_the_corrected_form_and_the_marker_goes(qtbot, window, store, refused):
    window.show_case(refused.id)
    detail = window.detail
    detail.form.party_name.setText("更正后的当事人")
    qtbot.mouseClick(detail.refused_banner.resubmit, Qt.MouseButton.LeftButton)
    assert not detail.refused_banner.isVisible()
    assert "Resubmitted" in detail.message.text()
    with store.sessions() as session:
        fresh = session.execute(select(OutboxEntry).where(OutboxEntry.case_id == refused.id,
                                                          OutboxEntry.state == outbox.PENDING)).scalar_one()
        old = session.execute(select(OutboxEntry.state).where(OutboxEntry.case_id == refused.id,
                                                              OutboxEntry.mutation_id < fresh.mutation_id)).scalar_one()
    assert fresh.name == "create_case" and fresh.args["fields"]["party_name"] == "更正后的当事人"
    assert old == outbox.HANDLED
    row = window.model.row_of(refused.id)
    assert "not accepted" not in window.model.row_cells(row)[0][_STATUS]


def test_a_resubmission_with_a_missing_field_is_refused_in_the_form(qtbot, window, store, refused, monkeypatch):
    # closing the window at the end asks about the unsaved form: the user leaves it
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard))
    window.show_case(refused.id)
    detail = window.detail
    detail.form.party_name.setText("")
    qtbot.mouseClick(detail.refused_banner.resubmit, Qt.MouseButton.LeftButton)
    assert detail.refused_banner.isVisible() and "Not resubmitted" in detail.message.text()
    assert detail.form.boxes["party_name"].error.isVisible()


@pytest.mark.parametrize("answer", [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
def test_discarding_asks_first_then_removes_the_case_and_keeps_an_audit_entry(qtbot, window, store, refused,
                                                                              monkeypatch, answer):
    asked = []
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: asked.append(a[2]) or answer))
    window.show_case(refused.id)
    qtbot.mouseClick(window.detail.refused_banner.discard, Qt.MouseButton.LeftButton)
    assert len(asked) == 1 and refused.number in asked[0]
    with store.sessions() as session:
        audit = session.execute(select(AuditEntry).where(AuditEntry.action == "discard_refused")).scalars().all()
    if answer == QMessageBox.StandardButton.No:
        assert audit == [] and window.model.row_of(refused.id) is not None
        assert window.detail.record.id == refused.id
        return
    assert [a.detail["reason"] for a in audit] == [REASON]
    assert window.model.row_of(refused.id) is None and window.model.rowCount() == 1
    assert window.detail.record is None and not window.detail.refused_banner.isVisible()
