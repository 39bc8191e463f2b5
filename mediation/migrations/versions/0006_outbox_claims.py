"""a sender claims an outbox message while it delivers it, so that two senders never send it
twice and a sender that died leaves it to the next

Revision ID: 0006_outbox_claims
Revises: 0005
Create Date: 2026-12-03 08:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0006_outbox_claims'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_message') as batch_op:
        batch_op.add_column(sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('outbox_message') as batch_op:
        batch_op.drop_column('claimed_at')
