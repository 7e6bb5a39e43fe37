"""`barometer fetch statbank|pxweb` against a stand-in server on 127.0.0.1 that replays the fixtures, and the
ETL load of the snapshots it writes. Offline, a fetch fails within seconds and writes nothing; a failed
fetch or load changes nothing; a second load changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import psycopg
import pytest
import yaml
from typer.testing import CliRunner

from barometer.cli import app
from core.config import PROJECT_ROOT, Settings
from etl.errors import EtlError
from etl.pipeline import run_etl
from tests.test_bad_inputs import table_checksums

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "official"
TABLEINFO = (FIXTURES / "OIN01DK_tableinfo.json").read_bytes()
BULK = (FIXTURES / "OIN01DK_bulk.csv").read_bytes()
JSONSTAT = (FIXTURES / "OIN01DK.jsonstat.json").read_bytes()
PXWEB_META = json.dumps({"title": "OIN01DK as a PxWeb table (test)", "variables": [
    {"code": v["id"], "text": v["text"], "values": [x["id"] for x in v["values"]],
     "valueTexts": [x["text"] for x in v["values"]]} for v in json.loads(TABLEINFO)["variables"]]}).encode()


class StandIn:
    """Routes of the stand-in server: path -> (status, body); what it was asked is kept in ``requests``."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], tuple[int, bytes]] = {}
        self.requests: list[tuple[str, str, bytes]] = []
        self.url = ""


@pytest.fixture
def stand_in() -> Iterator[StandIn]:
    state = StandIn()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, method: str) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            state.requests.append((method, self.path, body))
            status, content = state.routes.get((method, urlsplit(self.path).path), (404, b'{"message": "no"}'))
            self.send_response(status)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            self._answer("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._answer("POST")

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    state.routes[("GET", "/v1/tableinfo/OIN01DK")] = (200, TABLEINFO)
    state.routes[("GET", "/v1/data/OIN01DK/BULK")] = (200, BULK)
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """The bundled catalogue, published figures and official tables (the transcribed OIN01DK snapshot)."""
    root = tmp_path / "data"
    for part in ("catalogue", "published", "official"):
        shutil.copytree(PROJECT_ROOT / "data" / part, root / part)
    (root / "codebooks").mkdir()
    return root


def fetch(data_dir: Path, *args: str, api_url: str = "", timeout: str = "5"):
    env = {"BAROMETER_DATA": str(data_dir), "STATBANK_API_URL": api_url, "FETCH_TIMEOUT": timeout}
    return CliRunner().invoke(app, ["fetch", *args], env=env)


def files_under(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def official_cells(url: str) -> dict[tuple[str, str], float | None]:
    with psycopg.connect(url) as conn:
        rows = conn.execute("""SELECT v.wave_label, v.government_level_code, v.value FROM official_value v
                               JOIN official_table t ON t.id = v.official_table_id WHERE t.table_id = 'OIN01DK'
                               AND v.sector_code = 'all' AND v.size_band_code = 'all'
                               AND v.indicator_code = 'innovative' AND v.option_code = 'yes'""").fetchall()
    return {(wave, level): (None if value is None else round(value, 10)) for wave, level, value in rows}


def test_fetch_statbank_writes_a_snapshot_and_the_etl_loads_it(stand_in: StandIn, data_dir: Path,
                                                                empty_db: str) -> None:
    result = fetch(data_dir, "statbank", "OIN01DK", api_url=f"{stand_in.url}/v1")
    assert result.exit_code == 0, result.output

    # the metadata first, then every cell of every variable, as codes, in BULK
    assert [(m, urlsplit(p).path) for m, p, _ in stand_in.requests] == [
        ("GET", "/v1/tableinfo/OIN01DK"), ("GET", "/v1/data/OIN01DK/BULK")]
    query = dict(parse_qsl(urlsplit(stand_in.requests[1][1]).query))
    assert query == {"valuePresentation": "Code", "lang": "en", "OFFSEKTOR": "*", "BRANCHE": "*", "STRGRP": "*",
                     "INNOTYPE": "*", "Tid": "*"}

    snapshots = sorted((data_dir / "official" / "snapshots" / "OIN01DK").iterdir())
    assert [p.name.startswith(".") for p in snapshots] == [False, False]  # the bundled one and the new one
    new = snapshots[-1]
    assert (new / "data.csv").read_bytes() == BULK and (new / "tableinfo.json").read_bytes() == TABLEINFO
    description = yaml.safe_load((new / "snapshot.yaml").read_text(encoding="utf-8"))
    assert description["obtained_by"] == "statbank"
    assert description["source_url"] == stand_in.url + stand_in.requests[1][1]
    assert description["sha256"] == hashlib.sha256(BULK).hexdigest()
    assert description["licence"] == "CC BY 4.0"

    run_etl(empty_db, settings=Settings(data_dir=data_dir))
    assert official_cells(empty_db) == {
        ("2015-16", "all"): None, ("2015-16", "municipal"): 0.80, ("2015-16", "regional"): 0.80,
        ("2015-16", "state"): 0.84, ("2018-19", "all"): 0.81, ("2018-19", "municipal"): 0.80,
        ("2018-19", "regional"): 0.85, ("2018-19", "state"): 0.84}
    with psycopg.connect(empty_db) as conn:
        obtained, source, sha, path = conn.execute(
            "SELECT obtained_by, source_url, sha256, snapshot_path FROM official_table").fetchone()
    assert (obtained, source, sha) == ("statbank", description["source_url"], description["sha256"])
    assert path == f"official/snapshots/OIN01DK/{new.name}"


def test_the_bundled_transcription_loads_as_what_it_is(data_dir: Path, empty_db: str) -> None:
    run_etl(empty_db, settings=Settings(data_dir=data_dir))
    assert official_cells(empty_db) == {
        ("2015-16", "municipal"): 0.80, ("2015-16", "regional"): 0.80, ("2015-16", "state"): 0.84,
        ("2018-19", "municipal"): 0.80, ("2018-19", "regional"): 0.85, ("2018-19", "state"): 0.84}
    with psycopg.connect(empty_db) as conn:
        row = conn.execute("SELECT obtained_by, licence, citation, unit, measure FROM official_table").fetchone()
    assert row == ("transcription", "CC BY 4.0", "Danmarks Statistik, Nyt fra Danmarks Statistik: Innovation i den "
                   "offentlige sektor 2018-19 (cid=40871)", "% of workplaces", "share")


def test_a_second_load_changes_nothing(stand_in: StandIn, data_dir: Path, empty_db: str) -> None:
    assert fetch(data_dir, "statbank", "OIN01DK", api_url=f"{stand_in.url}/v1").exit_code == 0
    run_etl(empty_db, settings=Settings(data_dir=data_dir))
    before = table_checksums(empty_db)
    run_etl(empty_db, settings=Settings(data_dir=data_dir))
    assert table_checksums(empty_db) == before


def test_a_failed_load_leaves_the_official_tables_as_they_were(data_dir: Path, empty_db: str) -> None:
    run_etl(empty_db, settings=Settings(data_dir=data_dir))
    before = table_checksums(empty_db)
    bundled = next((data_dir / "official" / "snapshots" / "OIN01DK").iterdir())
    newer = bundled.parent / "20991231T000000Z"
    shutil.copytree(bundled, newer)
    (newer / "data.csv").write_bytes(BULK.replace(b";85\n", b";86\n"))  # no longer the pinned file
    with pytest.raises(EtlError, match="differs from the pinned"):
        run_etl(empty_db, settings=Settings(data_dir=data_dir))
    assert table_checksums(empty_db) == before


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_offline_fetch_fails_in_seconds_and_writes_nothing(data_dir: Path) -> None:
    before = files_under(data_dir)
    started = time.monotonic()
    result = fetch(data_dir, "statbank", "OIN01DK", api_url=f"http://127.0.0.1:{_closed_port()}/v1")
    assert time.monotonic() - started < 5
    assert result.exit_code == 1
    message = " ".join(result.output.split())
    assert message.startswith("error: OIN01DK: cannot reach http://127.0.0.1:")
    assert "Check the network connection or the base URL (STATBANK_API_URL); nothing was written." in message
    assert files_under(data_dir) == before


def test_a_server_that_never_answers_times_out(data_dir: Path) -> None:
    with socket.socket() as silent:  # accepts connections (backlog) but never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        before = files_under(data_dir)
        started = time.monotonic()
        result = fetch(data_dir, "statbank", "OIN01DK", api_url=f"http://127.0.0.1:{silent.getsockname()[1]}/v1",
                       timeout="1")
        assert time.monotonic() - started < 4
    assert result.exit_code == 1
    assert "within 1 s" in " ".join(result.output.split())
    assert files_under(data_dir) == before


@pytest.mark.parametrize(("route", "answer", "message"), [
    (("GET", "/v1/tableinfo/OIN01DK"), (400, b'{"errorTypeCode": "TABLE-NOT-FOUND"}'),
     "answered HTTP 400 Bad Request: {\"errorTypeCode\": \"TABLE-NOT-FOUND\"}"),
    (("GET", "/v1/tableinfo/OIN01DK"), (200, b"<html>"), "did not answer with JSON"),
    (("GET", "/v1/data/OIN01DK/BULK"), (200, BULK.replace(b"STAT;", b"FOND;")),
     "variable 'OFFSEKTOR': categories ['FOND'] are not in mapping"),
])
def test_a_failed_or_unloadable_download_writes_nothing(route, answer, message, stand_in: StandIn,
                                                        data_dir: Path) -> None:
    stand_in.routes[route] = answer
    before = files_under(data_dir)
    result = fetch(data_dir, "statbank", "OIN01DK", api_url=f"{stand_in.url}/v1")
    assert result.exit_code == 1
    assert message in " ".join(result.output.split())
    assert files_under(data_dir) == before
    assert not any(p.name.startswith(".") for p in (data_dir / "official" / "snapshots").rglob("*"))


def test_a_table_without_a_mapping_is_not_fetched(stand_in: StandIn, data_dir: Path) -> None:
    result = fetch(data_dir, "statbank", "OIN09DK", api_url=f"{stand_in.url}/v1")
    assert result.exit_code == 1
    assert "official/mappings/OIN09DK.yaml: no mapping for this table" in " ".join(result.output.split())
    assert stand_in.requests == []


def write_pxweb_mapping(data_dir: Path) -> None:
    """PXTEST: the OIN01DK mapping as a PxWeb table delivering JSON-stat."""
    mappings = data_dir / "official" / "mappings"
    text = (mappings / "OIN01DK.yaml").read_text(encoding="utf-8")
    (mappings / "PXTEST.yaml").write_text(text.replace("table: OIN01DK", "table: PXTEST")
                                          .replace("api: statbank", "api: pxweb")
                                          .replace("format: statbank_bulk", "format: jsonstat"), encoding="utf-8")


def test_offline_pxweb_fetch_fails_in_seconds_and_writes_nothing(data_dir: Path) -> None:
    write_pxweb_mapping(data_dir)
    before = files_under(data_dir)
    started = time.monotonic()
    result = fetch(data_dir, "pxweb", f"http://127.0.0.1:{_closed_port()}/api/v1/da/OIN/PXTEST.px")
    assert time.monotonic() - started < 5
    assert result.exit_code == 1
    assert "Check the network connection or the URL; nothing was written." in " ".join(result.output.split())
    assert files_under(data_dir) == before


def test_fetch_pxweb_stores_json_stat_and_the_etl_loads_it(stand_in: StandIn, data_dir: Path, empty_db: str) -> None:
    write_pxweb_mapping(data_dir)
    stand_in.routes[("GET", "/api/v1/da/OIN/PXTEST.px")] = (200, PXWEB_META)
    stand_in.routes[("POST", "/api/v1/da/OIN/PXTEST.px")] = (200, JSONSTAT)
    url = f"{stand_in.url}/api/v1/da/OIN/PXTEST.px"

    result = fetch(data_dir, "pxweb", url)
    assert result.exit_code == 0, result.output

    posted = json.loads(stand_in.requests[1][2])
    assert posted == {"query": [{"code": c, "selection": {"filter": "all", "values": ["*"]}}
                                for c in ("OFFSEKTOR", "BRANCHE", "STRGRP", "INNOTYPE", "Tid")],
                      "response": {"format": "json-stat2"}}
    run_etl(empty_db, settings=Settings(data_dir=data_dir))
    with psycopg.connect(empty_db) as conn:
        rows = dict(conn.execute("""SELECT v.government_level_code, v.value FROM official_value v JOIN official_table t
                                    ON t.id = v.official_table_id WHERE t.table_id = 'PXTEST'
                                    AND v.wave_label = '2018-19'""").fetchall())
        source = conn.execute("SELECT source_url FROM official_table WHERE table_id = 'PXTEST'").fetchone()[0]
    assert rows == pytest.approx({"all": 0.81, "municipal": 0.80, "regional": 0.85, "state": 0.84})
    assert source == url
