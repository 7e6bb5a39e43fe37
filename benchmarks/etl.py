"""ETL benchmark: rows loaded, seconds, and the speed-up of COPY over a pandas `to_sql` load of the same rows.

Usage: python benchmarks/etl.py [--repeat N]
Runs against a throwaway embedded PostgreSQL (or BENCH_DATABASE_URL, a server where databases may be
created) and prints one table. Nothing here touches the project's own database.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql
from sqlalchemy import create_engine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from barometer.config import get_settings  # noqa: E402
from barometer.database import sqlalchemy_url, start_embedded_server  # noqa: E402
from barometer.migrate import upgrade  # noqa: E402
from etl.aggregate import compute_estimates  # noqa: E402
from etl.catalogue import get_catalogue  # noqa: E402
from etl.codebook import discover_codebooks, load_codebook  # noqa: E402
from etl.pipeline import extract_and_harmonise, run_etl  # noqa: E402


def fresh_database(admin_url: str) -> str:
    name = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return urlunsplit(urlsplit(admin_url)._replace(path=f"/{name}"))


def time_pipeline(admin_url: str) -> tuple[float, int]:
    """Seconds for the full ETL of all bundled data into a migrated empty database, and rows loaded."""
    url = fresh_database(admin_url)
    upgrade(url)
    started = time.perf_counter()
    results = run_etl(url, settings=get_settings())
    seconds = time.perf_counter() - started
    return seconds, sum(r.respondents + r.answers + r.estimates for r in results)


def harmonised_frames():
    settings = get_settings()
    catalogue = get_catalogue()
    for path in discover_codebooks(settings.codebook_dir):
        codebook = load_codebook(path, catalogue)
        data, _ = extract_and_harmonise(codebook, catalogue, settings)
        estimates = compute_estimates(data, min_n=settings.min_cell_n, z=settings.confidence_z)
        yield codebook, data, estimates


def prepared_database(admin_url: str) -> str:
    """A migrated database with the catalogue and published figures loaded, as before any wave."""
    from etl.published import figures_checksum, load_published, load_published_figures
    from etl.reference import catalogue_checksum, load_reference

    settings = get_settings()
    url = fresh_database(admin_url)
    upgrade(url)
    with psycopg.connect(url) as conn, conn.transaction():
        load_reference(conn, get_catalogue(), catalogue_checksum(settings.catalogue_dir))
        load_published(conn, load_published_figures(settings.published_figures_file, get_catalogue()),
                       figures_checksum(settings.published_figures_file))
    return url


def time_copy_and_to_sql(admin_url: str) -> tuple[float, float, int]:
    """Load stage only, the same rows into the same tables: our COPY loader vs pandas DataFrame.to_sql."""
    from etl.load import SourceFingerprint, _upsert_wave
    from etl.pipeline import PreparedWave, load_all

    settings = get_settings()
    frames = list(harmonised_frames())
    rows = sum(len(d.respondents) + len(d.answers) + len(e) for _, d, e in frames)

    url = prepared_database(admin_url)
    waves = [PreparedWave(codebook, SourceFingerprint(codebook.source.file, "0" * 64, len(data.respondents)),
                          data, estimates) for codebook, data, estimates in frames]
    started = time.perf_counter()
    _, failures = load_all(waves, url, settings, lambda _message: None)
    assert not failures, failures
    copy_seconds = time.perf_counter() - started

    url = prepared_database(admin_url)
    with psycopg.connect(url) as conn, conn.transaction():
        wave_ids = [_upsert_wave(conn, codebook) for codebook, _, _ in frames]
    engine = create_engine(sqlalchemy_url(url))
    started = time.perf_counter()
    for wave_id, (_, data, estimates) in zip(wave_ids, frames, strict=True):
        with engine.begin() as connection:
            for table, frame in (("respondent", data.respondents), ("answer", data.answers),
                                 ("estimate", estimates)):
                frame.assign(wave_id=wave_id).to_sql(table, connection, if_exists="append", index=False)
    to_sql_seconds = time.perf_counter() - started
    engine.dispose()
    return copy_seconds, to_sql_seconds, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement (median reported)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        admin_url = os.environ.get("BENCH_DATABASE_URL")
        server = None
        if not admin_url:
            server = start_embedded_server(Path(tmp) / "pg", cleanup="delete")
            admin_url = server.get_uri()
        pipeline = [time_pipeline(admin_url) for _ in range(args.repeat)]
        loads = [time_copy_and_to_sql(admin_url) for _ in range(args.repeat)]
        if server is not None:
            server.cleanup()

    pipeline_s = statistics.median(p[0] for p in pipeline)
    copy_s = statistics.median(x[0] for x in loads)
    to_sql_s = statistics.median(x[1] for x in loads)
    rows = pipeline[0][1]
    print(f"{'measure':<44}{'value':>14}")
    print("-" * 58)
    print(f"{'rows loaded (respondents+answers+estimates)':<44}{rows:>14,}")
    print(f"{'full ETL of all bundled data, s':<44}{pipeline_s:>14.2f}")
    print(f"{'load stage, COPY (psycopg 3), s':<44}{copy_s:>14.2f}")
    print(f"{'load stage, pandas to_sql, s':<44}{to_sql_s:>14.2f}")
    print(f"{'to_sql / COPY ratio':<44}{to_sql_s / copy_s:>14.1f}x")
    print(f"{'COPY rows per second':<44}{rows / copy_s:>14,.0f}")
    print(f"(median of {args.repeat} runs; both load the same rows into the same tables; "
          f"COPY loads {get_settings().etl_workers} waves at a time, each in its own transaction)")


if __name__ == "__main__":
    main()
