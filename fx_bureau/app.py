"""The HTTP API (FastAPI). Every route that touches data resolves the caller from the access token and the users
table, then the role and town rules apply inside the operation."""
from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import text
from sqlalchemy.exc import DataError, DBAPIError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from fx_desktop.domain.timestamps import BadTime, parse_time

from fx_desktop.domain import json_text, text_limits
from fx_desktop.domain.text_cleaning import MAX_NAME_BYTES

from . import accounts, blobs, organisations, pull, push
from .kinds import PREVIOUS_CLIENT_KINDS
from .access_log import AccessLog
from .body_limit import BodyLimit
from .arguments import describe, storable
from .config import Settings
from .db import make_engine, make_sessions
from .logs import event
from .mutations import MUTATIONS
from .schema import HEAD, current_revision, meta_value

PROTOCOL = 1
SETTINGS_ENV = "FX_BUREAU_SETTINGS"  # how `serve --workers N` hands its settings to the worker processes
log = logging.getLogger("fx_bureau")


class LoginBody(BaseModel):
    username: str = Field(max_length=64)
    password: str = Field(max_length=256)
    client_id: str = Field(max_length=36)
    device_name: str = Field(default="", max_length=text_limits.TEXT_LIMITS["device_name"].max_chars)


class TokenBody(BaseModel):
    refresh_token: str = Field(max_length=256)


class RebindBody(BaseModel):
    client_id: str = Field(max_length=36)


class Mutation(BaseModel):
    """The envelope is checked for the whole request (without an id nothing can be acknowledged); the name and
    the arguments are checked for each mutation against its declared schema, so a wrong one is rejected alone."""

    id: int = Field(ge=1)
    name: Any = Field(default=None, description="变更名称（文本），如 create_case、update_case；缺少、不是文本或服务器"
                                                "不认识该名称时该条变更被拒绝")
    args: Any = Field(default=None, description="变更参数（对象），按该变更声明的参数结构（见 x-fx-mutations）逐条检查；不符合时"
                                  "该条变更被拒绝，原因写明哪个参数应为何种类型")
    at: Any = Field(default=None, description="用户操作的时间，ISO 8601 文本，可带时区（如 2026-11-29T10:30:00+08:00）；"
                                              "不是文本或格式无效时该条变更被拒绝")


class PushBody(BaseModel):
    client_id: str = Field(max_length=36)
    mutations: list[Mutation]
    client_now: str | None = Field(default=None, description="客户端当前时间，ISO 8601，可带时区；格式无效时整个"
                                                             "请求以 422 bad_time 拒绝")


class Problem(BaseModel):
    """Every error answer: a code for programs and a Chinese message for people (some add details)."""

    model_config = ConfigDict(extra="allow")
    code: str
    message: str


_MEANING = {400: "请求格式不正确", 401: "未登录、令牌无效或已过期", 403: "无权执行该操作", 404: "不存在或无权查看",
            409: "与服务器当前状态冲突", 413: "请求或附件过大", 422: "请求参数不正确", 429: "尝试次数过多，请稍后再试",
            503: "服务器数据库暂时不可用，请稍后重试"}


BLOB_ANSWER = {"description": "附件内容（支持 Range 断点续传）",
               "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}


def errors(*statuses: int) -> dict:
    """The error answers a route documents (422 and 503 can come from any route that reads a body or the
    database, so they are always listed)."""
    return {status: {"model": Problem, "description": _MEANING[status]}
            for status in sorted({*statuses, 422, 503})}


class UploadStart(BaseModel):
    sha256: str = Field(max_length=64)
    size: int


def _error(status: int, code: str, message: str, **extra) -> JSONResponse:
    """Every error answer. The message may quote what the client sent, so it is made encodable first (a lone
    surrogate would make the answer itself fail)."""
    message = storable(message)
    retry_after = extra.pop("retry_after", None)
    headers = {"Retry-After": str(retry_after)} if retry_after else None
    return JSONResponse({"code": code, "message": message, **extra}, status_code=status, headers=headers,
                        media_type=json_text.MEDIA_TYPE)


def _json(body: dict) -> Response:
    """Plain JSON data, encoded once: FastAPI's generic encoder walks every value of a large page again."""
    return Response(json_text.encode(body).encode("utf-8"), media_type=json_text.MEDIA_TYPE)


STREAM_BATCH = 1024 * 1024


async def _stream_into(request: Request, writer: blobs.ChunkWriter) -> None:
    """Hand the body to the writer in pieces of about 1 MiB on a thread of its own (in order), without waiting for
    each: the event loop goes on receiving the rest meanwhile. The first failure is raised once all have run."""
    loop = asyncio.get_running_loop()
    jobs: list[asyncio.Future] = []
    with ThreadPoolExecutor(1, thread_name_prefix="fx-chunk") as pool:
        try:
            pending, size = [], 0
            async for piece in request.stream():
                pending.append(piece)
                size += len(piece)
                if size >= STREAM_BATCH:
                    jobs.append(loop.run_in_executor(pool, writer.add, b"".join(pending)))
                    pending, size = [], 0
            if pending:
                jobs.append(loop.run_in_executor(pool, writer.add, b"".join(pending)))
        finally:
            outcomes = await asyncio.gather(*jobs, return_exceptions=True)  # the pool is idle when the block ends
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome


def _document_mutations(app: FastAPI) -> None:
    """The push's argument schemas, from the same registry the push checks against, in the OpenAPI document: a
    component per schema and `x-fx-mutations` naming the schema of each mutation."""
    generate = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            doc = generate()
            components = doc.setdefault("components", {}).setdefault("schemas", {})
            for spec in MUTATIONS.values():
                schema = spec.schema.model_json_schema(ref_template="#/components/schemas/{model}")
                components.update(schema.pop("$defs", {}))
                components[spec.schema.__name__] = schema
            doc["x-fx-mutations"] = {name: {"$ref": f"#/components/schemas/{spec.schema.__name__}"}
                                     for name, spec in sorted(MUTATIONS.items())}
        return app.openapi_schema

    app.openapi = openapi


def create_app(settings: Settings) -> FastAPI:
    engine = make_engine(settings.db_url)
    revision = current_revision(engine)
    if revision != HEAD:
        engine.dispose()
        raise SystemExit(f"数据库结构版本为 {revision or '（空）'}，本服务器需要 {HEAD}："
                         "请先运行 fx-bureau init --db URL 创建或升级数据库（版本更高时请升级 fx-bureau）。")
    reads, writes = make_sessions(engine)
    store = blobs.BlobDir(settings.blob_dir)
    @asynccontextmanager
    async def lifespan(_app):
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.request_threads
        yield

    app = FastAPI(title="fx-bureau", version="0.1.0", lifespan=lifespan,
                  description="奉贤区城管执法局协调联动服务器：账户、离线同步（推送/拉取）与附件。")
    app.state.engine = engine
    app.add_middleware(BodyLimit, json_limit=settings.max_request_bytes, chunk_limit=settings.chunk_bytes)
    app.add_middleware(AccessLog, protocol=PROTOCOL, logger=log)  # outside BodyLimit: a refused body is logged too
    _document_mutations(app)

    @app.exception_handler(accounts.AuthProblem)
    async def _auth(_request, exc: accounts.AuthProblem):
        return _error(exc.status, exc.code, exc.message, retry_after=exc.retry_after)

    @app.exception_handler(blobs.UploadProblem)
    async def _upload(_request, exc: blobs.UploadProblem):
        return _error(exc.status, exc.code, exc.message, **exc.extra)

    @app.exception_handler(push.ClientNotYours)
    async def _client(_request, _exc):
        return _error(403, "client_not_yours", "推送所用的客户端标识与这次登录不符（这次登录属于另一台电脑、"
                      "另一个数据目录或另一位用户），已拒绝。请在本机重新登录。")

    @app.exception_handler(push.UnknownClient)
    async def _unknown_client(_request, _exc):
        return _error(409, "unknown_client", "服务器不认识该客户端标识（服务器数据可能已从备份恢复），请重新登记本机。")

    @app.exception_handler(push.Forbidden)
    async def _forbidden(_request, exc: push.Forbidden):
        log.warning("push refused", extra={"fields": {"mutation_id": exc.mutation_id, "reason": exc.message}})
        return _error(403, "outside_town", exc.message, mutation_id=exc.mutation_id)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request, exc: RequestValidationError):
        return _error(422, "bad_request", f"请求不正确：{describe(exc, '请求')}。")

    @app.exception_handler(HTTPException)
    async def _http(_request, exc: HTTPException):
        if exc.status_code == 400:  # FastAPI: a body that is not UTF-8 text, or nested past the recursion limit
            return _error(400, "bad_request", "请求体无法解析，应为 UTF-8 编码、层次不过深的 JSON。")
        message = {404: "没有这一接口。", 405: "该接口不支持这种请求方式。"}.get(exc.status_code)
        answer = _error(exc.status_code, f"http_{exc.status_code}", message or f"请求未能处理（HTTP {exc.status_code}）。")
        answer.headers.update(exc.headers or {})  # 405: Allow
        return answer

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception):
        log.error("unexpected error", exc_info=exc, extra={"fields": {"path": request.url.path}})
        return _error(500, "internal", "服务器内部错误，已记录；请稍后重试，若仍出现请联系系统管理员。")

    @app.exception_handler(DataError)
    async def _data(_request, exc: DataError):
        """The request's own data cannot be stored or compared (a NUL character, a number out of range): the same
        request would fail again, so it is refused, not called transient."""
        log.warning("data refused by the database", extra={"fields": {"error": str(exc.orig)[:300]}})
        return _error(422, "bad_data", "请求中含有数据库无法保存的数据（如空字符或超出范围的数字），请检查后重试。")

    @app.exception_handler(DBAPIError)
    async def _db(_request, exc: DBAPIError):
        log.warning("database error", extra={"fields": {"error": str(exc.orig)[:300]}})
        return _error(503, "unavailable", "服务器数据库暂时不可用，请稍后重试。", retry_after=2)

    @app.get("/health", responses=errors())
    def health():
        with reads() as session:
            session.execute(text("SELECT 1"))
            epoch = meta_value(session, "epoch")
        return {"status": "ok", "protocol": PROTOCOL, "schema": HEAD, "epoch": epoch}

    @app.get("/limits", responses=errors())
    def limits():
        return {"max_blob_bytes": settings.max_blob_bytes, "chunk_bytes": settings.chunk_bytes,
                "push_batch_limit": settings.push_batch_limit, "pull_page_limit": settings.pull_page_limit,
                "max_request_bytes": settings.max_request_bytes, "text_limits": text_limits.published(),
                "max_name_bytes": MAX_NAME_BYTES}

    @app.post("/auth/login", responses=errors(400, 401, 403, 429))
    def login(body: LoginBody):
        try:
            with writes() as session, session.begin():
                result = accounts.login(session, settings, username=body.username, password=body.password,
                                        client_id=body.client_id, device_name=body.device_name)
        except accounts.AuthProblem as exc:
            if exc.code == "bad_credentials":  # counted in its own transaction: the login's was rolled back
                with writes() as session, session.begin():
                    accounts.record_failure(session, settings, body.username)
            event(log, "login refused", username=body.username, code=exc.code)
            raise
        event(log, "login", username=body.username, client_id=body.client_id)
        return {**result, "server_time": datetime.now().isoformat(), "protocol": PROTOCOL}

    @app.post("/auth/refresh", responses=errors(400, 401, 403))
    def refresh(body: TokenBody):
        with reads() as session, session.begin():
            return accounts.refresh(session, settings, body.refresh_token)

    @app.post("/auth/rebind", responses=errors(400, 401, 403, 409))
    def rebind(body: RebindBody, authorization: str | None = Header(default=None)):
        with writes() as session, session.begin():
            p = accounts.principal(session, authorization)
            result = accounts.rebind(session, settings, p, body.client_id)
        event(log, "client rebound", username=p.username, old=p.client_id, new=body.client_id)
        return result

    @app.post("/auth/logout", responses=errors(400))
    def logout(body: TokenBody):
        with writes() as session, session.begin():
            accounts.logout(session, body.refresh_token)
        return {"status": "ok"}

    @app.get("/me", responses=errors(401, 403))
    def me(authorization: str | None = Header(default=None)):
        with reads() as session, session.begin():
            p = accounts.principal(session, authorization)
            org = organisations.get(session, p.org_code)
        return {"username": p.username, "name": p.name, "role": str(p.role), "town_code": p.town_code,
                "org_code": p.org_code, "org_name": org.name, "org_kind": str(org.kind), "client_id": p.client_id}

    @app.post("/sync/push", responses=errors(400, 401, 403, 409, 413))
    def sync_push(body: PushBody, authorization: str | None = Header(default=None)):
        if len(body.mutations) > settings.push_batch_limit:
            return _error(413, "too_many", f"一次最多推送 {settings.push_batch_limit} 条变更。")
        try:
            client_now = parse_time(body.client_now, "客户端时间（client_now）") if body.client_now else None
        except BadTime as exc:
            return _error(422, "bad_time", exc.message)
        mutations = [{"id": m.id, "name": m.name, "args": m.args, "at": m.at} for m in body.mutations]  # no copies
        p, result = push.push_request(writes, lambda session: accounts.principal(session, authorization),
                                      body.client_id, mutations, client_now=client_now)
        applied = sum(1 for r in result["results"] if r["result"] in ("applied", "conflict", "rejected"))
        event(log, "push", username=p.username, client_id=body.client_id, received=len(body.mutations),
              processed=applied, last_mutation_id=result["last_mutation_id"])
        return _json({**result, "server_time": datetime.now().isoformat()})

    @app.get("/sync/pull", responses=errors(401, 403))
    def sync_pull(cursor: str | None = None, limit: int = Query(default=1000, ge=1, le=10000),
                  authorization: str | None = Header(default=None)):
        with reads() as session, session.begin():
            p = accounts.principal(session, authorization)
            page = pull.pull_page(session, p, cursor, min(limit, settings.pull_page_limit))
        return Response(page.encode(), media_type=json_text.MEDIA_TYPE)

    @app.get("/sync/digest", responses=errors(401, 403))
    def sync_digest(kinds: str | None = Query(default=None, max_length=400, description=(
                        "the record kinds the client keeps, comma-separated (e.g. case,legal_review,referral); "
                        "absent: those a client of the previous version keeps (case, referral)")),
                    authorization: str | None = Header(default=None)):
        with reads() as session, session.begin():
            p = accounts.principal(session, authorization)
            return pull.digest(session, p, kinds.split(",") if kinds is not None else PREVIOUS_CLIENT_KINDS)

    @app.post("/blobs/uploads", responses=errors(400, 401, 403, 413))
    def upload_start(body: UploadStart, authorization: str | None = Header(default=None)):
        with writes() as session, session.begin():
            p = accounts.principal(session, authorization)
            return blobs.start(session, store, p, body.sha256, body.size, settings.max_blob_bytes,
                               settings.chunk_bytes, datetime.now())

    upload_locks: dict[str, asyncio.Lock] = {}  # one chunk of an upload at a time (a retry waits for the first)

    @app.put("/blobs/uploads/{upload_id}", responses=errors(401, 403, 404, 409, 413))
    async def upload_chunk(upload_id: str, request: Request, offset: int = Query(ge=0),
                           authorization: str | None = Header(default=None),
                           x_chunk_sha256: str | None = Header(default=None)):
        def begin():
            with writes() as session, session.begin():
                p = accounts.principal(session, authorization)
                return blobs.begin_chunk(session, store, p, upload_id, offset, settings.chunk_bytes)

        def finish(writer):
            with writes() as session, session.begin():
                p = accounts.principal(session, authorization)
                return blobs.finish_chunk(session, p, writer, x_chunk_sha256)

        async with upload_locks.setdefault(upload_id, asyncio.Lock()):
            writer = await run_in_threadpool(begin)
            try:
                await _stream_into(request, writer)
                return await run_in_threadpool(finish, writer)
            finally:
                await run_in_threadpool(writer.discard)  # a no-op once finish() accepted it

    @app.post("/blobs/uploads/{upload_id}/complete", responses=errors(401, 403, 404, 409))
    def upload_complete(upload_id: str, authorization: str | None = Header(default=None)):
        upload_locks.pop(upload_id, None)
        with writes() as session, session.begin():
            p = accounts.principal(session, authorization)
            return blobs.complete(session, store, p, upload_id, datetime.now())

    @app.get("/blobs/{sha256}", responses={**errors(401, 403, 404), 200: BLOB_ANSWER})
    def blob_get(sha256: str, authorization: str | None = Header(default=None)):
        with reads() as session, session.begin():
            p = accounts.principal(session, authorization)
            allowed = blobs.is_sha256(sha256) and blobs.may_read(session, p, sha256)
        if not allowed:
            return _error(404, "no_blob", "服务器上没有该附件，或您无权查看。")
        return FileResponse(store.path(sha256), media_type="application/octet-stream")

    return app


def app_from_environment() -> FastAPI:
    """The app of one worker process of `fx-bureau serve --workers N`."""
    import os

    from .logs import configure

    configure(os.environ.get("FX_BUREAU_LOG_LEVEL", "INFO"))
    return create_app(Settings.from_json(os.environ[SETTINGS_ENV]))
