"""督办单 (DOMAIN.md §6): one supervised matter — an agreed item of a meeting, a request or a referral — as a ruled
form in 小四: its number and status, the matter and where it comes from, the responsible unit, the leader in charge
and the handler, the deadline, the supervising office and the day it was issued, an extension asked or granted, the
days it was chased (催办) and the progress reported; then the result for the responsible unit to write in by hand
and the signatures. A sheet without its number (not issued yet) or with a provisional one is a draft."""
from __future__ import annotations

from reportlab.platypus import KeepTogether, Spacer

from ..blocks import Sheet, WritingLines, cn_date
from ..draft import shown
from ..layout import PageSpec
from ..meeting_data import SupervisionSheet
from .meeting_common import build_alone, sheet_draft, spec_with

FORM_NAME = "supervision-sheet"
TITLE = "督办单"


def numbers(s: SupervisionSheet) -> tuple[str | None, ...]:
    return (s.number,)


def draft_reason(s: SupervisionSheet):
    return sheet_draft(s)


def build(s: SupervisionSheet, *, fonts=None) -> bytes:
    return build_alone(section, s, fonts)


def section(sh: Sheet, s: SupervisionSheet) -> tuple[list, PageSpec]:
    """The story and the footer (for this form alone or bound in the meeting pack)."""
    spec = spec_with(draft_reason(s), data=s, form_name=FORM_NAME, title=TITLE, number_label="编号", number=s.number)
    return story(sh, s), spec


def progress_text(s: SupervisionSheet) -> str:
    return "\n".join(f"{cn_date(p.on)}　{p.by + '：' if p.by else ''}{p.text}" for p in s.progress)


def story(sh: Sheet, s: SupervisionSheet) -> list:
    L, V = sh.label, sh.para
    urged = "、".join(cn_date(d) for d in s.urged)
    rows = [[L("督办编号"), V(shown(s.number) if s.number else "", field="督办编号"), L("办理状态"),
             V(s.status, field="办理状态")],
            [L("督办事项"), (V(s.matter, field="督办事项"), 3)],
            [L("事项来源"), (V(s.source, field="事项来源"), 3)],
            [L("责任单位"), V(s.responsible_unit, field="责任单位"), L("完成时限"), V(cn_date(s.deadline), field="完成时限")],
            [L("分管领导"), V(s.leader, field="分管领导"), L("承办人"), V(s.handler, field="承办人")],
            [L("督办单位"), V(s.issued_by, field="督办单位"), L("签发日期"), V(cn_date(s.issued_on), field="签发日期")],
            [L("延期情况"), (V(s.extension, field="延期情况"), 3)],
            [L("催办记录"), (V(f"已于{urged}催办。" if urged else "", field="催办记录"), 3)],
            [L("办理进展"), (V(progress_text(s), field="办理进展"), 3)],
            [L("办理结果\n（责任单位\n填写）"), (WritingLines(4), 3)]]
    return [sh.para(TITLE, "title", "标题"), Spacer(1, 10), *sh.grid(rows),
            KeepTogether([Spacer(1, 10), sh.signature("责任单位负责人（签名）：", None, None),
                          sh.signature("督办人（签名）：", None, None)])]
