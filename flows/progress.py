"""A progress listener the command line sets, so flows can report without taking a
callable as a parameter (parameters are recorded by the Prefect API)."""

from __future__ import annotations

from collections.abc import Callable

Listener = Callable[[str, dict], None]
_listener: Listener | None = None


def set_listener(listener: Listener | None) -> None:
    global _listener
    _listener = listener


def report(event: str, **data) -> None:
    if _listener is not None:
        _listener(event, data)
