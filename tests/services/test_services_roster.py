"""The roster of officers (人员与执法证) on real SQLite stores: add, update and retire write the row, an audit entry
and an outbox mutation in one transaction; refusals save nothing; the case's services refuse to file a case (or
put an officer on a filed case) whose certificate has expired; a pulled entry is applied and rebased over this
device's pending steps; the training record reads the meetings table when it exists."""
from datetime import date, datetime

import pytest
from sqlalchemy import func, select, text

from fx_desktop.domain.case_draft import Officer
from fx_desktop.domain.errors import DomainError
from fx_desktop.domain.lifecycle import CaseStatus
from fx_desktop.domain.roles import Role
from fx_desktop.domain.roster import CertState
from fx_desktop.services import cases, roster
from fx_desktop.services.profile import Profile
from fx_desktop.store.models import AuditEntry, OutboxEntry, RosterEntry
from fx_desktop.sync.apply import apply_page

NOW = datetime(2026, 11, 30, 9, 0)
STAFF = Profile("u-staff", "倪内勤", Role.OFFICE_STAFF, "nanqiao")
LEADER = Profile("u-leader", "张伟", Role.SQUAD_LEADER, "nanqiao")
OFFICER = Profile("u-officer", "李娜", Role.OFFICER, "nanqiao")
OTHER = Profile("u-other", "王强", Role.SQUAD_LEADER, "fengcheng")
BUREAU = Profile("u-bureau", "刁建", Role.BUREAU_DISPATCHER, None)


def form(**over):
    return {"name": "王磊", "cert_no": "31200001", "issuer": "上海市人民政府", "issued_on": "2023-01-01",
            "expires_on": "2028-01-01", "post": "执法队员", "phone": "13812345678", **over}


def counts(store) -> dict:
    with store.sessions() as s:
        return {m.__name__: s.execute(select(func.count()).select_from(m)).scalar_one()
                for m in (RosterEntry, OutboxEntry, AuditEntry)}


def test_add_update_retire_write_row_audit_and_outbox(store):
    made = roster.add(store, STAFF, form(), now=NOW)
    assert made.name == "王磊" and made.state is CertState.VALID and not made.synced
    with store.sessions() as s:
        entry = s.execute(select(OutboxEntry)).scalars().one()
        assert (entry.name, entry.kind, entry.record_id, entry.case_id) == ("add_roster_entry", "roster_entry",
                                                                              made.id, None)
        assert entry.args["entry_id"] == made.id and entry.args["expires_on"] == "2028-01-01"
        log = s.execute(select(AuditEntry)).scalars().one()
        assert (log.action, log.kind, log.record_id, log.detail["org"]) == ("add_roster_entry", "roster_entry",
                                                                            made.id, "nanqiao")
    soon = roster.update(store, LEADER, made.id, {"expires_on": date(2026, 12, 20)}, now=NOW)
    assert soon.state is CertState.EXPIRING and soon.days_left == 20
    gone = roster.retire(store, STAFF, made.id, "调离", now=NOW)
    assert not gone.active and gone.data["retired"]["reason"] == "调离"
    assert counts(store) == {"RosterEntry": 1, "OutboxEntry": 3, "AuditEntry": 3}
    assert roster.entries(store, STAFF, today=NOW.date()) == []
    assert [e.id for e in roster.entries(store, STAFF, today=NOW.date(), include_retired=True)] == [made.id]


def test_refusals_save_nothing(store):
    roster.add(store, STAFF, form(), now=NOW)
    before = counts(store)
    for actor, data, words in ((OFFICER, form(cert_no="31200009"), "内勤或中队长"),
                               (STAFF, form(cert_no="31200001", name="另一人"), "已在人员名单中"),
                               (STAFF, form(cert_no="31200009", expires_on=""), "有效期至"),
                               (BUREAU, form(cert_no="31200009"), "只能查看")):
        with pytest.raises(DomainError, match=words):
            roster.add(store, actor, data, now=NOW)
    made = roster.entries(store, STAFF, today=NOW.date())[0]
    with pytest.raises(DomainError, match="不属于您所在的街镇"):
        roster.update(store, OTHER, made.id, {"phone": "13900000000"}, now=NOW)
    assert counts(store) == before
    assert roster.may_edit(STAFF) and roster.may_edit(LEADER) and not roster.may_edit(OFFICER)
    assert not roster.may_edit(BUREAU)


def test_the_town_sees_its_own_the_bureau_all(store):
    roster.add(store, STAFF, form(), now=NOW)
    roster.add(store, OTHER, form(cert_no="31209999", name="丰城人"), now=NOW)
    assert [e.name for e in roster.entries(store, STAFF, today=NOW.date())] == ["王磊"]
    assert sorted(e.name for e in roster.entries(store, BUREAU, today=NOW.date())) == ["丰城人", "王磊"]
    assert [e.name for e in roster.officer_choices(store, "nanqiao", today=NOW.date())] == ["王磊"]


def test_filing_with_an_expired_certificate_is_refused_on_the_client(store, make_draft):
    roster.add(store, STAFF, form(name="过期人", cert_no="39000001", issued_on="2020-01-01",
                                  expires_on="2026-11-29"), now=NOW)
    made = cases.create_case(store, LEADER, make_draft(officers=[Officer("王磊", "31200001"),
                                                                  Officer("过期人", "39000001")]), now=NOW)
    before = counts(store)
    with pytest.raises(DomainError) as exc:
        cases.change_status(store, LEADER, made.id, "file", expected_status=CaseStatus.CLUE, now=NOW)
    assert "过期人" in exc.value.message and "39000001" in exc.value.message and "2026-11-29" in exc.value.message
    assert counts(store) == before and cases.get_case(store, made.id).status is CaseStatus.CLUE
    # on its last valid day the certificate still files the case
    done = cases.change_status(store, LEADER, made.id, "file", expected_status=CaseStatus.CLUE,
                               now=datetime(2026, 11, 29, 17, 0))
    assert done.status is CaseStatus.FILED


def test_an_expired_officer_is_not_put_on_a_filed_case(store, make_draft):
    roster.add(store, STAFF, form(name="旧证", cert_no="39000002", issued_on="2020-01-01",
                                  expires_on="2026-11-01"), now=NOW)
    made = cases.create_case(store, LEADER, make_draft(), now=NOW)  # officers not on the roster: allowed
    filed = cases.change_status(store, LEADER, made.id, "file", expected_status=CaseStatus.CLUE, now=NOW)
    draft = filed.draft()
    draft.officers = [Officer("王磊", "31200001"), Officer("旧证", "39000002")]
    with pytest.raises(DomainError, match="旧证"):
        cases.update_case(store, LEADER, made.id, draft, base_version=filed.version, now=NOW)
    draft.officers = [Officer("王磊", "31200001"), Officer("陈静", "31200002")]
    draft.place = "别处"
    assert cases.update_case(store, LEADER, made.id, draft, base_version=filed.version, now=NOW).values["place"] \
        == "别处"


def pulled(entry_id: str, data: dict, version: int) -> dict:
    return {"type": "roster_entry", "seq": version, "id": entry_id, "version": version, "owner_org": "nanqiao",
            "name": data["name"], "cert_no": data["cert_no"], "expires_on": data["expires_on"],
            "active": data["active"], "updated_at": NOW.isoformat(), "data": data}


def test_a_pulled_entry_is_applied_and_rebased_over_pending_steps(store):
    made = roster.add(store, STAFF, form(), now=NOW)
    with store.writes.begin() as s:  # the add was pushed: only the later step waits
        s.execute(text("UPDATE outbox SET state = 'done'"))
    roster.update(store, STAFF, made.id, {"phone": "13900000000"}, now=NOW)
    server = {**made.data, "expires_on": "2030-06-30"}  # another device renewed the certificate meanwhile
    with store.writes.begin() as s:
        result = apply_page(s, [pulled(made.id, server, 2)], "e:1", cursor_key="sync.cursor:x", actor="sync",
                            now=NOW)
    assert made.id in result.rebased
    got = roster.get(store, made.id, today=NOW.date())
    assert got.expires_on == "2030-06-30" and got.data["phone"] == "13900000000"
    fresh = {**made.data, "name": "新人", "cert_no": "31200077"}
    with store.writes.begin() as s:
        apply_page(s, [pulled("00000000-0000-4000-8000-000000000001", fresh, 1)], "e:2",
                   cursor_key="sync.cursor:x", actor="sync", now=NOW)
    assert roster.get(store, "00000000-0000-4000-8000-000000000001").name == "新人"


def held_training(store, title: str, at: str, marks: dict[str, str | None], kind: str = "training"):
    """A meeting of `kind` held at `at`, its sign-in marked as `marks` says (name -> 出席 / 请假 / None)."""
    from fx_desktop.services import meetings

    m = meetings.create(store, STAFF, {"kind": kind, "title": title, "starts_at": at, "invitees": [
        {"org": "nanqiao", "name": n, "title": "队员"} for n in marks]}, now=NOW)
    keys = {p["name"]: p["key"] for p in m.data["invitees"]}
    meetings.record_attendance(store, STAFF, m.id, {keys[n]: mark for n, mark in marks.items()}, now=NOW)
    return m


def test_the_training_record_is_the_trainings_attended(store):
    assert roster.trainings(store, "王磊") == []
    first = held_training(store, "执法规范化培训", "2026-03-01T09:00", {"王磊": "出席", "李娜": "请假"})
    second = held_training(store, "安全生产培训", "2026-06-01T09:00", {"王磊": "出席"})
    held_training(store, "例会", "2026-07-01T09:00", {"王磊": "出席"}, kind="regular")  # not a training
    held_training(store, "未点名的培训", "2026-08-01T09:00", {"王磊": None})  # attendance not taken
    found = roster.trainings(store, "王磊")
    assert [(t.meeting_id, t.title) for t in found] == [(second.id, "安全生产培训"), (first.id, "执法规范化培训")]
    assert roster.trainings(store, "李娜") == [] and roster.trainings(store, " ") == []


def test_every_roster_step_reads_as_a_sentence(store):
    from fx_desktop.services.audit_text import SENTENCES

    made = roster.add(store, STAFF, form(), now=NOW)
    roster.retire(store, STAFF, made.id, "调离", now=NOW)
    with store.sessions() as s:
        entries = s.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars().all()
    said = [SENTENCES[e.action](e.actor, e.detail) for e in entries]
    assert said == ["倪内勤 在人员名单中添加了王磊（执法证号 31200001）",
                    "倪内勤 停用了人员：王磊（执法证号 31200001），原因：调离"]


def test_a_conflict_settled_with_an_expired_officer_on_a_filed_case_is_refused(store, make_draft):
    import uuid

    from fx_desktop.services.conflicts import describe_mutation, resolve_conflict
    from fx_desktop.store.models import SyncConflict

    roster.add(store, STAFF, form(name="旧证", cert_no="39000002", issued_on="2020-01-01", expires_on="2026-11-01"),
               now=NOW)
    made = cases.create_case(store, LEADER, make_draft(), now=NOW)
    cases.change_status(store, LEADER, made.id, "file", expected_status=CaseStatus.CLUE, now=NOW)
    base = [["王磊", "31200001"], ["陈静", "31200002"]]
    conflict_id = str(uuid.uuid4())
    with store.writes.begin() as s:
        s.add(SyncConflict(id=conflict_id, case_id=made.id, field="officers", base=base, mine=base,
                           theirs=[["王磊", "31200001"], ["旧证", "39000002"]], mine_by="张伟", status="open",
                           created_at=NOW))
    before = counts(store)
    with pytest.raises(DomainError, match="旧证"):
        resolve_conflict(store, LEADER, conflict_id, [["王磊", "31200001"], ["旧证", "39000002"]], now=NOW)
    assert counts(store) == before
    resolve_conflict(store, LEADER, conflict_id, base, now=NOW)  # the valid choice settles it
    assert describe_mutation("add_roster_entry", {"name": "王磊"}) == "添加执法人员：王磊"
    assert describe_mutation("retire_roster_entry", {"entry_id": "x"}) == "停用执法人员"
