"""released figures

Lead figures released once per closed period (`scoring.release`), and the marker of each release.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

from alembic import op
import sqlalchemy as sa

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "figurerelease",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("k", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["program_id"], ["program.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("program_id", "period_start", name="uq_figure_release_period"),
    )
    op.create_table(
        "releasedfigure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("topic", sa.String(length=100), nullable=False),
        sa.Column("group_key", sa.String(length=40), nullable=False),
        sa.Column("group_label", sa.String(length=200), nullable=False),
        sa.Column("team_ids", sa.String(length=4000), nullable=False),
        sa.Column("released", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=True),
        sa.Column("peers", sa.Integer(), nullable=True),
        sa.Column("count_a", sa.Integer(), nullable=True),
        sa.Column("count_b", sa.Integer(), nullable=True),
        sa.Column("a_low", sa.Integer(), nullable=True),
        sa.Column("a_high", sa.Integer(), nullable=True),
        sa.Column("b_low", sa.Integer(), nullable=True),
        sa.Column("b_high", sa.Integer(), nullable=True),
        sa.Column("median", sa.Float(), nullable=True),
        sa.Column("q1", sa.Float(), nullable=True),
        sa.Column("q3", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["program_id"], ["program.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("program_id", "period_start", "topic", "group_key", name="uq_released_figure_cell"),
    )


def downgrade() -> None:
    op.drop_table("releasedfigure")
    op.drop_table("figurerelease")
