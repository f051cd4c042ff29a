"""The database: SQLAlchemy 2.0 typed models for packets and everything hanging off them.

A packet's full CONTRACT.md document is kept whole (`machine_result` as the pipeline
produced it, `result` as last judged with the reviewers' corrections applied), and the
columns the queue filters on (status, verdict, applicant, credit code; finding codes in
`findings`) are kept beside it with indexes.

The machine's reading of a field (`fields`) is never overwritten: a reviewer's value is
a row of `corrections`, the newest one per field being the one in force.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Stable constraint names, so Alembic's batch mode can alter them on SQLite and PostgreSQL alike.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Statuses (SERVICE.md). Decided ones are never re-judged by the nightly run.
RECEIVED, PROCESSING, AWAITING_REVIEW, FAILED, DUPLICATE = "received", "processing", "awaiting_review", "failed", "duplicate"
REVIEW_STATUSES = ("in_review", "needs_correction", "proposed_approve", "proposed_reject", "to_meeting")
DECIDED_STATUSES = ("approved", "rejected", "published")
STATUSES = (RECEIVED, PROCESSING, AWAITING_REVIEW, FAILED, DUPLICATE, *REVIEW_STATUSES, *DECIDED_STATUSES)
OPEN_STATUSES = (AWAITING_REVIEW, *REVIEW_STATUSES)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Packet(Base):
    __tablename__ = "packets"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(512))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    # Set on the first packet of a content only: the unique index makes "registered once"
    # a database fact, whichever worker or intake run gets there first.
    content_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(32), index=True, default=RECEIVED)
    verdict: Mapped[str | None] = mapped_column(String(16), index=True)
    applicant_name: Mapped[str | None] = mapped_column(String(256), index=True)
    credit_code: Mapped[str | None] = mapped_column(String(32), index=True)
    duplicate_of: Mapped[str | None] = mapped_column(ForeignKey("packets.id"), index=True)
    source_key: Mapped[str] = mapped_column(String(1024))  # where it was found under incoming/
    source_is_folder: Mapped[bool] = mapped_column(Boolean, default=False)
    incoming_cleared: Mapped[bool] = mapped_column(Boolean, default=False)
    submitted_on: Mapped[date | None] = mapped_column(Date)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    processed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    judged_on: Mapped[date | None] = mapped_column(Date)  # the date the rules were last applied for
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    dispatched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # handed to a worker pool
    lease_owner: Mapped[str | None] = mapped_column(String(128))
    lease_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    failure_reason: Mapped[str | None] = mapped_column(Text)
    machine_result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    claimed_by: Mapped[str | None] = mapped_column(String(128))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batches.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    files: Mapped[list[PacketFile]] = relationship(back_populates="packet", cascade="all, delete-orphan")
    documents: Mapped[list[DocumentRow]] = relationship(
        back_populates="packet", cascade="all, delete-orphan", order_by="DocumentRow.position"
    )
    findings: Mapped[list[FindingRow]] = relationship(back_populates="packet", cascade="all, delete-orphan")


class PacketFile(Base):
    """One original file, byte for byte under `packets/<id>/original/`."""

    __tablename__ = "packet_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    packet_id: Mapped[str] = mapped_column(ForeignKey("packets.id"), index=True)
    path: Mapped[str] = mapped_column(String(1024))  # relative to the packet root
    key: Mapped[str] = mapped_column(String(1024))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)

    packet: Mapped[Packet] = relationship(back_populates="files")


class DocumentRow(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    packet_id: Mapped[str] = mapped_column(ForeignKey("packets.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # index in result.documents
    doc_type: Mapped[str] = mapped_column(String(32), index=True)
    file: Mapped[str] = mapped_column(String(1024))
    pages: Mapped[list[Any]] = mapped_column(JSON)

    packet: Mapped[Packet] = relationship(back_populates="documents")
    fields: Mapped[list[FieldRow]] = relationship(back_populates="document", cascade="all, delete-orphan")


class FieldRow(Base):
    """The machine's reading of one field, as the pipeline produced it."""

    __tablename__ = "fields"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    page: Mapped[int | None] = mapped_column(Integer)
    bbox: Mapped[list[Any] | None] = mapped_column(JSON)
    repaired: Mapped[bool] = mapped_column(Boolean, default=False)  # the contract's `corrected`

    document: Mapped[DocumentRow] = relationship(back_populates="fields")
    corrections: Mapped[list[Correction]] = relationship(
        back_populates="field", cascade="all, delete-orphan", order_by="Correction.id"
    )


class Correction(Base):
    """A reviewer's value for a field, kept beside the machine's reading, never over it."""

    __tablename__ = "corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    field_id: Mapped[int] = mapped_column(ForeignKey("fields.id"), index=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    author: Mapped[str] = mapped_column(String(128))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str | None] = mapped_column(Text)

    field: Mapped[FieldRow] = relationship(back_populates="corrections")


class FindingRow(Base):
    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    packet_id: Mapped[str] = mapped_column(ForeignKey("packets.id"), index=True)
    code: Mapped[str] = mapped_column(String(64), index=True)
    severity: Mapped[str] = mapped_column(String(16))
    article: Mapped[str] = mapped_column(String(32))
    message: Mapped[str] = mapped_column(Text)
    evidence: Mapped[list[Any]] = mapped_column(JSON, default=list)

    packet: Mapped[Packet] = relationship(back_populates="findings")


class Attempt(Base):
    """One try at processing a packet by one worker."""

    __tablename__ = "attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    packet_id: Mapped[str] = mapped_column(ForeignKey("packets.id"), index=True)
    worker: Mapped[str] = mapped_column(String(128))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str] = mapped_column(String(16), default="running")  # running | succeeded | failed | lost
    error: Mapped[str | None] = mapped_column(Text)


class AuditEvent(Base):
    """Append-only (the migration installs triggers refusing UPDATE and DELETE)."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(128))
    packet_id: Mapped[str | None] = mapped_column(String(32), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    role: Mapped[str] = mapped_column(String(16))  # intake | reviewer | approver | admin
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class UserSession(Base):
    """A console session kept on the server; the cookie holds only a random id."""

    __tablename__ = "user_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 of the cookie's token
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    address: Mapped[str | None] = mapped_column(String(64))


class LoginFailure(Base):
    """Failed logins, counted per user name and per address for throttling."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(128), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class Batch(Base):
    """A 变更名单: approved packets published together (第十三条（三）)."""

    __tablename__ = "batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(256))
    created_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    published_by: Mapped[str | None] = mapped_column(String(128))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Lock(Base):
    """A named lease so that one intake scan or nightly run goes at a time, across machines."""

    __tablename__ = "locks"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(128))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Rejection(Base):
    """An incoming object that could be neither taken nor moved (a key the S3 client
    refuses to address, such as one with `..` segments): remembered so that every poll
    does not reject it again."""

    __tablename__ = "rejections"

    key: Mapped[str] = mapped_column(String(1024), primary_key=True)
    etag: Mapped[str | None] = mapped_column(String(128))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class NightlyRun(Base):
    __tablename__ = "nightly_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    on_date: Mapped[date] = mapped_column(Date, index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON)


Index("ix_packets_status_received", Packet.status, Packet.received_at)
# the console's queue order covering its filter columns, and finding codes to packets (0002)
Index(
    "ix_packets_queue_order",
    Packet.received_at,
    Packet.id,
    Packet.status,
    Packet.verdict,
    Packet.applicant_name,
    Packet.credit_code,
    Packet.name,
)
Index("ix_findings_code_packet", FindingRow.code, FindingRow.packet_id)
