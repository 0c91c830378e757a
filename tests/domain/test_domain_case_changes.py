"""The rules a change applies to a case, shared by the client, fx-bureau and the rebase."""
from __future__ import annotations

from datetime import date, datetime

from fx_desktop.domain import legal_review as lr
from fx_desktop.domain.case_changes import (
    change_fields,
    reopens_review,
    review_passed_after,
    status_effects,
    withdraws_review,
)
from fx_desktop.domain.deadlines import decision_deadline
from fx_desktop.domain.lifecycle import CaseStatus
from fx_desktop.domain.review_effects import apply_verdict, submit_effect, verdict_effect, withdraw_pending
from fx_desktop.domain.workdays import HolidayCalendar

CASE = {"place": "原址", "facts": "事实。", "officers": [["王磊", "31200001"]]}


def test_only_a_changed_decision_field_takes_the_pass_back():
    assert reopens_review(["facts"]) and reopens_review({"officers": []}) and not reopens_review(["place"])
    assert review_passed_after(True, ["place"]) and not review_passed_after(True, ["facts"])
    assert not review_passed_after(False, ["place"])
    same = change_fields(CASE, {"facts": "事实。", "place": "新址"}, review_passed=True)
    assert same.changed == {"place"} and same.review_passed and same.values["place"] == "新址"
    facts = change_fields(CASE, {"officers": [["陈静", "31200002"]]}, review_passed=True)
    assert facts.changed == {"officers"} and not facts.review_passed
    assert CASE["officers"] == [["王磊", "31200001"]]  # the input is left as it was


def test_status_effects_date_the_filing_and_the_decision():
    day = date(2026, 3, 2)
    calendar = HolidayCalendar.load_official()
    filed = status_effects("file", CaseStatus.FILED, day, calendar)
    assert filed == {"status": "filed", "filed_on": day, "decision_due": decision_deadline(day, calendar=calendar)}
    assert status_effects("decide", CaseStatus.DECIDED, day, None) == {"status": "decided", "decided_on": day}
    assert status_effects("serve", CaseStatus.SERVED, day, None) == {"status": "served"}
    assert withdraws_review("return_review") and not withdraws_review("decide")


class _Obj:
    def __init__(self, **kw):
        self.__dict__.update(kw)


def test_what_a_review_does_to_the_case():
    assert submit_effect() == {"status": "legal_review", "review_passed": False}
    assert verdict_effect("agree") == {"review_passed": True}
    assert verdict_effect(lr.Outcome.REVISE) == {"status": "investigation_closed", "review_passed": False}
    assert verdict_effect("disagree") == {}
    row, case = _Obj(status="pending"), _Obj(status="legal_review", review_passed=False)
    apply_verdict(row, case, lr.Verdict(lr.Outcome.REVISE, "补充证据。"), reviewer="赵敏", at=datetime(2026, 3, 2))
    assert (row.status, row.outcome, case.status, case.review_passed) == (
        "returned", "revise", "investigation_closed", False)
    rounds = [_Obj(status="returned"), _Obj(status="pending")]
    withdraw_pending(rounds)
    assert [r.status for r in rounds] == ["returned", "withdrawn"]
