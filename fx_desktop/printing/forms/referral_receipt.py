"""案件移送回执: the receipt the receiving department signs, seals and sends back (DOMAIN.md section 5).

A ruled form in 小四: the referral (number, both organisations, case), then what the receiver fills in — the date
received, who signed, whether the materials match the list (tick boxes), what is missing — and its seal with the
date. Before the receipt is recorded it prints blank, with room and lines to write on by hand: a paper receipt
travels with the letter. A provisional number makes it a draft.
"""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from ..blocks import BLANK_DATE, Sheet, WritingLines, cn_date, render
from ..draft import is_draft, shown
from ..fonts import load_fonts
from ..referral_data import ReferralPrint
from . import referral_letter

FORM_NAME = "referral-receipt"
TITLE = "案件移送回执"
MATCH = ("一致", "不一致")
numbers = referral_letter.numbers


def build(referral: ReferralPrint, *, fonts=None) -> bytes:
    sh = Sheet(fonts or load_fonts())
    r, case, rec = referral, referral.case, referral.receipt
    L, V = sh.label, sh.para
    received = cn_date(rec.received_on) if rec and rec.received_on else BLANK_DATE
    match = () if rec is None or rec.materials_match is None else (MATCH[0] if rec.materials_match else MATCH[1],)
    if rec is None:
        missing = WritingLines(3)
    else:
        missing = V(rec.missing or ("无" if rec.materials_match else ""), field="缺少的材料")
    seal = [Spacer(1, 14 * mm), V(f"{r.receiving_name}（印章）" if r.receiving_name else "（印章）", "cell_right", "印章"),
            V(received, "cell_right", "日期")]
    rows = [[L("移送函文号"), (V(shown(r.number), field="文号"), 3)],
            [L("移送单位"), (V(r.owner_name, field="移送单位"), 3)],
            [L("接收单位"), (V(r.receiving_name, field="接收单位"), 3)],
            [L("案号"), (V(shown(case.number), field="案号"), 3)],
            [L("案由"), (V(case.cause, field="案由"), 3)],
            [L("移送日期"), V(cn_date(r.submitted_at), field="移送日期"), L("移送材料"),
             V(f"{len(r.materials)}项" + (f"，物品{len(r.items)}项" if r.items else ""), field="移送材料")],
            [L("收到日期"), V(received, field="收到日期"), L("签收人"),
             V(rec.signed_by, field="签收人") if rec and rec.signed_by else _hand(sh)],
            [L("材料是否与\n清单一致"), (sh.ticks(MATCH, match, field="材料是否一致"), 3)],
            [L("缺少的材料"), (missing, 3)],
            [L("接收单位\n（盖章）"), (seal, 3)]]
    story = [sh.para(TITLE, "title", "标题"), Spacer(1, 10), *sh.grid(rows, keep=[(6, 9)]), Spacer(1, 6),
             sh.para(f"注：本回执由接收单位填写、盖章后退回{r.owner_name or '移送单位'}。", "small", "注")]
    return render(sh, story, data=r, form_name=FORM_NAME, title=TITLE, number_label="文号", number=r.number,
                  draft=is_draft(numbers(r)))


def _hand(_sh: Sheet):
    """An empty cell tall enough for a signature."""
    return Spacer(1, 8 * mm)
