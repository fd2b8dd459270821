"""answers carry their response's unit: join-free counts by unit

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 15:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_answers_unit_id_units'), 'units', ['unit_id'], ['id'], ondelete='SET NULL')
        batch_op.drop_index('ix_answers_aggregate')
    # Existing answers take the unit of their response (never changed after submission).
    op.execute("UPDATE answers SET unit_id = (SELECT responses.unit_id FROM responses WHERE responses.id = answers.response_id)")
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.create_index('ix_answers_aggregate', ['survey_id', 'question_id', 'option_key', 'unit_id'], unique=False)


def downgrade():
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_index('ix_answers_aggregate')
        batch_op.drop_constraint(batch_op.f('fk_answers_unit_id_units'), type_='foreignkey')
        batch_op.drop_column('unit_id')
        batch_op.create_index('ix_answers_aggregate', ['survey_id', 'question_id', 'option_key', 'response_id'], unique=False)
