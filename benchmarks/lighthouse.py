"""Lighthouse on a cold shared Compare link and on the follow page, as a phone (Lighthouse's mobile settings:
a mid-range phone on a slow 4G network, simulated) and as a desktop.

Usage: python benchmarks/lighthouse.py [--runs 3] [--base URL]

1. As benchmarks/serve.py does (its helpers): a throwaway embedded PostgreSQL loaded with the bundled data and
   `barometer serve --prod` (gunicorn) on a free loopback port; with --base, a server already running.
2. A deck of two slides over the follow contract (POST /api/decks), for its follow page.
3. The newest Lighthouse from the npm registry (`npm install lighthouse@latest` into .cache/npm, as the tests
   install axe-core: tests/services.py), run against Debian's Chromium (CHROME_PATH=/usr/bin/chromium), --runs
   times per page and form factor, each run cold: a new browser profile, and each Compare run on an address the
   server has not answered before (the link with a different, ignored `utm_source`), so neither the browser's
   cache nor the server's first-paint cache has it.
Prints the median performance score with its metrics (first and largest contentful paint, total blocking time,
cumulative layout shift, speed index, bytes) against the targets: mobile >= 90 with TBT < 200 ms and desktop >=
98 on the Compare link. Never fails on a missed target; the reports are kept in benchmarks/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serve import (  # noqa: E402  (benchmarks/serve.py: the same database, server and table helpers)
    CHROMIUM,
    LOOPBACK,
    RESULTS_DIR,
    SHARED_LINK,
    loaded_database,
    print_table,
    running_app,
    verdict,
)

from benchmarks.busy import load_average  # noqa: E402  (serve put the project on the path)
from tests.services import npm_latest  # noqa: E402

TARGETS = {"mobile": 90, "desktop": 98}  # performance score on the Compare link
TARGET_MOBILE_TBT_MS = 200
METRICS = (("first-contentful-paint", "FCP"), ("largest-contentful-paint", "LCP"),
           ("total-blocking-time", "TBT"), ("cumulative-layout-shift", "CLS"), ("speed-index", "SI"))
FOLLOW_SLIDES = (("/en/compare", "Most public workplaces innovate"), ("/en/profile?country=DK", "Denmark"))
RUN_TIMEOUT_S = 300
ATTEMPTS = 3


def follow_page(base: str) -> str:
    """The follow page of a new deck of FOLLOW_SLIDES (the follow contract: POST /api/decks, then /slides)."""
    def post(path: str, body: dict[str, Any], key: str | None = None) -> dict[str, Any]:
        headers = {"Content-Type": "application/json", **({"X-Deck-Key": key} if key else {})}
        request = urllib.request.Request(base + path, json.dumps(body).encode(), headers, method="POST")
        with LOOPBACK.open(request, timeout=30) as response:
            return json.loads(response.read() or b"{}")

    (first, caption), *rest = FOLLOW_SLIDES
    deck = post("/api/decks", {"lang": "en", "title": "Lighthouse", "path": first, "caption": caption})
    for path, caption in rest:
        post(f"/api/decks/{deck['deck']}/slides", {"path": path, "caption": caption}, deck["key"])
    return f"/follow/{deck['deck']}"


def lighthouse(tool: Path, url: str, form: str, report: Path) -> dict[str, Any]:
    """One Lighthouse run (performance and accessibility) in a new headless Chromium profile: its JSON report."""
    command = [str(tool / "cli" / "index.js"), url, "--only-categories=performance,accessibility",
               "--output=json", f"--output-path={report}", "--quiet",
               "--chrome-flags=--headless=new --no-sandbox --disable-gpu"]
    if form == "desktop":
        command.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", CHROMIUM)}
    for attempt in range(ATTEMPTS):  # Chromium sometimes fails to start on a loaded machine
        done = subprocess.run(["node", *command], env=env, timeout=RUN_TIMEOUT_S, capture_output=True, text=True)
        if done.returncode == 0:
            return json.loads(report.read_text())
        print(f"(Lighthouse failed on {url} as {form}, attempt {attempt + 1}: {done.stderr.strip()[-300:]})")
    raise SystemExit(f"Lighthouse failed {ATTEMPTS} times on {url}")


def summary(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """The median of each figure over the runs."""
    def median(values: list[float]) -> float:
        return statistics.median(values)

    audits = [r["audits"] for r in reports]
    return {
        "performance": median([r["categories"]["performance"]["score"] * 100 for r in reports]),
        "accessibility": median([r["categories"]["accessibility"]["score"] * 100 for r in reports]),
        **{name: median([a[audit]["numericValue"] for a in audits]) for audit, name in METRICS},
        "bytes": median([a["total-byte-weight"]["numericValue"] for a in audits]),
        "lighthouse": reports[0]["lighthouseVersion"],
        "chromium": reports[0]["environment"]["hostUserAgent"],
    }


def rows(page: str, form: str, figures: dict[str, Any], runs: int) -> list[tuple[str, str, str]]:
    target = TARGETS.get(form) if page == "Compare link" else None
    score = figures["performance"]
    met = verdict(score >= target, f">= {target}") if target else ""
    tbt = figures["TBT"]
    tbt_met = verdict(tbt < TARGET_MOBILE_TBT_MS, f"< {TARGET_MOBILE_TBT_MS}") \
        if form == "mobile" and page == "Compare link" else ""
    return [(f"{page}, {form}: performance (median of {runs})", f"{score:.0f}", met),
            (f"{page}, {form}: FCP / LCP / SI, ms",
             " / ".join(f"{figures[name]:.0f}" for name in ("FCP", "LCP", "SI")), ""),
            (f"{page}, {form}: total blocking time, ms", f"{tbt:.0f}", tbt_met),
            (f"{page}, {form}: cumulative layout shift", f"{figures['CLS']:.3f}", ""),
            (f"{page}, {form}: bytes transferred", f"{figures['bytes']:,.0f}", ""),
            (f"{page}, {form}: accessibility", f"{figures['accessibility']:.0f}", "")]


def measure(base: str, runs: int, folder: Path) -> dict[str, dict[str, Any]]:
    tool = npm_latest("lighthouse")
    follow = base + follow_page(base)
    pages = {"Compare link": lambda n: f"{base}{SHARED_LINK}&utm_source=lighthouse-{time.time_ns()}-{n}",
             "follow page": lambda n: follow}
    results: dict[str, dict[str, Any]] = {}
    for page, address in pages.items():
        for form in ("mobile", "desktop"):
            reports = [lighthouse(tool, address(n), form, folder / f"report-{form}-{n}.json") for n in range(runs)]
            results[f"{page}, {form}"] = summary(reports)
            RESULTS_DIR.mkdir(exist_ok=True)
            (RESULTS_DIR / f"lighthouse-{page.split()[0].lower()}-{form}.json").write_text(json.dumps(reports[-1]))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page and form factor (median)")
    parser.add_argument("--base", help="a server already running (nothing is started)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-lighthouse-") as tmp, ExitStack() as stack:
        folder = Path(tmp)
        base = args.base
        if base is None:
            database_url, server, _ = loaded_database(folder)
            stack.callback(server.cleanup)
            base = stack.enter_context(running_app(database_url, folder)).base
        load_before = load_average()
        results = measure(base.rstrip("/"), args.runs, folder)
    any_figures = next(iter(results.values()))
    print(f"{time.strftime('%Y-%m-%d %H:%M %Z')}; {platform.machine()}, {os.cpu_count()} cores; load average "
          f"before {load_before}, after {load_average()}; Lighthouse {any_figures['lighthouse']}; "
          f"{any_figures['chromium']}")
    for name, figures in results.items():
        page, form = name.split(", ")
        print_table(rows(page, form, figures, args.runs))
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"lighthouse-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(results, indent=1))
    print(f"(medians: {path.relative_to(RESULTS_DIR.parent.parent)}; the last report of each: "
          f"{RESULTS_DIR.relative_to(RESULTS_DIR.parent.parent)}/lighthouse-*.json)")


if __name__ == "__main__":
    main()
