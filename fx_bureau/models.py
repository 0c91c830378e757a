"""Server tables. Every synced row carries `seq`, the server-wide change sequence assigned inside the writing
transaction (counters.seq is row-locked until commit, so sequence order is commit order and a pull never skips a
row that commits later with a smaller number)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Meta(Base):
    """Server facts: `epoch` (changes when the database is re-created: clients then reset), `token_secret`,
    `token_generation` (access tokens issued under an older one are expired; absent means 0)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Counter(Base):
    __tablename__ = "counters"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class Town(Base):
    __tablename__ = "towns"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    agency_code: Mapped[str] = mapped_column(String(16))


class Organisation(Base):
    """Organisations from the reference (towns, departments, police, procuratorate, the bureau): every user belongs
    to one. Rows are added and updated by `fx-bureau init --reference`, never deleted (users point at them)."""

    __tablename__ = "organisations"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    short_name: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    parent: Mapped[str | None] = mapped_column(String(32))


class Reference(Base):
    """Reference data pulled by clients, one row per key: "reference", the reference document (towns, departments,
    categories, templates, holiday calendars); "directory", the organisations' people (fx_bureau.directory)."""

    __tablename__ = "reference"
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict] = mapped_column(JSON)
    seq: Mapped[int] = mapped_column(BigInteger, index=True)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str | None] = mapped_column(String(32))  # None: role withdrawn, the account can do nothing
    # the user's organisation (checked against `organisations` by accounts; no foreign key: SQLite cannot add one
    # to an existing table). town_code follows it: the organisation when it is a town, else None.
    org_code: Mapped[str] = mapped_column(String(32))
    town_code: Mapped[str | None] = mapped_column(ForeignKey("towns.code"))
    # raised when what the user may see changes (another organisation): their pull cursors stop being valid
    sync_generation: Mapped[int] = mapped_column(Integer, default=0)
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Client(Base):
    """One local database of one user on one device (SYNC.md: client_id)."""

    __tablename__ = "clients"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    device_name: Mapped[str] = mapped_column(String(128), default="")
    last_mutation_id: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_seen: Mapped[datetime | None] = mapped_column(DateTime)


class RefreshToken(Base):
    __tablename__ = "refresh_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)


class MutationLog(Base):
    """Every processed mutation: its digest (to tell a resend from a reused client id), result and reason."""

    __tablename__ = "mutation_log"
    client_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    mutation_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    digest: Mapped[str] = mapped_column(String(64))
    result: Mapped[str] = mapped_column(String(16))  # applied / conflict / rejected
    reason: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16), default="case")  # the record kind (fx_bureau.kinds) acted on
    case_id: Mapped[str | None] = mapped_column(String(36))  # the record's id, of that kind
    received_at: Mapped[datetime] = mapped_column(DateTime)


class Case(Base):
    __tablename__ = "cases"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    town_code: Mapped[str] = mapped_column(ForeignKey("towns.code"))
    status: Mapped[str] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(Integer, default=1)
    seq: Mapped[int] = mapped_column(BigInteger)
    review_passed: Mapped[bool] = mapped_column(Boolean, default=False)
    opened_on: Mapped[date] = mapped_column(Date)
    filed_on: Mapped[date | None] = mapped_column(Date)
    decision_due: Mapped[date | None] = mapped_column(Date)
    decided_on: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    fields: Mapped[dict] = mapped_column(JSON)  # the editable fields, JSON-encoded as the client sends them
    officers: Mapped[list] = mapped_column(JSON)  # [[name, cert_no], ...]
    evidence: Mapped[list] = mapped_column(JSON)  # [{id, kind, name, sha256, size, captured_at, added_at, added_by}]
    # the case's legal review rounds are LegalReview rows; a pulled case row repeats them for clients of the
    # previous version (fx_bureau.kinds.rounds_of)

    __table_args__ = (Index("ix_cases_town_seq", "town_code", "seq"), Index("ix_cases_seq", "seq"))


class LegalReview(Base):
    """One round of legal review of a case (record kind "legal_review"): the round as fx_bureau.reviews makes it
    with the `domain.legal_review` rules lives in `data`; the columns repeat what queries and visibility need. The
    owner organisation is the case's town. No foreign key to the case, like referrals and conflicts."""

    __tablename__ = "legal_reviews"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(36), index=True)
    owner_org: Mapped[str] = mapped_column(String(32))
    round_no: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))  # domain.legal_review.ReviewStatus
    version: Mapped[int] = mapped_column(Integer, default=1)
    seq: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_legal_reviews_owner_seq", "owner_org", "seq"), Index("ix_legal_reviews_seq", "seq"))


class Conflict(Base):
    """Two edits of one field from the same base: both values kept until a person resolves it."""

    __tablename__ = "conflicts"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default="case")
    case_id: Mapped[str] = mapped_column(String(36), index=True)  # the record's id; no foreign key: outlives it
    town_code: Mapped[str] = mapped_column(String(32))  # the record's owner organisation
    field: Mapped[str] = mapped_column(String(64))
    base: Mapped[object] = mapped_column(JSON, nullable=True)
    mine: Mapped[object] = mapped_column(JSON, nullable=True)  # the value of the edit that arrived second
    theirs: Mapped[object] = mapped_column(JSON, nullable=True)  # the value that was already on the server
    mine_by: Mapped[str] = mapped_column(String(64))
    client_id: Mapped[str] = mapped_column(String(36))
    mutation_id: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open / resolved
    resolution: Mapped[object] = mapped_column(JSON, nullable=True)
    resolved_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    seq: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (Index("ix_conflicts_town_seq", "town_code", "seq"), Index("ix_conflicts_seq", "seq"))


class Tombstone(Base):
    __tablename__ = "tombstones"
    entity: Mapped[str] = mapped_column(String(16), primary_key=True)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    town_code: Mapped[str] = mapped_column(String(32))
    seq: Mapped[int] = mapped_column(BigInteger, index=True)


class Referral(Base):
    """A case referred by its town (owner_org) to a department (receiving_org, a party): the state made and changed
    by fx_desktop.domain.referral lives in `data`; the columns repeat what lists and filters need."""

    __tablename__ = "referrals"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    owner_org: Mapped[str] = mapped_column(String(32))
    receiving_org: Mapped[str] = mapped_column(String(32))
    case_id: Mapped[str] = mapped_column(String(36), index=True)  # no foreign key, like conflicts
    number: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer, default=1)
    seq: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_referrals_owner_seq", "owner_org", "seq"), Index("ix_referrals_seq", "seq"))


class PoliceRequest(Base):
    """A police assistance request (公安协助) of a town squad or the bureau (owner_org) to a police organisation
    (station_org, a party): the state made and changed by fx_desktop.domain.police_request lives in `data`; the
    columns repeat what lists and filters need (call_at: the call's time, or the filing's)."""

    __tablename__ = "police_requests"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    owner_org: Mapped[str] = mapped_column(String(32))
    station_org: Mapped[str] = mapped_column(String(32), index=True)
    case_id: Mapped[str | None] = mapped_column(String(36), index=True)  # no foreign key, like referrals
    number: Mapped[str] = mapped_column(String(64))
    situation: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    call_at: Mapped[datetime | None] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    seq: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_police_requests_owner_seq", "owner_org", "seq"),
                      Index("ix_police_requests_seq", "seq"))


class Meeting(Base):
    """A coordination meeting (会商) convened by a town or the bureau (owner_org): the state made and changed by
    fx_desktop.domain.meeting lives in `data`; the invited organisations and those an agreed item names are parties
    (record_parties). The columns repeat what lists and filters need."""

    __tablename__ = "meetings"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    owner_org: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))
    number: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer, default=1)
    seq: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_meetings_owner_seq", "owner_org", "seq"), Index("ix_meetings_seq", "seq"))


class ConsultationItem(Base):
    """A matter on the consultation item list (协调会商事项清单) of a town or the bureau (owner_org); the units
    concerned are parties. State (fx_desktop.domain.meeting create_item / update_item) in `data`."""

    __tablename__ = "consultation_items"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    owner_org: Mapped[str] = mapped_column(String(32))
    case_id: Mapped[str | None] = mapped_column(String(36), index=True)
    status: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer, default=1)
    seq: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_consultation_items_owner_seq", "owner_org", "seq"),
                      Index("ix_consultation_items_seq", "seq"))


class CriminalReferral(Base):
    """A case referred by its town (owner_org) to the police as a suspected crime (涉嫌犯罪案件移送): the state made and
    changed by fx_desktop.domain.criminal_referral lives in `data`. The police organisation it is addressed to
    (receiving_org, which changes when the police pass it on) and the procuratorate become parties when it is sent."""

    __tablename__ = "criminal_referrals"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    owner_org: Mapped[str] = mapped_column(String(32))
    receiving_org: Mapped[str] = mapped_column(String(32))
    case_id: Mapped[str] = mapped_column(String(36), index=True)  # no foreign key, like referrals
    number: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer, default=1)
    seq: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_criminal_referrals_owner_seq", "owner_org", "seq"),
                      Index("ix_criminal_referrals_seq", "seq"))


class Supervision(Base):
    """A supervision sheet (督办单) of a supervising office (owner_org: a town, or the bureau) to a responsible unit
    (responsible_org, a party once issued): the state made and changed by fx_desktop.domain.supervision lives in
    `data`; the columns repeat what lists and filters need (the source: an agreed item, a referral, a police request,
    a criminal referral, or none for a free matter)."""

    __tablename__ = "supervisions"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    owner_org: Mapped[str] = mapped_column(String(32))
    responsible_org: Mapped[str] = mapped_column(String(32), index=True)
    source_kind: Mapped[str | None] = mapped_column(String(20))
    source_id: Mapped[str | None] = mapped_column(String(36), index=True)  # no foreign key, like referrals
    source_item: Mapped[int | None] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(64))
    matter: Mapped[str] = mapped_column(Text)
    deadline: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer, default=1)
    seq: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_supervisions_owner_seq", "owner_org", "seq"),
                      Index("ix_supervisions_seq", "seq"))


class RecordParty(Base):
    """Organisations other than the owner that see a record of a kind (the department a case is referred to)."""

    __tablename__ = "record_parties"
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    org_code: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)


class Serial(Base):
    __tablename__ = "serials"
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    scope: Mapped[str] = mapped_column(String(32), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    next_serial: Mapped[int] = mapped_column(Integer, default=1)


class Blob(Base):
    __tablename__ = "blobs"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    stored_at: Mapped[datetime] = mapped_column(DateTime)


class BlobRef(Base):
    """Which organisations' records use a blob (a town's cases; the department a case's evidence was referred to): a
    download is allowed only to their users. `town_code` holds an organisation code (a town's code is its
    organisation code, so rows made before organisations existed keep their meaning)."""

    __tablename__ = "blob_refs"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    town_code: Mapped[str] = mapped_column(String(32), primary_key=True)


class BlobHolder(Base):
    """Users who proved they hold a blob's bytes: they uploaded them and the server verified the whole hash. Knowing
    a sha256 is never enough to use a blob; holding it (or a BlobRef for one's town) is. Per user, not per device:
    the user's other devices attach what they uploaded."""

    __tablename__ = "blob_holders"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)


class Upload(Base):
    """A resumable upload in progress: bytes go to a part file; `received` is how many are safely on disk."""

    __tablename__ = "uploads"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    received: Mapped[int] = mapped_column(BigInteger, default=0)
    user_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class RosterEntry(Base):
    """An officer of a town's roster (owner_org) with their enforcement certificate (人员与执法证): the state made and
    changed by fx_desktop.domain.roster lives in `data`; the columns repeat what lists and the filing check read."""

    __tablename__ = "roster_entries"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    owner_org: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(32))
    cert_no: Mapped[str] = mapped_column(String(32))
    expires_on: Mapped[date] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    seq: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_roster_entries_owner_seq", "owner_org", "seq"),
                      Index("ix_roster_entries_seq", "seq"),
                      Index("ix_roster_entries_owner_cert", "owner_org", "cert_no"))
