"""Errors shared by every layer."""

from __future__ import annotations


class DatabaseUnavailable(RuntimeError):
    """Raised with a message a person can act on when no database can be reached."""
