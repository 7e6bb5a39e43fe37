"""Published figures: real numbers transcribed from national publications, with citations."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import psycopg
import yaml

from etl.catalogue import Catalogue
from etl.errors import EtlError
from etl.load_meta import already_loaded, record_loaded

RELATIONS = ("equal", "approx", "over", "under", "top")
UNITS = ("workplaces", "units", "organisations", "innovations", "evaluations", "other")


@dataclass(frozen=True)
class PublishedFigure:
    id: str
    country: str
    programme: str
    wave_label: str | None  # None: the source names no wave
    level: str
    sector: str
    indicator: str | None
    option: str | None
    measure_en: str
    value_pct: float | None
    relation: str
    top_rank: int | None
    n: int | None
    citation: str
    source_url: str
    note: str | None
    calibration_target: float | None
    unit: str
    wave_as_published: str | None = None
    scope: str | None = None
    quote: str | None = None

    @property
    def wave_stated(self) -> bool:
        return self.wave_label is not None


def load_published_figures(path: Path, catalogue: Catalogue) -> list[PublishedFigure]:
    """Read and check the published figures file; errors name the figure and the problem."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    figures: list[PublishedFigure] = []
    seen: set[str] = set()
    for entry in raw["figures"]:
        ident = entry.get("id", "?")

        def fail(problem: str, ident: str = ident) -> EtlError:
            return EtlError(f"figure {ident!r}: {problem}", file=path)

        if ident in seen:
            raise fail("id used twice")
        seen.add(ident)
        figure = PublishedFigure(
            id=ident, country=entry["country"], programme=entry["programme"],
            wave_label=None if entry.get("wave_label") is None else str(entry["wave_label"]),
            level=entry.get("level", "all"), sector=entry.get("sector", "all"),
            indicator=entry.get("indicator"), option=(str(entry["option"]) if "option" in entry else None),
            measure_en=entry["measure_en"], value_pct=entry.get("value_pct"), relation=entry["relation"],
            top_rank=entry.get("top_rank"), n=entry.get("n"), citation=entry["citation"],
            source_url=entry["source_url"], note=entry.get("note"),
            calibration_target=entry.get("calibration_target"), unit=entry.get("unit", ""),
            wave_as_published=entry.get("wave_as_published"), scope=entry.get("scope"), quote=entry.get("quote"),
        )
        if figure.unit not in UNITS:
            raise fail(f"unit must be one of {UNITS}")
        if not figure.wave_stated and not figure.wave_as_published:
            raise fail("a figure without wave_label needs wave_as_published saying that the source names no wave")
        if not figure.wave_stated and figure.calibration_target is not None:
            raise fail("a figure whose wave is not stated cannot be a calibration target of a wave")
        if figure.relation not in RELATIONS:
            raise fail(f"relation must be one of {RELATIONS}")
        if figure.relation == "top" and not figure.top_rank:
            raise fail("relation 'top' needs top_rank")
        if figure.indicator is not None:
            indicator = catalogue.indicators.get(figure.indicator)
            if indicator is None or figure.option not in indicator.option_codes:
                raise fail(f"unknown indicator/option {figure.indicator}.{figure.option}")
        if figure.level not in catalogue.government_levels or figure.sector not in catalogue.sectors:
            raise fail(f"unknown level {figure.level!r} or sector {figure.sector!r}")
        figures.append(figure)
    return figures


def figures_checksum(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_published(conn: psycopg.Connection, figures: list[PublishedFigure], checksum: str) -> bool:
    """Replace the published_estimate table when the file changed; False when already loaded."""
    if already_loaded(conn, "published_sha256", checksum):
        return False
    conn.execute("DELETE FROM published_estimate")
    with conn.cursor() as cur:
        cur.executemany(
            """
            INSERT INTO published_estimate (id, country_code, programme, wave_label, wave_id,
                government_level_code, sector_code, indicator_code, option_code, measure_en, value_pct,
                relation, top_rank, n, citation, source_url, note, wave_as_published, unit, scope, quote)
            VALUES (%s, %s, %s, %s,
                (SELECT id FROM survey_wave WHERE country_code = %s AND programme = %s AND wave_label = %s),
                %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
            """,
            [
                (f.id, f.country, f.programme, f.wave_label, f.country, f.programme, f.wave_label, f.level,
                 f.sector, f.indicator, f.option, f.measure_en, f.value_pct, f.relation, f.top_rank, f.n,
                 f.citation, f.source_url, f.note, f.wave_as_published, f.unit, f.scope, f.quote)
                for f in figures
            ],
        )
    record_loaded(conn, "published_sha256", checksum)
    return True
