"""`fx-desktop print`: a form of one case or one referral to a PDF file, for scripts and batch jobs. A form whose
workflow step has not happened yet prints with those parts blank, ready to fill by hand. A form with a provisional
number (the server has not given the official one yet) is written marked as a draft, with a warning on stderr; the
exit code stays 0.

A referral form prints the referral named by `--referral` (its number or id; this is how a department's user, whose
store has no cases, picks one) or the latest referral of the case named by `--case`.

The meeting forms (meeting-*) print the synced meeting named by `--meeting` (its number or id), the 督办单 the sheet
named by `--supervision`, the 督办通报 the sheets of `--period` (this month by default). Each also prints from a
JSON file of its print data given by `--meeting-json` (printing/meeting_json.py: a MeetingPrint, SupervisionSheet or SupervisionReport), for
administrators and tests; minutes not signed off or a meeting without its number print as a draft, with the reason
on stderr."""
from __future__ import annotations

import sys
from datetime import date

from .domain.errors import DomainError
from .printing.files import write_atomically


def run(paths, args, open_store) -> int:
    from .printing.forms import ALL_FORMS

    if args.list_forms:
        for spec in ALL_FORMS.values():
            print(f"{spec.name}\t{spec.title}")
        return 0
    referral = getattr(args, "referral", None) or getattr(args, "police_request", None)
    meeting_json = getattr(args, "meeting_json", None)
    meeting_keys = {flag: value for flag, value in (
        ("--meeting", getattr(args, "meeting", None)), ("--supervision", getattr(args, "supervision", None)),
        ("--period", getattr(args, "period", None))) if value}
    chosen = args.case_no or referral or meeting_json or meeting_keys or args.form in _store_forms()
    missing = [flag for flag, value in (("--form", args.form), ("--case", chosen), ("--out", args.out)) if not value]
    if missing:
        print(f"错误：请提供 {'、'.join(missing)}（用 --list-forms 查看可打印的文书；移送文书也可用 --referral "
              "指定移送函或移送书的文号；会议文书用 --meeting 指定会议编号，督办单用 --supervision 指定编号，"
              "也可用 --meeting-json 指定数据文件）。", file=sys.stderr)
        return 2
    if (meeting_json or meeting_keys) and (args.case_no or referral):
        flags = "、".join(([MEETING_FLAG] if meeting_json else []) + list(meeting_keys))
        print(f"错误：{flags} 不能与 --case、--referral 同时使用：会议与督办文书不属于某一案件。", file=sys.stderr)
        return 2
    if meeting_json and meeting_keys:
        print(f"错误：{MEETING_FLAG} 不能与 {'、'.join(meeting_keys)} 同时使用：数据要么来自 JSON 文件，要么来自本机。",
              file=sys.stderr)
        return 2
    if args.case_no and referral:
        print("错误：--case 与 --referral 只能选一个：案件文书用 --case 指定案件编号，移送文书用 --referral 指定"
              "移送函或移送书的文号（或用 --case 打印该案件最近一次移送）。", file=sys.stderr)
        return 2
    lock, store = open_store(paths)
    try:
        from .printing.draft import NOTICE
        from .printing.fonts import set_office_font
        from .printing.forms import build_form, draft_notice
        from .store.settings import PRINT_FONT

        set_office_font(PRINT_FONT.get(store))  # the office's print font (设置), unless FX_PRINT_FONT names one
        if meeting_json:
            data = _meeting_data(args.form, meeting_json)
        elif meeting_keys or args.form in _store_forms():
            data = _meeting_store_data(store, args.form, args)
        else:
            data = _data(store, args.form, args.case_no, referral)
        pdf = build_form(args.form, data)
        write_atomically(args.out, pdf)
        notice = draft_notice([args.form], data)
        if notice == NOTICE:
            print(f"注意：{args.out} 标注为草稿。{NOTICE}请运行 fx-desktop sync 后重新打印。", file=sys.stderr)
        elif notice:
            print(f"注意：{args.out} 标注为草稿。{notice}", file=sys.stderr)
    except DomainError as exc:
        print(f"错误：{exc.message}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"错误：无法写入 {args.out}：{exc.strerror or exc}。请检查目录是否存在、是否有写权限和磁盘空间。",
              file=sys.stderr)
        return 1
    finally:
        store.close()
        lock.release()
    print(f"已生成 {args.out}（{ALL_FORMS[args.form].title}，{len(pdf) // 1024 + 1} KB）。")
    return 0


MEETING_FLAG = "--meeting-json"
REPORT_FORM = "supervision-report"


def _store_forms() -> set[str]:
    """The meeting and supervision forms, which print from this computer's meetings and sheets."""
    from .printing.forms import MEETING_FORMS, REPORT_FORMS, SUPERVISION_FORMS

    return {*MEETING_FORMS, *SUPERVISION_FORMS, *REPORT_FORMS}


def _meeting_store_data(store, form: str, args):
    """A meeting's, a 督办单's or the 督办通报's print data, from this computer's synced records."""
    from .printing.forms import MEETING_FORMS, SUPERVISION_FORMS, form_spec

    spec = form_spec(form)
    if form in MEETING_FORMS:
        if not getattr(args, "meeting", None):
            raise DomainError(f"“{spec.title}”（{spec.name}）是会议文书，请用 --meeting 指定会议编号（如“〔2026〕第3期”）"
                              "或会议 ID。")
        from .services.meeting_print import meeting_print

        return meeting_print(store, _record_id(store, "meetings", args.meeting, "会议"))
    if form in SUPERVISION_FORMS:
        if not getattr(args, "supervision", None):
            raise DomainError(f"“{spec.title}”（{spec.name}）需要用 --supervision 指定督办单编号或 ID。")
        from .services.supervision_print import sheet_print

        return sheet_print(store, _record_id(store, "supervisions", args.supervision, "督办单"))
    if form == REPORT_FORM:
        from .services.supervision_print import report_print

        start, end = _period(getattr(args, "period", None))
        return report_print(store, start, end, date.today())
    raise DomainError(f"“{spec.title}”（{spec.name}）是{spec.subject}的文书，--meeting、--supervision、--period "
                      "只用于会议与督办文书。")


def _record_id(store, table: str, key: str, what: str) -> str:
    """The id of the record of `table` whose number or id is `key`; a number two organisations share asks for the
    id, naming them."""
    from sqlalchemy import text

    key = key.strip()
    with store.sessions() as session:
        rows = session.execute(text(f"SELECT id, owner_org, number FROM {table} WHERE id = :k OR number = :k"),
                               {"k": key}).all()
    if not rows:
        raise DomainError(f"本机没有编号或 ID 为“{key}”的{what}。请先运行 fx-desktop sync 同步，或检查编号是否正确。")
    if len(rows) > 1:
        listed = "；".join(f"{owner} 的 {number}：{rid}" for rid, owner, number in rows)
        raise DomainError(f"编号“{key}”对应多个{what}（{listed}），请改用 ID 指定。")
    return rows[0][0]


def _period(text: str | None) -> tuple[date, date]:
    """`START:END` as two dates; by default the 1st of this month to today."""
    today = date.today()
    if not text:
        return today.replace(day=1), today
    try:
        start, end = (date.fromisoformat(part.strip()) for part in text.split(":"))
    except ValueError:
        raise DomainError(f"期间“{text}”的格式不对，应为 开始日期:结束日期，如 2026-11-01:2026-11-30。") from None
    if end < start:
        raise DomainError(f"期间“{text}”的结束日期早于开始日期，请改正。")
    return start, end


def _meeting_data(form: str, path: str):
    """A meeting or supervision form's print data, read from the JSON file at `path`."""
    from .printing.forms import form_spec
    from .printing.meeting_data import MeetingPrint, SupervisionReport, SupervisionSheet
    from .printing.meeting_json import read_file

    spec = form_spec(form)
    if spec.data_type not in (MeetingPrint, SupervisionSheet, SupervisionReport):
        raise DomainError(f"“{spec.title}”（{spec.name}）不是会议或督办文书，{MEETING_FLAG} 只用于 meeting-*、"
                          "supervision-* 文书；案件与移送文书请用 --case 或 --referral。")
    return read_file(path, spec.data_type)


def _data(store, form: str, case_no: str | None, referral: str | None):
    """What form `form` prints from: the case's dossier, or the referral's printable view."""
    from .printing.forms import CRIME_FORMS, POLICE_FORMS, REFERRAL_FORMS, form_spec
    from .printing.meeting_data import MeetingPrint, SupervisionReport, SupervisionSheet
    from .services import print_data as pdata
    from .services.referrals import get

    spec = form_spec(form)  # an unknown form: the message names the valid ones
    if spec.data_type in (MeetingPrint, SupervisionSheet, SupervisionReport):
        raise DomainError(f"“{spec.title}”（{spec.name}）是{spec.subject}的文书，请用 --meeting、--supervision 或 "
                          f"--period 指定，或用 {MEETING_FLAG} 指定其数据文件（JSON）。")
    if form in POLICE_FORMS:  # --referral here names the request (the CLI's --police-request fills it)
        from .services import police_requests

        request_id = pdata.find_police_request_id(store, referral) if referral else \
            pdata.latest_police_request_id(store, case_no)
        return pdata.police_print(police_requests.get(store, request_id).data, pdata.referral_names(store))
    if form in CRIME_FORMS:
        return _crime_data(store, case_no, referral)
    if form not in REFERRAL_FORMS:
        if referral:
            raise DomainError(f"“{spec.title}”（{spec.name}）是案件的文书，请用 --case 指定案件编号，"
                              "--referral 只用于移送文书。")
        return pdata.dossier(store, pdata.find_case_id(store, case_no))
    referral_id = pdata.find_referral_id(store, referral) if referral else pdata.latest_referral_id(store, case_no)
    return pdata.referral_print(get(store, referral_id).data, pdata.referral_names(store))


def _crime_data(store, case_no: str | None, key: str | None):
    """A criminal referral's printable view: the one whose 移送书 number (or id) is `key`, else the case's latest."""
    from sqlalchemy import or_, select

    from .printing.crime_data import CrimePrint
    from .services import print_data as pdata
    from .store.models import CriminalReferral

    with store.sessions() as session:
        query = select(CriminalReferral)
        if key:
            query = query.where(or_(CriminalReferral.number == key.strip(), CriminalReferral.id == key.strip()))
        else:
            query = query.where(CriminalReferral.case_id == pdata.find_case_id(store, case_no))
        row = session.execute(query.order_by(CriminalReferral.updated_at.desc()).limit(1)).scalar_one_or_none()
        state = dict(row.data) if row is not None else None
    if state is None:
        raise DomainError(f"本机没有“{key or case_no}”的涉嫌犯罪案件移送记录，请核对移送书文号或案件编号，"
                          "或先同步以取得最新记录。")
    return CrimePrint.from_state(state, pdata.referral_names(store))
