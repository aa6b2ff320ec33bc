"""each person's language

The language a person reads the console and its emails in (`en`, `es`, ...); empty follows the program's
default language setting.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30
"""

from alembic import op
import sqlalchemy as sa

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("user", sa.Column("language", sa.String(length=8), nullable=True))


def downgrade() -> None:
    op.drop_column("user", "language")
