"""Downloads speak the language they are asked in: a wave's reference period, population and comparability notes
come from the codebook's translation, like the page's."""

from __future__ import annotations

import csv
import io

import psycopg


def rows(client, address: str) -> list[dict[str, str]]:
    response = client.get(address)
    assert response.status_code == 200, address
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def wave_text(url: str, key: str, field: str, lang: str) -> str:
    """The codebook's text for a wave, read straight from the database."""
    key_is = "w.country_code || '-' || w.wave_label = %s"
    with psycopg.connect(url) as conn:
        if field == "reference_period" and lang == "en":
            return conn.execute(f"SELECT reference_period FROM survey_wave w WHERE {key_is}", (key,)).fetchone()[0]
        return conn.execute("SELECT t.text FROM survey_wave_text t JOIN survey_wave w ON w.id = t.wave_id "
                            f"WHERE {key_is} AND t.field = %s AND t.lang = %s", (key, field, lang)).fetchone()[0]


def test_compare_csv_gives_the_reference_period_in_the_asked_language(client, loaded_db: str) -> None:
    query = "countries=NO,IS&waves=NO-2020,IS-2021&source=survey"
    norwegian = {r["wave_key"]: r for r in rows(client, f"/download/compare.csv?{query}&lang=nb")
                 if r["row_type"] == "estimate"}
    english = {r["wave_key"]: r for r in rows(client, f"/download/compare.csv?{query}&lang=en")
               if r["row_type"] == "estimate"}
    assert norwegian["IS-2021"]["reference_period"] == wave_text(loaded_db, "IS-2021", "reference_period", "nb")
    assert english["IS-2021"]["reference_period"] == wave_text(loaded_db, "IS-2021", "reference_period", "en")
    assert norwegian["IS-2021"]["reference_period"] != english["IS-2021"]["reference_period"]


def test_data_and_methods_csv_gives_notes_in_words_of_the_asked_language(client, loaded_db: str) -> None:
    swedish = {r["wave_key"]: r for r in rows(client, "/download/data.csv?lang=sv")}
    with psycopg.connect(loaded_db) as conn:
        note = conn.execute("SELECT t.text FROM comparability_note n JOIN survey_wave w ON w.id = n.wave_id "
                            "JOIN comparability_note_text t ON t.note_id = n.id AND t.lang = 'sv' "
                            "WHERE w.country_code = 'IS' AND w.wave_label = '2021' ORDER BY n.id LIMIT 1").fetchone()[0]
    assert note in swedish["IS-2021"]["comparability_notes"]
    assert "[unit]" not in swedish["IS-2021"]["comparability_notes"]  # aspects in words, not codes
    assert swedish["IS-2021"]["population"] == wave_text(loaded_db, "IS-2021", "population", "sv")
