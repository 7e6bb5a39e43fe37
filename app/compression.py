"""Response compression (flask-compress), with the compressed static bundles kept in memory.

Without a cache flask-compress compresses every response anew: for the multi-megabyte script bundles that is
tens of milliseconds of CPU on each page view. Static GETs (Dash's component bundles, /assets/) are the same
bytes on every request, so each worker compresses them once per encoding; callback responses (POST) and
everything else are compressed per response, as before, and never stored.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from flask import Flask, Request
from flask_compress import Compress

STATIC_PREFIXES = ("/_dash-component-suites/", "/assets/")
COMPRESSED_MIMETYPES = ["text/html", "text/css", "text/csv", "application/javascript", "text/javascript",
                        "application/json", "image/svg+xml"]


def static_cache_key(request: Request) -> str:
    """COMPRESS_CACHE_KEY: path and query of a GET of a static bundle; '' (never stored) for anything else."""
    if request.method == "GET" and request.path.startswith(STATIC_PREFIXES):
        return request.full_path
    return ""


class StaticBundleCache:
    """COMPRESS_CACHE_BACKEND: compressed static bundles of this worker, least recently used dropped first.

    flask-compress offers it every compressed (2xx, non-streamed) response under "<encoding>;<key>"; only keys
    that static_cache_key gave a path are kept, and at most ``max_entries`` of them (a bound against made-up
    query strings)."""

    def __init__(self, max_entries: int = 128) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _stored(key: str) -> bool:
        return bool(key.partition(";")[2])

    def get(self, key: str) -> bytes | None:
        if not self._stored(key):
            return None
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def set(self, key: str, value: bytes) -> None:
        if not self._stored(key):
            return
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)


def install_compression(server: Flask) -> Compress:
    server.config["COMPRESS_MIMETYPES"] = COMPRESSED_MIMETYPES
    server.config["COMPRESS_MIN_SIZE"] = 500
    server.config["COMPRESS_CACHE_KEY"] = static_cache_key
    server.config["COMPRESS_CACHE_BACKEND"] = StaticBundleCache
    compress = Compress(server)
    server.extensions["compress"] = compress
    return compress
