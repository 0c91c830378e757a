"""Criminal referral (涉嫌犯罪案件移送) between a town, a police station and the procuratorate against a real
fx-bureau over raw HTTP, on SQLite and PostgreSQL: the flow from report to handover and what each side's pull
shows, the security list of issue 13 (403 and nothing changed; the town entering a police step; the
procuratorate read-only), bad input answered in Chinese, and a pending referral keeping the case open."""
from __future__ import annotations

import json
import re
import uuid
from datetime import datetime, timedelta

import pytest

from tests.sync.test_sync_referrals import Api, _case, _count, _evidence, _of

NUMBER = re.compile(r"^奉南桥综执刑移〔\d{4}〕\d{4}号$")


@pytest.fixture(scope="module")
def server(bureau):
    bureau.add_user("sunhao", "police_liaison", "pcs_nanqiao", "孙浩")
    bureau.add_user("qianyu", "department_liaison", "jcy", "钱宇")
    bureau.add_user("wu", "police_liaison", "pcs_fengcheng", "吴警官")
    bureau.add_user("zhou", "police_liaison", "gafj", "周警官")
    return bureau


def _filed_case(town: Api, **fields) -> str:
    case_id = _case(town, **fields)
    done = town.push("transition_case", {"case_id": case_id, "action": "file", "expected_state": "clue"})
    assert done["result"] == "applied", done
    return case_id


def _report_args(case_id: str, evidence_id: str | None = None, **over) -> dict:
    return {"criminal_referral_id": str(uuid.uuid4()), "case_id": case_id, "receiving_org": "pcs_nanqiao",
            "number": "临时编号2026-x-0001", "suspicion": "涉嫌污染环境罪（《刑法》第三百三十八条）",
            "report": "当事人非法倾倒废酸约 5 吨，经检测 pH 值 1.2，已达追诉标准。",
            "team": [{"name": "王磊", "cert_no": "31200001"}, {"name": "陈静", "cert_no": "31200002"}],
            "attachments": [{"evidence_id": evidence_id, "kind": "检验报告"}] if evidence_id else [],
            "items": [{"name": "废酸桶", "quantity": "20", "unit": "只", "features": "蓝色 200L 塑料桶",
                       "kept_at": "南桥中队暂扣仓库", "measure": "扣押"}],
            "fine_paid": {"amount": "5000", "paid_on": "2026-11-20", "receipt_no": "FK-001"},
            "contact": {"name": "张伟", "phone": "021-57180000"}, **over}


def _step(api: Api, name: str, record_id: str, status: str, **args) -> dict:
    return api.push(name, {"criminal_referral_id": record_id, "expected_status": status, **args})


def _sent(town: Api, data: bytes | None = None) -> tuple[str, str, str | None]:
    """A filed case reported, approved and sent to pcs_nanqiao: (case id, record id, sha256 attached)."""
    case_id = _filed_case(town)
    evidence_id, sha = _evidence(town, case_id, data) if data else (None, None)
    args = _report_args(case_id, evidence_id)
    assert town.push("report_criminal_referral", args)["result"] == "applied"
    record_id = args["criminal_referral_id"]
    assert _step(town, "decide_criminal_referral", record_id, "reported", approve=True)["result"] == "applied"
    assert _step(town, "send_criminal_referral", record_id, "approved")["result"] == "applied"
    return case_id, record_id, sha


def _data(server, record_id: str) -> dict:
    raw = server.sql("SELECT data FROM criminal_referrals WHERE id = :i", {"i": record_id})[0][0]
    return raw if isinstance(raw, dict) else json.loads(raw)


def _write(bureau, sql: str, **params) -> None:
    """A clock moved into the past (the test cannot wait three days)."""
    from sqlalchemy import text

    from fx_bureau.db import make_engine

    engine = make_engine(bureau.db_url)
    try:
        with engine.begin() as conn:
            conn.execute(text(sql), params)
    finally:
        engine.dispose()


def test_report_to_handover_with_each_side_seeing_what_it_should(server):
    zhang, sun, qian, wu = (Api(server, u) for u in ("zhang", "sunhao", "qianyu", "wu"))
    case_id = _filed_case(zhang, party_name="某化工公司")
    evidence_id, sha = _evidence(zhang, case_id, b"inspection report " + uuid.uuid4().bytes)
    args = _report_args(case_id, evidence_id)
    record_id = args["criminal_referral_id"]
    done = zhang.push("report_criminal_referral", args)
    assert done["result"] == "applied" and done["kind"] == "criminal_referral", done
    assert NUMBER.match(done["detail"]["number"]) and done["detail"]["provisional"] == args["number"]
    row = _of(zhang.pull()["changes"], "criminal_referral")[record_id]
    assert (row["status"], row["receiving_org"], row["data"]["decision_due"][:10]) == (
        "reported", "pcs_nanqiao", (datetime.now() + timedelta(days=3)).date().isoformat())
    assert record_id not in _of(sun.pull()["changes"], "criminal_referral")  # not sent yet: the police see nothing

    closing = zhang.push("transition_case", {"case_id": case_id, "action": "close", "expected_state": "filed"})
    assert closing["result"] == "rejected" and "行政处罚不能代替移送" in closing["reason"]

    assert _step(zhang, "decide_criminal_referral", record_id, "reported", approve=True)["result"] == "applied"
    assert _step(zhang, "send_criminal_referral", record_id, "approved")["result"] == "applied"
    seen = sun.pull()["changes"]
    assert not _of(seen, "case")
    mine = _of(seen, "criminal_referral")
    assert list(mine) == [record_id] and mine[record_id]["data"]["case_snapshot"]["party_name"] == "某化工公司"
    assert sun.blob(sha).status_code == 200 and sun.blob(sha).content.startswith(b"inspection report ")
    assert record_id in _of(qian.pull()["changes"], "criminal_referral")  # the procuratorate's copy
    assert record_id not in _of(wu.pull()["changes"], "criminal_referral") and wu.blob(sha).status_code == 404

    for api, name, status, extra, after in (
            (sun, "receipt_criminal_referral", "sent", {"signed_by": "孙浩"}, "received"),
            (sun, "police_decide_criminal_referral", "received", {"result": "filed", "their_number": "奉公刑立1号"},
             "filed"),
            (zhang, "hand_over_criminal_referral", "filed", {"materials": "案卷一册", "handed_by": "张伟",
                                                              "received_by": "孙浩"}, "handed_over")):
        done = _step(api, name, record_id, status, **extra)
        assert done["result"] == "applied" and done["detail"]["status"] == after, (name, done)
        assert _of(zhang.pull()["changes"], "criminal_referral")[record_id]["status"] == after
        assert _of(sun.pull()["changes"], "criminal_referral")[record_id]["status"] == after
    state = _data(server, record_id)
    assert state["receipt"]["entered_by"] == "police" and state["receipt"]["by"] == "孙浩"
    assert state["handover"]["entered_by"] == "squad" and state["fine_paid"]["amount"] == "5000.00"
    assert _count(server, "SELECT count(*) FROM mutation_log WHERE kind = 'criminal_referral' AND case_id = :i",
                  i=record_id) == 6
    sun_digest = sun.client.digest()
    assert sun_digest["count"] == _count(
        server, "SELECT count(*) FROM record_parties WHERE org_code = 'pcs_nanqiao'")


def test_another_station_the_procuratorate_and_another_town_are_refused_with_403(server):
    zhang, wu, qian, wang = (Api(server, u) for u in ("zhang", "wu", "qianyu", "wang"))
    _case_id, record_id, _sha = _sent(zhang)
    version = _count(server, "SELECT version FROM criminal_referrals WHERE id = :i", i=record_id)
    for api in (wu, qian, wang):
        refused = api.refused("receipt_criminal_referral", {"criminal_referral_id": record_id,
                                                            "expected_status": "sent", "signed_by": "x"})
        assert refused.status == 403, refused.message
    refused = wang.refused("report_criminal_referral", _report_args(_filed_case(zhang)))
    assert refused.status == 403
    assert _count(server, "SELECT version FROM criminal_referrals WHERE id = :i", i=record_id) == version


def test_the_town_enters_a_police_step_only_with_a_reason_when_the_station_has_an_account(server):
    zhang, zhou = Api(server, "zhang"), Api(server, "zhou")
    _case_id, record_id, _sha = _sent(zhang)
    done = _step(zhang, "receipt_criminal_referral", record_id, "sent", signed_by="孙浩")
    assert done["result"] == "rejected" and "代录原因" in done["reason"]
    done = _step(zhang, "receipt_criminal_referral", record_id, "sent", signed_by="孙浩",
                 on_behalf_reason="派出所书面回执已收到")
    assert done["result"] == "applied"
    assert _data(server, record_id)["receipt"]["entered_by"] == "squad"
    # passed on to the sub-bureau, which becomes a party and signs for it itself
    sun = Api(server, "sunhao")
    done = _step(sun, "pass_on_criminal_referral", record_id, "received", to_org="gafj", notice="由分局治安支队管辖")
    assert done["result"] == "applied" and done["detail"]["status"] == "passed_on"
    assert record_id in _of(zhou.pull()["changes"], "criminal_referral")
    assert _step(zhou, "receipt_criminal_referral", record_id, "passed_on", signed_by="周")["result"] == "applied"
    refused = sun.refused("police_decide_criminal_referral", {"criminal_referral_id": record_id,
                                                              "expected_status": "received", "result": "filed"})
    assert refused.status == 403  # passed on: no longer the station's to decide


def test_bad_input_and_the_refusals_of_the_issue_get_clear_chinese_reasons(server):
    zhang, li, sun = Api(server, "zhang"), Api(server, "li"), Api(server, "sunhao")
    case_id = _filed_case(zhang)
    for over, words in (({"team": [{"name": "王磊", "cert_no": "31200001"}]}, "至少两名"),
                        ({"team": [{"name": "王磊", "cert_no": "1"}, {"name": "陈静", "cert_no": ""}]}, "执法证号"),
                        ({"receiving_org": "scjg"}, "不是公安机关"),
                        ({"receiving_org": "atlantis"}, "不在单位名单中"),
                        ({"report": ""}, "调查报告"),
                        ({"team": "two"}, "team")):
        done = zhang.push("report_criminal_referral", _report_args(case_id, **over))
        assert done["result"] == "rejected" and words in done["reason"], (over, done)
    officer = li.push("report_criminal_referral", _report_args(case_id))
    assert officer["result"] == "rejected" and "中队长" in officer["reason"]
    assert _count(server, "SELECT count(*) FROM criminal_referrals WHERE case_id = :i", i=case_id) == 0

    _case_id, record_id, _sha = _sent(zhang)
    early = _step(zhang, "hand_over_criminal_referral", record_id, "sent", materials="案卷", handed_by="张",
                  received_by="孙")
    assert early["result"] == "rejected" and "尚未立案" in early["reason"]
    assert _step(sun, "receipt_criminal_referral", record_id, "sent", signed_by="孙浩")["result"] == "applied"
    late = (datetime.now() - timedelta(days=5)).isoformat(timespec="seconds")
    _write(server, "UPDATE criminal_referrals SET data = :d WHERE id = :i",
           d=json.dumps({**_data(server, record_id), "police_decision_due": late}), i=record_id)
    no_reason = _step(sun, "police_decide_criminal_referral", record_id, "received", result="filed")
    assert no_reason["result"] == "rejected" and "逾期原因" in no_reason["reason"]
    not_filed = _step(sun, "police_decide_criminal_referral", record_id, "received", result="not_filed",
                      delay_reason="等待鉴定")
    assert not_filed["result"] == "rejected" and "不予立案须写明理由" in not_filed["reason"]
    assert _data(server, record_id)["status"] == "received"
