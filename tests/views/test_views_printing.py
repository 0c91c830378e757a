"""Printing from a case: the forms are built off the GUI thread and opened in the preview; the bound set carries
one bookmark per form; a character the print font lacks is reported before anything is printed."""
from __future__ import annotations

import io

import pytest
from PySide6.QtWidgets import QMessageBox
from pypdf import PdfReader

from fx_desktop.services import cases
from fx_desktop.store import reference
from fx_desktop.tasks import TaskRunner
from fx_desktop.views.case_detail import CaseDetail
from fx_desktop.views.form_printer import BUNDLE
from tests.conftest import case_draft
from tests.support.printing import CapturedPreview


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
