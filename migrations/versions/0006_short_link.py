"""Short links: '/s/<code>' names a canonical view, so a QR code stays small enough to scan from a hall.

The code is a digest of the view's address, so the same view always gets the same code, on every worker
and after a restart. Only addresses of views are stored (never data, never anything about a workplace).

Revision ID: 0006
Revises: 0003
Create Date: 2026-11-30
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

SCHEMA = """
CREATE TABLE short_link (
    code text PRIMARY KEY CHECK (code ~ '^[0-9A-Za-z]{4,16}$'),
    target text NOT NULL UNIQUE CHECK (target LIKE '/%' AND length(target) <= 2000),
    created_at timestamptz NOT NULL DEFAULT now()
);
"""


def upgrade() -> None:
    op.execute(SCHEMA)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS short_link")
