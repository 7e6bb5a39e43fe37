"""A run whose validation fails writes nothing; a wave that fails to load is named and left as it was."""

from __future__ import annotations

import psycopg
import pytest

from core.config import get_settings
from etl.errors import EtlError, PartialLoadError
from etl.pipeline import run_etl

SETTINGS = get_settings()
DK = SETTINGS.codebook_dir / "dk" / "2018-19.yaml"
IS = SETTINGS.codebook_dir / "is" / "2018.yaml"


def table_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")]
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


def test_a_wave_held_by_another_load_is_named_and_the_others_load(empty_db: str) -> None:
    with psycopg.connect(empty_db) as holder, holder.transaction():
        holder.execute("SELECT pg_advisory_xact_lock(hashtext('barometer-load:IS/Nýsköpunarvogin/2018'))")
        with pytest.raises(PartialLoadError) as raised:
            run_etl(empty_db, codebook_paths=[DK, IS], settings=SETTINGS)
    assert list(raised.value.failures) == ["IS/Nýsköpunarvogin/2018"]
    assert raised.value.loaded == ["DK/Innovationsbarometeret/2018-19"]
    assert "another load of IS/Nýsköpunarvogin/2018 is running" in str(raised.value)
    with psycopg.connect(empty_db) as conn:
        waves = conn.execute("SELECT country_code, count(*) FROM respondent r JOIN survey_wave w "
                             "ON w.id = r.wave_id GROUP BY 1").fetchall()
    assert waves == [("DK", 2271)]


def test_bad_input_in_one_wave_writes_nothing_at_all(empty_db: str, tmp_path) -> None:
    broken = tmp_path / "is-2018.yaml"
    text = IS.read_text(encoding="utf-8")
    text = text.replace("identity_value: Nýsköpunarvogin 2018", "identity_value: Nýsköpunarvogin 2017")
    broken.write_text(text, encoding="utf-8")
    before = table_counts(empty_db)
    with pytest.raises(EtlError) as raised:
        run_etl(empty_db, codebook_paths=[DK, broken], settings=SETTINGS)
    assert not isinstance(raised.value, PartialLoadError)
    assert "this codebook is for 'Nýsköpunarvogin 2017'" in str(raised.value)
    assert table_counts(empty_db) == before  # not even the catalogue or the published figures


def test_two_waves_of_one_country_in_the_same_round_are_refused_before_writing(empty_db: str, tmp_path) -> None:
    twin = tmp_path / "is-2018-bis.yaml"
    twin.write_text(IS.read_text(encoding="utf-8").replace('wave_label: "2018"', 'wave_label: "2018 bis"'),
                    encoding="utf-8")
    assert twin.read_text(encoding="utf-8") != IS.read_text(encoding="utf-8")
    before = table_counts(empty_db)
    with pytest.raises(EtlError, match=r"nordic_round 2018 is also claimed by .*is/2018\.yaml"):
        run_etl(empty_db, codebook_paths=[IS, twin], settings=SETTINGS)
    assert table_counts(empty_db) == before
