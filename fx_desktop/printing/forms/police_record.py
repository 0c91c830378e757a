"""公安协助登记表: the record of one police assistance request, for the case file (DOMAIN.md section 5).

A ruled form in 小四: the request (number, situation, urgency, applying squad, applicant and approver, time window or
call time, place, case and party, risk assessment, what was asked, officers needed), then the police's side (the
police organisation, incident number, arrival with the officers and their numbers, identity result, outcome), each
step with who entered it — 公安录入, or 中队代录 with the reason — and the squad's follow-up (body-camera files,
injuries or damage, follow-up). Steps not taken yet print blank, to fill in by hand.
"""
from __future__ import annotations

from reportlab.platypus import Spacer

from ..blocks import Sheet, cn_date, render
from ..draft import is_draft, shown
from ..fonts import load_fonts
from ..police_data import PolicePrint, PoliceStep
from . import police_letter

FORM_NAME = "police-record"
TITLE = "公安协助登记表"
numbers = police_letter.numbers


def _who(step: PoliceStep | None) -> str:
    if step is None:
        return ""
    when = cn_date(step.at, time=True) if step.at else ""
    if step.on_behalf:
        return f"中队代录：{step.by} {when}" + (f"（原因：{step.reason}）" if step.reason else "（该公安机关无系统账号）")
    return f"公安录入：{step.by} {when}"


def build(request: PolicePrint, *, fonts=None) -> bytes:
    sh = Sheet(fonts or load_fonts())
    r = request
    L, V = sh.label, sh.para
    when = cn_date(r.call_time, time=True) if r.call_time else ""
    window = police_letter._window(r) if r.window_start else ""

    def step(label: str, s: PoliceStep | None) -> list:
        return [L(label), (V("\n".join(t for t in (s.text if s else "", _who(s)) if t), field=label), 3)]

    rows = [[L("编号"), V(shown(r.number), field="编号"), L("情形"), V(r.situation, field="情形")],
            [L("提请单位"), V(r.owner_name, field="提请单位"), L("紧急程度"), V(r.urgency, field="紧急程度")],
            [L("申请人"), V(r.applicant, field="申请人"), L("审批人"), V(r.approver, field="审批人")],
            [L("报警时间"), V(when, field="报警时间"), L("计划时间"), V(window, field="计划时间")],
            [L("地点"), (V(r.place, field="地点"), 3)],
            [L("案件/当事人"), (V(" ".join(t for t in (shown(r.case_number) if r.case_number else "", r.case_cause,
                                                      r.party) if t), field="当事人"), 3)],
            [L("风险评估"), (V(r.risk, field="风险评估"), 3)],
            [L("请求协助事项"), (V(r.asks, field="协助事项"), 3)],
            [L("需要警力"), V(f"{r.officers_needed}人" if r.officers_needed else "", field="警力"),
             L("接收公安机关"), V(r.station_name, field="公安机关")],
            [L("情况说明"), (V(r.details, field="情况说明"), 3)],
            [L("警情编号"), (V(r.incident_number, field="警情编号"), 3)],
            step("接警确认", r.acknowledged), step("民警到场", r.arrival), step("身份核实", r.identity),
            step("处置结果", r.outcome),
            [L("执法记录仪\n文件编号"), (V(r.body_cams, field="执法记录仪"), 3)],
            [L("人员受伤或\n财物损坏"), (V(r.injuries, field="受伤损坏"), 3)],
            [L("后续处理"), (V(r.follow_up, field="后续处理"), 3)],
            [L("联系人"), V(r.contact_name, field="联系人"), L("联系电话"), V(r.contact_phone, field="联系电话")]]
    story = [sh.para(TITLE, "title", "标题"), Spacer(1, 10), *sh.grid(rows)]
    return render(sh, story, data=r, form_name=FORM_NAME, title=TITLE, number_label="编号", number=r.number,
                  draft=is_draft(numbers(r)))
