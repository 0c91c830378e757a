"""法制审核意见书: the legal reviewer's answer to one round of review (DOMAIN.md section 4).

Letter-like head (agency and title in 小标宋 22 pt, document number, `— n —` page numbers) over one ruled form: the
case in 小四, the eight-criteria checklist in 五号 so a usual opinion fits on one page, outcome, opinion and
signatures; then the seal line and the attachments (the materials the round submitted, nothing else). Each
criterion is answered in its own words where 符合 / 不符合 would mislead (是否涉嫌犯罪: 未发现涉嫌犯罪 / 涉嫌犯罪需移送).
Parts of the workflow that have not happened yet (no submission, no opinion) print as empty boxes and lines to fill
in by hand. A provisional opinion or case number makes the form a draft.
"""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Spacer

from ..blocks import BLANK_DATE, Sheet, cn_date, officers_text, party_summary, render, yuan
from ..data import CRITERIA, CRITERION_ANSWERS, OUTCOMES, ReviewDossier
from ..draft import is_draft, shown
from ..fonts import load_fonts

FORM_NAME = "review-opinion"
TITLE = "法制审核意见书"
CHECK_WIDTHS = (12 * mm, 54 * mm, 42 * mm, 48 * mm)
HISTORY_WIDTHS = (12 * mm, 27 * mm, 28 * mm, 16 * mm, 27 * mm, 46 * mm)


def numbers(dossier: ReviewDossier) -> tuple[str | None, ...]:
    """The document numbers this form prints."""
    return (dossier.opinion.number, dossier.case.number)


def build(dossier: ReviewDossier, *, fonts=None) -> bytes:
    sh = Sheet(fonts or load_fonts(), compact=True)
    case, op = dossier.case, dossier.opinion
    number = f"文号：{shown(op.number)}" if op.number else "文号：" + "_" * 16
    story = [sh.para(case.agency, "agency", "执法机关"), sh.para(TITLE, "title", "标题"),
             sh.para(number, "number", "文号"),
             *_case_table(sh, dossier), *_checklist(sh, dossier), *_verdict(sh, dossier)]
    if dossier.history:
        story += [Spacer(1, 8), CondPageBreak(30 * mm), sh.para("历次审核情况", "section", "标题"),
                  *_history(sh, dossier)]
    return render(sh, story, data=dossier, form_name=FORM_NAME, title=TITLE,
                  number_label="文号" if op.number else "案号", number=op.number or case.number,
                  draft=is_draft(numbers(dossier)))


def _case_table(sh: Sheet, dossier: ReviewDossier):
    case, sub = dossier.case, dossier.submission
    L, V = sh.label, sh.para
    due = cn_date(sub.due_on) if sub and sub.due_on else ""
    if due and sub.extension_reason:
        due += f"（已延长，理由：{sub.extension_reason}）"
    decision = "，".join(p for p in (case.proposed_penalty or "", yuan(case.proposed_amount)) if p)
    rows = [
        [L("案号"), V(shown(case.number), field="案号"), L("案由"), V(case.cause, field="案由")],
        [L("当事人"), (V(party_summary(case.party), field="当事人"), 3)],
        [L("承办单位"), (V(case.unit, field="承办单位"), 3)],
        [L("承办人员"), (V(officers_text(case.officers), field="承办人员"), 3)],
        [L("提交日期"), V(cn_date(sub.submitted_at) if sub else "", field="提交日期"),
         L("受理日期"), V(cn_date(sub.accepted_on) if sub else "", field="受理日期")],
        [L("审核期限"), (V(due, field="审核期限"), 3)],
        [L("拟处理决定"), (V(decision, field="拟处理决定"), 3)],
        [L("法律依据"), (V(case.legal_basis, field="法律依据"), 3)],
        [L("认定的事实"), (V(case.facts, field="违法事实"), 3)],
    ]
    return sh.grid(rows)


def _checklist(sh: Sheet, dossier: ReviewDossier):
    given = {c.label: c for c in dossier.opinion.criteria}
    rows = [[sh.label(t, "label_small") for t in ("序号", "审核要点", "审核情况", "说明")]]
    for i, label in enumerate(CRITERIA, 1):
        c = given.get(label)
        answers = CRITERION_ANSWERS[label]
        chosen = () if c is None or c.passed is None else (answers[0],) if c.passed else (answers[1],)
        rows.append([sh.para(str(i), "cell_small_center"), sh.para(label, "cell_small", "审核要点"),
                     sh.ticks(answers, chosen, field=label, size=10.5),
                     sh.para(c.note if c else "", "cell_small", label)])
    return sh.grid(rows, CHECK_WIDTHS, header_rows=1)


def _verdict(sh: Sheet, dossier: ReviewDossier):
    op = dossier.opinion
    L, V = sh.label, sh.para
    reviewed = cn_date(op.reviewed_at) or BLANK_DATE
    text = [V(op.text, field="具体审核意见") if op.text else Spacer(1, 12 * mm),
            V(f"{dossier.case.agency}（印章）", "cell_right", "印章"), V(reviewed, "cell_right", "日期")]
    rows = [[L("审核结论"), (sh.ticks(OUTCOMES, (op.outcome,) if op.outcome else (), field="审核结论"), 3)],
            [L("具体审核意见"), (text, 3)],
            [L("审核人"), V(op.reviewer, field="审核人"), L("审核日期"), V(reviewed, field="审核日期")],
            [L("机构负责人"), V(op.head, field="审核机构负责人"), L("日期"), V(BLANK_DATE, field="日期")],
            [L("附件"), (_attachments(sh, dossier), 3)]]
    return sh.grid(rows, keep=[(2, 4)])


def _attachments(sh: Sheet, dossier: ReviewDossier):
    """The materials the round submitted; before a submission, a line to fill in by hand."""
    sub = dossier.submission
    labels = [m.label for m in sub.materials if m.provided] if sub else []
    if not labels:
        return sh.para("_" * 30, field="附件")
    return sh.para("；".join(f"{i}．{label}" for i, label in enumerate(labels, 1)), field="附件")


def _history(sh: Sheet, dossier: ReviewDossier):
    rows = [[sh.label(t) for t in ("轮次", "提交日期", "审核结论", "审核人", "审核日期", "审核意见")]]
    for past in dossier.history:
        rows.append([sh.para(f"第{past.round_no}轮", "cell_center", "轮次"),
                     sh.para(cn_date(past.submitted_at), field="提交日期"),
                     sh.para(past.outcome or "", field="审核结论"), sh.para(past.reviewer or "", field="审核人"),
                     sh.para(cn_date(past.reviewed_at), field="审核日期"), sh.para(past.opinion, field="审核意见")])
    return sh.grid(rows, HISTORY_WIDTHS, header_rows=1)
