"""The one place where configuration is read: environment variables with defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from statistics import NormalDist
from typing import TypeVar

PROJECT_ROOT = Path(__file__).resolve().parent.parent

LANGUAGES: tuple[str, ...] = ("en", "nb", "da", "sv", "fi", "is")

N = TypeVar("N", int, float)


def _env_number(name: str, default: N, kind: type[N], what: str) -> N:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return kind(raw)
    except ValueError as exc:
        raise SystemExit(f"Configuration error: {name}={raw!r} is not {what}") from exc


def _env_float(name: str, default: float) -> float:
    return _env_number(name, default, float, "a number")


def _env_int(name: str, default: int) -> int:
    return _env_number(name, default, int, "a whole number")


def _env_list(name: str, default: str) -> tuple[str, ...]:
    """A comma-separated variable as its entries, lower-cased and stripped (the default when unset)."""
    raw = os.environ.get(name) or default
    return tuple(part.strip().lower() for part in raw.split(",") if part.strip())


# the addresses a development server is reached at: loopback names, any port
LOOPBACK_HOSTS = "localhost:*,127.0.0.1:*,[::1]:*"


@dataclass(frozen=True)
class Settings:
    """Runtime settings; every field comes from one environment variable."""

    database_url: str | None = field(default_factory=lambda: os.environ.get("DATABASE_URL") or None)
    readonly_database_url: str | None = field(
        default_factory=lambda: os.environ.get("READONLY_DATABASE_URL") or None
    )
    pgdata: Path = field(
        default_factory=lambda: Path(os.environ.get("BAROMETER_PGDATA", PROJECT_ROOT / ".pgdata"))
    )
    embedded_database: str = field(default_factory=lambda: os.environ.get("BAROMETER_DB_NAME", "barometer"))
    data_dir: Path = field(default_factory=lambda: Path(os.environ.get("BAROMETER_DATA", PROJECT_ROOT / "data")))
    min_cell_n: int = field(default_factory=lambda: _env_int("MIN_CELL_N", 10))
    # every interval, verdict and method text derives from this one level and its z (confidence_z)
    confidence_level: float = 0.95
    redis_url: str | None = field(default_factory=lambda: os.environ.get("REDIS_URL") or None)
    cache_dir: Path = field(
        default_factory=lambda: Path(os.environ.get("BAROMETER_CACHE_DIR", PROJECT_ROOT / ".cache" / "app"))
    )
    cache_timeout_s: int = field(default_factory=lambda: _env_int("CACHE_TIMEOUT", 3600))
    host: str = field(default_factory=lambda: os.environ.get("HOST", "127.0.0.1"))
    port: int = field(default_factory=lambda: _env_int("PORT", 8050))
    workers: int = field(default_factory=lambda: _env_int("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1))
    web_threads: int = field(default_factory=lambda: _env_int("WEB_THREADS", 2))  # gunicorn threads per worker
    # admission control (app/web/admission.py): a page that waited longer than this in its worker's queue for a
    # thread (other requests: 4 times as long, at least 0.5 s) is answered 503 with Retry-After at once, instead
    # of waiting on into timeouts (0: never). 20 ms rather than 50: the shorter queue served more visitors,
    # faster, and shed fewer (docs/performance.md, "A newspaper link")
    admission_wait_ms: int = field(default_factory=lambda: _env_int("ADMISSION_WAIT_MS", 20))
    # connections the kernel may hold for gunicorn before it accepts them (gunicorn --backlog)
    web_backlog: int = field(default_factory=lambda: _env_int("WEB_BACKLOG", 2048))
    public_url: str | None = field(default_factory=lambda: os.environ.get("PUBLIC_URL") or None)
    # without PUBLIC_URL, the request's Host (host[:port], as browsers send it) that links, citations and QR
    # codes may name: 'host' (default port only), 'host:port', 'host:*' (any port), '*' (any host); any other
    # Host is never written into an answer (anyone can send one, and a caching proxy would keep it)
    trusted_hosts: tuple[str, ...] = field(default_factory=lambda: _env_list("TRUSTED_HOSTS", LOOPBACK_HOSTS))
    # how many reverse proxies in front of the app to believe about X-Forwarded-Host/-Proto/-Port/-For
    # (0: none, the headers are ignored, since anyone can send them)
    trusted_proxies: int = field(default_factory=lambda: _env_int("TRUSTED_PROXIES", 0))
    # the one write path of the app (short links, decks): a role that may only add short links and keep decks;
    # unset, the URL the app was started with (DATABASE_URL) is used
    links_database_url: str | None = field(default_factory=lambda: os.environ.get("LINKS_DATABASE_URL") or None)
    etl_workers: int = field(default_factory=lambda: _env_int("ETL_WORKERS", min(4, os.cpu_count() or 1)))
    # records of a raw file read and harmonised at a time: bounds the memory a large wave takes while read
    etl_chunk_rows: int = field(default_factory=lambda: _env_int("ETL_CHUNK_ROWS", 20_000))
    # dashboard database access: pool size, seconds to wait for a connection, per-statement limit
    app_pool_max_size: int = field(default_factory=lambda: _env_int("APP_DB_POOL_MAX", 4))
    app_pool_timeout_s: int = field(default_factory=lambda: _env_int("APP_DB_TIMEOUT", 5))
    app_statement_timeout_ms: int = field(default_factory=lambda: _env_int("APP_STATEMENT_TIMEOUT_MS", 10000))
    # seconds a new connection may take (libpq's connect_timeout, at least 2): bounds each reconnect attempt
    app_connect_timeout_s: int = field(default_factory=lambda: _env_int("APP_DB_CONNECT_TIMEOUT", 2))
    # request bodies: the largest any route reads, and the smaller limit of the JSON API (decks); a larger
    # body is refused with 413 before it is read
    max_content_length: int = field(default_factory=lambda: _env_int("MAX_CONTENT_LENGTH", 1_048_576))
    api_max_content_length: int = field(default_factory=lambda: _env_int("API_MAX_CONTENT_LENGTH", 32_768))
    # how long a worker trusts its idea of the loaded data before asking the database again (cache keys
    # carry this data version, so a new ETL run shows up without clearing the cache)
    app_data_version_ttl_s: int = field(default_factory=lambda: _env_int("APP_DATA_VERSION_TTL", 5))
    default_language: str = field(default_factory=lambda: os.environ.get("DEFAULT_LANGUAGE", "en"))
    # seconds a browser or caching proxy may reuse an answer of the data API, a download or a page shell
    # without asking again; after that it revalidates with its ETag (a new ETL run changes every data ETag)
    http_max_age_s: int = field(default_factory=lambda: _env_int("HTTP_MAX_AGE", 10))
    # megabytes each worker may spend on answers of pure callbacks (app/web/caching/callbacks.py), and as much again on
    # their compressed forms: an audience changing the same view is then answered without running it again
    callback_cache_mb: int = field(default_factory=lambda: _env_int("CALLBACK_CACHE_MB", 32))
    # new decks accepted per hour from one visitor address (counted in the shared cache: Redis when REDIS_URL is
    # set, so across every worker and machine) and for the whole site (counted in Postgres)
    decks_per_address_hour: int = field(default_factory=lambda: _env_int("DECKS_PER_ADDRESS_HOUR", 20))
    decks_per_hour: int = field(default_factory=lambda: _env_int("DECKS_PER_HOUR", 500))
    # official statistics tables: Statistics Denmark's StatBank API, and how long a download may wait
    statbank_api_url: str = field(
        default_factory=lambda: os.environ.get("STATBANK_API_URL", "https://api.statbank.dk/v1").rstrip("/")
    )
    fetch_timeout_s: float = field(default_factory=lambda: _env_float("FETCH_TIMEOUT", 10.0))

    @property
    def alpha(self) -> float:
        """The error rate of every interval and of each family of differences: 1 - confidence level."""
        return round(1.0 - self.confidence_level, 12)

    @property
    def confidence_z(self) -> float:
        """The two-sided normal quantile of the confidence level: the one z of every interval."""
        return NormalDist().inv_cdf(0.5 + self.confidence_level / 2)

    @property
    def catalogue_dir(self) -> Path:
        return self.data_dir / "catalogue"

    @property
    def codebook_dir(self) -> Path:
        return self.data_dir / "codebooks"

    @property
    def demo_spec_dir(self) -> Path:
        return self.data_dir / "demo_specs"

    @property
    def official_mapping_dir(self) -> Path:
        """Mapping YAMLs of official statistics tables, one per table id."""
        return self.data_dir / "official" / "mappings"

    @property
    def official_snapshot_dir(self) -> Path:
        """Snapshots of official tables: <table id>/<retrieval time>/ with the raw file and its provenance."""
        return self.data_dir / "official" / "snapshots"

    @property
    def published_figures_file(self) -> Path:
        return self.data_dir / "published" / "published_figures.yaml"

    @property
    def known_waves_file(self) -> Path:
        """Waves known from publications: published-only and announced waves, and facts about loaded ones."""
        return self.data_dir / "published" / "waves.yaml"


def get_settings() -> Settings:
    """Settings as the environment says now (read on each call so tests can change the environment)."""
    return Settings()
