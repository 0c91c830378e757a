"""Printing from a case: the forms are built off the GUI thread and opened in the preview; the bound set carries
one bookmark per form; a character the print font lacks is reported before anything is printed; a form whose
number is still provisional opens in a preview that says why it is marked as a draft."""
from __future__ import annotations

import io
import json

import pytest
from PySide6.QtWidgets import QMessageBox
from pypdf import PdfReader

from fx_desktop.printing.draft import BANNER
from fx_desktop.printing.preview import PrintPreview
from fx_desktop.services import cases
from fx_desktop.store import meta, reference
from fx_desktop.tasks import TaskRunner
from fx_desktop.views.case_detail import CaseDetail
from fx_desktop.views.form_printer import BUNDLE
from tests.conftest import case_draft
from tests.support.printing import CapturedPreview
from tests.views.test_views_sync import chinese  # noqa: F401 - fixture: the Chinese UI, as the app installs it

DRAFT_REASON = "本文书编号为临时编号，服务器分配正式编号前打印的文书标注为草稿。同步后重新打印即为正式文书。"


@pytest.fixture
def detail(qtbot, store, profile):
    with store.sessions() as session:
        ref = reference.current(session)
    tasks = TaskRunner()
    widget = CaseDetail(store, profile, ref, tasks)
    qtbot.addWidget(widget)
    widget.printed = widget.printer.open_preview = CapturedPreview()
    yield widget
    tasks.wait()


def test_print_menu_lists_the_forms_and_the_bound_set(qtbot, detail, store, profile):
    made = cases.create_case(store, profile, case_draft(party_name="周立波"))
    detail.open_case(made.id)
    detail.review.fill_print_menu(detail.printer.forms)
    names = [a.objectName() for a in detail.review.print_menu.actions()]
    assert names == ["print_review-request", "print_review-opinion", "print_case-briefing", f"print_{BUNDLE}"]
    detail.review.print_menu.actions()[-1].trigger()
    qtbot.waitUntil(lambda: bool(detail.printed.documents), timeout=20_000)
    pdf, name = detail.printed.documents[0]
    reader = PdfReader(io.BytesIO(pdf))
    assert [o.title for o in reader.outline] == ["重大行政执法决定法制审核申请表", "法制审核意见书", "案件情况简介"]
    assert made.number in name and "周立波" in reader.pages[0].extract_text()


def test_a_character_missing_from_the_font_is_reported_before_printing(qtbot, detail, store, profile, monkeypatch):
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, title, text, *a, **k: warned.append((title, text)))
    made = cases.create_case(store, profile, case_draft(facts="当事人在店门口摆放招牌😀一块。"))
    detail.open_case(made.id)
    detail.print_form("case-briefing")
    qtbot.waitUntil(lambda: bool(warned), timeout=20_000)
    assert detail.printed.documents == []
    assert "U+1F600" in warned[0][1] and "没有字形" in warned[0][1]


def test_official_numbers_open_without_a_draft_notice(qtbot, detail, store, profile):
    made = cases.create_case(store, profile, case_draft())
    detail.open_case(made.id)
    detail.print_form("case-briefing")
    qtbot.waitUntil(lambda: bool(detail.printed.documents), timeout=20_000)
    assert detail.printed.notices == [None]


def test_a_provisional_number_opens_the_preview_with_the_reason_it_is_a_draft(qtbot, chinese, detail, store,
                                                                              profile):
    with store.writes.begin() as session:  # logged in to a server, not synced yet: numbers are provisional
        meta.put(session, "sync.account", json.dumps({"server_url": "https://fx-bureau.invalid", "username": "zhang",
                                                      "name": "张伟", "role": "squad_leader",
                                                      "town_code": "nanqiao", "client_id": "c-1"}))
    made = cases.create_case(store, profile, case_draft())
    assert made.number.startswith("临时编号")
    detail.open_case(made.id)
    detail.printer.open_preview = lambda pdf, name, parent, notice=None: PrintPreview(pdf, name, parent,
                                                                                       notice=notice)
    detail.print_form("review-request")
    qtbot.waitUntil(lambda: detail.printer.preview is not None, timeout=20_000)
    preview = detail.printer.preview
    qtbot.addWidget(preview)
    qtbot.waitExposed(preview)
    assert preview.notice.isVisible() and preview.notice.text() == DRAFT_REASON
    assert preview.notice.geometry().bottom() <= preview.view.geometry().top()  # a bar above the pages
    pages = PdfReader(io.BytesIO(preview.pdf)).pages
    assert all(BANNER.replace(" ", "") in p.extract_text().replace(" ", "") for p in pages)
    preview.close()
