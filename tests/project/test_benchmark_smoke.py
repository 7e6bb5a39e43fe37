"""The serving benchmark's yardstick and bookkeeping, without timing anything (the timed runs live in benchmarks/).

- the static-JSON route of benchmarks/gunicorn_bench.py serves exactly the callback body it is compared with;
- the access-log format it sets is the one benchmarks/serve.py parses (server time per request label).
"""

from __future__ import annotations

import importlib.util
import logging
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace

import flask
import pytest

from core.config import PROJECT_ROOT

BENCHMARKS = PROJECT_ROOT / "benchmarks"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCHMARKS / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def hooks() -> ModuleType:
    return load("gunicorn_bench")


@pytest.fixture(scope="module")
def serve() -> ModuleType:
    return load("serve")


def test_static_route_serves_the_callback_body_byte_for_byte(
    hooks: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    callback_body = b'{"multi":true,"response":{"cmp-results":{"children":[' + b'"x",' * 5000 + b'"y"]}}}'
    static_file = tmp_path / "static.json"
    monkeypatch.setenv("BENCH_STATIC_JSON", str(static_file))
    server = flask.Flask("bench")
    hooks.post_worker_init(SimpleNamespace(wsgi=server, log=logging.getLogger("test")))
    static_file.write_bytes(callback_body)  # written after the worker started, as in the benchmark

    response = server.test_client().get(hooks.STATIC_ROUTE)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.data == callback_body


def test_benchmark_and_hooks_agree_on_the_route(hooks: ModuleType, serve: ModuleType) -> None:
    assert serve.STATIC_ROUTE == hooks.STATIC_ROUTE


def test_access_log_lines_give_server_milliseconds_per_label(
    hooks: ModuleType, serve: ModuleType, tmp_path: Path
) -> None:
    atoms = {"m": "POST", "U": "/_dash-update-component", "s": "200", "D": "41250", "B": "9430",
             "{x-bench}i": "callback: figure"}
    line = hooks.access_log_format % atoms
    log = tmp_path / "server.log"
    log.write_text("[2026-01-01 00:00:00 +0000] [1] [INFO] Booting worker with pid: 2\n"
                   f"{line}\nGET /_bench/static.json 200 350 33112 static json\n")

    times, offset = serve.read_access_log(log, 0)
    assert times == {"callback: figure": [41.25], "static json": [0.35]}
    assert offset == log.stat().st_size
    assert serve.read_access_log(log, offset)[0] == {}


def test_percentiles_are_nearest_rank(serve: ModuleType) -> None:
    values = [float(v) for v in range(1, 101)]
    assert [serve.percentile(values, q) for q in (50, 95, 99)] == [50.0, 95.0, 99.0]
    assert serve.percentile([7.0], 99) == 7.0


def test_static_floor_draws_the_given_figure_with_the_apps_bundle(serve: ModuleType, hooks: ModuleType) -> None:
    files = serve.floor_files('{"data": [], "layout": {}}')
    assert f'<script src="{hooks.FLOOR_PLOTLY_ROUTE}"></script>' in files["floor.html"]
    assert hooks.plotly_js().is_file()
    assert f'<script src="{hooks.FLOOR_SCRIPT_ROUTE}"></script>' in files["floor.html"]
    assert files["floor.js"].startswith('Plotly.newPlot(document.getElementById("compare-graph"), {"data": []')
    assert serve.FLOOR_ROUTE == hooks.FLOOR_ROUTE and serve.FLOOR_SCRIPT_ROUTE == hooks.FLOOR_SCRIPT_ROUTE
    assert serve.FLOOR_PLOTLY_ROUTE == hooks.FLOOR_PLOTLY_ROUTE
    assert serve.ChartTimes([300.0, 500.0, 400.0], [200.0, 100.0, 300.0]).ratio == 2.0


def test_cpu_of_a_process_group_is_read_from_proc(serve: ModuleType) -> None:
    import os
    import time

    group = os.getpgid(0)
    before = serve.group_cpu_s(group)
    until = time.process_time() + 0.3
    while time.process_time() < until:  # burn 0.3 s of CPU in this process
        pass
    assert serve.group_cpu_s(group) - before >= 0.25
    assert serve.group_cpu_s(None) == 0.0


def test_a_cold_view_is_the_captured_figure_call_with_other_controls(serve: ModuleType) -> None:
    import json

    inputs = [{"id": "cmp-indicator", "property": "value", "value": "innovative"},
              {"id": "cmp-option", "property": "value", "value": "yes"},
              {"id": "cmp-chart", "property": "value", "value": "bar"}]
    figure = {"name": "callback: figure", "method": "POST", "path": "/_dash-update-component",
              "headers": {"content-type": "application/json"}, "body": json.dumps({"inputs": inputs})}
    spec = serve.view_spec(figure, {"cmp-indicator": "value", "cmp-option": "quality", "cmp-level": "state"})
    assert [i["value"] for i in json.loads(spec["body"])["inputs"]] == ["value", "quality", "bar"]
    assert {k: v for k, v in spec.items() if k != "body"} == {k: v for k, v in figure.items() if k != "body"}
    assert json.loads(figure["body"])["inputs"][0]["value"] == "innovative"  # the captured call is untouched


# ---------------------------------------------------------------------------------------------------------
# benchmarks/follow.py against a minimal stand-in of the follow contract (README: "The follow contract")
# ---------------------------------------------------------------------------------------------------------


def contract_stand_in() -> flask.Flask:
    """The deck endpoints the follower benchmark uses, as the README specifies them, with a slide image."""
    import hashlib
    import json

    server = flask.Flask("follow-contract")
    decks: dict[str, dict] = {}

    def state(deck_id: str) -> dict:
        deck = decks[deck_id]
        slide = deck["slides"][deck["current"]]
        return {"deck": deck_id, "slide": deck["current"], "count": len(deck["slides"]), "path": slide[0],
                "caption": slide[1], "updated": str(deck["version"])}

    @server.post("/api/decks")
    def create():
        body = flask.request.get_json()
        decks["deck000001"] = {"key": "k3y", "current": 0, "version": 0, "slides": [(body["path"], body["caption"])]}
        return flask.jsonify({**state("deck000001"), "key": "k3y"}), 201

    def keyed(deck_id: str) -> dict | None:
        deck = decks.get(deck_id)
        return deck if deck and flask.request.headers.get("X-Deck-Key") == deck["key"] else None

    @server.post("/api/decks/<deck_id>/slides")
    def add(deck_id: str):
        deck = keyed(deck_id)
        if deck is None:
            return "", 403
        body = flask.request.get_json()
        deck["slides"].append((body["path"], body["caption"]))
        return flask.jsonify(state(deck_id))

    @server.post("/api/decks/<deck_id>/current")
    def move(deck_id: str):
        deck = keyed(deck_id)
        if deck is None:
            return "", 403
        deck["current"], deck["version"] = flask.request.get_json()["slide"], deck["version"] + 1
        return flask.jsonify(state(deck_id))

    @server.get("/api/decks/<deck_id>/state")
    def poll(deck_id: str):
        body = json.dumps(state(deck_id))
        etag = f'W/"{hashlib.sha256(body.encode()).hexdigest()[:12]}"'
        if flask.request.headers.get("If-None-Match") == etag:
            return flask.Response(status=304, headers={"ETag": etag})
        return flask.Response(body, mimetype="application/json", headers={"ETag": etag})

    @server.get("/follow/<deck_id>/slides/<int:index>")
    def slide(deck_id: str, index: int):
        assert flask.request.args["lang"] == "en"
        body = f"<article><svg>{decks[deck_id]['slides'][index][0]}</svg></article>"
        return flask.Response(body, mimetype="text/html", headers={"ETag": f'"{index}"'})

    return server


def test_follower_benchmark_measures_every_move_over_the_follow_contract() -> None:
    import asyncio
    import threading

    from werkzeug.serving import make_server

    follow = load("follow")
    server = make_server("127.0.0.1", 0, contract_stand_in(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        result = asyncio.run(follow.audience(f"http://127.0.0.1:{server.server_port}", followers=15, moves=3,
                                             interval_s=1.0, poll_s=0.25))
    finally:
        server.shutdown()
        thread.join(timeout=10)
    assert [(m.number, m.slide, m.status) for m in result.moves] == [(1, 1, 200), (2, 2, 200), (3, 3, 200)]
    assert result.tally.errors == 0 and result.tally.not_modified > 0
    for move in result.moves:  # every phone showed every slide, within a poll interval and a bit
        delays = result.delays(move)
        assert len(delays) == 15 and all(0 < d < 1.0 for d in delays)
        assert result.share_within(move) == 1.0
    # each phone: the state at least every poll, plus one slide per slide it showed (the first, and 3 moves)
    assert result.tally.requests >= 15 * (3 * 1.0 / 0.25 + 4)
    assert result.tally.bytes > 15 * 4 * len("<article><svg>/en/compare</svg></article>")
    rows = dict((name, value) for name, value, _ in follow.report_rows(result))
    assert rows["slide shown within 3 s, worst move"] == "100.0%"


def test_follower_benchmark_options() -> None:
    follow = load("follow")
    quick = follow.parse_args(["--quick"])
    assert (quick.followers, quick.moves, quick.interval, quick.poll) == (100, 3, 5.0, 1.5)
    full = follow.parse_args([])
    assert (full.followers, full.moves, full.interval) == (1000, 10, 10.0)
    assert len(follow.DECK_SLIDES) == 10


def test_other_work_spins_the_given_processes_and_stops_them() -> None:
    """--busy N: N processes burn CPU for the whole measurement and none outlives it."""
    import time

    from benchmarks.busy import busy_note, other_work

    def user_ticks(pid: int) -> int:
        return int((Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[11])

    with other_work(2) as pids:
        assert len(set(pids)) == 2
        time.sleep(0.5)
        assert all(user_ticks(pid) > 0 for pid in pids)  # they really spin
    assert not any((Path("/proc") / str(pid)).exists() for pid in pids)
    assert busy_note(0) == "no other work started by the benchmark" and "--busy 1" in busy_note(1)


# ---------------------------------------------------------------------------------------------------------
# benchmarks/serve.py --bursts: how samples become a scenario's figures
# ---------------------------------------------------------------------------------------------------------


def test_failed_requests_are_counted_by_kind(serve: ModuleType) -> None:
    assert serve.error_kind("timeout: timed out") == "timeout"
    assert serve.error_kind("ConnectionTimeout: connect to 127.0.0.1") == "timeout"
    assert serve.error_kind("ConnectionResetError: [Errno 104] Connection reset by peer") == "connection reset"
    assert serve.error_kind("HTTPConnectionClosed: connection closed") == "connection reset"
    assert serve.error_kind("ConnectionRefusedError: [Errno 111]") == "connection refused"
    assert serve.error_kind("HTTP 502") == "HTTP 502"


def test_a_burst_separates_pages_busy_pages_503s_and_errors(serve: ModuleType) -> None:
    page = serve.PAGE_LOAD
    samples = [
        ["document", 0.0, 20.0, 200, 900, ""], [page, 0.0, 400.0, 200, 0, ""],  # a page
        ["document", 0.1, 30.0, 503, 400, "HTTP 503"], [page, 0.1, 30.0, 503, 0, "shed"],  # the busy page
        ["document", 0.2, 10.0, 200, 900, ""], ["callback: page (on load)", 0.2, 60.0, 503, 90, "HTTP 503"],
        ["static resource", 0.2, 30000.0, 0, 0, "timeout: timed out"], [page, 0.2, 30100.0, 0, 0, "a request failed"],
    ]
    burst = serve.summarise_burst("gunicorn", 3, 60.0, {"samples": samples, "wall_s": 61.0, "unfinished": 0,
                                                        "crashed": 0})
    assert (burst.pages_ms, burst.shed_pages, burst.failed_pages) == ([400.0], 1, 1)
    assert burst.requests == 5 and burst.shed_ms == [30.0, 60.0] and burst.errors == {"timeout": 1}
    assert burst.verdict().startswith("MISSED")  # a timeout
    calm = serve.summarise_burst("gunicorn", 2, 60.0, {"samples": samples[:4], "wall_s": 61.0, "unfinished": 0,
                                                       "crashed": 0})
    assert calm.verdict().startswith("met")  # a page, and a fast 503
    proxied = serve.summarise_burst("nginx", 2, 60.0, {"samples": samples[:4], "wall_s": 61.0, "unfinished": 0,
                                                       "crashed": 0})
    assert proxied.verdict().startswith("MISSED")  # through nginx a 503 is an error


def test_burst_options(serve: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["serve.py", "--bursts"])
    args = serve.parse_args()
    assert args.levels == [1000, 2000, 3000, 5000] and args.fronts == ["gunicorn", "nginx"]
    assert args.changes == 0 and args.arrival == 60.0
    monkeypatch.setattr(sys, "argv", ["serve.py"])
    assert serve.parse_args().changes == 3 and serve.parse_args().levels == [1000, 2000]
