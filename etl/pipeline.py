"""The one ETL pipeline every country and wave goes through: extract -> harmonise -> validate -> load.

All waves are read and harmonised before anything is written, so bad input anywhere stops the run with
nothing loaded; each wave is then loaded in its own transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from barometer.config import Settings, get_settings
from barometer.database import connect
from etl.aggregate import compute_estimates
from etl.catalogue import Catalogue, get_catalogue
from etl.codebook import Codebook, discover_codebooks, load_codebook
from etl.harmonise import Harmonised, harmonise
from etl.load import LoadResult, SourceFingerprint, is_unchanged, load_wave
from etl.nordic import refresh_nordic_average
from etl.published import figures_checksum, load_published, load_published_figures
from etl.readers import read_source
from etl.reference import catalogue_checksum, load_reference
from etl.type_value import load_type_value, type_value_is_current

Progress = Callable[[str], None]


@dataclass(frozen=True)
class PreparedWave:
    codebook: Codebook
    source: SourceFingerprint
    data: Harmonised | None  # None when the wave is loaded already, unchanged
    estimates: pd.DataFrame | None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def extract_and_harmonise(codebook: Codebook, catalogue: Catalogue, settings: Settings) -> tuple[Harmonised, int]:
    """Read the wave's raw file and apply its codebook (no database involved)."""
    path = codebook.source_path(settings.data_dir)
    table = read_source(path, codebook.source)
    return harmonise(table, codebook, catalogue), len(table.frame)


def prepare_wave(
    codebook: Codebook, catalogue: Catalogue, settings: Settings, database_url: str, *, force: bool
) -> PreparedWave:
    path = codebook.source_path(settings.data_dir)
    if not path.exists():
        from etl.errors import EtlError

        raise EtlError(f"source file named by the codebook does not exist ({codebook.source.file})",
                       file=codebook.path, variable="source.file")
    sha = file_sha256(path)
    relative = str(path.relative_to(settings.data_dir.resolve())) if path.is_relative_to(
        settings.data_dir.resolve()) else str(path)
    if not force:
        with connect(database_url) as conn:
            if (is_unchanged(conn, codebook, SourceFingerprint(relative, sha, 0), settings.min_cell_n)
                    and type_value_is_current(conn, codebook)):
                return PreparedWave(codebook, SourceFingerprint(relative, sha, 0), None, None)
    data, rows = extract_and_harmonise(codebook, catalogue, settings)
    estimates = compute_estimates(data, min_n=settings.min_cell_n, z=settings.confidence_z)
    return PreparedWave(codebook, SourceFingerprint(relative, sha, rows), data, estimates)


def run_etl(
    database_url: str,
    *,
    countries: list[str] | None = None,
    codebook_paths: list[Path] | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
) -> list[LoadResult]:
    """Load the reference catalogue, the published figures and every (selected) wave."""
    settings = settings or get_settings()
    say = progress or (lambda _message: None)
    catalogue = get_catalogue(settings.catalogue_dir)
    paths = codebook_paths or discover_codebooks(settings.codebook_dir, countries)
    codebooks = [load_codebook(path, catalogue) for path in paths]
    figures = load_published_figures(settings.published_figures_file, catalogue)

    with connect(database_url) as conn, conn.transaction():
        catalogue_changed = load_reference(conn, catalogue, catalogue_checksum(settings.catalogue_dir))
        load_published(conn, figures, figures_checksum(settings.published_figures_file))

    prepared = []
    for codebook in codebooks:
        say(f"read {codebook.key}")
        prepared.append(prepare_wave(codebook, catalogue, settings, database_url, force=catalogue_changed))

    results = []
    for wave in prepared:
        if wave.data is None:
            results.append(LoadResult(wave.codebook.key, "unchanged"))
            say(f"unchanged {wave.codebook.key}")
            continue
        with connect(database_url) as conn, conn.transaction():
            result = load_wave(conn, wave.codebook, wave.source, wave.data, wave.estimates,
                               settings.min_cell_n)
            load_type_value(conn, wave.codebook, wave.data, min_n=settings.min_cell_n, z=settings.confidence_z)
            refresh_nordic_average(conn, settings.confidence_z)
        results.append(result)
        say(f"loaded {wave.codebook.key}")
    return results
