"""encrypted check-in checklists, exposure counts per team, month and code

The exposures and self-care checklists of each check-in are encrypted in place
with the console's key (`init` opens the keys before it migrates, so the
migration encrypts in the same transaction as the schema change), the plain
per-check-in `exposure_count` goes, and `exposuretally` receives the counts the
lead figures read instead: per team, month of the check-in week and exposure
code, each check-in counted in the lowest-numbered team its peer belonged to
during that month. The downgrade decrypts the checklists back.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from collections import Counter

import sqlalchemy as sa
from alembic import op

from db.crypto import decrypt_text, encrypt_text

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

WITH_COUNT = ["week_start", "peer_id", "exposure_count", "caseload", "hours", "after_hours_callouts",
              "hours_outside_role"]
WITHOUT_COUNT = ["week_start", "peer_id", "caseload", "hours", "after_hours_callouts", "hours_outside_role"]

pulse = sa.table(
    "pulsecheckin", sa.column("id", sa.Integer), sa.column("peer_id", sa.Integer), sa.column("week_start", sa.Date),
    sa.column("exposures", sa.Text), sa.column("self_care", sa.Text), sa.column("exposure_count", sa.Integer),
    sa.column("tallied_team_id", sa.Integer),
)
membership = sa.table("teammembership", sa.column("user_id", sa.Integer), sa.column("team_id", sa.Integer),
                      sa.column("started_on", sa.Date), sa.column("ended_on", sa.Date))
tally = sa.table("exposuretally", sa.column("team_id", sa.Integer), sa.column("month", sa.Date),
                 sa.column("code", sa.String), sa.column("count", sa.Integer))


def _codes(text: str | None) -> list[str]:
    return [code for code in (text or "").split(",") if code]


def _next_month(month):
    return month.replace(year=month.year + 1, month=1) if month.month == 12 else month.replace(month=month.month + 1)


def _team(connection, *, peer_id: int, month) -> int | None:
    return connection.execute(
        sa.select(sa.func.min(membership.c.team_id)).where(
            membership.c.user_id == peer_id,
            membership.c.started_on < _next_month(month),
            sa.or_(membership.c.ended_on.is_(None), membership.c.ended_on >= month),
        )
    ).scalar_one()


def upgrade() -> None:
    op.create_table(
        "exposuretally",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"]),
        sa.PrimaryKeyConstraint("team_id", "month", "code"),
    )
    with op.batch_alter_table("pulsecheckin") as batch_op:
        batch_op.drop_index("ix_pulse_week_workload")
        batch_op.add_column(sa.Column("tallied_team_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_pulsecheckin_tallied_team_id_team", "team", ["tallied_team_id"], ["id"])
        batch_op.alter_column("exposures", existing_type=sa.String(length=400), type_=sa.Text(),
                              existing_nullable=False)
        batch_op.alter_column("self_care", existing_type=sa.String(length=400), type_=sa.Text(),
                              existing_nullable=False)

    connection = op.get_bind()
    counts: Counter = Counter()
    rows = connection.execute(sa.select(pulse.c.id, pulse.c.peer_id, pulse.c.week_start, pulse.c.exposures,
                                        pulse.c.self_care)).all()
    for row in rows:
        month = row.week_start.replace(day=1)
        team_id = _team(connection, peer_id=row.peer_id, month=month)
        connection.execute(pulse.update().where(pulse.c.id == row.id).values(
            exposures=encrypt_text(row.exposures or ""), self_care=encrypt_text(row.self_care or ""),
            tallied_team_id=team_id,
        ))
        if team_id is not None:
            counts.update((team_id, month, code) for code in set(_codes(row.exposures)))
    if counts:
        connection.execute(tally.insert(), [
            {"team_id": team_id, "month": month, "code": code, "count": count}
            for (team_id, month, code), count in sorted(counts.items())
        ])

    with op.batch_alter_table("pulsecheckin") as batch_op:
        batch_op.drop_column("exposure_count")
        batch_op.create_index("ix_pulse_week_workload", WITHOUT_COUNT, unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pulsecheckin") as batch_op:
        batch_op.drop_index("ix_pulse_week_workload")
        batch_op.add_column(sa.Column("exposure_count", sa.Integer(), nullable=False, server_default="0"))
    connection = op.get_bind()
    for row in connection.execute(sa.select(pulse.c.id, pulse.c.exposures, pulse.c.self_care)).all():
        exposures, self_care = decrypt_text(row.exposures), decrypt_text(row.self_care)
        connection.execute(pulse.update().where(pulse.c.id == row.id).values(
            exposures=exposures, self_care=self_care, exposure_count=len(_codes(exposures))))
    with op.batch_alter_table("pulsecheckin") as batch_op:
        batch_op.alter_column("exposure_count", server_default=None)
        batch_op.alter_column("exposures", existing_type=sa.Text(), type_=sa.String(length=400),
                              existing_nullable=False)
        batch_op.alter_column("self_care", existing_type=sa.Text(), type_=sa.String(length=400),
                              existing_nullable=False)
        batch_op.drop_constraint("fk_pulsecheckin_tallied_team_id_team", type_="foreignkey")
        batch_op.drop_column("tallied_team_id")
        batch_op.create_index("ix_pulse_week_workload", WITH_COUNT, unique=False)
    op.drop_table("exposuretally")
