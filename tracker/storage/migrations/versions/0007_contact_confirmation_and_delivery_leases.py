"""contact confirmation, one contact per address, delivery leases and Message-IDs

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28

Existing contacts start unconfirmed (nothing but a confirmation code goes to them until the owner
types the code in), except a clinician's address added by an accepted invitation. E-mail addresses
are stored in lower case; a duplicate contact of a profile (same kind and address) is removed, with
its delivery history, keeping the oldest.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.execute("UPDATE contacts SET address = lower(address) WHERE kind = 'email'")
    op.execute(
        "DELETE FROM contacts WHERE id NOT IN "
        "(SELECT min(id) FROM contacts GROUP BY patient_id, kind, address)"
    )
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirmed_at', TIME, nullable=True))
        batch_op.add_column(sa.Column('code_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('code_expires_at', TIME, nullable=True))
        batch_op.add_column(sa.Column('code_attempts', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_unique_constraint('one_contact_per_address', ['patient_id', 'kind', 'address'])
    op.execute("UPDATE contacts SET confirmed_at = created_at WHERE share_id IS NOT NULL")
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lease_until', TIME, nullable=True))
        batch_op.add_column(sa.Column('message_id', sa.String(length=200), nullable=True))
    op.create_table('confirmation_sends',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('sent_at', TIME, nullable=False),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(
        'ix_confirmation_sends_patient_sent', 'confirmation_sends', ['patient_id', 'sent_at']
    )


def downgrade() -> None:
    op.drop_index('ix_confirmation_sends_patient_sent', table_name='confirmation_sends')
    op.drop_table('confirmation_sends')
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_column('message_id')
        batch_op.drop_column('lease_until')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_constraint('one_contact_per_address', type_='unique')
        batch_op.drop_column('code_attempts')
        batch_op.drop_column('code_expires_at')
        batch_op.drop_column('code_hash')
        batch_op.drop_column('confirmed_at')
