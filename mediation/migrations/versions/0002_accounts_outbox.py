"""accounts, access requests, the mail outbox, update intervals and pending geocoding

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 16:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outbox_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_message'))
    )
    op.create_index(op.f('ix_outbox_message_sent_at'), 'outbox_message', ['sent_at'], unique=False)
    op.create_table('access_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('refnis', sa.String(length=5), nullable=True),
    sa.Column('organization', sa.String(length=200), nullable=False),
    sa.Column('function', sa.String(length=200), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('state', sa.Enum('open', 'granted', 'refused', name='accessrequeststate', native_enum=False, length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['refnis'], ['commune.refnis'], name=op.f('fk_access_request_refnis_commune')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_request'))
    )
    op.create_index(op.f('ix_access_request_state'), 'access_request', ['state'], unique=False)
    with op.batch_alter_table('user') as batch_op:
        batch_op.add_column(sa.Column('name', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('password_changed_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('organization') as batch_op:
        batch_op.add_column(sa.Column('refnis', sa.String(length=5), nullable=True))
        batch_op.create_index(op.f('ix_organization_refnis'), ['refnis'], unique=False)
        batch_op.create_foreign_key(op.f('fk_organization_refnis_commune'), 'commune', ['refnis'], ['refnis'])
    with op.batch_alter_table('service') as batch_op:
        batch_op.add_column(sa.Column('update_interval_months', sa.Integer(), nullable=False, server_default='6'))
    with op.batch_alter_table('location') as batch_op:
        batch_op.add_column(sa.Column('geocode_pending', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('location') as batch_op:
        batch_op.drop_column('geocode_pending')
    with op.batch_alter_table('service') as batch_op:
        batch_op.drop_column('update_interval_months')
    with op.batch_alter_table('organization') as batch_op:
        batch_op.drop_constraint(op.f('fk_organization_refnis_commune'), type_='foreignkey')
        batch_op.drop_index(op.f('ix_organization_refnis'))
        batch_op.drop_column('refnis')
    with op.batch_alter_table('user') as batch_op:
        batch_op.drop_column('password_changed_at')
        batch_op.drop_column('name')
    op.drop_index(op.f('ix_access_request_state'), table_name='access_request')
    op.drop_table('access_request')
    op.drop_index(op.f('ix_outbox_message_sent_at'), table_name='outbox_message')
    op.drop_table('outbox_message')
