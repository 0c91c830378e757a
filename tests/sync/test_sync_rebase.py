"""The rebase of pending local changes over a pulled case follows the same rules as the client and fx-bureau."""
from __future__ import annotations

from datetime import date, datetime

from fx_desktop.domain.case_changes import status_effects
from fx_desktop.domain.case_draft import to_json_value
from fx_desktop.domain.deadlines import decision_deadline
from fx_desktop.domain.lifecycle import CaseStatus, get_transition
from fx_desktop.domain.roles import Role
from fx_desktop.domain.workdays import HolidayCalendar
from fx_desktop.paths import DataPaths
from fx_desktop.services import cases
from fx_desktop.services.calendar import current_calendar
from fx_desktop.services.profile import Profile
from fx_desktop.store import open_store
from fx_desktop.sync.apply import apply_page, rebase
from tests.conftest import case_draft

FIELDS = {"place": "原址", "facts": "原来的事实。", "party_kind": "person"}
OFFICERS = [["王磊", "31200001"], ["陈静", "31200002"]]


def test_a_pending_resolution_of_a_decision_field_takes_the_pass_back():
    resolution = ("resolve_conflict", {"conflict_id": "c1", "case_id": "k1", "field": "facts", "value": "新事实。"})
    fields, _officers, status, passed = rebase(FIELDS, OFFICERS, "legal_review", [resolution], True)
    assert fields["facts"] == "新事实。" and status == "legal_review" and passed is False


def test_a_pending_resolution_elsewhere_or_to_the_same_value_keeps_the_pass():
    place = ("resolve_conflict", {"conflict_id": "c1", "case_id": "k1", "field": "place", "value": "新址"})
    same = ("resolve_conflict", {"conflict_id": "c2", "case_id": "k1", "field": "facts", "value": "原来的事实。"})
    fields, _officers, _status, passed = rebase(FIELDS, OFFICERS, "legal_review", [place, same], True)
    assert fields["place"] == "新址" and passed is True


def test_pending_officers_and_verdicts_replay_in_order():
    steps = [("update_case", {"case_id": "k1", "changed_fields": {"officers": [["王磊", "31200001"]]}}),
             ("submit_review", {"case_id": "k1"}), ("record_review", {"case_id": "k1", "outcome": "revise"})]
    _fields, officers, status, passed = rebase(FIELDS, OFFICERS, "notified", steps, True)
    assert officers == [["王磊", "31200001"]] and status == "investigation_closed" and passed is False


def test_a_pending_filing_replays_its_dates_from_the_day_it_was_taken():
    """立案 starts the decision clock: the rebase dates it by the outbox entry's created_at, on the calendar given,
    as the client did when the step was taken and as the server will when the push lands."""
    calendar = HolidayCalendar.load_official()
    taken = datetime(2026, 3, 10, 9, 30)
    step = ("transition_case", {"case_id": "k1", "action": "file", "expected_state": "clue"}, taken)
    fields, _officers, status, _passed = rebase(FIELDS, OFFICERS, "clue", [step], calendar=calendar)
    expected = status_effects("file", CaseStatus.FILED, date(2026, 3, 10), calendar)
    assert status == "filed" and fields["filed_on"] == "2026-03-10"
    assert fields["decision_due"] == expected["decision_due"].isoformat() and "decided_on" not in fields
    assert fields["place"] == "原址"  # the fields themselves untouched


def test_a_pending_decision_is_dated_and_an_undated_entry_changes_the_status_only():
    decide = ("transition_case", {"case_id": "k1", "action": "decide"}, datetime(2026, 4, 1, 16))
    fields, _officers, status, _passed = rebase(FIELDS, OFFICERS, "notified", [decide], True)
    assert status == get_transition("decide").target and fields["decided_on"] == "2026-04-01"
    fields, _officers, status, _passed = rebase(FIELDS, OFFICERS, "clue", [("transition_case", {"action": "file"})])
    assert status == "filed" and "filed_on" not in fields


def test_a_pulled_case_keeps_the_dates_of_a_filing_waiting_to_be_pushed(tmp_path):
    """On a real store: the case filed here (the entry waits in the outbox) is pulled again from the server, which
    has it as a clue without dates; the row keeps 立案日期 and the decision deadline of the day it was filed."""
    store = open_store(DataPaths.at(tmp_path))
    try:
        leader = Profile("u-leader", "张伟", Role.SQUAD_LEADER, "nanqiao")
        made = cases.create_case(store, leader, case_draft(), now=datetime(2026, 3, 9, 9))
        with store.sessions() as s:
            calendar = current_calendar(s)
        pulled = {"type": "case", "id": made.id, "number": made.number, "town_code": "nanqiao", "status": "clue",
                  "version": 1, "opened_on": "2026-03-09", "created_by": "张伟", "updated_at": "2026-03-09T09:00:00",
                  "fields": {k: to_json_value(v) for k, v in made.values.items()}, "officers": [], "evidence": []}
        filed = cases.change_status(store, leader, made.id, "file", expected_status=CaseStatus.CLUE,
                                    now=datetime(2026, 3, 10, 9))
        assert filed.filed_on == date(2026, 3, 10)
        with store.writes.begin() as s:
            result = apply_page(s, [pulled], "e:1", cursor_key="sync.cursor:t", actor="sync",
                                now=datetime(2026, 3, 11, 9))
        assert result.rebased == [made.id]
        after = cases.get_case(store, made.id)
        assert after.status is CaseStatus.FILED and after.filed_on == date(2026, 3, 10)
        assert after.decision_due == filed.decision_due == decision_deadline(date(2026, 3, 10), calendar=calendar)
    finally:
        store.close()
