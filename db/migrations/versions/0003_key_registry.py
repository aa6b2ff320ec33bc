"""key registry and database state counters

`encryptionkey` records the fingerprints of the keys the database knows and
which one encrypts; `databasestate` holds one row of counters (key registry
generation, data version) that every write transaction updates.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "encryptionkey",
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("fingerprint"),
    )
    state = op.create_table(
        "databasestate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_generation", sa.Integer(), nullable=False),
        sa.Column("data_version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(state, [{"id": 1, "key_generation": 0, "data_version": 0}])


def downgrade() -> None:
    op.drop_table("databasestate")
    op.drop_table("encryptionkey")
