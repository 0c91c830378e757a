"""Command line: `fx-desktop` opens the application; sub-commands serve scripts and administrators."""
from __future__ import annotations

import argparse
import sys


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="fx-desktop", description="奉贤区城管综合执法协调联动桌面端")
    p.add_argument("--data-dir", help="数据目录（默认为当前用户的应用数据目录）")
    sub = p.add_subparsers(dest="command")
    demo = sub.add_parser("demo-data", help="生成演示案件数据")
    demo.add_argument("--data-dir", dest="sub_data_dir", help="数据目录")
    demo.add_argument("--cases", type=int, default=2000, help="案件数量（默认 2000）")
    demo.add_argument("--seed", type=int, default=1, help="随机种子，相同种子生成相同数据")
    demo.add_argument("--as-of", help="以该日期（YYYY-MM-DD）为“今天”生成数据")
    audit = sub.add_parser("verify-audit", help="校验审计记录链是否完整")
    audit.add_argument("--data-dir", dest="sub_data_dir", help="数据目录")
    login = sub.add_parser("login", help="登录区局服务器（密码从标准输入读取）；登录凭据保存在系统密钥环")
    login.add_argument("--data-dir", dest="sub_data_dir", help="数据目录")
    login.add_argument("--server", required=True, help="服务器地址，如 https://fx-bureau.example:8750")
    login.add_argument("--username", required=True, help="用户名")
    sync = sub.add_parser("sync", help="与区局服务器同步一次，打印摘要；全部交换完成时退出码为 0")
    sync.add_argument("--data-dir", dest="sub_data_dir", help="数据目录")
    sync.add_argument("--password-stdin", action="store_true",
                      help="从标准输入读取密码并在本次运行中登录（适用于没有系统密钥环的机器，凭据不保存）")
    sync.add_argument("--server", help="与 --password-stdin 一起使用：服务器地址（数据目录首次同步时必填）")
    sync.add_argument("--username", help="与 --password-stdin 一起使用：用户名（数据目录首次同步时必填）")
    files = sync.add_mutually_exclusive_group()
    files.add_argument("--all-files", action="store_true",
                       help="同步后下载本机缺少的全部证据文件，包括超过自动下载上限的大文件")
    files.add_argument("--no-files", action="store_true", help="只同步案件数据，不下载证据文件")
    status = sub.add_parser("status", help="显示待推送变更、上次同步时间与冲突")
    status.add_argument("--data-dir", dest="sub_data_dir", help="数据目录")
    status.add_argument("--json", action="store_true",
                        help="以 JSON 输出（账户、待推送变更、上次同步、冲突及其取值、被拒绝的变更及原因），供脚本使用")
    logout = sub.add_parser("logout", help="退出登录并删除本机保存的登录凭据（未推送的变更保留）")
    logout.add_argument("--data-dir", dest="sub_data_dir", help="数据目录")
    prn = sub.add_parser("print", help="把案件或移送记录的文书打印为 PDF 文件（无需打开界面，适用于脚本和批量任务）")
    prn.add_argument("--data-dir", dest="sub_data_dir", help="数据目录")
    prn.add_argument("--list-forms", action="store_true", help="列出可打印的文书")
    prn.add_argument("--form", help="文书名称，如 review-opinion、referral-letter（用 --list-forms 查看）")
    prn.add_argument("--case", dest="case_no", help="案件编号（移送文书：打印该案件最近一次移送）")
    prn.add_argument("--referral", dest="referral", help="移送函或涉嫌犯罪案件移送书的文号（或记录的 ID），用于移送与刑事移送文书")
    prn.add_argument("--police-request", dest="police_request",
                     help="公安协助申请编号（或 ID），用于公安协助文书 police-letter、police-record")
    prn.add_argument("--meeting-json", dest="meeting_json",
                     help="会议或督办数据的 JSON 文件（MeetingPrint / SupervisionSheet / SupervisionReport），"
                          "用于会议与督办文书 meeting-*、supervision-*")
    prn.add_argument("--meeting", dest="meeting",
                     help="会议编号（如“〔2026〕第3期”）或会议 ID，用于会议文书 meeting-*（本机已同步的会议）")
    prn.add_argument("--supervision", dest="supervision", help="督办单编号或 ID，用于 supervision-sheet")
    prn.add_argument("--period", dest="period",
                     help="督办通报的期间，如 2026-11-01:2026-11-30（默认本月 1 日至今天），用于 supervision-report")
    prn.add_argument("--out", help="输出的 PDF 文件路径")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    data_dir = getattr(args, "sub_data_dir", None) or args.data_dir
    if args.command is None:
        from .app import run_gui

        return run_gui(data_dir)
    from .paths import DataPaths

    paths = DataPaths.at(data_dir)
    if args.command == "demo-data":
        return _demo_data(paths, args)
    if args.command == "verify-audit":
        return _verify_audit(paths)
    if args.command == "print":
        from .print_cli import run as print_run

        return print_run(paths, args, _open)
    from . import sync_cli

    return sync_cli.run(args.command, paths, args, _open)


def _open(paths):
    from .instance_lock import AlreadyRunning, acquire
    from .store import StoreProblem, open_store

    try:
        lock = acquire(paths.lock)
    except AlreadyRunning as exc:
        print(f"错误：{exc}", file=sys.stderr)
        raise SystemExit(1) from exc
    except OSError as exc:
        print(f"错误：无法使用数据目录 {paths.root}：{exc.strerror or exc}", file=sys.stderr)
        raise SystemExit(1) from exc
    try:
        return lock, open_store(paths)
    except StoreProblem as exc:
        lock.release()
        print(f"错误：{exc}", file=sys.stderr)
        raise SystemExit(1) from exc


def _demo_data(paths, args) -> int:
    from datetime import date

    from .services.demo import OPEN_WITHIN, generate

    if args.cases < 1:
        print("错误：--cases 须为正整数。", file=sys.stderr)
        return 2
    as_of = None
    if args.as_of:
        try:
            as_of = date.fromisoformat(args.as_of)
        except ValueError:
            print(f"错误：--as-of 日期格式应为 YYYY-MM-DD，收到“{args.as_of}”。", file=sys.stderr)
            return 2
    lock, store = _open(paths)
    try:
        step = max(args.cases // 10, 1)

        def progress(done: int, total: int) -> None:
            if done % step < 2000 or done == total:
                print(f"已生成 {done}/{total} 件", file=sys.stderr)

        result = generate(store, args.cases, seed=args.seed, as_of=as_of, progress=progress,
                          open_within=OPEN_WITHIN)
        print(f"已在 {paths.root} 生成 {result.cases} 件演示案件，用时 {result.seconds:.1f} 秒。")
        return 0
    finally:
        store.close()
        lock.release()


def _verify_audit(paths) -> int:
    from .store.audit import verify_chain

    lock, store = _open(paths)
    try:
        with store.sessions() as session:
            report = verify_chain(session)
        print(report.message)
        return 0 if report.ok else 1
    finally:
        store.close()
        lock.release()


if __name__ == "__main__":
    raise SystemExit(main())
