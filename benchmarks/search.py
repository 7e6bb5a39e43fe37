"""Search benchmark: server time of /api/v1/search (the header's search box) on the loaded database.

Usage: python benchmarks/search.py [--repeat N]
Runs the app in this process (Flask's test client: no network, so the time is the server's) on DATABASE_URL or
the embedded database (`barometer up` or `barometer etl run` first). Prints the time of the first query (the
index is built then, once per data version and worker) and, per query of the six languages, the median and p95
of N warm answers in milliseconds. The target is under 50 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.factory import create_app  # noqa: E402
from core.config import Settings  # noqa: E402
from core.database import resolve_database_url  # noqa: E402

QUERIES = [("en", "citizens Iceland"), ("nb", "samarbeid med private"), ("da", "borgere Island"),
           ("sv", "privata företag Finland"), ("fi", "yksityiset"), ("is", "einkafyrirtæki Ísland"),
           ("en", "e"), ("nb", "innovasjon")]  # the last two: short words that match much


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        app = create_app(resolve_database_url(), settings=Settings(cache_dir=Path(cache), readonly_database_url=None))
        client = app.server.test_client()

        def ask(lang: str, query: str) -> float:
            began = time.perf_counter()
            response = client.get("/api/v1/search", query_string={"lang": lang, "q": query, "limit": 8})
            elapsed = (time.perf_counter() - began) * 1000
            assert response.status_code == 200, response.status_code
            return elapsed

        print(f"first query (builds the index): {ask(*QUERIES[0]):.1f} ms")
        print(f"{'query':32} {'median ms':>10} {'p95 ms':>8}")
        worst = 0.0
        for lang, query in QUERIES:
            times = sorted(ask(lang, query) for _ in range(args.repeat))
            p95 = times[int(0.95 * (len(times) - 1))]
            worst = max(worst, p95)
            print(f"{lang + ': ' + query:32} {statistics.median(times):10.2f} {p95:8.2f}")
        print(f"worst p95: {worst:.2f} ms (target < 50 ms)")
        app.server.extensions["barometer_db"].close()


if __name__ == "__main__":
    main()
