"""Errors the services raise; the app turns each into its HTTP status (SERVICE.md)."""

from __future__ import annotations


class ConsoleError(Exception):
    status = 400

    def __init__(self, message: str, **detail) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


class NotFound(ConsoleError):
    status = 404


class Forbidden(ConsoleError):
    status = 403


class Conflict(ConsoleError):
    """A stale version, a forbidden transition, a packet claimed by someone else."""

    status = 409


class BadInput(ConsoleError):
    status = 422
