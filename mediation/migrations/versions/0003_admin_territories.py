"""admin territories, handled error reports, decided access requests, kind texts, reminders

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 16:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('user_region',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=5), nullable=False),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], name=op.f('fk_user_region_region_code_region')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_user_region_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'region_code', name=op.f('pk_user_region'))
    )
    op.create_table('user_province',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('province_code', sa.String(length=5), nullable=False),
    sa.ForeignKeyConstraint(['province_code'], ['province.code'], name=op.f('fk_user_province_province_code_province')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_user_province_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'province_code', name=op.f('pk_user_province'))
    )
    op.create_table('kind_text',
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('text_fr', sa.Text(), nullable=False),
    sa.Column('text_nl', sa.Text(), nullable=False),
    sa.Column('text_de', sa.Text(), nullable=False),
    sa.Column('text_en', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['code'], ['service_type.code'], name=op.f('fk_kind_text_code_service_type')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_kind_text'))
    )
    with op.batch_alter_table('user') as batch_op:
        batch_op.add_column(sa.Column('last_reminded_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_digest_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('error_report') as batch_op:
        batch_op.add_column(sa.Column('handled_note', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('handled_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f('fk_error_report_handled_by_id_user'), 'user', ['handled_by_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('access_request') as batch_op:
        batch_op.add_column(sa.Column('decided_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('decision_note', sa.Text(), nullable=False, server_default=''))
        batch_op.create_foreign_key(op.f('fk_access_request_decided_by_id_user'), 'user', ['decided_by_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('access_request') as batch_op:
        batch_op.drop_constraint(op.f('fk_access_request_decided_by_id_user'), type_='foreignkey')
        batch_op.drop_column('decision_note')
        batch_op.drop_column('decided_by_id')
    with op.batch_alter_table('error_report') as batch_op:
        batch_op.drop_constraint(op.f('fk_error_report_handled_by_id_user'), type_='foreignkey')
        batch_op.drop_column('handled_by_id')
        batch_op.drop_column('handled_note')
    with op.batch_alter_table('user') as batch_op:
        batch_op.drop_column('last_digest_at')
        batch_op.drop_column('last_reminded_at')
    op.drop_table('kind_text')
    op.drop_table('user_province')
    op.drop_table('user_region')
