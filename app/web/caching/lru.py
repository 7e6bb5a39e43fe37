"""A thread-safe store of bytes that drops the least recently used first, bounded by entries, bytes or both:
what each worker keeps in memory (compressed bundles, callback answers and their compressed forms)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator


class BytesLru:
    """key -> bytes; beyond ``max_entries`` entries or ``max_bytes`` bytes (None: no such bound) the least
    recently used go first, and a value larger than ``max_bytes`` is never kept."""

    def __init__(self, *, max_entries: int | None = None, max_bytes: int | None = None) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._values: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def put(self, key: str, value: bytes) -> None:
        if self.max_bytes is not None and len(value) > self.max_bytes:
            return
        with self._lock:
            old = self._values.pop(key, None)
            self._size += len(value) - (len(old) if old is not None else 0)
            self._values[key] = value
            while self._over():
                _, dropped = self._values.popitem(last=False)
                self._size -= len(dropped)

    def _over(self) -> bool:
        return ((self.max_entries is not None and len(self._values) > self.max_entries)
                or (self.max_bytes is not None and self._size > self.max_bytes))

    def __len__(self) -> int:
        return len(self._values)

    def __iter__(self) -> Iterator[str]:
        """The keys, least recently used first (a snapshot)."""
        with self._lock:
            return iter(list(self._values))
