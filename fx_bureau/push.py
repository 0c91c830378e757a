"""POST /sync/push: one transaction per request; each mutation in a savepoint, its effect and the client's
`last_mutation_id` committed together. Resent -> already_processed; a gap -> out_of_order and nothing after it;
a business-rule rejection -> advanced with the reason stored; a database failure -> the whole request rolls back
and the route answers 503, so the client retries and nothing is applied twice."""
from __future__ import annotations

import hashlib
import json
from contextlib import nullcontext
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fx_desktop.domain.errors import DomainError

from .models import Case, Client, MutationLog
from .mutations import HANDLERS, Context, MissingBlob, Outcome, OutsideTown, client_time
from .principal import Principal
from .schema import lock_sequence, next_seq, release_sequence

SKEW_WARNING = timedelta(minutes=5)


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


def digest(mutation: dict) -> str:
    canonical = json.dumps({"name": mutation.get("name"), "args": mutation.get("args")}, sort_keys=True,
                           ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def resend_case(session: Session, p: Principal, case_id) -> None:
    """A rejected change left the client's copy of the case as the client made it. Moving the case forward in the
    change sequence (its version stays) makes the client's next pull bring the server's copy back; the rejection
    and its reason stay in the client's inbox."""
    if not case_id:
        return
    case = session.get(Case, str(case_id))
    if case is not None and p.sees_town(case.town_code):
        case.seq = next_seq(session)


def push(session: Session, p: Principal, client_id: str, mutations: list[dict], *,
         client_now: str | None = None, now: datetime | None = None, isolate: bool = True) -> dict:
    """`isolate=False` is the fast path: the handlers raise their business-rule rejections before they write
    anything, so no savepoint is needed for those; a database error (IntegrityError) then fails the whole request
    and the caller repeats it with `isolate=True`, where each mutation has its savepoint and a poison one is
    rejected alone."""
    now = now or datetime.now()
    client = session.execute(select(Client).where(Client.id == client_id).with_for_update()).scalar_one_or_none()
    if client_id != p.client_id or (client is not None and client.user_id != p.user_id):
        raise ClientNotYours(client_id)
    if client is None:
        raise UnknownClient(client_id)
    last = client.last_mutation_id
    if any(int(m["id"]) > last for m in mutations):
        lock_sequence(session)
    results: list[dict] = []
    logs: list[MutationLog] = []
    for m in mutations:
        mid, name = int(m["id"]), str(m.get("name"))
        d = digest(m)
        if mid <= last:
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
        handler = HANDLERS.get(name)
        ctx = Context(at=client_time(m.get("at"), now), mutation_id=mid)
        reason = None
        try:
            with session.begin_nested() if isolate else nullcontext():
                if handler is None:
                    raise DomainError(f"服务器不认识“{name}”这一操作，请升级客户端。")
                outcome = handler(session, p, m.get("args") or {}, ctx)
        except OutsideTown as exc:
            raise Forbidden(mid, exc.message) from exc
        except MissingBlob as exc:
            results.append({"id": mid, "result": "missing_blob", "sha256": exc.sha256})
            break
        except DomainError as exc:
            outcome, reason = Outcome("rejected", (m.get("args") or {}).get("case_id")), exc.message
            resend_case(session, p, outcome.case_id)
        except IntegrityError as exc:
            if not isolate:
                raise
            outcome = Outcome("rejected", (m.get("args") or {}).get("case_id"))
            reason = f"数据与服务器上已有记录冲突，未能保存（{type(exc.orig).__name__}）。"
            resend_case(session, p, outcome.case_id)
        logs.append(MutationLog(client_id=client_id, mutation_id=mid, name=name, digest=d, result=outcome.result,
                                reason=reason, user_id=p.user_id, case_id=outcome.case_id, received_at=now))
        last = mid
        entry = {"id": mid, "result": outcome.result, "case_id": outcome.case_id}
        if reason:
            entry["reason"] = reason
        if outcome.conflicts:
            entry["conflicts"] = outcome.conflicts
        if outcome.detail:
            entry["detail"] = outcome.detail
        results.append(entry)
    session.add_all(logs)  # one batched insert
    release_sequence(session)
    client.last_mutation_id = last
    client.last_seen = now
    warnings = []
    if client_now:
        try:
            skew = datetime.fromisoformat(client_now) - now
            if abs(skew) > SKEW_WARNING:
                warnings.append({"code": "clock_skew", "seconds": round(skew.total_seconds()),
                                 "message": f"本机时钟与服务器相差约 {abs(skew.total_seconds()) / 3600:.1f} 小时，"
                                            "请校准系统时间（同步结果不受影响）。"})
        except ValueError:
            pass
    return {"results": results, "last_mutation_id": last, "warnings": warnings}
