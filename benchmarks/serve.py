"""Serving benchmark: one link opened by an audience, measured at the server and in a real browser.

Usage: python benchmarks/serve.py [--quick] [--users 1000,2000] [--arrival 60] [--view-users 200] [--no-proxy]
       [--chart-only]
       python benchmarks/serve.py --bursts [--users 1000,2000,3000,5000] [--fronts gunicorn,nginx] [--busy N]

1. A throwaway embedded PostgreSQL in a temporary folder, loaded with the bundled data (etl.pipeline.run_etl).
2. The dashboard as in production: `barometer serve --prod` (gunicorn) on a free loopback port, with a
   benchmark-only gunicorn config (benchmarks/gunicorn_bench.py: access log with server time, and a
   static-JSON yardstick route).
3. Headless Chromium opens the Compare page: transferred bytes, time until the chart's SVG is drawn, and every
   request it sent (page, bundles, layout, callbacks), then switches the chart type to record the figure
   callback (POST /_dash-update-component) exactly as the page sends it.
4. benchmarks/load.py replays these: a closed-loop throughput run of the figure callback against the
   same-size static JSON; then the one-link burst: N visitors arriving evenly within --arrival seconds, each
   loading the page then changing the chart --changes times, through the caching nginx of deploy/nginx (Debian's
   nginx, as tests/app/web/caching/test_proxy_cache.py runs it) unless --no-proxy. Requests and server CPU
   (gunicorn's and nginx's process groups, from /proc) per visitor.
5. Cold views: --view-users visitors each open a view nobody opened before (indicator x option x level x sector,
   shuffled), starting from an empty cache: the figure callback cold, then the same again warm; once with the
   file cache, once against a real redis-server (a second app with REDIS_URL).
6. Time to chart: the cold shared link of the explorer issue against a static floor page (the same plotly
   bundle from the same server, drawing the figure the link drew), opened alternately in fresh contexts;
   the ratio of the medians is the app's overhead over the least a chart page can do (--chart-only: just this).
7. --bursts instead: the crowd a newspaper link brings. For each front (gunicorn alone, then the caching nginx
   in front of it) and each level, N visitors arrive evenly within --arrival seconds and each replays the visit
   Chromium made (the page and its load callbacks, --changes 0 by default); per scenario, page-load p50/p95/p99,
   the 503s the app answered beyond capacity (app/web/admission.py) and their times, and every other error by
   kind (timeouts, resets, statuses). A visitor whose document is answered 503 got the busy page and loads
   nothing else.
Prints one table. Loopback only; every phase is bounded in time and count. Never fails on a missed target.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import resource
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.busy import busy_note, load_average, other_work  # noqa: E402
from core.config import get_settings  # noqa: E402
from core.database import ensure_database, start_embedded_server  # noqa: E402
from core.migrate import upgrade  # noqa: E402
from tests.services import NGINX, REDIS_SERVER, nginx_proxy, redis_server, stop  # noqa: E402

BENCH_DIR = Path(__file__).resolve().parent
LOAD_SCRIPT = BENCH_DIR / "load.py"
GUNICORN_CONFIG = BENCH_DIR / "gunicorn_bench.py"
RESULTS_DIR = BENCH_DIR / "results"
STATIC_ROUTE = "/_bench/static.json"
FLOOR_ROUTE = "/_bench/floor.html"
FLOOR_SCRIPT_ROUTE = "/_bench/floor.js"
FLOOR_PLOTLY_ROUTE = "/_bench/plotly.js"

LINK = "/compare"  # the one link the audience opens (its canonical form, with every parameter, is used)
GRAPH_SELECTOR = "#compare-graph svg.main-svg g.trace"  # the main chart, drawn
# the chart a visitor sees first: the document's first paint (app/web/first_paint.py: the server's drawing), or
# the live page's chart
VISIBLE_CHART_SELECTOR = f"#first-paint .first-paint-plot svg[role=img], {GRAPH_SELECTOR}"
FIGURE_OUTPUT = "cmp-results.children"  # the Compare callback that redraws the chart
CHART_TYPE_INPUT = "#cmp-chart input[value='{}']"
OPEN_MORE_OPTIONS = "document.querySelectorAll('details.more-options').forEach(d => { d.open = true; })"
# the cold shared link of the explorer issue, for the time-to-chart comparison
SHARED_LINK = ("/en/compare?indicator=innovative&option=yes&countries=DK,NO,SE,FI,IS&waves=latest&level=all"
               "&sector=all")
TARGET_CHART_RATIO = 1.3
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
BROWSER_TIMEOUT_MS = 60_000
READY_TIMEOUT_S = 120
COLD_START_CLIENTS = 40
DROPPED_HEADERS = {"host", "content-length", "connection", "cookie"}
LOOPBACK = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # straight to 127.0.0.1, never a proxy

TARGET_CALLBACK_P95_MS = 50
TARGET_PAGE_BYTES = 1_500_000
TARGET_BURST_USERS = 1000
TARGET_PAGE_LOAD_P95_MS = 3000  # client side, 1,000 visitors within 60 s
BURST_LEVELS = "1000,2000,3000,5000"  # visitors within --arrival seconds, --bursts
TARGET_PROXY_PAGE_P95_MS = 1000  # through nginx: every page, p95 under a second, no error
TARGET_PAGE_WITHIN_MS = 3000  # gunicorn alone: a page within 3 s ...
TARGET_SHED_P95_MS = 100  # ... or a fast 503, never a timeout
PAGE_LOAD = "page load (all requests)"  # load.py's sample of a whole page load
SHED = 503
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------------------------------------------------
# Database and server
# ---------------------------------------------------------------------------------------------------------


def loaded_database(folder: Path) -> tuple[str, Any, float]:
    """A fresh embedded server with every bundled wave loaded: (URL, server, ETL seconds)."""
    from etl.pipeline import run_etl

    server = start_embedded_server(folder / "pg", cleanup="delete")
    ensure_database(server.get_uri(), "barometer")
    url = server.get_uri("barometer")
    upgrade(url)
    started = time.perf_counter()
    run_etl(url, settings=get_settings())
    return url, server, time.perf_counter() - started


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class App:
    base: str
    access_log: Path
    static_file: Path
    workers: int
    process: subprocess.Popen
    cache_dir: Path
    redis_url: str | None = None
    proxy: str | None = None  # the caching nginx in front, when there is one
    proxy_pid_file: Path | None = None

    @property
    def front(self) -> str:
        """Where visitors connect: the proxy when there is one, else the app."""
        return self.proxy or self.base

    @property
    def cache_name(self) -> str:
        return "Redis" if self.redis_url else "file cache"


def app_environment(database_url: str, port: int, folder: Path, name: str, redis_url: str | None
                    ) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "READONLY_DATABASE_URL")}
    env.update(DATABASE_URL=database_url, HOST="127.0.0.1", PORT=str(port),
               BAROMETER_CACHE_DIR=str(folder / f"cache-{name}"), BENCH_STATIC_JSON=str(folder / "static.json"),
               BENCH_FLOOR_DIR=str(folder),
               GUNICORN_CMD_ARGS=f"--config {shlex.quote(str(GUNICORN_CONFIG))}")
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


@contextmanager
def running_app(database_url: str, folder: Path, name: str = "app", redis_url: str | None = None) -> Iterator[App]:
    """`barometer serve --prod` on a free loopback port; stopped (its whole process group) on exit."""
    port = free_port()
    env = app_environment(database_url, port, folder, name, redis_url)
    script = Path(sys.executable).with_name("barometer")
    barometer = [str(script)] if script.exists() else [sys.executable, "-m", "barometer.cli"]
    log_path = folder / f"{name}.log"
    log = log_path.open("w")
    process = subprocess.Popen([*barometer, "serve", "--prod", "--host", "127.0.0.1", "--port", str(port)],
                               env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    # gunicorn writes its access log to stdout (app/serve.py: --access-logfile -), in the format of
    # benchmarks/gunicorn_bench.py
    app = App(f"http://127.0.0.1:{port}", log_path, Path(env["BENCH_STATIC_JSON"]), get_settings().workers,
              process, Path(env["BAROMETER_CACHE_DIR"]), redis_url)
    try:
        wait_until_ready(app, log_path)
        yield app
    finally:
        stop(process, grace_s=30)
        log.close()
        RESULTS_DIR.mkdir(exist_ok=True)
        shutil.copyfile(log_path, RESULTS_DIR / f"serve-{name}.log")  # for a look afterwards


@contextmanager
def proxy_in_front(app: App, folder: Path, wanted: bool) -> Iterator[App]:
    """The caching nginx of deploy/nginx in front of ``app`` (Debian's nginx), unless not wanted or missing."""
    if not wanted or not os.access(NGINX, os.X_OK):
        if wanted:
            print(f"(no {NGINX}: visitors connect to gunicorn directly; apt-get install nginx)", flush=True)
        yield app
        return
    with nginx_proxy(folder / "nginx", app.base.removeprefix("http://")) as url:
        app.proxy, app.proxy_pid_file = url, folder / "nginx" / "nginx.pid"
        try:
            yield app
        finally:
            app.proxy = app.proxy_pid_file = None
            RESULTS_DIR.mkdir(exist_ok=True)
            shutil.copyfile(folder / "nginx" / "error.log", RESULTS_DIR / "serve-nginx-error.log")


def group_cpu_s(pgid: int | None) -> float:
    """CPU seconds (user + system) used so far by the live processes of process group ``pgid``."""
    if pgid is None:
        return 0.0
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid:  # pgrp; utime and stime follow (proc(5): fields 5, 14 and 15)
            ticks += int(fields[11]) + int(fields[12])
    return ticks / CLOCK_TICKS


def children_cpu_s() -> float:
    """CPU seconds used so far by this process's finished children (the load generator runs as one)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cpu_now(app: App) -> tuple[float, float]:
    """CPU seconds of the app's process group (gunicorn) and of the proxy's (nginx) so far."""
    proxy_pid = None
    if app.proxy_pid_file and app.proxy_pid_file.exists():
        proxy_pid = int(app.proxy_pid_file.read_text().strip())
    return group_cpu_s(app.process.pid), group_cpu_s(proxy_pid)


def empty_cache(app: App) -> None:
    """Drop every cached query and figure of the app (file cache: its files; Redis: the database)."""
    if app.redis_url:
        import redis

        redis.Redis.from_url(app.redis_url).flushdb()
        return
    for path in app.cache_dir.iterdir():
        if path.is_file():
            path.unlink()


def wait_until_ready(app: App, log: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if app.process.poll() is not None:
            raise SystemExit(f"the app exited with {app.process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with LOOPBACK.open(app.base + "/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise SystemExit(f"the app did not answer within {READY_TIMEOUT_S} s:\n{log.read_text()[-3000:]}")


def http_status(url: str) -> int:
    """Status of a GET (0 when there was no answer)."""
    try:
        with LOOPBACK.open(url, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


def cold_start_errors(base: str, rounds: int = 4) -> tuple[int, int]:
    """The page's script bundles requested all at once right after start (fresh workers): (failed, sent)."""
    with LOOPBACK.open(base + LINK, timeout=30) as response:
        html = response.read().decode()
    paths = re.findall(r'src="(/_dash-component-suites/[^"]+)"', html)
    with ThreadPoolExecutor(max_workers=COLD_START_CLIENTS) as pool:
        statuses = list(pool.map(http_status, [base + path for path in paths * rounds]))
    return sum(1 for status in statuses if not 200 <= status < 400), len(statuses)


# ---------------------------------------------------------------------------------------------------------
# Browser: what a visitor downloads, how soon the chart is there, and the exact requests
# ---------------------------------------------------------------------------------------------------------


@dataclass
class PageLoad:
    url: str
    tti_ms: float
    transferred: int
    by_type: dict[str, int]
    largest: list[tuple[str, int]]  # the three biggest downloads: path, bytes on the wire
    requests: list[dict[str, Any]]


@dataclass
class Capture:
    cold: PageLoad
    warm: list[PageLoad]
    interactions: list[list[dict[str, Any]]]  # the requests each change of the view sent
    figure_response: bytes


def request_name(request: Any, during_load: bool) -> str:
    path = urlsplit(request.url).path
    if request.resource_type == "document":
        return "document"
    if path.endswith("/_dash-update-component"):
        if FIGURE_OUTPUT in (request.post_data or ""):
            return "callback: figure"
        return "callback: page (on load)" if during_load else "callback: other (on change)"
    if path.endswith("/_dash-layout") or path.endswith("/_dash-dependencies"):
        return "dash layout/dependencies"
    return "static resource"


def request_spec(request: Any, during_load: bool) -> dict[str, Any]:
    """A captured request as load.py replays it: method, path with query, headers, body."""
    parts = urlsplit(request.url)
    headers = {k: v for k, v in request.all_headers().items()
               if k.lower() not in DROPPED_HEADERS and not k.startswith(":")}
    return {"name": request_name(request, during_load), "method": request.method,
            "path": parts.path + (f"?{parts.query}" if parts.query else ""), "headers": headers,
            "body": request.post_data or ""}


@dataclass
class OpenPage:
    """A page in its own browser context (empty cache), with every same-origin request it has sent."""

    base: str
    context: Any
    page: Any
    sent: list[Any] = field(default_factory=list)

    def track(self, request: Any) -> None:
        if request.url.startswith(self.base + "/"):
            self.sent.append(request)


def load_page(browser: Any, url: str, base: str) -> tuple[PageLoad, OpenPage]:
    """Open ``url`` in a fresh context: bytes on the wire, time until the chart is drawn, requests sent."""
    context = browser.new_context()
    opened = OpenPage(base, context, context.new_page())
    cdp = context.new_cdp_session(opened.page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    types: dict[str, str] = {}
    paths: dict[str, str] = {}
    sizes: dict[str, int] = {}
    cdp.on("Network.responseReceived", lambda e: types.__setitem__(e["requestId"], e["type"]))
    cdp.on("Network.responseReceived", lambda e: paths.__setitem__(e["requestId"],
                                                                   urlsplit(e["response"]["url"]).path))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])))
    opened.page.on("request", lambda request: opened.track(request))
    opened.page.goto(url, wait_until="commit", timeout=BROWSER_TIMEOUT_MS)
    # a visitor who goes on to use the page: the first gesture fetches the live page (assets/first-paint.js)
    opened.page.wait_for_selector("#first-paint, #react-entry-point #main", state="attached",
                                  timeout=BROWSER_TIMEOUT_MS)
    opened.page.mouse.move(10, 10)
    opened.page.wait_for_selector(GRAPH_SELECTOR, state="attached", timeout=BROWSER_TIMEOUT_MS)
    tti_ms = opened.page.evaluate("performance.now()")
    opened.page.wait_for_load_state("networkidle", timeout=BROWSER_TIMEOUT_MS)
    by_type: dict[str, int] = defaultdict(int)
    for request_id, size in sizes.items():
        by_type[types.get(request_id, "Other")] += size
    specs = [request_spec(r, during_load=True) for r in opened.sent]
    largest = sorted(((paths.get(k, "?"), v) for k, v in sizes.items()), key=lambda kv: -kv[1])[:3]
    return PageLoad(opened.page.url, tti_ms, sum(sizes.values()), dict(by_type), largest, specs), opened


def is_figure_callback(response: Any) -> bool:
    return (response.url.split("?")[0].endswith("/_dash-update-component")
            and FIGURE_OUTPUT in (response.request.post_data or ""))


def record_interactions(opened: OpenPage) -> tuple[list[list[dict[str, Any]]], bytes]:
    """Switch the chart to dots and back to bars; the requests each switch sent, and the last figure body."""
    interactions, body = [], b""
    for chart in ("dot", "bar"):
        already = len(opened.sent)
        opened.page.evaluate(OPEN_MORE_OPTIONS)  # the chart type is a secondary control, folded away
        with opened.page.expect_response(is_figure_callback, timeout=BROWSER_TIMEOUT_MS) as info:
            opened.page.check(CHART_TYPE_INPUT.format(chart))
        body = info.value.body()
        opened.page.wait_for_selector(GRAPH_SELECTOR, state="attached", timeout=BROWSER_TIMEOUT_MS)
        opened.page.wait_for_load_state("networkidle", timeout=BROWSER_TIMEOUT_MS)
        opened.page.wait_for_timeout(500)  # callbacks chained on the new figure (address bar, links)
        interactions.append([request_spec(r, during_load=False) for r in opened.sent[already:]])
    return interactions, body


def capture_in_browser(base: str, warm_loads: int) -> Capture:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            cold, opened = load_page(browser, base + LINK, base)
            opened.context.close()
            link = cold.url  # canonical: the address bar after the first draw carries every parameter
            warm = []
            for _ in range(warm_loads):
                load, opened = load_page(browser, link, base)
                warm.append(load)
                if len(warm) < warm_loads:
                    opened.context.close()
            interactions, body = record_interactions(opened)
            opened.context.close()
        finally:
            browser.close()
    return Capture(cold, warm, interactions, body)


# ---------------------------------------------------------------------------------------------------------
# Time to chart: the cold shared link against a static page drawing the same figure with the same bundle
# ---------------------------------------------------------------------------------------------------------


@dataclass
class ChartTimes:
    link_ms: list[float]
    floor_ms: list[float]

    @property
    def ratio(self) -> float:
        return statistics.median(self.link_ms) / statistics.median(self.floor_ms)


FLOOR_FIGURE = """() => {
  const gd = document.querySelector('#compare-graph .js-plotly-plot') || document.querySelector('.js-plotly-plot');
  return {figure: JSON.stringify({data: gd.data, layout: gd.layout})};
}"""


def floor_files(figure_json: str, bundle_url: str = FLOOR_PLOTLY_ROUTE) -> dict[str, str]:
    """The static floor: a page loading only the app's plotly.js and a script drawing the figure."""
    page = (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>static floor</title>'
            f'<script src="{bundle_url}"></script></head><body><div id="compare-graph"></div>'
            f'<script src="{FLOOR_SCRIPT_ROUTE}"></script></body></html>')
    script = (f'Plotly.newPlot(document.getElementById("compare-graph"), {figure_json}, '
              '{responsive: true, displaylogo: false});')
    return {"floor.html": page, "floor.js": script}


# in the page from its start: the time of the first frame after the chart's first trace entered the page (a
# requestAnimationFrame callback runs just before the frame that paints it); read afterwards, so a busy main
# thread after the chart is drawn does not count, as an evaluate() round trip would
CHART_FRAME_SCRIPT = """(() => {
  const selector = SELECTOR;
  const seen = () => {
    if (window.__chartFrame !== undefined || !document.querySelector(selector)) return;
    window.__chartFrame = null;
    requestAnimationFrame(() => { window.__chartFrame = performance.now(); });
  };
  new MutationObserver(seen).observe(document, {subtree: true, childList: true});
})();""".replace("SELECTOR", json.dumps(VISIBLE_CHART_SELECTOR))


def time_to_chart(browser: Any, url: str) -> float:
    """ms from navigation until the frame that first paints the chart's first trace, in a fresh context with
    no cache."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        page = context.new_page()
        page.add_init_script(CHART_FRAME_SCRIPT)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        page.goto(url, wait_until="commit", timeout=BROWSER_TIMEOUT_MS)
        deadline = time.monotonic() + BROWSER_TIMEOUT_MS / 1000
        while time.monotonic() < deadline:  # polled from here: wait_for_function's eval is against the CSP
            drawn = page.evaluate("window.__chartFrame")
            if isinstance(drawn, (int, float)):
                return drawn
            page.wait_for_timeout(50)
        raise TimeoutError(f"no chart drawn within {BROWSER_TIMEOUT_MS} ms: {url}")
    finally:
        context.close()


def chart_against_floor(app: App, folder: Path, rounds: int) -> ChartTimes:
    """Open the shared link and the static floor alternately, each cold, ``rounds`` times; the floor draws the
    very figure the link drew, with the app's plotly.js from the same server."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context()
            page = context.new_page()
            page.goto(app.base + SHARED_LINK, timeout=BROWSER_TIMEOUT_MS)
            page.wait_for_selector(GRAPH_SELECTOR, state="attached", timeout=BROWSER_TIMEOUT_MS)
            drawn = page.evaluate(FLOOR_FIGURE)
            context.close()
            for name, text in floor_files(drawn["figure"], FLOOR_PLOTLY_ROUTE).items():
                (folder / name).write_text(text)
            times = ChartTimes([], [])
            for _ in range(rounds):
                times.link_ms.append(time_to_chart(browser, app.base + SHARED_LINK))
                times.floor_ms.append(time_to_chart(browser, app.base + FLOOR_ROUTE))
        finally:
            browser.close()
    return times


def chart_rows(times: ChartTimes) -> list[tuple[str, str, str]]:
    return [
        (f"time to chart, cold shared link (median of {len(times.link_ms)}), ms",
         f"{statistics.median(times.link_ms):.0f}", ""),
        ("time to chart, static floor: same bundle and figure, ms", f"{statistics.median(times.floor_ms):.0f}", ""),
        ("time to chart, link / static floor", f"{times.ratio:.2f}",
         verdict(times.ratio <= TARGET_CHART_RATIO, f"<= {TARGET_CHART_RATIO}")),
    ]


# ---------------------------------------------------------------------------------------------------------
# Load
# ---------------------------------------------------------------------------------------------------------


def scenario(app: App, capture: Capture) -> dict[str, Any]:
    """What every simulated visitor sends: the warm page load as Chromium did it, then its interactions."""
    requests = capture.warm[-1].requests
    document = next(r for r in requests if r["name"] == "document")
    resources = [r for r in requests if r["method"] == "GET" and r is not document]
    on_load = [r for r in requests if r["method"] == "POST"]
    figure = next(r for r in capture.interactions[-1] if r["name"] == "callback: figure")
    static = {"name": "static json", "method": "GET", "path": STATIC_ROUTE,
              "headers": {k: v for k, v in figure["headers"].items() if k.lower() in ("accept-encoding",
                                                                                        "user-agent")}}
    return {"base": app.front, "base_app": app.base, "document": document, "resources": resources,
            "load_callbacks": on_load, "interactions": capture.interactions, "throughput": [figure, static]}


def view_combinations(database_url: str) -> list[dict[str, str]]:
    """Every indicator x option x level x sector of the Compare page, shuffled (the same order every run)."""
    from app.data.queries import Database, reference

    db = Database(database_url)
    try:
        ref = reference(db)
    finally:
        db.close()
    levels, sectors = dict.fromkeys(("all", *ref.levels)), dict.fromkeys(("all", *ref.sectors))
    combos = [{"cmp-indicator": code, "cmp-option": option, "cmp-level": level, "cmp-sector": sector}
              for code, indicator in ref.indicators.items() for option in indicator.options
              for level in levels for sector in sectors]
    random.Random(2026).shuffle(combos)
    return combos


def view_spec(figure: dict[str, Any], combo: dict[str, str]) -> dict[str, Any]:
    """The figure callback as the browser sends it, for another view."""
    body = json.loads(figure["body"])
    for item in body["inputs"]:
        if item["id"] in combo:
            item["value"] = combo[item["id"]]
    return {**figure, "body": json.dumps(body)}


def views_scenario(app: App, capture: Capture, combos: list[dict[str, str]]) -> Path:
    figure = next(r for r in capture.interactions[-1] if r["name"] == "callback: figure")
    path = RESULTS_DIR / f"serve-views-{app.cache_name.replace(' ', '-')}.json"
    path.write_text(json.dumps({"base": app.base, "views": [view_spec(figure, c) for c in combos]}))
    return path


GENERATOR_NICE = -10  # the load generator's priority (as root): see ahead_of_the_server


def ahead_of_the_server() -> None:
    """Run the load generator ahead of the server and the spinning processes (as root; else at normal
    priority). It stands for thousands of devices elsewhere, whose CPU is not the server's: starved of the
    shared cores, it measured its own backlog as the server's latency (--busy 1: 503s 'taking' 5 s)."""
    try:
        os.nice(GENERATOR_NICE)
    except PermissionError:
        pass


def load_command(mode: str, scenario_file: Path, out: Path, args: list[str]) -> list[str]:
    """benchmarks/load.py in ``mode``, writing its samples to ``out``."""
    return [sys.executable, str(LOAD_SCRIPT), mode, str(scenario_file), str(out), *args]


def run_load(mode: str, scenario_file: Path, folder: Path, args: list[str], timeout_s: float) -> dict[str, Any]:
    out = folder / f"load-{mode}-{time.monotonic_ns()}.json"
    subprocess.run(load_command(mode, scenario_file, out, args), check=True, timeout=timeout_s, cwd=ROOT,
                   preexec_fn=ahead_of_the_server)
    return json.loads(out.read_text())


GENERATORS = 2  # load generator processes of a burst: one Python process sends at most ~2,400 requests a second


def run_visits_sharded(scenario_file: Path, folder: Path, args: list[str], timeout_s: float) -> dict[str, Any]:
    """The visits of one burst split over GENERATORS processes (visitor i in process i mod GENERATORS, every
    process timed from one shared start), their samples merged: at 5,000 visitors a minute a single generator
    used 0.9-1.0 of a core and its own backlog showed up as page-load times of seconds."""
    start_at = time.time() + 3  # after every process has imported gevent and read the scenario
    outs = [folder / f"load-visits-{time.monotonic_ns()}-{k}.json" for k in range(GENERATORS)]
    processes = [subprocess.Popen(load_command("visits", scenario_file, out,
                                               [*args, "--shard", f"{k}/{GENERATORS}", "--start-at", str(start_at)]),
                                  cwd=ROOT, preexec_fn=ahead_of_the_server) for k, out in enumerate(outs)]
    try:
        for process in processes:
            if process.wait(timeout=timeout_s) != 0:
                raise subprocess.CalledProcessError(process.returncode, process.args)
    finally:  # one failed or overran: the others stop too, as subprocess.run would have stopped a single one
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
    parts = [json.loads(out.read_text()) for out in outs]
    return {"samples": [sample for part in parts for sample in part["samples"]],
            "wall_s": max(part["wall_s"] for part in parts),
            **{key: sum(part[key] for part in parts) for key in ("unfinished", "crashed", "retries")}}


def read_access_log(path: Path, offset: int) -> tuple[dict[str, list[float]], int]:
    """Server-side milliseconds per benchmark label, from ``offset``; and the new offset."""
    times: dict[str, list[float]] = defaultdict(list)
    if not path.exists():
        return times, offset
    with path.open("rb") as log:
        log.seek(offset)
        data = log.read()
    for line in data.decode(errors="replace").splitlines():
        fields = line.split(" ", 5)
        if len(fields) == 6 and fields[0] in ("GET", "POST") and fields[3].isdigit():
            times[fields[5].strip()].append(int(fields[3]) / 1000)
    return times, offset + len(data)


# ---------------------------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = min(len(ordered) - 1, max(0, math.ceil(q * len(ordered) / 100) - 1))  # nearest rank
    return ordered[rank]


def pct3(values: list[float]) -> str:
    return " / ".join(f"{percentile(values, q):.0f}" for q in (50, 95, 99)) if values else "-"


@dataclass
class LevelResult:
    users: int
    arrival_s: float
    wall_s: float
    requests: int
    errors: int
    unfinished: int
    retries: int
    pages_complete: int
    error_kinds: dict[str, int]
    client: dict[str, list[float]] = field(default_factory=dict)
    server: dict[str, list[float]] = field(default_factory=dict)
    app_requests: int = 0  # requests that reached gunicorn (the rest the proxy answered)
    app_cpu_s: float = 0.0
    proxy_cpu_s: float = 0.0
    via: str = "gunicorn"


def summarise_level(users: int, arrival_s: float, result: dict[str, Any],
                    server: dict[str, list[float]]) -> LevelResult:
    client: dict[str, list[float]] = defaultdict(list)
    kinds: dict[str, int] = defaultdict(int)
    requests = errors = pages = 0
    for name, _start, latency_ms, _status, _size, error in result["samples"]:
        client[name].append(latency_ms)
        if name == "page load (all requests)":
            pages += not error
            continue
        requests += 1
        if error:
            errors += 1
            kinds[f"{name}: {error.split(':')[0]}"] += 1
    cut = result["unfinished"] + result["crashed"]
    return LevelResult(users, arrival_s, result["wall_s"], requests, errors + cut, cut, result["retries"], pages,
                       dict(kinds), dict(client), dict(server))


def throughput(result: dict[str, Any]) -> float:
    ok = [s for s in result["samples"] if not s[5]]
    return len(ok) / result["wall_s"] if result["wall_s"] else 0.0


def print_table(rows: list[tuple[str, str, str]]) -> None:
    width = max(len(r[0]) for r in rows) + 2
    value_width = max(len(r[1]) for r in rows) + 2
    print(f"{'measure':<{width}}{'value':>{value_width}}  target")
    print("-" * (width + value_width + 30))
    for name, value, target in rows:
        print(f"{name:<{width}}{value:>{value_width}}  {target}")


def verdict(ok: bool, text: str) -> str:
    return f"{'met' if ok else 'MISSED'} ({text})"


def level_rows(level: LevelResult) -> list[tuple[str, str, str]]:
    tag = f"{level.users} users in {level.arrival_s:.0f} s"
    figure_server = level.server.get("callback: figure", [])
    p95 = percentile(figure_server, 95)
    page_p95 = percentile(level.client.get("page load (all requests)", []), 95)
    rows = [
        (f"[{tag}] visitors connect to", level.via, ""),
        (f"[{tag}] requests / errors / retried", f"{level.requests} / {level.errors} / {level.retries}",
         verdict(level.errors == 0, "0 errors") if level.users >= TARGET_BURST_USERS else ""),
        (f"[{tag}] page loads complete without error", f"{level.pages_complete} of {level.users}", ""),
        (f"[{tag}] page load, all requests, client ms p50/p95/p99",
         pct3(level.client.get("page load (all requests)", [])),
         verdict(page_p95 < TARGET_PAGE_LOAD_P95_MS, f"p95 < {TARGET_PAGE_LOAD_P95_MS / 1000:.0f} s")
         if level.users == TARGET_BURST_USERS else ""),
        (f"[{tag}] requests per visitor: sent / reaching gunicorn",
         f"{level.requests / level.users:.1f} / {level.app_requests / level.users:.1f}", ""),
        (f"[{tag}] server CPU per visitor, ms: gunicorn / nginx",
         f"{1000 * level.app_cpu_s / level.users:.0f} / {1000 * level.proxy_cpu_s / level.users:.0f}", ""),
    ]
    for name in ("document", "static resource", "dash layout/dependencies", "callback: page (on load)",
                 "callback: figure", "callback: other (on change)"):
        rows.append((f"[{tag}]   {name}, client / server ms p50/p95/p99",
                     f"{pct3(level.client.get(name, []))}  |  {pct3(level.server.get(name, []))}",
                     verdict(p95 < TARGET_CALLBACK_P95_MS, f"server p95 < {TARGET_CALLBACK_P95_MS} ms")
                     if name == "callback: figure" and figure_server else ""))
    rows.append((f"[{tag}] requests/s over the run", f"{level.requests / level.wall_s:.0f}", ""))
    return rows


# ---------------------------------------------------------------------------------------------------------
# Bursts: a newspaper link, at gunicorn alone and through nginx
# ---------------------------------------------------------------------------------------------------------


@dataclass
class Burst:
    """One scenario: ``users`` visitors within the arrival time, connecting to ``front``."""

    front: str
    users: int
    arrival_s: float
    wall_s: float
    pages_ms: list[float]  # page loads that completed, every request answered
    shed_pages: int  # visitors whose document was the busy page (503)
    failed_pages: int  # page loads with any other failure
    unfinished: int  # visits cut at the deadline
    requests: int
    shed_ms: list[float]  # every request answered 503, its time
    errors: dict[str, int]  # other failures by kind
    cpu_s: tuple[float, float, float] = (0.0, 0.0, 0.0)  # used over the run: gunicorn, nginx, load generator

    @property
    def timeouts(self) -> int:
        return self.errors.get("timeout", 0)

    def verdict(self) -> str:
        """Against the target of its front (see the constants)."""
        page_p95 = percentile(self.pages_ms, 95)
        if self.front == "nginx":
            ok = (not self.errors and not self.shed_ms and not self.failed_pages and not self.unfinished
                  and page_p95 < TARGET_PROXY_PAGE_P95_MS)
            return verdict(ok, f"0 errors, page p95 < {TARGET_PROXY_PAGE_P95_MS / 1000:.0f} s")
        slow_pages = sum(1 for ms in self.pages_ms if ms > TARGET_PAGE_WITHIN_MS)
        shed_p95 = percentile(self.shed_ms, 95) if self.shed_ms else 0.0
        ok = (not self.timeouts and not self.unfinished and not self.failed_pages and slow_pages == 0
              and shed_p95 < TARGET_SHED_P95_MS)
        return verdict(ok, f"a page within {TARGET_PAGE_WITHIN_MS / 1000:.0f} s or a 503 (p95 < "
                           f"{TARGET_SHED_P95_MS} ms), no timeout")


def error_kind(error: str) -> str:
    """'timeout', 'connection reset', 'connection refused' or 'HTTP <status>' for a failed request's error."""
    name = error.split(":", 1)[0]
    if name.startswith("HTTP "):
        return name
    if "timeout" in error.lower() or "timed out" in error.lower():
        return "timeout"
    if any(word in name for word in ("Reset", "BrokenPipe", "Closed", "Aborted")):
        return "connection reset"
    if "Refused" in name:
        return "connection refused"
    return name


def summarise_burst(front: str, users: int, arrival_s: float, result: dict[str, Any]) -> Burst:
    pages: list[float] = []
    shed_ms: list[float] = []
    errors: dict[str, int] = defaultdict(int)
    shed_pages = failed = requests = 0
    for name, _start, latency_ms, status, _size, error in result["samples"]:
        if name == PAGE_LOAD:
            if not error:
                pages.append(latency_ms)
            elif error == "shed":
                shed_pages += 1
            else:
                failed += 1
            continue
        requests += 1
        if status == SHED:
            shed_ms.append(latency_ms)
        elif error:
            errors[error_kind(error)] += 1
    return Burst(front, users, arrival_s, result["wall_s"], pages, shed_pages, failed,
                 result["unfinished"] + result["crashed"], requests, shed_ms, dict(errors))


def bursts(app: App, folder: Path, args: argparse.Namespace) -> list[Burst]:
    """Capture the visit in Chromium, then every level at every front, one after the other."""
    capture = capture_in_browser(app.base, warm_loads=2)
    results = []
    for front in args.fronts:
        with proxy_in_front(app, folder, front == "nginx"):
            if front == "nginx" and app.proxy is None:
                continue
            RESULTS_DIR.mkdir(exist_ok=True)
            scenario_file = RESULTS_DIR / f"serve-burst-scenario-{front}.json"
            scenario_file.write_text(json.dumps(scenario(app, capture), indent=1))
            for users in args.levels:
                wait_until_quiet(app.access_log)  # the last level's backlog is not this one's
                deadline = args.arrival + 120
                with other_work(args.busy):
                    before = (*cpu_now(app), children_cpu_s())
                    result = run_visits_sharded(scenario_file, folder,
                                                ["--users", str(users), "--arrival", str(args.arrival),
                                                 "--changes", str(args.changes), "--deadline", str(deadline)],
                                                timeout_s=deadline + 60)
                    used = tuple(after - was for after, was in zip((*cpu_now(app), children_cpu_s()), before,
                                                                    strict=True))
                # every request's sample, for a closer look at a tail (one [name, start_s, ms, status, bytes, error])
                (RESULTS_DIR / f"serve-burst-samples-{front}-{users}.json").write_text(json.dumps(result))
                burst = summarise_burst(front, users, args.arrival, result)
                burst.cpu_s = used  # type: ignore[assignment]
                print(f"({front}, {users} visitors: {len(burst.pages_ms)} pages, {burst.shed_pages} shed, "
                      f"{sum(burst.errors.values())} other errors)", flush=True)
                results.append(burst)
    return results


def burst_rows(burst: Burst) -> list[tuple[str, str, str]]:
    tag = f"{burst.front}, {burst.users:,} visitors in {burst.arrival_s:.0f} s"
    kinds = ", ".join(f"{kind} x{count}" for kind, count in sorted(burst.errors.items(), key=lambda kv: -kv[1]))
    return [
        (f"[{tag}] visitors: page / busy page (503) / failed / cut at deadline",
         f"{len(burst.pages_ms)} / {burst.shed_pages} / {burst.failed_pages} / {burst.unfinished}", burst.verdict()),
        (f"[{tag}] page load, client ms p50/p95/p99", pct3(burst.pages_ms), ""),
        (f"[{tag}] requests / answered 503 / other errors",
         f"{burst.requests} / {len(burst.shed_ms)} / {sum(burst.errors.values())}", ""),
        (f"[{tag}] 503 answers, client ms p50/p95/p99", pct3(burst.shed_ms), ""),
        (f"[{tag}] other errors by kind", kinds or "none", ""),
        (f"[{tag}] requests/s over the run", f"{burst.requests / burst.wall_s:.0f}", ""),
        # where it breaks: which of the three takes the cores (the load generator: GENERATORS processes)
        (f"[{tag}] cores used over the run: gunicorn / nginx / load generators",
         " / ".join(f"{cpu / burst.wall_s:.2f}" for cpu in burst.cpu_s), ""),
    ]


def report_bursts(results: list[Burst], app: App, args: argparse.Namespace) -> None:
    settings = get_settings()
    print(f"server: barometer serve --prod, {app.workers} gunicorn workers x {settings.web_threads} threads, "
          f"ADMISSION_WAIT_MS={settings.admission_wait_ms}; {os.cpu_count()} cores; each visitor replays the visit "
          f"Chromium made ({args.changes} changes of the view after it)\n")
    print_table([row for burst in results for row in burst_rows(burst)])
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"serve-bursts-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps([{
        "front": b.front, "users": b.users, "arrival_s": b.arrival_s, "wall_s": b.wall_s,
        "pages": len(b.pages_ms), "page_ms": [percentile(b.pages_ms, q) for q in (50, 95, 99)],
        "shed_pages": b.shed_pages, "failed_pages": b.failed_pages, "unfinished": b.unfinished,
        "requests": b.requests, "answered_503": len(b.shed_ms),
        "ms_503": [percentile(b.shed_ms, q) for q in (50, 95, 99)], "errors": b.errors, "verdict": b.verdict(),
        "cpu_s": dict(zip(("gunicorn", "nginx", "load_generator"), b.cpu_s, strict=True)),
    } for b in results], indent=1))
    print(f"(raw figures: {path.relative_to(ROOT)})")


# ---------------------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small levels and short runs (a smoke run)")
    parser.add_argument("--users", default=None, help="comma-separated visitor counts (default 1000,2000)")
    parser.add_argument("--view-users", type=int, default=None, help="visitors of the cold-view scenario (200)")
    parser.add_argument("--no-proxy", action="store_true", help="visitors connect to gunicorn, no caching nginx")
    parser.add_argument("--arrival", type=float, default=None, help="seconds over which visitors arrive")
    parser.add_argument("--changes", type=int, default=None, help="changes of the chart per visitor (3; --bursts 0)")
    parser.add_argument("--bursts", action="store_true",
                        help="burst scenarios: each level at gunicorn alone and through nginx (see 7. above)")
    parser.add_argument("--fronts", default="gunicorn,nginx", help="--bursts: where visitors connect")
    parser.add_argument("--chart-rounds", type=int, default=None,
                        help="cold loads each of the shared link and its static floor (default 5, quick 3)")
    parser.add_argument("--busy", type=int, default=0,
                        help="CPU-bound processes spinning beside the run, as other work on the host (default 0)")
    parser.add_argument("--chart-only", action="store_true",
                        help="only the time-to-chart comparison of the shared link with its static floor")
    args = parser.parse_args()
    default_levels = BURST_LEVELS if args.bursts else "1000,2000"
    args.levels = [int(u) for u in (args.users or ("20,50" if args.quick else default_levels)).split(",")]
    args.changes = args.changes if args.changes is not None else (0 if args.bursts else 3)
    args.fronts = [front.strip() for front in args.fronts.split(",") if front.strip()]
    if not set(args.fronts) <= {"gunicorn", "nginx"}:
        parser.error("--fronts takes gunicorn and/or nginx")
    args.view_users = args.view_users or (20 if args.quick else 200)
    args.arrival = args.arrival or (10.0 if args.quick else 60.0)
    args.throughput_s = 3.0 if args.quick else 10.0
    args.chart_rounds = args.chart_rounds or (3 if args.quick else 5)
    return args


def wait_until_quiet(access_log: Path, quiet_s: float = 3.0, limit_s: float = 180.0) -> None:
    """Wait until the server has finished what it was given (requests whose client gave up included)."""
    deadline = time.monotonic() + limit_s
    size, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        now_size = access_log.stat().st_size if access_log.exists() else 0
        if now_size != size:
            size, since = now_size, time.monotonic()
        elif time.monotonic() - since >= quiet_s:
            return
        time.sleep(0.5)


def closed_loop(app: App, scenario_file: Path, folder: Path, args: argparse.Namespace,
                offset: int) -> tuple[dict[str, float], dict[str, list[float]], int]:
    """Requests/s and server ms of the figure callback and of the same-size static JSON, one after the other."""
    rates, server_ms = {}, {}
    for name in ("static json", "callback: figure"):
        result = run_load("throughput", scenario_file, folder,
                          ["--request", name, "--concurrency", str(2 * app.workers), "--duration",
                           str(args.throughput_s), "--max-requests", "20000"], timeout_s=args.throughput_s + 90)
        wait_until_quiet(app.access_log)
        server, offset = read_access_log(app.access_log, offset)
        rates[name] = throughput(result)
        server_ms[name] = server.get(name, [])
    return rates, server_ms, offset


def audience(app: App, scenario_file: Path, folder: Path, args: argparse.Namespace, users: int,
             offset: int) -> tuple[LevelResult, int]:
    """``users`` visitors arriving within --arrival seconds; the server's times from its access log, the CPU
    gunicorn and nginx used meanwhile from /proc."""
    deadline = args.arrival + 120
    cpu_before = cpu_now(app)
    result = run_load("visits", scenario_file, folder,
                      ["--users", str(users), "--arrival", str(args.arrival), "--changes", str(args.changes),
                       "--deadline", str(deadline)], timeout_s=deadline + 60)
    wait_until_quiet(app.access_log)  # also keeps a backlog of one level out of the next
    cpu_after = cpu_now(app)
    server, offset = read_access_log(app.access_log, offset)
    level = summarise_level(users, args.arrival, result, server)
    level.app_requests = sum(len(times) for times in server.values())
    level.app_cpu_s, level.proxy_cpu_s = (after - before for after, before in zip(cpu_after, cpu_before,
                                                                                   strict=True))
    level.via = "caching nginx, then gunicorn" if app.proxy else "gunicorn"
    return level, offset


def cold_views(app: App, capture: Capture, combos: list[dict[str, str]], folder: Path,
               args: argparse.Namespace) -> LevelResult:
    """--view-users visitors, each opening a view of its own, from an empty cache: figure cold, then warm."""
    scenario_file = views_scenario(app, capture, combos)
    wait_until_quiet(app.access_log)
    _, offset = read_access_log(app.access_log, 0)
    empty_cache(app)
    deadline = args.arrival + 120
    cpu_before = cpu_now(app)
    result = run_load("views", scenario_file, folder,
                      ["--users", str(args.view_users), "--arrival", str(args.arrival), "--deadline", str(deadline)],
                      timeout_s=deadline + 60)
    wait_until_quiet(app.access_log)
    cpu_after = cpu_now(app)
    server, _ = read_access_log(app.access_log, offset)
    level = summarise_level(args.view_users, args.arrival, result, server)
    level.app_requests = sum(len(times) for times in server.values())
    level.app_cpu_s = cpu_after[0] - cpu_before[0]
    level.via = app.cache_name
    return level


def view_rows(level: LevelResult, views: int) -> list[tuple[str, str, str]]:
    tag = f"cold views, {level.users} users in {level.arrival_s:.0f} s, {level.via}"
    rows = [(f"[{tag}] requests / errors", f"{level.requests} / {level.errors}", ""),
            (f"[{tag}] distinct views opened (of {views:,} combinations)", f"{min(level.users, views)}", "")]
    for state in ("cold", "warm"):
        name = f"callback: figure ({state})"
        p95 = percentile(level.server.get(name, []), 95)
        rows.append((f"[{tag}]   figure {state}, client / server ms p50/p95/p99",
                     f"{pct3(level.client.get(name, []))}  |  {pct3(level.server.get(name, []))}",
                     verdict(p95 < TARGET_CALLBACK_P95_MS, f"server p95 < {TARGET_CALLBACK_P95_MS} ms")))
    rows.append((f"[{tag}] server CPU per visitor, ms", f"{1000 * level.app_cpu_s / level.users:.0f}", ""))
    return rows


def measure(app: App, folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    cold_start = cold_start_errors(app.base)  # first: the workers must still be fresh
    capture = capture_in_browser(app.base, warm_loads=2 if args.quick else 3)
    chart_times = chart_against_floor(app, folder, args.chart_rounds)
    app.static_file.write_bytes(capture.figure_response)
    RESULTS_DIR.mkdir(exist_ok=True)
    scenario_file = RESULTS_DIR / "serve-scenario.json"  # kept: what was replayed, for a look afterwards
    scenario_file.write_text(json.dumps(scenario(app, capture), indent=1))
    wait_until_quiet(app.access_log)
    _, offset = read_access_log(app.access_log, 0)  # the browser's requests are not part of any level

    rates, server_ms, offset = closed_loop(app, scenario_file, folder, args, offset)
    levels = []
    for users in args.levels:
        level, offset = audience(app, scenario_file, folder, args, users, offset)
        levels.append(level)
    return {"capture": capture, "levels": levels, "rates": rates, "server_ms": server_ms, "cold_start": cold_start,
            "chart_times": chart_times, "views": []}


def report(results: dict[str, Any], etl_s: float, app: App, args: argparse.Namespace) -> None:
    capture: Capture = results["capture"]
    warm = capture.warm
    tti_warm = statistics.median(w.tti_ms for w in warm)
    first = capture.cold.transferred
    rates, server_ms = results["rates"], results["server_ms"]
    ratio = rates["callback: figure"] / rates["static json"] if rates["static json"] else float("nan")
    link = urlsplit(capture.cold.url)
    print(f"link opened by every visitor: {link.path}?{link.query}")
    print(f"server: barometer serve --prod, {app.workers} gunicorn workers x {get_settings().web_threads} threads, "
          f"file cache (cold views: file cache, then Redis); audience through "
          f"{results['levels'][0].via if results['levels'] else '-'}; {os.cpu_count()} cores\n")
    cold_failed, cold_sent = results["cold_start"]
    rows: list[tuple[str, str, str]] = [
        ("ETL of bundled data for this run, s", f"{etl_s:.1f}", "see benchmarks/etl.py"),
        ("cold start: bundles requested at once, failed / sent", f"{cold_failed} / {cold_sent}",
         verdict(cold_failed == 0, "0 errors")),
        ("first page transferred, compressed bytes", f"{first:,}",
         verdict(first < TARGET_PAGE_BYTES, f"< {TARGET_PAGE_BYTES / 1e6:.1f} MB")),
        *[(f"  {kind}", f"{size:,}", "") for kind, size in sorted(capture.cold.by_type.items(),
                                                                   key=lambda kv: -kv[1])],
        ("time to chart SVG, first load after start, ms", f"{capture.cold.tti_ms:.0f}", ""),
        (f"time to chart SVG, warm server (median of {len(warm)}), ms", f"{tti_warm:.0f}", ""),
        *chart_rows(results["chart_times"]),
        ("figure callback response, uncompressed bytes", f"{len(capture.figure_response):,}", ""),
        ("closed loop: figure callback, requests/s", f"{rates['callback: figure']:.0f}", ""),
        ("closed loop: same-size static JSON, requests/s", f"{rates['static json']:.0f}", ""),
        ("callback / static throughput", f"{ratio:.2f}", ""),
        ("closed loop: figure callback, server ms p50/p95/p99", pct3(server_ms["callback: figure"]), ""),
        ("closed loop: static JSON, server ms p50/p95/p99", pct3(server_ms["static json"]), ""),
    ]
    for level in results["levels"]:
        rows += level_rows(level)
    for level in results["views"]:
        rows += view_rows(level, results["view_count"])
    print_table(rows)
    for level in [*results["levels"], *results["views"]]:
        if level.error_kinds or level.unfinished:
            kinds = ", ".join(f"{k} x{v}" for k, v in sorted(level.error_kinds.items(), key=lambda kv: -kv[1]))
            print(f"errors at {level.users} users: {kinds}; visits cut at the deadline: {level.unfinished}")
    print("largest downloads of the first page: " + ", ".join(f"{url} {size / 1e3:.0f} kB"
                                                               for url, size in capture.cold.largest))
    print(f"(visitors arrive evenly within {args.arrival:.0f} s; each loads the page as Chromium did, then "
          f"changes the chart type {args.changes} times, 0.5-2 s apart, sending what Chromium sent; a request "
          f"fails after {30} s without an answer. Requests reaching gunicorn = its access-log lines; server CPU = "
          f"user + system time of gunicorn's and nginx's process groups during the level (/proc) per visitor. Cold "
          f"views: each visitor posts the figure callback of a view nobody opened before, from an emptied cache, "
          f"then the same again 0.5-2 s later (warm). Server ms = gunicorn %(D)s: from when a worker thread takes the "
          f"request to its last byte, so time queued before that is only in the client ms. Closed loop = "
          f"{2 * app.workers} clients back to back for {args.throughput_s:.0f} s each.)")


def level_data(lv: LevelResult) -> dict[str, Any]:
    return {"users": lv.users, "via": lv.via, "requests": lv.requests, "errors": lv.errors,
            "error_kinds": lv.error_kinds, "app_requests": lv.app_requests, "app_cpu_s": lv.app_cpu_s,
            "proxy_cpu_s": lv.proxy_cpu_s, "pages_complete": lv.pages_complete,
            "client": {k: [percentile(v, q) for q in (50, 95, 99)] for k, v in lv.client.items()},
            "server": {k: [percentile(v, q) for q in (50, 95, 99)] for k, v in lv.server.items()}}


def save(results: dict[str, Any], etl_s: float) -> Path:
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"serve-{time.strftime('%Y%m%d-%H%M%S')}.json"
    capture: Capture = results["capture"]
    data = {
        "etl_s": etl_s,
        "first_page": {"transferred": capture.cold.transferred, "by_type": capture.cold.by_type,
                       "tti_ms": capture.cold.tti_ms},
        "warm_tti_ms": [w.tti_ms for w in capture.warm],
        "time_to_chart_ms": {"link": results["chart_times"].link_ms, "static_floor": results["chart_times"].floor_ms},
        "rates": results["rates"],
        "cold_start_failed_sent": results["cold_start"],
        "levels": [level_data(lv) for lv in results["levels"]],
        "cold_views": [level_data(lv) for lv in results["views"]],
    }
    path.write_text(json.dumps(data, indent=1))
    return path


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        folder = Path(tmp)
        database_url, server, etl_s = loaded_database(folder)
        try:
            if args.chart_only:
                with running_app(database_url, folder) as app:
                    print_table(chart_rows(chart_against_floor(app, folder, args.chart_rounds)))
                return
            if args.bursts:
                load_before = load_average()
                with running_app(database_url, folder) as app:
                    results_bursts = bursts(app, folder, args)
                print(f"{time.strftime('%Y-%m-%d %H:%M %Z')}; {busy_note(args.busy)}; load average before the run "
                      f"{load_before}, after it {load_average()}")
                report_bursts(results_bursts, app, args)
                return
            combos = view_combinations(database_url)
            load_before = load_average()
            with running_app(database_url, folder) as app, proxy_in_front(app, folder, not args.no_proxy), \
                    other_work(args.busy):
                results = measure(app, folder, args)
                results["views"].append(cold_views(app, results["capture"], combos, folder, args))
            results["view_count"] = len(combos)
            if os.access(REDIS_SERVER, os.X_OK):
                with redis_server(folder / "redis") as redis_url, \
                        running_app(database_url, folder, "app-redis", redis_url) as redis_app:
                    with other_work(args.busy):
                        results["views"].append(cold_views(redis_app, results["capture"], combos, folder, args))
            else:
                print(f"(no {REDIS_SERVER}: no Redis run; apt-get install redis-server)")
        finally:
            server.cleanup()
    print(f"{time.strftime('%Y-%m-%d %H:%M %Z')}; {busy_note(args.busy)}; load average before the run "
          f"{load_before}, after it {load_average()}")
    report(results, etl_s, app, args)
    print(f"(raw figures: {save(results, etl_s).relative_to(ROOT)})")


if __name__ == "__main__":
    main()
