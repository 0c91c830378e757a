"""涉嫌犯罪案件移送书 with its 回执 (国务院令310 art. 6, 8): the letter that refers a suspected crime to the police,
copied to the procuratorate, and on its last part the receipt the police sign on receiving it.

An official letter (GB/T 9704) like the case referral's: issuing organisation and title, the number, the police
organisation addressed, the body in 仿宋 with its level-1 headings (the case, the suspected crime, the materials sent
with it, a fine already paid for the court to offset), the contact, the close with the seal's place, and 抄送. The
回执 follows on a page of its own, filled in once the police have signed (blank lines before). A provisional number
makes it a draft."""
from __future__ import annotations

from reportlab.platypus import CondPageBreak, PageBreak, Spacer

from ..blocks import BLANK_DATE, Sheet, cn_date, render
from ..crime_data import CrimePrint
from ..draft import is_draft, shown
from ..fonts import load_fonts
from ..layout import LINE

FORM_NAME = "crime-letter"
TITLE = "涉嫌犯罪案件移送书"
_BLANK = "_" * 12


def numbers(crime: CrimePrint) -> tuple[str | None, ...]:
    return (crime.number, crime.case.number)


def build(crime: CrimePrint, *, fonts=None) -> bytes:
    sh = Sheet(fonts or load_fonts())
    render_story = story(sh, crime)
    return render(sh, render_story, data=crime, form_name=FORM_NAME, title=TITLE, number_label="文号",
                  number=crime.number, draft=is_draft(numbers(crime)))


def story(sh: Sheet, c: CrimePrint) -> list:
    case = c.case
    annex = ["涉嫌犯罪案件情况的调查报告", f"涉案物品清单（{len(c.items)}项）" if c.items else None,
             *(f"{title}（{kind}）" for title, kind in c.attachments), "其他有关材料"]
    out = [sh.para(c.owner_name, "agency", "发文机关") if c.owner_name else Spacer(1, 0),
           sh.para(TITLE, "title", "标题"),
           sh.para(shown(c.number) if c.number else "_" * 16, "letter_number", "文号"), Spacer(1, LINE / 2),
           sh.para(f"{c.receiving_name or _BLANK}：", "body_flat", "主送机关"),
           sh.para(f"我单位在查处{case.party_name or _BLANK}{case.cause or _BLANK}一案（案号：{shown(case.number) or _BLANK}）"
                   f"中，发现其行为涉嫌犯罪。根据《行政执法机关移送涉嫌犯罪案件的规定》第三条、第六条的规定，"
                   "经本机关负责人批准，现将该案移送你单位，请依法审查处理。", "body", "正文"),
           *_heading(sh, "一、案件基本情况"),
           sh.para(f"当事人：{case.party_name or _BLANK}。案发时间：{cn_date(case.occurred_at, time=True) or _BLANK}。"
                   f"案发地点：{case.place or _BLANK}。", "body", "案件情况"),
           *sh.paras(case.facts or _BLANK, "body", "违法事实"),
           *_heading(sh, "二、涉嫌犯罪的事实和依据"),
           *sh.paras(c.suspicion or _BLANK, "body", "涉嫌罪名"),
           *_heading(sh, "三、随案移送的材料"),
           sh.para("、".join(a for a in annex if a) + "。", "body", "移送材料")]
    if c.fine_paid:
        out += [*_heading(sh, "四、已作出的行政处罚"),
                sh.para(f"当事人已缴纳罚款{c.fine_paid}，依法判处罚金时请予折抵。", "body", "已缴罚款")]
    out += [sh.para(f"联系人：{c.contact_name or _BLANK}，联系电话：{c.contact_phone or _BLANK}。", "body", "联系人"),
            Spacer(1, LINE), sh.signoff(c.owner_name, c.sent.when if c.sent else None),
            Spacer(1, LINE / 2), sh.para(f"抄送：{c.copy_name or _BLANK}。", "body_flat", "抄送"),
            PageBreak(), *receipt(sh, c)]
    return out


def _heading(sh: Sheet, text: str) -> list:
    """A level-1 heading never left alone at the foot of a page."""
    return [CondPageBreak(3 * LINE), sh.para(text, "h1", "标题")]


def receipt(sh: Sheet, c: CrimePrint) -> list:
    """回执: the police sign on the 移送书 when they receive it (art. 8)."""
    rec = c.receipt
    when = cn_date(rec.when, time=True) if rec and rec.when else BLANK_DATE
    return [sh.para("涉嫌犯罪案件移送书回执", "title", "标题"), Spacer(1, LINE / 2),
            sh.para(f"{c.owner_name or _BLANK}：", "body_flat", "主送"),
            sh.para(f"你单位移送的{c.case.party_name or _BLANK}涉嫌犯罪一案（移送书文号：{shown(c.number) or _BLANK}）"
                    f"及有关材料，我单位已于{when}收到。", "body", "回执正文"),
            Spacer(1, LINE), sh.signature("接收人（签名）：", rec.by if rec else None, rec.when if rec else None),
            Spacer(1, LINE), sh.signoff(c.receiving_name, rec.when if rec else None)]
