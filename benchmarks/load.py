"""Load generator of benchmarks/serve.py: simulated visitors replaying what a real browser sent.

Runs in its own process because gevent patches the standard library. Loopback only, and bounded: every run
stops by itself after its deadline, and every request has connection and network timeouts.

    python benchmarks/load.py visits SCENARIO OUT --users N --arrival S --changes K --deadline S [--shard k/n]
    python benchmarks/load.py throughput SCENARIO OUT --request NAME --concurrency C --duration S --max-requests N
    python benchmarks/load.py views SCENARIO OUT --users N --arrival S --deadline S

SCENARIO is the JSON written by serve.py (requests captured from headless Chromium); OUT receives the
samples as JSON: one [name, start_s, latency_ms, status, bytes, error] per request.
"""

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402
from urllib.parse import urlsplit  # noqa: E402

import gevent  # noqa: E402
from gevent.pool import Pool  # noqa: E402
from geventhttpclient import HTTPClient  # noqa: E402

BROWSER_CONNECTIONS = 6  # parallel connections a browser opens to one host
CONNECT_TIMEOUT_S = 10.0
NETWORK_TIMEOUT_S = 30.0
THINK_S = (0.5, 2.0)  # pause before each interaction, uniform
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
PAGE_LOAD = "page load (all requests)"
SHED = 503  # the status of a request refused because the server is beyond capacity

Spec = dict[str, Any]
Sample = list[Any]


# A keep-alive connection the server closed just as it was reused: browsers send the request again on a new
# connection, and so does this generator (once; counted apart, never hidden)
RETRIED_ERRORS = ("HTTPConnectionClosed", "ConnectionResetError", "BrokenPipeError")


@dataclass
class Recorder:
    """Samples of one run, with times relative to its start."""

    started: float = field(default_factory=time.perf_counter)
    samples: list[Sample] = field(default_factory=list)
    retries: int = 0

    def add(self, name: str, began: float, status: int, size: int, error: str = "") -> None:
        now = time.perf_counter()
        self.samples.append([name, round(began - self.started, 4), round((now - began) * 1000, 3), status, size,
                             error])


def loopback_client(base: str, concurrency: int) -> HTTPClient:
    parts = urlsplit(base)
    if parts.hostname not in LOOPBACK:
        raise SystemExit(f"refusing to load {parts.hostname}: this generator targets loopback only")
    return HTTPClient(parts.hostname, parts.port, concurrency=concurrency, connection_timeout=CONNECT_TIMEOUT_S,
                      network_timeout=NETWORK_TIMEOUT_S)


def succeeded(status: int) -> bool:
    return 200 <= status < 300 or status == 304


def send(client: HTTPClient, spec: Spec, recorder: Recorder) -> int:
    """One request as the browser sent it: its status (0 when there was no answer). It succeeded when the status
    is 2xx or 304 and the body was read completely."""
    began = time.perf_counter()
    headers = {**spec.get("headers", {}), "x-bench": spec["name"]}
    body = spec.get("body", "").encode()
    for attempt in (1, 2):
        try:
            response = client.request(spec["method"], spec["path"], body=body, headers=headers)
            size = len(response.read())
            status = response.status_code
            break
        except Exception as exc:  # any failure is an error sample; the run goes on
            if attempt == 1 and type(exc).__name__ in RETRIED_ERRORS:
                recorder.retries += 1
                continue
            recorder.add(spec["name"], began, 0, 0, f"{type(exc).__name__}: {exc}"[:200])
            return 0
    recorder.add(spec["name"], began, status, size, "" if succeeded(status) else f"HTTP {status}")
    return status


def page_load(client: HTTPClient, scenario: Spec, recorder: Recorder) -> bool:
    """Document, then its resources in parallel, then the callbacks the page fires on load. A document answered
    503 is the app's busy page (app/web/admission.py), a plain page that loads nothing else: the visit is shed."""
    began = time.perf_counter()
    document = send(client, scenario["document"], recorder)
    if document == SHED:
        recorder.add(PAGE_LOAD, began, SHED, 0, "shed")
        return False
    ok = succeeded(document)
    pool = Pool(BROWSER_CONNECTIONS)
    results = pool.map(lambda spec: succeeded(send(client, spec, recorder)), scenario["resources"])
    ok = ok and all(results)
    for spec in scenario["load_callbacks"]:
        ok = succeeded(send(client, spec, recorder)) and ok
    recorder.add(PAGE_LOAD, began, 200 if ok else 0, 0, "" if ok else "a request failed")
    return ok


def visit(scenario: Spec, changes: int, seed: int, recorder: Recorder) -> None:
    """One person: opens the link, then changes the view ``changes`` times (each change: its callbacks)."""
    rng = random.Random(seed)
    client = loopback_client(scenario["base"], BROWSER_CONNECTIONS)
    try:
        page_load(client, scenario, recorder)
        interactions = scenario["interactions"]
        for k in range(changes):
            gevent.sleep(rng.uniform(*THINK_S))
            for spec in interactions[k % len(interactions)]:
                send(client, spec, recorder)
    finally:
        client.close()


def run_visits(scenario: Spec, users: int, arrival_s: float, changes: int, deadline_s: float,
               shard: tuple[int, int] = (0, 1), start_at: float | None = None) -> dict:
    """``users`` visitors arriving evenly within ``arrival_s``; whoever is unfinished at the deadline is cut.
    With ``shard`` (k, n), only visitors k, k + n, k + 2n ... (the others are another process's), all timed from
    the wall-clock ``start_at`` that every shard shares."""
    if start_at is not None:
        time.sleep(max(0.0, start_at - time.time()))
    recorder = Recorder()
    k, n = shard
    greenlets = [gevent.spawn_later(arrival_s * i / users, visit, scenario, changes, i, recorder)
                 for i in range(k, users, n)]
    return collect(greenlets, recorder, deadline_s)


def collect(greenlets: list, recorder: Recorder, deadline_s: float) -> dict:
    """Wait for the visitors until the deadline, cut the unfinished ones, and sum up what was recorded."""
    gevent.joinall(greenlets, timeout=deadline_s)
    unfinished = [g for g in greenlets if not g.dead]
    gevent.killall(unfinished, block=True, timeout=5)
    failed = [g for g in greenlets if g.dead and g.exception is not None]
    return {"samples": recorder.samples, "wall_s": time.perf_counter() - recorder.started,
            "unfinished": len(unfinished), "crashed": len(failed), "retries": recorder.retries}


def view_visit(spec: Spec, base: str, seed: int, recorder: Recorder) -> None:
    """One person opening a view of their own: its figure callback (cold), then the same again (warm)."""
    rng = random.Random(seed)
    client = loopback_client(base, 1)
    try:
        send(client, {**spec, "name": "callback: figure (cold)"}, recorder)
        gevent.sleep(rng.uniform(*THINK_S))
        send(client, {**spec, "name": "callback: figure (warm)"}, recorder)
    finally:
        client.close()


def run_views(scenario: Spec, users: int, arrival_s: float, deadline_s: float) -> dict:
    """``users`` visitors arriving evenly within ``arrival_s``, visitor i opening view i of scenario["views"]."""
    recorder = Recorder()
    views = scenario["views"]
    greenlets = [gevent.spawn_later(arrival_s * i / users, view_visit, views[i % len(views)], scenario["base"], i,
                                    recorder) for i in range(users)]
    return collect(greenlets, recorder, deadline_s)


def run_throughput(scenario: Spec, name: str, concurrency: int, duration_s: float, max_requests: int) -> dict:
    """Closed loop: ``concurrency`` clients send request ``name`` back to back until time or count runs out."""
    spec = next(s for s in scenario["throughput"] if s["name"] == name)
    recorder = Recorder()
    stop_at = recorder.started + duration_s
    budget = iter(range(max_requests))

    def client_loop() -> None:
        client = loopback_client(scenario.get("base_app", scenario["base"]), 1)  # the app itself, no proxy
        try:
            while time.perf_counter() < stop_at and next(budget, None) is not None:
                send(client, spec, recorder)
        finally:
            client.close()

    greenlets = [gevent.spawn(client_loop) for _ in range(concurrency)]
    gevent.joinall(greenlets, timeout=duration_s + NETWORK_TIMEOUT_S + 5)
    gevent.killall([g for g in greenlets if not g.dead], block=True, timeout=5)
    return {"samples": recorder.samples, "wall_s": time.perf_counter() - recorder.started,
            "retries": recorder.retries}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=("visits", "views", "throughput"))
    parser.add_argument("scenario", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--arrival", type=float, default=60.0, help="seconds over which visitors arrive")
    parser.add_argument("--changes", type=int, default=3, help="changes of the view per visitor")
    parser.add_argument("--deadline", type=float, default=180.0, help="hard stop of a visits run, s")
    parser.add_argument("--request", default="callback: figure")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--max-requests", type=int, default=5000)
    parser.add_argument("--shard", default="0/1", help="visits: k/n, this process's share of the visitors")
    parser.add_argument("--start-at", type=float, default=None, help="visits: wall-clock time all shards start at")
    args = parser.parse_args()

    scenario = json.loads(args.scenario.read_text())
    if args.mode == "visits":
        k, n = (int(part) for part in args.shard.split("/"))
        result = run_visits(scenario, args.users, args.arrival, args.changes, args.deadline, (k, n), args.start_at)
    elif args.mode == "views":
        result = run_views(scenario, args.users, args.arrival, args.deadline)
    else:
        result = run_throughput(scenario, args.request, args.concurrency, args.duration, args.max_requests)
    args.out.write_text(json.dumps(result))


if __name__ == "__main__":
    main()
