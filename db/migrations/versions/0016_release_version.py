"""release version

Each release marker records the version of the release that stored its period's topics, so that a month
released before topics were added gets them (`console.program.release.RELEASE_VERSION`). Markers written
before this revision get 1: released before versions were recorded.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30
"""

from alembic import op
import sqlalchemy as sa

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("figurerelease") as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("figurerelease") as batch_op:
        batch_op.drop_column("version")
