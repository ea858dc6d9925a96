"""region and time zone per person and profile; sign-in attempts counted per address and client

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

TIME = sa.DateTime(timezone=True)

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ('patients', 'users'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('region', sa.String(length=8), nullable=True))
            batch_op.add_column(sa.Column('time_zone', sa.String(length=64), nullable=True))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('failed_sign_ins')
        batch_op.drop_column('locked_until')
    op.create_table(
        'sign_in_attempts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('account_key', sa.String(length=64), nullable=False),
        sa.Column('client_key', sa.String(length=64), nullable=False),
        sa.Column('checks', sa.Integer(), nullable=False),
        sa.Column('window_started', TIME, nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('account_key', 'client_key', name='one_count_per_client'),
    )


def downgrade() -> None:
    op.drop_table('sign_in_attempts')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locked_until', TIME, nullable=True))
        batch_op.add_column(sa.Column('failed_sign_ins', sa.Integer(), server_default='0', nullable=False))
    for table in ('users', 'patients'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('time_zone')
            batch_op.drop_column('region')
