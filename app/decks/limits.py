"""How many new decks the site accepts, so an open POST /api/decks cannot fill the database.

Two limits, both per hour: per visitor address, counted in the app's shared cache (Redis when REDIS_URL is set,
one count for every worker of every app instance; else the file cache that the workers of one machine share),
per clock hour under a digest of the address (the address itself is never stored, and each count expires with
its hour); and for the whole site, counted in Postgres from the decks' creation times while a lock is held for
the count and the insert (app/decks/store.py: create_deck), so it holds across workers, instances, restarts and
requests arriving together.
Changing a deck needs its key and is not limited; `barometer deck import` (an operator's command) is not either.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from typing import Any

WINDOW_S = 3600.0
KEY_PREFIX = "barometer:deck-limit"

log = logging.getLogger(__name__)


class AddressLimit:
    """New decks per address in the current clock hour, counted in ``cache`` (the cachelib store behind the app's
    flask-caching Cache: with Redis, ``inc`` is the atomic INCRBY, so concurrent creations on several instances
    are all counted)."""

    def __init__(self, cache: Any, per_address: int) -> None:
        self.cache = cache
        self.per_address = per_address

    def retry_after(self, address: str, now: float | None = None) -> int | None:
        """None, and the creation counted, when ``address`` may create a deck now; else seconds to wait (until
        the hour is over)."""
        now = time.time() if now is None else now
        hour = int(now // WINDOW_S)
        wait_s = max(1, math.ceil((hour + 1) * WINDOW_S - now))
        if self.per_address <= 0:  # a limit of 0 takes no new decks at all
            return wait_s
        key = f"{KEY_PREFIX}:{hour}:{hashlib.sha256(address.encode()).hexdigest()[:32]}"
        try:
            self.cache.add(key, 0, timeout=int(WINDOW_S) + 60)
            count = self.cache.inc(key)
        except Exception:  # a cache outage must not stop presenters; the site-wide limit in Postgres still holds
            log.warning("deck limit: the cache could not count a new deck; accepted", exc_info=True)
            return None
        return wait_s if count is not None and count > self.per_address else None
