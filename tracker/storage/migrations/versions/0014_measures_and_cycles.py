"""own measures and their values, period days, cycle tracking per profile

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    # Not batch mode: ALTER TABLE ADD COLUMN in place; a copied `patients` would cascade-delete check-ins.
    op.add_column(
        'patients', sa.Column('tracks_cycle', sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.create_table('measures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('low', sa.Float(), nullable=False),
    sa.Column('high', sa.Float(), nullable=False),
    sa.Column('preset', sa.String(length=30), nullable=True),
    sa.Column('created_at', TIME, nullable=False),
    sa.CheckConstraint("kind IN ('rating', 'number')", name='measure_kind'),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('patient_id', 'name', name='one_measure_per_name')
    )
    op.create_index('ix_measures_patient_id', 'measures', ['patient_id'])
    op.create_table('measure_values',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('check_in_id', sa.Integer(), nullable=True),
    sa.Column('measured_at', TIME, nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('logged_at', TIME, nullable=False),
    sa.ForeignKeyConstraint(['check_in_id'], ['check_ins.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_measure_values_measure_id', 'measure_values', ['measure_id'])
    op.create_index('ix_measure_values_check_in_id', 'measure_values', ['check_in_id'])
    op.create_index('ix_measure_values_patient_measured', 'measure_values', ['patient_id', 'measured_at'])
    op.create_table('period_days',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('flow', sa.String(length=10), nullable=False),
    sa.Column('recorded_at', TIME, nullable=False),
    sa.CheckConstraint("flow IN ('spotting', 'light', 'medium', 'heavy')", name='period_flow'),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('patient_id', 'day', name='one_period_row_per_day')
    )
    op.create_index('ix_period_days_patient_id', 'period_days', ['patient_id'])


def downgrade() -> None:
    op.drop_index('ix_period_days_patient_id', table_name='period_days')
    op.drop_table('period_days')
    for index in ('ix_measure_values_patient_measured', 'ix_measure_values_check_in_id',
                  'ix_measure_values_measure_id'):
        op.drop_index(index, table_name='measure_values')
    op.drop_table('measure_values')
    op.drop_index('ix_measures_patient_id', table_name='measures')
    op.drop_table('measures')
    # In place on SQLite 3.35+ (see 0010 for why not batch mode).
    op.drop_column('patients', 'tracks_cycle')
