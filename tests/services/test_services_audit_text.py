"""The case timeline (办案记录) reads as Chinese sentences: every action the code writes to the audit trail has a
template, and no internal name, dict or server version reaches the text."""
import re
from datetime import datetime
from pathlib import Path

from fx_desktop.domain import legal_review as lr
from fx_desktop.domain import referral as rf
from fx_desktop.domain import police_request as pr
from fx_desktop.domain.case_draft import Officer
from fx_desktop.domain.identifiers import mask_citizen_id
from fx_desktop.domain.lifecycle import CaseStatus
from fx_desktop.domain.roles import Role
from fx_desktop.services import cases, evidence, legal_review
from fx_desktop.services.audit_text import SENTENCES, sentence
from fx_desktop.services.cases import TimelineEntry
from fx_desktop.services.profile import Profile

import fx_desktop

NOW = datetime(2026, 11, 30, 9, 12)
LEADER = Profile("u-leader", "张伟", Role.SQUAD_LEADER, "nanqiao")
OFFICER = Profile("u-officer", "李娜", Role.OFFICER, "nanqiao")
REVIEWER = Profile("u-reviewer", "赵敏", Role.LEGAL_REVIEWER, "nanqiao")
# What must never reach the screen: ASCII words (snake_case names, None, True, enum keys), dicts, versions.
INTERNAL = re.compile(r"[A-Za-z_]{3,}|_|[{}\[\]]|版本")


def _audited_actions() -> set[str]:
    """Every literal action name in an audit.append(...) call or a raw insert into the audit log's chain."""
    found: set[str] = set()
    for path in Path(fx_desktop.__file__).parent.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"audit\.append\(session", text):
            call = text[match.end():match.end() + 400]
            literal = re.search(r'action="(\w+)"', call)
            assert literal or "action=name" in call, f"{path.name}: an audit entry whose action is not a literal"
            if literal:
                found.add(literal.group(1))
        for match in re.finditer(r'audit\.digest\([^)]*?"(\w+)", detail', text):  # services/demo.py
            found.add(match.group(1))
        found.update(re.findall(r'_audit_step\([^)]*?"(\w+)"', text))
    return found | set(rf.STEPS) | set(pr.STEPS)  # referrals._step and police_requests._step audit by the name


def test_every_action_written_to_the_audit_trail_has_a_sentence():
    actions = _audited_actions()
    assert {"create", "update", "transition", "review_verdict", "sync_update", "submit_referral"} <= actions
    assert actions - set(SENTENCES) == set()


def _clean(text: str) -> None:
    assert not INTERNAL.search(text), text


def test_a_worked_case_reads_as_sentences(store, make_draft, tmp_path):
    made = cases.create_case(store, LEADER, make_draft(proposed_penalty="罚款", proposed_amount="20000"), now=NOW)
    record = cases.get_case(store, made.id)
    changed = make_draft(proposed_penalty="罚款", proposed_amount="25000", occurred_at=datetime(2025, 12, 2, 8, 5),
                         party_name="李建华", officers=[Officer("王磊", "31200001"), Officer("周涛", "31200003")],
                         circumstances=["reduced_penalty"])
    cases.update_case(store, LEADER, made.id, changed, base_version=record.version, now=NOW)
    status = CaseStatus.CLUE
    for action in ("file", "start_investigation", "close_investigation", "notify"):
        status = cases.change_status(store, LEADER, made.id, action, expected_status=status, now=NOW).status
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(b"\xff\xd8" + b"0" * 3000)
    evidence.add_evidence(store, LEADER, made.id, photo, now=NOW)
    review = legal_review.submit(store, OFFICER, made.id, materials=["case_file", "officer_opinion",
                                                                     "draft_decision", "request_report"],
                                 report="拟罚款，提请法制审核。", now=NOW)
    legal_review.extend(store, REVIEWER, made.id, review.id, "材料较多，需要核实。", now=NOW)
    legal_review.record_verdict(store, REVIEWER, made.id, review.id, outcome="agree", opinion="",
                                criteria={k: {"passed": True, "note": ""} for k, _ in lr.CRITERIA}, now=NOW)

    entries = cases.timeline(store, made.id)
    texts = [sentence(e) for e in entries]
    for text in texts:
        _clean(text.replace("现场照片.jpg", ""))  # a user's file name may be anything
    number = made.number
    assert texts[0] == f"张伟 登记了案件（案件编号 {number}）"
    assert texts[1].startswith("张伟 修改了案件信息：")
    assert "当事人姓名/名称由“李建国”改为“李建华”" in texts[1]
    assert "案发时间由“2025-12-01 10:30”改为“2025-12-02 08:05”" in texts[1]
    assert "承办人员由“王磊、陈静”改为“王磊、周涛”" in texts[1] and "31200003" not in texts[1]
    assert "拟罚款金额" in texts[1] or "罚款金额" in texts[1]
    assert "重大执法情形由（空）改为“拟减轻处罚”" in texts[1]
    assert "张伟 将案件状态由“线索登记”改为“立案”" in texts
    assert "张伟 将案件状态由“立案”改为“调查取证”" in texts
    assert "张伟 添加了照片“现场照片.jpg”（3 KB）" in texts
    assert any(t.startswith("李娜 提交法制审核（第 1 轮，材料：案卷材料、") for t in texts)
    assert any(t.startswith("赵敏 延长了法制审核期限至 ") and t.endswith("理由：材料较多，需要核实。") for t in texts)
    assert texts[-1] == "赵敏 作出法制审核意见：同意（奉南桥法审〔2026〕1号）"


def _entry(action: str, detail: dict, actor: str = "张伟", role: str = "squad_leader") -> TimelineEntry:
    return TimelineEntry(NOW, actor, role, action, detail)


def test_id_numbers_are_masked_and_values_readable():
    from tests.conftest import VALID_PERSON_ID

    text = sentence(_entry("update", {"changes": {"party_id_number": ["", VALID_PERSON_ID],
                                                  "party_kind": ["org", "person"],
                                                  "facts": ["", "长" * 80], "mystery_field": [1, 2]}}))
    _clean(text)
    assert VALID_PERSON_ID not in text and mask_citizen_id(VALID_PERSON_ID) in text
    assert "当事人类型由“单位”改为“个人”" in text and "其他信息由“1”改为“2”" in text
    assert "长" * 30 + "…" in text and "长" * 31 not in text


def test_sync_and_other_devices_entries_read_as_sentences():
    samples = [
        _entry("sync_update", {"server_version": [6, 7]}, "张伟", "sync"),
        _entry("sync_update", {"server_version": [None, 1], "number": ["临时编号2026-ab12-0001",
                                                                      "奉南桥城管立〔2026〕3号"]}, "张伟", "sync"),
        _entry("sync_update", {"server_version": [2, 3], "case_status": ["filed", "investigating"]}, "张伟", "sync"),
        _entry("sync_update", {"server_version": [2, 3], "status": "accepted"}, "张伟", "sync"),
        _entry("sync_pull", {"received": 3, "deleted": 1, "cursor": "abc"}, "张伟", "sync"),
        _entry("conflict_resolve", {"field": "party_name", "mine": "甲", "theirs": "乙", "value": "乙"}),
        _entry("conflict_resolve", {"field": "__deleted__", "value": None}),
        _entry("accept_referral", {"org": "sfj", "number": "移〔2026〕2号", "status": "accepted",
                                   "their_number": "奉司受〔2026〕9号"}, "钱七", "department_liaison"),
        _entry("sign_referral", {"org": "sfj", "number": "移〔2026〕2号", "status": "received",
                                 "received_on": "2026-11-30", "materials_match": False, "missing": "现场照片"}),
        _entry("record_referral_result", {"result": "not_filed", "reasons": "不属于管辖"}),
        _entry("review_verdict", {"round": 2, "outcome": "revise", "status": "investigation_closed"}, "赵敏"),
        _entry("resubmit", {"reason": "当事人证件号码有误", "changes": {"party_name": ["甲", "乙"]},
                            "requeued": ["create_case"]}),
        _entry("discard_refused", {"number": "临时编号2026-ab12-0001", "reason": "重复登记", "values": {}}),
        _entry("some_future_action", {"x": {"y": 1}}),
        _entry("transition", {"from": "nonsense", "to": "filed"}),
        _entry("update", "not a dict"),
    ]
    texts = [sentence(e) for e in samples]
    for text in texts:
        _clean(text)
    assert texts[0] == "同步：收到区局对本案的更新"
    assert texts[1] == "同步：区局确认案件编号 奉南桥城管立〔2026〕3号（原为 临时编号2026-ab12-0001）"
    assert texts[2] == "同步：案件状态由“立案”变为“调查取证”"
    assert texts[3] == "同步：移送状态更新为“已受理”"
    assert texts[4] == "同步：收到 3 件记录，删除 1 件"
    assert texts[5] == "张伟 处理同步冲突：当事人姓名/名称采用区局的内容“乙”"
    assert texts[7] == "钱七 受理了移送（移送编号 移〔2026〕2号），受理案号 奉司受〔2026〕9号"
    assert "缺少：现场照片" in texts[8] and "不予立案" in texts[9]
    assert texts[10] == "赵敏 作出法制审核意见：建议修改后再报（第 2 轮）"
    assert texts[11] == "张伟 修改后重新提交区局（区局未接受的原因：当事人证件号码有误）：当事人姓名/名称由“甲”改为“乙”"
    assert texts[12] == "张伟 放弃了区局未接受的案件（案件编号 临时编号2026-ab12-0001）（区局未接受的原因：重复登记）"
    assert texts[13].startswith("张伟 ") and texts[15].startswith("张伟 ")
