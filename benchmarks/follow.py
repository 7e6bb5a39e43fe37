"""Follower benchmark: an audience of phones following one deck while the presenter moves through it.

Usage: python benchmarks/follow.py [--quick] [--followers 1000] [--moves 10] [--interval 10] [--poll 1.5]
       [--proxy] [--base URL]

1. As benchmarks/serve.py does (its helpers): a throwaway embedded PostgreSQL loaded with the bundled data,
   and `barometer serve --prod` (gunicorn) on a free loopback port; --proxy puts the caching nginx in front.
   With --base the followers use a server that is already running instead (nothing is started).
2. A deck of 10 slides (Compare, Country profile and Types x values views), created over the follow contract
   of the README (POST /api/decks, then /slides, with the presenter key in X-Deck-Key).
3. --followers simulated phones on loopback (asyncio and aiohttp, one keep-alive connection each, joining at
   random moments within one poll interval) do what the follow page's script does: poll GET
   /api/decks/<id>/state every --poll seconds with If-None-Match, and when the slide changes fetch it,
   GET /follow/<id>/slides/<n>?lang=en (its markup, with the slide drawn on the server as SVG inline), with
   If-None-Match when they have that slide already.
4. The presenter moves --moves times, every --interval seconds (POST /api/decks/<id>/current with the key):
   through the 10 slides and round again.
Prints errors, for each move the share of followers showing the new slide (its markup received) within 3 s
(target 95%), p50/p95 delays, requests/s, bytes per follower and server CPU (gunicorn's process group, and
nginx's with --proxy, from /proc as serve.py reads it). Loopback only; bounded in time; never fails on a
missed target.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serve import (  # noqa: E402  (benchmarks/serve.py: the same database, server, CPU and table helpers)
    App,
    cpu_now,
    loaded_database,
    pct3,
    percentile,
    print_table,
    proxy_in_front,
    read_access_log,
    running_app,
    verdict,
    wait_until_quiet,
)

from benchmarks.busy import busy_note, load_average, other_work  # noqa: E402  (serve put the project on the path)

TARGET_DELAY_S = 3.0
TARGET_SHARE = 0.95
REQUEST_TIMEOUT_S = 10.0
KEY_HEADER = "X-Deck-Key"
STATE, SLIDE = "deck state", "slide"  # request labels
DECK_SLIDES = (
    ("/en/compare", "Most public workplaces innovate"),
    ("/en/compare?indicator=value&option=quality&chart=dot", "Quality comes first"),
    ("/en/compare?indicator=value&option=efficiency", "Efficiency"),
    ("/en/profile?country=DK", "Denmark, sector by sector"),
    ("/en/profile?country=NO&level=municipal", "Norway's municipalities"),
    ("/en/profile?country=SE", "Sweden"),
    ("/en/profile?country=FI", "Finland"),
    ("/en/profile?country=IS", "Iceland"),
    ("/en/types-values", "Which values come with which types"),
    ("/en/compare?countries=DK,NO,SE,FI,IS&waves=DK-2018-19,NO-2018,SE-2018,FI-2018,IS-2018", "Round 2018"),
)


@dataclass
class Tally:
    """What the followers did: requests, errors, bytes, and when each saw each move."""

    requests: int = 0
    not_modified: int = 0
    errors: int = 0
    retries: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)
    bytes: int = 0
    seen: dict[int, list[float]] = field(default_factory=dict)  # move number -> monotonic times its slide arrived
    latency_ms: dict[str, list[float]] = field(default_factory=dict)  # request label -> client-side times

    def error(self, kind: str) -> None:
        self.errors += 1
        self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1


@dataclass
class Move:
    number: int
    slide: int
    sent_at: float  # monotonic time the presenter sent the move
    status: int


@dataclass
class Result:
    followers: int
    moves: list[Move]
    tally: Tally
    wall_s: float
    cpu_s: tuple[float, float] = (0.0, 0.0)  # gunicorn, nginx
    requests_while_presenting: int = 0
    client_cpu_s: float = 0.0  # the simulated phones' own process, while presenting
    server_ms: dict[str, list[float]] = field(default_factory=dict)  # request label -> gunicorn's times

    def delays(self, move: Move) -> list[float]:
        return [seen - move.sent_at for seen in self.tally.seen.get(move.number, [])]

    def share_within(self, move: Move, limit_s: float = TARGET_DELAY_S) -> float:
        return sum(1 for d in self.delays(move) if d <= limit_s) / self.followers if self.followers else 0.0


# ---------------------------------------------------------------------------------------------------------
# The deck, over the follow contract
# ---------------------------------------------------------------------------------------------------------


async def create_deck(session: Any, base: str, slides: tuple[tuple[str, str], ...] = DECK_SLIDES
                      ) -> tuple[str, str]:
    """A new deck of ``slides`` (POST /api/decks, then one POST per further slide): (public id, key)."""
    first_path, first_caption = slides[0]
    async with session.post(f"{base}/api/decks", json={"lang": "en", "title": "Follower benchmark",
                                                        "path": first_path, "caption": first_caption}) as response:
        if response.status != 201:
            raise SystemExit(f"POST /api/decks answered {response.status}: {(await response.text())[:300]}")
        created = await response.json()
    deck_id, key = created["deck"], created["key"]
    for path, caption in slides[1:]:
        async with session.post(f"{base}/api/decks/{deck_id}/slides", json={"path": path, "caption": caption},
                                headers={KEY_HEADER: key}) as response:
            if response.status != 200:
                raise SystemExit(f"adding {path} answered {response.status}: {(await response.text())[:300]}")
    return deck_id, key


async def present(session: Any, base: str, deck_id: str, key: str, moves: int, interval_s: float,
                  count: int, log: list[Move]) -> None:
    """The presenter: ``moves`` moves, one every ``interval_s`` seconds, from slide 0 onwards (round again after
    the last)."""
    for number in range(1, moves + 1):
        await asyncio.sleep(interval_s)
        slide = number % count
        sent = time.monotonic()
        async with session.post(f"{base}/api/decks/{deck_id}/current", json={"slide": slide},
                                headers={KEY_HEADER: key}) as response:
            await response.read()
            log.append(Move(number, slide, sent, response.status))
    await asyncio.sleep(min(interval_s, TARGET_DELAY_S + 2))  # the last move's stragglers


# ---------------------------------------------------------------------------------------------------------
# A follower: the follow page's polling loop
# ---------------------------------------------------------------------------------------------------------


def _size(response: Any, body: bytes) -> int:
    """Bytes on the wire of an answer, near enough: status line, headers and the body as sent (compressed when
    the server compressed it: aiohttp asks for gzip, as phones do, and hands over the body unpacked)."""
    sent = int(response.headers.get("Content-Length", len(body)))
    return 15 + sum(len(k) + len(v) + 4 for k, v in response.raw_headers) + sent


async def _get(session: Any, url: str, etag: str | None, tally: Tally, label: str
               ) -> tuple[int, bytes, str | None]:
    """GET with If-None-Match; (status, body, ETag); (0, b'', None) on a transport error. A keep-alive
    connection the server closed just as it was reused is retried once on a new one, as browsers do. The
    label goes to the server's access log (x-bench, benchmarks/gunicorn_bench.py) and to the client's times."""
    headers = {"x-bench": label, **({"If-None-Match": etag} if etag else {})}
    for attempt in (1, 2):
        began = time.monotonic()
        try:
            async with session.get(url, headers=headers) as response:
                body = await response.read()
                tally.requests += 1
                tally.bytes += _size(response, body)
                tally.latency_ms.setdefault(label, []).append(1000 * (time.monotonic() - began))
                return response.status, body, response.headers.get("ETag")
        except aiohttp.ServerDisconnectedError:
            if attempt == 1:
                tally.retries += 1
                continue
            tally.requests += 1
            tally.error("server disconnected")
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            tally.requests += 1
            tally.error(type(exc).__name__)
        return 0, b"", None
    return 0, b"", None


async def follow(base: str, deck_id: str, poll_s: float, stop: asyncio.Event, tally: Tally,
                 moves: list[Move], seed: int) -> None:
    """One phone: polls the deck's state; when the slide changes, fetches the slide and records when it had it
    (against the presenter's latest move)."""
    rng = random.Random(seed)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
    state_url = f"{base}/api/decks/{deck_id}/state"
    state_etag: str | None = None
    shown: int | None = None
    slide_etags: dict[int, str] = {}
    await asyncio.sleep(rng.uniform(0, poll_s))  # phones join at different moments
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=1), timeout=timeout) as session:
        while not stop.is_set():
            began = time.monotonic()
            status, body, etag = await _get(session, state_url, state_etag, tally, STATE)
            if status == 304:
                tally.not_modified += 1
            elif status == 200:
                state_etag = etag
                state = json.loads(body)
                index = state["slide"]
                if index != shown and state["path"]:
                    slide_status, _, slide_etag = await _get(session, f"{base}/follow/{deck_id}/slides/{index}"
                                                             "?lang=en", slide_etags.get(index), tally, SLIDE)
                    if slide_status in (200, 304):
                        shown = index
                        if slide_etag:
                            slide_etags[index] = slide_etag
                        if moves and moves[-1].slide == shown:
                            tally.seen.setdefault(moves[-1].number, []).append(time.monotonic())
                    elif slide_status:
                        tally.error(f"slide {slide_status}")
            elif status:
                tally.error(f"state {status}")
            try:
                await asyncio.wait_for(stop.wait(), timeout=max(0.0, poll_s - (time.monotonic() - began)))
            except TimeoutError:
                pass


async def audience(base: str, followers: int, moves: int, interval_s: float, poll_s: float,
                   app: App | None = None) -> Result:
    """Create the deck, start the followers, let the presenter move, and collect what happened (with the
    server's CPU and request times when ``app`` is the server started here)."""
    tally, log = Tally(), []
    stop = asyncio.Event()
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as presenter:
        deck_id, key = await create_deck(presenter, base)
        tasks = [asyncio.create_task(follow(base, deck_id, poll_s, stop, tally, log, seed))
                 for seed in range(followers)]
        await asyncio.sleep(poll_s + 2)  # everyone has joined and shows the first slide
        offset = read_access_log(app.access_log, 0)[1] if app else 0
        cpu_before, client_before = (cpu_now(app) if app else (0.0, 0.0)), _own_cpu_s()
        started = time.monotonic()
        await present(presenter, base, deck_id, key, moves, interval_s, len(DECK_SLIDES), log)
        wall_s = time.monotonic() - started
        cpu_after, client_after = (cpu_now(app) if app else (0.0, 0.0)), _own_cpu_s()
        requests_while_presenting = tally.requests
        stop.set()
        await asyncio.gather(*tasks)
    cpu_s = tuple(after - before for after, before in zip(cpu_after, cpu_before, strict=True))
    server_ms: dict[str, list[float]] = {}
    if app:
        wait_until_quiet(app.access_log, quiet_s=2)
        server_ms = read_access_log(app.access_log, offset)[0]
    return Result(followers, log, tally, wall_s, cpu_s, requests_while_presenting, client_after - client_before,
                  server_ms)


def _own_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# ---------------------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------------------


def report_rows(result: Result) -> list[tuple[str, str, str]]:
    tally = result.tally
    all_delays = [d for move in result.moves for d in result.delays(move)]
    worst = min((result.share_within(m) for m in result.moves), default=0.0)
    moved = sum(1 for m in result.moves if m.status == 200)
    rows = [
        ("followers / presenter moves (accepted)", f"{result.followers} / {len(result.moves)} ({moved})", ""),
        ("follower requests / errors / retried", f"{tally.requests:,} / {tally.errors} / {tally.retries}",
         verdict(tally.errors == 0, "0 errors")),
        ("  of which 304 Not Modified", f"{tally.not_modified:,}", ""),
        ("slide shown within 3 s, worst move", f"{100 * worst:.1f}%",
         verdict(worst >= TARGET_SHARE, f">= {100 * TARGET_SHARE:.0f}% of followers")),
    ]
    for move in result.moves:
        delays = result.delays(move)
        rows.append((f"  move {move.number} (to slide {move.slide + 1}): within 3 s, delay s p50/p95",
                     f"{100 * result.share_within(move):.1f}%  {_seconds(delays, 50)} / {_seconds(delays, 95)}",
                     ""))
    rows += [
        ("delay from move to slide on the phone, ms p50/p95/p99", pct3([1000 * d for d in all_delays]), ""),
        ("requests/s while presenting", f"{result.requests_while_presenting / result.wall_s:.0f}", ""),
        ("bytes per follower, whole run (headers + bodies)", f"{tally.bytes / max(1, result.followers):,.0f}", ""),
        *[(f"{label}: client ms p50/p95/p99  |  gunicorn ms", f"{pct3(result.tally.latency_ms.get(label, []))}  |  "
           f"{pct3(result.server_ms.get(label, []))}", "") for label in (STATE, SLIDE)],
        ("CPU while presenting, s: gunicorn / nginx / simulated phones",
         f"{result.cpu_s[0]:.1f} / {result.cpu_s[1]:.1f} / {result.client_cpu_s:.1f}", ""),
        ("server CPU per follower-minute, ms",
         f"{1000 * sum(result.cpu_s) / max(1, result.followers) / (result.wall_s / 60):.0f}", ""),
    ]
    return rows


def _seconds(delays: list[float], q: float) -> str:
    return f"{percentile(delays, q):.2f}" if delays else "-"


# ---------------------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="100 followers, 3 moves 5 s apart (a smoke run)")
    parser.add_argument("--followers", type=int, default=None, help="simulated phones (default 1000)")
    parser.add_argument("--moves", type=int, default=None, help="presenter moves (default 10)")
    parser.add_argument("--interval", type=float, default=None, help="seconds between moves (default 10)")
    parser.add_argument("--poll", type=float, default=1.5, help="seconds between a follower's polls (as the page)")
    parser.add_argument("--proxy", action="store_true", help="followers connect through the caching nginx")
    parser.add_argument("--busy", type=int, default=0,
                        help="CPU-bound processes spinning beside the run, as other work on the host (default 0)")
    parser.add_argument("--base", default=None, help="follow a server already running at this URL (start none)")
    args = parser.parse_args(argv)
    args.followers = args.followers or (100 if args.quick else 1000)
    args.moves = args.moves or (3 if args.quick else 10)
    args.interval = args.interval or (5.0 if args.quick else 10.0)
    return args


def raise_open_files_limit(followers: int) -> None:
    """One connection per follower: make sure the process may open them all."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = followers + 256
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    raise_open_files_limit(args.followers)
    if args.base:
        result = asyncio.run(audience(args.base.rstrip("/"), args.followers, args.moves, args.interval, args.poll))
        print_table(report_rows(result))
        return
    with tempfile.TemporaryDirectory(prefix="bench-follow-") as tmp, ExitStack() as stack:
        folder = Path(tmp)
        database_url, server, etl_s = loaded_database(folder)
        stack.callback(server.cleanup)
        app: App = stack.enter_context(running_app(database_url, folder, "follow"))
        stack.enter_context(proxy_in_front(app, folder, args.proxy))
        load_before = load_average()
        with other_work(args.busy):
            result = asyncio.run(audience(app.front, args.followers, args.moves, args.interval, args.poll, app))
        via = "caching nginx, then gunicorn" if app.proxy else "gunicorn"
        print(f"{args.followers} followers polling every {args.poll} s, presenter moving every {args.interval} s; "
              f"server: barometer serve --prod, {app.workers} gunicorn workers, followers connect to {via}; "
              f"{os.cpu_count()} cores; ETL {etl_s:.1f} s; {time.strftime('%Y-%m-%d %H:%M %Z')}; "
              f"{busy_note(args.busy)}; load average before {load_before}, after {load_average()}\n")
        print_table(report_rows(result))
        if result.tally.error_kinds:
            print("errors: " + ", ".join(f"{k} x{v}" for k, v in sorted(result.tally.error_kinds.items())))


if __name__ == "__main__":
    main()
