"""涉嫌犯罪案件情况的调查报告 (国务院令310 art. 5, 6): the squad's written report to the head, which also goes to the
police with the 移送书 — the case, the team that wrote it with their certificates, the findings, the suspected crime,
what is attached, and the head's decision (blank lines before it is taken)."""
from __future__ import annotations

from reportlab.platypus import KeepTogether, Spacer

from ..blocks import BLANK_DATE, Sheet, cn_date, render
from ..crime_data import CrimePrint
from ..draft import is_draft, shown
from ..fonts import load_fonts
from ..layout import LINE
from . import crime_letter

FORM_NAME = "crime-report"
TITLE = "涉嫌犯罪案件情况的调查报告"
numbers = crime_letter.numbers


def build(crime: CrimePrint, *, fonts=None) -> bytes:
    sh = Sheet(fonts or load_fonts())
    return render(sh, story(sh, crime), data=crime, form_name=FORM_NAME, title=TITLE, number_label="文号",
                  number=crime.number, draft=is_draft(numbers(crime)))


def story(sh: Sheet, c: CrimePrint) -> list:
    team = "、".join(f"{name}（执法证号 {cert}）" for name, cert in c.team) or "_" * 20
    attached = "；".join(f"{title}（{kind}）" for title, kind in c.attachments) or "无"
    decision = c.approved
    return [sh.para(TITLE, "title", "标题"), Spacer(1, LINE / 2),
            sh.para(f"案号：{shown(c.case.number) or '_' * 12}　当事人：{c.case.party_name or '_' * 12}　"
                    f"案由：{c.case.cause or '_' * 12}", "body_flat", "案件"),
            sh.para("一、移送小组", "h1", "标题"), sh.para(team, "body", "移送小组"),
            sh.para("二、调查情况", "h1", "标题"), *sh.paras(c.report, "body", "调查报告"),
            sh.para("三、涉嫌犯罪的罪名和依据", "h1", "标题"), *sh.paras(c.suspicion, "body", "涉嫌罪名"),
            sh.para("四、检验报告、鉴定意见等材料", "h1", "标题"), sh.para(attached + "。", "body", "附件"),
            *([sh.para("五、已作出的行政处罚", "h1", "标题"),
               sh.para(f"当事人已缴纳罚款{c.fine_paid}。", "body", "已缴罚款")] if c.fine_paid else []),
            KeepTogether([  # the date, the head's decision and signature on one page
                Spacer(1, LINE), sh.para(f"报告日期：{cn_date(c.reported_at) or BLANK_DATE}", "body_flat", "报告日期"),
                Spacer(1, LINE), sh.para("负责人审批意见：" + ("同意移送。" if decision else ""), "body_flat", "审批意见"),
                sh.signature("负责人（签名）：", decision.by if decision else None,
                             decision.when if decision else None)])]
