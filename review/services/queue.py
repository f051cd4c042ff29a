"""The review queue: filtered, oldest first, paged; counts per status; masked rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, load_only

from review.services import repo
from review.services.masking import mask_text
from storage.models import OPEN_STATUSES, STATUSES, FindingRow, Packet

OPEN_STATUSES_SET = frozenset(OPEN_STATUSES)

PAGE_SIZE = 50
FILTER_KEYS = ("status", "verdict", "code", "q", "age")


@dataclass
class Filters:
    status: str | None = None  # one status, a comma list, or "open" (the default)
    verdict: str | None = None
    code: str | None = None
    q: str | None = None
    age: int | None = None  # received more than this many days ago
    mine: str | None = None  # packets held by this user (the route fills in who is asking)
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_params(cls, params) -> Filters:
        def clean(name: str) -> str | None:
            value = (params.get(name) or "").strip()
            return value[:100] or None

        age = clean("age")
        return cls(
            status=clean("status"),
            verdict=clean("verdict"),
            code=clean("code"),
            q=clean("q"),
            age=int(age) if age and age.isdigit() else None,
            mine=params.get("_user") if params.get("mine") == "1" else None,
        )

    def statuses(self) -> str | None:
        if self.status in (None, "open"):
            return ",".join(OPEN_STATUSES)
        if self.status == "all":
            return None
        wanted = [s for s in self.status.split(",") if s in STATUSES]
        return ",".join(wanted) or "-"

    def repo_filters(self) -> dict[str, Any]:
        return {
            "status": self.statuses(),
            "verdict": self.verdict,
            "code": self.code,
            "q": self.q,
            "older_than_days": self.age,
        }

    def params(self) -> dict[str, str]:
        """The filters as query parameters, for links that keep them."""
        values = {"status": self.status, "verdict": self.verdict, "code": self.code, "q": self.q, "age": self.age,
                  "mine": "1" if self.mine else None}
        return {k: str(v) for k, v in values.items() if v not in (None, "")}


_ROW_COLUMNS = (
    Packet.id,
    Packet.name,
    Packet.sha256,
    Packet.status,
    Packet.verdict,
    Packet.received_at,
    Packet.processed_at,
    Packet.attempts,
    Packet.duplicate_of,
    Packet.applicant_name,
    Packet.credit_code,
    Packet.failure_reason,
    Packet.claimed_by,
    Packet.claimed_at,
    Packet.version,
)


def masked_row(row: dict) -> dict:
    """A queue row safe for any list: nothing ID-shaped survives in its free text."""
    return {k: (mask_text(v) if isinstance(v, str) and k not in ("id", "sha256", "received_at") else v) for k, v in row.items()}


def _where(filters: Filters, sqlite: bool = False) -> list:
    """The filters as SQL conditions (the same meaning as `storage.packets.queue_query`,
    phrased so that SQLite and PostgreSQL answer from indexes).

    On SQLite, which keeps no statistics unless told to, status, verdict and packet id are
    compared as expressions (coalesce), so that it walks the covering queue-order index
    instead of choosing the status index and sorting thousands of wide rows; PostgreSQL's
    planner does better with the plain columns.
    """

    def column(col):
        return func.coalesce(col, "") if sqlite else col

    conditions = []
    statuses = filters.statuses()
    if statuses:
        conditions.append(column(Packet.status).in_(statuses.split(",")))
    if filters.verdict:
        conditions.append(column(Packet.verdict) == filters.verdict)
    if filters.code:
        codes = select(FindingRow.packet_id).where(FindingRow.code == filters.code)
        conditions.append(column(Packet.id).in_(codes))
    if filters.q:
        like = f"%{filters.q}%"
        conditions.append(or_(Packet.applicant_name.like(like), Packet.credit_code.like(like), Packet.name.like(like)))
    if filters.age is not None:
        conditions.append(Packet.received_at < repo.utcnow() - timedelta(days=filters.age))
    if filters.mine:
        conditions.append(Packet.claimed_by == filters.mine)
    return conditions


def _sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def rows(session: Session, filters: Filters, limit: int | None = PAGE_SIZE, offset: int = 0) -> list[dict]:
    """The queue rows as `dgintake queue --json` gives them (and a few more keys), oldest first.

    First the page of ids, read in order off the covering queue index (migration 0002);
    then only the narrow columns of those packets: their documents stay in the database.
    """
    query = select(Packet.id).where(*_where(filters, _sqlite(session))).order_by(Packet.received_at, Packet.id)
    query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    ids = list(session.scalars(query))
    if not ids:
        return []
    found = {p.id: p for p in session.scalars(select(Packet).options(load_only(*_ROW_COLUMNS)).where(Packet.id.in_(ids)))}
    codes = repo.codes_for(session, ids)
    return [masked_row(repo.queue_row(found[i], codes.get(i, []))) for i in ids if i in found]


def total(session: Session, filters: Filters) -> int:
    return session.scalar(select(func.count()).select_from(Packet).where(*_where(filters, _sqlite(session)))) or 0


def counts(session: Session) -> dict[str, int]:
    return repo.counts(session)


def neighbours(session: Session, packet: Packet, filters: Filters) -> tuple[str | None, str | None]:
    """The previous and next packet ids in the filtered list, in its order."""
    base = select(Packet.id).where(*_where(filters, _sqlite(session)))
    after = or_(
        Packet.received_at > packet.received_at,
        and_(Packet.received_at == packet.received_at, Packet.id > packet.id),
    )
    before = or_(
        Packet.received_at < packet.received_at,
        and_(Packet.received_at == packet.received_at, Packet.id < packet.id),
    )
    nxt = session.scalar(base.where(after).order_by(Packet.received_at, Packet.id).limit(1))
    prev = session.scalar(base.where(before).order_by(Packet.received_at.desc(), Packet.id.desc()).limit(1))
    return prev, nxt


def status_counts(session: Session) -> list[tuple[str, int]]:
    found = dict(session.execute(select(Packet.status, func.count()).group_by(Packet.status)).all())
    return [(status, found.get(status, 0)) for status in STATUSES]
