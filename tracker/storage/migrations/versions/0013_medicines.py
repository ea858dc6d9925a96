"""medicines and dose events

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table('medicines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('dose_amount', sa.Float(), nullable=False),
    sa.Column('dose_unit', sa.String(length=20), nullable=False),
    sa.Column('form', sa.String(length=20), nullable=False),
    sa.Column('times', sa.String(length=60), nullable=False),
    sa.Column('as_needed', sa.Boolean(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('created_at', TIME, nullable=False),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_medicines_patient_id', 'medicines', ['patient_id'])
    op.create_table('dose_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('medicine_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('taken_at', TIME, nullable=False),
    sa.Column('slot_at', TIME, nullable=True),
    sa.Column('amount', sa.Float(), nullable=True),
    sa.Column('logged_at', TIME, nullable=False),
    sa.CheckConstraint("status IN ('taken', 'skipped', 'extra')", name='dose_status'),
    sa.ForeignKeyConstraint(['medicine_id'], ['medicines.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('medicine_id', 'slot_at', name='one_answer_per_slot')
    )
    op.create_index('ix_dose_events_medicine_id', 'dose_events', ['medicine_id'])
    op.create_index('ix_dose_events_patient_taken', 'dose_events', ['patient_id', 'taken_at'])


def downgrade() -> None:
    op.drop_index('ix_dose_events_patient_taken', table_name='dose_events')
    op.drop_index('ix_dose_events_medicine_id', table_name='dose_events')
    op.drop_table('dose_events')
    op.drop_index('ix_medicines_patient_id', table_name='medicines')
    op.drop_table('medicines')
