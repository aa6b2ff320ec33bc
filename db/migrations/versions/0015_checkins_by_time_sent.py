"""check-ins by the time they were sent

Participation counts a check-in in the month it was sent (`taken_at`); releasing a month reads the month's
check-ins from this index instead of every check-in of the program.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30
"""

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pulsecheckin") as batch_op:
        batch_op.create_index("ix_pulse_taken_peer", ["taken_at", "peer_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pulsecheckin") as batch_op:
        batch_op.drop_index("ix_pulse_taken_peer")
