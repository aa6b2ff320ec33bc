"""call-out log

A peer's call-outs (no information about the person served), with the after-incident path of a hard call and
the supervision session that debriefed it.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30
"""

from alembic import op
import sqlalchemy as sa

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "callout",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("peer_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("after_hours", sa.Boolean(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("setting", sa.String(length=40), nullable=False),
        sa.Column("person_served_died", sa.Boolean(), nullable=False),
        sa.Column("with_whom", sa.String(length=200), nullable=False),
        sa.Column("actions", sa.String(length=400), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("note_shared", sa.Boolean(), nullable=False),
        sa.Column("hard", sa.Boolean(), nullable=False),
        sa.Column("after_checkin", sa.Text(), nullable=True),
        sa.Column("after_checkin_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("debrief_requested_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("debrief_session_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["peer_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["debrief_session_id"], ["supervisionsession.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("idempotency_key"),
    )
    with op.batch_alter_table("callout") as batch_op:
        batch_op.create_index("ix_callout_peer_started", ["peer_id", "started_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_callout_week_start"), ["week_start"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("callout") as batch_op:
        batch_op.drop_index(batch_op.f("ix_callout_week_start"))
        batch_op.drop_index("ix_callout_peer_started")
    op.drop_table("callout")
