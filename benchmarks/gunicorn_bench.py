"""Gunicorn settings used only by benchmarks/serve.py (given through GUNICORN_CMD_ARGS="--config ...").

- An access log with the server-side time of every request (%(D)s, microseconds) and the benchmark's
  request label (x-bench header), so callback time can be measured where it is spent.
- A route /_bench/static.json in each worker that returns a fixed file from memory through the same Flask app
  (and so the same after-request handlers, e.g. compression): the yardstick for callback throughput.
- Routes /_bench/floor.html and /_bench/floor.js: the static floor of the time-to-chart comparison, a page that
  only loads the app's plotly.js and draws one given figure (files the benchmark writes into BENCH_FLOOR_DIR; a
  script file, not inline, so the app's Content-Security-Policy holds for it too), and /_bench/plotly.js: the
  app's vendored plotly.js alone (the app serves it inside its libraries bundle), compressed once like the
  app's bundles.
None of these exists outside the benchmark; the app's own settings (workers, bind, timeouts) are untouched.
"""

from __future__ import annotations

import os
from pathlib import Path

STATIC_ROUTE = "/_bench/static.json"
FLOOR_ROUTE = "/_bench/floor.html"
FLOOR_SCRIPT_ROUTE = "/_bench/floor.js"
FLOOR_PLOTLY_ROUTE = "/_bench/plotly.js"

# stdout unless the benchmark names a file (a command-line --access-logfile, as app/serve.py gives, wins)
accesslog = os.environ.get("BENCH_ACCESS_LOG") or "-"
access_log_format = "%(m)s %(U)s %(s)s %(D)s %(B)s %({x-bench}i)s"
# a throwaway server must not take over the control socket of another gunicorn on this machine
control_socket_disable = True


def _static_view(path: Path, mimetype: str = "application/json"):
    import flask

    body: list[bytes] = []

    def static_file() -> flask.Response:
        if not body:  # read on first use: the benchmark writes the file after the server has started
            body.append(path.read_bytes())
        return flask.Response(body[0], mimetype=mimetype)

    return static_file


def _compressed_once_view(path: Path, mimetype: str):
    """A file gzip-compressed on first use, as the app's bundles are (compression then leaves it alone)."""
    import gzip

    import flask

    body: list[bytes] = []

    def compressed_file() -> flask.Response:
        if not body:
            body.append(gzip.compress(path.read_bytes(), compresslevel=9))
        return flask.Response(body[0], mimetype=mimetype, headers={"Content-Encoding": "gzip"})

    return compressed_file


def plotly_js() -> Path:
    """The app's vendored plotly.js (found through the app package: gunicorn may load this file without a
    __file__)."""
    from app.vendor import plotly_files

    return plotly_files()[0]


def post_worker_init(worker) -> None:
    """Add the yardstick route to the Flask app this worker serves (before it handles any request)."""
    path = os.environ.get("BENCH_STATIC_JSON")
    flask_app = getattr(worker.wsgi, "server", worker.wsgi)  # a Dash object carries its Flask app as .server
    if path and hasattr(flask_app, "add_url_rule"):
        flask_app.add_url_rule(STATIC_ROUTE, "bench_static_json", _static_view(Path(path)))
    elif path:
        worker.log.warning("benchmark: %r is not a Flask app; %s not added", worker.wsgi, STATIC_ROUTE)
    floor = os.environ.get("BENCH_FLOOR_DIR")
    if floor and hasattr(flask_app, "add_url_rule"):
        flask_app.add_url_rule(FLOOR_ROUTE, "bench_floor_page", _static_view(Path(floor) / "floor.html", "text/html"))
        flask_app.add_url_rule(FLOOR_SCRIPT_ROUTE, "bench_floor_script",
                               _static_view(Path(floor) / "floor.js", "text/javascript"))
        flask_app.add_url_rule(FLOOR_PLOTLY_ROUTE, "bench_floor_plotly",
                               _compressed_once_view(plotly_js(), "text/javascript"))
