"""移送物品清单: the seized items handed over with a referral, signed for by both sides at the handover.

A ruled form in 小四: the referral's number and case above, then one row per item (序号 / 物品名称 / 规格 / 数量 /
单位 / 状况 / 存放地点) whose header row repeats on every page a long list runs to, the count, and the signature
lines of the person handing over and the person receiving. A referral without items prints empty rows to fill in
by hand; a provisional number makes the list a draft.
"""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from ..blocks import Sheet, render
from ..draft import is_draft, shown
from ..fonts import load_fonts
from ..referral_data import ReferralPrint
from . import referral_letter

FORM_NAME = "referral-items"
TITLE = "移送物品清单"
HEADERS = ("序号", "物品名称", "规格", "数量", "单位", "状况", "存放地点")
ITEM_WIDTHS = (12 * mm, 38 * mm, 26 * mm, 14 * mm, 12 * mm, 24 * mm, 30 * mm)  # 156 mm, the text block
numbers = referral_letter.numbers


def build(referral: ReferralPrint, *, fonts=None) -> bytes:
    sh = Sheet(fonts or load_fonts())
    r, case = referral, referral.case
    L, V = sh.label, sh.para
    head = [[L(label), (V(value, field=label), 3)] for label, value in (
        ("移送函文号", shown(r.number)), ("移送单位", r.owner_name), ("接收单位", r.receiving_name),
        ("案号", shown(case.number)), ("案由", case.cause), ("当事人", case.party_name))]
    receipt = r.receipt
    story = [sh.para(TITLE, "title", "标题"), Spacer(1, 6), *sh.grid(head), Spacer(1, 10), *_items(sh, r),
             KeepTogether([Spacer(1, 6), sh.para(f"共计{len(r.items)}项。" if r.items else "共计____项。", "form_line", "合计"),
                           sh.signature("移送人（签名）：", None, None),
                           sh.signature("接收人（签名）：", receipt.signed_by if receipt else None,
                                        receipt.received_on if receipt else None)])]
    return render(sh, story, data=r, form_name=FORM_NAME, title=TITLE, number_label="文号", number=r.number,
                  show_total=True, draft=is_draft(numbers(r)))


def _items(sh: Sheet, r: ReferralPrint) -> list:
    rows = [[sh.label(t) for t in HEADERS]]
    for i, it in enumerate(r.items, 1):
        rows.append([sh.para(str(i), "cell_center"), sh.para(it.name, field="物品名称"), sh.para(it.spec, field="规格"),
                     sh.para(it.quantity, "cell_center", "数量"), sh.para(it.unit, "cell_center", "单位"),
                     sh.para(it.condition, field="状况"), sh.para(it.kept_at, field="存放地点")])
    if not r.items:
        rows += [[[sh.para(str(i), "cell_center"), Spacer(1, 4 * mm)], "", "", "", "", "", ""] for i in range(1, 6)]
    return sh.grid(rows, ITEM_WIDTHS, header_rows=1)
