"""重大行政执法决定法制审核申请表: the squad's request for legal review of a major decision (DOMAIN.md section 4).

A ruled form in 小四 (12 pt) with "第 n 页 共 m 页" in the footer, since long facts or a long report make it run to
several pages. The materials list is the round's own: what it submitted (and a required one it lacks, as 未提供);
without a submission yet, the materials this case must submit with empty boxes, and the report, signatures and the
review office's receipt are blank to fill in by hand. A provisional case number makes the form a draft.
"""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from ..blocks import BLANK_DATE, BLOCK_W, Sheet, cn_date, officers_text, render, yuan
from ..data import ReviewDossier
from ..draft import is_draft, shown
from ..fonts import load_fonts

FORM_NAME = "review-request"
TITLE = "重大行政执法决定法制审核申请表"
MATERIAL_WIDTHS = (14 * mm, 58 * mm, 44 * mm, 40 * mm)


def numbers(dossier: ReviewDossier) -> tuple[str | None, ...]:
    """The document numbers this form prints."""
    return (dossier.case.number,)


def build(dossier: ReviewDossier, *, fonts=None) -> bytes:
    sh = Sheet(fonts or load_fonts())
    case, sub = dossier.case, dossier.submission
    head = sh.table([[sh.para(f"申请单位：{case.unit}", "form_line", "承办单位"),
                      sh.para(f"申请日期：{cn_date(sub.submitted_at) if sub else BLANK_DATE}", "form_right", "申请日期")]],
                    [BLOCK_W * 0.62, BLOCK_W * 0.38],
                    [("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                     ("BOTTOMPADDING", (0, 0), (-1, -1), 4), ("VALIGN", (0, 0), (-1, -1), "BOTTOM")])
    story = [sh.para(TITLE, "title", "标题"), Spacer(1, 4), head, *_case_grid(sh, dossier),
             *_materials(sh, dossier), *_report_and_signatures(sh, dossier)]
    return render(sh, story, data=dossier, form_name=FORM_NAME, title=TITLE, number_label="案号",
                  number=case.number, show_total=True, draft=is_draft(numbers(dossier)))


def _party_rows(sh: Sheet, party) -> list[list]:
    L, V = sh.label, sh.para
    if party.kind == "org":
        return [[L("当事人名称"), (V(party.name, field="当事人名称"), 3)],
                [L("法定代表人"), V(party.legal_rep, field="法定代表人"),
                 L("统一社会信用代码"), V(party.id_number, field="统一社会信用代码")],
                [L("地址"), V(party.address, field="地址"), L("联系电话"), V(party.phone, field="联系电话")]]
    return [[L("当事人姓名"), V(party.name, field="当事人姓名"), L("性别"), V(party.sex, field="性别")],
            [L("公民身份号码"), V(party.id_number, field="公民身份号码"),
             L("出生日期"), V(cn_date(party.birth_date), field="出生日期")],
            [L("住址"), V(party.address, field="住址"), L("联系电话"), V(party.phone, field="联系电话")]]


def _case_grid(sh: Sheet, dossier: ReviewDossier):
    case = dossier.case
    L, V = sh.label, sh.para
    reasons = "\n".join(f"{i}．{r}" for i, r in enumerate(case.major_reasons, 1))
    rows = [[L("案号"), V(shown(case.number), field="案号"), L("案由"), V(case.cause, field="案由")],
            [L("案件来源"), V(case.source, field="案件来源"), L("案件类别"), V(case.category, field="案件类别")],
            *_party_rows(sh, case.party),
            [L("承办单位"), (V(case.unit, field="承办单位"), 3)],
            [L("承办人员及\n执法证号"), (V(officers_text(case.officers), field="承办人员"), 3)],
            [L("违法事实"), (V(case.facts, field="违法事实"), 3)],
            [L("法律依据"), (V(case.legal_basis, field="法律依据"), 3)],
            [L("拟处理决定"), V(case.proposed_penalty, field="拟处理决定"),
             L("金额"), V(yuan(case.proposed_amount), field="金额")],
            [L("属于重大执法\n决定的情形"), (V(reasons, field="重大执法决定情形"), 3)]]
    return sh.grid(rows)


def _materials(sh: Sheet, dossier: ReviewDossier):
    sub = dossier.submission
    rows = [[sh.label(t) for t in ("序号", "提交材料", "是否提供", "备注")]]
    if sub:
        items = [(m.label, ("已提供",) if m.provided else ("未提供",), m.note) for m in sub.materials]
    else:
        items = [(label, (), "") for label in dossier.expected_materials]
    for i, (label, chosen, note) in enumerate(items, 1):
        rows.append([sh.para(str(i), "cell_center"), sh.para(label, field="提交材料"),
                     sh.ticks(("已提供", "未提供"), chosen, field=label), sh.para(note, field=f"{label}备注")])
    return sh.grid(rows, MATERIAL_WIDTHS, header_rows=1)


def _report_and_signatures(sh: Sheet, dossier: ReviewDossier):
    sub = dossier.submission
    L, V = sh.label, sh.para
    report = V(sub.report, field="审核申请报告") if sub and sub.report else Spacer(1, 40 * mm)
    due = cn_date(sub.due_on) if sub and sub.due_on else ""
    if due and sub.extension_reason:
        due += f"（已延长，理由：{sub.extension_reason}）"
    rows = [[L("审核申请报告"), (report, 3)],
            [L("承办人\n（签名）"), V(sub.submitted_by if sub else "", field="承办人"),
             L("日期"), V(cn_date(sub.submitted_at) if sub else BLANK_DATE, field="日期")],
            [L("中队负责人\n意见"), ([Spacer(1, 12 * mm), V(f"签名：{'_' * 12}{BLANK_DATE}", "cell_right", "签名")], 3)],
            [(L("法制审核机构收件"), 4)],
            [L("收件人\n（签名）"), V("", field="收件人"), L("收件日期"),
             V(cn_date(sub.accepted_on) if sub and sub.accepted_on else BLANK_DATE, field="收件日期")],
            [L("审核期限"), (V(due, field="审核期限"), 3)]]
    return sh.grid(rows, keep=[(1, 2), (3, 5)])
