"""ETL benchmark: one wave at 1x, 10x and 100x its rows (rows/s, peak memory), then rows loaded, seconds, and
the speed-up of COPY over a pandas `to_sql` load of the same rows.

Usage: python benchmarks/etl.py [--repeat N] [--scale-only]
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

from core.config import get_settings  # noqa: E402
from core.database import sqlalchemy_url, start_embedded_server  # noqa: E402
from core.migrate import upgrade  # noqa: E402
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


def waves_ready_for_rows(admin_url: str, frames: list) -> tuple[str, list[int]]:
    """A prepared database whose survey_wave rows exist, so that bulk rows can be inserted under them."""
    from etl.load import _upsert_wave

    url = prepared_database(admin_url)
    with psycopg.connect(url) as conn, conn.transaction():
        wave_ids = [_upsert_wave(conn, codebook) for codebook, _, _ in frames]
    return url, wave_ids


def bulk_tables(wave_id: int, data, estimates) -> list[tuple[str, object, list[str]]]:
    from etl.aggregate import ESTIMATE_COLUMNS
    from etl.harmonise import ANSWER_COLUMNS, RESPONDENT_COLUMNS

    answers = data.answers.sort_values(["indicator_code", "option_code", "national_id"])  # as the loader does
    return [("respondent", data.respondents.assign(wave_id=wave_id), ["wave_id", *RESPONDENT_COLUMNS]),
            ("answer", answers.assign(wave_id=wave_id), ["wave_id", *ANSWER_COLUMNS]),
            ("estimate", estimates.assign(wave_id=wave_id), ["wave_id", *ESTIMATE_COLUMNS])]


def time_bulk_copy(admin_url: str, frames: list) -> float:
    """The same rows as to_sql, the same tables, one transaction per wave, one wave after another: COPY."""
    from etl.load import copy_frame

    url, wave_ids = waves_ready_for_rows(admin_url, frames)
    started = time.perf_counter()
    for wave_id, (_, data, estimates) in zip(wave_ids, frames, strict=True):
        with psycopg.connect(url) as conn, conn.transaction():
            for table, frame, columns in bulk_tables(wave_id, data, estimates):
                copy_frame(conn, table, frame, columns)
    return time.perf_counter() - started


def time_bulk_to_sql(admin_url: str, frames: list) -> float:
    """The same rows, tables and transactions through pandas DataFrame.to_sql (SQLAlchemy, psycopg 3)."""
    url, wave_ids = waves_ready_for_rows(admin_url, frames)
    engine = create_engine(sqlalchemy_url(url))
    started = time.perf_counter()
    for wave_id, (_, data, estimates) in zip(wave_ids, frames, strict=True):
        with engine.begin() as connection:
            for table, frame, columns in bulk_tables(wave_id, data, estimates):
                frame[columns].to_sql(table, connection, if_exists="append", index=False)
    seconds = time.perf_counter() - started
    engine.dispose()
    return seconds


def time_full_loader(admin_url: str, frames: list) -> float:
    """The real load stage: per-wave bookkeeping, estimates and cross-tabs, waves in parallel."""
    from etl.chunked import cross_tabs_by_item, harmonise_file
    from etl.load import SourceFingerprint
    from etl.pipeline import PreparedWave, load_all

    url = prepared_database(admin_url)
    settings = get_settings()
    waves = []
    for codebook, _, estimates in frames:
        wave = harmonise_file(codebook.source_path(settings.data_dir), codebook, get_catalogue(),
                              settings.etl_chunk_rows)
        cross_tabs = cross_tabs_by_item(wave, get_catalogue(), min_n=settings.min_cell_n, z=settings.confidence_z)
        waves.append(PreparedWave(codebook, SourceFingerprint(codebook.source.file, "0" * 64, len(wave.respondents)),
                                  wave, estimates, cross_tabs))
    started = time.perf_counter()
    _, failures = load_all(waves, url, settings, lambda _message: None)
    assert not failures, failures
    return time.perf_counter() - started


# --- scale: one wave at 1x, 10x and 100x its rows, through `barometer etl run` in a child process ---------

SCALE_CODEBOOK = Path("codebooks") / "se" / "2018.yaml"  # a Latin-1 CSV: the format a large national export takes
SCALES = (1, 10, 100)


def scaled_data_dir(root: Path, factor: int) -> tuple[Path, int]:
    """A data dir whose one wave is the bundled SE 2018 file repeated ``factor`` times (ids made unique)."""
    import shutil

    import yaml

    settings = get_settings()
    shutil.copytree(settings.catalogue_dir, root / "catalogue")
    shutil.copytree(settings.published_figures_file.parent, root / "published")
    book = yaml.safe_load((settings.data_dir / SCALE_CODEBOOK).read_text(encoding="utf-8"))
    source = settings.data_dir / book["source"]["file"]
    delimiter, id_column = book["source"]["delimiter"], book["respondent"]["id"]
    header, *rows = source.read_bytes().decode(book["source"]["encoding"]).splitlines()
    id_at = header.split(delimiter).index(id_column)
    target = root / "raw" / f"scaled_{factor}x.csv"
    target.parent.mkdir(parents=True)
    with target.open("w", encoding=book["source"]["encoding"], newline="\n") as out:
        out.write(header + "\n")
        for copy in range(factor):
            for row in rows:
                cells = row.split(delimiter)
                cells[id_at] = f"{cells[id_at]}-{copy}"
                out.write(delimiter.join(cells) + "\n")
    book["source"]["file"] = str(target.relative_to(root))
    (root / SCALE_CODEBOOK).parent.mkdir(parents=True)
    (root / SCALE_CODEBOOK).write_text(yaml.safe_dump(book, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target, len(rows) * factor


def tree_rss_bytes(pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc (0 once it is gone)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            status = (entry / "status").read_text()
        except OSError:
            continue
        parent = int(stat[stat.rindex(")") + 2 :].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
        kb = next((line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")), "0")
        rss[int(entry.name)] = int(kb) * 1024
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += rss.get(current, 0)
        todo += children.get(current, [])
    return total


def measure_scaled_run(admin_url: str, data_dir: Path) -> tuple[float, int, dict[str, int]]:
    """Seconds, peak resident memory of the run's process tree, and rows loaded by `barometer etl run`."""
    import subprocess

    url = fresh_database(admin_url)
    env = {**os.environ, "DATABASE_URL": url, "BAROMETER_DATA": str(data_dir), "COLUMNS": "200"}
    command = [sys.executable, "-c", "from barometer.cli import main; main()", "etl", "run"]
    started = time.perf_counter()
    run = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    peak = 0
    while run.poll() is None:
        peak = max(peak, tree_rss_bytes(run.pid))
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    output = run.stdout.read()
    if run.returncode != 0:
        raise SystemExit(f"etl run failed on {data_dir}:\n{output}")
    with psycopg.connect(url) as conn:
        counts = {table: conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))).fetchone()[0]
                  for table in ("respondent", "answer")}
    return seconds, peak, counts


def scale_report(admin_url: str, tmp: Path) -> None:
    print(f"{'wave at':<10}{'file MB':>9}{'respondents':>13}{'answer rows':>13}{'seconds':>9}{'answer rows/s':>15}"
          f"{'peak RSS MB':>13}{'RSS/file':>10}")
    print("-" * 92)
    seconds_at: dict[int, float] = {}
    for factor in SCALES:
        data_dir = tmp / f"scale{factor}"
        path, _ = scaled_data_dir(data_dir, factor)
        seconds, peak, counts = measure_scaled_run(admin_url, data_dir)
        seconds_at[factor] = seconds
        size = path.stat().st_size
        print(f"{f'{factor}x':<10}{size / 1e6:>9.1f}{counts['respondent']:>13,}{counts['answer']:>13,}{seconds:>9.1f}"
              f"{counts['answer'] / seconds:>15,.0f}{peak / 1e6:>13,.0f}{peak / size:>9.1f}x")
    print(f"(SE 2018 Latin-1 CSV repeated; one `barometer etl run` per size on an empty database, in a child "
          f"process; peak RSS = the run and its workers, sampled from /proc every 50 ms; "
          f"time 100x / 10x = {seconds_at[100] / seconds_at[10]:.1f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement (median reported)")
    parser.add_argument("--scale-only", action="store_true", help="only the 1x/10x/100x scale runs")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        admin_url = os.environ.get("BENCH_DATABASE_URL")
        server = None
        if not admin_url:
            server = start_embedded_server(Path(tmp) / "pg", cleanup="delete")
            admin_url = server.get_uri()
        scale_report(admin_url, Path(tmp))
        if args.scale_only:
            if server is not None:
                server.cleanup()
            return
        print()
        frames = list(harmonised_frames())
        pipeline = [time_pipeline(admin_url) for _ in range(args.repeat)]
        copies = [time_bulk_copy(admin_url, frames) for _ in range(args.repeat)]
        to_sqls = [time_bulk_to_sql(admin_url, frames) for _ in range(args.repeat)]
        loaders = [time_full_loader(admin_url, frames) for _ in range(args.repeat)]
        if server is not None:
            server.cleanup()

    rows = sum(len(d.respondents) + len(d.answers) + len(e) for _, d, e in frames)
    pipeline_s = statistics.median(p[0] for p in pipeline)
    copy_s, to_sql_s, loader_s = (statistics.median(x) for x in (copies, to_sqls, loaders))
    print(f"{'measure':<52}{'value':>14}")
    print("-" * 66)
    print(f"{'bulk rows (respondents + answers + estimates)':<52}{rows:>14,}")
    print(f"{'full ETL of all bundled data (read..load), s':<52}{pipeline_s:>14.2f}")
    print(f"{'load stage as run (bookkeeping, cross-tab, parallel), s':<52}{loader_s:>14.2f}")
    print(f"{'bulk rows by COPY (psycopg 3), s':<52}{copy_s:>14.2f}")
    print(f"{'bulk rows by pandas to_sql, s':<52}{to_sql_s:>14.2f}")
    print(f"{'to_sql / COPY ratio':<52}{to_sql_s / copy_s:>14.1f}x")
    print(f"{'COPY rows per second':<52}{rows / copy_s:>14,.0f}")
    print(f"(median of {args.repeat} runs; COPY and to_sql load the same rows into the same tables, one "
          "transaction per wave, one wave after another)")


if __name__ == "__main__":
    main()
