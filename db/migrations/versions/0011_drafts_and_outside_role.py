"""form drafts, and which tasks outside the peer role a check-in reports

`formdraft` keeps a half-written check-in or session note for its owner (answers encrypted) so that a reload
loses nothing; `pulsecheckin.outside_role_tasks` holds the kinds of task outside the peer role (encrypted codes)
beside the hours the check-in now asks for.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30
"""

from alembic import op
import sqlalchemy as sa

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "formdraft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("period", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("owner_id", "kind", "period", name="uq_formdraft_owner_kind_period"),
    )
    with op.batch_alter_table("formdraft") as batch_op:
        batch_op.create_index(batch_op.f("ix_formdraft_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_formdraft_expires_at"), ["expires_at"], unique=False)
    with op.batch_alter_table("pulsecheckin") as batch_op:
        batch_op.add_column(sa.Column("outside_role_tasks", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pulsecheckin") as batch_op:
        batch_op.drop_column("outside_role_tasks")
    with op.batch_alter_table("formdraft") as batch_op:
        batch_op.drop_index(batch_op.f("ix_formdraft_expires_at"))
        batch_op.drop_index(batch_op.f("ix_formdraft_owner_id"))
    op.drop_table("formdraft")
