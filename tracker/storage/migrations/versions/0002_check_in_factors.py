"""check-in factors

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('check_in_factors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('check_in_id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.CheckConstraint("kind IN ('medication', 'sleep', 'tag')", name='factor_kind'),
    sa.ForeignKeyConstraint(['check_in_id'], ['check_ins.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('check_in_factors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_check_in_factors_check_in_id'), ['check_in_id'], unique=False)
        batch_op.create_index('ix_factors_patient_occurred', ['patient_id', 'occurred_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('check_in_factors', schema=None) as batch_op:
        batch_op.drop_index('ix_factors_patient_occurred')
        batch_op.drop_index(batch_op.f('ix_check_in_factors_check_in_id'))

    op.drop_table('check_in_factors')
