"""patient facts: date of birth, sex, pregnancy and long-term conditions

Revision ID: 0010
Revises: 0007
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIME = sa.DateTime(timezone=True)
COLUMNS = ('birth_date', 'age_given_on', 'sex', 'pregnancy_recorded_at', 'pregnancy_weeks')


def upgrade() -> None:
    # Plain nullable columns without constraints: SQLite adds them in place (ALTER TABLE ADD COLUMN).
    # A check constraint would make batch mode copy the table, and dropping the old `patients` with
    # foreign keys on would cascade-delete every check-in. The library checks the values instead.
    with op.batch_alter_table('patients', schema=None) as batch_op:
        batch_op.add_column(sa.Column('birth_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('age_given_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('sex', sa.String(length=1), nullable=True))
        batch_op.add_column(sa.Column('pregnancy_recorded_at', TIME, nullable=True))
        batch_op.add_column(sa.Column('pregnancy_weeks', sa.Integer(), nullable=True))
    op.create_table('patient_conditions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('condition', sa.String(length=40), nullable=False),
    sa.Column('recorded_at', TIME, nullable=False),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('patient_id', 'condition', name='one_row_per_condition')
    )
    op.create_index('ix_patient_conditions_patient_id', 'patient_conditions', ['patient_id'])


def downgrade() -> None:
    op.drop_index('ix_patient_conditions_patient_id', table_name='patient_conditions')
    op.drop_table('patient_conditions')
    # Not batch mode: on SQLite (3.35+) ALTER TABLE DROP COLUMN drops in place, where batch mode would
    # copy `patients` and cascade-delete its check-ins on the way (see upgrade).
    for column in COLUMNS:
        op.drop_column('patients', column)
