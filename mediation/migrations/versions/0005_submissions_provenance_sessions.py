"""submissions kept apart from drafts, returned and archived with a reason, provenance of
listed services, session versions of accounts, notified error reports

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 08:05:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

OLD_DECISION = ("(state = 'pending' AND reviewer_id IS NULL AND decided_at IS NULL)"
                " OR (state IN ('approved', 'rejected') AND reviewer_id IS NOT NULL"
                " AND decided_at IS NOT NULL)"
                " OR (state = 'withdrawn' AND reviewer_id IS NULL AND decided_at IS NOT NULL)")
NEW_DECISION = ("(state IN ('draft', 'pending') AND reviewer_id IS NULL AND decided_at IS NULL)"
                " OR (state IN ('approved', 'rejected') AND reviewer_id IS NOT NULL"
                " AND decided_at IS NOT NULL)"
                " OR (state = 'withdrawn' AND reviewer_id IS NULL AND decided_at IS NOT NULL)")


def upgrade():
    with op.batch_alter_table('service') as batch_op:
        batch_op.add_column(sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('returned_reason', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('returned_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('archived_reason', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('source_url', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('source_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('confirmed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('confirmation', sa.String(length=20), nullable=True))
        batch_op.create_foreign_key(op.f('fk_service_confirmed_by_id_user'), 'user',
                                    ['confirmed_by_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('revision') as batch_op:
        batch_op.add_column(sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_constraint(op.f('ck_revision_decision_recorded'), type_='check')
        batch_op.create_check_constraint(op.f('ck_revision_decision_recorded'), NEW_DECISION)
    op.execute("UPDATE revision SET submitted_at = created_at WHERE state <> 'draft'")
    # At most one proposal under review per service, one unsubmitted draft per author: two
    # simultaneous submissions cannot both be recorded.
    op.create_index('ix_revision_one_pending', 'revision', ['service_id'], unique=True,
                    sqlite_where=sa.text("state = 'pending'"),
                    postgresql_where=sa.text("state = 'pending'"))
    op.create_index('ix_revision_one_draft', 'revision', ['service_id', 'author_id'], unique=True,
                    sqlite_where=sa.text("state = 'draft'"),
                    postgresql_where=sa.text("state = 'draft'"))
    with op.batch_alter_table('user') as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), nullable=False, server_default='0'))
    with op.batch_alter_table('error_report') as batch_op:
        batch_op.add_column(sa.Column('notified_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('error_report') as batch_op:
        batch_op.drop_column('notified_at')
    with op.batch_alter_table('user') as batch_op:
        batch_op.drop_column('session_version')
    op.drop_index('ix_revision_one_draft', table_name='revision')
    op.drop_index('ix_revision_one_pending', table_name='revision')
    op.execute("DELETE FROM revision WHERE state = 'draft'")
    with op.batch_alter_table('revision') as batch_op:
        batch_op.drop_constraint(op.f('ck_revision_decision_recorded'), type_='check')
        batch_op.create_check_constraint(op.f('ck_revision_decision_recorded'), OLD_DECISION)
        batch_op.drop_column('submitted_at')
    with op.batch_alter_table('service') as batch_op:
        batch_op.drop_constraint(op.f('fk_service_confirmed_by_id_user'), type_='foreignkey')
        for name in ('confirmation', 'confirmed_by_id', 'confirmed_at', 'source_date',
                     'source_url', 'archived_at', 'archived_reason', 'returned_at',
                     'returned_reason', 'submitted_at'):
            batch_op.drop_column(name)
