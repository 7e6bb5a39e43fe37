"""The app's connection to the database: a read-only connection pool, the query cache and the data version.

Results are cached (flask-caching: Redis or a shared filesystem cache) under keys that carry a *data
version* (a digest of what the ETL loaded), so keys are equal across gunicorn workers and a new ETL run
is picked up without clearing the cache. Query functions (app/data/queries.py) are cached with :func:`memoised`.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import inspect
import json
import os
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, LiteralString, Protocol, TypeVar

import psycopg
from psycopg import sql
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool, PoolTimeout

from core.config import Settings, get_settings
from core.errors import DatabaseUnavailable

# Bump when the shape of cached results changes, so old cache entries are never read back.
CACHE_SCHEMA = "v1"

T = TypeVar("T")
Row = dict[str, Any]

# The pools opened in this process and not yet collected: pool -> the process that opened it. Weak, so a pool
# nobody holds any more is still stopped by its own finaliser.
_OPEN_POOLS: weakref.WeakKeyDictionary[ConnectionPool, int] = weakref.WeakKeyDictionary()
EXIT_CLOSE_TIMEOUT_S = 2.0
# When the database goes away, a request must not wait out the pool's whole timeout (APP_DB_TIMEOUT): after
# QUICK_WAIT_S without a pooled connection, one direct connection attempt tells a busy pool (wait on) from a
# database that is away (503 now). A worker that found it away answers 503 at once for DOWN_MEMO_S, then
# asks again; a direct attempt that succeeded is believed for PROBE_OK_MEMO_S, so a busy pool is not probed
# by every request.
QUICK_WAIT_S = 0.3
DOWN_MEMO_S = 2.0
PROBE_OK_MEMO_S = 1.0
UNREACHABLE = "The database cannot be reached right now."


def _close_pools_at_exit() -> None:
    """Close this process's pools when the interpreter exits (a gunicorn worker, a test run): their background
    workers would otherwise keep reconnecting, and logging each failure, to a database that is away until the
    very end. A pool inherited across a fork belongs to the parent and is left alone."""
    for pool, pid in list(_OPEN_POOLS.items()):
        if pid == os.getpid():
            try:
                pool.close(timeout=EXIT_CLOSE_TIMEOUT_S)
            except Exception:  # exiting anyway: never let one pool keep the others open
                pass


class CacheBackend(Protocol):
    """What the queries need of a cache (flask_caching.Cache and cachelib caches qualify)."""

    def get(self, key: str) -> Any: ...

    def set(self, key: str, value: Any, timeout: int | None = None) -> Any: ...


class Database:
    """A read-only connection pool plus the query cache; one per process (recreated after a fork)."""

    def __init__(self, url: str, *, settings: Settings | None = None, cache: CacheBackend | None = None) -> None:
        self.settings = settings or get_settings()
        # READONLY_DATABASE_URL, when set, wins over the URL the app was started with
        self.url = self.settings.readonly_database_url or url
        self.cache = cache
        self.fingerprint = hashlib.sha256(self.url.encode()).hexdigest()[:12]
        self._pool: ConnectionPool | None = None
        self._pool_pid: int | None = None
        self._lock = threading.Lock()
        self._version: tuple[float, str] | None = None
        self._kept: dict[str, tuple[str, Any]] = {}  # name -> (data version, value), see kept_in_process
        self._kept_lock = threading.Lock()
        # how often a statement found the database away: what was drawn meanwhile must not be kept (the
        # callback cache compares it before and after a callback)
        self.failures = 0
        self._down_until = 0.0  # monotonic time until which this worker takes the database as away
        self._probed_ok_at = -PROBE_OK_MEMO_S
        self._probe_lock = threading.Lock()

    def __repr__(self) -> str:  # stable, and never shows the URL (it may hold a password)
        return f"Database({self.fingerprint})"

    def _make_pool(self) -> ConnectionPool:
        options = (f"-c default_transaction_read_only=on "
                   f"-c statement_timeout={self.settings.app_statement_timeout_ms}")
        return ConnectionPool(
            self.url,
            min_size=1,
            max_size=max(1, self.settings.app_pool_max_size),
            timeout=self.settings.app_pool_timeout_s,
            # check every connection before lending it, so a restarted server costs one reconnect, not errors
            check=ConnectionPool.check_connection,
            kwargs={"autocommit": True, "options": options, "row_factory": dict_row,
                    "application_name": "barometer-app", "connect_timeout": self.settings.app_connect_timeout_s},
            reconnect_timeout=max(10.0, float(self.settings.app_pool_timeout_s)),
            open=False,
            name="barometer-app",
        )

    def pool(self) -> ConnectionPool:
        """The pool of this process (gunicorn forks after import, so a pool never crosses processes)."""
        with self._lock:
            if self._pool is None or self._pool_pid != os.getpid():
                self._pool = self._make_pool()
                self._pool.open(wait=False)
                self._pool_pid = os.getpid()
                _OPEN_POOLS[self._pool] = self._pool_pid
                # (re)registered last, so it runs first at exit (before, say, a database server being stopped)
                atexit.unregister(_close_pools_at_exit)
                atexit.register(_close_pools_at_exit)
            return self._pool

    def refuse_while_down(self) -> None:
        """DatabaseUnavailable at once while this worker recently found the database away (DOWN_MEMO_S)."""
        if time.monotonic() < self._down_until:
            raise DatabaseUnavailable(UNREACHABLE)

    def _answers(self) -> bool:
        """Whether the database takes a new connection now (one attempt at a time per worker, memoised)."""
        with self._probe_lock:
            now = time.monotonic()
            if now < self._down_until:
                return False
            if now - self._probed_ok_at < PROBE_OK_MEMO_S:
                return True
            try:
                psycopg.connect(self.url, autocommit=True, connect_timeout=self.settings.app_connect_timeout_s,
                                application_name="barometer-app-probe").close()
            except psycopg.Error:
                self._down_until = time.monotonic() + DOWN_MEMO_S
                return False
            self._probed_ok_at = time.monotonic()
            return True

    @contextmanager
    def connection(self) -> Iterator[psycopg.Connection]:
        """A connection of the pool, lent for the block; DatabaseUnavailable within about QUICK_WAIT_S when the
        database is away (at once while this worker knows it is), after APP_DB_TIMEOUT when the pool is busy."""
        self.refuse_while_down()
        pool = self.pool()
        quick = min(QUICK_WAIT_S, float(self.settings.app_pool_timeout_s))
        try:
            conn = pool.getconn(timeout=quick)
        except PoolTimeout:
            if not self._answers():
                self.failures += 1
                raise DatabaseUnavailable(UNREACHABLE) from None
            try:
                conn = pool.getconn(timeout=max(0.1, self.settings.app_pool_timeout_s - quick))
            except PoolTimeout as exc:
                self.failures += 1
                raise DatabaseUnavailable(UNREACHABLE) from exc
        try:
            yield conn
        finally:
            pool.putconn(conn)

    def fetch(self, query: LiteralString | sql.Composable,
              params: Mapping[str, Any] | Sequence[Any] = ()) -> list[Row]:
        """Run one read-only statement with bound parameters; rows as dicts."""
        try:
            with self.connection() as conn:
                return conn.execute(query, params).fetchall()
        except psycopg.OperationalError as exc:
            self.failures += 1
            raise DatabaseUnavailable(UNREACHABLE) from exc
        except psycopg.errors.UndefinedTable as exc:  # reachable, but not migrated yet: also "try again later"
            self.failures += 1
            raise DatabaseUnavailable("The database has no schema yet.") from exc

    def close(self) -> None:
        with self._lock:
            if self._pool is not None and self._pool_pid == os.getpid():
                self._pool.close()
            self._pool = None

    # -- caching -------------------------------------------------------------------------------------------

    def data_version(self) -> str:
        """Digest of what is loaded; re-read at most every APP_DATA_VERSION_TTL seconds."""
        now = time.monotonic()
        if self._version and now - self._version[0] < self.settings.app_data_version_ttl_s:
            return self._version[1]
        row = self.fetch(
            """
            SELECT coalesce((SELECT string_agg(wave_id || ':' || sha256 || ':' || min_cell_n || ':' || loaded_at,
                                               ',' ORDER BY wave_id) FROM source_file), '')
                   || '|' || coalesce((SELECT string_agg(key || '=' || value, ',' ORDER BY key)
                                       FROM load_meta), '') AS state
            """
        )[0]
        version = hashlib.sha256(row["state"].encode()).hexdigest()[:16]
        self._version = (now, version)
        return version

    def kept_in_process(self, name: str, load: Callable[[], T]) -> T:
        """``load()`` kept in this worker while the data version stays the same: for the small facts every
        request reads (the catalogue and the loaded waves), which would otherwise be unpickled from the shared
        cache several times per callback. Read-only values only: every request gets the same object. Without
        a cache (tests that count statements) it simply loads."""
        if self.cache is None:
            return load()
        version = self.data_version()
        with self._kept_lock:
            hit = self._kept.get(name)
        if hit is not None and hit[0] == version:
            return hit[1]
        value = self.cached(name, {}, load)
        with self._kept_lock:
            self._kept[name] = (version, value)
        return value

    def cached(self, name: str, params: Mapping[str, Any], load: Callable[[], T]) -> T:
        """``load()``, memoised under a key stable across processes: name, parameters, data version."""
        if self.cache is None:
            return load()
        payload = json.dumps(params, sort_keys=True, default=str)
        digest = hashlib.sha256(payload.encode()).hexdigest()[:24]
        key = f"barometer:{CACHE_SCHEMA}:{self.fingerprint}:{self.data_version()}:{name}:{digest}"
        try:
            hit = self.cache.get(key)
        except Exception:  # a cache outage must not take the app down; fall back to the database
            hit = None
        if hit is not None:
            return hit
        value = load()
        try:
            self.cache.set(key, value, timeout=self.settings.cache_timeout_s)
        except Exception:
            pass
        return value


def _key_value(value: Any) -> Any:
    """A parameter as part of a cache key and of the query: collections of codes sorted and deduplicated."""
    if isinstance(value, Iterable) and not isinstance(value, (str, bytes)):
        return sorted(set(value))
    return value


def memoised(name: str) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Cache a query function ``f(db, **params)`` under ``name`` and its parameters (see Database.cached).

    Collection parameters reach the function as sorted lists without duplicates, so equal requests share
    one cache entry and one statement."""

    def decorate(query: Callable[..., T]) -> Callable[..., T]:
        signature = inspect.signature(query)

        @functools.wraps(query)
        def cached_query(db: Database, *args: Any, **kwargs: Any) -> T:
            bound = signature.bind(db, *args, **kwargs)
            bound.apply_defaults()
            params = {k: _key_value(v) for k, v in bound.arguments.items() if k != "db"}
            return db.cached(name, params, lambda: query(db, **params))

        return cached_query

    return decorate
