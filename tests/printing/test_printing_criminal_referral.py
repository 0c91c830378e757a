"""The criminal referral's forms (涉嫌犯罪案件移送书 with its 回执, 涉案物品清单, 调查报告, 移交清单, and the package for
the police bound into one PDF) built from a state made by the domain's own steps and read back like the referral
forms: fonts embedded, every value extracts as the same characters, ink only inside the text block and footer, the
receipt blank before the police sign and filled after, the package one PDF with a bookmark per document, and
`fx-desktop print` lists and writes them."""
from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
from pypdf import PdfReader

from fx_desktop.domain import criminal_referral as cr
from fx_desktop.domain.organisations import OrgDirectory
from fx_desktop.printing.crime_data import CrimePrint
from fx_desktop.printing.forms import CRIME_FORMS, build_form, prints_as_draft
from fx_desktop.store.reference import shipped
from tests.printing.conftest import body_text, ink_bbox, ink_outside, page_texts, render, squeeze
from tests.printing.test_printing_forms import embedded_fonts

ORGS = OrgDirectory.from_reference(shipped())
NAMES = {"nanqiao": "上海市奉贤区南桥镇人民政府", "pcs_nanqiao": "上海市公安局奉贤分局南桥派出所",
         "jcy": "上海市奉贤区人民检察院"}
AT = datetime(2026, 11, 23, 9, 30)
LEADER = cr.Actor("张伟", "squad_leader", "nanqiao")
POLICE = cr.Actor("孙浩", "police_liaison", "pcs_nanqiao")
NUMBER, CASE_NO = "奉南桥综执刑移〔2026〕0003号", "奉南桥综执立〔2026〕0117号"
ITEMS = [{"name": f"废酸储存桶（第{i}组）", "quantity": "20", "unit": "只", "features": "蓝色 200L 塑料桶，残留液体",
          "kept_at": "南桥镇综合行政执法队暂扣物品仓库", "measure": "扣押"} for i in range(1, 4)]


def state(*, handed: bool = True) -> dict:
    case = {"id": "c1", "status": "investigating", "number": CASE_NO, "town_code": "nanqiao", "cause": "非法倾倒危险废物",
            "party_kind": "org", "party_name": "上海鑫隆化工有限公司", "place": "奉贤区南桥镇江海路1288号",
            "occurred_at": "2026-11-12T09:40:00", "facts": "当事人将废酸约5吨倾倒于厂区外雨水井。",
            "evidence": [{"id": "e1", "name": "废酸检测报告.pdf", "sha256": "a" * 64}]}
    args = {"criminal_referral_id": "k1", "number": NUMBER, "suspicion": "涉嫌污染环境罪（《中华人民共和国刑法》第三百三十八条）",
            "report": "经调查，当事人非法倾倒废酸约5吨。\n经检测，pH值为1.2，属危险废物。",
            "team": [{"name": "王磊", "cert_no": "31200001"}, {"name": "陈静", "cert_no": "31200002"}],
            "attachments": [{"evidence_id": "e1", "kind": "检验报告"}], "items": ITEMS,
            "fine_paid": {"amount": "5000", "paid_on": "2026-11-20", "receipt_no": "FK-001"},
            "contact": {"name": "张伟", "phone": "021-57123456"}}
    rules = cr.CrimeRules()
    s = cr.report(args, case=case, owner=ORGS.require("nanqiao"), receiving=ORGS.require("pcs_nanqiao"),
                  copy_to=ORGS.require("jcy"), actor=LEADER, at=AT, rules=rules)
    s = cr.decide(s, {"approve": True}, actor=LEADER, at=AT + timedelta(hours=2), rules=rules)
    s = cr.send(s, {}, actor=LEADER, at=AT + timedelta(hours=20), rules=rules)
    if not handed:
        return s
    s = cr.receipt(s, {"signed_by": "孙浩"}, actor=POLICE, at=AT + timedelta(hours=21), rules=rules)
    s = cr.police_decide(s, {"result": "filed"}, actor=POLICE, at=AT + timedelta(days=2), rules=rules)
    return cr.hand_over(s, {"materials": "案卷一册、检测报告原件", "handed_by": "王磊", "received_by": "孙浩",
                            "items_handed": [1, 2], "note": "第3组暂存原处，待公安机关现场提取"},
                        actor=LEADER, at=AT + timedelta(days=3), rules=rules)


def data(s: dict) -> CrimePrint:
    return CrimePrint.from_state(s, lambda code: NAMES.get(code, ORGS.name(code)))


@pytest.fixture(scope="module")
def built(fonts):
    sent, done = data(state(handed=False)), data(state())
    return {(name, kind): build_form(name, d, fonts) for name in CRIME_FORMS
            for kind, d in (("sent", sent), ("done", done))}


@pytest.mark.parametrize("name", list(CRIME_FORMS))
def test_fonts_embedded_a4_and_ink_only_in_the_text_block(built, name):
    for kind in ("sent", "done"):
        embedded, bare = embedded_fonts(built[name, kind])
        assert embedded and not bare, bare
        for page in PdfReader(io.BytesIO(built[name, kind])).pages:
            assert [round(float(v), 1) for v in page.mediabox] == [0, 0, 595.3, 841.9]
        for n, page in enumerate(render(built[name, kind]), 1):
            assert ink_bbox(page) is not None and not ink_outside(page), (kind, n)


def test_the_letter_says_what_the_referral_holds_and_its_receipt_fills_in_once_signed(built):
    letter = body_text(built["crime-letter", "sent"])
    for s in [NAMES["nanqiao"], "涉嫌犯罪案件移送书", NUMBER, f"{NAMES['pcs_nanqiao']}：", CASE_NO, "上海鑫隆化工有限公司",
              "《行政执法机关移送涉嫌犯罪案件的规定》第三条、第六条", "涉嫌污染环境罪（《中华人民共和国刑法》第三百三十八条）",
              "涉案物品清单（3项）", "废酸检测报告.pdf（检验报告）", "当事人已缴纳罚款5000.00元（2026-11-20缴纳，收据FK-001），依法判处罚金时请予折抵。",
              f"抄送：{NAMES['jcy']}。", f"{NAMES['nanqiao']}（印章）2026年11月24日", "涉嫌犯罪案件移送书回执"]:
        assert squeeze(s) in letter, s
    assert "我单位已于年月日收到" in letter  # the receipt, blank before the police sign
    signed = body_text(built["crime-letter", "done"])
    assert "我单位已于2026年11月24日6时30分收到" in signed and "接收人（签名）：孙浩" in signed


def test_items_report_and_handover_say_what_the_referral_holds(built):
    items = body_text(built["crime-items", "done"])
    assert "序号物品名称数量单位特征存放地点采取的措施" in items and "共计3项。" in items
    for it in ITEMS:
        assert squeeze(f"{it['name']}20只蓝色200L塑料桶，残留液体南桥镇综合行政执法队暂扣物品仓库扣押") in items
    report = body_text(built["crime-report", "done"])
    for s in ["王磊（执法证号31200001）、陈静（执法证号31200002）", "经检测，pH值为1.2，属危险废物。", "同意移送。",
              "负责人（签名）：张伟2026年11月23日"]:
        assert squeeze(s) in report, s
    handover = body_text(built["crime-handover", "done"])
    assert "已移交" in handover and "未移交" in handover and "案卷一册、检测报告原件" in handover
    assert "第3组暂存原处，待公安机关现场提取" in handover and "接收人（签名）：孙浩2026年11月26日" in handover
    blank = body_text(built["crime-handover", "sent"])
    assert "已移交" not in blank and "接收人（签名）：年月日" in blank


def test_the_package_binds_letter_report_and_items_with_a_bookmark_each(built, fonts):
    reader = PdfReader(io.BytesIO(built["crime-package", "done"]))
    assert [o.title for o in reader.outline] == ["涉嫌犯罪案件移送书", "涉嫌犯罪案件情况的调查报告", "涉案物品清单"]
    parts = sum(len(PdfReader(io.BytesIO(built[n, "done"])).pages) for n in ("crime-letter", "crime-report",
                                                                            "crime-items"))
    assert len(reader.pages) == parts


def test_a_provisional_number_prints_a_draft(fonts):
    d = data({**state(), "number": "临时编号2026-ab12-0001"})
    assert prints_as_draft(["crime-letter"], d)
    assert "草稿" in "".join(page_texts(build_form("crime-letter", d, fonts)))


def test_fx_desktop_print_lists_and_writes_the_criminal_referral_forms(tmp_path):
    """`fx-desktop print`: the forms are listed; `--referral` (the 移送书 number) and `--case` (its latest) write
    them from a town's data folder; an unknown number is explained in Chinese."""
    from fx_desktop.domain.lifecycle import CaseStatus
    from fx_desktop.domain.roles import Role
    from fx_desktop.paths import DataPaths
    from fx_desktop.services import cases, criminal_referrals as crs
    from fx_desktop.services.profile import Profile
    from fx_desktop.store import open_store
    from tests.conftest import case_draft
    from tests.printing.test_printing_cli import run

    listed = run("print", "--list-forms")
    assert listed.returncode == 0
    for name, spec in CRIME_FORMS.items():
        assert f"{name}\t{spec.title}" in listed.stdout
    leader = Profile("u-leader", "张伟", Role.SQUAD_LEADER, "nanqiao")
    store = open_store(DataPaths.at(tmp_path / "town"))
    try:
        made = cases.create_case(store, leader, case_draft(party_name="上海鑫隆化工有限公司"))
        cases.change_status(store, leader, made.id, "file", expected_status=CaseStatus.CLUE)
        form = crs.prepare(store, leader, made.id)
        form.update(receiving_org="pcs_nanqiao", suspicion="涉嫌污染环境罪", report="倾倒废酸约5吨。", items=ITEMS)
        record = crs.report(store, leader, made.id, form)
        case_number = cases.get_case(store, made.id).number
    finally:
        store.close()
    data_dir = str(tmp_path / "town")
    out = tmp_path / "package.pdf"
    done = run("print", "--data-dir", data_dir, "--form", "crime-package", "--referral", record.number,
               "--out", str(out))
    assert done.returncode == 0, done.stderr
    text = squeeze("".join(p.extract_text() for p in PdfReader(io.BytesIO(out.read_bytes())).pages))
    assert squeeze(record.number) in text and "上海鑫隆化工有限公司" in text and "涉嫌犯罪案件情况的调查报告" in text
    items = tmp_path / "items.pdf"
    assert run("print", "--data-dir", data_dir, "--form", "crime-items", "--case", case_number, "--out",
               str(items)).returncode == 0
    assert "废酸储存桶（第1组）" in squeeze("".join(p.extract_text() for p in PdfReader(str(items)).pages))
    missing = run("print", "--data-dir", data_dir, "--form", "crime-letter", "--referral", "不存在", "--out",
                  str(tmp_path / "x.pdf"))
    assert missing.returncode == 1 and "涉嫌犯罪案件移送记录" in missing.stderr
