"""check-in answers: the follow-up questions answered at check-in

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('check_in_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('check_in_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.String(length=60), nullable=False),
    sa.Column('concept', sa.String(length=100), nullable=False),
    sa.Column('question', sa.String(length=300), nullable=False),
    sa.Column('answer', sa.String(length=10), nullable=False),
    sa.CheckConstraint("answer IN ('yes', 'no', 'not_sure')", name='answer_kind'),
    sa.ForeignKeyConstraint(['check_in_id'], ['check_ins.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('check_in_id', 'question_id', name='one_answer_per_question')
    )
    with op.batch_alter_table('check_in_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_check_in_answers_check_in_id'), ['check_in_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('check_in_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_check_in_answers_check_in_id'))
    op.drop_table('check_in_answers')
