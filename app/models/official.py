"""Official statistics of one country: the cells of its official tables for one indicator option, by
government level and wave, with each table's citation, licence and how it was obtained.

These are figures as a statistics office published them: never demo, and without a CI unless the table
publishes one."""

from __future__ import annotations

from dataclasses import dataclass

from app.data import queries
from app.data.db import Database
from app.site.params import Known


@dataclass(frozen=True)
class OfficialCell:
    wave_label: str
    level: str
    level_label: str
    value: float | None
    ci_low: float | None
    ci_high: float | None
    status: str | None  # the publisher's symbol where it publishes no figure


@dataclass(frozen=True)
class OfficialTable:
    table_id: str
    publisher: str
    title_en: str
    unit: str
    measure: str
    citation: str
    licence: str
    licence_url: str | None
    source_url: str
    retrieved_at: str
    transcribed: bool  # typed by hand from a publication, not downloaded
    cells: tuple[OfficialCell, ...]

    @property
    def waves(self) -> list[str]:
        return sorted({c.wave_label for c in self.cells})


def official_tables(db: Database, known: Known, *, country: str, indicator: str, option: str,
                    lang: str) -> list[OfficialTable]:
    """Tables of ``country`` with cells of ``indicator``/``option`` for the whole sector and every size,
    cells ordered by wave and catalogue order of the government levels."""
    ref = known.ref
    rows = [r for r in queries.official_values(db, countries=[country], indicator=indicator, option=option)
            if r["sector"] == "all" and r["size"] == "all"]
    level_order = {code: i for i, code in enumerate(ref.levels)}
    tables: dict[str, OfficialTable] = {}
    for r in rows:
        if r["table_id"] not in tables:
            tables[r["table_id"]] = OfficialTable(
                table_id=r["table_id"], publisher=r["publisher"], title_en=r["title_en"], unit=r["unit"],
                measure=r["measure"], citation=r["citation"], licence=r["licence"], licence_url=r["licence_url"],
                source_url=r["source_url"], retrieved_at=r["retrieved_at"],
                transcribed=r["obtained_by"] == "transcription", cells=())
    result = []
    for table in tables.values():
        cells = sorted((OfficialCell(r["wave_label"], r["level"], ref.label("government_level", r["level"], lang),
                                     r["value"], r["ci_low"], r["ci_high"], r["status"])
                        for r in rows if r["table_id"] == table.table_id),
                       key=lambda c: (c.wave_label, level_order.get(c.level, len(level_order))))
        result.append(OfficialTable(**{**table.__dict__, "cells": tuple(cells)}))
    return result
