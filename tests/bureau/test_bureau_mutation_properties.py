"""Property tests for the push and every mutation handler, in-process on a real SQLite file: whatever JSON a
mutation carries (right-shaped arguments with some replaced, removed or added, or anything at all), the outcome is
applied, conflict or rejected with a Chinese reason, never an exception; and the database stays consistent (every
case still passes the domain rules, the client's counter and the mutation log agree). An unexpected exception in a
handler rejects that mutation only, its partial writes undone, and is logged with its id."""
from __future__ import annotations

import json
import logging
import uuid
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from fx_bureau import push as push_mod
from fx_bureau.db import make_engine, make_sessions
from fx_bureau.models import (Blob, Case, Client, Conflict, CriminalReferral, LegalReview, MutationLog, RecordParty,
                              Referral, Supervision, User)
from fx_bureau.mutations import MUTATIONS, MutationSpec, Outcome, _clean
from fx_bureau.principal import Principal
from fx_bureau.referrals import STEP_ORG
from fx_desktop.domain import criminal_referral as cr
from fx_desktop.domain import supervision as sv
from fx_desktop.domain import referral as rf
from fx_desktop.domain.organisations import OrgDirectory
from fx_desktop.domain import legal_review as lr
from fx_desktop.domain.case_draft import clean_to_json, validate
from fx_desktop.domain.lifecycle import CaseStatus
from fx_desktop.domain.roles import Role
from tests.conftest import case_draft
from fx_bureau.schema import default_reference
from tests.support.bureau import standard

SHA = "ab" * 32
ORGS = OrgDirectory.from_reference(default_reference())


class World:
    """A seeded server database: a clue, a case waiting for legal review with its pending round, an open
    conflict, a stored blob; one client per user."""

    def __init__(self, root):
        bureau = standard("sqlite", root)
        bureau.add_user("shi", "department_liaison", "scjg", "施联络")
        bureau.add_user("sunhao", "police_liaison", "pcs_nanqiao", "孙浩")
        self.engine = make_engine(bureau.db_url)
        _reads, self.writes = make_sessions(self.engine)
        values, officers = clean_to_json(validate(case_draft()))
        self.values, self.officers = values, officers
        self.clue, self.reviewed, self.review = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
        self.conflict = str(uuid.uuid4())
        self.referred, self.referral = str(uuid.uuid4()), str(uuid.uuid4())
        now = datetime.now()
        with self.writes() as s, s.begin():
            self.principals = {}
            for user in s.execute(select(User)).scalars():
                client_id = str(uuid.uuid4())
                s.add(Client(id=client_id, user_id=user.id, device_name="t", last_mutation_id=0, created_at=now))
                kind = "town" if user.town_code else ("bureau" if user.org_code == "cgzf" else "department")
                self.principals[user.username] = Principal(user.id, user.username, user.name, Role(user.role),
                                                           user.org_code, kind, client_id)
            for case_id, number, status, reviews in (
                    (self.clue, "N-1", CaseStatus.CLUE, []),
                    (self.reviewed, "N-2", CaseStatus.LEGAL_REVIEW, [self._round(now)]),
                    (self.referred, "N-3", CaseStatus.REFERRED, [])):
                s.add(Case(id=case_id, number=number, town_code="nanqiao", status=str(status), version=1, seq=1,
                           review_passed=False, opened_on=now.date(), created_by="张伟", created_at=now,
                           updated_at=now, fields=values, officers=officers, evidence=[]))
                s.add_all(LegalReview(id=r["id"], case_id=case_id, owner_org="nanqiao", round_no=r["round_no"],
                                      status=r["status"], version=1, seq=1, data=r, created_at=now, updated_at=now)
                          for r in reviews)
            s.add(Conflict(id=self.conflict, case_id=self.clue, town_code="nanqiao", field="place", base="a",
                           mine="b", theirs=values["place"], mine_by="李娜", client_id="x", mutation_id=1,
                           status="open", created_at=now, seq=2))
            s.add(Blob(sha256=SHA, size=10, stored_at=now))
            state = rf.submit(self.valid_args("submit_referral"), case={**values, "id": self.referred,
                              "status": "clue", "number": "N-3", "town_code": "nanqiao", "evidence": []},
                              owner=ORGS.require("nanqiao"), receiving=ORGS.require("scjg"),
                              actor=rf.Actor("张伟", "squad_leader", "nanqiao"), at=now, calendar=None,
                              rules=rf.ReferralRules())
            state["id"] = self.referral
            s.add(Referral(id=self.referral, owner_org="nanqiao", receiving_org="scjg", case_id=self.referred,
                           number="R-1", status="submitted", version=1, seq=3, data=state, created_at=now,
                           updated_at=now))
            s.add(RecordParty(kind="referral", record_id=self.referral, org_code="scjg"))
            self._criminal_referral(s, now)
            self._supervision(s, now)
        bureau.close()

    def _supervision(self, s, now: datetime) -> None:
        """A supervision sheet of the town's office to scjg (fx_bureau.supervisions), signed: every step has a
        sheet to act on."""
        self.sheet = str(uuid.uuid4())
        state = sv.issue({**self.valid_args("issue_supervision"), "supervision_id": self.sheet},
                         owner=ORGS.require("nanqiao"), responsible=ORGS.require("scjg"),
                         actor=sv.Actor("张伟", "squad_leader", "nanqiao"), at=now)
        state = sv.sign(state, {}, actor=sv.Actor("施联络", "department_liaison", "scjg"), at=now)
        s.add(Supervision(id=self.sheet, owner_org="nanqiao", responsible_org="scjg", source_kind=None,
                          source_id=None, source_item=None, number="S-1", matter=state["matter"],
                          deadline=date.fromisoformat(state["deadline"]), status=state["status"], version=2, seq=5,
                          data=state, created_at=now, updated_at=now))
        s.add(RecordParty(kind="supervision", record_id=self.sheet, org_code="scjg"))

    def supervision_args(self) -> dict:
        """Supervision sheets (fx_bureau.supervisions): an issue and each step on the seeded sheet."""
        sheet = {"supervision_id": getattr(self, "sheet", str(uuid.uuid4()))}
        return {
            "issue_supervision": {"supervision_id": str(uuid.uuid4()), "responsible_org": "scjg", "matter": "整治",
                                  "deadline": (date.today() + timedelta(days=5)).isoformat(), "leader": "张",
                                  "source_kind": "meeting", "source_id": str(uuid.uuid4()), "source_item": 1,
                                  "source_text": "议定事项第一项"},
            "sign_supervision": {**sheet, "handler": "施"},
            "report_supervision": {**sheet, "text": "已办", "attachments": ["a.pdf"]},
            "ask_supervision_extension": {**sheet, "reason": "忙",
                                          "new_deadline": (date.today() + timedelta(days=30)).isoformat()},
            "decide_supervision_extension": {**sheet, "approved": True},
            "close_supervision": {**sheet, "note": "好"},
            "send_back_supervision": {**sheet, "reason": "未办完"},
            "urge_supervision": {**sheet, "note": "快"},
            "withdraw_supervision": {**sheet, "reason": "撤"},
        }

    def _criminal_referral(self, s, now: datetime) -> None:
        """A criminal referral of the case under review, sent to pcs_nanqiao (a party, like the procuratorate)."""
        self.crime = str(uuid.uuid4())
        leader = cr.Actor("张伟", "squad_leader", "nanqiao")
        case = {**self.values, "id": self.reviewed, "status": "legal_review", "number": "N-2", "town_code": "nanqiao",
                "evidence": []}
        state = cr.report({**self.valid_args("report_criminal_referral"), "criminal_referral_id": self.crime},
                          case=case, owner=ORGS.require("nanqiao"), receiving=ORGS.require("pcs_nanqiao"),
                          copy_to=ORGS.require("jcy"), actor=leader, at=now, rules=cr.CrimeRules())
        state = cr.decide(state, {"approve": True}, actor=leader, at=now, rules=cr.CrimeRules())
        state = cr.send(state, {}, actor=leader, at=now, rules=cr.CrimeRules())
        s.add(CriminalReferral(id=self.crime, owner_org="nanqiao", receiving_org="pcs_nanqiao", case_id=self.reviewed,
                               number="K-1", status=state["status"], version=1, seq=4, data=state, created_at=now,
                               updated_at=now))
        s.add_all(RecordParty(kind="criminal_referral", record_id=self.crime, org_code=org)
                  for org in state["party_orgs"])

    def _crime_args(self, name: str) -> dict:
        step = {"criminal_referral_id": getattr(self, "crime", ""), "expected_status": "sent"}
        return {
            "report_criminal_referral": {
                "criminal_referral_id": str(uuid.uuid4()), "case_id": self.reviewed, "receiving_org": "pcs_nanqiao",
                "copy_org": "jcy", "number": "临时", "suspicion": "涉嫌污染环境罪", "report": "倾倒废酸 5 吨",
                "team": [{"name": "王磊", "cert_no": "31200001"}, {"name": "陈静", "cert_no": "31200002"}],
                "attachments": [], "items": [{"name": "废酸桶", "quantity": "2", "unit": "只", "features": "蓝色",
                                              "kept_at": "仓库", "measure": "扣押"}],
                "fine_paid": {"amount": "500", "paid_on": "2026-11-20", "receipt_no": ""},
                "contact": {"name": "张伟", "phone": "021-57180000"}},
            "decide_criminal_referral": {**step, "expected_status": "reported", "approve": True, "reasons": ""},
            "send_criminal_referral": {**step, "expected_status": "approved", "how": "当面递交"},
            "receipt_criminal_referral": {**step, "signed_by": "孙浩", "when": None},
            "pass_on_criminal_referral": {**step, "expected_status": "received", "to_org": "gafj", "notice": "转交"},
            "police_decide_criminal_referral": {**step, "expected_status": "received", "result": "filed"},
            "request_crime_reconsideration": {**step, "expected_status": "not_filed", "reasons": "已达标准"},
            "decide_crime_reconsideration": {**step, "expected_status": "reconsidering", "result": "upheld",
                                             "reasons": "维持"},
            "request_crime_supervision": {**step, "expected_status": "upheld", "reasons": "请求监督"},
            "police_return_case": {"case_id": str(uuid.uuid4()), "town_code": "nanqiao", "fields": self.values,
                                   "letter_number": "奉公（南）行移字〔2026〕1号", "reason": "不构成犯罪，应予行政处罚",
                                   "materials": [{"name": "询问笔录.pdf", "sha256": SHA, "size": 10}]},
            "hand_over_criminal_referral": {**step, "expected_status": "filed", "materials": "案卷",
                                            "handed_by": "张伟", "received_by": "孙浩", "items_handed": [1]},
        }.get(name)

    def _round(self, now: datetime) -> dict:
        return {"id": self.review, "round_no": 1, "status": "pending", "submitted_at": now.isoformat(),
                "submitted_by": "张伟", "materials": ["case_file"], "report": "请审核", "accepted_on":
                now.date().isoformat(), "due_on": (now.date() + timedelta(days=7)).isoformat(),
                "extension_reason": None, "criteria": None, "outcome": None, "opinion": None, "reviewer": None,
                "reviewed_at": None, "opinion_number": None}

    def valid_args(self, name: str) -> dict:
        """Arguments an honest client would send for `name` in this world."""
        criteria = {key: {"passed": True, "note": ""} for key, _ in lr.CRITERIA}
        return {
            "create_case": {"case_id": str(uuid.uuid4()), "number": "临时", "town_code": "nanqiao",
                            "fields": self.values, "officers": self.officers},
            "update_case": {"case_id": self.clue, "changed_fields": {"place": "新地址"},
                            "base": {"place": self.values["place"]}, "base_version": 1},
            "transition_case": {"case_id": self.clue, "action": "file", "expected_state": "clue"},
            "add_evidence": {"case_id": self.clue, "evidence_id": str(uuid.uuid4()), "kind": "photo",
                             "name": "现场.jpg", "sha256": SHA, "size": 10, "captured_at": "2026-01-02T03:04:05"},
            "resolve_conflict": {"conflict_id": self.conflict, "case_id": self.clue, "field": "place",
                                 "value": "折中地址"},
            "delete_case": {"case_id": self.clue},
            "submit_review": {"case_id": self.clue, "review_id": str(uuid.uuid4()), "expected_state": "clue",
                              "materials": [k for k, _ in lr.MATERIALS], "report": "请审核"},
            "record_review": {"case_id": self.reviewed, "review_id": self.review, "outcome": "agree",
                              "opinion": "", "criteria": criteria},
            "extend_review": {"case_id": self.reviewed, "review_id": self.review, "reason": "材料较多"},
            "submit_referral": {"referral_id": str(uuid.uuid4()), "case_id": self.clue, "receiving_org": "scjg",
                                "expected_case_state": "clue", "number": "临时", "reason": "不属于本单位管辖",
                                "legal_basis": "《行政处罚法》第二十三条", "summary": "无照经营",
                                "materials": [{"no": 1, "title": "现场检查笔录", "pages": 2, "evidence_id": None}],
                                "items": [{"name": "电子秤", "spec": "30kg", "quantity": "1", "unit": "台",
                                           "condition": "完好", "kept_at": "南桥中队"}],
                                "contact": {"name": "张伟", "phone": "021-57180000"}},
            "withdraw_referral": {"referral_id": self.referral, "expected_status": "submitted", "reason": "有误"},
            "sign_referral": {"referral_id": self.referral, "expected_status": "submitted",
                              "received_on": date.today().isoformat(), "signed_by": "施联络",
                              "materials_match": True, "missing": ""},
            "accept_referral": {"referral_id": self.referral, "expected_status": "received",
                                "their_number": "市监立〔2026〕1号"},
            "return_referral": {"referral_id": self.referral, "expected_status": "submitted", "reason": "不属本部门"},
            "record_referral_result": {"referral_id": self.referral, "expected_status": "received",
                                       "result": "filed", "reasons": ""},
            **self.police_args(),
            **self.meeting_args(),
            **self.supervision_args(),
            **self.roster_args(),
        }.get(name) or self._crime_args(name) or {"case_id": self.clue}

    def roster_args(self) -> dict:
        """The roster of officers (fx_bureau.roster): an officer added, updated, retired."""
        entry = {"entry_id": str(uuid.uuid4())}
        return {
            "add_roster_entry": {**entry, "name": "王磊", "cert_no": "31200001", "issuer": "上海市人民政府",
                                 "issued_on": "2023-01-01", "expires_on": "2030-01-01", "post": "执法队员"},
            "update_roster_entry": {**entry, "phone": "13900000000"},
            "retire_roster_entry": {**entry, "reason": "调离"},
        }

    def meeting_args(self) -> dict:
        """Meetings and consultation items (fx_bureau.meetings): a new meeting and each step on one."""
        meeting = {"meeting_id": str(uuid.uuid4())}
        item = {"matter": "拆除违法搭建", "lead_org": "ghzy", "supporting_orgs": ["nanqiao"], "deadline": "2026-12-31"}
        return {
            "create_meeting": {**meeting, "kind": "regular", "title": "协调会", "starts_at": "2026-12-01T09:00",
                               "place": "会议室", "invitees": [{"key": "p1", "org": "ghzy", "name": "刘"}]},
            "update_meeting": {**meeting, "place": "新会议室"},
            "set_meeting_agenda": {**meeting, "agenda": [{"title": "议题", "source": "manual"}]},
            "notify_meeting": {**meeting, "expected_status": "draft"},
            "record_attendance": {**meeting, "attendance": {"p1": "出席"}},
            "write_minutes": {**meeting, "intro": "会议议定：", "items": [item]},
            "circulate_minutes": meeting,
            "comment_minutes": {**meeting, "text": "同意"},
            "sign_minutes": {**meeting, "expected_version": 1},
            "amend_minutes": {**meeting, "reason": "调整", "items": [item]},
            "cancel_meeting": {**meeting, "reason": "改期"},
            "create_consultation_item": {"item_id": str(uuid.uuid4()), "matter": "规划认定", "units": ["ghzy"],
                                         "case_id": self.clue},
            "update_consultation_item": {"item_id": str(uuid.uuid4()), "status": "resolved"},
        }

    def police_args(self) -> dict:
        """Police assistance requests (fx_bureau.police_requests): an emergency request and each step on one."""
        request = {"request_id": str(uuid.uuid4())}
        return {
            "create_police_request": {**request, "situation": "emergency", "station_org": "pcs_nanqiao",
                                      "case_id": self.clue, "place": "南桥镇", "asks": ["keep_order"], "file": True},
            "update_police_request": {**request, "details": "补录"},
            "file_police_request": {**request, "expected_status": "draft"},
            "approve_police_request": {**request, "note": "同意"},
            "withdraw_police_request": {**request, "reason": "有误"},
            "acknowledge_police_request": {**request, "incident_number": "J1"},
            "record_police_arrival": {**request, "arrived_at": "2026-11-30T09:00",
                                      "officers": [{"name": "顾", "number": "1"}]},
            "record_police_identity": {**request, "result": "refused"},
            "record_police_outcome": {**request, "outcome": "settled"},
        }


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    w = World(tmp_path_factory.mktemp("world"))
    yield w
    w.engine.dispose()


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8)
TIMES = st.one_of(
    st.none(), st.none(), st.text(max_size=25),
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30),
                 timezones=st.sampled_from([None, timezone.utc, timezone(timedelta(hours=14)),
                                            timezone(timedelta(hours=-12))])).map(datetime.isoformat))


@st.composite
def mutations(draw, world: World) -> tuple[str, dict]:
    name = draw(st.sampled_from([*sorted(MUTATIONS), "merge_cases"]))
    if draw(st.integers(0, 4)) == 0:
        args = draw(JSON)  # anything at all
    else:
        args = json.loads(json.dumps(world.valid_args(name)))
        for key in draw(st.lists(st.sampled_from([*sorted(args), "extra"]), max_size=3)):
            if draw(st.booleans()):
                args.pop(key, None)
            else:
                args[key] = draw(JSON)
    user = draw(st.sampled_from(["reviewer", "reviewer"] if name in ("record_review", "extend_review")
                                else ["shi", "shi", "zhang", "diao"] if name in STEP_ORG
                                else ["sunhao", "sunhao", "zhang", "shi"] if name in cr.POLICE_STEPS
                                or name == "police_return_case"
                                else ["zhang", "zhang", "li", "diao", "wang", "shi"]))
    return user, {"name": name, "args": args, "at": draw(TIMES)}


def _consistent(session, p: Principal, mid: int, result: dict) -> None:
    client = session.get(Client, p.client_id)
    logged = session.get(MutationLog, (p.client_id, mid))
    if result["result"] == "missing_blob":
        assert client.last_mutation_id == mid - 1 and logged is None
        return
    assert client.last_mutation_id == mid
    assert logged is not None and logged.result == result["result"] and logged.reason == result.get("reason")
    for case in session.execute(select(Case)).scalars():
        CaseStatus(case.status)
        json.dumps([case.fields, case.officers, case.evidence], allow_nan=False)
    for round_ in session.execute(select(LegalReview)).scalars():
        lr.ReviewStatus(round_.status)
        json.dumps(round_.data, allow_nan=False)
        _clean(session, dict(case.fields), list(case.officers))  # still passes the domain rules
    assert session.execute(select(func.count()).select_from(Case)).scalar() >= 1


@settings(max_examples=300, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_any_arguments_are_applied_or_rejected_never_an_exception(world, data):
    user, m = data.draw(mutations(world))
    p = world.principals[user]
    m["id"] = 1  # every example starts from the seeded world: its transaction is rolled back below
    session = world.writes()
    try:
        for isolate in (False, True):  # as push_request does: the fast path, then savepoints if it must
            session.begin()
            try:
                answer = push_mod.push(session, p, p.client_id, [m], isolate=isolate)
                break
            except push_mod.Isolate:
                session.rollback()
            except push_mod.Forbidden as exc:  # another organisation's record or step: the whole request is a 403
                assert exc.message and (user in ("wang", "shi", "sunhao") or m["name"] in STEP_ORG
                                       or m["name"] in cr.STEPS or m["name"] in sv.STEPS), (user, m, exc.message)
                return
        result = answer["results"][0]
        event(f"{m['name']}: {result['result']}")
        assert result["result"] in ("applied", "conflict", "rejected", "missing_blob"), result
        if result["result"] == "rejected":
            assert any("\u4e00" <= ch <= "\u9fff" for ch in result["reason"]), result
            assert "内部错误" not in result["reason"], result  # no handler crashed on these arguments
        session.flush()
        _consistent(session, p, 1, result)
    finally:
        session.rollback()
        session.close()


def test_an_unexpected_exception_rejects_only_its_mutation_and_is_logged_with_its_id(world, caplog):
    """A handler that writes part of its change and then fails: the fast path has no savepoint, so the request
    is redone with one per mutation; the failing mutation is rejected, its partial write gone, the next applied."""
    p = world.principals["zhang"]
    half = str(uuid.uuid4())

    def crashes(session, principal, args, ctx):
        session.add(Case(id=half, number="HALF", town_code="nanqiao", status="clue", version=1, seq=9,
                         review_passed=False, opened_on=date.today(), created_by="x", created_at=ctx.at,
                         updated_at=ctx.at, fields={}, officers=[], evidence=[]))
        session.flush()
        return {}["boom"]  # a KeyError nobody expected

    registry = {**MUTATIONS, "crash": MutationSpec(MUTATIONS["delete_case"].schema, crashes)}
    with world.writes() as s, s.begin():
        last = s.get(Client, p.client_id).last_mutation_id
    update = {"id": last + 2, "name": "update_case", "args": world.valid_args("update_case")}
    update["args"]["changed_fields"] = {"party_address": "南桥镇某路 9 号"}
    update["args"]["base"] = {"party_address": world.values["party_address"]}
    with caplog.at_level(logging.ERROR, logger="fx_bureau.push"):
        _p, answer = push_mod.push_request(world.writes, lambda _s: p, p.client_id, [
            {"id": last + 1, "name": "crash", "args": {"case_id": world.clue}}, update], registry=registry)
    crashed, applied = answer["results"]
    assert crashed["result"] == "rejected" and crashed["case_id"] == world.clue
    assert "内部错误（KeyError" in crashed["reason"] and f"第 {last + 1} 条变更" in crashed["reason"]
    assert applied["result"] == "applied" and answer["last_mutation_id"] == last + 2
    record = next(r for r in caplog.records if r.getMessage() == "mutation failed")
    assert record.fields["mutation_id"] == last + 1 and record.fields["client_id"] == p.client_id
    assert record.exc_info and record.exc_info[0] is KeyError
    with world.writes() as s:
        assert s.get(Case, half) is None
        assert s.get(MutationLog, (p.client_id, last + 1)).reason == crashed["reason"]
        assert s.get(Case, world.clue).fields["party_address"] == "南桥镇某路 9 号"


def test_a_database_failure_is_never_a_rejection(world):
    """OperationalError and the like are the database's, not the mutation's: they propagate (503, retried)."""
    from sqlalchemy.exc import OperationalError

    p = world.principals["zhang"]

    def db_down(session, principal, args, ctx):
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))

    registry = {**MUTATIONS, "down": MutationSpec(MUTATIONS["delete_case"].schema, db_down)}
    with world.writes() as s, s.begin():
        last = s.get(Client, p.client_id).last_mutation_id
    with pytest.raises(OperationalError):
        push_mod.push_request(world.writes, lambda _s: p, p.client_id,
                              [{"id": last + 1, "name": "down", "args": {"case_id": world.clue}}], registry=registry)
    with world.writes() as s:
        assert s.get(Client, p.client_id).last_mutation_id == last
        assert s.get(MutationLog, (p.client_id, last + 1)) is None


def test_every_mutation_the_client_makes_has_a_schema_and_honest_arguments_pass_it(world):
    from fx_bureau.arguments import check

    for name, spec in MUTATIONS.items():
        assert isinstance(spec, MutationSpec) and callable(spec.handler)
        checked = check(spec.schema, world.valid_args(name))
        assert set(checked) >= set(world.valid_args(name)), name
    assert Outcome("rejected").result == "rejected"
