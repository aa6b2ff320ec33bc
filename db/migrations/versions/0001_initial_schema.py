"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('program',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('setting',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('value', sa.String(length=2000), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('team',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('setting', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('program_id', 'name')
    )
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_program_id'), ['program_id'], unique=False)

    op.create_table('user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=True),
    sa.Column('username', sa.String(length=100), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('roles', sa.String(length=100), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('failed_attempts', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('must_change_password', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('email'),
    sa.UniqueConstraint('username')
    )
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_program_id'), ['program_id'], unique=False)

    op.create_table('assessment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('peer_id', sa.Integer(), nullable=False),
    sa.Column('instrument_id', sa.String(length=100), nullable=False),
    sa.Column('instrument_version', sa.String(length=50), nullable=False),
    sa.Column('taken_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answers', sa.Text(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('comment_shared', sa.Boolean(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['peer_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('idempotency_key')
    )
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.create_index('ix_assessment_peer_taken', ['peer_id', 'taken_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_taken_at'), ['taken_at'], unique=False)

    op.create_table('auditevent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=100), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('resource_type', sa.String(length=100), nullable=False),
    sa.Column('resource_id', sa.String(length=100), nullable=True),
    sa.Column('detail', sa.String(length=1000), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['subject_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('auditevent', schema=None) as batch_op:
        batch_op.create_index('ix_audit_actor_at', ['actor_id', 'at'], unique=False)
        batch_op.create_index('ix_audit_subject_at', ['subject_id', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_auditevent_at'), ['at'], unique=False)

    op.create_table('pulsecheckin',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('peer_id', sa.Integer(), nullable=False),
    sa.Column('iso_year', sa.Integer(), nullable=False),
    sa.Column('iso_week', sa.Integer(), nullable=False),
    sa.Column('week_start', sa.Date(), nullable=False),
    sa.Column('taken_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answers', sa.Text(), nullable=False),
    sa.Column('strain', sa.Float(), nullable=True),
    sa.Column('exposures', sa.String(length=400), nullable=False),
    sa.Column('exposure_count', sa.Integer(), nullable=False),
    sa.Column('self_care', sa.String(length=400), nullable=False),
    sa.Column('caseload', sa.Integer(), nullable=True),
    sa.Column('hours', sa.Float(), nullable=True),
    sa.Column('after_hours_callouts', sa.Integer(), nullable=True),
    sa.Column('hours_outside_role', sa.Float(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('note_shared', sa.Boolean(), nullable=False),
    sa.Column('wants_to_talk', sa.Boolean(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=64), nullable=False),
    sa.Column('replaced_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['peer_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('idempotency_key'),
    sa.UniqueConstraint('peer_id', 'week_start', name='uq_pulse_peer_week')
    )
    with op.batch_alter_table('pulsecheckin', schema=None) as batch_op:
        batch_op.create_index('ix_pulse_week', ['week_start'], unique=False)
        batch_op.create_index(batch_op.f('ix_pulsecheckin_peer_id'), ['peer_id'], unique=False)

    op.create_table('reachoutrequest',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('peer_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['acknowledged_by'], ['user.id'], ),
    sa.ForeignKeyConstraint(['peer_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('reachoutrequest', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reachoutrequest_peer_id'), ['peer_id'], unique=False)

    op.create_table('sharingpreference',
    sa.Column('peer_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['peer_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('peer_id')
    )
    op.create_table('supervisionassignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supervisor_id', sa.Integer(), nullable=False),
    sa.Column('supervisee_id', sa.Integer(), nullable=False),
    sa.Column('functions', sa.String(length=100), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['supervisee_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['supervisor_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('supervisionassignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervisionassignment_supervisee_id'), ['supervisee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervisionassignment_supervisor_id'), ['supervisor_id'], unique=False)

    op.create_table('supervisionsession',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supervisor_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('minutes_administrative', sa.Integer(), nullable=False),
    sa.Column('minutes_educational', sa.Integer(), nullable=False),
    sa.Column('minutes_supportive', sa.Integer(), nullable=False),
    sa.Column('activities', sa.String(length=2000), nullable=False),
    sa.Column('notes_administrative', sa.Text(), nullable=True),
    sa.Column('notes_educational', sa.Text(), nullable=True),
    sa.Column('notes_supportive', sa.Text(), nullable=True),
    sa.Column('private_reflection', sa.Text(), nullable=True),
    sa.Column('peer_drift', sa.Boolean(), nullable=False),
    sa.Column('peer_drift_note', sa.Text(), nullable=True),
    sa.Column('ethics_areas', sa.String(length=200), nullable=False),
    sa.Column('field_safety_discussed', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('idempotency_key', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['supervisor_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('idempotency_key')
    )
    with op.batch_alter_table('supervisionsession', schema=None) as batch_op:
        batch_op.create_index('ix_session_supervisor_held', ['supervisor_id', 'held_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervisionsession_held_on'), ['held_on'], unique=False)

    op.create_table('teammembership',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('teammembership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_teammembership_team_id'), ['team_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_teammembership_user_id'), ['user_id'], unique=False)

    op.create_table('wellnessplan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('peer_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('sections', sa.Text(), nullable=False),
    sa.Column('shared', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['peer_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('peer_id', 'version')
    )
    with op.batch_alter_table('wellnessplan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wellnessplan_peer_id'), ['peer_id'], unique=False)

    op.create_table('actionitem',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['session_id'], ['supervisionsession.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('actionitem', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_actionitem_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_actionitem_session_id'), ['session_id'], unique=False)

    op.create_table('assessmentscore',
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('scale', sa.String(length=100), nullable=False),
    sa.Column('peer_id', sa.Integer(), nullable=False),
    sa.Column('taken_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('raw', sa.Float(), nullable=True),
    sa.Column('band', sa.Integer(), nullable=True),
    sa.Column('answered', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'], ),
    sa.ForeignKeyConstraint(['peer_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('assessment_id', 'scale')
    )
    with op.batch_alter_table('assessmentscore', schema=None) as batch_op:
        batch_op.create_index('ix_assessment_score_peer_scale_taken', ['peer_id', 'scale', 'taken_at'], unique=False)
        batch_op.create_index('ix_assessment_score_scale_taken', ['scale', 'taken_at'], unique=False)

    op.create_table('sessionamendment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('previous', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['session_id'], ['supervisionsession.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sessionamendment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sessionamendment_session_id'), ['session_id'], unique=False)

    op.create_table('sessionattendee',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('peer_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['peer_id'], ['user.id'], ),
    sa.ForeignKeyConstraint(['session_id'], ['supervisionsession.id'], ),
    sa.PrimaryKeyConstraint('session_id', 'peer_id')
    )
    with op.batch_alter_table('sessionattendee', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sessionattendee_peer_id'), ['peer_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('sessionattendee', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sessionattendee_peer_id'))

    op.drop_table('sessionattendee')
    with op.batch_alter_table('sessionamendment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sessionamendment_session_id'))

    op.drop_table('sessionamendment')
    with op.batch_alter_table('assessmentscore', schema=None) as batch_op:
        batch_op.drop_index('ix_assessment_score_scale_taken')
        batch_op.drop_index('ix_assessment_score_peer_scale_taken')

    op.drop_table('assessmentscore')
    with op.batch_alter_table('actionitem', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_actionitem_session_id'))
        batch_op.drop_index(batch_op.f('ix_actionitem_owner_id'))

    op.drop_table('actionitem')
    with op.batch_alter_table('wellnessplan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wellnessplan_peer_id'))

    op.drop_table('wellnessplan')
    with op.batch_alter_table('teammembership', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_teammembership_user_id'))
        batch_op.drop_index(batch_op.f('ix_teammembership_team_id'))

    op.drop_table('teammembership')
    with op.batch_alter_table('supervisionsession', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervisionsession_held_on'))
        batch_op.drop_index('ix_session_supervisor_held')

    op.drop_table('supervisionsession')
    with op.batch_alter_table('supervisionassignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervisionassignment_supervisor_id'))
        batch_op.drop_index(batch_op.f('ix_supervisionassignment_supervisee_id'))

    op.drop_table('supervisionassignment')
    op.drop_table('sharingpreference')
    with op.batch_alter_table('reachoutrequest', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reachoutrequest_peer_id'))

    op.drop_table('reachoutrequest')
    with op.batch_alter_table('pulsecheckin', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pulsecheckin_peer_id'))
        batch_op.drop_index('ix_pulse_week')

    op.drop_table('pulsecheckin')
    with op.batch_alter_table('auditevent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_auditevent_at'))
        batch_op.drop_index('ix_audit_subject_at')
        batch_op.drop_index('ix_audit_actor_at')

    op.drop_table('auditevent')
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_taken_at'))
        batch_op.drop_index('ix_assessment_peer_taken')

    op.drop_table('assessment')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_program_id'))

    op.drop_table('user')
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_program_id'))

    op.drop_table('team')
    op.drop_table('setting')
    op.drop_table('program')
