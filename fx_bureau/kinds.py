"""The record kinds the server syncs (SYNC.md "Shared records"), registered once: their table, owner organisation,
wire row and whether other organisations (record_parties) see them. Pull, digest, the resend of a rejected record
and the visibility checks of every request go through this registry, so a new kind is an entry here.

A user sees a record when their organisation owns it or is a party to it; the bureau sees every record."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Callable

from sqlalchemy import Text, cast, or_, select, tuple_
from sqlalchemy.orm import InstrumentedAttribute, Session

from fx_desktop.domain.json_text import encode as encode_json

from .models import (Case, ConsultationItem, CriminalReferral, LegalReview, Meeting, PoliceRequest, RecordParty,
                     Referral, RosterEntry, Supervision)
from .principal import Principal


def _plain(value):
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def stored_json(column):
    """A JSON column read as the text stored (never decoded and encoded again on its way into a pull page)."""
    return cast(column, Text)


def rounds_of(cases):
    """The legal review rounds of the cases `cases` (a select of case ids) selects, oldest first: a select of (case
    id, the JSON text of a round's data), in the order they are listed. For clients of the previous version only,
    which read the rounds inside the case row (migration 0005); drop next version."""
    reviews = LegalReview.__table__
    return (select(reviews.c.case_id, stored_json(reviews.c.data)).where(reviews.c.case_id.in_(cases))
            .order_by(reviews.c.case_id, reviews.c.round_no))


@dataclass(frozen=True)
class RecordKind:
    """`plain`: the attributes a pulled row carries under their own names (dates as ISO text); `stored`: its JSON
    attributes, sent as the text the database holds; `attached`: JSON of other rows a pulled row carries besides
    (key, function of the session and a select of the page's ids giving {id: JSON text}; absent: `[]`)."""

    name: str
    model: type
    owner: InstrumentedAttribute  # the owner organisation's code
    shared: bool  # other organisations may be parties (record_parties)
    id_arg: str  # the mutation argument that names a record of this kind
    plain: tuple[str, ...]
    stored: tuple[str, ...] = ()
    attached: tuple[tuple[str, Callable[[object], object]], ...] = ()
    case_of: str | None = None  # the attribute naming the case a record of this kind belongs to (and may move)

    @property
    def table(self):
        return self.model.__table__

    def columns(self) -> list:
        """What to select for the wire rows (Core columns of its table), in the order wire_rows() reads them."""
        t = self.table
        return [t.c.seq, *(t.c[a] for a in self.plain), *(stored_json(t.c[a]) for a in self.stored)]

    def wire_rows(self, rows: list, attached: list[dict[str, list[str]]]) -> list[tuple[int, str]]:
        """(seq, the change as JSON text) of each row read with columns(); `attached` holds, for each of
        self.attached in turn, the JSON texts of its items by record id."""
        extras = [(key, {record_id: f"[{','.join(texts)}]" for record_id, texts in found.items()})
                  for (key, _select), found in zip(self.attached, attached)]
        n, at_id = 1 + len(self.plain), 1 + self.plain.index("id")
        head = f'{{"type":{encode_json(self.name)},'
        out = []
        for row in rows:
            plain = encode_json({"seq": row[0], **{a: _plain(v) for a, v in zip(self.plain, row[1:n])}})
            stored = "".join(f',"{a}":{"null" if v is None else v}' for a, v in zip(self.stored, row[n:]))
            extra = "".join(f',"{key}":{found.get(row[at_id], "[]")}' for key, found in extras)
            out.append((row[0], f"{head}{plain[1:-1]}{stored}{extra}}}"))
        return out


KINDS: dict[str, RecordKind] = {
    "case": RecordKind(
        "case", Case, Case.town_code, False, "case_id",
        ("id", "number", "town_code", "status", "version", "review_passed", "opened_on", "filed_on", "decision_due",
         "decided_on", "created_by", "updated_at"), ("fields", "officers", "evidence"), (("reviews", rounds_of),)),
    "legal_review": RecordKind(
        "legal_review", LegalReview, LegalReview.owner_org, False, "review_id",
        ("id", "version", "case_id", "owner_org", "updated_at"), ("data",)),
    "referral": RecordKind(
        "referral", Referral, Referral.owner_org, True, "referral_id",
        ("id", "version", "owner_org", "receiving_org", "case_id", "number", "status", "updated_at"), ("data",),
        case_of="case_id"),
    "police_request": RecordKind(
        "police_request", PoliceRequest, PoliceRequest.owner_org, True, "request_id",
        ("id", "version", "owner_org", "station_org", "case_id", "number", "situation", "status", "call_at",
         "updated_at"), ("data",)),
    "criminal_referral": RecordKind(
        "criminal_referral", CriminalReferral, CriminalReferral.owner_org, True, "criminal_referral_id",
        ("id", "version", "owner_org", "receiving_org", "case_id", "number", "status", "updated_at"), ("data",)),
    "meeting": RecordKind(
        "meeting", Meeting, Meeting.owner_org, True, "meeting_id",
        ("id", "version", "owner_org", "kind", "number", "title", "starts_at", "status", "updated_at"), ("data",)),
    "consultation_item": RecordKind(
        "consultation_item", ConsultationItem, ConsultationItem.owner_org, True, "item_id",
        ("id", "version", "owner_org", "case_id", "status", "updated_at"), ("data",)),
    "supervision": RecordKind(
        "supervision", Supervision, Supervision.owner_org, True, "supervision_id",
        ("id", "version", "owner_org", "responsible_org", "source_kind", "source_id", "source_item", "number",
         "matter", "deadline", "status", "updated_at"), ("data",)),
    "roster_entry": RecordKind(
        "roster_entry", RosterEntry, RosterEntry.owner_org, False, "entry_id",
        ("id", "version", "owner_org", "name", "cert_no", "expires_on", "active", "updated_at"), ("data",)),
}

# The kinds a client of the previous version holds: its digest request names none, and covers only these.
PREVIOUS_CLIENT_KINDS = ("case", "referral")


def _parties(kind: str, p: Principal):
    return select(RecordParty.record_id).where(RecordParty.kind == kind, RecordParty.org_code == p.org_code)


def visible(query, kind: RecordKind, p: Principal):
    """`query` over kind.model restricted to the records `p` may see."""
    if p.sees_all:
        return query
    mine = kind.owner == p.org_code
    if not kind.shared:
        return query.where(mine)
    return query.where(or_(mine, kind.model.id.in_(_parties(kind.name, p))))


def visible_about(query, owner, kind_column, id_column, p: Principal):
    """`query` over rows about a record (conflicts, tombstones), restricted like the records themselves: the owner
    organisation (`owner`), or a party to that (kind, id)."""
    if p.sees_all:
        return query
    shared = select(RecordParty.kind, RecordParty.record_id).where(RecordParty.org_code == p.org_code)
    return query.where(or_(owner == p.org_code, tuple_(kind_column, id_column).in_(shared)))


def visible_to(query, kind: RecordKind, org):
    """visible() for statements over kind's table (Core columns) prepared once: `org` is the user's organisation
    as a bind parameter, None for a user who sees every record."""
    if org is None:
        return query
    t, parties = kind.table, RecordParty.__table__
    mine = t.c[kind.owner.key] == org
    if not kind.shared:
        return query.where(mine)
    return query.where(or_(mine, t.c.id.in_(select(parties.c.record_id).where(parties.c.kind == kind.name,
                                                                              parties.c.org_code == org))))


def visible_about_to(query, table, kind_column: str, id_column: str, org):
    """visible_about() for statements over `table` (Core columns) prepared once, like visible_to()."""
    if org is None:
        return query
    parties = RecordParty.__table__
    shared = select(parties.c.kind, parties.c.record_id).where(parties.c.org_code == org)
    return query.where(or_(table.c.town_code == org, tuple_(table.c[kind_column], table.c[id_column]).in_(shared)))


def sees(session: Session, p: Principal, kind: RecordKind, record) -> bool:
    """Whether `p` may see this record (a loaded row of kind.model)."""
    if p.sees_all or getattr(record, kind.owner.key) == p.org_code:
        return True
    return kind.shared and session.get(RecordParty, (kind.name, record.id, p.org_code)) is not None


def is_party(session: Session, kind: str, record_id: str, org_code: str) -> bool:
    return session.get(RecordParty, (kind, record_id, org_code)) is not None


def add_party(session: Session, kind: str, record_id: str, org_code: str) -> None:
    session.add(RecordParty(kind=kind, record_id=record_id, org_code=org_code))
