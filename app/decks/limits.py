"""How many new decks the site accepts, so an open POST /api/decks cannot fill the database.

Two limits, both over the last hour: per visitor address, counted by each worker in memory (no address is
ever stored; with WEB_CONCURRENCY workers an address may create up to that many times the limit), and for the
whole site, counted in Postgres from the decks' creation times while a lock is held for the count and the
insert (app/decks/store.py: create_deck), so it holds across workers, restarts and requests arriving together).
Changing a deck needs its key and is not limited; `barometer deck import` (an operator's command) is not either.
"""

from __future__ import annotations

import threading
import time
from collections import deque

WINDOW_S = 3600.0
_ADDRESS_LIMIT = 10_000  # addresses tracked per worker before the oldest are forgotten


class AddressWindow:
    """Creation times per address in this worker, over the last WINDOW_S seconds."""

    def __init__(self, per_address: int) -> None:
        self.per_address = per_address
        self._times: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, address: str, now: float | None = None) -> int | None:
        """None, and the creation counted, when ``address`` may create a deck now; else seconds to wait."""
        now = time.monotonic() if now is None else now
        with self._lock:
            times = self._times.setdefault(address, deque())
            while times and now - times[0] >= WINDOW_S:
                times.popleft()
            if len(times) >= self.per_address:  # a limit of 0 takes no new decks at all
                oldest = times[0] if times else now
                return max(1, int(WINDOW_S - (now - oldest)) + 1)
            times.append(now)
            if len(self._times) > _ADDRESS_LIMIT:
                self._times.pop(next(iter(self._times)))
            return None
