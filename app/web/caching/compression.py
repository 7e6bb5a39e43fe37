"""Response compression (flask-compress), with the compressed static bundles kept in memory.

Without a cache flask-compress compresses every response anew: for the multi-megabyte script bundles that is
tens of milliseconds of CPU on each page view. Static GETs (Dash's component bundles, /assets/) are the same
bytes on every request, so each worker compresses them once per encoding. Callback answers the callback cache
keeps (app/web/caching/callbacks.py) are kept compressed beside them, in a byte budget of their own so an audience's
views never push the bundles out; everything else is compressed per response and never stored.
"""

from __future__ import annotations

from functools import partial

from flask import Flask, Request
from flask_compress import Compress

from app.web.caching.callbacks import current_answer_key
from app.web.caching.lru import BytesLru

STATIC_PREFIXES = ("/_dash-component-suites/", "/assets/")
COMPRESSED_MIMETYPES = ["text/html", "text/css", "text/csv", "application/javascript", "text/javascript",
                        "application/json", "image/svg+xml"]


def static_cache_key(request: Request) -> str:
    """COMPRESS_CACHE_KEY: path and query of a GET of a static bundle, the key of a kept callback answer, or ''
    (never stored) for anything else."""
    if request.method == "GET" and request.path.startswith(STATIC_PREFIXES):
        return request.full_path
    return current_answer_key()


class StaticBundleCache:
    """COMPRESS_CACHE_BACKEND: compressed static bundles of this worker, least recently used dropped first.

    flask-compress offers it every compressed (2xx, non-streamed) response under "<encoding>;<key>"; only keys
    that static_cache_key gave a path are kept, and at most ``max_entries`` of them (a bound against made-up
    query strings). Compressed callback answers ("<encoding>;cb:...") go to a store of ``answer_bytes``."""

    def __init__(self, max_entries: int = 128, answer_bytes: int = 0) -> None:
        self._entries = BytesLru(max_entries=max_entries)
        self._answers = BytesLru(max_bytes=answer_bytes)

    def _store(self, key: str) -> BytesLru | None:
        """Where ``key`` is kept: the bundles, the callback answers, or nowhere (no path or answer key)."""
        kept = key.partition(";")[2]
        if not kept:
            return None
        return self._answers if kept.startswith("cb:") else self._entries

    def get(self, key: str) -> bytes | None:
        store = self._store(key)
        return store.get(key) if store is not None else None

    def set(self, key: str, value: bytes) -> None:
        store = self._store(key)
        if store is not None:
            store.put(key, value)


def install_compression(server: Flask, *, answer_bytes: int) -> Compress:
    server.config["COMPRESS_MIMETYPES"] = COMPRESSED_MIMETYPES
    server.config["COMPRESS_MIN_SIZE"] = 500
    server.config["COMPRESS_CACHE_KEY"] = static_cache_key
    server.config["COMPRESS_CACHE_BACKEND"] = partial(StaticBundleCache, answer_bytes=answer_bytes)
    compress = Compress(server)
    server.extensions["compress"] = compress
    return compress
