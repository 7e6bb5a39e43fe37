"""Response compression (flask-compress), with the compressed static bundles kept in memory.

Without a cache flask-compress compresses every response anew: for the multi-megabyte script bundles that is
tens of milliseconds of CPU on each page view. Static GETs (Dash's component bundles, /assets/) are the same
bytes on every request, so each worker compresses them once per encoding. Callback answers the callback cache
keeps (app/callback_cache.py) are kept compressed beside them, in a byte budget of their own so an audience's
views never push the bundles out; everything else is compressed per response and never stored.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import partial

from flask import Flask, Request
from flask_compress import Compress

from app.callback_cache import AnswerStore, current_answer_key

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
    query strings)."""

    def __init__(self, max_entries: int = 128, answer_bytes: int = 0) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()
        self._answers = AnswerStore(answer_bytes)  # compressed callback answers ("<encoding>;cb:...")

    @staticmethod
    def _answer(key: str) -> bool:
        return key.partition(";")[2].startswith("cb:")

    @staticmethod
    def _stored(key: str) -> bool:
        return bool(key.partition(";")[2])

    def get(self, key: str) -> bytes | None:
        if not self._stored(key):
            return None
        if self._answer(key):
            return self._answers.get(key)
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def set(self, key: str, value: bytes) -> None:
        if not self._stored(key):
            return
        if self._answer(key):
            self._answers.put(key, value)
            return
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)


def install_compression(server: Flask, *, answer_bytes: int) -> Compress:
    server.config["COMPRESS_MIMETYPES"] = COMPRESSED_MIMETYPES
    server.config["COMPRESS_MIN_SIZE"] = 500
    server.config["COMPRESS_CACHE_KEY"] = static_cache_key
    server.config["COMPRESS_CACHE_BACKEND"] = partial(StaticBundleCache, answer_bytes=answer_bytes)
    compress = Compress(server)
    server.extensions["compress"] = compress
    return compress
