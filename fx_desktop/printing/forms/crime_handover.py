"""涉案物品和材料移交清单（交接记录） (国务院令310 art. 10): after the police opened a case, the squad hands over the
seized items and the remaining materials within 3 days. The items list with a column saying whether each was
handed over, the materials, and the signatures of who handed over and who received, with the date; blank for
hand-filling before the handover is recorded."""
from __future__ import annotations

from reportlab.platypus import KeepTogether, Spacer

from ..blocks import Sheet, render
from ..crime_data import CrimePrint
from ..fonts import load_fonts
from ..draft import is_draft
from . import crime_items, crime_letter

FORM_NAME = "crime-handover"
TITLE = "涉案物品和材料移交清单"
numbers = crime_letter.numbers


def build(crime: CrimePrint, *, fonts=None) -> bytes:
    sh = Sheet(fonts or load_fonts())
    c, h = crime, crime.handover
    marks = {it.no: ("已移交" if it.no in c.handed_items else "未移交") for it in c.items} if h else {}
    story = [sh.para(TITLE, "title", "标题"), Spacer(1, 6), *crime_items.head(sh, c), Spacer(1, 10),
             *crime_items.rows(sh, c, "移交情况", marks), Spacer(1, 8),
             *sh.grid([[sh.label("移交的其余材料"), (sh.para(c.handover_materials, field="材料") if h
                                                     else sh.fill("", "cell", "材料", 30), 3)],
                       [sh.label("备注"), (sh.para(h.note if h else "", field="备注"), 3)]]),
             KeepTogether([Spacer(1, 6), sh.signature("移交人（签名）：", h.by if h else None, h.when if h else None),
                           sh.signature("接收人（签名）：", c.handover_received_by if h else None,
                                        h.when if h else None)])]
    return render(sh, story, data=c, form_name=FORM_NAME, title=TITLE, number_label="文号", number=c.number,
                  show_total=True, draft=is_draft(numbers(c)))
