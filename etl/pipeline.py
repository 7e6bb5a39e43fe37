"""The one ETL pipeline every country and wave goes through: extract -> harmonise -> validate -> load.

All waves are read and harmonised before anything is written, so bad input anywhere stops the run with
nothing loaded; each wave is then loaded in its own transaction, and the Nordic average is computed once,
in one transaction, from every wave loaded by then.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pandas as pd
import psycopg

from core.config import Settings, get_settings
from core.database import connect, run_lock
from etl.catalogue import Catalogue, get_catalogue
from etl.chunked import cross_tabs_by_item, estimates_by_item, harmonise_file
from etl.codebook import Codebook, discover_codebooks, load_codebook
from etl.errors import EtlError, PartialLoadError
from etl.harmonise import Harmonised, HarmonisedWave, harmonise
from etl.known_waves import check_against_codebooks, known_waves_checksum, load_known, load_known_waves
from etl.load import (
    LoadResult,
    SourceFingerprint,
    check_round_free,
    data_relative,
    existing_wave_id,
    is_unchanged,
    load_wave,
)
from etl.official.load import load_official, prepare_official
from etl.processes import worker_pool
from etl.published import figures_checksum, load_published, load_published_figures
from etl.readers import read_source, require_source_file
from etl.reference import catalogue_checksum, catalogue_is_current, load_reference

Progress = Callable[[str], None]


@dataclass(frozen=True)
class PreparedWave:
    codebook: Codebook
    source: SourceFingerprint
    data: HarmonisedWave | None  # None when the wave is loaded already, unchanged
    estimates: pd.DataFrame | None
    cross_tabs: pd.DataFrame | None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def extract_and_harmonise(codebook: Codebook, catalogue: Catalogue, settings: Settings) -> tuple[Harmonised, int]:
    """Read the wave's raw file and apply its codebook (no database involved)."""
    path = codebook.source_path(settings.data_dir)
    table = read_source(path, codebook.source, codebook)
    return harmonise(table, codebook, catalogue), len(table.frame)


def prepare_wave(
    codebook: Codebook, catalogue: Catalogue, settings: Settings, database_url: str, *, force: bool
) -> PreparedWave:
    path = require_source_file(codebook, settings.data_dir)
    sha = file_sha256(path)
    relative = data_relative(path, settings.data_dir)
    with connect(database_url) as conn:
        check_round_free(conn, codebook, existing_wave_id(conn, codebook))
        if not force and is_unchanged(conn, codebook, SourceFingerprint(relative, sha, 0), settings.min_cell_n):
            return PreparedWave(codebook, SourceFingerprint(relative, sha, 0), None, None, None)
    data = harmonise_file(path, codebook, catalogue, settings.etl_chunk_rows)
    estimates = estimates_by_item(data, min_n=settings.min_cell_n, z=settings.confidence_z)
    cross_tabs = cross_tabs_by_item(data, catalogue, min_n=settings.min_cell_n, z=settings.confidence_z)
    return PreparedWave(codebook, SourceFingerprint(relative, sha, len(data.respondents)), data, estimates, cross_tabs)


def load_prepared(wave: PreparedWave, database_url: str, settings: Settings) -> LoadResult:
    with connect(database_url) as conn, conn.transaction():
        return load_wave(conn, wave.codebook, wave.source, wave.data, wave.estimates, settings.min_cell_n,
                         cross_tabs=wave.cross_tabs, data_dir=settings.data_dir)


def map_in_processes(function: Callable, items: list, workers: int) -> Iterator:
    """Results of ``function`` over ``items`` in their order, in worker processes when that can help."""
    if workers <= 1 or len(items) <= 1:
        yield from map(function, items)
        return
    with worker_pool(workers) as pool:
        yield from pool.map(function, items)


def load_all(waves: list[PreparedWave], database_url: str, settings: Settings,
             say: Progress) -> tuple[list[LoadResult], dict[str, Exception]]:
    """Load every wave, each in its own transaction, in parallel; collect failures instead of stopping."""
    results: list[LoadResult] = []
    failures: dict[str, Exception] = {}
    with ThreadPoolExecutor(max_workers=max(1, settings.etl_workers)) as pool:
        futures = {pool.submit(load_prepared, wave, database_url, settings): wave for wave in waves}
        for future in as_completed(futures):
            key = futures[future].codebook.key
            try:
                results.append(future.result())
                say(f"loaded {key}")
            except Exception as exc:  # noqa: BLE001 - reported per wave; that wave's transaction rolled back
                failures[key] = exc
                say(f"failed {key}")
    return results, failures


def check_rounds_within_run(codebooks: list[Codebook]) -> None:
    """A country has at most one wave per Nordic comparison round, also among the codebooks of one run."""
    taken: dict[tuple[str, int], Codebook] = {}
    for codebook in codebooks:
        if codebook.wave.nordic_round is None:
            continue
        key = (codebook.wave.country, codebook.wave.nordic_round)
        if key in taken:
            raise EtlError(f"nordic_round {key[1]} is also claimed by {taken[key].path}; a country has one wave "
                           "per Nordic comparison round", file=codebook.path, variable="wave.nordic_round")
        taken[key] = codebook


def _run_etl_holding_lock(
    database_url: str,
    *,
    countries: list[str] | None = None,
    codebook_paths: list[Path] | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
) -> list[LoadResult]:
    """Load the reference catalogue, the published figures, the official tables and every (selected) wave.

    Everything is read and validated before anything is written, so bad input anywhere leaves the
    database untouched. Waves are read in parallel processes (CPU-bound) and loaded in parallel
    connections, each wave in one transaction; if a wave then fails (e.g. a concurrent load holds its
    lock), PartialLoadError names the waves loaded and those left as they were.
    """
    settings = settings or get_settings()
    say = progress or (lambda _message: None)
    catalogue = get_catalogue(settings.catalogue_dir)
    paths = codebook_paths or discover_codebooks(settings.codebook_dir, countries)
    codebooks = [load_codebook(path, catalogue) for path in paths]
    check_rounds_within_run(codebooks)
    figures = load_published_figures(settings.published_figures_file, catalogue)
    known = load_known_waves(settings.known_waves_file, catalogue)
    check_against_codebooks(known, {(cb.wave.country, cb.wave.programme, cb.wave.wave_label) for cb in codebooks},
                            settings.known_waves_file)
    official = prepare_official(settings.official_snapshot_dir, settings.official_mapping_dir, catalogue)
    checksum = catalogue_checksum(settings.catalogue_dir)
    with connect(database_url) as conn:
        catalogue_changed = not catalogue_is_current(conn, checksum)

    prepare = partial(prepare_wave, catalogue=catalogue, settings=settings, database_url=database_url,
                      force=catalogue_changed)
    prepared = []
    for wave in map_in_processes(prepare, codebooks, settings.etl_workers):
        say(f"read {wave.codebook.key}")
        prepared.append(wave)

    with connect(database_url) as conn, conn.transaction():
        load_reference(conn, catalogue, checksum)
        load_published(conn, figures, figures_checksum(settings.published_figures_file))
        load_known(conn, known, known_waves_checksum(settings.known_waves_file))
        for table in load_official(conn, official, settings.data_dir):
            say(f"loaded official table {table}")

    unchanged = [LoadResult(w.codebook.key, "unchanged") for w in prepared if w.data is None]
    for result in unchanged:
        say(f"unchanged {result.wave_key}")
    results, failures = load_all([w for w in prepared if w.data is not None], database_url, settings, say)
    order = {cb.key: i for i, cb in enumerate(codebooks)}
    # a database error of one wave (its transaction rolled back) is reported with the others, naming what loaded
    unexpected = [exc for exc in failures.values() if not isinstance(exc, (EtlError, psycopg.Error))]
    if unexpected:
        raise unexpected[0]
    if failures:
        raise PartialLoadError(dict(sorted(failures.items(), key=lambda kv: order[kv[0]])),
                               sorted((r.wave_key for r in results), key=order.__getitem__))
    return sorted(results + unchanged, key=lambda r: order[r.wave_key])


def run_etl(database_url: str, *, wait: bool = True, progress: Progress | None = None, **options) -> list[LoadResult]:
    """Load the reference catalogue, the published figures and every (selected) wave, holding the run lock.

    Two runs never interleave their reads of what is loaded with their writes: a second run waits for the
    first (``progress`` is told so), or with ``wait=False`` raises RunInProgress. ``options`` are those of
    the loading itself: countries, codebook_paths, settings.
    """
    with run_lock(database_url, wait=wait, on_wait=progress):
        return _run_etl_holding_lock(database_url, progress=progress, **options)
