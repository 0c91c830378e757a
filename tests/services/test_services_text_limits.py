"""The services refuse text over its limit (the GUI is not the only way in) and store what they keep clean."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from fx_desktop.domain.case_draft import DraftInvalid, Officer
from fx_desktop.domain.errors import DomainError
from fx_desktop.services import cases, legal_review
from fx_desktop.store.models import Case, LegalReview, OutboxEntry
from tests.services.test_services_legal_review import NOW, REVIEWER, notified_case, submit


def _rows(store) -> tuple[int, int]:
    with store.sessions() as s:
        return (s.execute(select(func.count()).select_from(Case)).scalar_one(),
                s.execute(select(func.count()).select_from(OutboxEntry)).scalar_one())


def test_a_case_with_too_long_texts_is_refused_naming_each_field_and_nothing_is_saved(store, profile, make_draft):
    before = _rows(store)
    draft = make_draft(facts="违" * 20_001, cause="搭" * 201,
                       officers=[Officer("王" * 65, "31200001"), Officer("陈静", "31200002")])
    with pytest.raises(DraftInvalid) as err:
        cases.create_case(store, profile, draft, now=NOW)
    messages = {e.field: e.message for e in err.value.errors}
    assert messages["facts"] == "“违法事实”不能超过 20000 个字，现有 20001 个字，请精简后再保存。"
    assert messages["cause"] == "“案由”不能超过 200 个字，现有 201 个字，请精简后再保存。"
    assert "“承办人员姓名”不能超过 64 个字，现有 65 个字" in messages["officers"]
    assert _rows(store) == before


def test_a_case_is_stored_with_its_texts_cleaned(store, profile, make_draft):
    made = cases.create_case(store, profile, make_draft(facts="第一行\r\n第二行\x00\u202e", cause="违法\n搭建",
                                                        party_name="\u2066李建国\u2069"), now=NOW)
    record = cases.get_case(store, made.id)
    assert (record.values["facts"], record.values["cause"], record.values["party_name"]) == ("第一行\n第二行", "违法 搭建", "李建国")
    with store.sessions() as s:
        (args,) = s.execute(select(OutboxEntry.args)).scalars()
    assert args["fields"]["facts"] == "第一行\n第二行"  # what the server receives is clean too


def test_review_texts_over_their_limits_are_refused_and_kept_clean(store, make_draft):
    case_id = notified_case(store, make_draft)
    with pytest.raises(DomainError) as err:
        submit(store, case_id, report="审" * 20_001)
    assert err.value.message == "“法制审核申请报告”不能超过 20000 个字，现有 20001 个字，请精简后再保存。"
    review = submit(store, case_id, report="提请\u202e审核。\r\n")
    assert review.report == "提请审核。"
    with pytest.raises(DomainError, match="“延长审核期限的理由”不能超过 2000 个字，现有 2001 个字"):
        legal_review.extend(store, REVIEWER, case_id, review.id, "由" * 2001, now=NOW)
    criteria = {k: {"passed": True, "note": ""} for k in ("subject", "facts", "evidence", "basis", "procedure",
                                                          "discretion", "documents", "crime")}
    with pytest.raises(DomainError, match="审核项“证据确凿充分”的说明不能超过 2000 个字"):
        legal_review.record_verdict(store, REVIEWER, case_id, review.id, outcome="agree", opinion="",
                                    criteria={**criteria, "evidence": {"passed": True, "note": "注" * 2001}}, now=NOW)
    with pytest.raises(DomainError, match="“审核意见”不能超过 20000 个字"):
        legal_review.record_verdict(store, REVIEWER, case_id, review.id, outcome="revise", opinion="意" * 20_001,
                                    criteria=criteria, now=NOW)
    with store.sessions() as s:
        assert s.get(LegalReview, review.id).status == "pending"
