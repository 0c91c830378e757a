"""Headless sync commands for administrators and scripts: login, sync, status, logout."""
from __future__ import annotations

import sys


def _stdin_password() -> str:
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass("密码：")
    return sys.stdin.readline().rstrip("\r\n")


def _creds():
    from .sync.credentials import NoSecureStorage, system_store

    try:
        return system_store()
    except NoSecureStorage as exc:
        print(f"错误：{exc.message}\n请安装并启用系统密钥环（Debian/Ubuntu：gnome-keyring），"
              "或使用 `fx-desktop sync --password-stdin` 每次输入密码同步。", file=sys.stderr)
        raise SystemExit(1) from exc


def run(command: str, paths, args, open_store) -> int:
    lock, store = open_store(paths)
    try:
        if command == "login":
            return _login(store, args)
        if command == "sync":
            return _sync(store, args)
        if command == "status":
            return _status(store)
        if command == "logout":
            return _logout(store)
        return 2
    finally:
        store.close()
        lock.release()


def _login(store, args) -> int:
    from .sync import account
    from .sync.transport import BureauClient, SyncProblem

    creds = _creds()
    client = BureauClient(args.server)
    try:
        acc = account.login(store, client, creds, username=args.username, password=_stdin_password())
    except SyncProblem as exc:
        print(f"登录失败：{exc.message}", file=sys.stderr)
        return 1
    where = acc.town_code or "区局"
    print(f"已登录 {acc.server_url}：{acc.name}（{acc.role.label}，{where}）。")
    return 0


def _sync(store, args) -> int:
    from .sync import account
    from .sync.credentials import MemoryCredentials
    from .sync.engine import SyncEngine
    from .sync.transport import BureauClient, SyncProblem

    acc = account.current(store)
    if acc is None:
        print("错误：尚未登录。请先运行 fx-desktop login --server URL --username 用户名。", file=sys.stderr)
        return 1
    client = BureauClient(acc.server_url)
    if args.password_stdin:
        creds = MemoryCredentials()
        try:
            acc = account.login(store, client, creds, username=acc.username, password=_stdin_password())
        except SyncProblem as exc:
            print(f"登录失败：{exc.message}", file=sys.stderr)
            return 1
    else:
        creds = _creds()
        if not account.restore_tokens(client, creds, acc):
            print("错误：本机没有保存的登录凭据，请重新运行 fx-desktop login。", file=sys.stderr)
            return 1

    def progress(phase: str, done: int, total: int) -> None:
        print(f"{'推送' if phase == 'push' else '拉取'} {done}/{total}", file=sys.stderr)

    report = SyncEngine(store, client, acc, creds).run(progress)
    for warning in report.warnings:
        print(f"提示：{warning}", file=sys.stderr)
    print(report.summary())
    files_ok = True
    if report.error is None and not getattr(args, "no_files", False):
        files_ok = _download_files(store, client, everything=getattr(args, "all_files", False))
    return 0 if report.ok and files_ok else 1


def _download_files(store, client, *, everything: bool) -> bool:
    """The evidence files the cases here lack (up to the automatic download limit unless `everything`), so a
    headless sync leaves a complete folder. False when the server could not be reached or answered badly
    (a file it refuses, or one above the limit, is not a failure)."""
    from .sync.downloads import DownloadQueue, Events

    queue = DownloadQueue(store)
    if everything:
        queue.limit_bytes = 1 << 62  # this run only; the setting stays as it is

    class Printed(Events):
        shown = 0

        def progress(self, state) -> None:
            if state.file_no != self.shown:
                self.shown = state.file_no
                print(f"下载附件 {state.file_no}/{state.files}：{state.name}（{state.file_size / 1024 / 1024:.1f} MB）",
                      file=sys.stderr)

    result = queue.run(client, events=Printed())
    print(result.summary())
    return result.problem is None


def _status(store) -> int:
    from .store import meta, outbox
    from .sync import account
    from .sync.engine import open_conflicts

    acc = account.current(store)
    with store.sessions() as session:
        owner = acc.username if acc else None
        pending = outbox.pending_count(session, owner)
        last = meta.get(session, "sync.last_synced") or "从未同步"
        from sqlalchemy import func, select

        from .store.models import OutboxEntry

        rejected = session.execute(select(func.count()).select_from(OutboxEntry)
                                   .where(OutboxEntry.state == outbox.REJECTED)).scalar_one()
    conflicts = open_conflicts(store)
    print(f"服务器：{acc.server_url if acc else '未登录'}")
    if acc:
        print(f"用户：{acc.name}（{acc.username}，{acc.role.label}，{acc.town_code or '区局'}）")
    print(f"待推送变更：{pending}")
    print(f"上次同步：{last.replace('T', ' ')[:19]}")
    print(f"未解决冲突：{len(conflicts)}")
    print(f"被服务器拒绝的变更：{rejected}")
    return 0


def _logout(store) -> int:
    from .sync import account
    from .sync.transport import BureauClient

    acc = account.current(store)
    if acc is None:
        print("当前未登录。")
        return 0
    creds = _creds()
    client = BureauClient(acc.server_url)
    account.restore_tokens(client, creds, acc)
    account.logout(store, client, creds)
    print(f"已退出登录；{acc.username} 未推送的变更保留在本机，再次登录后推送。")
    return 0
