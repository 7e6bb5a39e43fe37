"""Query-result cache: Redis when REDIS_URL is set, else a filesystem cache shared by all gunicorn workers."""

from __future__ import annotations

from flask import Flask
from flask_caching import Cache

from core.config import Settings


def cache_config(settings: Settings) -> dict[str, object]:
    if settings.redis_url:
        return {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": settings.redis_url,
                "CACHE_KEY_PREFIX": "barometer-app:", "CACHE_DEFAULT_TIMEOUT": settings.cache_timeout_s}
    settings.cache_dir.mkdir(parents=True, exist_ok=True)
    return {"CACHE_TYPE": "FileSystemCache", "CACHE_DIR": str(settings.cache_dir), "CACHE_THRESHOLD": 5000,
            "CACHE_DEFAULT_TIMEOUT": settings.cache_timeout_s}


def make_cache(server: Flask, settings: Settings) -> Cache:
    return Cache(server, config=cache_config(settings))
