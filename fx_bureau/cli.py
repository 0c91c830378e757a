"""`fx-bureau`: init (create/upgrade the schema, load reference data), create-user, set-user, expire-tokens, serve,
openapi."""
from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path

DEFAULT_DB = "sqlite:///fx-bureau.sqlite"
_ROLES_HELP = ("角色，须为所属单位类型允许的角色：街镇 officer / squad_leader / legal_reviewer / office_staff；"
               "区级部门、检察院 department_liaison；公安分局、派出所 police_liaison；区局 bureau_dispatcher / admin")


def _parser() -> argparse.ArgumentParser:
    from .config import Settings

    p = argparse.ArgumentParser(prog="fx-bureau", description="奉贤区城管执法局协调联动服务器")
    sub = p.add_subparsers(dest="command", required=True)
    init = sub.add_parser("init", help="创建或升级数据库，并导入街镇、部门等参考数据")
    init.add_argument("--db", default=DEFAULT_DB, help="数据库地址，如 postgresql://user@host/db 或 SQLite 文件路径")
    init.add_argument("--reference", help="参考数据 JSON 文件（默认使用内置数据）")
    user = sub.add_parser("create-user", help="创建用户（密码从标准输入读取，或在终端中提示输入）")
    user.add_argument("--db", default=DEFAULT_DB)
    user.add_argument("--username", required=True)
    user.add_argument("--name", help="姓名（默认与用户名相同）")
    user.add_argument("--org", help="所属单位代码（见参考数据 organisations，如 nanqiao、scjg、gafj）；区局用户可不填")
    user.add_argument("--town", help="所属街镇代码（旧写法，等同于 --org 街镇代码）")
    user.add_argument("--role", required=True, help=_ROLES_HELP)
    setu = sub.add_parser("set-user", help="修改用户：角色、所属单位、停用/启用、重设密码",
                          description="修改用户。改变所属单位（--org）后，该用户各设备下次同步时将重新下载其有权查看的"
                                      "全部数据，并删除不再有权查看的数据；角色须为新单位允许的角色（可同时用 --role 修改）。")
    setu.add_argument("--db", default=DEFAULT_DB)
    setu.add_argument("--username", required=True)
    setu.add_argument("--org", help="新的所属单位代码")
    setu.add_argument("--role", help="新角色；none 表示撤销角色")
    setu.add_argument("--disable", action="store_true")
    setu.add_argument("--enable", action="store_true")
    setu.add_argument("--reset-password", action="store_true", help="从标准输入读取新密码")
    expire = sub.add_parser("expire-tokens",
                            help="使所有已签发的访问令牌立即失效（各设备凭刷新令牌自动换新，无需重新登录）")
    expire.add_argument("--db", default=DEFAULT_DB)
    serve = sub.add_parser("serve", help="启动服务器")
    serve.add_argument("--db", default=DEFAULT_DB)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8750)
    serve.add_argument("--blob-dir", help="附件存放目录（默认为数据库旁的 blobs 目录）")
    serve.add_argument("--access-ttl", type=float, default=900.0, help="访问令牌有效期（秒）")
    serve.add_argument("--max-blob-mb", type=int, default=2048, help="单个附件大小上限（MB）")
    serve.add_argument("--max-request-mb", type=float, default=Settings.max_request_bytes / 1024**2,
                       help="附件分块以外的请求内容大小上限（MB），超过的请求以 413 拒绝")
    serve.add_argument("--ssl-certfile", help="TLS 证书文件（PEM）；与 --ssl-keyfile 一起使用时以 HTTPS 提供服务")
    serve.add_argument("--ssl-keyfile", help="TLS 私钥文件（PEM）")
    serve.add_argument("--workers", type=int, default=1, help="工作进程数（多核服务器可设为核数；默认 1）")
    serve.add_argument("--threads", type=int, default=Settings.request_threads,
                       help=f"每个工作进程同时处理请求的线程数（默认 {Settings.request_threads}；其余请求排队等候）")
    serve.add_argument("--log-level", default="INFO")
    api = sub.add_parser("openapi", help="输出 OpenAPI 文档（JSON）")
    api.add_argument("--out", help="写入文件（默认输出到标准输出）")
    return p


def _password(prompt: str) -> str:
    if sys.stdin.isatty():
        first = getpass.getpass(prompt)
        if getpass.getpass("再次输入：") != first:
            raise SystemExit("错误：两次输入的密码不一致。")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "openapi":
        return _openapi(args)
    from sqlalchemy.exc import OperationalError

    from .db import make_engine, make_sessions

    engine = make_engine(args.db)
    try:
        if args.command == "init":
            return _init(engine, args)
        if args.command == "serve":
            return _serve(engine, args)
        _reads, writes = make_sessions(engine)
        if args.command == "create-user":
            return _create_user(writes, args)
        if args.command == "set-user":
            return _set_user(writes, args)
        if args.command == "expire-tokens":
            return _expire_tokens(writes)
    except OperationalError as exc:
        print(f"错误：无法连接数据库 {args.db}：{str(exc.orig).strip().splitlines()[0]}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    return 2


def _init(engine, args) -> int:
    from .db import make_sessions
    from .schema import initialise, upgrade

    reference = None
    if args.reference:
        try:
            reference = json.loads(Path(args.reference).read_text("utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            print(f"错误：无法读取参考数据文件 {args.reference}：{exc}", file=sys.stderr)
            return 1
    upgrade(engine)
    _reads, writes = make_sessions(engine)
    try:
        with writes() as session, session.begin():
            done = initialise(session, reference)
    except (ValueError, KeyError) as exc:
        print(f"错误：参考数据不正确：{exc}", file=sys.stderr)
        return 1
    print(f"数据库已就绪（{engine.url.render_as_string(hide_password=True)}）；参考数据：{done['reference']}。")
    return 0


def _create_user(writes, args) -> int:
    from fx_desktop.domain.errors import DomainError

    from . import organisations
    from .accounts import create_user

    password = _password(f"请输入用户 {args.username} 的密码：")
    try:
        with writes() as session, session.begin():
            user = create_user(session, username=args.username, name=args.name or args.username, role=args.role,
                               org=args.org, town=args.town, password=password)
            where = organisations.directory(session).name(user.org_code)
    except DomainError as exc:
        print(f"错误：{exc.message}", file=sys.stderr)
        return 1
    print(f"已创建用户 {args.username}（{args.role}，{where}）。")
    return 0


def _set_user(writes, args) -> int:
    from fx_desktop.domain.errors import DomainError

    from .accounts import set_user

    password = _password("请输入新密码：") if args.reset_password else None
    active = False if args.disable else (True if args.enable else None)
    try:
        with writes() as session, session.begin():
            set_user(session, args.username, role=args.role, active=active, password=password, org=args.org)
    except (DomainError, ValueError) as exc:
        print(f"错误：{getattr(exc, 'message', exc)}", file=sys.stderr)
        return 1
    print(f"已更新用户 {args.username}。")
    return 0


def _expire_tokens(writes) -> int:
    from .accounts import expire_access_tokens

    with writes() as session, session.begin():
        generation = expire_access_tokens(session)
    print(f"所有已签发的访问令牌已失效（令牌代次 {generation}）；各设备下次请求时凭刷新令牌自动换取新令牌，"
          "无需重新登录。要让某个用户彻底停止访问，请停用该用户（set-user --disable）。")
    return 0


def _blob_dir(args) -> Path:
    if args.blob_dir:
        return Path(args.blob_dir)
    from sqlalchemy.engine import make_url

    from .db import normalise_url

    url = make_url(normalise_url(args.db))
    if url.drivername.startswith("sqlite") and url.database:
        return Path(url.database).resolve().parent / "blobs"
    return Path(os.environ.get("FX_BUREAU_BLOB_DIR", "fx-bureau-blobs")).resolve()


def _serve(engine, args) -> int:
    import uvicorn

    from .app import SETTINGS_ENV, create_app
    from .config import Settings
    from .logs import configure

    engine.dispose()
    configure(args.log_level.upper())
    settings = Settings(db_url=args.db, blob_dir=_blob_dir(args), access_ttl_s=args.access_ttl,
                        max_blob_bytes=args.max_blob_mb * 1024 * 1024,
                        max_request_bytes=int(args.max_request_mb * 1024 * 1024), request_threads=args.threads)
    options = dict(host=args.host, port=args.port, log_config=None, access_log=False,
                   ssl_certfile=args.ssl_certfile, ssl_keyfile=args.ssl_keyfile,
                   timeout_graceful_shutdown=3)  # idle keep-alive clients must not hold a shutdown up
    if args.workers > 1:  # worker processes build the app from the environment; all coordination is in the database
        create_app(settings).state.engine.dispose()  # fail here, once, if the database is not ready
        os.environ[SETTINGS_ENV] = settings.to_json()
        os.environ["FX_BUREAU_LOG_LEVEL"] = args.log_level.upper()
        uvicorn.run("fx_bureau.app:app_from_environment", factory=True, workers=args.workers, **options)
    else:
        uvicorn.run(create_app(settings), **options)
    return 0


def _openapi(args) -> int:
    import tempfile

    from .app import create_app
    from .config import Settings
    from .db import make_engine, make_sessions
    from .schema import initialise, upgrade

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/openapi.sqlite"
        engine = make_engine(url)
        upgrade(engine)
        with make_sessions(engine)[1]() as session, session.begin():
            initialise(session)
        engine.dispose()
        app = create_app(Settings(db_url=url, blob_dir=Path(tmp) / "blobs"))
        text = json.dumps(app.openapi(), ensure_ascii=False, indent=2) + "\n"
        app.state.engine.dispose()
    if args.out:
        Path(args.out).write_text(text, "utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
