"""The meeting pack (issue 14, "Speed"): notice, agenda, sign-in sheet, the case briefings of the cases on the agenda,
the 纪要, the agreed-items list and one 督办单 per agreed item, bound into one PDF with a bookmark each, of about
200 pages, built in one process with the fonts registered beforehand. Goal: < 4 s, as the review bundle's 200 pages
(batch_200_pages_s in bench/printing.py). Prints `meeting_pack_200_pages_s` and its ratio to the goal.

    python -m bench.meeting_pack [--pages 200] [--runs 3]
"""
from __future__ import annotations

import argparse
import time
from datetime import date, datetime
from typing import Iterable

from .common import emit_timed, figure, log, median

GOAL_S = 4.0
PAGES = 200
UNITS = ("南桥镇城市管理综合行政执法队", "区规划资源局", "区市场监管局", "区生态环境局", "南桥派出所", "区住房城乡建设管理委",
         "区水务局", "区交通委", "区绿化市容局", "区应急管理局")


def specimen_meeting(cases: int, items: int, attendees: int):
    """A meeting of `attendees` people with `cases` cases on its agenda and `items` agreed items, each with its
    issued 督办单 (one page) — the parts of a large coordination meeting's pack."""
    from fx_desktop.printing.meeting_data import (AgendaItem, AgreedItem, Attendee, MeetingPrint, Progress,
                                                  SupervisionSheet)

    from .printing import specimen

    people = tuple(Attendee(UNITS[i % len(UNITS)], ("科长", "副所长", "队长", "科员")[i % 4],
                            ("张", "李", "王", "陈", "赵", "孙")[i % 6] + ("伟", "敏", "强", "芳", "杰")[i % 5] + str(i),
                            f"139{i:08d}", ("出席", "出席", "出席", "请假", "列席")[i % 5]) for i in range(attendees))
    dossiers = tuple(specimen(i, facts_repeat=4 if i % 3 == 2 else 1) for i in range(cases))
    agenda = tuple(AgendaItem(i + 1, f"{d.case.party.name}{d.case.cause}一案的协调处理", "协调会商事项",
                              presenter=UNITS[i % len(UNITS)]) for i, d in enumerate(dossiers))
    agreed = tuple(AgreedItem(i, f"由{UNITS[i % len(UNITS)]}牵头，对第{i}项协调事项开展联合核查，"
                                 "依法处置并于时限内书面反馈办理结果", UNITS[i % len(UNITS)],
                              (UNITS[(i + 1) % len(UNITS)], UNITS[(i + 2) % len(UNITS)]), date(2026, 12, 1 + i % 28),
                              "办理中") for i in range(1, items + 1))
    sheets = tuple(SupervisionSheet(f"南桥督〔2026〕{i}号", a.matter, f"〔2026〕第3期纪要议定事项第{i}项", a.deadline,
                                    a.lead_unit, "周建华", "张伟", "南桥镇人民政府办公室", date(2026, 11, 24), "办理中",
                                    (Progress(date(2026, 11, 28), "已开展现场核查，正在依法处置", "张伟"),),
                                    urged=(date(2026, 12, 10),)) for i, a in enumerate(agreed, 1))
    return MeetingPrint(
        number="〔2026〕第3期", kind="regular", title="南桥镇综合行政执法协调会议", organiser="南桥镇人民政府",
        mark="南桥镇综合行政执法协调会议纪要", starts_at=datetime(2026, 11, 20, 9, 30), place="镇政府三楼第一会议室",
        chair="周建华", minute_taker="赵敏", attendees=people, agenda=agenda,
        minutes_intro="2026年11月20日，周建华副镇长主持召开南桥镇综合行政执法协调会议，研究有关协调事项。\n会议议定：",
        agreed=agreed, minutes_status="已签发", signed_on=date(2026, 11, 23), notice_issued_on=date(2026, 11, 16),
        notice_body="请各单位分管负责同志准时参加。", contact="联系人：王芳，电话：57420000", supervision=sheets,
        cases=dossiers)


def sized(pages: int):
    """A meeting whose pack is about `pages` pages: a third of them 督办单, the rest mostly case briefings."""
    items = max(1, pages * 3 // 10)
    return specimen_meeting(cases=max(1, pages // 4 + 4), items=items, attendees=max(5, pages // 4))


def measure(pages: int = PAGES, runs: int = 3) -> Iterable[dict]:
    from fx_desktop.printing.bundle import page_count
    from fx_desktop.printing.fonts import load_fonts
    from fx_desktop.printing.forms import build_form

    fonts = load_fonts()
    meeting = sized(pages)
    pdf = build_form("meeting-pack", meeting, fonts)  # warm: fonts parsed, styles built
    count = page_count(pdf)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        build_form("meeting-pack", meeting, fonts)
        times.append(time.perf_counter() - started)
    seconds = median(times)
    log(f"  meeting pack: {count} pages ({len(meeting.cases)} cases, {len(meeting.agreed)} agreed items, "
        f"{len(meeting.attendees)} attendees), {len(pdf) / 1024:.0f} KiB, {seconds:.2f} s (median of {runs})")
    scaled = seconds * PAGES / count
    extra = {} if pages >= PAGES else {"estimated": f"scaled linearly from {count} pages"}
    yield figure("meeting_pack_200_pages_s", scaled, "s", f"< {GOAL_S:g} s", scaled < GOAL_S, pages=count,
                 runs=runs, pdf_kb=len(pdf) / 1024, **extra)
    yield figure("meeting_pack_ratio_vs_goal", scaled / GOAL_S, "x", "< 1x", scaled < GOAL_S, seconds=scaled,
                 goal_s=GOAL_S)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.meeting_pack", description=__doc__.split("\n\n")[0])
    p.add_argument("--pages", type=int, default=PAGES, help=f"about how many pages the pack has (default {PAGES})")
    p.add_argument("--runs", type=int, default=3, help="builds timed, the median is reported (default 3)")
    args = p.parse_args(argv)
    if args.pages < 10 or args.runs < 1:
        p.error("--pages must be at least 10 and --runs at least 1")
    emit_timed(lambda: measure(args.pages, args.runs), "meeting pack")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
