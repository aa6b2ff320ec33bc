"""action plans and self-descriptions

Team-level action plans a lead records and follows up, and a peer's optional, encrypted self-description
for the equity lens.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30
"""

from alembic import op
import sqlalchemy as sa

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "actionplan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("owner_role", sa.Text(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("answers", sa.String(length=50), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["created_by"], ["user.id"]),
        sa.ForeignKeyConstraint(["owner_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["program_id"], ["program.id"]),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("idempotency_key"),
    )
    with op.batch_alter_table("actionplan") as batch_op:
        batch_op.create_index(batch_op.f("ix_actionplan_program_id"), ["program_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_actionplan_team_id"), ["team_id"], unique=False)

    op.create_table(
        "actionfollowup",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("followed_up_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["actionplan.id"]),
        sa.ForeignKeyConstraint(["recorded_by"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("actionfollowup") as batch_op:
        batch_op.create_index(batch_op.f("ix_actionfollowup_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "selfdescription",
        sa.Column("peer_id", sa.Integer(), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["peer_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("peer_id"),
    )


def downgrade() -> None:
    op.drop_table("selfdescription")
    with op.batch_alter_table("actionfollowup") as batch_op:
        batch_op.drop_index(batch_op.f("ix_actionfollowup_plan_id"))
    op.drop_table("actionfollowup")
    with op.batch_alter_table("actionplan") as batch_op:
        batch_op.drop_index(batch_op.f("ix_actionplan_team_id"))
        batch_op.drop_index(batch_op.f("ix_actionplan_program_id"))
    op.drop_table("actionplan")
