"""Gunicorn settings used only by benchmarks/serve.py (given through GUNICORN_CMD_ARGS="--config ...").

- An access log with the server-side time of every request (%(D)s, microseconds) and the benchmark's
  request label (x-bench header), so callback time can be measured where it is spent.
- A route /_bench/static.json in each worker that returns a fixed file from memory through the same Flask app
  (and so the same after-request handlers, e.g. compression): the yardstick for callback throughput.
Neither exists outside the benchmark; the app's own settings (workers, bind, timeouts) are untouched.
"""

from __future__ import annotations

import os
from pathlib import Path

STATIC_ROUTE = "/_bench/static.json"

# stdout unless the benchmark names a file (a command-line --access-logfile, as app/serve.py gives, wins)
accesslog = os.environ.get("BENCH_ACCESS_LOG") or "-"
access_log_format = "%(m)s %(U)s %(s)s %(D)s %(B)s %({x-bench}i)s"
# a throwaway server must not take over the control socket of another gunicorn on this machine
control_socket_disable = True


def _static_view(path: Path):
    import flask

    body: list[bytes] = []

    def static_json() -> flask.Response:
        if not body:  # read on first use: the benchmark writes the file after the server has started
            body.append(path.read_bytes())
        return flask.Response(body[0], mimetype="application/json")

    return static_json


def post_worker_init(worker) -> None:
    """Add the yardstick route to the Flask app this worker serves (before it handles any request)."""
    path = os.environ.get("BENCH_STATIC_JSON")
    flask_app = getattr(worker.wsgi, "server", worker.wsgi)  # a Dash object carries its Flask app as .server
    if path and hasattr(flask_app, "add_url_rule"):
        flask_app.add_url_rule(STATIC_ROUTE, "bench_static_json", _static_view(Path(path)))
    elif path:
        worker.log.warning("benchmark: %r is not a Flask app; %s not added", worker.wsgi, STATIC_ROUTE)
