"""Constant answers served from memory before Flask: the static files of a visit without the request path.

Most of a visit's requests are static: versioned bundles (Dash's fingerprinted component suites, /assets/ with
their ?m= stamp), which the app marks ``immutable`` (app/web/caching/http_cache.py), and the few answers that
cannot change while a worker runs although browsers revalidate them (Dash's unversioned package chunks and its
dependency and layout shells; the HTTP-cache layer marks them with ``mark_constant``). Through Flask each paid
for routing, the guards, ETag and compression hooks and Dash's package lookup, and waited in the admission
queue with the pages; behind no proxy (`barometer up --public` in a hall, gunicorn alone) that was most of the
work of a crowd. This WSGI middleware keeps each such answer as the app gave it (status, headers, compressed
body, per Accept-Encoding) the first time, and answers the same GET again from memory.

Only what the app itself marked is kept, so nothing else can be served stale; a conditional or range request,
and anything else, goes to the app as before.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from app.web.caching.lru import BytesLru

MAX_BYTES = 64 * 2**20  # per worker: every bundle of a page in each encoding browsers ask for fits many times
MAX_ENTRIES = 256  # a bound against made-up query strings on versioned paths

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]
Headers = list[tuple[str, str]]


def answer_key(environ: dict[str, Any]) -> str | None:
    """The key of a request that may be answered from memory (a plain GET), or None."""
    if (environ.get("REQUEST_METHOD") != "GET" or environ.get("HTTP_IF_NONE_MATCH")
            or environ.get("HTTP_IF_MODIFIED_SINCE") or environ.get("HTTP_RANGE")):
        return None
    return "\0".join((environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""),
                      environ.get("HTTP_ACCEPT_ENCODING", "")))


CONSTANT = "barometer.constant_answer"  # in a request's WSGI environ: its answer is the same while the worker runs


def mark_constant(environ: dict[str, Any]) -> None:
    """Say that the answer to this request cannot change while this worker runs (no data, no request state in it)."""
    environ[CONSTANT] = True


def is_constant(status: str, headers: Headers, environ: dict[str, Any]) -> bool:
    """A complete 200 answer that sets no cookie and that the app marked immutable or constant."""
    names = {name.lower(): value for name, value in headers}
    marked = "immutable" in names.get("cache-control", "") or environ.get(CONSTANT) is True
    return status.startswith("200") and marked and "set-cookie" not in names


class ImmutableAnswers:
    """WSGI middleware: repeat GETs of answers the app marked immutable or constant, from this worker's memory."""

    def __init__(self, app: WsgiApp, *, max_bytes: int = MAX_BYTES, max_entries: int = MAX_ENTRIES) -> None:
        self.app = app
        self._bodies = BytesLru(max_entries=max_entries, max_bytes=max_bytes)
        self._heads: dict[str, tuple[str, Headers]] = {}  # status and headers of what _bodies holds
        self._max_entries = max_entries
        self._lock = threading.Lock()

    def key(self, environ: dict[str, Any]) -> str | None:
        """What this request's answer is kept under, or None: never kept."""
        return answer_key(environ)

    def keeps(self, status: str, headers: Headers, environ: dict[str, Any]) -> bool:
        """Whether the app's answer may be given again from memory."""
        return is_constant(status, headers, environ)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        key = self.key(environ)
        if key is None:
            return self.app(environ, start_response)
        body = self._bodies.get(key)
        head = self._heads.get(key) if body is not None else None
        if body is not None and head is not None:
            start_response(head[0], head[1])
            return [body]
        given: list[tuple[str, Headers]] = []

        def recording(status: str, headers: Headers, exc_info: Any = None) -> Callable[[bytes], Any]:
            given.append((status, list(headers)))
            return start_response(status, headers, exc_info)

        answer = self.app(environ, recording)
        if not given or not self.keeps(*given[-1], environ):
            return answer
        try:
            body = b"".join(answer)
        finally:
            if hasattr(answer, "close"):
                answer.close()
        self.keep(key, given[-1], body)
        return [body]

    def keep(self, key: str, head: tuple[str, Headers], body: bytes) -> None:
        with self._lock:
            if len(self._heads) >= 2 * self._max_entries:  # heads whose bodies the LRU dropped
                kept = set(self._bodies)
                self._heads = {k: v for k, v in self._heads.items() if k in kept}
            self._heads[key] = head
        self._bodies.put(key, body)
