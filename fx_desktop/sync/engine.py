"""One sync: push the outbox (attachments first), then pull pages until caught up, then compare digests.
Plain Python, no Qt: the GUI runs it through its task runner, the `fx-desktop sync` command directly."""
from __future__ import annotations

import json
import sqlite3
import time
from contextlib import closing, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from ..domain.text_limits import MAX_REQUEST_BYTES
from ..services.storage_errors import describe
from ..store import Store, bulk_load, meta, outbox, search_index
from ..store.models import OutboxEntry, SyncConflict, SyncRun
from . import account as accounts
from .apply import apply_page, record_conflict
from .attachments import BlobMissingLocally, upload
from .credentials import CredentialStore
from .digest import local_digest
from .kinds import KINDS, holds_no_records
from .prefetch import pages_ahead
from .transport import (OTHER_DEVICE, AuthRequired, BureauClient, Refused, ServerProblem, SyncProblem, Tokens,
                        Unreachable)

PUSH_BATCH = 500  # fx-bureau's push_batch_limit: fewer, larger transactions (a server taking fewer says so)
PUSH_BYTES = MAX_REQUEST_BYTES // 2  # a push body stays well under fx-bureau's default request limit
PULL_PAGE = 1000
MAX_ROUNDS = 10_000  # a safety net against a server that never stops saying "more"
VERIFY_EVERY = timedelta(hours=1)  # an idle client still compares digests this often
BULK_PAGE = 200  # a first page this full means a bulk load: the search index is built once at the end
# Pulled pages are applied in one transaction until it has taken this long: fewer commits write each index page
# of a bulk load fewer times (a million cases: ~20% less work), and a user's save still waits little for its turn.
PULL_TRANSACTION_S = 1.0


# The files a mutation brings ({sha256, size, name}), by mutation name, uploaded before it is pushed: an evidence
# file, or the materials a police organisation sends with a case it refers to a town. A mutation with files adds
# its entry here; the upload code has no branch per mutation.
ATTACHED_FILES: dict[str, Callable[[dict], list[dict]]] = {
    "add_evidence": lambda args: [args],
    "police_return_case": lambda args: [m for m in args.get("materials") or [] if isinstance(m, dict)
                                        and m.get("sha256")],
}


def attachments_of(name: str, args: dict) -> list[dict]:
    files = ATTACHED_FILES.get(name)
    return files(args) if files else []


@dataclass
class SyncReport:
    pushed: int = 0
    rejected: int = 0
    conflicts: int = 0
    pulled: int = 0
    deleted: int = 0
    uploaded: int = 0
    resets: int = 0  # continued under a new client id
    resyncs: int = 0  # pulled everything again (unknown cursor or digest mismatch)
    digest_ok: bool | None = None
    pending_after: int = 0
    warnings: list[str] = field(default_factory=list)
    notice: str = ""  # what the user should know about this run (their organisation changed)
    error: str | None = None
    problem: SyncProblem | None = None  # what stopped the run, when it came from the server or the network

    @property
    def ok(self) -> bool:
        return self.error is None and self.pending_after == 0

    @property
    def outcome(self) -> str:
        """ok; offline (no answer: retry soon); retry (a bad answer, or the local disk: retry with backoff);
        login (the tokens are gone); refused (a retry would get the same answer)."""
        if self.problem is None:
            return "ok" if self.error is None else "retry"
        if isinstance(self.problem, Unreachable):
            return "offline"
        if isinstance(self.problem, AuthRequired):
            return "login"
        if isinstance(self.problem, ServerProblem):
            return "retry"
        return "refused"

    @property
    def retry_after(self) -> float | None:
        return getattr(self.problem, "retry_after", None)

    def summary(self) -> str:
        parts = [f"推送 {self.pushed} 条", f"拉取 {self.pulled} 件"]
        if self.uploaded:
            parts.append(f"上传附件 {self.uploaded} 个")
        if self.rejected:
            parts.append(f"被拒绝 {self.rejected} 条")
        if self.conflicts:
            parts.append(f"冲突 {self.conflicts} 处")
        if self.pending_after:
            parts.append(f"待推送 {self.pending_after} 条")
        text = "，".join(parts)
        if self.error:
            return f"同步失败：{self.error}（{text}）"
        return f"同步完成：{text}。" + self.notice


Progress = Callable[[str, int, int], None]  # (phase, done, total)


def _wire(seq: int, name: str, args_json: str, at: datetime) -> str:
    """One mutation as the push body carries it: its arguments go as the outbox stores them (JSON text), neither
    decoded nor encoded again."""
    return f'{{"id":{int(seq)},"name":{json.dumps(name)},"args":{args_json},"at":{json.dumps(at.isoformat())}}}'


def _size(wire: list[str]) -> int:
    """The bytes these encoded mutations take in a push body."""
    return sum(len(piece.encode("utf-8")) + 1 for piece in wire)


def _within(wire: list[str], budget: int) -> int:
    """How many of the encoded mutations, from the first, fit a push body of `budget` bytes; never none."""
    used = 0
    for i, piece in enumerate(wire):
        used += len(piece.encode("utf-8")) + 1
        if used > budget and i:
            return i
    return len(wire)


class SyncEngine:
    def __init__(self, store: Store, client: BureauClient, account: accounts.Account,
                 creds: CredentialStore | None = None, *, now: Callable[[], datetime] = datetime.now,
                 push_batch: int = PUSH_BATCH, pull_page: int = PULL_PAGE, push_bytes: int = PUSH_BYTES):
        self.store, self.client, self.account, self.creds, self.now = store, client, account, creds, now
        self.push_batch, self.pull_page, self.push_bytes = push_batch, pull_page, push_bytes

    def run(self, progress: Progress | None = None) -> SyncReport:
        report = SyncReport()
        started = self.now()
        try:
            self.push(report, progress)
            self.pull(report, progress)
        except SyncProblem as exc:
            report.error, report.problem = exc.message, exc
        except (OSError, DBAPIError, sqlite3.Error) as exc:  # the local disk or database: what was committed stays, resume later
            report.error = f"{describe(exc)}。已完成的部分已保存，下次同步将从中断处继续。"
        finally:
            with self.store.sessions() as session:
                report.pending_after = outbox.pending_count(session, self.account.username)
            self._record(report, started)
        return report

    # --- push -----------------------------------------------------------------------------------------------

    def push(self, report: SyncReport, progress: Progress | None = None) -> None:
        owner = self.account.username
        with self.store.sessions() as session:
            total = outbox.pending_count(session, owner)
        done = 0
        for _ in range(MAX_ROUNDS):
            with self.store.sessions() as session:
                batch = outbox.pending_wire(session, self.push_batch, owner=owner)
            if not batch:
                return
            wire = [_wire(*entry) for entry in batch]
            fits = _within(wire, self.push_bytes)
            batch, wire = batch[:fits], wire[:fits]
            if not self._upload_for(batch, report):
                continue
            try:
                body = self.client.push(self.account.client_id, wire, self.now().isoformat())
            except Refused as exc:
                if exc.code == "too_many" and len(batch) > 1:  # the server takes fewer mutations per request
                    self.push_batch = len(batch) // 2
                    continue
                if exc.code == "too_large":  # the server takes smaller bodies than this client assumed
                    if len(batch) > 1:
                        self.push_bytes = max(1, _size(wire[:len(wire) // 2]))
                        continue
                    with self.store.writes.begin() as session:  # one change alone is too large: it never will fit
                        outbox.mark(session, owner, batch[0][0], outbox.REJECTED, exc.message)
                    report.rejected += 1
                    continue
                if exc.code == "client_not_yours":  # these tokens are another data folder's login: never push
                    self.client.tokens = Tokens(None, None)
                    raise AuthRequired(OTHER_DEVICE, "other_device") from exc
                if exc.code == "unknown_client":  # the server lost this client id: register a new one
                    self.account = accounts.reset_client(self.store, self.client, self.creds, self.account)
                    report.resets += 1
                    continue
                if exc.code != "outside_town" or "mutation_id" not in exc.extra:
                    raise
                # The server applied nothing; this one change can never apply. The next push finds a gap where
                # it was and continues under a new client id.
                with self.store.writes.begin() as session:
                    outbox.mark(session, owner, int(exc.extra["mutation_id"]), outbox.REJECTED, exc.message)
                    _drop_refused(session)
                report.rejected += 1
                continue
            stop = self._record_results(body, report)
            report.warnings.extend(w.get("message", "") for w in body.get("warnings") or [])
            done = min(total, done + len(batch))
            if progress:
                progress("push", done, max(total, done))
            if stop == "reset":
                self.account = accounts.reset_client(self.store, self.client, self.creds, self.account)
                report.resets += 1
            elif stop == "missing_blob":
                continue  # uploaded meanwhile by _record_results; push again
        raise ServerProblem("推送未能完成：服务器反复要求重发，稍后再试。")

    def _upload_for(self, batch, report: SyncReport) -> bool:
        """Upload what the batch's evidence needs. An attachment that can never be uploaded (over the server's
        limit, damaged or missing on this disk) marks its mutation rejected with the reason; returns False then,
        and the caller re-reads the queue."""
        for seq, name, args_json, _at in batch:
            files = attachments_of(name, json.loads(args_json))
            if not files:
                continue
            args = files[0]
            try:
                for args in files:
                    if upload(self.client, self.store.blobs, args["sha256"], int(args["size"])) == "stored":
                        report.uploaded += 1
            except (Refused, BlobMissingLocally) as exc:
                if isinstance(exc, Refused) and exc.code not in ("too_large", "hash_mismatch", "bad_hash"):
                    raise
                reason = exc.message
                if getattr(exc, "code", "") == "hash_mismatch":
                    reason = f"本机保存的附件“{args.get('name')}”已损坏（校验值不符），未能上传；请重新添加该文件。"
                with self.store.writes.begin() as session:
                    outbox.mark(session, self.account.username, seq, outbox.REJECTED, reason)
                report.rejected += 1
                return False
        return True

    def _record_results(self, body: dict, report: SyncReport) -> str | None:
        owner, stop, at = self.account.username, None, self.now()
        done: dict[str, list[int]] = {outbox.DONE: [], outbox.CONFLICT: []}
        with self.store.writes.begin() as session:
            for r in body["results"]:
                seq, result = int(r.get("id", 0)), r.get("result")
                if result == "already_processed":
                    result = r.get("outcome") or "applied"
                if result in ("applied", "conflict"):
                    done[outbox.CONFLICT if result == "conflict" else outbox.DONE].append(seq)
                    report.pushed += 1
                    for c in r.get("conflicts") or []:
                        record_conflict(session, {**c, "type": "conflict"})
                        report.conflicts += 1
                elif result == "rejected":
                    outbox.mark(session, owner, seq, outbox.REJECTED, r.get("reason") or "服务器拒绝了该变更。", at=at)
                    report.rejected += 1
                elif result in ("out_of_order", "client_reset"):
                    stop = "reset"
                    break
                elif result == "missing_blob":
                    stop = "missing_blob"
                    break
                else:
                    raise ServerProblem(f"服务器对第 {seq} 条变更的回答无法识别（{result!r}），稍后将重试。")
            for state, seqs in done.items():
                outbox.mark_many(session, owner, seqs, state, at=at)
            _answers_applied(session, owner, body["results"])
            if any(r.get("result") == "rejected" for r in body["results"]):
                _drop_refused(session)
        if stop == "missing_blob":
            entry = next(r for r in body["results"] if r.get("result") == "missing_blob")
            with self.store.sessions() as session:
                row = session.execute(select(OutboxEntry).where(
                    OutboxEntry.owner == owner, OutboxEntry.seq == int(entry["id"]))).scalar_one()
                size = next(int(f["size"]) for f in attachments_of(row.name, row.args)
                            if f["sha256"] == entry["sha256"])
            upload(self.client, self.store.blobs, entry["sha256"], size)
            report.uploaded += 1
        return stop

    # --- pull -----------------------------------------------------------------------------------------------

    def pull(self, report: SyncReport, progress: Progress | None = None, *, verify: bool = True,
             resync: bool = False) -> None:
        with self.store.sessions() as session:
            cursor = meta.get(session, self.account.cursor_key) or None
            fresh = cursor is None and holds_no_records(session)
        with self.store.bulk_writes() as writes:
            # a first pull (or a resync's): the case indexes at its end
            with bulk_load.loading(writes) if fresh else nullcontext():
                with closing(pages_ahead(lambda after: self.client.pull(after, self.pull_page), cursor,
                                         MAX_ROUNDS)) as pages:
                    restart = self._apply(pages, writes, cursor, report, progress, resync=resync, fresh=fresh)
            if restart:
                report.resyncs += 1  # the server does not know our cursor (its database was replaced): start over
            else:
                with writes.begin() as session:  # a bulk load indexes everything once, at its end
                    if search_index.paused(session):
                        search_index.rebuild(session)
        if restart:
            return self.full_resync(report)
        if verify:
            self.verify(report)

    def _apply(self, pages, writes, cursor: str | None, report: SyncReport, progress: Progress | None, *,
               resync: bool, fresh: bool) -> bool:
        """Apply the pages, each with its cursor, several to a transaction (for PULL_TRANSACTION_S at most);
        `fresh`: into a store that held no records. A failure keeps every page before it, as a transaction per
        page would: a page that cannot be fetched ends the pull with the open transaction committed; one that
        cannot be applied (a full disk) rolls it back and applies the pages before it again on their own. True
        when a page says the server does not know the cursor it was asked with (what came before it is kept)."""
        asked, restart = cursor, False  # asked: the cursor the page was asked for with
        batch = _Batch(writes, report, lambda session, page, first: apply_page(
            session, page["changes"], page["cursor"], cursor_key=self.account.cursor_key, actor=self.account.name,
            now=self.now(), pause_search=first and cursor is None and len(page["changes"]) >= BULK_PAGE,
            fresh=fresh))
        try:
            while True:
                try:
                    page = next(pages, None)
                except BaseException:
                    batch.commit()  # the pages before it are whole: keep them
                    raise
                if page is None:
                    break
                if page.get("reset") and asked is not None and not resync:
                    restart = True
                    break
                batch.apply(page)
                asked = page["cursor"]
                if not page.get("more") or batch.age() >= PULL_TRANSACTION_S:
                    batch.commit()
                if progress:
                    done = report.pulled + batch.pulled()
                    progress("pull", done, done + (self.pull_page if page.get("more") else 0))
            batch.commit()  # stopped early (a reset, MAX_ROUNDS): what was applied stays
            return restart
        finally:
            batch.close()

    def verify(self, report: SyncReport) -> None:
        """Compare counts and hashes with the server; on a mismatch resynchronise everything once. Skipped when
        this run exchanged nothing and the same cursor was verified within VERIFY_EVERY: hashing every case on both
        sides is what would otherwise make an idle sync slow."""
        key = f"sync.verified:{self.account.username}"
        with self.store.sessions() as session:
            cursor = meta.get(session, self.account.cursor_key)
            last = (meta.get(session, key) or "|").split("|", 1)
        recent = last[1] and self.now() - datetime.fromisoformat(last[1]) < VERIFY_EVERY
        if not (report.pulled or report.deleted or report.pushed) and last[0] == cursor and recent:
            return
        server = self.client.digest()
        if server.get("cursor") != cursor:
            return  # something changed after our pull; the next sync compares again
        with self.store.sessions() as session:
            mine = local_digest(session, self.account.profile.case_towns)
        report.digest_ok = (mine["count"], mine["hash"]) == (server.get("count"), server.get("hash"))
        if not report.digest_ok:
            report.resyncs += 1
            self.full_resync(report)
        if report.digest_ok:
            with self.store.writes.begin() as session:
                meta.put(session, key, f"{cursor}|{self.now().isoformat()}")

    def full_resync(self, report: SyncReport) -> None:
        """Pull everything again from the start. Rows of every kind that the snapshot no longer contains are then
        dropped when the user's organisation may not see them (it changed: they lose what they may no longer see)
        and nothing of theirs waits to be pushed; the others are kept here, marked as not on the server, and
        reported (its database was restored from an older backup, say): nothing a user saved disappears without
        a person seeing it."""
        org = self._organisation(report)
        with self.store.writes.begin() as session:
            meta.put(session, self.account.cursor_key, "")
            for kind in KINDS.values():
                session.connection().exec_driver_sql(f"UPDATE {kind.table} SET server_version = -server_version "
                                                     "WHERE server_version > 0")
        self.pull(report, verify=False, resync=True)
        orphans = 0
        with self.store.writes.begin() as session:
            connection = session.connection()
            for kind in KINDS.values():
                if org is not None:  # None: the bureau sees everything
                    gone = connection.execute(text(
                        f"DELETE FROM {kind.table} WHERE server_version < 0 AND NOT ({kind.visible}) "
                        f"AND NOT ({kind.pending})"), {"org": org}).rowcount
                    report.deleted += gone
                orphans += connection.exec_driver_sql(
                    f"UPDATE {kind.table} SET server_version = NULL WHERE server_version < 0").rowcount
        if orphans:
            report.warnings.append(f"服务器上已没有本机的 {orphans} 条记录（服务器数据可能已从备份恢复），"
                                   "这些记录已保留在本机，请与区局核对。")
        server = self.client.digest()
        with self.store.sessions() as session:
            mine = local_digest(session, self.account.profile.case_towns)
        report.digest_ok = (mine["count"], mine["hash"]) == (server.get("count"), server.get("hash"))

    def _organisation(self, report: SyncReport) -> str | None:
        """The organisation the server now says the user belongs to (None: the bureau, which sees all); the one
        of the last login when the server does not say. When an administrator moved the user (fx-bureau
        `set-user --org`, which makes this pull a reset), the stored account and profile follow the server's
        answer, and the report says so."""
        try:
            me = self.client.me()
        except SyncProblem:
            raise
        except Exception:  # noqa: BLE001 - an older server or a stand-in client: what the login said
            me = {}
        moved = accounts.follow_server(self.store, self.account, me) if isinstance(me, dict) else None
        if moved is not None:
            before = self.account
            self.account = moved
            if (moved.org_code, moved.org_kind) != (before.org_code, before.org_kind):
                report.notice = (f"您的所属单位已变更为{moved.org_label}（{moved.role.label}），"
                                 "已按新单位重新同步数据。")
            else:
                report.notice = f"您的角色已变更为{moved.role.label}，已重新同步数据。"
        if "org_kind" in me:
            return None if me.get("org_kind") == "bureau" else me.get("org_code")
        town = me.get("town_code", self.account.town_code)
        return town or getattr(self.account, "org_code", None) or None

    def _record(self, report: SyncReport, started: datetime) -> None:
        try:
            with self.store.writes.begin() as session:
                session.add(SyncRun(started_at=started, finished_at=self.now(), ok=report.ok, pushed=report.pushed,
                                    pulled=report.pulled, rejected=report.rejected, conflicts=report.conflicts,
                                    message=report.summary()))
                meta.put(session, "sync.last_attempt", self.now().isoformat())
                if report.error is None:
                    meta.put(session, "sync.last_synced", self.now().isoformat())
        except Exception:  # noqa: BLE001 - a full disk must not hide the sync's own outcome
            pass


class _Batch:
    """Pulled pages applied in one write transaction (`apply(session, page, first)` applies one); the report
    counts them once they are committed."""

    def __init__(self, writes, report: SyncReport, apply: Callable):
        self.writes, self.report, self._apply = writes, report, apply
        self.session, self.started, self.first = None, 0.0, True
        self.pages: list[tuple[dict, bool]] = []  # (page, whether it was the pull's first) in the open transaction
        self.results: list = []

    def apply(self, page: dict) -> None:
        if self.session is None:
            self.session, self.started = self.writes(), time.monotonic()
            self.session.begin()
        first, self.first = self.first, False
        try:
            self.results.append(self._apply(self.session, page, first))
        except BaseException:
            self.close()  # rolled back: the pages before this one go again, in a transaction of their own
            before, self.pages, self.results = self.pages, [], []
            if before:
                self.session = self.writes()
                self.session.begin()
                self.results = [self._apply(self.session, p, f) for p, f in before]
                self.commit()
            raise
        self.pages.append((page, first))

    def age(self) -> float:
        return time.monotonic() - self.started

    def pulled(self) -> int:
        return sum(r.cases + r.referrals for r in self.results)

    def commit(self) -> None:
        if self.session is None:
            return
        self.session.commit()
        self.close()
        for result in self.results:
            self.report.pulled += result.cases + result.referrals
            self.report.deleted += result.deleted
            self.report.conflicts += result.new_conflicts
        self.pages, self.results = [], []

    def close(self) -> None:
        """Not committed: rolled back."""
        if self.session is not None:
            self.session.close()
            self.session = None


def _answers_applied(session, owner: str, results: list[dict]) -> None:
    """Push answers that carry a detail for a kind that wants it (the official number of a new referral)."""
    hooked = [k.name for k in KINDS.values() if k.on_applied]
    seqs = {int(r.get("id", 0)): r["detail"] for r in results
            if isinstance(r.get("detail"), dict) and (r.get("outcome") or r.get("result")) == "applied"}
    if not seqs or not hooked:
        return
    entries = session.execute(select(OutboxEntry).where(OutboxEntry.owner == owner, OutboxEntry.seq.in_(list(seqs)),
                                                        OutboxEntry.kind.in_(hooked))).scalars()
    for entry in entries:
        KINDS[entry.kind].on_applied(session, entry.args, seqs[entry.seq])


def _drop_refused(session) -> None:
    """Local records the server refused to create go with the refusal (SYNC.md: the device shows what the server
    holds); each kind says which (RecordKind.drop_refused)."""
    for kind in KINDS.values():
        if kind.drop_refused:
            kind.drop_refused(session)


def open_conflicts(store: Store, case_id: str | None = None) -> list[SyncConflict]:
    with store.sessions() as session:
        query = select(SyncConflict).where(SyncConflict.status != "resolved")
        if case_id:
            query = query.where(SyncConflict.case_id == case_id)
        return list(session.execute(query.order_by(SyncConflict.created_at)).scalars())


def backoff(attempt: int, *, base: float = 2.0, cap: float = 300.0) -> float:
    """Seconds to wait before retry `attempt` (1, 2, ...): exponential, capped, with jitter."""
    import random

    return min(cap, base * 2 ** (attempt - 1)) * (0.5 + random.random() / 2)
