"""Waves known from publications (data/published/waves.yaml): bad entries are refused naming the wave and the
problem; a wave is 'microdata' exactly when it has a codebook; the loaded tables hold the file."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
import yaml

from core.config import get_settings
from etl.catalogue import get_catalogue
from etl.codebook import discover_codebooks, load_codebook
from etl.errors import EtlError
from etl.known_waves import check_against_codebooks, load_known_waves

SETTINGS = get_settings()
CATALOGUE = get_catalogue()
GOOD = {"country": "IS", "programme": "Nýsköpunarvogin", "wave_label": "2025", "status": "announced",
        "level": "state", "citation": "c", "source_url": "https://example.org/",
        "facts": [{"kind": "responses", "value": 10, "citation": "c", "source_url": "https://example.org/"}]}


def _write(tmp_path: Path, *waves: dict) -> Path:
    path = tmp_path / "waves.yaml"
    path.write_text(yaml.safe_dump({"waves": list(waves)}, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(("change", "problem"), [
    ({"status": "rumoured"}, "status must be one of"),
    ({"country": "XX"}, "unknown country 'XX'"),
    ({"level": "federal"}, "unknown level 'federal'"),
    ({"unit": "household"}, "unknown unit 'household'"),
    ({"citation": None}, "needs level, citation and source_url"),
    ({"facts": [{"kind": "respondents", "value": 1, "citation": "c", "source_url": "u"}]}, "fact kind must be"),
    ({"facts": [{"kind": "response_rate", "value": 130, "citation": "c", "source_url": "u"}]}, "percentage"),
    ({"facts": [{"kind": "asked", "value": 5}]}, "citation and source_url are required"),
    ({"wave_label": None}, "missing wave_label"),
])
def test_a_bad_entry_is_refused_naming_the_wave_and_the_problem(tmp_path: Path, change: dict, problem: str) -> None:
    path = _write(tmp_path, {**GOOD, **change})
    with pytest.raises(EtlError, match=problem) as error:
        load_known_waves(path, CATALOGUE)
    assert "wave 'IS Nýsköpunarvogin" in str(error.value) or "wave 'XX" in str(error.value)
    assert error.value.file == str(path)


def test_a_wave_listed_twice_is_refused(tmp_path: Path) -> None:
    with pytest.raises(EtlError, match="listed twice"):
        load_known_waves(_write(tmp_path, GOOD, GOOD), CATALOGUE)


def test_the_bundled_statuses_match_the_codebooks(tmp_path: Path) -> None:
    books = [load_codebook(p, CATALOGUE) for p in discover_codebooks(SETTINGS.codebook_dir, None)]
    loaded = {(b.wave.country, b.wave.programme, b.wave.wave_label) for b in books}
    waves = load_known_waves(SETTINGS.known_waves_file, CATALOGUE)
    check_against_codebooks(waves, loaded, SETTINGS.known_waves_file)
    assert all(w.key in loaded for w in waves if w.status == "microdata")
    # a wave said to be published only, for which a codebook is loaded, is refused
    published = load_known_waves(_write(tmp_path, {**GOOD, "wave_label": "2021", "status": "published"}), CATALOGUE)
    with pytest.raises(EtlError, match="status 'published', but it has a codebook"):
        check_against_codebooks(published, loaded, tmp_path / "waves.yaml")


@pytest.mark.db
def test_the_loaded_tables_hold_the_file(loaded_db: str) -> None:
    waves = load_known_waves(SETTINGS.known_waves_file, CATALOGUE)
    with psycopg.connect(loaded_db) as conn:
        rows = conn.execute("SELECT country_code, programme, wave_label, status FROM known_wave ORDER BY id").fetchall()
        facts = conn.execute("SELECT count(*) FROM known_wave_fact").fetchone()[0]
    assert [tuple(r) for r in rows] == [(w.country, w.programme, w.wave_label, w.status) for w in waves]
    assert facts == sum(len(w.facts) for w in waves)


def test_a_data_folder_without_the_file_knows_no_waves(tmp_path: Path) -> None:
    assert load_known_waves(tmp_path / "waves.yaml", CATALOGUE) == []
