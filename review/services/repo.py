"""The storage functions the console uses, in one place.

They live in `storage.packets`; a split of that module into `storage.audit` and
`storage.queries` is under way, and either layout works here.
"""

from __future__ import annotations

try:
    from storage.audit import audit, aware, events, utcnow
    from storage.queries import codes_for, counts, get, queue_row, show
except ImportError:  # everything still in storage.packets
    from storage.packets import audit, aware, codes_for, counts, events, get, queue_row, show, utcnow

__all__ = ["audit", "aware", "codes_for", "counts", "events", "get", "queue_row", "show", "utcnow"]
