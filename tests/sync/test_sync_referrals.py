"""Case referral (移送) between a town and a department against a real fx-bureau over raw HTTP, on SQLite and
PostgreSQL: the whole flow and what each side's pull shows, blob access, the security list of issue 11 (403 and
nothing changed), bad input answered with a Chinese reason, a user moved to another organisation resyncing, and
SYNC.md guarantees 1, 2, 5, 10 and 13 for the referral kind."""
from __future__ import annotations

import hashlib
import json
import re
import threading
import uuid
from datetime import date, datetime

import pytest
import requests

from fx_desktop.domain.case_draft import clean_to_json, validate
from fx_desktop.sync.transport import BureauClient, Refused
from tests.conftest import case_draft
from tests.support.bureau import PASSWORD, run_cli

NUMBER = re.compile(r"^奉南桥综执移〔\d{4}〕\d{4}号$")


@pytest.fixture(scope="module")
def server(bureau):
    """The module's server with two departments' liaisons and a police liaison besides the standard users."""
    bureau.add_user("shi", "department_liaison", "scjg", "施联络")
    bureau.add_user("fang", "department_liaison", "fg", "房联络")
    bureau.add_user("jing", "police_liaison", "pcs_nanqiao", "井联络")
    return bureau


class Api:
    """One user's client id, pushing raw mutations with consecutive ids and pulling from its own cursor."""

    def __init__(self, bureau, username: str):
        self.bureau, self.username = bureau, username
        self.client = BureauClient(bureau.url)
        self.client_id = str(uuid.uuid4())
        self.login = self.client.login(username, PASSWORD, self.client_id, "test")
        self.mid = 0
        self.cursor: str | None = None

    def mutation(self, name: str, args: dict) -> dict:
        self.mid += 1
        return {"id": self.mid, "name": name, "args": args, "at": datetime.now().isoformat()}

    def push(self, name: str, args: dict) -> dict:
        answer = self.client.push(self.client_id, [self.mutation(name, args)], datetime.now().isoformat())
        return answer["results"][0]

    def refused(self, name: str, args: dict) -> Refused:
        """A push the server refuses as a whole: the id is not used up."""
        with pytest.raises(Refused) as err:
            self.push(name, args)
        self.mid -= 1
        return err.value

    def pull(self) -> dict:
        """Every change since this client's cursor (all pages); `reset` (and why) when the first page said so."""
        changes, reset, why, first = [], False, None, True
        while True:
            page = self.client.pull(self.cursor, 1000)
            if first:
                reset, why, first = page["reset"], page.get("reset_reason"), False
            changes += page["changes"]
            self.cursor = page["cursor"]
            if not page["more"]:
                return {"changes": changes, "reset": reset, "reset_reason": why}

    def blob(self, sha: str) -> requests.Response:
        return requests.get(f"{self.bureau.url}/blobs/{sha}",
                            headers={"Authorization": f"Bearer {self.client.tokens.access}"}, timeout=30)


def _of(changes: list[dict], kind: str) -> dict[str, dict]:
    return {c["id"]: c for c in changes if c["type"] == kind}


def _count(bureau, sql: str, **params) -> int:
    return bureau.sql(sql, params)[0][0]


def _case(town: Api, **fields) -> str:
    values, officers = clean_to_json(validate(case_draft(**fields)))
    case_id = str(uuid.uuid4())
    done = town.push("create_case", {"case_id": case_id, "number": "临时", "town_code": "nanqiao",
                                     "fields": values, "officers": officers})
    assert done["result"] == "applied", done
    return case_id


def _evidence(town: Api, case_id: str, data: bytes) -> tuple[str, str]:
    """Upload `data` and attach it to the case: (evidence id, sha256)."""
    sha = hashlib.sha256(data).hexdigest()
    start = town.client.upload_start(sha, len(data))
    if start["status"] == "upload":
        town.client.upload_chunk(start["upload_id"], 0, data, sha)
        town.client.upload_complete(start["upload_id"])
    evidence_id = str(uuid.uuid4())
    done = town.push("add_evidence", {"case_id": case_id, "evidence_id": evidence_id, "kind": "photo",
                                      "name": "现场.jpg", "sha256": sha, "size": len(data)})
    assert done["result"] == "applied", done
    return evidence_id, sha


def _submit_args(case_id: str, evidence_id: str | None = None, **over) -> dict:
    return {"referral_id": str(uuid.uuid4()), "case_id": case_id, "receiving_org": "scjg",
            "expected_case_state": "clue", "number": "奉南桥综执移〔临〕1号", "reason": "属于市场监管部门管辖",
            "legal_basis": "《行政处罚法》第二十三条", "summary": "当事人无照经营食品",
            "materials": [{"no": 1, "title": "现场检查笔录", "pages": 2, "evidence_id": evidence_id},
                          {"no": 2, "title": "询问笔录", "pages": 3, "evidence_id": None}],
            "items": [{"name": "电子秤", "spec": "30kg", "quantity": "1", "unit": "台", "condition": "完好",
                       "kept_at": "南桥中队暂扣仓库"}],
            "contact": {"name": "张伟", "phone": "021-57180000"}, **over}


def _referred(town: Api, data: bytes | None = None) -> tuple[str, str, str | None]:
    """A new clue case referred to scjg: (case id, referral id, sha256 of the evidence referred)."""
    case_id = _case(town)
    evidence_id, sha = _evidence(town, case_id, data) if data else (None, None)
    args = _submit_args(case_id, evidence_id)
    done = town.push("submit_referral", args)
    assert done["result"] == "applied", done
    return case_id, args["referral_id"], sha


def _today() -> str:
    return date.today().isoformat()


def test_a_referral_goes_from_submission_to_result_and_each_side_sees_what_it_should(server):
    zhang, shi = Api(server, "zhang"), Api(server, "shi")
    case_id = _case(zhang, party_name="孙移送")
    referred_id, referred_sha = _evidence(zhang, case_id, b"referred photo " + uuid.uuid4().bytes)
    _other_id, other_sha = _evidence(zhang, case_id, b"not referred " + uuid.uuid4().bytes)
    zhang.pull()
    args = _submit_args(case_id, referred_id)
    submitted = zhang.push("submit_referral", args)
    assert submitted["result"] == "applied" and submitted["kind"] == "referral"
    assert submitted["case_id"] == args["referral_id"]  # the record the mutation acted on
    number = submitted["detail"]["number"]
    assert NUMBER.match(number) and submitted["detail"]["provisional"] == args["number"]

    seen = zhang.pull()["changes"]
    assert _of(seen, "case")[case_id]["status"] == "referred"
    row = _of(seen, "referral")[args["referral_id"]]
    assert set(row) == {"type", "seq", "id", "version", "owner_org", "receiving_org", "case_id", "number",
                        "status", "updated_at", "data"}
    assert (row["owner_org"], row["receiving_org"], row["case_id"], row["number"], row["status"], row["version"]) \
        == ("nanqiao", "scjg", case_id, number, "submitted", 1)
    assert row["data"]["number"] == number and row["data"]["case_status_before"] == "clue"

    first = shi.pull()
    assert first["reset"] and first["reset_reason"] == "first"
    assert {c["type"] for c in first["changes"]} <= {"referral", "reference"}  # no case, nothing else of the town
    mine = _of(first["changes"], "referral")
    assert args["referral_id"] in mine and all(r["receiving_org"] == "scjg" for r in mine.values())
    snapshot = mine[args["referral_id"]]["data"]["case_snapshot"]
    assert snapshot["party_name"] == "孙移送"
    assert [e["sha256"] for e in snapshot["evidence"]] == [referred_sha]
    assert shi.blob(referred_sha).status_code == 200
    assert shi.blob(referred_sha).content.startswith(b"referred photo ")
    assert shi.blob(other_sha).status_code == 404
    assert Api(server, "fang").blob(referred_sha).status_code == 404  # another department

    steps = [("sign_referral", {"expected_status": "submitted", "received_on": _today(), "signed_by": "施联络",
                                "materials_match": False, "missing": "询问笔录缺第 3 页"}, "received"),
             ("accept_referral", {"expected_status": "received", "their_number": "奉市监立〔2026〕12号"}, "accepted"),
             ("record_referral_result", {"expected_status": "accepted", "result": "filed", "reasons": ""},
              "concluded")]
    for version, (name, step_args, status) in enumerate(steps, start=2):
        done = shi.push(name, {"referral_id": args["referral_id"], **step_args})
        assert done["result"] == "applied" and done["detail"]["status"] == status, done
        town_sees = zhang.pull()["changes"]
        assert _of(town_sees, "referral")[args["referral_id"]]["status"] == status
        assert _of(town_sees, "referral")[args["referral_id"]]["version"] == version
        assert case_id not in _of(town_sees, "case")  # these steps leave the case as it is
        department_sees = shi.pull()["changes"]
        assert list(_of(department_sees, "referral")) == [args["referral_id"]]
        assert not _of(department_sees, "case")
    state = server.sql("SELECT data FROM referrals WHERE id = :i", {"i": args["referral_id"]})[0][0]
    state = state if isinstance(state, dict) else json.loads(state)
    assert state["receipt"]["missing"] == "询问笔录缺第 3 页" and state["accepted"]["their_number"] == "奉市监立〔2026〕12号"
    assert state["result"]["result"] == "filed" and state["receipt"]["signed_by"] == "施联络"

    # digests: the department counts its referrals only; the town its cases and its referrals
    shi_digest = shi.client.digest()
    assert shi_digest["cursor"] == shi.cursor
    assert shi_digest["count"] == _count(server, "SELECT count(*) FROM record_parties WHERE org_code = 'scjg'")
    zhang_digest = zhang.client.digest()
    assert zhang_digest["count"] == (
        _count(server, "SELECT count(*) FROM cases WHERE town_code = 'nanqiao'")
        + _count(server, "SELECT count(*) FROM referrals WHERE owner_org = 'nanqiao'"))
    assert _count(server, "SELECT count(*) FROM mutation_log WHERE kind = 'referral' AND case_id = :i",
                  i=args["referral_id"]) == 4


def test_a_return_reopens_the_case_with_its_reason_and_a_withdrawal_takes_it_back(server):
    zhang, shi = Api(server, "zhang"), Api(server, "shi")
    case_id, referral_id, _sha = _referred(zhang)
    zhang.pull()
    missing = shi.push("return_referral", {"referral_id": referral_id, "expected_status": "submitted", "reason": " "})
    assert missing["result"] == "rejected" and "请填写退回理由" in missing["reason"]
    assert missing["kind"] == "referral" and missing["case_id"] == referral_id
    back = shi.push("return_referral", {"referral_id": referral_id, "expected_status": "submitted",
                                        "reason": "不属于本部门职责，请移送区绿化市容局"})
    assert back["result"] == "applied"
    seen = zhang.pull()["changes"]
    assert _of(seen, "case")[case_id]["status"] == "clue"  # reopened for the squad
    returned = _of(seen, "referral")[referral_id]
    assert returned["status"] == "returned" and "绿化市容" in returned["data"]["returned"]["reason"]
    late = shi.push("sign_referral", {"referral_id": referral_id, "expected_status": "returned",
                                      "received_on": _today(), "materials_match": True})
    assert late["result"] == "rejected" and "已退回" in late["reason"] and "不能签收" in late["reason"]

    case2, referral2, _ = _referred(zhang)
    withdrawn = zhang.push("withdraw_referral", {"referral_id": referral2, "expected_status": "submitted",
                                                 "reason": "材料不全，补充后重新移送"})
    assert withdrawn["result"] == "applied"
    assert _count(server, "SELECT count(*) FROM cases WHERE id = :i AND status = 'clue'", i=case2) == 1
    case3, referral3, _ = _referred(zhang)
    assert shi.push("sign_referral", {"referral_id": referral3, "expected_status": "submitted",
                                      "received_on": _today(), "materials_match": True})["result"] == "applied"
    too_late = zhang.push("withdraw_referral", {"referral_id": referral3, "expected_status": "submitted",
                                                "reason": "撤回"})
    assert too_late["result"] == "rejected" and "已签收" in too_late["reason"]
    assert _count(server, "SELECT count(*) FROM cases WHERE id = :i AND status = 'referred'", i=case3) == 1


def test_bad_input_gets_a_clear_chinese_reason(server):
    zhang, shi = Api(server, "zhang"), Api(server, "shi")
    case_id = _case(zhang)
    for over, words in (({"receiving_org": "gafj"}, "不是区级行业管理部门"),
                        ({"receiving_org": "fengcheng"}, "不是区级行业管理部门"),
                        ({"receiving_org": "atlantis"}, "不在单位名单中"),
                        ({"reason": ""}, "请填写移送理由"),
                        ({"materials": []}, "请至少列出一项移送的材料"),
                        ({"expected_case_state": "filed"}, "案件状态已变为")):
        done = zhang.push("submit_referral", _submit_args(case_id, **over))
        assert done["result"] == "rejected" and words in done["reason"], (over, done)
    refer = zhang.push("transition_case", {"case_id": case_id, "action": "refer", "expected_state": "clue"})
    assert refer["result"] == "rejected" and "移送函" in refer["reason"]
    officer = Api(server, "li").push("submit_referral", _submit_args(case_id))
    assert officer["result"] == "rejected" and "中队长" in officer["reason"]
    assert _count(server, "SELECT status FROM cases WHERE id = :i", i=case_id) == "clue"
    assert _count(server, "SELECT count(*) FROM referrals WHERE case_id = :i", i=case_id) == 0

    not_filed = _case(zhang)
    assert zhang.push("transition_case", {"case_id": not_filed, "action": "not_file",
                                          "expected_state": "clue"})["result"] == "applied"
    done = zhang.push("submit_referral", _submit_args(not_filed, expected_case_state="not_filed"))
    assert done["result"] == "rejected" and "不予立案" in done["reason"] and "不能再移送" in done["reason"]
    closed = _case(zhang)
    _set_status(server, closed, "closed")
    done = zhang.push("submit_referral", _submit_args(closed, expected_case_state="closed"))
    assert done["result"] == "rejected" and "已结案" in done["reason"] and "不能再移送" in done["reason"]

    _case_id, referral_id, _ = _referred(zhang)
    sign = {"referral_id": referral_id, "expected_status": "submitted", "received_on": _today(),
            "materials_match": True}
    assert shi.push("sign_referral", sign)["result"] == "applied"
    again = shi.push("sign_referral", sign)  # a receipt for a referral already answered
    assert again["result"] == "rejected" and "已签收" in again["reason"] and "签收（回执）未执行" in again["reason"]
    no_reason = shi.push("record_referral_result", {"referral_id": referral_id, "expected_status": "received",
                                                     "result": "not_filed", "reasons": ""})
    assert no_reason["result"] == "rejected" and "须写明理由" in no_reason["reason"]


def _set_status(bureau, case_id: str, status: str) -> None:
    """A case moved on by steps this test does not need to repeat (decided, notified, closed)."""
    from sqlalchemy import text

    from fx_bureau.db import make_engine

    engine = make_engine(bureau.db_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE cases SET status = :s WHERE id = :i"), {"s": status, "i": case_id})
    finally:
        engine.dispose()


def test_what_is_not_shared_with_an_organisation_is_refused_with_403_and_nothing_changes(server):
    zhang, shi, fang, wang = (Api(server, u) for u in ("zhang", "shi", "fang", "wang"))
    case_id, referral_id, sha = _referred(zhang, b"for scjg " + uuid.uuid4().bytes)
    private = _case(zhang, party_name="钱未移")
    _eid, private_sha = _evidence(zhang, private, b"private " + uuid.uuid4().bytes)
    versions = dict(server.sql("SELECT id, version FROM cases WHERE town_code = 'nanqiao'"))
    referral_version = _count(server, "SELECT version FROM referrals WHERE id = :i", i=referral_id)

    # a department: pulls none of the town's cases, reads none of its other blobs, pushes to none of its cases
    assert private not in {c.get("id") for c in shi.pull()["changes"]}
    assert shi.blob(private_sha).status_code == 404
    for name, args in (("update_case", {"case_id": private, "changed_fields": {"place": "篡改"}, "base": {}}),
                       ("update_case", {"case_id": case_id, "changed_fields": {"place": "篡改"}, "base": {}}),
                       ("transition_case", {"case_id": private, "action": "file", "expected_state": "clue"}),
                       ("delete_case", {"case_id": private}),
                       ("submit_referral", _submit_args(private))):
        refused = shi.refused(name, args)
        assert refused.status == 403 and refused.code == "outside_town", (name, refused.message)
    # another department: not a party
    assert referral_id not in {c.get("id") for c in fang.pull()["changes"]}
    assert fang.blob(sha).status_code == 404
    refused = fang.refused("sign_referral", {"referral_id": referral_id, "expected_status": "submitted",
                                             "received_on": _today(), "materials_match": True})
    assert refused.status == 403 and "无权" in refused.message
    # the town acting for the receiving department
    for name, args in (("sign_referral", {"expected_status": "submitted", "received_on": _today(),
                                          "materials_match": True}),
                       ("accept_referral", {"expected_status": "submitted", "their_number": "X"}),
                       ("return_referral", {"expected_status": "submitted", "reason": "自己退回"}),
                       ("record_referral_result", {"expected_status": "submitted", "result": "filed"})):
        refused = zhang.refused(name, {"referral_id": referral_id, **args})
        assert refused.status == 403 and "区市场监管局" in refused.message and "代为办理" in refused.message
    # the department taking the town's step
    refused = shi.refused("withdraw_referral", {"referral_id": referral_id, "expected_status": "submitted",
                                                "reason": "撤回"})
    assert refused.status == 403 and "南桥镇" in refused.message
    # another town: neither reads nor acts on the referral
    assert referral_id not in {c.get("id") for c in wang.pull()["changes"]}
    for name, args in (("withdraw_referral", {"referral_id": referral_id, "expected_status": "submitted",
                                              "reason": "撤回"}),
                       ("submit_referral", _submit_args(private))):
        assert wang.refused(name, args).status == 403
    # the police station of the town is no party either
    jing = Api(server, "jing")
    assert not _of(jing.pull()["changes"], "referral") and not _of(jing.pull()["changes"], "case")
    assert dict(server.sql("SELECT id, version FROM cases WHERE town_code = 'nanqiao'")) == versions
    assert _count(server, "SELECT version FROM referrals WHERE id = :i", i=referral_id) == referral_version
    for api in (shi, fang, wang, jing):
        assert _count(server, "SELECT last_mutation_id FROM clients WHERE id = :c", c=api.client_id) == 0


def test_a_user_moved_to_another_organisation_resyncs_what_they_may_now_see(server):
    zhang = Api(server, "zhang")
    username = f"zhou{uuid.uuid4().hex[:6]}"
    server.add_user(username, "officer", "nanqiao", "周调动")
    zhou = Api(server, username)
    assert zhou.login["user"]["org_code"] == "nanqiao" and zhou.login["user"]["org_kind"] == "town"
    before = zhou.pull()
    assert _of(before["changes"], "case")
    case_id, referral_id, _ = _referred(zhang)
    moved = run_cli("set-user", "--db", server.db_url, "--username", username, "--org", "scjg", "--role",
                    "department_liaison")
    assert moved.returncode == 0, moved.stderr
    after = zhou.pull()
    assert after["reset"] and after["reset_reason"] == "organisation"  # a full snapshot of what they may see now
    assert not _of(after["changes"], "case")
    assert referral_id in _of(after["changes"], "referral")
    me = zhou.client.request("GET", "/me")
    assert (me["org_code"], me["org_name"], me["org_kind"], me["town_code"], me["role"]) == (
        "scjg", "区市场监管局", "department", None, "department_liaison")
    assert zhou.client.digest()["cursor"] == zhou.cursor
    assert not zhou.pull()["reset"]  # and the new cursor is known
    stranger = zhou.client.pull(zhou.cursor.replace(zhou.cursor.split(":")[0].split("/")[0], "another-db"), 10)
    assert stranger["reset"] and stranger["reset_reason"] == "database"
    refused = zhou.refused("update_case", {"case_id": case_id, "changed_fields": {"place": "篡改"}, "base": {}})
    assert refused.status == 403


def test_guarantees_1_2_and_5_hold_for_referrals(server):
    zhang = Api(server, "zhang")
    case_id = _case(zhang)
    args = _submit_args(case_id)
    m = zhang.mutation("submit_referral", args)
    first = zhang.client.push(zhang.client_id, [m], datetime.now().isoformat())["results"][0]
    again = zhang.client.push(zhang.client_id, [m], datetime.now().isoformat())["results"][0]
    assert first["result"] == "applied" and again["result"] == "already_processed"  # 1
    assert _count(server, "SELECT count(*) FROM referrals WHERE case_id = :i", i=case_id) == 1

    shi = Api(server, "shi")
    shi.mid = 1  # 2: a gap (id 2 before 1)
    gap = shi.mutation("sign_referral", {"referral_id": args["referral_id"], "expected_status": "submitted",
                                         "received_on": _today(), "materials_match": True})
    answer = shi.client.push(shi.client_id, [gap], datetime.now().isoformat())
    assert answer["results"] == [{"id": 2, "result": "out_of_order", "expected": 1}]
    assert _count(server, "SELECT status FROM referrals WHERE id = :i", i=args["referral_id"]) == "submitted"

    shi.mid = 0  # 5: a poison step is rejected visibly, the next one applies
    poison = shi.mutation("sign_referral", {"referral_id": args["referral_id"], "expected_status": "submitted",
                                            "received_on": "2999-01-01", "materials_match": True})
    good = shi.mutation("sign_referral", {"referral_id": args["referral_id"], "expected_status": "submitted",
                                          "received_on": _today(), "materials_match": True})
    results = shi.client.push(shi.client_id, [poison, good], datetime.now().isoformat())["results"]
    assert [r["result"] for r in results] == ["rejected", "applied"]
    assert "收到日期不能晚于今天" in results[0]["reason"]
    logged = server.sql("SELECT kind, case_id, reason FROM mutation_log WHERE client_id = :c AND mutation_id = 1",
                        {"c": shi.client_id})[0]
    assert logged == ("referral", args["referral_id"], results[0]["reason"])
    assert shi.pull()["changes"]  # the rejected record is sent again (its seq moved), the client restores it


def test_guarantee_10_five_parallel_identical_submissions_make_one_referral(server):
    zhang = Api(server, "zhang")
    case_id = _case(zhang)
    m = zhang.mutation("submit_referral", _submit_args(case_id))
    year = datetime.now().year
    serial = server.sql("SELECT next_serial FROM serials WHERE kind = 'referral' AND scope = 'nanqiao' AND year = :y",
                        {"y": year})
    answers, barrier = [], threading.Barrier(5)

    def push():
        c = BureauClient(server.url)
        c.tokens = zhang.client.tokens
        barrier.wait()
        answers.append(c.push(zhang.client_id, [m], datetime.now().isoformat())["results"][0]["result"])

    threads = [threading.Thread(target=push) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(answers) == ["already_processed"] * 4 + ["applied"]
    assert _count(server, "SELECT count(*) FROM referrals WHERE case_id = :i", i=case_id) == 1
    assert _count(server, "SELECT count(*) FROM record_parties WHERE record_id = :i", i=m["args"]["referral_id"]) == 1
    after = _count(server, "SELECT next_serial FROM serials WHERE kind = 'referral' AND scope = 'nanqiao' "
                           "AND year = :y", y=year)
    assert after == (serial[0][0] if serial else 1) + 1  # one official number taken


def test_guarantee_13_for_referrals_expired_tokens_other_clients_and_other_towns(server):
    zhang, shi = Api(server, "zhang"), Api(server, "shi")
    _case_id, referral_id, _ = _referred(zhang)
    done = run_cli("expire-tokens", "--db", server.db_url)
    assert done.returncode == 0, done.stderr
    signed = shi.push("sign_referral", {"referral_id": referral_id, "expected_status": "submitted",
                                        "received_on": _today(), "materials_match": True})
    assert signed["result"] == "applied"  # refreshed and repeated, once
    assert _count(server, "SELECT count(*) FROM mutation_log WHERE client_id = :c", c=shi.client_id) == 1
    assert _count(server, "SELECT version FROM referrals WHERE id = :i", i=referral_id) == 2
    fang = Api(server, "fang")
    with pytest.raises(Refused) as err:  # another user's client id
        fang.client.push(shi.client_id, [fang.mutation("accept_referral", {
            "referral_id": referral_id, "expected_status": "received", "their_number": "X"})],
            datetime.now().isoformat())
    assert err.value.status == 403
    assert _count(server, "SELECT status FROM referrals WHERE id = :i", i=referral_id) == "received"
