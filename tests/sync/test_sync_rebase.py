"""The rebase of pending local changes over a pulled case follows the same rules as the client and fx-bureau."""
from __future__ import annotations

from fx_desktop.sync.apply import rebase

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
