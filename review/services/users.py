"""Console users, passwords (Argon2id), server-side sessions and login throttling."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from review.services.repo import audit, aware, utcnow
from storage.models import LoginFailure, User, UserSession

ROLES = ("intake", "reviewer", "approver", "admin")
ROLE_LABELS = {"intake": "受理", "reviewer": "审核", "approver": "审批", "admin": "管理"}
_hasher = PasswordHasher()  # argon2-cffi's default type is Argon2id (RFC 9106 low-memory profile)
# Verifying against this when the user does not exist keeps the timing of both answers alike.
_DUMMY_HASH = _hasher.hash("no such user")


def use_hasher(hasher: PasswordHasher) -> None:
    """Replace the Argon2id parameters (tests use cheaper ones; hashes carry their own)."""
    global _hasher, _DUMMY_HASH
    _hasher = hasher
    _DUMMY_HASH = hasher.hash("no such user")

MIN_PASSWORD = 10


class UserError(ValueError):
    pass


@dataclass(frozen=True)
class Policy:
    idle: timedelta = timedelta(minutes=30)
    absolute: timedelta = timedelta(hours=12)
    touch_every: timedelta = timedelta(seconds=60)  # last_seen_at written at most this often
    window: timedelta = timedelta(minutes=15)  # failed logins counted over this
    max_per_user: int = 5
    max_per_address: int = 20


@dataclass(frozen=True)
class Current:
    """The logged-in user of a request."""

    user_id: int
    name: str
    role: str
    session_id: str
    csrf_token: str


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def add(session: Session, name: str, role: str, password: str, actor: str = "system") -> User:
    name = (name or "").strip()
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}")
    if not name or len(name) > 128:
        raise UserError("user name must be 1-128 characters")
    if len(password or "") < MIN_PASSWORD:
        raise UserError(f"password must be at least {MIN_PASSWORD} characters")
    if session.scalar(select(User).where(User.name == name)):
        raise UserError(f"user {name!r} already exists")
    user = User(name=name, role=role, password_hash=hash_password(password), active=True, created_at=utcnow())
    session.add(user)
    session.flush()
    audit(session, actor, "user_added", None, user=name, role=role)
    return user


def set_active(session: Session, name: str, active: bool, actor: str) -> None:
    """Enable or disable a user; disabling ends every session of theirs at once."""
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise UserError(f"no user {name!r}")
    user.active = active
    if not active:
        end_sessions(session, user.id)
    audit(session, actor, "user_enabled" if active else "user_disabled", None, user=name)


def end_sessions(session: Session, user_id: int) -> None:
    session.execute(
        update(UserSession)
        .where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.name)))


# -- sessions --------------------------------------------------------------------------
def session_key(secret: str, token: str) -> str:
    """The stored id of a session: keyed with the secret, so a leaked table gives no cookies."""
    return hmac.new(secret.encode(), token.encode(), hashlib.sha256).hexdigest()


def throttled(session: Session, username: str, address: str, policy: Policy) -> bool:
    since = utcnow() - policy.window
    per_user = session.scalar(
        select(func.count()).where(LoginFailure.username == username, LoginFailure.at >= since)
    )
    per_address = session.scalar(
        select(func.count()).where(LoginFailure.address == address, LoginFailure.at >= since)
    )
    return (per_user or 0) >= policy.max_per_user or (per_address or 0) >= policy.max_per_address


def login(session: Session, secret: str, username: str, password: str, address: str, policy: Policy):
    """(cookie token, user) on success; "throttled" or None otherwise. Failures are counted
    per user name and per address; while either is over its limit no password is tried."""
    username = (username or "").strip()[:128]
    if throttled(session, username, address, policy):
        audit(session, username or "-", "login_throttled", None, address=address)
        return "throttled"
    user = session.scalar(select(User).where(User.name == username))
    try:
        ok = _hasher.verify(user.password_hash if user else _DUMMY_HASH, password or "") and user is not None
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or not user.active:
        session.add(LoginFailure(username=username, address=address, at=utcnow()))
        audit(session, username or "-", "login_failed", None, address=address)
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.execute(delete(LoginFailure).where(LoginFailure.username == username))
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        UserSession(
            id=session_key(secret, token),
            user_id=user.id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            last_seen_at=now,
            address=address[:64],
        )
    )
    audit(session, user.name, "login", None, address=address)
    return token, user


def resolve(session: Session, secret: str, token: str | None, policy: Policy) -> Current | None:
    """The user behind a cookie token, or None when the session is unknown, revoked,
    idle too long, too old, or its user disabled."""
    if not token or len(token) > 128:
        return None
    key = session_key(secret, token)
    row = session.execute(
        select(UserSession, User).join(User, User.id == UserSession.user_id).where(UserSession.id == key)
    ).first()
    if row is None:
        return None
    record, user = row
    now = utcnow()
    if (
        record.revoked_at is not None
        or not user.active
        or now - aware(record.last_seen_at) > policy.idle
        or now - aware(record.created_at) > policy.absolute
    ):
        return None
    if now - aware(record.last_seen_at) > policy.touch_every:
        session.execute(update(UserSession).where(UserSession.id == key).values(last_seen_at=now))
        session.commit()
    return Current(user.id, user.name, user.role, key, record.csrf_token)


def logout(session: Session, current: Current) -> None:
    session.execute(update(UserSession).where(UserSession.id == current.session_id).values(revoked_at=utcnow()))
    audit(session, current.name, "logout", None)


def last_seen(moment: datetime | None) -> str:
    return aware(moment).isoformat() if moment else ""
