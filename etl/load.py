"""Load one harmonised wave into Postgres: one transaction, COPY for the bulk rows, idempotent.

A wave is replaced only when its source file, its codebook or the minimum cell size changed; otherwise
the load is a no-op. Any failure rolls the whole wave back, leaving the database as it was.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import psycopg
from psycopg.types.json import Jsonb

from etl.aggregate import ESTIMATE_COLUMNS
from etl.codebook import Codebook
from etl.cross_tab import CROSS_TAB_COLUMNS
from etl.errors import EtlError, LoadConflict
from etl.harmonise import ANSWER_COLUMNS, RESPONDENT_COLUMNS, HarmonisedWave


@dataclass(frozen=True)
class SourceFingerprint:
    path: str
    sha256: str
    rows: int


@dataclass(frozen=True)
class LoadResult:
    wave_key: str
    status: str  # "loaded" or "unchanged"
    respondents: int = 0
    answers: int = 0
    estimates: int = 0


def data_relative(path: Path, data_dir: Path) -> str:
    """``path`` relative to the data folder when it lies inside it (so a moved data folder stays valid)."""
    resolved, root = Path(path).resolve(), data_dir.resolve()
    return str(resolved.relative_to(root)) if resolved.is_relative_to(root) else str(resolved)


class _CopyEndedWithItsConnection(logging.Filter):
    """Drops psycopg's warning that a COPY could not be ended ("error ignored terminating <psycopg.Copy [BAD]>"):
    it comes when the server went away mid-COPY (`barometer db stop` during a run), and the error that ended
    the COPY is raised and reported anyway; alone on the console, the line only confused."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str) and record.msg.startswith("error ignored terminating"))


logging.getLogger("psycopg").addFilter(_CopyEndedWithItsConnection())

COPY_CHUNK_ROWS = 100_000  # rows rendered as CSV at a time: the text of a whole large wave is never held at once


def copy_frame(conn: psycopg.Connection, table: str, frame: pd.DataFrame, columns: list[str]) -> None:
    """COPY ``frame[columns]`` into ``table`` through one CSV stream (NaN/None become NULL), in chunks."""
    copy_frames(conn, table, [frame], columns)


def copy_frames(conn: psycopg.Connection, table: str, frames: Iterable[pd.DataFrame], columns: list[str]) -> int:
    """COPY the rows of ``frames`` (made one at a time) into ``table`` in one stream; how many rows were sent."""
    column_list = ", ".join(columns)
    sent = 0
    with conn.cursor() as cur, cur.copy(f"COPY {table} ({column_list}) FROM STDIN (FORMAT csv)") as copy:
        for frame in frames:
            selected = frame[columns]
            for start in range(0, len(selected), COPY_CHUNK_ROWS):
                buffer = io.StringIO()
                selected.iloc[start : start + COPY_CHUNK_ROWS].to_csv(buffer, index=False, header=False)
                copy.write(buffer.getvalue())
            sent += len(selected)
    return sent


def answer_rows_in_key_order(data: HarmonisedWave, wave_id: int) -> Iterator[pd.DataFrame]:
    """The wave's answer rows item by item, in primary-key order (which makes the index build sequential)."""
    for item in sorted(data.answer_counts()):
        rows = data.harmonised([item]).answers.sort_values("national_id")
        yield rows.assign(wave_id=wave_id)


def wave_lock_key(codebook: Codebook) -> str:
    return f"barometer-load:{codebook.key}"


def _take_lock(conn: psycopg.Connection, codebook: Codebook) -> None:
    locked = conn.execute("SELECT pg_try_advisory_xact_lock(hashtext(%s))", (wave_lock_key(codebook),))
    if not locked.fetchone()[0]:
        raise LoadConflict(
            f"another load of {codebook.key} is running; wait for it to finish and run again",
            file=codebook.path,
        )


def existing_wave_id(conn: psycopg.Connection, codebook: Codebook) -> int | None:
    row = conn.execute(
        "SELECT id FROM survey_wave WHERE country_code = %s AND programme = %s AND wave_label = %s",
        (codebook.wave.country, codebook.wave.programme, codebook.wave.wave_label),
    ).fetchone()
    return row[0] if row else None


def is_unchanged(conn: psycopg.Connection, codebook: Codebook, source: SourceFingerprint, min_n: int) -> bool:
    """True when this exact file and codebook are loaded already with the same minimum cell size."""
    row = conn.execute(
        """
        SELECT f.sha256, c.sha256, f.min_cell_n
        FROM survey_wave w
        JOIN source_file f ON f.wave_id = w.id
        JOIN codebook c ON c.wave_id = w.id
        WHERE w.country_code = %s AND w.programme = %s AND w.wave_label = %s
        """,
        (codebook.wave.country, codebook.wave.programme, codebook.wave.wave_label),
    ).fetchone()
    return row is not None and row[0] == source.sha256 and row[1] == codebook.sha256 and row[2] == min_n


def check_round_free(conn: psycopg.Connection, codebook: Codebook, wave_id: int | None) -> None:
    if codebook.wave.nordic_round is None:
        return
    other = conn.execute(
        "SELECT programme || ' ' || wave_label FROM survey_wave "
        "WHERE country_code = %s AND nordic_round = %s AND id IS DISTINCT FROM %s",
        (codebook.wave.country, codebook.wave.nordic_round, wave_id),
    ).fetchone()
    if other:
        raise EtlError(
            f"nordic_round {codebook.wave.nordic_round} is already taken by {codebook.wave.country} "
            f"{other[0]}; a country has one wave per Nordic comparison round",
            file=codebook.path, variable="wave.nordic_round",
        )


def _upsert_wave(conn: psycopg.Connection, codebook: Codebook) -> int:
    meta = codebook.wave
    wave_id = existing_wave_id(conn, codebook)
    check_round_free(conn, codebook, wave_id)
    rate = meta.response_rate
    values = (
        meta.publisher, meta.reference_period["en"], meta.fieldwork_start, meta.fieldwork_end,
        meta.unit_of_observation, meta.population["en"], meta.invited, meta.responded, meta.nordic_round,
        meta.citation, meta.source_url, meta.licence["en"], meta.is_demo,
        rate.percent if rate else None, rate.citation if rate else None, rate.source_url if rate else None,
        Jsonb(codebook.design.summary()) if codebook.design else None,
    )
    if wave_id is None:
        wave_id = conn.execute(
            """
            INSERT INTO survey_wave (country_code, programme, wave_label, publisher, reference_period,
                fieldwork_start, fieldwork_end, unit_of_observation, population, invited, responded,
                nordic_round, citation, source_url, licence, is_demo,
                response_rate_pct, response_rate_citation, response_rate_url, design)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id
            """,
            (meta.country, meta.programme, meta.wave_label, *values),
        ).fetchone()[0]
    else:
        conn.execute(
            """
            UPDATE survey_wave SET publisher = %s, reference_period = %s, fieldwork_start = %s,
                fieldwork_end = %s, unit_of_observation = %s, population = %s, invited = %s, responded = %s,
                nordic_round = %s, citation = %s, source_url = %s, licence = %s, is_demo = %s,
                response_rate_pct = %s, response_rate_citation = %s, response_rate_url = %s, design = %s
            WHERE id = %s
            """,
            (*values, wave_id),
        )
        for table in ("estimate", "cross_tab_estimate", "answer", "respondent", "source_file", "codebook",
                      "national_label", "question_wording", "comparability_note", "survey_wave_text"):
            conn.execute(f"DELETE FROM {table} WHERE wave_id = %s", (wave_id,))
    texts = {"reference_period": meta.reference_period, "population": meta.population, "licence": meta.licence}
    if rate:
        texts["response_rate_of"] = rate.of
    with conn.cursor() as cur:
        cur.executemany("INSERT INTO survey_wave_text (wave_id, field, lang, text) VALUES (%s, %s, %s, %s)",
                        [(wave_id, field, lang, text) for field, by_lang in texts.items()
                         for lang, text in by_lang.items()])
    return wave_id


def _insert_documentation(conn: psycopg.Connection, wave_id: int, codebook: Codebook, data_dir: Path) -> None:
    resp = codebook.respondent
    labels = []
    for dimension, spec in (("government_level", resp.government_level), ("sector", resp.sector),
                            ("size_band", resp.size_band)):
        if spec is not None:
            labels += [(wave_id, dimension, national, code) for national, code in spec.labels.items()]
    with conn.cursor() as cur:
        cur.executemany("INSERT INTO national_label VALUES (%s, %s, %s, %s)", labels)
        wordings = []
        for code, question in codebook.questions.items():
            if question.items is not None:
                wordings.append((wave_id, code, "", "", question.wording))
                wordings += [(wave_id, code, opt, item.variable, item.wording)
                             for opt, item in question.items.items()]
            else:
                wordings.append((wave_id, code, "", question.variable, question.wording))
        cur.executemany(
            "INSERT INTO question_wording (wave_id, indicator_code, option_code, national_variable, "
            "national_wording) VALUES (%s, %s, %s, %s, %s)",
            wordings,
        )
        for note in codebook.notes_with_design():
            cur.execute("INSERT INTO comparability_note (wave_id, aspect, indicator_code) VALUES (%s, %s, %s) "
                        "RETURNING id", (wave_id, note.aspect, note.indicator))
            note_id = cur.fetchone()[0]
            cur.executemany("INSERT INTO comparability_note_text (note_id, lang, text) VALUES (%s, %s, %s)",
                            [(note_id, lang, text) for lang, text in note.note.items()])
    conn.execute(
        "INSERT INTO codebook (wave_id, path, sha256) VALUES (%s, %s, %s)",
        (wave_id, data_relative(codebook.path, data_dir), codebook.sha256),
    )


def check_answer_references(data: HarmonisedWave, catalogue_options: set[tuple[str, str]],
                            codebook: Codebook) -> None:
    """Every answer is to a catalogue option (a key of the answer table; its unit is a row of the matrix)."""
    unknown_options = sorted(set(data.answer_counts()) - catalogue_options)
    if unknown_options:
        raise EtlError(f"answers to options missing from the catalogue: {unknown_options[:3]}", file=codebook.path)


def load_wave(
    conn: psycopg.Connection,
    codebook: Codebook,
    source: SourceFingerprint,
    data: HarmonisedWave,
    estimates: pd.DataFrame,
    min_n: int,
    *,
    cross_tabs: pd.DataFrame,
    data_dir: Path,
) -> LoadResult:
    """Replace the wave's rows inside the caller's transaction (the caller commits or rolls back).

    ``cross_tabs`` are the cells of the catalogue's cross-tabs; paths are stored relative to ``data_dir``.
    """
    _take_lock(conn, codebook)
    options = {tuple(row) for row in conn.execute("SELECT indicator_code, option_code FROM indicator_option")}
    check_answer_references(data, options, codebook)
    wave_id = _upsert_wave(conn, codebook)
    conn.execute(
        "INSERT INTO source_file (wave_id, path, file_format, encoding, sha256, rows, loaded_at, min_cell_n) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
        (wave_id, source.path, codebook.source.format,
         codebook.source.encoding if codebook.source.format == "csv" else None,
         source.sha256, source.rows, datetime.now(UTC), min_n),
    )
    _insert_documentation(conn, wave_id, codebook, data_dir)

    respondents = data.respondents.assign(wave_id=wave_id)
    copy_frame(conn, "respondent", respondents, ["wave_id", *RESPONDENT_COLUMNS])
    answers = copy_frames(conn, "answer", answer_rows_in_key_order(data, wave_id), ["wave_id", *ANSWER_COLUMNS])
    copy_frame(conn, "estimate", estimates.assign(wave_id=wave_id), ["wave_id", *ESTIMATE_COLUMNS])
    copy_frame(conn, "cross_tab_estimate", cross_tabs.assign(wave_id=wave_id), ["wave_id", *CROSS_TAB_COLUMNS])

    conn.execute(
        "UPDATE published_estimate p SET wave_id = %s WHERE p.country_code = %s AND p.programme = %s "
        "AND p.wave_label = %s",
        (wave_id, codebook.wave.country, codebook.wave.programme, codebook.wave.wave_label),
    )
    return LoadResult(codebook.key, "loaded", len(respondents), answers, len(estimates))
