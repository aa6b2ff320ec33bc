"""field visits, safety incidents, ethics self-check notes and training records

Field visit check-in timers and safety incidents (nothing about the person served; the location note and what
happened are encrypted), the items of the ethics self-check a peer notes for supervision (encrypted), the
trainings and certifications people completed, and outbox messages to the program's backup contact, who may
have no account (`recipient_id` empty).

Revision ID: 0013
Revises: 0007
Create Date: 2026-11-30
"""

from alembic import op
import sqlalchemy as sa

revision = "0013"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fieldvisit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("peer_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expected_back_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("location_note", sa.Text(), nullable=True),
        sa.Column("extensions", sa.Integer(), nullable=False),
        sa.Column("help_requested_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by", sa.Integer(), nullable=True),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["peer_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["acknowledged_by"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("idempotency_key"),
    )
    with op.batch_alter_table("fieldvisit") as batch_op:
        batch_op.create_index(batch_op.f("ix_fieldvisit_peer_id"), ["peer_id"], unique=False)
        batch_op.create_index("ix_fieldvisit_attention", ["closed_at", "acknowledged_at", "expected_back_at"],
                              unique=False)
    op.create_table(
        "safetyincident",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("peer_id", sa.Integer(), nullable=False),
        sa.Column("field_visit_id", sa.Integer(), nullable=True),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("what_happened", sa.Text(), nullable=False),
        sa.Column("reported", sa.Boolean(), nullable=False),
        sa.Column("follow_up_wanted", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["peer_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["field_visit_id"], ["fieldvisit.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("idempotency_key"),
    )
    with op.batch_alter_table("safetyincident") as batch_op:
        batch_op.create_index(batch_op.f("ix_safetyincident_peer_id"), ["peer_id"], unique=False)
    op.create_table(
        "ethicsnote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("peer_id", sa.Integer(), nullable=False),
        sa.Column("area", sa.String(length=30), nullable=False),
        sa.Column("item", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["peer_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("ethicsnote") as batch_op:
        batch_op.create_index(batch_op.f("ix_ethicsnote_peer_id"), ["peer_id"], unique=False)
    op.create_table(
        "trainingrecord",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=False),
        sa.Column("renews_on", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["recorded_by"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("trainingrecord") as batch_op:
        batch_op.create_index("ix_trainingrecord_person_renews", ["person_id", "renews_on"], unique=False)
    with op.batch_alter_table("outboxmessage") as batch_op:
        batch_op.alter_column("recipient_id", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM outboxmessage WHERE recipient_id IS NULL")
    with op.batch_alter_table("outboxmessage") as batch_op:
        batch_op.alter_column("recipient_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("trainingrecord") as batch_op:
        batch_op.drop_index("ix_trainingrecord_person_renews")
    op.drop_table("trainingrecord")
    with op.batch_alter_table("ethicsnote") as batch_op:
        batch_op.drop_index(batch_op.f("ix_ethicsnote_peer_id"))
    op.drop_table("ethicsnote")
    with op.batch_alter_table("safetyincident") as batch_op:
        batch_op.drop_index(batch_op.f("ix_safetyincident_peer_id"))
    op.drop_table("safetyincident")
    with op.batch_alter_table("fieldvisit") as batch_op:
        batch_op.drop_index("ix_fieldvisit_attention")
        batch_op.drop_index(batch_op.f("ix_fieldvisit_peer_id"))
    op.drop_table("fieldvisit")
