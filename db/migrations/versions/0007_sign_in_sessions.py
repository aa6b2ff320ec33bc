"""sign-in sessions

A hashed random token per signed-in browser, so a sign-in survives reloads and new tabs until it is revoked,
idle too long or past its absolute end.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

from alembic import op
import sqlalchemy as sa

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "signinsession",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("signinsession") as batch_op:
        batch_op.create_index(batch_op.f("ix_signinsession_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("signinsession") as batch_op:
        batch_op.drop_index(batch_op.f("ix_signinsession_user_id"))
    op.drop_table("signinsession")
