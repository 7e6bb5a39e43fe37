"""Waves known from publications (data/published/waves.yaml): published-only and announced waves with what their
sources state, and facts sources add to waves that have microdata here."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import yaml

from etl.catalogue import Catalogue
from etl.errors import EtlError
from etl.load_meta import already_loaded, record_loaded

STATUSES = ("microdata", "published", "announced")
FACT_KINDS = ("responses", "asked", "population", "response_rate")
FACT_RELATIONS = ("equal", "approx")


@dataclass(frozen=True)
class WaveFact:
    kind: str
    value: float
    relation: str
    citation: str
    source_url: str
    quote: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class KnownWave:
    country: str
    programme: str
    wave_label: str
    status: str
    level: str | None = None
    unit: str | None = None
    reference_period: str | None = None
    fieldwork: str | None = None
    results: str | None = None
    citation: str | None = None
    source_url: str | None = None
    note: str | None = None
    conflicts: str | None = None
    facts: tuple[WaveFact, ...] = field(default=())

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.country, self.programme, self.wave_label)


def _fact(entry: dict[str, Any], fail) -> WaveFact:
    fact = WaveFact(kind=entry.get("kind", "?"), value=entry.get("value"), relation=entry.get("relation", "equal"),
                    citation=entry.get("citation", ""), source_url=entry.get("source_url", ""),
                    quote=entry.get("quote"), note=entry.get("note"))
    if fact.kind not in FACT_KINDS:
        raise fail(f"fact kind must be one of {FACT_KINDS}, not {fact.kind!r}")
    if not isinstance(fact.value, (int, float)) or fact.value < 0:
        raise fail(f"fact {fact.kind}: value must be a number >= 0")
    if fact.kind == "response_rate" and fact.value > 100:
        raise fail("a response rate is a percentage (0-100)")
    if fact.relation not in FACT_RELATIONS:
        raise fail(f"fact {fact.kind}: relation must be one of {FACT_RELATIONS}")
    if not fact.citation or not fact.source_url:
        raise fail(f"fact {fact.kind}: citation and source_url are required")
    return fact


def load_known_waves(path: Path, catalogue: Catalogue) -> list[KnownWave]:
    """Read and check the known waves file; errors name the wave (country, programme, label) and the problem.
    A data folder without the file knows no waves beyond its codebooks."""
    if not path.exists():
        return []
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    waves: list[KnownWave] = []
    seen: set[tuple[str, str, str]] = set()
    for entry in raw["waves"]:
        name = f"{entry.get('country')} {entry.get('programme')} {entry.get('wave_label')}"

        def fail(problem: str, name: str = name) -> EtlError:
            return EtlError(f"wave {name!r}: {problem}", file=path)

        missing = [key for key in ("country", "programme", "wave_label", "status") if not entry.get(key)]
        if missing:
            raise fail(f"missing {', '.join(missing)}")
        wave = KnownWave(
            country=entry["country"], programme=entry["programme"], wave_label=str(entry["wave_label"]),
            status=entry["status"], level=entry.get("level"), unit=entry.get("unit"),
            reference_period=entry.get("reference_period"), fieldwork=entry.get("fieldwork"),
            results=entry.get("results"), citation=entry.get("citation"), source_url=entry.get("source_url"),
            note=entry.get("note"), conflicts=entry.get("conflicts"),
            facts=tuple(_fact(fact, fail) for fact in entry.get("facts") or []))
        if wave.key in seen:
            raise fail("listed twice")
        seen.add(wave.key)
        if wave.status not in STATUSES:
            raise fail(f"status must be one of {STATUSES}")
        if wave.country not in catalogue.countries:
            raise fail(f"unknown country {wave.country!r}")
        if wave.level is not None and wave.level not in catalogue.government_levels:
            raise fail(f"unknown level {wave.level!r}")
        if wave.unit is not None and wave.unit not in catalogue.units_of_observation:
            raise fail(f"unknown unit {wave.unit!r}")
        if wave.status != "microdata" and not (wave.citation and wave.source_url and wave.level):
            raise fail("a wave without microdata needs level, citation and source_url")
        waves.append(wave)
    return waves


def check_against_codebooks(waves: list[KnownWave], loaded: set[tuple[str, str, str]], path: Path) -> None:
    """A wave said to have no microdata ('published', 'announced') must have no codebook among those loaded."""
    for wave in waves:
        if wave.status != "microdata" and wave.key in loaded:
            raise EtlError(f"wave {' '.join(wave.key)!r}: status {wave.status!r}, but it has a codebook", file=path)


def known_waves_checksum(path: Path) -> str:
    return hashlib.sha256(path.read_bytes() if path.exists() else b"").hexdigest()


def load_known(conn: psycopg.Connection, waves: list[KnownWave], checksum: str) -> bool:
    """Replace the known_wave tables when the file changed; False when already loaded."""
    if already_loaded(conn, "known_waves_sha256", checksum):
        return False
    conn.execute("DELETE FROM known_wave")
    with conn.cursor() as cur:
        cur.executemany(
            """
            INSERT INTO known_wave (id, country_code, programme, wave_label, status, government_level_code,
                unit_of_observation, reference_period, fieldwork, results, citation, source_url, note, conflicts)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
            """,
            [(i, w.country, w.programme, w.wave_label, w.status, w.level, w.unit, w.reference_period, w.fieldwork,
              w.results, w.citation, w.source_url, w.note, w.conflicts) for i, w in enumerate(waves, start=1)],
        )
        cur.executemany(
            """
            INSERT INTO known_wave_fact (known_wave_id, sort_order, kind, value, relation, citation, source_url,
                quote, note)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)
            """,
            [(i, j, f.kind, f.value, f.relation, f.citation, f.source_url, f.quote, f.note)
             for i, w in enumerate(waves, start=1) for j, f in enumerate(w.facts)],
        )
    record_loaded(conn, "known_waves_sha256", checksum)
    return True
