"""SQLAlchemy models of the local store. Row ids that travel to the server are client-made UUIDs (text);
cases also keep an integer primary key so the full-text index can address them stably."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Meta(Base):
    """Key/value facts about this database: client_id, the local profile, demo flag."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Town(Base):
    __tablename__ = "towns"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # 镇 / 街道 / 管委会
    agency_code: Mapped[str] = mapped_column(String(16))  # 机关代字 used in document numbers


class Department(Base):
    __tablename__ = "departments"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)


class Organisation(Base):
    """Reference data (domain/organisations.py): towns, departments, police, procuratorate, the bureau."""

    __tablename__ = "organisations"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    short_name: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))  # domain.organisations.OrgKind
    parent: Mapped[str | None] = mapped_column(String(32))


class User(Base):
    __tablename__ = "users"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    town_code: Mapped[str | None] = mapped_column(ForeignKey("towns.code"))
    org_code: Mapped[str | None] = mapped_column(String(32))


class Case(Base):
    __tablename__ = "cases"
    row_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String(36), unique=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    town_code: Mapped[str] = mapped_column(ForeignKey("towns.code"))
    source: Mapped[str] = mapped_column(String(32))
    cause: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(32))
    party_kind: Mapped[str] = mapped_column(String(8))  # person / org
    party_name: Mapped[str] = mapped_column(String(200))
    party_id_number: Mapped[str | None] = mapped_column(String(18))
    party_sex: Mapped[str | None] = mapped_column(String(2))
    party_birth_date: Mapped[date | None] = mapped_column(Date)
    party_legal_rep: Mapped[str | None] = mapped_column(String(64))
    party_address: Mapped[str | None] = mapped_column(String(200))
    party_phone: Mapped[str | None] = mapped_column(String(32))
    place: Mapped[str] = mapped_column(String(200))
    occurred_at: Mapped[datetime] = mapped_column(DateTime)
    facts: Mapped[str] = mapped_column(Text, default="")
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    proposed_penalty: Mapped[str | None] = mapped_column(String(64))
    proposed_amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    final_penalty: Mapped[str | None] = mapped_column(String(64))
    final_amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    opened_on: Mapped[date] = mapped_column(Date)
    filed_on: Mapped[date | None] = mapped_column(Date)
    decision_due: Mapped[date | None] = mapped_column(Date)
    decided_on: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    server_version: Mapped[int | None] = mapped_column(Integer)  # as last pulled; None: not on the server yet
    circumstances: Mapped[list] = mapped_column(JSON, default=list)  # keys of ReviewRules.circumstances
    review_passed: Mapped[bool] = mapped_column(Boolean, default=False)  # a legal review round was agreed

    officers: Mapped[list["CaseOfficer"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseOfficer.position"
    )
    evidence: Mapped[list["Evidence"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Evidence.added_at"
    )
    reviews: Mapped[list["LegalReview"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="LegalReview.round_no",
        primaryjoin="Case.id == foreign(LegalReview.case_id)"
    )

    __table_args__ = (
        Index("ix_cases_status", "status", "opened_on"),  # filtered lists in date order (migration 0010)
        Index("ix_cases_town", "town_code", "opened_on"),
        Index("ix_cases_category", "category", "opened_on"),
        Index("ix_cases_opened", "opened_on"),
        Index("ix_cases_due", "decision_due"),
        # and ix_cases_overdue, the partial index the overdue filter walks (migration 0011, store.case_queries)
        Index("ix_cases_clocks", "town_code", "status", "decision_due", "decided_on"),  # the workbench (0012)
    )


class CaseOfficer(Base):
    __tablename__ = "case_officers"
    __table_args__ = (Index("ix_case_officers_name", "name", "case_id"),)  # an officer's own cases (0012)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(64))
    cert_no: Mapped[str] = mapped_column(String(32))
    case: Mapped[Case] = relationship(back_populates="officers")


class Evidence(Base):
    __tablename__ = "evidence"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # photo / video / document
    name: Mapped[str] = mapped_column(String(255))  # sanitised display name, never a path
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    captured_at: Mapped[datetime | None] = mapped_column(DateTime)
    added_at: Mapped[datetime] = mapped_column(DateTime)
    added_by: Mapped[str] = mapped_column(String(64))
    case: Mapped[Case] = relationship(back_populates="evidence")


class LegalReview(Base):
    """One round of legal review (record kind "legal_review"): the submission (materials, report) and the
    reviewer's answer once given. Synced as a record of its own, owned by the case's town; no foreign key to the
    case, since a first pull may bring a round before its case (store migration 0009)."""

    __tablename__ = "legal_reviews"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(36), index=True)
    owner_org: Mapped[str] = mapped_column(String(32), default="")  # the case's town
    version: Mapped[int] = mapped_column(Integer, default=1)
    server_version: Mapped[int | None] = mapped_column(Integer)  # as last pulled; None: not on the server yet
    round_no: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), index=True)  # domain.legal_review.ReviewStatus
    submitted_at: Mapped[datetime] = mapped_column(DateTime)
    submitted_by: Mapped[str] = mapped_column(String(64))
    materials: Mapped[list] = mapped_column(JSON)
    report: Mapped[str] = mapped_column(Text)
    accepted_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    extension_reason: Mapped[str | None] = mapped_column(Text)
    criteria: Mapped[dict | None] = mapped_column(JSON)
    outcome: Mapped[str | None] = mapped_column(String(16))
    opinion: Mapped[str | None] = mapped_column(Text)
    reviewer: Mapped[str | None] = mapped_column(String(64))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)
    opinion_number: Mapped[str | None] = mapped_column(String(64))
    case: Mapped[Case] = relationship(back_populates="reviews",
                                      primaryjoin="Case.id == foreign(LegalReview.case_id)")


class AuditEntry(Base):
    """Append-only timeline; each entry's hash covers the previous one (see store/audit.py)."""

    __tablename__ = "audit_log"
    __table_args__ = {"sqlite_autoincrement": True}
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    case_id: Mapped[str | None] = mapped_column(String(36), index=True)  # the case concerned
    kind: Mapped[str | None] = mapped_column(String(16))  # the kind of record acted on, when not the case itself
    record_id: Mapped[str | None] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(32))
    detail: Mapped[dict] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class OutboxEntry(Base):
    """One intent mutation. `mutation_id` orders the whole outbox; `seq` is the owner's own gap-free counter,
    which is the mutation id the server sees for the owner's client id (each user on a device is its own client,
    so one user never pushes another's changes). State: pending -> done / rejected / conflict; a rejection the user
    dealt with (resent corrected, or its case discarded) -> handled."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_owner_state", "owner", "state", "seq"), Index("ix_outbox_record", "kind", "record_id"),
                      {"sqlite_autoincrement": True})
    mutation_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64))
    args: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    owner: Mapped[str] = mapped_column(String(64), default="")
    seq: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[str | None] = mapped_column(Text)  # the server's reason for a rejection
    kind: Mapped[str] = mapped_column(String(16), default="case")  # the record kind the mutation acts on
    record_id: Mapped[str | None] = mapped_column(String(36))  # ... and that record's id
    case_id: Mapped[str | None] = mapped_column(String(36), index=True)  # the case concerned (None: no local case)
    done_at: Mapped[datetime | None] = mapped_column(DateTime)


class SyncConflict(Base):
    """A conflict the server recorded (SYNC.md): both values readable until a person resolves it."""

    __tablename__ = "sync_conflicts"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default="case")
    case_id: Mapped[str] = mapped_column(String(36), index=True)  # the id of the record of that kind
    field: Mapped[str] = mapped_column(String(64))
    base: Mapped[object] = mapped_column(JSON, nullable=True)
    mine: Mapped[object] = mapped_column(JSON, nullable=True)
    theirs: Mapped[object] = mapped_column(JSON, nullable=True)
    mine_by: Mapped[str] = mapped_column(String(64))
    mine_client: Mapped[str | None] = mapped_column(String(36))  # the client that pushed `mine`
    status: Mapped[str] = mapped_column(String(16))  # open / resolving (a resolution is queued) / resolved
    resolution: Mapped[object] = mapped_column(JSON, nullable=True)
    resolved_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Referral(Base):
    """A case referral to a department (domain/referral.py holds its rules; `data` is its state). The referring
    town owns it and has the case; the receiving department has only this row (its case_snapshot)."""

    __tablename__ = "referrals"
    __table_args__ = (  # the workbench's counts of an organisation's open referrals, by clock (migration 0018)
        Index("ix_referrals_owner_open", "owner_org", "status", "next_due"),
        Index("ix_referrals_receiving_open", "receiving_org", "status", "next_due"))
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str | None] = mapped_column(String(36), index=True)
    owner_org: Mapped[str] = mapped_column(String(32))
    receiving_org: Mapped[str] = mapped_column(String(32))
    number: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer, default=1)
    server_version: Mapped[int | None] = mapped_column(Integer)  # as last pulled; None: not on the server yet
    next_due: Mapped[date | None] = mapped_column(Date, index=True)  # the running clock (receipt or result)
    data: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class PoliceRequest(Base):
    """A police assistance request (公安协助; domain/police_request.py holds its rules, `data` is its state). The
    applying squad owns it and has the case; the police organisation (station_org) has only this row (its
    case_snapshot). call_at (the call's time, or the filing's) and arrival_minutes are what lists, filters and the
    figures read."""

    __tablename__ = "police_requests"
    __table_args__ = (  # covering the list, its filters and figures (store migration 0013)
        Index("ix_police_requests_owner_call", "owner_org", "call_at", "station_org", "status", "situation",
              "arrival_minutes"),
        Index("ix_police_requests_station_call", "station_org", "call_at", "owner_org", "status", "situation",
              "arrival_minutes"))
    # and, for the workbench (migration 0018), ix_police_requests_owner_status (owner_org, status, call_at) and
    # ix_police_requests_to_complete, the partial index of those still to complete
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str | None] = mapped_column(String(36), index=True)
    owner_org: Mapped[str] = mapped_column(String(32))
    station_org: Mapped[str] = mapped_column(String(32))
    number: Mapped[str] = mapped_column(String(64))
    situation: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    call_at: Mapped[datetime | None] = mapped_column(DateTime)
    arrival_minutes: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)
    server_version: Mapped[int | None] = mapped_column(Integer)  # as last pulled; None: not on the server yet
    data: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class Supervision(Base):
    """A supervision sheet (督办单; domain/supervision.py holds its rules, `data` is its state). The supervising office
    (owner_org: a town, or the bureau) owns it; the responsible unit (responsible_org) sees it from its issue. The
    source (an agreed item of a meeting, a referral, a police request, a criminal referral) is named as given, never
    joined: a department has none of those rows."""

    __tablename__ = "supervisions"
    __table_args__ = (  # the lists of each side, in deadline order (store migration 0016)
        Index("ix_supervisions_owner_deadline", "owner_org", "deadline", "status", "responsible_org"),
        Index("ix_supervisions_responsible_deadline", "responsible_org", "deadline", "status", "owner_org"),
        Index("ix_supervisions_source_status", "source_kind", "status", "source_id"))  # open follow-ups (0018)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    owner_org: Mapped[str] = mapped_column(String(32))
    responsible_org: Mapped[str] = mapped_column(String(32))
    source_kind: Mapped[str | None] = mapped_column(String(20))
    source_id: Mapped[str | None] = mapped_column(String(36), index=True)
    source_item: Mapped[int | None] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(64))
    matter: Mapped[str] = mapped_column(Text)
    deadline: Mapped[str] = mapped_column(String(10))  # YYYY-MM-DD
    status: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer, default=1)
    server_version: Mapped[int | None] = mapped_column(Integer)  # as last pulled; None: not on the server yet
    data: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class CriminalReferral(Base):
    """A case referred to the police as a suspected crime (domain/criminal_referral.py holds its rules; `data` is its
    state). The town owns it; `party_orgs` (",pcs_nanqiao,jcy,") lists the police organisations it went to and the
    procuratorate, who see it from the moment it is sent; `due_at` is when the running clock ends (for sorting)."""

    __tablename__ = "criminal_referrals"
    __table_args__ = (Index("ix_criminal_referrals_owner_due", "owner_org", "due_at"),  # the town's list, in order
                      # the workbench's counts by organisation, step and clock (migration 0018)
                      Index("ix_criminal_referrals_owner_status", "owner_org", "status", "due_at"),
                      Index("ix_criminal_referrals_receiving_status", "receiving_org", "status", "due_at"))
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str | None] = mapped_column(String(36), index=True)
    owner_org: Mapped[str] = mapped_column(String(32), index=True)
    receiving_org: Mapped[str] = mapped_column(String(32), index=True)
    party_orgs: Mapped[str] = mapped_column(String(200), default="")
    number: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer, default=1)
    server_version: Mapped[int | None] = mapped_column(Integer)  # as last pulled; None: not on the server yet
    due_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    data: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime)



class RosterEntry(Base):
    """An officer of a town's roster with their enforcement certificate (人员与执法证; domain/roster.py holds its
    rules, `data` is its state). The town owns it; the bureau sees every town's. `expires_on` and `active` are what
    the page, the workbench and the filing check read."""

    __tablename__ = "roster_entries"
    __table_args__ = (Index("ix_roster_entries_owner_expires", "owner_org", "active", "expires_on"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    owner_org: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(32))
    cert_no: Mapped[str] = mapped_column(String(32), index=True)
    expires_on: Mapped[date] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    server_version: Mapped[int | None] = mapped_column(Integer)  # as last pulled; None: not on the server yet
    data: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

class SyncRun(Base):
    """History shown in the sync panel."""

    __tablename__ = "sync_runs"
    __table_args__ = {"sqlite_autoincrement": True}
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    ok: Mapped[bool] = mapped_column(Integer, default=0)
    pushed: Mapped[int] = mapped_column(Integer, default=0)
    pulled: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    conflicts: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(Text, default="")


class Serial(Base):
    """Next serial for a document-number sequence; per kind, scope (town) and year, without gaps."""

    __tablename__ = "serials"
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    scope: Mapped[str] = mapped_column(String(32), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    next_serial: Mapped[int] = mapped_column(Integer, default=1)


class Setting(Base):
    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


__all__ = [
    "Base", "Meta", "Town", "Department", "Organisation", "User", "Referral", "Case", "CaseOfficer", "Evidence", "AuditEntry", "LegalReview",
    "OutboxEntry", "Serial", "Setting", "SyncConflict", "SyncRun",
]


class Meeting(Base):
    """A coordination meeting (会商; domain/meeting.py holds its rules, `data` is its state). The convening
    organisation owns it; `party_orgs` (",ghzy,sw,") lists the organisations invited or named by an agreed item, who
    see it too. starts_at, kind and status are what the list sorts and filters by."""

    __tablename__ = "meetings"
    __table_args__ = (Index("ix_meetings_owner_starts", "owner_org", "starts_at"),)
    # and ix_meetings_open_work, the partial index of the meetings that may give a workbench item (migration 0018)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    owner_org: Mapped[str] = mapped_column(String(32))
    party_orgs: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(16))
    number: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[str] = mapped_column(String(32))  # ISO text ("" before it is set)
    status: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer, default=1)
    server_version: Mapped[int | None] = mapped_column(Integer)  # as last pulled; None: not on the server yet
    data: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class ConsultationItem(Base):
    """A matter on the consultation item list (协调会商事项清单) of a town or the bureau (owner_org); `party_orgs`
    the units concerned. `case_id` names the case a squad put on the list (no foreign key)."""

    __tablename__ = "consultation_items"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    owner_org: Mapped[str] = mapped_column(String(32), index=True)
    party_orgs: Mapped[str] = mapped_column(Text, default="")
    case_id: Mapped[str | None] = mapped_column(String(36), index=True)
    status: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer, default=1)
    server_version: Mapped[int | None] = mapped_column(Integer)
    data: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
