"""covering indexes for the program lead dashboards

Each replaces an index on the same leading columns with one that also holds
the columns the team aggregates read, so they are answered from the index
alone: check-ins by week, assessment scores by scale and time, supervision
sessions by date.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

PULSE_COLUMNS = ["week_start", "peer_id", "exposure_count", "caseload", "hours", "after_hours_callouts",
                 "hours_outside_role"]
SCORE_COLUMNS = ["scale", "taken_at", "peer_id", "raw", "band", "assessment_id"]
SESSION_COLUMNS = ["held_on", "kind", "supervisor_id", "duration_minutes", "minutes_administrative",
                   "minutes_educational", "minutes_supportive"]


def upgrade() -> None:
    with op.batch_alter_table("pulsecheckin") as batch_op:
        batch_op.drop_index("ix_pulse_week")
        batch_op.create_index("ix_pulse_week_workload", PULSE_COLUMNS, unique=False)
    with op.batch_alter_table("assessmentscore") as batch_op:
        batch_op.drop_index("ix_assessment_score_scale_taken")
        batch_op.create_index("ix_assessment_score_scale_taken_values", SCORE_COLUMNS, unique=False)
    with op.batch_alter_table("supervisionsession") as batch_op:
        batch_op.drop_index("ix_supervisionsession_held_on")
        batch_op.create_index("ix_session_held_minutes", SESSION_COLUMNS, unique=False)


def downgrade() -> None:
    with op.batch_alter_table("supervisionsession") as batch_op:
        batch_op.drop_index("ix_session_held_minutes")
        batch_op.create_index("ix_supervisionsession_held_on", ["held_on"], unique=False)
    with op.batch_alter_table("assessmentscore") as batch_op:
        batch_op.drop_index("ix_assessment_score_scale_taken_values")
        batch_op.create_index("ix_assessment_score_scale_taken", ["scale", "taken_at"], unique=False)
    with op.batch_alter_table("pulsecheckin") as batch_op:
        batch_op.drop_index("ix_pulse_week_workload")
        batch_op.create_index("ix_pulse_week", ["week_start"], unique=False)
