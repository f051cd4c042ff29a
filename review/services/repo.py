"""The storage functions the console uses, in one place."""

from __future__ import annotations

from storage.audit import audit, aware, events, utcnow
from storage.queries import codes_for, counts, get, queue_row, show

__all__ = ["audit", "aware", "codes_for", "counts", "events", "get", "queue_row", "show", "utcnow"]
