"""POST /sync/push: one transaction per request; each mutation in a savepoint, its effect and the client's
`last_mutation_id` committed together. Resent -> already_processed; a gap -> out_of_order and nothing after it;
a business-rule rejection -> advanced with the reason stored, and so are arguments that do not fit the mutation's
declared schema, an unknown name, a nonsense time, data the database refuses and an unexpected exception in a
handler (logged with its id): a poison mutation never holds up the ones behind it. A database failure -> the whole
request rolls back and the route answers 503, so the client retries and nothing is applied twice."""
from __future__ import annotations

import hashlib
import json
import logging
import re
from contextlib import nullcontext
from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy import BigInteger, DateTime, String, bindparam, insert, select, update
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from fx_desktop.domain.errors import DomainError, kind_of

from . import batch_cases
from .arguments import UUID_PATTERN, check, storable
from .kinds import KINDS, is_party, sees
from .models import Client, Conflict, MutationLog
from .mutations import MUTATIONS, Context, MissingBlob, MutationSpec, Outcome, OutsideTown, client_time
from .principal import Principal
from .numbering import assign_numbers, defer_numbers
from .schema import assign_sequence, defer_sequence, next_seq

SKEW_WARNING = timedelta(minutes=5)
NAME_LENGTH = 64  # mutation_log.name
log = logging.getLogger("fx_bureau.push")


class ClientNotYours(Exception):
    """The client id belongs to another user (or none): 403, nothing done."""


class UnknownClient(Exception):
    """The server has never seen this client id (its database was restored from an older backup): the client
    continues under a new id (POST /auth/rebind)."""


class Forbidden(Exception):
    """A mutation reached into another town: 403 for the whole request, rolled back."""

    def __init__(self, mutation_id: int, message: str):
        super().__init__(message)
        self.mutation_id, self.message = mutation_id, message


class Isolate(Exception):
    """The fast path (no savepoints) met an error after which part of a mutation may be written: the caller rolls
    the request back and repeats it with a savepoint per mutation, where only the failing one is rejected."""


def digest(mutation: dict) -> str:
    canonical = json.dumps({"name": mutation.get("name"), "args": mutation.get("args")}, sort_keys=True,
                           ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()  # same bytes for valid text


def resend(session: Session, p: Principal, kind: str, record_id) -> None:
    """A rejected change left the client's copy of the record as the client made it. Moving the record forward in
    the change sequence (its version stays) makes the client's next pull bring the server's copy back; the
    rejection and its reason stay in the client's inbox. A record that belongs to a case (a referral) resends the
    case too, when the user sees it: the client's step may have moved the case as well (a withdrawal reopens it)."""
    if not record_id or kind not in KINDS:
        return
    record = session.get(KINDS[kind].model, str(record_id))
    if record is not None and sees(session, p, KINDS[kind], record):
        record.seq = next_seq(session)
        if KINDS[kind].case_of is not None:
            resend(session, p, "case", getattr(record, KINDS[kind].case_of))


def _named(raw_args) -> list[tuple[str, str]]:
    """(kind, id) of every record a mutation's arguments name properly: a rejected submit_referral names the case
    the client marked as referred as well as the referral."""
    if not isinstance(raw_args, dict):
        return []
    return [(name, value) for name, kind in KINDS.items()
            if isinstance(value := raw_args.get(kind.id_arg), str) and re.fullmatch(UUID_PATTERN, value)]


def _resend_named(session: Session, p: Principal, raw_args) -> None:
    for kind, record_id in _named(raw_args):
        resend(session, p, kind, record_id)


def _rejected(spec: MutationSpec | None, raw_args) -> Outcome:
    kind = spec.kind if spec is not None else "case"
    record_id = dict(_named(raw_args)).get(kind)
    return Outcome("rejected", record_id, kind=kind)


def guard(session: Session, p: Principal, raw_args) -> None:
    """A user of an organisation that owns no cases (a department, the police) reaches only the records shared
    with it: a mutation naming a record it may not see is refused with 403 before any rule is checked (the case
    handlers check the user's role first, which would make it a mere rejection). Town users are checked by the
    handlers themselves (another town's case: 403); the bureau sees everything."""
    if p.sees_all or p.town_code is not None or not isinstance(raw_args, dict):
        return
    for kind, record_id in _named(raw_args):
        record = session.get(KINDS[kind].model, record_id)
        if record is not None and not sees(session, p, KINDS[kind], record):
            raise OutsideTown("该记录不属于您所在的单位，也未移送或共享给您的单位，无权查看或修改。")
    conflict_id = raw_args.get("conflict_id")
    if isinstance(conflict_id, str) and re.fullmatch(UUID_PATTERN, conflict_id):
        conflict = session.get(Conflict, conflict_id)
        if conflict is not None and conflict.town_code != p.org_code and not is_party(
                session, conflict.kind, conflict.case_id, p.org_code):
            raise OutsideTown("该冲突不属于您所在的单位，无权处理。")


def push_request(writes: Callable[[], Session], resolve: Callable[[Session], Principal], client_id: str,
                 mutations: list[dict], *, client_now: datetime | None = None,
                 registry: dict[str, MutationSpec] = MUTATIONS) -> tuple[Principal, dict]:
    """One POST /sync/push in its own transaction: the fast path first, and on Isolate once more with a savepoint
    per mutation. Any other database error propagates (the route answers 503, nothing is advanced)."""
    for isolate in (False, True):
        try:
            with writes() as session, session.begin():
                p = resolve(session)
                return p, push(session, p, client_id, mutations, client_now=client_now, isolate=isolate,
                               registry=registry)
        except Isolate:
            continue
    raise AssertionError("the isolated push never raises Isolate")


def push(session: Session, p: Principal, client_id: str, mutations: list[dict], *,
         client_now: datetime | None = None, now: datetime | None = None, isolate: bool = True,
         registry: dict[str, MutationSpec] = MUTATIONS) -> dict:
    """`isolate=False` is the fast path: the handlers raise their business-rule rejections (and the argument
    schemas theirs) before they write anything, so no savepoint is needed for those; a database error caused by
    the data (IntegrityError, DataError) or an unexpected exception then raises Isolate and the caller repeats the
    request with `isolate=True`, where each mutation has its savepoint and a poison one is rejected alone. The fast
    path also reads the cases the request names in one query (fx_bureau.batch_cases) and writes what its handlers
    changed in one flush at the end, where a failure raises Isolate too."""
    now = now or datetime.now()
    conn = session.connection()
    client = conn.execute(_CLIENT, {"client_id": client_id}).first()
    if client_id != p.client_id or (client is not None and client.user_id != p.user_id):
        raise ClientNotYours(client_id)
    if client is None:
        raise UnknownClient(client_id)
    last = client.last_mutation_id
    defer_sequence(session)
    defer_numbers(session)
    batch_cases.forget(session)
    if not isolate:
        batch_cases.read(session, _case_ids(m for m in mutations if int(m["id"]) > last))
    try:
        results, logs, last = _apply(session, p, client_id, mutations, last, now, isolate, registry)
        results = assign_numbers(session, results, flush=session.flush if isolate else lambda: _flush(session))
    finally:
        batch_cases.forget(session)
    if logs:
        conn.execute(_LOG, logs)  # one bulk insert, no ORM objects: nothing reads them back
    conn.execute(_CLIENT_SEEN, {"client_id": client_id, "last": last, "now": now})  # its row is locked already
    assign_sequence(session)
    warnings = []
    if client_now is not None:
        skew = client_now - now
        if abs(skew) > SKEW_WARNING:
            warnings.append({"code": "clock_skew", "seconds": round(skew.total_seconds()),
                             "message": f"本机时钟与服务器相差约 {abs(skew.total_seconds()) / 3600:.1f} 小时，"
                                        "请校准系统时间（同步结果不受影响）。"})
    return {"results": results, "last_mutation_id": last, "warnings": warnings}


_clients = Client.__table__
_CLIENT = (select(_clients.c.user_id, _clients.c.last_mutation_id)
           .where(_clients.c.id == bindparam("client_id", type_=String)).with_for_update())
_CLIENT_SEEN = (update(_clients).where(_clients.c.id == bindparam("client_id", type_=String))
                .values(last_mutation_id=bindparam("last", type_=BigInteger),
                        last_seen=bindparam("now", type_=DateTime)))
_LOG = insert(MutationLog.__table__)


def _apply(session: Session, p: Principal, client_id: str, mutations: list[dict], last: int, now: datetime,
           isolate: bool, registry: dict[str, MutationSpec]) -> tuple[list[dict], list[dict], int]:
    """Each mutation in turn: (the answers, the mutation_log rows to insert, the last mutation id processed)."""
    results: list[dict] = []
    logs: list[dict] = []
    for m in mutations:
        raw_name = m.get("name")
        named = isinstance(raw_name, str)
        mid, name = int(m["id"]), storable(raw_name if named else "")[:NAME_LENGTH]  # as stored and quoted
        d = digest(m)
        if mid <= last:
            with session.no_autoflush:  # this request's log rows are inserted at its end: nothing to flush for
                logged = session.get(MutationLog, (client_id, mid))
            if logged is not None and logged.digest != d:
                # A different mutation under an id we already processed: this database went backwards
                # (restored or copied). The client must take a new client id; nothing here is applied.
                results.append({"id": mid, "result": "client_reset"})
                break
            results.append({"id": mid, "result": "already_processed",
                             **({"outcome": logged.result, "reason": logged.reason} if logged else {})})
            continue
        if mid != last + 1:
            results.append({"id": mid, "result": "out_of_order", "expected": last + 1})
            break
        spec = registry.get(raw_name) if named else None
        raw_args = m.get("args")
        reason = None
        try:
            ctx = Context(at=client_time(m.get("at"), now), mutation_id=mid)
            if not named:
                raise DomainError(f"变更名称应为文本（如 create_case），收到的是{kind_of(raw_name)}。")
            if spec is None:
                raise DomainError(f"服务器不认识“{name}”这一操作，请升级客户端。")
            args = check(spec.schema, raw_args)
            guard(session, p, raw_args)
            with session.begin_nested() if isolate else nullcontext():
                outcome = spec.handler(session, p, args, ctx)
        except OutsideTown as exc:
            raise Forbidden(mid, exc.message) from exc
        except MissingBlob as exc:
            results.append({"id": mid, "result": "missing_blob", "sha256": exc.sha256})
            break
        except DomainError as exc:
            outcome, reason = _rejected(spec, raw_args), exc.message
            if not isolate:
                _flush(session)  # what earlier mutations left pending, before the resend's reads flush it unguarded
            _resend_named(session, p, raw_args)
        except (IntegrityError, DataError) as exc:  # caused by this mutation's data: a retry fails the same way
            if not isolate:
                raise Isolate from exc
            outcome = _rejected(spec, raw_args)
            reason = f"数据与服务器上已有记录冲突或不符合数据库的要求，未能保存（{type(exc.orig).__name__}）。"
            _resend_named(session, p, raw_args)
        except DBAPIError:
            raise  # the database itself failed (connection lost, locked...): 503, the client retries
        except Exception as exc:  # noqa: BLE001 - a bug in a handler must not jam this client's queue
            if not isolate:
                raise Isolate from exc
            log.exception("mutation failed", extra={"fields": {
                "client_id": client_id, "mutation_id": mid, "mutation": name, "user": p.username}})
            outcome = _rejected(spec, raw_args)
            reason = (f"服务器处理该变更时出现内部错误（{type(exc).__name__}，已记录为客户端 {client_id} 的第 {mid} "
                      "条变更），未能保存；请把此信息告知系统管理员。")
            _resend_named(session, p, raw_args)
        reason = storable(reason) if reason else None  # it may quote what the client sent
        logs.append(dict(client_id=client_id, mutation_id=mid, name=name, digest=d, result=outcome.result,
                         reason=reason, user_id=p.user_id, kind=outcome.kind, case_id=outcome.case_id,
                         received_at=now))
        last = mid
        entry = {"id": mid, "result": outcome.result, "case_id": outcome.case_id, "kind": outcome.kind}
        if reason:
            entry["reason"] = reason
        if outcome.conflicts:
            entry["conflicts"] = outcome.conflicts
        if outcome.detail:
            entry["detail"] = outcome.detail
        results.append(entry)
    return results, logs, last


def _case_ids(mutations) -> set[str]:
    """The case ids the mutations' arguments name (the ones a case handler reads)."""
    return {record_id for m in mutations for kind, record_id in _named(m.get("args")) if kind == "case"}


def _flush(session: Session) -> None:
    """Write what the fast path's handlers left pending, in one flush (bulk statements); a failure caused by the
    data raises Isolate, as it would have in the handler whose query autoflushed it."""
    try:
        session.flush()
    except (IntegrityError, DataError) as exc:
        raise Isolate from exc
    except DBAPIError:
        raise
    except Exception as exc:  # noqa: BLE001 - as in a handler: redo with savepoints, the culprit is rejected alone
        raise Isolate from exc
