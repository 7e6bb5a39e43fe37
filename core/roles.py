"""A read-only database role for the dashboard: it may read aggregates and documentation, never microdata."""

from __future__ import annotations

import psycopg
from psycopg import sql

# Everything the dashboard may read. respondent and answer (workplace-level rows) are deliberately absent.
AGGREGATE_TABLES: tuple[str, ...] = (
    "language", "country", "government_level", "sector", "size_band", "unit_of_observation", "topic",
    "indicator", "indicator_option", "label", "survey_wave", "codebook", "source_file", "national_label",
    "question_wording", "comparability_note", "comparability_note_text", "survey_wave_text",
    "estimate", "cross_tab", "cross_tab_estimate",
    "published_estimate", "load_meta", "official_table", "official_value",
    "known_wave", "known_wave_fact",
)
MICRODATA_TABLES: tuple[str, ...] = ("respondent", "answer")
# Addresses of views, not data: the dashboard resolves short links with its read-only role; only the link
# writer (LINKS_DATABASE_URL, see grant_link_writer_role) may add to them.
LINK_TABLES: tuple[str, ...] = ("short_link",)
# Presenters' decks (addresses of views and captions; presenter keys only as hashes): the read-only role reads
# them to answer followers, the link writer also changes them (every change checks the presenter key).
DECK_TABLES: tuple[str, ...] = ("deck", "deck_slide")


def _login_role_without_grants(conn: psycopg.Connection, role: str, password: str | None) -> sql.Identifier:
    exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
    identifier = sql.Identifier(role)
    if not exists:
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE").format(identifier))
    if password is not None:
        conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(identifier, sql.Literal(password)))
    database = conn.execute("SELECT current_database()").fetchone()[0]
    conn.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), identifier))
    conn.execute(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(identifier))
    conn.execute(sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}").format(identifier))
    return identifier


def grant_readonly_role(conn: psycopg.Connection, role: str, password: str | None) -> None:
    """Create (or update) ``role`` as a login role with SELECT on the aggregate tables only."""
    identifier = _login_role_without_grants(conn, role, password)
    present = {row[0] for row in conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()}
    for table in (*AGGREGATE_TABLES, *LINK_TABLES, *DECK_TABLES):
        if table in present:
            conn.execute(sql.SQL("GRANT SELECT ON {} TO {}").format(sql.Identifier(table), identifier))
    conn.execute(sql.SQL("ALTER ROLE {} SET default_transaction_read_only = on").format(identifier))


def grant_link_writer_role(conn: psycopg.Connection, role: str, password: str | None) -> None:
    """Create (or update) ``role`` as a login role that may read and add short links and keep decks, and
    nothing else."""
    identifier = _login_role_without_grants(conn, role, password)
    for table in LINK_TABLES:
        conn.execute(sql.SQL("GRANT SELECT, INSERT ON {} TO {}").format(sql.Identifier(table), identifier))
    for table in DECK_TABLES:
        conn.execute(sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON {} TO {}").format(sql.Identifier(table),
                                                                                      identifier))
