"""The record kinds the client syncs, registered once (SYNC.md "Shared records"): how a pulled change of each
`type` is applied, how a tombstone of each entity deletes, which local rows the digest covers, which rows a full
resync may drop, and what a push answer adds. Adding a kind adds entries here, not branches in the engine.

- APPLIERS: pulled change `type` -> applier(ctx, changes), run in this order within one page's transaction.
- KINDS: record kind -> RecordKind (its table, its tombstone, its visibility, its push-answer hook)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .apply import PageContext, apply_cases, apply_conflicts, apply_reference, delete_case
from .apply_referral import apply_referrals, delete_referral, drop_refused, record_number


@dataclass(frozen=True)
class RecordKind:
    """`visible`: SQL condition on the kind's table for rows an organisation (`:org`) may see, as fx-bureau's
    `visible` decides (owner or party); `pending`: SQL condition for rows a pending outbox entry acts on;
    `digest_scope`: extra condition on the digest's rows, given the towns whose cases the user sees;
    `on_applied(session, args, detail)`: what an applied push answer's detail changes here; `drop_refused(session)`:
    remove the local rows of records whose creation the server refused (run with the rejection's transaction)."""

    name: str
    table: str
    delete: Callable[[PageContext, str], bool]
    visible: str
    pending: str
    digest_scope: Callable[[str | None], tuple[str, dict]] | None = None
    on_applied: Callable[[object, dict, dict], None] | None = None
    drop_refused: Callable[[object], None] | None = None


def _case_scope(towns: tuple[str, ...] | str | None) -> tuple[str, dict]:
    """The cases the user sees: of one town (a code), of these towns (a tuple; () none: a department), or every
    case (None: the bureau)."""
    if towns is None or towns == "":
        return "", {}
    towns = (towns,) if isinstance(towns, str) else tuple(towns)
    if not towns:
        return "0", {}
    return f"town_code IN ({', '.join(f':t{i}' for i in range(len(towns)))})", {f"t{i}": t for i, t in enumerate(towns)}


KINDS: dict[str, RecordKind] = {
    "case": RecordKind(
        "case", "cases", delete_case, visible="town_code = :org",
        pending="id IN (SELECT case_id FROM outbox WHERE state = 'pending' AND case_id IS NOT NULL)",
        digest_scope=_case_scope),
    "referral": RecordKind(
        "referral", "referrals", delete_referral, visible="(owner_org = :org OR receiving_org = :org)",
        pending="id IN (SELECT record_id FROM outbox WHERE state = 'pending' AND kind = 'referral')",
        on_applied=lambda session, args, detail: record_number(session, args, detail), drop_refused=drop_refused),
}


def apply_tombstones(ctx: PageContext, changes: list[dict]) -> None:
    for change in changes:
        kind = KINDS.get(change.get("entity"))
        if kind is not None and kind.delete(ctx, change["id"]):
            ctx.result.deleted += 1


APPLIERS: dict[str, Callable[[PageContext, list[dict]], None]] = {
    "case": apply_cases,
    "referral": apply_referrals,
    "conflict": apply_conflicts,
    "tombstone": apply_tombstones,
    "reference": apply_reference,
}


def kind_of_mutation(kind: str | None) -> RecordKind | None:
    return KINDS.get(kind or "case")
