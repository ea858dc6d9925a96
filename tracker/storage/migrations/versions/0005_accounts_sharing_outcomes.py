"""accounts, sessions, sharing and clinicians' outcomes

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('provider', sa.String(length=20), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=True),
    sa.Column('failed_sign_ins', sa.Integer(), server_default='0', nullable=False),
    sa.Column('locked_until', TIME, nullable=True),
    sa.Column('created_at', TIME, nullable=False),
    sa.Column('last_sign_in_at', TIME, nullable=True),
    sa.CheckConstraint("role IN ('patient', 'caregiver', 'clinician')", name='user_role'),
    sa.CheckConstraint("provider IN ('password', 'oidc')", name='user_provider'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('email')
    )
    op.create_table('user_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', TIME, nullable=False),
    sa.Column('last_seen_at', TIME, nullable=False),
    sa.Column('expires_at', TIME, nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    op.create_index('ix_user_sessions_user_id', 'user_sessions', ['user_id'])
    op.create_table('invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', TIME, nullable=False),
    sa.Column('expires_at', TIME, nullable=False),
    sa.Column('used_at', TIME, nullable=True),
    sa.Column('revoked_at', TIME, nullable=True),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code_hash')
    )
    op.create_index('ix_invitations_patient_id', 'invitations', ['patient_id'])
    op.create_table('shares',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('clinician_id', sa.Integer(), nullable=False),
    sa.Column('created_at', TIME, nullable=False),
    sa.Column('revoked_at', TIME, nullable=True),
    sa.ForeignKeyConstraint(['clinician_id'], ['users.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('patient_id', 'clinician_id', name='one_share_per_clinician')
    )
    op.create_index('ix_shares_patient_id', 'shares', ['patient_id'])
    op.create_index('ix_shares_clinician_id', 'shares', ['clinician_id'])
    op.create_table('outcomes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('note', sa.String(length=1000), nullable=True),
    sa.Column('recorded_by', sa.Integer(), nullable=True),
    sa.Column('recorded_at', TIME, nullable=False),
    sa.CheckConstraint(
        "level IN ('self_care', 'see_doctor', 'urgent', 'emergency')", name='outcome_level'
    ),
    sa.ForeignKeyConstraint(['entry_id'], ['symptom_entries.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by'], ['users.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('entry_id')
    )
    op.create_index('ix_outcomes_patient_id', 'outcomes', ['patient_id'])
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('share_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_contacts_share_id', ['share_id'], unique=False)
        batch_op.create_foreign_key(
            'fk_contacts_share_id', 'shares', ['share_id'], ['id'], ondelete='CASCADE'
        )


def downgrade() -> None:
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_constraint('fk_contacts_share_id', type_='foreignkey')
        batch_op.drop_index('ix_contacts_share_id')
        batch_op.drop_column('share_id')
    op.drop_table('outcomes')
    op.drop_table('shares')
    op.drop_table('invitations')
    op.drop_table('user_sessions')
    op.drop_table('users')
