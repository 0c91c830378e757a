"""qtbot flows through the case register on a real SQLite store: create with a validation error, fix, save,
find by a Chinese substring, attach evidence, change status; plus the table model contract and layout memory."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTimer
from PySide6.QtWidgets import QMessageBox, QPushButton

from fx_desktop.domain.lifecycle import CaseStatus
from fx_desktop.services import cases as case_service
from fx_desktop.services.demo import generate
from fx_desktop.store import reference
from fx_desktop.store.case_queries import CaseFilter, CaseQueries
from fx_desktop.tasks import TaskRunner
from fx_desktop.views.background_count import BackgroundCount
from fx_desktop.views.case_table_model import KEYS, CaseTableModel
from fx_desktop.views.main_window import MainWindow

TODAY = date(2026, 11, 26)


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, store, profile, settings):
    tasks = TaskRunner()
    with store.sessions() as session:
        ref = reference.current(session)
    w = MainWindow(store, profile, ref, tasks, settings, today=lambda: TODAY)
    qtbot.addWidget(w)
    w.show()
    yield w
    tasks.wait()


@pytest.fixture
def answer_yes(monkeypatch):
    """Modal confirmation boxes cannot be clicked from a test; this stands in for the user pressing Yes."""
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))


def fill_valid_case(form, *, id_number: str) -> None:
    form.source.setCurrentText("巡查发现")
    form.category.setCurrentText("违法建筑")
    form.cause.setText("擅自搭建建筑物、构筑物")
    form.party_name.setText("欧阳修远")
    form.party_id_number.setText(id_number)
    form.place.setText("奉贤区南桥镇解放东路88号")
    form.facts.setPlainText("当事人在解放东路88号屋顶擅自搭建彩钢板违建约40平方米。")
    for row, (name, cert) in enumerate((("王磊", "31200001"), ("陈静", "31200002"))):
        form.officers.item(row, 0).setText(name)
        form.officers.item(row, 1).setText(cert)


def test_the_form_lists_the_catalogue_fields_in_its_order_with_their_labels(window):
    from PySide6.QtWidgets import QFormLayout

    from fx_desktop.domain.case_fields import FORM_FIELDS

    form = window.detail.form
    assert list(form.boxes) == list(FORM_FIELDS)
    layout = form.widget().layout()
    labels = [layout.itemAt(row, QFormLayout.ItemRole.LabelRole).widget().text() for row in range(layout.rowCount())]
    assert labels[:3] == ["Source *", "Category *", "Cause *"] and labels[-1] == "Officers (at least two to file)"


def test_create_fix_save_find_attach_and_file(qtbot, window, store, tmp_path, answer_yes):
    detail, form = window.detail, window.detail.form
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert detail.record is None

    # A wrong check digit: shown inline as soon as the field is left, and the save is refused.
    fill_valid_case(form, id_number="340524198001010011")
    form.party_id_number.editingFinished.emit()
    id_error = form.boxes["party_id_number"].error
    assert id_error.isVisibleTo(window) and "校验位" in id_error.text()
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert detail.record is None
    assert "party_id_number" in {e.field for e in _errors(form)}
    assert CaseQueries(store.engine).prepare(CaseFilter())[1] == 0

    # A missing mandatory field is named.
    form.place.setText("")
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "案发地点" in form.boxes["place"].error.text()

    # Fix both (the ID typed as ASCII with a lowercase x, as clerks do), save.
    form.place.setText("奉贤区南桥镇解放东路88号")
    form.party_id_number.clear()
    qtbot.keyClicks(form.party_id_number, "34052419800101001x")
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert detail.record is not None, detail.message.text()
    assert detail.record.values["party_id_number"] == "34052419800101001X"
    assert not form.boxes["party_id_number"].error.isVisibleTo(window)
    case_id = detail.record.id

    # Find it by a Chinese substring typed into the search box.
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.filters.search.hasFocus()
    window.filters.search.setText("欧阳")
    qtbot.waitUntil(lambda: window.model.total == 1 and window.model.rowCount() == 1)
    assert window.model.case_id(0) == case_id
    window.filters.search.setText("不存在的当事人")
    qtbot.waitUntil(lambda: window.model.total == 0)
    window.filters.search.setText("彩钢板")
    qtbot.waitUntil(lambda: window.model.total == 1)
    # The list masks the ID number.
    assert window.model.index(0, KEYS.index("party_id_number")).data() == "340524********001X"

    # Attach evidence: a real file copied into the content-addressed store off the GUI thread.
    photo = tmp_path / "现场照片.png"
    photo.write_bytes(_png())
    detail.add_files([photo])
    qtbot.waitUntil(lambda: detail.evidence.list.count() == 1, timeout=30_000)
    ev = detail.record.evidence[0]
    assert store.blobs.path_for(ev.sha256).read_bytes() == photo.read_bytes()
    assert photo.exists()

    # Status actions offered by the state machine; a squad leader files the case.
    file_button = detail.header.findChild(QPushButton, "action_file")
    assert file_button is not None
    file_button.click()
    assert detail.record.status == CaseStatus.FILED
    assert detail.record.decision_due is not None
    events = [detail.timeline.topLevelItem(i).text(2) for i in range(detail.timeline.topLevelItemCount())]
    assert events == ["登记案件", "添加证据", "变更状态"]


def test_evidence_problems_are_reported_and_nothing_recorded(qtbot, window, store, profile, make_draft, tmp_path):
    record = case_service.create_case(store, profile, make_draft())
    window.refresh()
    window.table.selectRow(0)
    assert window.detail.record.id == record.id
    empty = tmp_path / "空文件.jpg"
    empty.write_bytes(b"")
    window.detail.add_files([empty, tmp_path / "不存在.jpg", tmp_path])
    qtbot.waitUntil(lambda: window.detail.message.isVisibleTo(window), timeout=30_000)
    text = window.detail.message.text()
    assert "空文件" in text and "找不到文件" in text and "文件夹" in text
    assert case_service.get_case(store, record.id).evidence == []


def test_unsaved_changes_are_not_lost_when_switching(qtbot, window, store, profile, make_draft, monkeypatch):
    first = case_service.create_case(store, profile, make_draft(party_name="甲某"))
    second = case_service.create_case(store, profile, make_draft(party_name="乙某"))
    window.refresh()
    row_of = {window.model.case_id(r): r for r in range(window.model.rowCount())}
    window.table.selectRow(row_of[first.id])
    window.detail.form.facts.setPlainText("补充的事实，尚未保存")
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Cancel))
    window.table.selectRow(row_of[second.id])
    assert window.detail.record.id == first.id
    assert window.detail.form.facts.toPlainText() == "补充的事实，尚未保存"
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Save))
    window.table.selectRow(window.model.row_of(second.id))
    assert window.detail.record.id == second.id
    assert case_service.get_case(store, first.id).values["facts"] == "补充的事实，尚未保存"


def test_terminal_case_is_read_only_and_offers_no_actions(qtbot, window, store, profile, make_draft, answer_yes):
    record = case_service.create_case(store, profile, make_draft())
    case_service.change_status(store, profile, record.id, "not_file", expected_status=CaseStatus.CLUE)
    window.refresh()
    window.table.selectRow(0)
    assert window.detail.form.cause.isReadOnly()
    assert window.detail.header.findChild(QPushButton, "action_file") is None


def test_table_model_contract_and_lazy_paging(qtmodeltester, store):
    generate(store, 250, seed=3, as_of=TODAY)
    model = CaseTableModel(CaseQueries(store.engine), {"nanqiao": "南桥镇"}, page_size=40, today=lambda: TODAY)
    model.reload()
    assert model.total == 250 and model.rowCount() == 40
    qtmodeltester.check(model)
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == 250
    assert len({model.case_id(r) for r in range(250)}) == 250
    model.sort(0, Qt.SortOrder.AscendingOrder)
    numbers = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert numbers == sorted(numbers)
    resets = []
    model.modelReset.connect(lambda: resets.append(True))
    model.sort(0, Qt.SortOrder.AscendingOrder)  # as restoring the header's state does: nothing read again
    assert resets == [] and model.rowCount() == 40
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert resets == [True] and model.index(0, 0).data() > max(numbers)  # the largest of all 250
    # A second tester on the same model would see the first one's fetchMore() calls mid-reset: use a fresh model.
    filtered = CaseTableModel(CaseQueries(store.engine), {}, page_size=40, today=lambda: TODAY)
    filtered.set_filter(CaseFilter(text="违建"))
    assert 0 < filtered.total < 250
    qtmodeltester.check(filtered)


@pytest.mark.parametrize("in_background", [False, True], ids=["gui-thread", "background"])
def test_a_list_shows_its_first_page_before_counting(qtbot, store, in_background, monkeypatch):
    """A text search, or any list longer than its first page, fills the first page without counting; the count
    arrives once the event loop runs (after the list is painted; with a BackgroundCount from its worker thread, the
    GUI thread's connection counting nothing), and fetching more does not wait for it. A list whose first page
    holds it all knows its count at once; the count of a list replaced meanwhile is never announced."""
    generate(store, 250, seed=3, as_of=TODAY)
    reference = CaseQueries(store.engine)
    expected = reference.prepare(CaseFilter(text="违建"))[1]
    filed = reference.prepare(CaseFilter(status="filed"))[1]
    assert 20 < expected < 250 and filed > 10
    queries = CaseQueries(store.engine)
    counter = BackgroundCount(store.engine) if in_background else None
    model = CaseTableModel(queries, {}, page_size=10, today=lambda: TODAY, counter=counter)
    if in_background:
        monkeypatch.setattr(queries, "count", lambda q: pytest.fail("counted on the GUI thread"))
    announced: list[int] = []
    model.totalChanged.connect(announced.append)
    model.set_filter(CaseFilter(text="违建"))
    assert model.rowCount() == 10 and announced == [] and not model.counted and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 20
    qtbot.waitUntil(lambda: announced == [expected])
    # a search whose first page is not full knows its count at once
    model.set_filter(CaseFilter(text=model.index(0, 0).data()))
    assert announced[-1] == 1 and model.counted and model.total == 1 and not model.canFetchMore()
    # so is the whole register counted after painting
    model.set_filter(CaseFilter())
    assert model.rowCount() == 10 and not model.counted and announced[-1] == 1
    qtbot.waitUntil(lambda: announced[-1] == 250)
    # a pending count of an older list is dropped
    start = len(announced)
    model.set_filter(CaseFilter(text="违建"))
    model.set_filter(CaseFilter(status="filed"))
    qtbot.waitUntil(lambda: len(announced) > start)
    if counter is not None:
        counter.wait()  # the worker's answer, if it sent one, is now in the event queue
    passed = []
    QTimer.singleShot(0, lambda: passed.append(True))
    qtbot.waitUntil(lambda: bool(passed))
    QCoreApplication.sendPostedEvents()
    assert announced[start:] == [filed]
    if counter is None:  # reading the total forces the count
        model.set_filter(CaseFilter(text="违建"))
        assert model.total == expected
        qtbot.waitUntil(lambda: announced[-1] == expected)
    else:
        counter.close()


def test_overdue_cases_are_marked(qtbot, store):
    generate(store, 200, seed=5, as_of=TODAY)
    model = CaseTableModel(CaseQueries(store.engine), {}, today=lambda: TODAY)
    model.set_filter(CaseFilter(overdue_on=TODAY))
    due_col = KEYS.index("decision_due")
    assert model.total > 0
    brush = model.index(0, due_col).data(Qt.ItemDataRole.ForegroundRole)
    assert brush is not None and brush.color().name() == "#b3261e"


def test_window_geometry_and_columns_are_remembered(qtbot, store, profile, settings):
    with store.sessions() as session:
        ref = reference.current(session)
    tasks = TaskRunner()
    first = MainWindow(store, profile, ref, tasks, settings)
    qtbot.addWidget(first)
    first.show()
    first.resize(1250, 700)
    first.table.setColumnWidth(0, 333)
    expected = (first.width(), first.height())
    first.close()
    second = MainWindow(store, profile, ref, tasks, settings)
    qtbot.addWidget(second)
    second.show()
    # The offscreen screen is 800 px wide, so restoreGeometry() clamps the width there; the height is free.
    assert second.height() == expected[1] == 700
    assert second.table.columnWidth(0) == 333
    assert settings.value("main/splitter") is not None


def _errors(form):
    from fx_desktop.domain.case_draft import DraftInvalid, validate

    try:
        validate(form.draft())
    except DraftInvalid as exc:
        return exc.errors
    return []


def _png() -> bytes:
    from fx_desktop.services.demo import _png as png

    return png((200, 80, 40))


def test_typed_changes_survive_a_crash_and_are_offered_back(qtbot, store, profile, make_draft, settings, monkeypatch):
    """Autosaved drafts: the first window is abandoned without closing (as in a crash); a new one offers them."""
    from fx_desktop.views.case_detail import CaseDetail

    record = case_service.create_case(store, profile, make_draft())
    with store.sessions() as session:
        ref = reference.current(session)
    tasks = TaskRunner()
    first = CaseDetail(store, profile, ref, tasks)
    qtbot.addWidget(first)
    first.open_case(record.id)
    first.form.facts.setPlainText("停电前输入的补充事实")
    qtbot.waitUntil(lambda: (store.paths.drafts / f"{record.id}.json").exists(), timeout=30_000)
    first.new_case()  # a new case typed too, then the "crash"
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard))
    first.form.cause.setText("未保存的新案件")
    first.write_draft()

    asked: list[str] = []

    def yes(_parent, _title, text, *a, **k):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(yes))
    second = CaseDetail(store, profile, ref, tasks)  # opens on a new case: its draft is offered first
    qtbot.addWidget(second)
    assert second.form.cause.text() == "未保存的新案件"
    second.open_case(record.id)
    assert second.form.facts.toPlainText() == "停电前输入的补充事实" and len(asked) == 2
    assert case_service.get_case(store, record.id).values["facts"] != "停电前输入的补充事实"  # not saved silently
    assert second.save()
    assert case_service.get_case(store, record.id).values["facts"] == "停电前输入的补充事实"
    assert not (store.paths.drafts / f"{record.id}.json").exists()


def test_another_towns_case_is_shown_read_only(qtbot, window, store, profile, make_draft):
    from fx_desktop.services.profile import Profile
    from fx_desktop.domain.roles import Role

    other = Profile("u2", "李四", Role.SQUAD_LEADER, "jinhui")
    record = case_service.create_case(store, other, make_draft())
    window.refresh()
    window.table.selectRow(0)
    assert window.detail.record.id == record.id
    assert window.detail.form.cause.isReadOnly()
    assert not window.detail.evidence.add_button.isEnabled()
    assert window.detail.header.findChild(QPushButton, "action_file") is None
    assert "不属于您所在的街镇" in window.detail.message.text()


def test_count_is_shown_from_the_start(qtbot, store, profile, settings):
    generate(store, 30, seed=2, as_of=TODAY)
    with store.sessions() as session:
        ref = reference.current(session)
    w = MainWindow(store, profile, ref, TaskRunner(), settings)
    qtbot.addWidget(w)
    assert w.model.total == 30 and "30" in w.count_label.text()


def test_list_masks_a_persons_id_but_shows_an_organisations_credit_code(qtbot, store, profile, make_draft):
    person = case_service.create_case(store, profile, make_draft(party_name="个人甲"))
    org = case_service.create_case(store, profile, make_draft(party_kind="org", party_name="上海某某餐饮管理有限公司",
                                                              party_id_number="91350100M000100Y43"))
    model = CaseTableModel(CaseQueries(store.engine), {}, today=lambda: TODAY)
    model.reload()
    shown = {model.case_id(r): model.index(r, KEYS.index("party_id_number")).data() for r in range(2)}
    assert shown[org.id] == "91350100M000100Y43"
    assert shown[person.id].count("*") == 8 and shown[person.id] != person.values["party_id_number"]


def test_a_locked_database_keeps_the_typed_input_and_says_why(qtbot, window, store, profile, make_draft):
    """A real lock held by another connection (the save waits out SQLite's 5 s busy timeout, then gives up)."""
    import sqlite3

    record = case_service.create_case(store, profile, make_draft())
    window.refresh()
    window.table.selectRow(0)
    window.detail.form.facts.setPlainText("锁定期间输入的事实")
    other = sqlite3.connect(store.paths.database, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        assert window.detail.save() is False
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert "占用" in window.detail.message.text()
    assert window.detail.form.facts.toPlainText() == "锁定期间输入的事实"
    assert (store.paths.drafts / f"{record.id}.json").exists()
    assert window.detail.save() is True
    assert case_service.get_case(store, record.id).values["facts"] == "锁定期间输入的事实"


def test_adding_evidence_first_saves_what_was_typed(qtbot, window, store, profile, make_draft, tmp_path):
    record = case_service.create_case(store, profile, make_draft())
    window.refresh()
    window.table.selectRow(0)
    window.detail.form.facts.setPlainText("添加证据前输入的事实")
    photo = tmp_path / "现场.png"
    photo.write_bytes(_png())
    window.detail.add_files([photo])
    qtbot.waitUntil(lambda: window.detail.evidence.list.count() == 1, timeout=30_000)
    saved = case_service.get_case(store, record.id)
    assert saved.values["facts"] == "添加证据前输入的事实" and len(saved.evidence) == 1
    assert window.detail.form.facts.toPlainText() == "添加证据前输入的事实"


def test_highlight_follows_the_opened_case_after_saving_on_switch(qtbot, window, store, profile, make_draft,
                                                                 monkeypatch):
    first = case_service.create_case(store, profile, make_draft(party_name="甲某"))
    second = case_service.create_case(store, profile, make_draft(party_name="乙某"))
    window.refresh()
    window.table.selectRow(window.model.row_of(first.id))
    window.detail.form.facts.setPlainText("改动")
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Save))
    window.table.selectRow(window.model.row_of(second.id))
    assert window.detail.record.id == second.id
    current = window.table.selectionModel().currentIndex()
    assert window.model.case_id(current.row()) == second.id


def test_multidata_answers_like_data(qtbot, store):
    """Qt's delegates ask multiData() (a column's size hint, a tooltip); it must give what data() gives, role by
    role (overdue colour included)."""
    from PySide6.QtCore import QModelRoleData, QModelRoleDataSpan

    generate(store, 200, seed=5, as_of=TODAY)
    model = CaseTableModel(CaseQueries(store.engine), {}, today=lambda: TODAY)
    model.set_filter(CaseFilter(overdue_on=TODAY))
    assert model.total > 0
    roles = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.ToolTipRole,
             Qt.ItemDataRole.UserRole, Qt.ItemDataRole.FontRole)
    for column in range(model.columnCount()):
        index = model.index(0, column)
        for role in roles:
            slot = QModelRoleData(int(role.value))
            model.multiData(index, QModelRoleDataSpan(slot))
            expected = model.data(index, role)
            got = slot.data()
            if role == Qt.ItemDataRole.ForegroundRole and expected is not None:
                assert got.color() == expected.color()
            else:
                assert got == expected, (column, role)


def test_painting_the_list_many_times_does_not_corrupt_python(qtbot, store):
    """With PySide6 6.12.0 every call of a method returning void (QModelRoleData.setData(), QPainter's drawing)
    dropped a reference to None and the application crashed ("deallocating None") after a few hundred searches.
    Painting must leave None's reference count where it was."""
    import sys

    from fx_desktop.views.case_table_view import CaseTableView

    generate(store, 200, seed=5, as_of=TODAY)
    model = CaseTableModel(CaseQueries(store.engine), {}, today=lambda: TODAY)
    model.set_filter(CaseFilter())
    view = CaseTableView(model)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    view.viewport().repaint()
    before = sys.getrefcount(None)
    for _ in range(30):
        view.viewport().repaint()
    assert sys.getrefcount(None) - before > -50  # a leak would be ~ -6,000 here (one per painted cell)


def test_the_list_shows_a_saved_edit_and_still_masks_the_id_number(qtbot, window, store, profile, make_draft):
    """The list's texts are made once per row and kept: saving a case reads the list again, so its row shows what
    was saved, masked as before; the rows around it are unchanged."""
    from tests.conftest import VALID_PERSON_ID

    for i in range(3):
        case_service.create_case(store, profile, make_draft(party_name=f"当事人{i}"))
    window.refresh()
    party, id_col = KEYS.index("party_name"), KEYS.index("party_id_number")
    before = {window.model.case_id(r): window.model.row_cells(r)[0] for r in range(3)}
    window.table.selectRow(1)
    edited = window.model.case_id(1)
    window.detail.form.party_name.setText("新当事人")
    assert window.detail.save()
    row = window.model.row_of(edited)
    texts, _colours = window.model.row_cells(row)
    assert texts[party] == "新当事人" == window.model.index(row, party).data()
    assert texts[id_col] == VALID_PERSON_ID[:6] + "*" * 8 + VALID_PERSON_ID[-4:]
    after = {window.model.case_id(r): window.model.row_cells(r)[0] for r in range(3)}
    assert before[edited][party] != "新当事人"
    assert {i: t for i, t in after.items() if i != edited} == {i: t for i, t in before.items() if i != edited}


def test_rows_are_made_into_texts_when_shown_and_kept_until_read_again(store, profile, make_draft):
    """A page of rows is read at once; each row becomes its texts (status label, town name, masked ID number)
    the first time it is shown, and a row read again after a change shows the change."""
    from fx_desktop.views.case_table_model import ShownRows

    record = case_service.create_case(store, profile, make_draft(party_name="甲某"))
    queries = CaseQueries(store.engine)
    made: list[str] = []
    model = CaseTableModel(queries, {"nanqiao": "南桥镇"}, today=lambda: TODAY)
    rows = ShownRows(lambda raw, today: made.append(raw[0]) or model._shape(raw, today))
    page = queries.page(queries.plan(CaseFilter()))
    rows.reset(page, TODAY)
    assert len(rows) == 1 and made == []  # nothing made until shown
    case_id, texts, overdue, refused = rows.shown(0)
    assert rows.shown(0)[1] is texts and made == [record.id]  # made once, then kept
    assert texts[KEYS.index("town_code")] == "南桥镇" and texts[KEYS.index("status")] == "线索登记"
    assert "*" * 8 in texts[KEYS.index("party_id_number")] and overdue is False and refused is None
    case_service.update_case(store, profile, record.id, make_draft(party_name="乙某"), base_version=record.version)
    rows.reset(queries.page(queries.plan(CaseFilter())), TODAY)
    assert rows.shown(0)[1][KEYS.index("party_name")] == "乙某"
