"""Pulled legal review rounds (record kind "legal_review"): upsert the rows. A round with review steps of this
device still waiting to be pushed is rebased: the server's round is the base and the pending steps are replayed on
it with the functions the service and fx-bureau call (`domain.review_effects`, `domain.legal_review`); a pending
return_review of its case (transition_case) withdraws it, as on the server. A step that no longer applies (another
reviewer answered first, say) is left out of the local view but stays pending: the server rejects it with its
reason, which the user then sees with the other rejections, so nothing is lost silently. The case's own status and
review pass are rebased by the case applier (sync/apply.py), which sees the same outbox entries by case."""
from __future__ import annotations

import json
from datetime import date, datetime

from ..domain import json_text
from ..domain import legal_review as lr
from ..domain.case_changes import withdraws_review
from ..domain.errors import DomainError
from ..domain.review_effects import apply_verdict, extend_round, withdraw_pending
from ..store.outbox import PENDING
from .apply import PageContext, _sql_time, inserted_as_new
from .apply_referral import pending_of_kind

KIND = "legal_review"
STEPS = frozenset({"submit_review", "record_review", "extend_review"})
_JSON = frozenset({"materials", "criteria"})
_DATES = frozenset({"accepted_on", "due_on"})
_TIMES = frozenset({"submitted_at", "reviewed_at"})
_ROUND = ("round_no", "status", "submitted_at", "submitted_by", "materials", "report", "accepted_on", "due_on",
          "extension_reason", "criteria", "outcome", "opinion", "reviewer", "reviewed_at", "opinion_number")
_COLUMNS = ("id", "case_id", "owner_org", *_ROUND, "version", "server_version")
_INSERT = f"INSERT INTO legal_reviews ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"
_UPSERT = (
    f"{_INSERT} ON CONFLICT(id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS if c not in ("id", "version"))
    + ", version = legal_reviews.version + 1"
)


class _Round:
    """Attribute access over a round's wire data (ISO text), as domain.review_effects expects of a round."""

    def __init__(self, data: dict):
        object.__setattr__(self, "_data", data)

    def __getattr__(self, key):
        value = self._data.get(key)
        return date.fromisoformat(value[:10]) if key in _DATES and isinstance(value, str) else value

    def __setattr__(self, key, value):
        self._data[key] = value.isoformat() if isinstance(value, (date, datetime)) else value


class _CaseEffects:
    """Where apply_verdict puts the case's columns: the case applier rebases the case itself."""


def _local(cur, ids: list[str]) -> dict[str, tuple]:
    """What this device wrote on its rounds that the server does not say yet: (reviewer, reviewed_at,
    opinion_number), kept when a pending verdict is replayed."""
    found = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        found.update((r[0], r[1:]) for r in cur.execute(
            f"SELECT id, reviewer, reviewed_at, opinion_number FROM legal_reviews "
            f"WHERE id IN ({','.join('?' * len(chunk))})", chunk).fetchall())
    return found


def _withdrawals(cur, case_ids: list[str]) -> set[str]:
    """Cases with a pending step that takes their review back (return_review)."""
    found = set()
    for start in range(0, len(case_ids), 500):
        chunk = case_ids[start:start + 500]
        for case_id, args in cur.execute(
                f"SELECT case_id, args FROM outbox WHERE state = ? AND name = 'transition_case' "
                f"AND case_id IN ({','.join('?' * len(chunk))})", [PENDING, *chunk]).fetchall():
            if withdraws_review(json.loads(args).get("action")):
                found.add(case_id)
    return found


def rebase(server_round: dict, pending: list[tuple], local: tuple | None, *, calendar, rules) -> dict:
    """The server's round with this device's pending review steps replayed on top."""
    data = dict(server_round)
    row = _Round(data)
    reviewer, reviewed_at, opinion_number = local or (None, None, None)
    for name, args, at in pending:
        if data.get("status") != lr.ReviewStatus.PENDING:
            break  # answered or withdrawn on the server: what is still pending here will be refused there
        try:
            if name == "record_review":
                verdict = lr.check_verdict(args.get("outcome"), args.get("opinion") or "", args.get("criteria"))
                apply_verdict(row, _CaseEffects(), verdict, reviewer=reviewer or "", at=_time(reviewed_at) or at)
                data["opinion_number"] = opinion_number
            elif name == "extend_review":
                extend_round(row, args.get("reason") or "", calendar=calendar, days=rules.extension_days)
        except DomainError:
            continue
    return data


def _time(value) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def _value(column: str, value):
    if column in _JSON:
        return None if value is None else json_text.encode(value)
    if column in _TIMES:
        return _sql_time(value)
    return value


def apply_reviews(ctx: PageContext, changes: list[dict]) -> None:
    cur = ctx.cur
    if inserted_as_new(ctx, lambda: cur.executemany(_INSERT, _rows(ctx, changes, {}, set(), {}))):
        ctx.result.received += len(changes)
        return
    ids = [c["id"] for c in changes]
    pending = pending_of_kind(cur, KIND, ids)
    withdrawn = _withdrawals(cur, sorted({c["case_id"] for c in changes}))
    local = _local(cur, [i for i in ids if i in pending])
    known = {r[0] for start in range(0, len(ids), 500) for r in cur.execute(
        f"SELECT id FROM legal_reviews WHERE id IN ({','.join('?' * len(ids[start:start + 500]))})",
        ids[start:start + 500]).fetchall()}
    cur.executemany(_UPSERT, _rows(ctx, changes, pending, withdrawn, local))
    ctx.result.received += len(ids) - len(known)


def _rows(ctx: PageContext, changes: list[dict], pending: dict, withdrawn: set[str], local: dict) -> list[tuple]:
    """The rows of pulled rounds: those with `pending` steps rebased, those of `withdrawn` cases withdrawn."""
    from ..services.calendar import current_calendar
    from ..services.review_rules import rules_in

    calendar = rules = None
    rows = []
    for c in changes:
        data = dict(c.get("data") or {})
        if c["id"] in pending:
            if rules is None:
                calendar, rules = current_calendar(ctx.session), rules_in(ctx.session)
            data = rebase(data, pending[c["id"]], local.get(c["id"]), calendar=calendar, rules=rules)
            ctx.result.rebased.append(c["id"])
        if c["case_id"] in withdrawn:
            withdraw_pending([_Round(data)])
        rows.append((c["id"], c["case_id"], c.get("owner_org") or "", *(_value(k, data.get(k)) for k in _ROUND),
                     1, c["version"]))
    return rows


def drop_refused(cur, case_ids: list[str]) -> None:
    """Rounds of these pulled cases that the server never accepted (their submission was rejected: not on the
    server, no step of this device waits for them) go, as they went when the rounds travelled inside the case row.
    A case's rounds never come after it in the change sequence (a step writes the round, then touches the case)."""
    for start in range(0, len(case_ids), 500):
        chunk = case_ids[start:start + 500]
        cur.execute(f"DELETE FROM legal_reviews WHERE case_id IN ({','.join('?' * len(chunk))}) "
                    "AND server_version IS NULL AND id NOT IN (SELECT record_id FROM outbox WHERE state = ? "
                    "AND kind = ? AND record_id IS NOT NULL)", [*chunk, PENDING, KIND])


def delete_review(ctx: PageContext, review_id: str) -> bool:
    """A round's tombstone (fx-bureau makes none today: a case with rounds is never deleted)."""
    if review_id in pending_of_kind(ctx.cur, KIND, [review_id]):
        return False
    ctx.cur.execute("DELETE FROM legal_reviews WHERE id = ?", (review_id,))
    return True
