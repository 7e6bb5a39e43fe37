"""/api/v1/openapi.json: generated from the pages' declarations, and every endpoint keeps to it (Schemathesis,
through the Flask app in-process: no 5xx, every response matches its documented status, type and schema; and
`schemathesis run --checks all` against the served app finds no failure)."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from werkzeug.serving import make_server

from app.exports.api_doc import api_doc
from app.factory import create_app
from core.config import PROJECT_ROOT, Settings

CONFIG = PROJECT_ROOT / "tests" / "schemathesis.toml"
MAX_EXAMPLES = 8  # per operation and phase: the whole run stays around a couple of minutes on two cores


@pytest.fixture(scope="module")
def api_schema(dash_app):
    config = schemathesis.Config.from_path(CONFIG)
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", dash_app.server, config=config)


# schemathesis.pytest.from_fixture does not run under pytest 9, so each operation gets its own Hypothesis test here
def test_every_endpoint_keeps_to_its_description(api_schema) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 20

    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case) -> None:
            # the WSGI transport does not decompress; the HTTP server compresses only what a client accepts
            case.call_and_validate(headers={"Accept-Encoding": "identity"})

        check()


def test_the_description_is_generated_from_the_page_declarations(client) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"] == "3.1.0"
    doc = api_doc()
    for endpoint in doc["endpoints"]:
        if endpoint["page"]:
            operation = spec["paths"][endpoint["path"]]["get"]
            assert [p["name"] for p in operation["parameters"]] == list(endpoint["parameters"])
            assert operation["summary"] == endpoint["description"]
            download = spec["paths"][f"/download/{endpoint['page']}.csv"]["get"]
            assert [p["name"] for p in download["parameters"]] == list(endpoint["parameters"])
    estimates = {p["name"]: p for p in spec["paths"]["/api/v1/estimates"]["get"]["parameters"]}
    assert "innovative" in estimates["indicator"]["schema"]["enum"]
    assert estimates["level"]["schema"]["enum"] == ["all", "municipal", "regional", "state"]
    waves = {p["name"]: p for p in spec["paths"]["/api/v1/types-values"]["get"]["parameters"]}["wave"]
    assert "SE-2018" in waves["schema"]["enum"]


def test_data_and_methods_links_the_description_and_the_whole_dataset(dash_app) -> None:
    from app.web import router

    with dash_app.server.test_request_context("/sv/data"):
        page = router.render("/sv/data", "")
    text = str(page)
    assert "/api/v1/openapi.json" in text and "/download/all.zip" in text and "OpenAPI 3.1-beskrivning" in text


def test_every_declared_parameter_has_a_schema(facts) -> None:
    from app.exports.openapi import parameter_schemas
    from app.site.registry import PARAMETER_DOC

    assert set(PARAMETER_DOC) <= set(parameter_schemas(facts))


@pytest.mark.slow
def test_schemathesis_run_with_every_check_finds_no_failure(loaded_db: str, tmp_path: Path) -> None:
    """The command an API client's author would run: every phase (examples, coverage, fuzzing, stateful), both
    valid and invalid data, `--checks all`, against the app served over HTTP."""
    app = create_app(loaded_db, settings=Settings(cache_dir=tmp_path / "cache", readonly_database_url=None,
                                                  public_url=None, decks_per_address_hour=10_000))
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="schemathesis-server", daemon=True)
    thread.start()
    try:
        run = subprocess.run(
            [sys.executable, "-m", "schemathesis.cli", "--config-file", str(CONFIG), "--no-color", "run",
             f"http://127.0.0.1:{server.server_port}/api/v1/openapi.json", "--checks", "all",
             "--max-examples", str(MAX_EXAMPLES), "--seed", "25", "--workers", "1",
             "--header", "Accept-Encoding: identity"],
            capture_output=True, text=True, timeout=600, cwd=tmp_path)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        app.server.extensions["barometer_db"].close()
    assert run.returncode == 0, run.stdout[-8000:] + run.stderr[-2000:]


EMPTY = ["/api/v1/types-values?wave=", "/api/v1/estimates?chart=&source=", "/api/v1/estimates?countries=",
         "/api/v1/estimates?countries=,", "/download/compare.csv?level=", "/api/v1/published?countries=",
         "/api/v1/profile?nordic_x=1&country="]


def test_empty_values_are_refused_naming_the_parameter(client) -> None:
    for path in EMPTY:
        response = client.get(path)
        assert response.status_code == 400, path
        reasons = {(p["param"], p["reason"]) for p in response.get_json()["problems"]}
        names = [part.split("=")[0] for part in path.split("?")[1].split("&") if part.endswith("=")
                 or part.endswith(",")]
        assert {(name, "problem_empty_value") for name in names} <= reasons, (path, reasons)


def test_dependent_parameters_and_the_deck_api_are_described(client) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    reference = client.get("/api/v1/reference").get_json()
    option = {p["name"]: p for p in spec["paths"]["/api/v1/estimates"]["get"]["parameters"]}["option"]
    by_indicator = option["schema"]["x-options-by-indicator"]
    assert by_indicator == {i["code"]: [o["code"] for o in i["options"]] for i in reference["indicators"]}
    estimates = spec["paths"]["/api/v1/estimates"]["get"]
    assert "dependent-parameters" in estimates["tags"] and "empty" in estimates["responses"]["400"]["description"]
    assert {"/api/decks", "/api/decks/{public_id}", "/api/decks/{public_id}/state",
            "/api/decks/{public_id}/slides/{index}/move"} <= set(spec["paths"])
    add = spec["paths"]["/api/decks/{public_id}/slides"]["post"]
    assert {"name": "X-Deck-Key", "in": "header"}.items() <= next(p for p in add["parameters"]
                                                                  if p["in"] == "header").items()
    assert set(add["responses"]) == {"200", "400", "403", "404", "413", "415", "503"}  # a body: 413, 415 too
    for fmt, media in (("bib", "application/x-bibtex"), ("ris", "application/x-research-info-systems")):
        assert media in spec["paths"][f"/download/compare.{fmt}"]["get"]["responses"]["200"]["content"]
