"""Data & methods: provenance of every wave, comparability notes, published figures."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.data import queries
from app.data.db import Database
from app.data.queries import Wave
from app.i18n import t
from app.i18n.texts import text_in
from app.site.params import Known
from core.config import PROJECT_ROOT


@dataclass
class Sources:
    waves: list[Wave]
    notes: list[dict[str, Any]]
    published: list[dict[str, Any]]
    lang: str = "en"  # the language of the notes and descriptions


def build_sources(db: Database, known: Known, lang: str = "en") -> Sources:
    waves = list(known.waves)
    ids = [w.id for w in waves]
    return Sources(waves=waves, notes=queries.comparability_notes(db, wave_ids=ids, lang=lang) if ids else [],
                   published=queries.published_figures(db), lang=lang)


def relative_path(path: str | None) -> str:
    """A codebook path as shown: stored relative to the data folder, or (loads before migration 0003)
    absolute, then relative to the project (no server paths leak)."""
    if not path:
        return ""
    candidate = Path(path)
    if not candidate.is_absolute():
        return path
    try:
        return str(candidate.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return candidate.name


def sources_records(sources: Sources) -> list[dict[str, Any]]:
    records = []
    for w in sources.waves:
        records.append({
            "country_code": w.country, "programme": w.programme, "wave": w.wave_label, "wave_key": w.key,
            "publisher": w.publisher, "reference_period": text_in(w.texts_of("reference_period"), sources.lang),
            "fieldwork_start": w.fieldwork_start.isoformat() if w.fieldwork_start else None,
            "fieldwork_end": w.fieldwork_end.isoformat() if w.fieldwork_end else None,
            "unit_of_observation": w.unit_of_observation,
            "population": text_in(w.texts_of("population"), sources.lang), "invited": w.invited,
            "responded": w.responded, "nordic_round": w.nordic_round, "is_demo": w.is_demo,
            "citation": w.citation, "source_url": w.source_url, "licence": w.licence,
            "file_format": w.file_format, "source_file": w.source_path, "source_sha256": w.source_sha256,
            "source_rows": w.source_rows, "loaded_at": w.loaded_at.isoformat() if w.loaded_at else None,
            "codebook": relative_path(w.codebook_path), "codebook_sha256": w.codebook_sha256,
            "min_cell_n": w.min_cell_n,
            # in the page's language (English where a note has no translation), each led by its aspect in words
            "comparability_notes": " | ".join(f"[{t(sources.lang, 'aspect_' + n['aspect'])}] {n['note']}"
                                              for n in sources.notes if n["wave_id"] == w.id),
        })
    return records
