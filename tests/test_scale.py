"""Scale: the benchmark's scaled wave is the bundled one repeated with unique ids and passes the ETL's
validation; COPY streams a large frame in chunks and loses or reorders no row."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import psycopg
import pytest
from typer.testing import CliRunner

from barometer.cli import app
from etl import load
from tests.test_benchmark_smoke import load as load_benchmark


def test_the_scaled_wave_repeats_the_bundled_one_and_passes_the_etl_validation(tmp_path: Path) -> None:
    bench = load_benchmark("etl")
    path, rows = bench.scaled_data_dir(tmp_path, 3)

    frame = pd.read_csv(path, sep=";", encoding="iso-8859-1", dtype=str)
    assert len(frame) == rows == 3 * 1812
    assert frame["LopNr"].is_unique
    result = CliRunner().invoke(app, ["codebook", "check", str(tmp_path / bench.SCALE_CODEBOOK)],
                                env={"BAROMETER_DATA": str(tmp_path)})
    assert result.exit_code == 0, result.output


def test_copy_sends_every_row_in_order_across_chunks(empty_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load, "COPY_CHUNK_ROWS", 7)
    values = [None if i % 5 == 0 else f"v{i}" for i in range(50)]
    frame = pd.DataFrame({"key": [f"k{i}" for i in range(50)], "value": values})
    with psycopg.connect(empty_db) as conn:
        conn.execute("CREATE TEMP TABLE chunked (n serial, key text, value text)")
        load.copy_frame(conn, "chunked", frame, ["key", "value"])
        rows = conn.execute("SELECT key, value FROM chunked ORDER BY n").fetchall()
    assert rows == [(f"k{i}", None if i % 5 == 0 else f"v{i}") for i in range(50)]
