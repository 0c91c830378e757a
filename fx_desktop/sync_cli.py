"""Headless sync commands for administrators and scripts: login, sync, status, logout."""
from __future__ import annotations

import json
import shlex
import sys


def verify_for(store):
    """The district's CA file when the office set one (设置), else the system's certificates."""
    from .services.office_settings import verify_for as configured

    return configured(store)


def _stdin_password() -> str:
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass("密码：")
    return sys.stdin.readline().rstrip("\r\n")


def password_stdin_command(paths, server: str | None = None, username: str | None = None) -> str:
    """The command that syncs this data folder on a machine without a keyring, password from stdin each time
    (placeholders where the server or user is not known yet)."""
    server = shlex.quote(server) if server else "URL"
    username = shlex.quote(username) if username else "用户名"
    folder = shlex.quote(str(paths.root))
    return f"fx-desktop sync --password-stdin --server {server} --username {username} --data-dir {folder}"


def _no_keyring(exc, paths, server: str, username: str) -> int:
    print(f"错误：{exc.message}\n在这台机器上可以每次同步时从标准输入提供密码（登录只在该次运行中有效，凭据不保存）：\n"
          f"  {password_stdin_command(paths, server, username)}\n"
          "或安装并启用系统密钥环（Debian/Ubuntu：gnome-keyring）后再运行 fx-desktop login。", file=sys.stderr)
    return 1


def run(command: str, paths, args, open_store) -> int:
    lock, store = open_store(paths)
    try:
        if command == "login":
            return _login(store, paths, args)
        if command == "sync":
            return _sync(store, paths, args)
        if command == "status":
            return _status_json(store) if args.json else _status(store)
        if command == "logout":
            return _logout(store)
        return 2
    finally:
        store.close()
        lock.release()


def _login(store, paths, args) -> int:
    from .sync import account
    from .sync.credentials import NoSecureStorage, system_store
    from .sync.transport import BureauClient, SyncProblem

    server = args.server.rstrip("/")
    try:
        creds = system_store()
    except NoSecureStorage as exc:
        return _no_keyring(exc, paths, server, args.username)
    client = BureauClient(server, verify=verify_for(store))
    try:
        acc = account.login(store, client, creds, username=args.username, password=_stdin_password())
    except SyncProblem as exc:
        print(f"登录失败：{exc.message}", file=sys.stderr)
        return 1
    except NoSecureStorage as exc:  # the keyring refused to store it
        return _no_keyring(exc, paths, server, args.username)
    print(f"已登录 {acc.server_url}：{acc.name}（{acc.role.label}，{acc.org_label}）。")
    return 0


def _sync(store, paths, args) -> int:
    from .sync import account
    from .sync.credentials import MemoryCredentials, NoSecureStorage, system_store
    from .sync.transport import BureauClient, SyncProblem

    acc = account.current(store)
    if args.password_stdin:
        server = (args.server or (acc.server_url if acc else "")).rstrip("/")
        username = args.username or (acc.username if acc else "")
        if not server or not username:
            print("错误：这个数据目录还没有登录过，请同时给出服务器和用户名，例如：\n  "
                  + password_stdin_command(paths, server, username),
                  file=sys.stderr)
            return 1
        client, creds = BureauClient(server, verify=verify_for(store)), MemoryCredentials()
        try:
            acc = account.login(store, client, creds, username=username, password=_stdin_password())
        except SyncProblem as exc:
            print(f"登录失败：{exc.message}", file=sys.stderr)
            return 1
        try:
            return _run_sync(store, client, acc, creds, args)
        finally:  # this run's login ends with it: the server forgets its token at once
            try:
                client.logout()
            except SyncProblem:
                pass
    if args.server or args.username:
        print("错误：--server 和 --username 只与 --password-stdin 一起使用；要在本机保存登录，请运行 "
              "fx-desktop login --server URL --username 用户名。", file=sys.stderr)
        return 2
    if acc is None:
        print("错误：尚未登录。请先运行 fx-desktop login --server URL --username 用户名；没有系统密钥环的机器可运行\n  "
              + password_stdin_command(paths), file=sys.stderr)
        return 1
    try:
        creds = system_store()
        client = BureauClient(acc.server_url, verify=verify_for(store))
        found = account.restore_tokens(client, creds, acc)
    except NoSecureStorage as exc:
        return _no_keyring(exc, paths, acc.server_url, acc.username)
    except SyncProblem as exc:
        print(f"错误：{exc.message}", file=sys.stderr)
        return 1
    if not found:
        print("错误：本机没有保存的登录凭据，请重新运行 fx-desktop login。", file=sys.stderr)
        return 1
    return _run_sync(store, client, acc, creds, args)


def _run_sync(store, client, acc, creds, args) -> int:
    from .sync.engine import SyncEngine

    def progress(phase: str, done: int, total: int) -> None:
        print(f"{'推送' if phase == 'push' else '拉取'} {done}/{total}", file=sys.stderr)

    report = SyncEngine(store, client, acc, creds).run(progress)
    for warning in report.warnings:
        print(f"提示：{warning}", file=sys.stderr)
    print(report.summary())
    files_ok = True
    if report.error is None and not args.no_files:
        files_ok = _download_files(store, client, everything=args.all_files)
    return 0 if report.ok and files_ok else 1


def _download_files(store, client, *, everything: bool) -> bool:
    """The evidence files the cases here lack (up to the automatic download limit unless `everything`), so a
    headless sync leaves a complete folder. False when the server could not be reached or answered badly, also
    for a single file, or the disk failed (a file it refuses, or one above the limit, is not a failure)."""
    from .sync.downloads import DISK, SERVER, DownloadQueue, Events

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
    return result.problem is None and not any(f.kind in (SERVER, DISK) for f in result.failures)


def _status(store) -> int:
    """The plain-text summary, from the same data as `status --json` (so both always agree)."""
    data = status_data(store)
    user = data["user"]
    print(f"服务器：{data['server'] or '未登录'}")
    if user:
        print(f"用户：{user['name']}（{user['username']}，{user['role_label']}，{user['org_name']}）")
    print(f"待推送变更：{data['pending']['total']}")
    print(f"上次同步：{(data['last_sync'] or '从未同步').replace('T', ' ')[:19]}")
    print(f"未解决冲突：{len(data['conflicts'])}")
    print(f"被服务器拒绝的变更：{len(data['rejected'])}")
    return 0


def status_data(store) -> dict:
    """Everything `status` shows, as plain JSON data for scripts: the account, pending changes (per mutation),
    the last sync, open conflicts with their values and rejected changes with the server's reasons. A conflict
    counts as open until the server has its resolution: one resolved here but not yet pushed ("resolving") is
    listed too, with its state."""
    from sqlalchemy import func, select

    from .services.conflicts import open_conflicts_for, rejected_entries
    from .store import meta, outbox
    from .store.models import OutboxEntry
    from .sync import account

    acc = account.current(store)
    owner = acc.username if acc else None
    with store.sessions() as session:
        query = (select(OutboxEntry.name, func.count()).where(OutboxEntry.state == outbox.PENDING)
                 .group_by(OutboxEntry.name))
        if owner is not None:
            query = query.where(OutboxEntry.owner == owner)
        by_mutation = {name: count for name, count in session.execute(query)}
        last_synced = meta.get(session, "sync.last_synced") or None
        last_attempt = meta.get(session, "sync.last_attempt") or None
    conflicts = []
    for c in open_conflicts_for(store, include_resolving=True):
        mine, theirs = c.sides(acc.username, acc.client_id) if acc else (c.mine, c.theirs)
        conflicts.append({"id": c.id, "case_id": c.case_id, "case_number": c.case_number, "field": c.field,
                          "field_label": c.label, "base": c.base, "mine": mine, "theirs": theirs,
                          "state": c.status, "created_at": c.created_at.isoformat()})
    rejected = [{"mutation": r.name, "description": r.what, "case_id": r.case_id, "case_number": r.case_number,
                 "reason": r.reason, "created_at": r.created_at.isoformat(),
                 "rejected_at": r.rejected_at.isoformat() if r.rejected_at else None}
                for r in rejected_entries(store, limit=None)]
    user = None
    if acc:
        user = {"username": acc.username, "name": acc.name, "role": str(acc.role), "role_label": acc.role.label,
                "town": acc.town_code, "org_code": acc.org_code, "org_name": acc.org_label,
                "org_kind": str(acc.org_kind), "org_kind_label": acc.org_kind.label}
    return {"server": acc.server_url if acc else None, "user": user, "client_id": acc.client_id if acc else None,
            "pending": {"total": sum(by_mutation.values()), "by_mutation": by_mutation},
            "last_sync": last_synced, "last_attempt": last_attempt, "conflicts": conflicts, "rejected": rejected}


def _status_json(store) -> int:
    print(json.dumps(status_data(store), ensure_ascii=False, indent=2))
    return 0


def _logout(store) -> int:
    from .sync import account
    from .sync.credentials import NoSecureStorage, system_store
    from .sync.transport import BureauClient, SyncProblem

    acc = account.current(store)
    if acc is None:
        print("当前未登录。")
        return 0
    client = BureauClient(acc.server_url, verify=verify_for(store))
    try:
        creds = system_store()
    except NoSecureStorage:  # nothing kept here: `sync --password-stdin` logins end with their run
        creds = None
    if creds is not None:
        try:
            account.restore_tokens(client, creds, acc)
        except SyncProblem:
            pass  # no token of this folder's own to revoke
    had_token = client.tokens.refresh is not None
    confirmed = account.logout(store, client, creds)
    print(f"已退出登录；{acc.username} 未推送的变更保留在本机，再次登录后推送。")
    if had_token and not confirmed:
        print("提示：未能连接服务器，服务器上的这次登录没有注销；本机已删除登录凭据，无法再用它同步。", file=sys.stderr)
    return 0
