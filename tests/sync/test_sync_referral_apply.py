"""Pulled referral rows applied to a real SQLite store with hand-made pages (no server): upsert, a pending step
replayed over the server's row, a pending step that no longer applies kept pending, tombstones, the digest over
cases and referrals, and a full resync that drops what the user's organisation may no longer see."""
from datetime import date, datetime

import pytest
from sqlalchemy import select

from fx_desktop.domain import referral as rf
from fx_desktop.domain.case_draft import to_json_value
from fx_desktop.domain.case_fields import EDITABLE_COLUMNS
from fx_desktop.domain.roles import Role
from fx_desktop.paths import DataPaths
from fx_desktop.services import cases, referrals
from fx_desktop.services.profile import Profile
from fx_desktop.store import open_store, outbox
from fx_desktop.store.models import Case, OutboxEntry, Referral
from fx_desktop.sync.apply import apply_page
from fx_desktop.sync.digest import digest_of, local_digest
from fx_desktop.sync.engine import SyncEngine
from fx_desktop.sync.kinds import APPLIERS, KINDS
from tests.support.people import Person

NOW = datetime(2026, 3, 10, 9, 0)
LEADER = Profile("u-leader", "张伟", Role.SQUAD_LEADER, "nanqiao")


LIAISON = Person("u-liaison", "周敏", Role.DEPARTMENT_LIAISON, None, "sthj")
ACTOR = rf.Actor("张伟", Role.SQUAD_LEADER, "nanqiao")
DEPT = rf.Actor("周敏", Role.DEPARTMENT_LIAISON, "sthj")


def state(referral_id="r-1", case_id="c-1", owner="nanqiao", receiving="sthj") -> dict:
    case = {"id": case_id, "status": "filed", "number": "奉南桥综执立〔2026〕0001号", "town_code": owner,
            "facts": "占道经营", "evidence": [{"id": "e-1", "name": "照片.jpg"}]}
    from fx_desktop.domain.organisations import Organisation, OrgKind

    return rf.submit({"referral_id": referral_id, "number": "奉南桥综执移〔2026〕0001号", "reason": "不属本单位管辖",
                      "legal_basis": "第二十五条", "summary": "占道经营",
                      "materials": [{"title": "照片", "pages": 1, "evidence_id": "e-1"}],
                      "contact": {"name": "张伟", "phone": "57420000"}},
                     case=case, owner=Organisation(owner, owner, owner, OrgKind.TOWN),
                     receiving=Organisation(receiving, receiving, receiving, OrgKind.DEPARTMENT),
                     actor=rf.Actor(ACTOR.name, ACTOR.role, owner),
                     at=NOW, calendar=None, rules=rf.ReferralRules())


def row(data: dict, version: int, seq: int | None = None) -> dict:
    return {"type": "referral", "seq": seq or version, "id": data["id"], "version": version,
            "owner_org": data["owner_org"], "receiving_org": data["receiving_org"], "case_id": data["case_id"],
            "number": data["number"], "status": data["status"], "updated_at": NOW.isoformat(), "data": data}


def pull(store, changes, cursor="e:1"):
    with store.writes.begin() as s:
        return apply_page(s, changes, cursor, cursor_key="sync.cursor:x", actor="sync", now=NOW)


@pytest.fixture
def dept(tmp_path):
    opened = open_store(DataPaths.at(tmp_path / "dept"))
    yield opened
    opened.close()


def local(store, referral_id="r-1") -> Referral:
    with store.sessions() as s:
        return s.get(Referral, referral_id)


def pending_names(store) -> list[str]:
    with store.sessions() as s:
        return [e.name for e in outbox.pending(s, owner="u-liaison")]


def test_the_registry_dispatches_every_pulled_type():
    assert list(APPLIERS) == ["case", "legal_review", "referral", "police_request", "criminal_referral", "meeting",
                              "consultation_item", "supervision", "roster_entry", "conflict", "tombstone", "reference"]
    assert set(KINDS) == {"case", "legal_review", "referral", "police_request", "criminal_referral", "meeting",
                          "consultation_item", "supervision", "roster_entry"}


def test_a_pulled_referral_is_stored_and_a_newer_version_replaces_it(dept):
    first = state()
    result = pull(dept, [row(first, 1)])
    assert result.referrals == 1 and result.received == 1
    got = local(dept)
    assert (got.status, got.server_version, got.version, got.next_due) == ("submitted", 1, 1, date(2026, 3, 13))
    assert got.data == first and got.case_id == "c-1"
    signed = rf.sign(first, {"received_on": "2026-03-10", "materials_match": True}, actor=DEPT, at=NOW,
                     calendar=None, rules=rf.ReferralRules())
    pull(dept, [row(signed, 2)], "e:2")
    got = local(dept)
    assert (got.status, got.server_version, got.version) == ("received", 2, 2)
    assert got.next_due == date.fromisoformat(signed["result_due"])


def test_a_pending_sign_is_replayed_over_the_servers_newer_row(dept):
    first = state()
    pull(dept, [row(first, 1)])
    referrals.sign(dept, LIAISON, "r-1", received_on="2026-03-10", signed_by="周敏", materials_match=True, now=NOW)
    # the server's row moved on meanwhile without the receipt (the town corrected the number, say)
    server = {**first, "number": "奉南桥综执移〔2026〕0007号"}
    result = pull(dept, [row(server, 2)], "e:2")
    assert result.rebased == ["r-1"]
    got = local(dept)
    assert got.status == "received" and got.data["receipt"]["by"] == "周敏"  # the local step stands on top
    assert got.number == "奉南桥综执移〔2026〕0007号" == got.data["number"]  # the server's number
    assert got.server_version == 2 and pending_names(dept) == ["sign_referral"]


def test_a_pending_step_that_no_longer_applies_stays_pending(dept):
    first = state()
    pull(dept, [row(first, 1)])
    referrals.sign(dept, LIAISON, "r-1", received_on="2026-03-10", signed_by="周敏", materials_match=True, now=NOW)
    withdrawn = rf.withdraw(first, {"reason": "当事人已整改"}, actor=ACTOR, at=NOW)
    result = pull(dept, [row(withdrawn, 2)], "e:2")
    assert result.rebased == ["r-1"]
    got = local(dept)
    assert got.status == "withdrawn" and got.data["receipt"] is None  # the server's state, the sign left out
    assert pending_names(dept) == ["sign_referral"]  # not lost: the server will reject it with its reason


def test_a_tombstone_deletes_a_referral_unless_a_step_waits_for_it(dept):
    pull(dept, [row(state("r-1"), 1), row(state("r-2", "c-2"), 1, 2)])
    referrals.sign(dept, LIAISON, "r-2", received_on="2026-03-10", signed_by="周敏", materials_match=True, now=NOW)
    result = pull(dept, [{"type": "tombstone", "seq": 3, "entity": "referral", "id": "r-1"},
                         {"type": "tombstone", "seq": 4, "entity": "referral", "id": "r-2"}], "e:4")
    assert result.deleted == 1 and local(dept, "r-1") is None and local(dept, "r-2") is not None


def test_the_digest_covers_cases_and_referrals_and_a_department_is_not_filtered_by_town(store, dept, make_draft):
    pull(dept, [row(state("r-b"), 3), row(state("r-a", "c-2", owner="fengcheng"), 1, 4)])
    with dept.sessions() as s:
        assert local_digest(s, None) == {"count": 2, "hash": digest_of([("r-a", 1), ("r-b", 3)])}
    made = cases.create_case(store, LEADER, make_draft(), now=NOW)
    with store.writes.begin() as s:
        s.execute(select(Case).where(Case.id == made.id)).scalar_one().server_version = 5
    pull(store, [row(state("r-z", made.id), 2)])
    with store.sessions() as s:
        assert local_digest(s, "nanqiao") == {"count": 2, "hash": digest_of(sorted([(made.id, 5), ("r-z", 2)]))}
        assert local_digest(s, "fengcheng")["count"] == 1  # the referral only: cases of another town left out
        assert local_digest(s, ())["count"] == 1 and local_digest(s, ("nanqiao", "x"))["count"] == 2
        assert local_digest(s, None)["count"] == 2


class SnapshotServer:
    """A stand-in for fx-bureau's pull during a full resync: one page, the snapshot, for organisation `org`."""

    def __init__(self, changes, org):
        self.changes, self.org = changes, org

    def pull(self, cursor, limit):
        return {"cursor": "e2:9", "reset": True, "more": False, "changes": self.changes, "last_mutation_id": 0}

    def digest(self):
        return {"cursor": "e2:9", "count": 0, "hash": ""}

    def me(self):
        return {"org_code": self.org, "org_kind": "department", "town_code": None}


def test_a_reset_drops_rows_no_longer_visible_and_keeps_pending_and_still_visible_ones(dept):
    from fx_desktop.sync.account import Account

    kept, gone, waiting, theirs = state("r-kept"), state("r-gone", "c-2"), state("r-wait", "c-3"), \
        state("r-new", "c-4", receiving="sw")
    pull(dept, [row(kept, 1, 1), row(gone, 1, 2), row(waiting, 1, 3)])
    referrals.sign(dept, LIAISON, "r-wait", received_on="2026-03-10", signed_by="周敏", materials_match=True,
                   now=NOW)
    # the user moved from 区生态环境局 (sthj) to 区水务局 (sw): the snapshot holds what sw sees
    account = Account("http://x", "u-liaison", "周敏", Role.DEPARTMENT_LIAISON, None, "cid")
    engine = SyncEngine(dept, SnapshotServer([row(theirs, 1, 5)], "sw"), account)
    from fx_desktop.sync.engine import SyncReport

    report = SyncReport()
    engine.full_resync(report)
    with dept.sessions() as s:
        left = {r.id: r.server_version for r in s.execute(select(Referral)).scalars()}
    assert left == {"r-new": 1, "r-wait": None}  # sthj's rows gone, the one with a pending step kept
    assert report.deleted == 2 and any("已保留在本机" in w for w in report.warnings)
    assert pending_names(dept) == ["sign_referral"]


def test_a_reset_keeps_rows_still_visible_that_the_server_lost(dept):
    from fx_desktop.sync.account import Account
    from fx_desktop.sync.engine import SyncReport

    pull(dept, [row(state("r-1"), 1)])
    account = Account("http://x", "u-liaison", "周敏", Role.DEPARTMENT_LIAISON, None, "cid")
    report = SyncReport()
    SyncEngine(dept, SnapshotServer([], "sthj"), account).full_resync(report)
    assert local(dept).server_version is None and report.deleted == 0  # restored server: kept, reported
    assert any("已保留在本机" in w for w in report.warnings)


def test_a_pending_submit_keeps_the_case_referred_when_the_case_is_pulled(store, make_draft):
    made = cases.create_case(store, LEADER, make_draft(), now=NOW)
    status = cases.change_status(store, LEADER, made.id, "file", expected_status="clue", now=NOW).status
    form = referrals.prepare(store, LEADER, made.id)
    form.update(receiving_org="sthj", reason="不属本单位管辖", legal_basis="第二十五条",
                contact={"name": "张伟", "phone": "57420000"}, materials=[{"title": "笔录", "pages": 2}])
    record = referrals.submit(store, LEADER, made.id, form, now=NOW)
    with store.sessions() as s:
        case = s.execute(select(Case).where(Case.id == made.id)).scalar_one()
        fields = {k: to_json_value(getattr(case, k)) for k in EDITABLE_COLUMNS}
    server_case = {"type": "case", "seq": 1, "id": made.id, "number": case.number, "town_code": "nanqiao",
                   "status": str(status), "version": 2, "fields": fields, "officers": [["王磊", "31200001"]],
                   "evidence": [], "reviews": [], "opened_on": "2026-03-10", "updated_at": NOW.isoformat()}
    pull(store, [server_case])
    assert cases.get_case(store, made.id).status == "referred"
    with store.sessions() as s:
        assert s.execute(select(OutboxEntry).where(OutboxEntry.record_id == record.id)).scalar_one().state == "pending"


def test_the_push_answer_replaces_the_provisional_number_at_once(store, make_draft):
    import json

    from fx_desktop.store import meta
    from fx_desktop.sync.engine import _answers_applied

    made = cases.create_case(store, LEADER, make_draft(), now=NOW)
    with store.writes.begin() as s:
        meta.put(s, "sync.account", json.dumps({"username": "u-leader"}))
    form = referrals.prepare(store, LEADER, made.id)
    form.update(receiving_org="sthj", reason="不属本单位管辖", legal_basis="第二十五条",
                contact={"name": "张伟", "phone": "57420000"}, materials=[{"title": "笔录", "pages": 2}])
    record = referrals.submit(store, LEADER, made.id, form, now=NOW)
    assert record.provisional
    with store.writes.begin() as s:
        entries = outbox.pending(s, owner="u-leader")
        answers = [{"id": e.seq, "result": "applied", "detail": {"number": "奉南桥综执立〔2026〕0009号"}}
                   for e in entries if e.kind == "case"]  # a case's answer changes nothing here
        answers.append({"id": entries[-1].seq, "result": "applied",
                        "detail": {"number": "奉南桥综执移〔2026〕0042号", "provisional": record.number}})
        _answers_applied(s, "u-leader", answers)
    got = referrals.get(store, record.id)
    assert got.number == "奉南桥综执移〔2026〕0042号" == got.data["number"] and not got.provisional
    assert cases.get_case(store, made.id).number == made.number
