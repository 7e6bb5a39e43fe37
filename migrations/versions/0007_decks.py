"""Decks: an ordered list of views a presenter shows, which an audience follows on its phones.

A deck has a public id (in the follow link and its QR code) and a presenter key, stored only as its SHA-256,
so reading the table never reveals a key. A slide is the canonical address of a view and a caption: no data,
nothing about a workplace.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

SCHEMA = """
CREATE TABLE deck (
    public_id text PRIMARY KEY CHECK (public_id ~ '^[0-9A-Za-z]{8,32}$'),
    key_hash text NOT NULL CHECK (key_hash ~ '^[0-9a-f]{64}$'),
    title text NOT NULL DEFAULT '' CHECK (length(title) <= 200),
    lang text NOT NULL CHECK (lang IN ('en', 'nb', 'da', 'sv', 'fi', 'is')),
    current_slide integer NOT NULL DEFAULT 0 CHECK (current_slide >= 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE deck_slide (
    deck_id text NOT NULL REFERENCES deck (public_id) ON DELETE CASCADE,
    position integer NOT NULL CHECK (position >= 0),
    path text NOT NULL CHECK (path LIKE '/%' AND path NOT LIKE '//%' AND length(path) <= 2000),
    caption text NOT NULL DEFAULT '' CHECK (length(caption) <= 500),
    PRIMARY KEY (deck_id, position)
);
"""


def upgrade() -> None:
    op.execute(SCHEMA)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS deck_slide")
    op.execute("DROP TABLE IF EXISTS deck")
