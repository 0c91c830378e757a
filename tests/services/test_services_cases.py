"""Case use cases: validation, one transaction per action (rows + audit + outbox), optimistic versions, lifecycle
rules, town boundaries and gap-free numbers."""
from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from fx_desktop.domain.case_draft import DraftInvalid, Officer
from fx_desktop.domain.deadlines import decision_deadline
from fx_desktop.services.calendar import official_calendar
from fx_desktop.domain.errors import DomainError
from fx_desktop.domain.identifiers import make_credit_code
from fx_desktop.domain.legal_review import ReviewRules
from fx_desktop.domain.lifecycle import CaseStatus
from fx_desktop.domain.roles import Role
from fx_desktop.services import cases
from fx_desktop.services.profile import Profile, load_profile, save_profile
from fx_desktop.store.models import AuditEntry, Case, CaseOfficer, OutboxEntry, Serial

NOW = datetime(2026, 3, 10, 9, 0)
OFFICER = Profile("user-officer", "王磊", Role.OFFICER, "nanqiao")
TOWN_B = Profile("user-b", "李娜", Role.SQUAD_LEADER, "fengcheng")
DISPATCHER = Profile("user-d", "周敏", Role.BUREAU_DISPATCHER, None)


def counts(store) -> dict[str, int]:
    with store.sessions() as s:
        return {m.__tablename__: s.execute(select(func.count()).select_from(m)).scalar_one()
                for m in (Case, CaseOfficer, AuditEntry, OutboxEntry, Serial)}


def outbox_rows(store) -> list[OutboxEntry]:
    with store.sessions() as s:
        return list(s.execute(select(OutboxEntry).order_by(OutboxEntry.mutation_id)).scalars())


def case_row(store, case_id) -> dict:
    with store.sessions() as s:
        c = cases.load_case(s, case_id)
        return {col.name: getattr(c, col.key) for col in Case.__table__.columns}


# -- validation ---------------------------------------------------------------------------------------------------

def test_invalid_citizen_id_names_field_and_saves_nothing(store, profile, make_draft):
    before = counts(store)
    good = make_draft().party_id_number
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(DraftInvalid) as exc:
        cases.create_case(store, profile, make_draft(party_id_number=bad), now=NOW)
    assert exc.value.fields == {"party_id_number"}
    assert exc.value.field == "party_id_number"
    assert "校验位" in exc.value.message
    assert counts(store) == before


def test_invalid_credit_code_for_org(store, profile, make_draft):
    code = make_credit_code("91310120MA1FL0000")
    bad = code[:17] + ("0" if code[17] != "0" else "1")
    with pytest.raises(DraftInvalid) as exc:
        cases.create_case(store, profile, make_draft(party_kind="org", party_id_number=bad), now=NOW)
    assert exc.value.fields == {"party_id_number"} and "统一社会信用代码" in exc.value.message
    rec = cases.create_case(store, profile, make_draft(party_kind="org", party_id_number=code.lower()), now=NOW)
    assert rec.values["party_id_number"] == code and rec.values["party_sex"] is None


def test_missing_mandatory_fields_are_all_named(store, profile, make_draft):
    before = counts(store)
    draft = make_draft(source="", cause="  ", category="", party_name="", place="", occurred_at=None)
    with pytest.raises(DraftInvalid) as exc:
        cases.create_case(store, profile, draft, now=NOW)
    assert exc.value.fields == {"source", "cause", "category", "party_name", "place", "occurred_at"}
    for label in ("案件来源", "案由", "案件类别", "当事人姓名/名称", "案发地点", "案发时间"):
        assert label in exc.value.message
    assert counts(store) == before


@pytest.mark.parametrize("overrides, field, words", [
    (dict(occurred_at=datetime(2026, 3, 11, 8)), "occurred_at", "晚于今天"),
    (dict(proposed_amount="12.345"), "proposed_amount", "两位小数"),
    (dict(proposed_amount="-5"), "proposed_amount", "0 至 999999999999.99 元"),
    (dict(proposed_amount="123456789012345678.91"), "proposed_amount", "0 至 999999999999.99 元"),
    (dict(officers=[Officer("王磊", "31200001"), Officer("陈静", "31200001")]), "officers", "重复"),
    (dict(officers=[Officer("王磊", "")]), "officers", "执法证号"),
    (dict(party_kind="robot"), "party_kind", "个人"),
])
def test_other_validation_errors(store, profile, make_draft, overrides, field, words):
    before = counts(store)
    with pytest.raises(DraftInvalid) as exc:
        cases.create_case(store, profile, make_draft(**overrides), now=NOW)
    assert field in exc.value.fields and words in exc.value.message
    assert counts(store) == before


# -- create -------------------------------------------------------------------------------------------------------

def test_create_writes_case_audit_and_outbox_together(store, profile, make_draft):
    before = counts(store)
    rec = cases.create_case(store, profile, make_draft(proposed_amount="5,000.50"), now=NOW)
    after = counts(store)
    assert after["cases"] == before["cases"] + 1
    assert after["audit_log"] == before["audit_log"] + 1
    assert after["outbox"] == before["outbox"] + 1
    assert after["case_officers"] == before["case_officers"] + 2

    assert rec.number == "奉南桥综执立〔2026〕0001号" and rec.status == CaseStatus.CLUE and rec.version == 1
    assert rec.opened_on == NOW.date() and rec.values["proposed_amount"] == Decimal("5000.50")
    assert rec.values["party_sex"] == "男"  # sequence 123: odd 17th digit
    assert rec.values["party_birth_date"] == date(1985, 6, 15)

    (entry,) = outbox_rows(store)
    assert entry.name == "create_case" and entry.state == "pending"
    assert entry.args["case_id"] == rec.id and entry.args["number"] == rec.number
    assert entry.args["town_code"] == "nanqiao"
    assert entry.args["fields"]["facts"] == make_draft().facts
    assert entry.args["fields"]["proposed_amount"] == "5000.50"
    assert entry.args["officers"] == [["王磊", "31200001"], ["陈静", "31200002"]]
    (event,) = cases.timeline(store, rec.id)
    assert event.action == "create" and event.detail["number"] == rec.number

    reloaded = cases.get_case(store, rec.id)
    assert reloaded == rec


def test_failed_transaction_leaves_no_case_audit_or_serial(store, profile, make_draft, monkeypatch):
    """The outbox write fails after the case and audit rows were added: all of it rolls back, serial included."""
    before = counts(store)

    def broken(*args, **kwargs):
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr(cases.outbox, "enqueue", broken)
    with pytest.raises(RuntimeError):
        cases.create_case(store, profile, make_draft(), now=NOW)
    assert counts(store) == before
    monkeypatch.undo()
    rec = cases.create_case(store, profile, make_draft(), now=NOW)
    assert rec.number.endswith("〔2026〕0001号")


def test_case_for_other_or_unknown_town_is_refused(store, profile, make_draft):
    before = counts(store)
    with pytest.raises(DomainError) as exc:
        cases.create_case(store, TOWN_B, make_draft(), town_code="nanqiao", now=NOW)
    assert exc.value.field == "town"
    with pytest.raises(DomainError) as exc:
        cases.create_case(store, DISPATCHER, make_draft(), town_code="atlantis", now=NOW)
    assert exc.value.field == "town" and "atlantis" in exc.value.message
    with pytest.raises(DomainError) as exc:
        cases.create_case(store, DISPATCHER, make_draft(), now=NOW)
    assert exc.value.field == "town"
    assert counts(store) == before
    rec = cases.create_case(store, DISPATCHER, make_draft(), town_code="fengcheng", now=NOW)
    assert rec.town_code == "fengcheng" and rec.number == "奉奉城综执立〔2026〕0001号"


# -- numbering ----------------------------------------------------------------------------------------------------

def test_serials_are_gap_free_per_town_and_year(store, profile, make_draft):
    made = []

    def new(actor, when):
        made.append(cases.create_case(store, actor, make_draft(), now=when).number)

    new(profile, datetime(2026, 1, 2, 9))
    new(TOWN_B, datetime(2026, 1, 2, 9))
    with pytest.raises(DraftInvalid):  # a refused draft uses no number
        cases.create_case(store, profile, make_draft(party_name=""), now=datetime(2026, 1, 3, 9))
    new(profile, datetime(2026, 1, 3, 9))
    new(profile, datetime(2026, 6, 1, 9))
    new(TOWN_B, datetime(2026, 7, 1, 9))
    new(profile, datetime(2027, 1, 4, 9))
    new(profile, datetime(2027, 1, 5, 9))
    assert made == [
        "奉南桥综执立〔2026〕0001号", "奉奉城综执立〔2026〕0001号", "奉南桥综执立〔2026〕0002号",
        "奉南桥综执立〔2026〕0003号", "奉奉城综执立〔2026〕0002号", "奉南桥综执立〔2027〕0001号",
        "奉南桥综执立〔2027〕0002号",
    ]
    with store.sessions() as s:
        serials = {(r.scope, r.year): r.next_serial for r in s.execute(select(Serial)).scalars()}
    assert serials == {("nanqiao", 2026): 4, ("fengcheng", 2026): 3, ("nanqiao", 2027): 3}


# -- update -------------------------------------------------------------------------------------------------------

def test_update_records_only_changed_fields(store, profile, make_draft):
    rec = cases.create_case(store, profile, make_draft(), now=NOW)
    draft = rec.draft()
    draft.facts = "当事人擅自搭建违建约45平方米。"
    draft.place = "奉贤区解放东路102号"
    draft.proposed_amount = "3000"
    updated = cases.update_case(store, profile, rec.id, draft, base_version=1, now=NOW.replace(hour=15))
    assert updated.version == 2
    assert updated.values["facts"] == draft.facts and updated.values["place"] == draft.place
    entry = outbox_rows(store)[-1]
    assert entry.name == "update_case" and entry.args["case_id"] == rec.id and entry.args["base_version"] == 1
    assert entry.args["changed_fields"] == {"facts": draft.facts, "place": draft.place, "proposed_amount": "3000.00"}
    assert entry.args["base"] == {"facts": rec.values["facts"], "place": rec.values["place"], "proposed_amount": None}
    event = cases.timeline(store, rec.id)[-1]
    assert event.action == "update" and set(event.detail["changes"]) == {"facts", "place", "proposed_amount"}
    row = case_row(store, rec.id)
    assert row["version"] == 2 and row["updated_at"] == NOW.replace(hour=15)


def test_update_of_id_number_carries_derived_fields_and_officers(store, profile, make_draft):
    from fx_desktop.domain.identifiers import make_citizen_id

    rec = cases.create_case(store, profile, make_draft(), now=NOW)
    draft = rec.draft()
    draft.party_id_number = make_citizen_id("310120", date(1990, 2, 3), 124)  # even 17th digit: 女
    draft.officers = [Officer("王磊", "31200001"), Officer("赵强", "31200009")]
    cases.update_case(store, profile, rec.id, draft, base_version=1, now=NOW)
    changed = outbox_rows(store)[-1].args["changed_fields"]
    assert set(changed) == {"party_id_number", "party_sex", "party_birth_date", "officers"}
    assert changed["party_birth_date"] == "1990-02-03"
    assert changed["officers"] == [["王磊", "31200001"], ["赵强", "31200009"]]
    assert [o.cert_no for o in cases.get_case(store, rec.id).officers] == ["31200001", "31200009"]


def test_update_without_changes_writes_nothing(store, profile, make_draft):
    rec = cases.create_case(store, profile, make_draft(proposed_amount="500"), now=NOW)
    before = counts(store)
    same = cases.update_case(store, profile, rec.id, rec.draft(), base_version=1, now=NOW)
    assert same.version == 1 and counts(store) == before


def test_stale_base_version_is_refused(store, profile, make_draft):
    rec = cases.create_case(store, profile, make_draft(), now=NOW)
    first = rec.draft()
    first.facts = "第一次修改"
    cases.update_case(store, profile, rec.id, first, base_version=1, now=NOW)
    before, row = counts(store), case_row(store, rec.id)
    second = rec.draft()
    second.facts = "基于旧版本的修改"
    with pytest.raises(DomainError, match="重新打开"):
        cases.update_case(store, profile, rec.id, second, base_version=1, now=NOW)
    assert counts(store) == before and case_row(store, rec.id) == row


def test_terminal_case_cannot_be_edited(store, profile, make_draft):
    rec = cases.create_case(store, profile, make_draft(), now=NOW)
    rec = cases.change_status(store, profile, rec.id, "not_file", expected_status=CaseStatus.CLUE, now=NOW)
    draft = rec.draft()
    draft.facts = "改不了"
    with pytest.raises(DomainError, match="不予立案"):
        cases.update_case(store, profile, rec.id, draft, base_version=rec.version, now=NOW)


# -- status -------------------------------------------------------------------------------------------------------

def test_officer_cannot_file(store, profile, make_draft):
    rec = cases.create_case(store, profile, make_draft(), now=NOW)
    before = counts(store)
    with pytest.raises(DomainError) as exc:
        cases.change_status(store, OFFICER, rec.id, "file", expected_status=CaseStatus.CLUE, now=NOW)
    assert "执法队员" in exc.value.message and "中队长" in exc.value.message
    assert counts(store) == before and cases.get_case(store, rec.id).status == CaseStatus.CLUE
    assert [t.action for t in cases.available_actions(rec, OFFICER, ReviewRules())] == []
    assert {t.action for t in cases.available_actions(rec, profile, ReviewRules())} == {"file", "not_file", "refer"}


def test_filing_needs_two_officers(store, profile, make_draft):
    rec = cases.create_case(store, profile, make_draft(officers=[Officer("王磊", "31200001")]), now=NOW)
    before = counts(store)
    with pytest.raises(DomainError) as exc:
        cases.change_status(store, profile, rec.id, "file", expected_status=CaseStatus.CLUE, now=NOW)
    assert exc.value.field == "officers" and "至少两名" in exc.value.message
    assert counts(store) == before
    row = case_row(store, rec.id)
    assert row["status"] == "clue" and row["filed_on"] is None and row["decision_due"] is None


@pytest.mark.parametrize("filed, due", [
    (datetime(2026, 3, 10, 9), date(2026, 6, 8)),
    # 90 days land on 1 October, inside the National Day holiday (10-1..10-7): the first working day after it.
    (datetime(2026, 7, 3, 16), date(2026, 10, 8)),
])
def test_filing_sets_dates_and_writes_audit_and_outbox(store, profile, make_draft, filed, due):
    rec = cases.create_case(store, profile, make_draft(), now=datetime(2026, 3, 1, 9))
    before = counts(store)
    out = cases.change_status(store, profile, rec.id, "file", expected_status=CaseStatus.CLUE, now=filed)
    assert out.status == CaseStatus.FILED and out.version == 2
    assert out.filed_on == filed.date() and out.decision_due == due == decision_deadline(filed.date(), calendar=official_calendar())
    after = counts(store)
    assert after["audit_log"] == before["audit_log"] + 1 and after["outbox"] == before["outbox"] + 1
    entry = outbox_rows(store)[-1]
    assert entry.name == "transition_case"
    assert entry.args == {"case_id": rec.id, "action": "file", "expected_state": "clue"}


def test_status_change_checks_expected_status_and_lifecycle(store, profile, make_draft):
    rec = cases.create_case(store, profile, make_draft(), now=NOW)
    with pytest.raises(DomainError, match="刷新"):
        cases.change_status(store, profile, rec.id, "start_investigation", expected_status=CaseStatus.FILED, now=NOW)
    with pytest.raises(DomainError, match="不能执行"):
        cases.change_status(store, profile, rec.id, "decide", expected_status=CaseStatus.CLUE, now=NOW)
    rec = cases.change_status(store, profile, rec.id, "file", expected_status=CaseStatus.CLUE, now=NOW)
    for action in ("start_investigation", "close_investigation", "notify"):
        rec = cases.change_status(store, OFFICER, rec.id, action, expected_status=rec.status, now=NOW)
    assert rec.status == CaseStatus.NOTIFIED
    decided = cases.change_status(store, profile, rec.id, "decide", expected_status=rec.status,
                                  now=datetime(2026, 4, 1, 9))
    assert case_row(store, rec.id)["decided_on"] == date(2026, 4, 1) and decided.version == 6
    assert [e.detail["to"] for e in cases.timeline(store, rec.id)[1:]] == [
        "filed", "investigating", "investigation_closed", "notified", "decided"]


def test_other_town_cannot_modify(store, profile, make_draft):
    rec = cases.create_case(store, profile, make_draft(), now=NOW)
    before, row = counts(store), case_row(store, rec.id)
    draft = rec.draft()
    draft.facts = "越权修改"
    with pytest.raises(DomainError, match="无权修改"):
        cases.update_case(store, TOWN_B, rec.id, draft, base_version=1, now=NOW)
    with pytest.raises(DomainError, match="无权修改"):
        cases.change_status(store, TOWN_B, rec.id, "file", expected_status=CaseStatus.CLUE, now=NOW)
    assert counts(store) == before and case_row(store, rec.id) == row


def test_missing_case(store, profile, make_draft):
    with pytest.raises(DomainError, match="找不到该案件"):
        cases.get_case(store, "no-such-id")
    with pytest.raises(DomainError, match="找不到该案件"):
        cases.update_case(store, profile, "no-such-id", make_draft(), base_version=1)


# -- profile ------------------------------------------------------------------------------------------------------

def test_profile_round_trip_and_checks(store):
    assert load_profile(store) is None
    with pytest.raises(DomainError) as exc:
        save_profile(store, name="  ", role=Role.OFFICER, town_code="nanqiao")
    assert exc.value.field == "name"
    with pytest.raises(DomainError) as exc:
        save_profile(store, name="王磊", role=Role.OFFICER, town_code=None)
    assert exc.value.field == "org" and "单位" in exc.value.message
    with pytest.raises(DomainError) as exc:
        save_profile(store, name="王磊", role=Role.OFFICER, town_code="atlantis")
    assert exc.value.field == "town"
    first = save_profile(store, name=" 王磊 ", role=Role.OFFICER, town_code="nanqiao")
    assert load_profile(store) == first and first.name == "王磊"
    second = save_profile(store, name="王磊", role=Role.SQUAD_LEADER, town_code="nanqiao")
    assert second.user_id == first.user_id and load_profile(store).role is Role.SQUAD_LEADER
    dispatcher = save_profile(store, name="周敏", role=Role.BUREAU_DISPATCHER, town_code=None)
    assert dispatcher.town_code is None


def test_an_edit_made_while_sync_changed_other_fields_is_laid_over_the_newer_case(store, profile, make_draft):
    rec = cases.create_case(store, profile, make_draft(), now=NOW)
    meanwhile = rec.draft()  # a sync lands while the editor is open: another field changes
    meanwhile.facts = "服务器上补充的事实。"
    cases.update_case(store, profile, rec.id, meanwhile, base_version=rec.version, now=NOW)
    mine = rec.draft()
    mine.place = "奉贤区南奉公路8号"
    saved = cases.update_case(store, profile, rec.id, mine, base_version=rec.version, loaded=rec, now=NOW)
    assert saved.values["place"] == "奉贤区南奉公路8号"
    assert saved.values["facts"] == "服务器上补充的事实。"  # not reverted by the older text in the editor
    entry = outbox_rows(store)[-1]
    assert set(entry.args["changed_fields"]) == {"place"}
    clash = rec.draft()
    clash.facts = "我写的另一种事实。"
    with pytest.raises(DomainError) as exc:
        cases.update_case(store, profile, rec.id, clash, base_version=rec.version, loaded=rec, now=NOW)
    assert exc.value.field == "facts" and "服务器上补充的事实" in exc.value.message
