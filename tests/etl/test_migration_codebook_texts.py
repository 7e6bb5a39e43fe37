"""Migration 0009 moves the English comparability notes into per-language texts and back on downgrade; the next
ETL run after an upgrade writes the codebooks' translations."""

from __future__ import annotations

import psycopg

from core.config import get_settings
from core.migrate import downgrade, upgrade
from etl.pipeline import run_etl


def fetch(url: str, query: str) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return sorted(conn.execute(query).fetchall(), key=repr)


ENGLISH_NOTES = ("SELECT n.wave_id, n.aspect, n.indicator_code, t.text FROM comparability_note n "
                 "JOIN comparability_note_text t ON t.note_id = n.id AND t.lang = 'en'")


def test_notes_survive_a_downgrade_and_the_translations_come_back_with_the_next_run(empty_db: str) -> None:
    settings = get_settings()
    run_etl(empty_db, codebook_paths=[settings.codebook_dir / "is" / "2021.yaml"], settings=settings)
    english = fetch(empty_db, ENGLISH_NOTES)
    icelandic = fetch(empty_db, "SELECT note_id, text FROM comparability_note_text WHERE lang = 'is'")
    assert len(english) == 9 and len(icelandic) == 9  # 8 notes of the codebook and its design statement
    assert ("Survey in 2021; innovations of the two years before.",) in [(row[3],) for row in english]
    assert fetch(empty_db, "SELECT response_rate_pct FROM survey_wave") == [(None,)]  # no source states it

    downgrade(empty_db, "0008")  # to the revision before 0009
    assert fetch(empty_db, "SELECT wave_id, aspect, indicator_code, note_en FROM comparability_note") == english
    assert fetch(empty_db, "SELECT count(*) FROM label WHERE kind = 'question'") == [(0,)]

    upgrade(empty_db)
    assert fetch(empty_db, ENGLISH_NOTES) == english
    assert fetch(empty_db, "SELECT count(*) FROM comparability_note_text WHERE lang <> 'en'") == [(0,)]
    assert fetch(empty_db, "SELECT field, text FROM survey_wave_text WHERE field = 'reference_period'") == [
        ("reference_period", "Innovations introduced in the two years before the 2021 survey")]
    # the upgrade marks the codebooks and catalogue as not yet loaded, so the next run writes the translations
    assert [r.status for r in run_etl(empty_db, countries=["IS"], settings=settings)] == ["loaded", "loaded"]
    assert len(fetch(empty_db, "SELECT note_id FROM comparability_note_text WHERE lang = 'is'")) == 9 + 7  # and IS 2018
    assert fetch(empty_db, "SELECT text FROM label WHERE kind = 'question' AND code = 'spreading' AND lang = 'fi'") == [
        ("Onko viimeisin innovaatio jaettu muille tai otettu muualla käyttöön?",)]
