"""Each country carries the language its questionnaires are written in (``language:`` in dimensions.yaml), which
the pages mark quoted national wordings with; it was a constant in the app's code.

The upgrade fills the column for the countries already stored with the catalogue's values of this revision and
clears the stored catalogue checksum, so the next `barometer etl run` writes it from the catalogue itself.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# the catalogue's questionnaire languages when this revision was written (dimensions.yaml)
LANGUAGE_OF = {"DK": "da", "NO": "nb", "SE": "sv", "FI": "fi", "IS": "is"}

UPGRADE = """
ALTER TABLE country ADD COLUMN language text REFERENCES language;
UPDATE country SET language = v.language
    FROM (VALUES {values}) AS v (code, language)
    WHERE country.code = v.code AND EXISTS (SELECT 1 FROM language l WHERE l.code = v.language);
DELETE FROM load_meta WHERE key = 'catalogue_sha256';
""".format(values=", ".join(f"('{code}', '{language}')" for code, language in LANGUAGE_OF.items()))


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute("ALTER TABLE country DROP COLUMN language")
