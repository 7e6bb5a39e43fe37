"""gunicorn's gthread worker, telling the app how long each request waited in the worker's queue for a thread.

A gthread worker accepts every connection it can and hands its requests to a pool of WEB_THREADS threads; what
the threads cannot take at once waits in the pool's queue, unbounded and unseen by the app. That queue is where
a crowd beyond capacity waited into timeouts (docs/performance.md). This worker stamps a request when it enters
the queue and, when a thread takes it, leaves the time it waited where the app's admission control
(app/web/admission.py) reads it: ``queue_wait_s()`` in the thread serving the request.

It imports only gunicorn and the standard library: gunicorn loads it in the arbiter, before the app exists.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from gunicorn.workers.gthread import ThreadWorker

WORKER_CLASS = f"{__name__}.QueueTimedWorker"  # what `gunicorn --worker-class` is given (app/serve.py)
_QUEUED_AT = "barometer_queued_at"
_current = threading.local()


def queue_wait_s() -> float | None:
    """Seconds the request this thread serves waited for a thread; None outside a QueueTimedWorker."""
    return getattr(_current, "waited_s", None)


class QueueTimedWorker(ThreadWorker):
    """gthread, with the time each request waited for a thread (a new connection's first request, or the next
    request on a kept-alive one, from when it became readable)."""

    def enqueue_req(self, conn: Any) -> None:
        setattr(conn, _QUEUED_AT, time.monotonic())
        super().enqueue_req(conn)

    def handle(self, conn: Any) -> Any:
        queued_at = getattr(conn, _QUEUED_AT, None)
        _current.waited_s = None if queued_at is None else time.monotonic() - queued_at
        try:
            return super().handle(conn)
        finally:
            _current.waited_s = None
