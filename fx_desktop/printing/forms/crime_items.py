"""涉案物品清单 (国务院令310 art. 6): the seized items of a criminal referral — name, quantity, features, storage place
and the measure taken — signed by the one who hands them over and the one who receives them. The header row repeats
on every page; a referral without items prints empty rows to fill in by hand; a provisional number makes a draft."""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from ..blocks import Sheet, render
from ..crime_data import CrimePrint
from ..draft import is_draft, shown
from ..fonts import load_fonts
from . import crime_letter

FORM_NAME = "crime-items"
TITLE = "涉案物品清单"
HEADERS = ("序号", "物品名称", "数量", "单位", "特征", "存放地点", "采取的措施")
WIDTHS = (12 * mm, 30 * mm, 14 * mm, 12 * mm, 36 * mm, 30 * mm, 22 * mm)  # 156 mm, the text block
numbers = crime_letter.numbers


def build(crime: CrimePrint, *, fonts=None) -> bytes:
    sh = Sheet(fonts or load_fonts())
    return render(sh, story(sh, crime), data=crime, form_name=FORM_NAME, title=TITLE, number_label="文号",
                  number=crime.number, show_total=True, draft=is_draft(numbers(crime)))


def head(sh: Sheet, c: CrimePrint) -> list:
    return sh.grid([[sh.label(label), (sh.para(value, field=label), 3)] for label, value in (
        ("移送书文号", shown(c.number)), ("移送单位", c.owner_name), ("接收单位", c.receiving_name),
        ("案号", shown(c.case.number)), ("当事人", c.case.party_name))])


def rows(sh: Sheet, c: CrimePrint, extra: str | None = None, marks: dict[int, str] | None = None) -> list:
    """The items grid; `extra` names a last column whose values are `marks` by item number (the handover's)."""
    headers = HEADERS + ((extra,) if extra else ())
    widths = WIDTHS if not extra else (10 * mm, 26 * mm, 12 * mm, 10 * mm, 32 * mm, 28 * mm, 20 * mm, 18 * mm)
    out = [[sh.label(t) for t in headers]]
    for it in c.items:
        row = [sh.para(str(it.no), "cell_center"), sh.para(it.name, field="物品名称"),
               sh.para(it.quantity, "cell_center", "数量"), sh.para(it.unit, "cell_center", "单位"),
               sh.para(it.features, field="特征"), sh.para(it.kept_at, field="存放地点"),
               sh.para(it.measure, "cell_center", "措施")]
        if extra:
            row.append(sh.para((marks or {}).get(it.no, ""), "cell_center", extra))
        out.append(row)
    if not c.items:
        out += [[sh.para(str(i), "cell_center"), Spacer(1, 4 * mm)] + [""] * (len(headers) - 2) for i in range(1, 6)]
    return sh.grid(out, widths, header_rows=1)


def story(sh: Sheet, c: CrimePrint) -> list:
    return [sh.para(TITLE, "title", "标题"), Spacer(1, 6), *head(sh, c), Spacer(1, 10), *rows(sh, c),
            KeepTogether([Spacer(1, 6), sh.para(f"共计{len(c.items)}项。" if c.items else "共计____项。",
                                                "form_line", "合计"),
                          sh.signature("移送人（签名）：", None, None), sh.signature("接收人（签名）：", None, None)])]
